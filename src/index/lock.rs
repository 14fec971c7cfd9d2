//! One indexer at a time: an exclusive lock on a file in the index folder, held for a whole
//! update (creating the index included). The operating system releases it when the process dies,
//! so a killed indexer never leaves a stale lock; the holder's pid is written beside it so a
//! second indexer can say who is busy.

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, Lock, MmapDirectory};

use super::IndexError;

const LOCK_FILE: &str = ".cerca-update.lock";
const PID_FILE: &str = ".cerca-update.pid";
/// How often a waiting indexer tries again.
const RETRY: Duration = Duration::from_millis(100);

/// Held while an update runs; released (and its pid file removed) on drop.
pub struct UpdateLock {
    _lock: DirectoryLock,
    pid_file: PathBuf,
}

impl Drop for UpdateLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.pid_file);
    }
}

/// Takes the update lock of the index at `dir` (creating the folder if needed). With `wait`,
/// waits for another indexer to finish; without, reports it as [`IndexError::Locked`].
pub fn lock(dir: &Path, wait: bool) -> Result<UpdateLock, IndexError> {
    let io = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source: e.into(),
    })?;
    let request = Lock {
        filepath: PathBuf::from(LOCK_FILE),
        is_blocking: false,
    };
    loop {
        match directory.acquire_lock(&request) {
            Ok(lock) => {
                let pid_file = dir.join(PID_FILE);
                fs::write(&pid_file, std::process::id().to_string()).map_err(io)?;
                return Ok(UpdateLock {
                    _lock: lock,
                    pid_file,
                });
            }
            Err(LockError::LockBusy) if wait => thread::sleep(RETRY),
            Err(LockError::LockBusy) => {
                let pid = fs::read_to_string(dir.join(PID_FILE))
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                return Err(IndexError::Locked {
                    path: dir.to_path_buf(),
                    pid,
                });
            }
            Err(LockError::IoError(e)) => {
                return Err(io(std::io::Error::new(e.kind(), e.to_string())));
            }
        }
    }
}
