//! Reading a small file the user names: the config, a profile's `ca_file`,
//! the SDK credentials file.
//!
//! A path can name anything: `/dev/zero` never ends and a read of it grows
//! until the kernel kills us; a FIFO blocks the open itself until a writer
//! comes, which may be never. So the open is non-blocking (a FIFO opens at
//! once), the type is checked on the opened file (fstat, so the file checked
//! is the file read), and at most `cap + 1` bytes are read whatever the file
//! claims its size is.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why a small file could not be read. Its Display names what is wrong but
/// not the file: callers say which file it was (and why it was read).
#[derive(Debug, thiserror::Error)]
pub enum SmallFileError {
    /// Nothing at that path.
    #[error("{0}")]
    NotFound(io::Error),
    #[error("{0}")]
    Io(io::Error),
    /// A directory, FIFO, device or socket.
    #[error("is {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("is larger than {} (the most this file may hold)", shown_size(*.cap))]
    TooLarge { cap: u64 },
}

/// `1 MiB`, `64 KiB` or `100 bytes`, for the size-cap message.
fn shown_size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Opens `path` (following symlinks: a dotfile manager's link is the
/// user's own choice), refuses anything but a regular file and anything
/// past `cap` bytes, and returns the open file with its bytes. The file
/// stays open so a caller can check its permissions on the same inode.
pub fn read(path: &Path, cap: u64) -> Result<(File, Vec<u8>), SmallFileError> {
    let mut options = OpenOptions::new();
    options.read(true);
    // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer (it
    // has no effect on a regular file's reads). O_NOCTTY: naming a terminal
    // must not make it ours.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NONBLOCK | libc::O_NOCTTY,
    );
    let file = options.open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => SmallFileError::NotFound(e),
        _ => SmallFileError::Io(e),
    })?;
    let meta = file.metadata().map_err(SmallFileError::Io)?;
    if !meta.is_file() {
        return Err(SmallFileError::NotRegular(kind(&meta.file_type())));
    }
    if meta.len() > cap {
        return Err(SmallFileError::TooLarge { cap });
    }
    // Room for the whole file and one byte more, so a file of the size
    // fstat gave is read without a reallocation leaving a copy of a secret
    // in freed memory; one that grew meanwhile is still stopped at cap + 1.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    let read = (&file).take(cap + 1).read_to_end(&mut bytes);
    if let Err(e) = read {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(SmallFileError::Io(e));
    }
    if bytes.len() as u64 > cap {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(SmallFileError::TooLarge { cap });
    }
    Ok((file, bytes))
}

/// [`read`] as UTF-8 text; invalid UTF-8 is an error like an unreadable
/// file (the bytes are wiped either way: they may hold a secret).
pub fn read_text(path: &Path, cap: u64) -> Result<(File, String), SmallFileError> {
    let (file, bytes) = read(path, cap)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((file, text)),
        Err(e) => {
            let mut bytes = e.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
            Err(SmallFileError::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                "is not UTF-8 text",
            )))
        }
    }
}

/// What a file that is not a regular file is, in words.
fn kind(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_cap_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "0123456789").unwrap();
        let (_, bytes) = read(&path, 10).unwrap();
        assert_eq!(bytes, b"0123456789");
        assert!(matches!(
            read(&path, 9),
            Err(SmallFileError::TooLarge { cap: 9 })
        ));
    }

    #[test]
    fn devices_fifos_and_directories_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // No writer ever comes: a blocking open would hang this test.
        let e = read(&fifo, 1024).unwrap_err();
        assert_eq!(e.to_string(), "is a FIFO (named pipe), not a regular file");
        let e = read(Path::new("/dev/zero"), 1024).unwrap_err();
        assert_eq!(e.to_string(), "is a character device, not a regular file");
        let e = read(dir.path(), 1024).unwrap_err();
        assert_eq!(e.to_string(), "is a directory, not a regular file");
        let e = read(&dir.path().join("missing"), 1024).unwrap_err();
        assert!(matches!(e, SmallFileError::NotFound(_)));
    }

    #[test]
    fn the_cap_is_named_in_its_unit() {
        assert_eq!(
            SmallFileError::TooLarge { cap: 1 << 20 }.to_string(),
            "is larger than 1 MiB (the most this file may hold)"
        );
        assert_eq!(shown_size(64 << 10), "64 KiB");
        assert_eq!(shown_size(100), "100 bytes");
    }

    #[test]
    fn text_that_is_not_utf8_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert_eq!(
            read_text(&path, 10).unwrap_err().to_string(),
            "is not UTF-8 text"
        );
    }
}
