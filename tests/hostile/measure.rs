//! Peak memory of the binary while it runs, for the cases whose point is a
//! bound on it.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The child's peak resident memory in bytes (VmHWM), read while it runs;
/// the child is killed if it passes `limit` or runs past `patience`.
pub fn run_measured(
    mut command: Command,
    limit: u64,
    patience: Duration,
) -> (Output, u64, Duration) {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Drained on their own threads, so a full pipe never stalls the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_path)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if peak > limit || started.elapsed() > patience {
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    let output = Output {
        status,
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
    };
    (output, peak, elapsed)
}

/// What a measured run left: its exit code, stdout, stderr (both as text)
/// and peak RSS in bytes.
pub type Measured = (Option<i32>, String, String, u64);

/// [`run_measured`], with the peak and the time printed under `label` (for
/// the numbers a closing note quotes) and the output as text.
pub fn run_logged(command: Command, limit: u64, patience: Duration, label: &str) -> Measured {
    let (out, peak, elapsed) = run_measured(command, limit, patience);
    eprintln!(
        "{label}: peak RSS {} MiB, {:.1} s",
        peak / (1024 * 1024),
        elapsed.as_secs_f32()
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        peak,
    )
}
