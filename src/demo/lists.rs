//! The demo's instance list and ListBackups, with paging, so pickers and the
//! headless `instances` / `backups` commands can be tried without a cloud.

use serde_json::{Value, json};

use super::fleet::Fleet;
use super::reply::Reply;
use super::scenarios::CATALOGUE;
use super::{
    DEMO_INSTANCE_ID, DEMO_PROJECT_ID, DemoBackup, EXAMPLE_INSTANCE_ID, Request, ServiceInner,
};

/// An instance whose backups span several pages.
pub const PAGES_INSTANCE_ID: &str = "pages-in09";
/// How many backups it has.
pub const PAGES_BACKUPS: usize = 300;

/// Which list a path asks for, if any.
pub(crate) enum ListRoute {
    Instances,
    Backups,
}

/// `/v1/{project}/instances` or `/v3/{project}/backups`, with the project.
pub(crate) fn match_list(path: &str) -> Option<(ListRoute, &str)> {
    let rest = path.strip_prefix('/')?;
    let mut parts = rest.split('/');
    let (version, project, what) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    match (version, what) {
        ("v1", "instances") => Some((ListRoute::Instances, project)),
        ("v3", "backups") => Some((ListRoute::Backups, project)),
        _ => None,
    }
}

/// What the instance list calls [`PAGES_INSTANCE_ID`].
pub(crate) const PAGES_INSTANCE_NAME: &str = "ddm-demo-archive";

/// The number of a paging instance's backup, which ShowBackup also answers.
pub(crate) fn pages_backup(instance_id: &str, backup_id: &str) -> Option<usize> {
    if instance_id != PAGES_INSTANCE_ID {
        return None;
    }
    backup_id
        .strip_prefix("archive-")
        .and_then(|rest| rest.strip_suffix("-br09"))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n < PAGES_BACKUPS)
}

/// The name of the paging instance's backup `n`, in its row and its lookup.
pub(crate) fn archive_name(n: usize) -> String {
    format!("Backup-ddm-demo-archive-{n:03}")
}

/// Answers a list request. Like the real service may, the backup list
/// ignores the `instance_id` filter: clients must filter rows themselves.
/// The built-in rows (fixed dates) come first, then the fleet's (dated
/// relative to the server's now); a scale fleet serves only its own.
pub(crate) fn respond(route: ListRoute, project: &str, req: &Request, svc: &ServiceInner) -> Reply {
    let eu = project == super::eu::DEMO_EU_PROJECT_ID;
    if project != DEMO_PROJECT_ID && !eu {
        return Reply::ddm(
            400,
            "DBS.280001",
            "Parameter error: project_id does not match the token.",
        );
    }
    let (offset, limit) = match paging(req.query.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(why) => {
            return Reply::ddm(400, "DBS.280001", &why);
        }
    };
    let fleet = svc.fleet.specs(eu);
    let now = super::fleet::seconds(svc.now());
    let builtin = svc.fleet == Fleet::Named;
    match route {
        ListRoute::Instances => {
            let fixed = match (builtin, eu) {
                (false, _) => Vec::new(),
                (true, true) => super::eu::instances(),
                (true, false) => instances(),
            };
            let total = fixed.len() + fleet.instance_count();
            let page = join_page(&fixed, offset, limit, |from, n| {
                fleet.instance_page(from, n, now)
            });
            // `paging` keeps limit at 1 or more; the offset is the client's
            // and may be usize::MAX, so the page number saturates.
            let page_no = (offset / limit).saturating_add(1);
            let doc = json!({
                "instances": page, "instance_num": page.len(), "page_no": page_no,
                "page_size": limit, "total_record": total, "total_page": total.div_ceil(limit),
            });
            Reply::json(200, doc.to_string())
        }
        ListRoute::Backups => {
            let fixed = match (builtin, eu) {
                (false, _) => Vec::new(),
                (true, true) => super::eu::backups(),
                (true, false) => backups(CATALOGUE, &svc.making),
            };
            let total = fixed.len() + fleet.backup_count();
            let page = join_page(&fixed, offset, limit, |from, n| {
                fleet.backup_page(from, n, now)
            });
            let doc = json!({"total": total, "offset": offset, "limit": limit, "backups": page});
            Reply::json(200, doc.to_string())
        }
    }
}

/// Rows `offset..offset + limit` of `fixed` followed by the rows `more`
/// computes (given its own offset and how many it may add).
fn join_page(
    fixed: &[Value],
    offset: usize,
    limit: usize,
    more: impl FnOnce(usize, usize) -> Vec<Value>,
) -> Vec<Value> {
    let mut page: Vec<Value> = fixed.iter().skip(offset).take(limit).cloned().collect();
    let room = limit - page.len();
    if room > 0 {
        page.extend(more(offset.saturating_sub(fixed.len()), room));
    }
    page
}

/// `offset` (default 0) and `limit` (1..128, default 10), as the API checks them.
pub(crate) fn paging(query: &str) -> Result<(usize, usize), String> {
    let mut offset = 0;
    let mut limit = 10;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("Parameter error: {key}={value} is not a number."))
        };
        match key {
            "offset" => offset = number()?,
            "limit" => limit = number()?,
            _ => {}
        }
    }
    if !(1..=128).contains(&limit) {
        return Err(format!("Parameter error: limit={limit} is outside 1..128."));
    }
    Ok((offset, limit))
}

/// The built-in instances, with fixed dates.
pub(crate) fn instances() -> Vec<Value> {
    let row = |id: &str, name: &str, status: &str, nodes: u32, created: &str| {
        json!({
            "id": id, "name": name, "status": status, "created": created, "engine_version": "3.1.4",
            "node_count": nodes, "access_ip": "192.168.0.10", "access_port": "5066", "core_count": "4",
            "ram_capacity": "16", "available_zone": "cn-north-4a", "enterprise_project_id": "0",
        })
    };
    vec![
        row(
            EXAMPLE_INSTANCE_ID,
            "ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg",
            "RUNNING",
            2,
            "2025-05-20T05:40:00+0000",
        ),
        row(
            DEMO_INSTANCE_ID,
            super::scenarios::DEMO_INSTANCE_NAME,
            "RUNNING",
            3,
            "2025-01-08T09:12:00+0000",
        ),
        row(
            PAGES_INSTANCE_ID,
            PAGES_INSTANCE_NAME,
            "BACKUP",
            2,
            "2024-11-02T16:30:00+0000",
        ),
        row(
            super::shards::SHARDS_INSTANCE_ID,
            super::shards::SHARDS_INSTANCE_NAME,
            "RUNNING",
            3,
            "2025-03-14T07:45:00+0000",
        ),
    ]
}

fn backups(catalogue: &[DemoBackup], making: &super::progress::Making) -> Vec<Value> {
    let mut rows: Vec<Value> = catalogue
        .iter()
        .enumerate()
        .map(|(i, b)| {
            // The lookup's own names, so a picked row and its answer agree.
            let (name, instance_name) = super::scenarios::names(b.backup_id);
            // Reading a row being made counts as reading it (its clock starts).
            let status = making.status(b.backup_id).unwrap_or("normal");
            let day = 28 - i;
            json!({
                "id": b.backup_id, "name": name, "description": b.shows, "status": status,
                "instance_id": b.instance_id, "instance_name": instance_name, "instance_status": "RUNNING",
                "file_size": 96 + i * 37, "created": format!("2025-06-{day:02}T02:00:00+0000"),
                "updated": format!("2025-06-{day:02}T02:01:10+0000"),
                "backup_type": if i % 3 == 0 { "metadata" } else { "auto_metadata" },
            })
        })
        .collect();
    rows.extend((0..PAGES_BACKUPS).map(|n| {
        json!({
            "id": format!("archive-{n:03}-br09"), "name": archive_name(n),
            "status": if n % 50 == 7 { "createfail" } else { "normal" },
            "instance_id": PAGES_INSTANCE_ID, "instance_name": PAGES_INSTANCE_NAME, "instance_status": "BACKUP",
            "file_size": 1024 + n * 311, "created": format!("2025-{:02}-{:02}T02:00:00+0000", 1 + n / 28 % 12, 1 + n % 28),
            "backup_type": "auto_metadata",
        })
    }));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_paths_and_paging() {
        assert!(matches!(
            match_list("/v1/p/instances"),
            Some((ListRoute::Instances, "p"))
        ));
        assert!(matches!(
            match_list("/v3/p/backups"),
            Some((ListRoute::Backups, "p"))
        ));
        assert!(match_list("/v3/p/backups/x").is_none());
        assert_eq!(paging("offset=20&limit=128"), Ok((20, 128)));
        assert_eq!(paging(""), Ok((0, 10)));
        assert!(paging("limit=0").is_err());
        assert!(paging("offset=x").is_err());
        assert_eq!(
            pages_backup(PAGES_INSTANCE_ID, "archive-299-br09"),
            Some(299)
        );
        assert_eq!(pages_backup(PAGES_INSTANCE_ID, "archive-300-br09"), None);
        assert_eq!(pages_backup(DEMO_INSTANCE_ID, "archive-001-br09"), None);
    }
}
