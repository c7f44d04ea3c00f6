//! Running a `*_command` so that neither it nor anything it starts can
//! outstay its welcome: its own process group, killed as a whole on
//! timeout, and an output pipe that is let go shortly after `sh` exits even
//! if a background child still holds it.

use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

/// How long the output is still read once `sh` has exited: enough for what
/// it printed to arrive, short enough that `sleep 45 &` costs nothing.
pub const GRACE: Duration = Duration::from_millis(200);

/// The most of its output that is kept (a token is far smaller; the rest is
/// read and thrown away so the command never blocks on a full pipe).
const KEEP: usize = 64 * 1024;

/// Why a command gave no output to use. Nothing here holds what the
/// command printed: its error output is never read, because it may echo a
/// secret, and its standard output is the secret.
#[derive(Debug)]
pub enum Failure {
    /// `sh` could not be started.
    Start(std::io::Error),
    /// It ran past the limit; its whole process group was killed.
    TimedOut(Duration),
    /// It ended unsuccessfully.
    Exited(ExitStatus),
    /// Waiting for it failed.
    Wait(std::io::Error),
}

/// Runs `command` through `sh -c` in a new process group, with no input and
/// no error output, and returns what it printed. `limit` bounds the whole
/// run; past it, the group is killed with SIGKILL.
pub async fn run(command: &str, limit: Duration) -> Result<Vec<u8>, Failure> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(Failure::Start)?;
    let mut stdout = child.stdout.take();
    // Declared after `child`, so it is dropped first: the group is killed
    // while `sh` is still unreaped and its id cannot name another group.
    let mut group = Group { pgid: child.id() };
    let mut out = Vec::new();
    let ran = tokio::time::timeout(limit, async {
        let mut chunk = [0u8; 8192];
        let mut open = stdout.is_some();
        let status = loop {
            tokio::select! {
                status = child.wait() => {
                    // Reaped: from here on the id may be reused.
                    group.disarm();
                    break status;
                }
                read = read_some(stdout.as_mut(), &mut chunk), if open => match read {
                    Some(n) => keep(&mut out, &chunk[..n]),
                    None => open = false,
                },
            }
        };
        if open {
            // What it printed just before exiting is in the pipe already; a
            // background child that keeps the pipe open is not waited for.
            let _ = tokio::time::timeout(GRACE, async {
                while let Some(n) = read_some(stdout.as_mut(), &mut chunk).await {
                    keep(&mut out, &chunk[..n]);
                }
            })
            .await;
        }
        zeroize::Zeroize::zeroize(&mut chunk);
        status
    })
    .await;
    drop(stdout);
    let status = match ran {
        Ok(status) => status.map_err(Failure::Wait),
        Err(_) => {
            group.kill();
            Err(Failure::TimedOut(limit))
        }
    };
    match status {
        Ok(status) if status.success() => Ok(out),
        Ok(status) => {
            zeroize::Zeroize::zeroize(&mut out);
            Err(Failure::Exited(status))
        }
        Err(e) => {
            zeroize::Zeroize::zeroize(&mut out);
            Err(e)
        }
    }
}

/// One read; `None` at the end or on an error.
async fn read_some(pipe: Option<&mut (impl AsyncRead + Unpin)>, chunk: &mut [u8]) -> Option<usize> {
    match pipe?.read(chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => Some(n),
    }
}

fn keep(out: &mut Vec<u8>, bytes: &[u8]) {
    let room = KEEP.saturating_sub(out.len());
    out.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

/// The command's process group, killed when the run ends early (a timeout,
/// or the lookup itself cancelled) unless `sh` was reaped first.
struct Group {
    pgid: Option<u32>,
}

impl Group {
    fn disarm(&mut self) {
        self.pgid = None;
    }

    fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take().and_then(|p| libc::pid_t::try_from(p).ok()) {
            // SAFETY: killpg only sends a signal. `pgid` is the id of our own
            // unreaped child, which leads its group (process_group(0)), so
            // the id still names that group and no other.
            unsafe {
                libc::killpg(pgid, libc::SIGKILL);
            }
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// True while a process with this pid runs; a zombie (killed, not yet
    /// reaped by whoever inherited it) counts as gone.
    fn alive(pid: &str) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let state = stat
                    .rsplit_once(')')?
                    .1
                    .split_whitespace()
                    .next()?
                    .to_string();
                Some(state != "Z" && state != "X")
            })
            .unwrap_or(false)
    }

    #[tokio::test]
    async fn a_timeout_kills_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        let command = format!(
            "sleep 60 & echo $! > '{p}'; echo $$ >> '{p}'; wait",
            p = pids.display()
        );
        let started = Instant::now();
        let failed = run(&command, Duration::from_millis(700)).await;
        assert!(matches!(failed, Err(Failure::TimedOut(_))), "{failed:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let text = std::fs::read_to_string(&pids).unwrap();
        let ids: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(ids.len(), 2, "{text}");
        // SIGKILL is delivered at once; reaping the orphan by init takes a moment.
        let gone = Instant::now();
        while alive(ids[0]) && gone.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(ids[0]), "the background child {} lives on", ids[0]);
    }

    #[tokio::test]
    async fn output_is_read_briefly_after_sh_exits() {
        let started = Instant::now();
        let out = run("echo tok; sleep 45 &", Duration::from_secs(30))
            .await
            .unwrap();
        assert_eq!(out, b"tok\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[tokio::test]
    async fn a_failure_carries_only_the_status() {
        let failed = run(
            "echo secret; echo secret >&2; exit 3",
            Duration::from_secs(30),
        )
        .await;
        match failed {
            Err(Failure::Exited(status)) => assert_eq!(status.code(), Some(3)),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn huge_output_is_capped_without_blocking() {
        let out = run("head -c 300000 /dev/zero", Duration::from_secs(30))
            .await
            .unwrap();
        assert_eq!(out.len(), KEEP);
    }
}
