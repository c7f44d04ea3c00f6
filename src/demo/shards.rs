//! `shards-in09`: an instance with twelve data nodes and twelve restore
//! windows, more than the service's default page of 10, so its restore
//! answers span two pages for a client that sends no `limit` (the SDK's
//! way). Its backup `shards-br09` covers all twelve nodes: nothing stands in
//! the way of a restore, unless a client reads only the first page and
//! takes nodes 11 and 12 for gone.

use serde_json::{Value, json};

/// The instance with more nodes and windows than one default page.
pub const SHARDS_INSTANCE_ID: &str = "shards-in09";
/// Its backup, which covers every node it has.
pub const SHARDS_BACKUP_ID: &str = "shards-br09";
/// What the instance list and its backup call it.
pub(crate) const SHARDS_INSTANCE_NAME: &str = "ddm-demo-shards";
/// How many data nodes, and how many windows, it has.
pub const SHARDS: usize = 12;

/// Its data nodes, in the order the server lists them: IDs and names.
pub(crate) fn nodes() -> impl Iterator<Item = (String, String)> {
    (0..SHARDS).map(|i| {
        (
            format!("e0c1a2b3d4f5460788a9b0c1d2e3f4{i:02}in01"),
            format!("rds-shards-{i:02}"),
        )
    })
}

/// Its windows, oldest first as the server sends them (the client sorts):
/// one a day, each stopping at 22:00 for a nightly resize. A client that
/// reads one page of 10 misses the two newest.
pub(crate) fn windows() -> Vec<(String, String)> {
    (0..SHARDS)
        .map(|i| {
            let day = 17 + i;
            (
                format!("2025-06-{day:02}T00:00:00+0000"),
                format!("2025-06-{day:02}T22:00:00+0000"),
            )
        })
        .collect()
}

/// ShowBackup's answer for [`SHARDS_BACKUP_ID`].
pub(crate) fn backup(name: &str) -> Value {
    let nodes: Vec<Value> = nodes()
        .map(|(id, name)| json!({"instance_id": id, "instance_name": name}))
        .collect();
    json!({
        "id": SHARDS_BACKUP_ID,
        "name": name,
        "instance_id": SHARDS_INSTANCE_ID,
        "instance_name": SHARDS_INSTANCE_NAME,
        "related_data_nodes": nodes,
    })
}
