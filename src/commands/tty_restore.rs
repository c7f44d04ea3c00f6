//! The terminal's modes put back when a signal ends the process while a
//! password is typed with echo off.
//!
//! The prompt turns echo off and back on around the read; a Ctrl-C,
//! SIGTERM or hang-up in between killed the process with echo still off,
//! and under `sh`, a script or `ssh -t` nothing turned it on again: the
//! next commands were typed blind. While armed, each terminating signal
//! restores the modes saved before the prompt, ends the prompt's line, and
//! exits 128 + the signal's number (as the TUI does and as shells report a
//! process a signal killed). Only async-signal-safe calls run in the
//! handler: tcsetattr, write and _exit.

use std::cell::UnsafeCell;
use std::fs::{File, OpenOptions};
use std::mem::MaybeUninit;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The signals whose default action ends the process and that a user, a
/// supervisor or a closing terminal sends.
const SIGNALS: [libc::c_int; 7] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGTERM,
    libc::SIGALRM,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

/// The modes to restore, written before the handlers are installed and
/// only read by them.
struct SavedModes(UnsafeCell<MaybeUninit<libc::termios>>);

// SAFETY: written only by `arm` while it holds `ONE_AT_A_TIME` and before
// `TTY_FD` publishes it; read only by the handler after that.
unsafe impl Sync for SavedModes {}

static SAVED: SavedModes = SavedModes(UnsafeCell::new(MaybeUninit::uninit()));
/// The terminal to restore, or -1 when nothing is armed.
static TTY_FD: AtomicI32 = AtomicI32::new(-1);
/// One prompt at a time owns the saved modes.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// While alive, a terminating signal restores the terminal and exits
/// 128 + n; dropped, the signals' earlier actions are back.
pub struct Armed {
    /// Kept open so the handler's descriptor stays this terminal.
    _tty: File,
    previous: Vec<(libc::c_int, libc::sigaction)>,
    _turn: MutexGuard<'static, ()>,
}

/// Saves the controlling terminal's modes and installs the handlers;
/// `None` when there is no terminal (nothing to restore then).
pub fn arm() -> Option<Armed> {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let fd = tty.as_raw_fd();
    // SAFETY: `fd` is an open descriptor; tcgetattr writes a whole termios
    // into the cell, which no handler reads until TTY_FD is set below.
    unsafe {
        if libc::tcgetattr(fd, (*SAVED.0.get()).as_mut_ptr()) != 0 {
            return None;
        }
    }
    TTY_FD.store(fd, Ordering::SeqCst);
    let mut previous = Vec::with_capacity(SIGNALS.len());
    for signal in SIGNALS {
        // SAFETY: a zeroed sigaction is a valid value to fill in; the
        // handler has the signature sa_sigaction expects without SA_SIGINFO.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigfillset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, &action, &mut old) == 0 {
                previous.push((signal, old));
            }
        }
    }
    Some(Armed {
        _tty: tty,
        previous,
        _turn: turn,
    })
}

impl Drop for Armed {
    fn drop(&mut self) {
        // The prompt has put the modes back itself by now.
        for (signal, old) in &self.previous {
            // SAFETY: `old` is what sigaction returned for this signal.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
        TTY_FD.store(-1, Ordering::SeqCst);
    }
}

extern "C" fn on_signal(signal: libc::c_int) {
    let fd = TTY_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: SAVED was filled before TTY_FD was set; tcsetattr and
        // write are async-signal-safe, and `fd` stays open while armed.
        unsafe {
            libc::tcsetattr(fd, libc::TCSANOW, (*SAVED.0.get()).as_ptr());
            // The prompt's line ends here, so the shell's starts on its own.
            libc::write(fd, b"\n".as_ptr().cast(), 1);
        }
    }
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(128 + signal) }
}
