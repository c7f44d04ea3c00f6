//! An embedded fake DDM endpoint: real HTTP/1.1 over TCP on 127.0.0.1.
//!
//! Written by hand over tokio, not with an HTTP server library, because the
//! point is to misbehave precisely: truncated bodies, dropped connections,
//! slow answers and bodies too big to trust. It serves ShowBackup
//! (`GET /v3/{project_id}/instances/{instance_id}/backups/{backup_id}`),
//! the two lists, the read-only restore calls that sit where ShowBackup
//! has a backup ID, and a small IAM.
//! See [`catalogue`] for the built-in backups and what each one shows, and
//! [`fleet_catalogue`] for the instances dated relative to now, one per
//! state of the health rules; [`DemoBuilder::now`] pins that now.

mod eu;
mod fleet;
mod http1;
mod iam;
mod lists;
mod profile;
mod progress;
mod reply;
mod restore;
mod scenarios;
mod shards;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;

pub use eu::{
    DEMO_EU_PROJECT_ID, EU_LEDGER_BACKUPS, EU_LEDGER_INSTANCE_ID, EU_MISSED_INSTANCE_ID,
    EU_NEWEST_FAILED_INSTANCE_ID, EU_ORDERS_BACKUPS, EU_ORDERS_INSTANCE_ID,
    EU_PAYMENTS_INSTANCE_ID, EU_USERS_INSTANCE_ID,
};
pub use fleet::{
    FLEET_BACKUPS, FleetInstance, FleetSize, INVENTORY_INSTANCE_ID, LAGGING_BY,
    LAGGING_INSTANCE_ID, MAX_FLEET_BACKUPS, MAX_FLEET_INSTANCES, MISSED_INSTANCE_ID,
    NEWEST_FAILED_INSTANCE_ID, NO_BACKUPS_INSTANCE_ID, PAYMENTS_INSTANCE_ID, SIZE_JUMP_INSTANCE_ID,
    STOPPED_AGO, STOPPED_INSTANCE_ID, USERS_INSTANCE_ID, WINDOW_ERROR_INSTANCE_ID, WINDOW_LAG,
};
pub use lists::{PAGES_BACKUPS, PAGES_INSTANCE_ID};
pub use profile::{DEMO_EU_PROFILE, DEMO_PROFILE, profile_at, profile_for, profiles_for};
pub use progress::{CREATING_BACKUP_ID, CREATING_FOR, FAILING_BACKUP_ID};
pub use restore::{ADDED_NODE_ID, GONE_NODE_ID, UNAVAILABLE_TARGET_ID};
pub use shards::{SHARDS, SHARDS_BACKUP_ID, SHARDS_INSTANCE_ID};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::{JoinHandle, JoinSet};

pub use http1::Request;
pub use reply::Reply;

pub const DEMO_TOKEN: &str = "demo-token-not-a-secret";
/// The demo IAM's account, user and password (password auth).
pub const DEMO_DOMAIN: &str = "demo-account";
pub const DEMO_USER: &str = "demo-user";
pub const DEMO_PASSWORD: &str = "demo-password-not-a-secret";
/// The demo's access key pair and security token (AK/SK auth).
pub const DEMO_AK: &str = "DEMOAKID0000000000000";
pub const DEMO_SK: &str = "demo-sk-not-a-secret-00000000000000000000";
pub const DEMO_SECURITY_TOKEN: &str = "demo-security-token-not-a-secret";
/// How long demo IAM tokens live unless a test says otherwise.
pub const DEMO_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
pub const DEMO_PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
pub const DEMO_REGION: &str = "cn-north-4";
pub const EXAMPLE_INSTANCE_ID: &str = "34970585d4964f2a8d6d9ea8d303398bin09";
pub const EXAMPLE_BACKUP_ID: &str = "09902ee7866649b8908ec209bfee2747br09";
pub const DEMO_INSTANCE_ID: &str = "demo-in09";
/// The most connections the demo serves at once.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a request head may take to arrive in full.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request body may take, from the end of its head.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request.
// Longer than reqwest's 90 s pool idle timeout, so the client normally
// retires idle connections first and never reuses one we are closing.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The same wait while all [`MAX_CONNECTIONS`] slots are taken: then an
/// idle connection gives its slot up to a client waiting to be served.
pub const IDLE_WHEN_FULL: Duration = Duration::from_secs(5);

/// One row per demo backup, for the README, `--help` texts and the TUI help overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoBackup {
    pub instance_id: &'static str,
    pub backup_id: &'static str,
    pub shows: &'static str,
}

/// Every built-in backup, the API reference's example first.
pub fn catalogue() -> &'static [DemoBackup] {
    scenarios::CATALOGUE
}

/// The instances dated relative to now, both projects', in the order
/// their instance lists give them (after the built-in instances).
pub fn fleet_catalogue() -> impl Iterator<Item = &'static FleetInstance> {
    fleet::FLEET.iter().chain(eu::FLEET)
}

/// Entry point: `DemoServer::builder().bind().await`.
pub struct DemoServer;

impl DemoServer {
    pub fn builder() -> DemoBuilder {
        DemoBuilder {
            port: 0,
            routes: HashMap::new(),
            token_lifetime: DEMO_TOKEN_LIFETIME,
            creating_for: CREATING_FOR,
            now: None,
            fleet: fleet::Fleet::Named,
            limits: http1::Limits {
                head: HEAD_TIMEOUT,
                body: BODY_TIMEOUT,
                idle: IDLE_TIMEOUT,
                idle_when_full: IDLE_WHEN_FULL,
            },
        }
    }
}

type Handler = Arc<dyn Fn(&Request, u32) -> Reply + Send + Sync>;

pub struct DemoBuilder {
    port: u16,
    routes: HashMap<String, Handler>,
    token_lifetime: Duration,
    creating_for: Duration,
    now: Option<Timestamp>,
    fleet: fleet::Fleet,
    limits: http1::Limits,
}

impl DemoBuilder {
    /// Pins the "now" the fleet's times are relative to (by default the
    /// system clock, read at each request), so tests see the same rows
    /// whenever they run.
    pub fn now(mut self, at: Timestamp) -> Self {
        self.now = Some(at);
        self
    }

    /// Serves `size` generated instances in both projects instead of the
    /// built-in lists and the named fleet (`demo-server --fleet 100x30`).
    /// The built-in backups' lookups still answer.
    pub fn scale_fleet(mut self, size: FleetSize) -> Self {
        self.fleet = fleet::Fleet::Scale(size);
        self
    }

    /// Port on 127.0.0.1; 0 (the default) lets the OS pick a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How long tokens from the demo IAM live (tests use short ones).
    #[doc(hidden)]
    pub fn iam_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// How long `creating-br09` and `failing-br09` stay `creating` after
    /// their first read ([`CREATING_FOR`] unless a test wants less).
    #[doc(hidden)]
    pub fn creating_for(mut self, lasts: Duration) -> Self {
        self.creating_for = lasts;
        self
    }

    /// How long a request head may take ([`HEAD_TIMEOUT`] unless a test
    /// wants a quicker one).
    #[doc(hidden)]
    pub fn head_timeout(mut self, timeout: Duration) -> Self {
        self.limits.head = timeout;
        self
    }

    /// How long a request body may take ([`BODY_TIMEOUT`] unless a test
    /// wants a quicker one).
    #[doc(hidden)]
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body = timeout;
        self
    }

    /// How long an idle kept-alive connection keeps its slot while every
    /// slot is taken ([`IDLE_WHEN_FULL`] unless a test wants a quicker one).
    #[doc(hidden)]
    pub fn idle_when_full(mut self, timeout: Duration) -> Self {
        self.limits.idle_when_full = timeout;
        self
    }

    /// Answers `backup_id` with `handler`, ahead of any built-in of that id.
    ///
    /// The handler gets the request and the 1-based hit count for that backup
    /// id. The token and project are still checked; the instance id is not.
    #[doc(hidden)]
    pub fn route(
        mut self,
        backup_id: &str,
        handler: impl Fn(&Request, u32) -> Reply + Send + Sync + 'static,
    ) -> Self {
        self.routes.insert(backup_id.to_owned(), Arc::new(handler));
        self
    }

    /// The request handling without a socket, for tests that accept connections themselves.
    #[doc(hidden)]
    pub fn service(self) -> DemoService {
        DemoService {
            inner: Arc::new(ServiceInner {
                routes: self.routes,
                hits: Mutex::new(HashMap::new()),
                iam: iam::IamState::new(self.token_lifetime),
                making: progress::Making::new(self.creating_for),
                now: self.now,
                fleet: self.fleet,
                limits: self.limits,
                full: watch::Sender::new(false),
            }),
        }
    }

    /// Binds 127.0.0.1 and serves in a background task until the result is dropped.
    pub async fn bind(self) -> std::io::Result<RunningDemo> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let service = self.service();
        let task = tokio::spawn(accept_loop(listener, service.clone()));
        Ok(RunningDemo {
            addr,
            service,
            task,
        })
    }
}

async fn accept_loop(listener: TcpListener, service: DemoService) {
    // Owning the connection tasks here means aborting this task aborts them all.
    let mut conns = JoinSet::new();
    // With every slot taken we stop calling accept(), as servers with a
    // connection limit do (Apache's MaxRequestWorkers, hyper behind a
    // concurrency limit): the kernel queues newcomers in the listen backlog
    // and each is served when a slot frees up. Closing them instead would
    // turn a brief burst into errors, and accepting them without a slot
    // would make the limit meaningless.
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        // Full while no slot is free; idle connections then give theirs up
        // soon (see `IDLE_WHEN_FULL`), so the backlog is not stuck behind
        // clients that only keep a connection open.
        service.set_full(slots.available_permits() == 0);
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        service.set_full(false);
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                let svc = service.clone();
                conns.spawn(async move {
                    svc.serve_connection(stream).await;
                    drop(slot);
                });
            }
            // Out of file descriptors and the like: back off rather than spin.
            Err(_) => {
                drop(slot);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        while conns.try_join_next().is_some() {}
    }
}

pub(crate) struct ServiceInner {
    routes: HashMap<String, Handler>,
    hits: Mutex<HashMap<String, u32>>,
    iam: iam::IamState,
    /// The backups being made, and when each was first read.
    making: progress::Making,
    /// The pinned now, if any (else the system clock's).
    now: Option<Timestamp>,
    fleet: fleet::Fleet,
    limits: http1::Limits,
    /// Whether every connection slot is taken; read by idle connections.
    full: watch::Sender<bool>,
}

impl ServiceInner {
    /// The now the fleet's times are relative to.
    fn now(&self) -> Timestamp {
        self.now.unwrap_or_else(Timestamp::now)
    }

    fn hit(&self, backup_id: &str) -> u32 {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let n = hits.entry(backup_id.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }
}

/// The request handling shared by every connection of one demo server.
#[derive(Clone)]
pub struct DemoService {
    inner: Arc<ServiceInner>,
}

impl DemoService {
    /// Serves requests on `stream` until the client or a reply closes it.
    #[doc(hidden)]
    pub async fn serve_connection<S: AsyncRead + AsyncWrite + Unpin>(&self, stream: S) {
        let full = self.inner.full.subscribe();
        let mut conn = http1::Conn::new(stream, self.inner.limits, full);
        loop {
            match conn.next_request().await {
                http1::Incoming::Closed => return,
                http1::Incoming::Reject { status, msg } => return conn.reject(status, msg).await,
                http1::Incoming::Request { req, keep_alive } => {
                    let reply = scenarios::respond(&self.inner, &req);
                    if !conn.send(&reply, &req.request_id, keep_alive).await {
                        return;
                    }
                }
            }
        }
    }

    /// Tells idle connections whether every slot is taken; they are woken
    /// only when that changes.
    fn set_full(&self, full: bool) {
        self.inner.full.send_if_modified(|now| {
            let changed = *now != full;
            *now = full;
            changed
        });
    }

    /// The now the fleet's times are relative to: the pinned one, or the
    /// system clock's.
    pub fn now(&self) -> Timestamp {
        self.inner.now()
    }

    /// How many sign-ins the demo IAM has seen.
    pub fn iam_calls(&self) -> u32 {
        self.inner.iam.calls()
    }

    /// Revokes every token the demo IAM issued (the next use gets a 401).
    pub fn revoke_tokens(&self) {
        self.inner.iam.revoke_all();
    }

    /// How many authenticated requests reached the lookup of `backup_id`.
    pub fn hits(&self, backup_id: &str) -> u32 {
        let hits = self.inner.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(backup_id).copied().unwrap_or(0)
    }
}

/// A demo server running in the background; dropping it stops it.
pub struct RunningDemo {
    addr: SocketAddr,
    service: DemoService,
    task: JoinHandle<()>,
}

impl RunningDemo {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn token(&self) -> &str {
        DEMO_TOKEN
    }

    pub fn project_id(&self) -> &str {
        DEMO_PROJECT_ID
    }

    pub fn hits(&self, backup_id: &str) -> u32 {
        self.service.hits(backup_id)
    }

    /// The now the fleet's times are relative to.
    pub fn now(&self) -> Timestamp {
        self.service.now()
    }

    pub fn service(&self) -> &DemoService {
        &self.service
    }
}

impl Drop for RunningDemo {
    fn drop(&mut self) {
        self.task.abort();
    }
}
