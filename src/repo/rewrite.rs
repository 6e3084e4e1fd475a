//! Existing files given new content, whole or not at all: what `okr checkin` writes.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Replaces the content of the file at `path` with `content`, if it still holds `before` (what okr read and
/// edited): a file saved by someone else meanwhile is theirs, and is left alone with an error.
///
/// The new content goes to a temporary file in the same folder, given the old file's permissions before any
/// text is in it, and is renamed over the old one, so a reader sees the old file or the new one, never half
/// of either. A symbolic link is followed: the file it leads to is replaced and the link stays a link.
pub fn rewrite(path: &Path, before: &[u8], content: &[u8]) -> Result<()> {
    let target = path
        .canonicalize()
        .with_context(|| format!("cannot open {}", path.display()))?;
    let permissions = std::fs::metadata(&target)
        .with_context(|| format!("cannot open {}", path.display()))?
        .permissions();
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".okr-checkin-")
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.as_file()
        .set_permissions(permissions)
        .and_then(|()| temp.write_all(content))
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let now = std::fs::read(&target).with_context(|| format!("cannot read {}", path.display()))?;
    if now != before {
        bail!(
            "{} changed while okr was editing it; nothing was written, run the check-in again",
            path.display()
        );
    }
    temp.persist(&target)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_file_keeps_its_mode_and_no_temporary_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        rewrite(&path, b"old", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_changed_meanwhile_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "theirs").unwrap();
        let err = rewrite(&path, b"old", b"new").unwrap_err();
        assert!(err.to_string().contains("changed while okr"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
