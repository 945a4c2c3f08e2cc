//! Files and directories private to the user: 0600 and 0700 whatever the umask.
//!
//! The log, the audit journal and saved log views can hold hostnames, account ids, commands
//! and log lines with secrets in them, so nobody else on a shared jump host may read them.
//! New ones are created with the private mode; an existing one is brought back to it (a
//! best effort: `chmod` fails, and is let be, on a file someone else owns).

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The mode of files opsdeck writes.
pub const FILE_MODE: u32 = 0o600;
/// The mode of directories opsdeck creates for its files.
pub const DIR_MODE: u32 = 0o700;

/// Create `dir` (and missing parents) with mode 0700, and set an existing `dir` to 0700.
/// Parents that already exist are not ours to change and are left as they are.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
    if mode != DIR_MODE
        && let Err(e) = std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))
    {
        tracing::info!("cannot make {} private: {e}", dir.display());
    }
    Ok(())
}

/// Open `path` for appending (and reading), creating it with mode 0600; an existing file
/// is set to 0600.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .mode(FILE_MODE)
        .open(path)?;
    make_private(&file, path);
    Ok(file)
}

/// Set an open file to mode 0600 unless it already is (best effort).
pub fn make_private(file: &File, path: &Path) {
    let Ok(meta) = file.metadata() else {
        return;
    };
    if meta.permissions().mode() & 0o777 != FILE_MODE
        && let Err(e) = file.set_permissions(Permissions::from_mode(FILE_MODE))
    {
        tracing::info!("cannot make {} private: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_and_existing_files_and_dirs_become_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("b");
        private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        std::fs::set_permissions(&dir, Permissions::from_mode(0o755)).unwrap();
        private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);

        let file = dir.join("f.log");
        std::fs::write(&file, "old\n").unwrap();
        std::fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
        drop(open_private_append(&file).unwrap());
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old\n");
        let new = dir.join("new.log");
        drop(open_private_append(&new).unwrap());
        assert_eq!(mode(&new), 0o600);
    }

    #[test]
    fn a_file_where_the_dir_should_be_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let blocker = tmp.path().join("blocker");
        std::fs::write(&blocker, "").unwrap();
        assert!(private_dir(&blocker.join("d")).is_err());
        assert!(open_private_append(tmp.path()).is_err());
    }
}
