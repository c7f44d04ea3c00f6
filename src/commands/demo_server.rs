//! `ddm-backups demo-server`: the embedded endpoint, for other tools to use.

use std::io::Write;

use super::{EXIT_LOOKUP, Failure};
use crate::cli::DemoServerArgs;
use crate::demo;

pub async fn run(args: DemoServerArgs) -> Result<(), Failure> {
    let mut builder = demo::DemoServer::builder().port(args.port);
    if let Some(size) = args.fleet {
        builder = builder.scale_fleet(size);
    }
    let running = builder.bind().await.map_err(|e| Failure {
        code: EXIT_LOOKUP,
        message: format!("error: cannot listen on 127.0.0.1:{}: {e}", args.port),
    })?;
    let mut text = format!(
        "ddm-backups demo endpoint on {url}\n\
         token:      {token}\n\
         project_id: {project}\n\n\
         A profile for it (export DDM_DEMO_TOKEN={token}):\n\
         [profiles.demo]\n\
         region = \"{region}\"\n\
         project_id = \"{project}\"\n\
         endpoint = \"{url}\"\n\
         auth = {{ type = \"token\", token_env = \"DDM_DEMO_TOKEN\" }}\n\n\
         It also serves IAM (set iam_endpoint = \"{url}\") and checks AK/SK signatures:\n\
         password auth: domain = \"{domain}\", user = \"{user}\", password {password}\n\
         aksk auth:     ak {ak}, sk {sk}, security token {security}\n\
         A second project, {eu_project}, has its own instances and backups\n\
         (the `demo-eu` profile of --demo, in {eu_region}); try `find orders`.\n\n\
         Demo backups (instance / backup: what it shows):\n",
        url = running.base_url(),
        token = running.token(),
        project = running.project_id(),
        region = demo::DEMO_REGION,
        domain = demo::DEMO_DOMAIN,
        user = demo::DEMO_USER,
        password = demo::DEMO_PASSWORD,
        ak = demo::DEMO_AK,
        sk = demo::DEMO_SK,
        security = demo::DEMO_SECURITY_TOKEN,
        eu_project = demo::DEMO_EU_PROJECT_ID,
        eu_region = "eu-west-101",
    );
    for row in demo::catalogue() {
        text.push_str(&format!(
            "  {} / {}: {}\n",
            row.instance_id, row.backup_id, row.shows
        ));
    }
    text.push_str(&fleet_text(args.fleet));
    text.push_str("\nServing until Ctrl-C.\n");
    let mut stdout = std::io::stdout().lock();
    // A closed stdout must not stop the server: someone may only want the port.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    drop(stdout);
    wait_for_stop().await;
    Ok(())
}

/// What the instances dated relative to now are there to show.
fn fleet_text(fleet: Option<demo::FleetSize>) -> String {
    if let Some(size) = fleet {
        return format!(
            "\n--fleet {size}: both projects' lists hold only a generated fleet of {} instances\n\
             (fleet-00000-in09 ...) with {} daily backups each ({} rows), dated relative to now;\n\
             the backups above still answer lookups.\n",
            size.instances,
            size.backups,
            size.instances.saturating_mul(size.backups),
        );
    }
    let mut text = String::from(
        "\nInstances dated relative to now, one per health state (project / instance: what it shows):\n",
    );
    for row in demo::fleet_catalogue() {
        let project = if row.project_id == demo::DEMO_PROJECT_ID {
            demo::DEMO_PROFILE
        } else {
            demo::DEMO_EU_PROFILE
        };
        text.push_str(&format!(
            "  {project} / {} ({}): {}\n",
            row.instance_id, row.name, row.shows
        ));
    }
    text.push_str(
        "  (The built-in instances keep their fixed 2025 dates: the health view reads them as stale.)\n",
    );
    text
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
