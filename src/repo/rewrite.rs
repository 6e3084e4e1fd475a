//! Files given new content, whole or not at all: what `okr checkin` and `--output` write.
//!
//! One policy for both ([`replace_whole`]): a temporary file beside the target, given the target's
//! permissions before any byte is in it, on disk before it is renamed over the target; a symbolic link
//! followed, so the file it leads to is replaced and the link stays a link; a file with more than one name
//! (a hard link) written in place, so every name keeps showing the same file. `--output` also makes new
//! files; a check-in only replaces files okr has read ([`rewrite`]), so it also refuses a read-only file and
//! one changed since okr read it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Refuses a file the user has marked read-only: replacing it would change what they said not to change.
/// `again` says how to try again, for the help line (`check in again`): each command that writes says it
/// in its own words.
pub fn require_writable(path: &Path, again: &str) -> Result<()> {
    let (_, metadata) = resolve(path)?;
    if metadata.permissions().readonly() {
        bail!(
            "{} is read-only, so okr leaves it as it is and writes nothing\nhelp: make it writable \
             (`chmod u+w`) if okr is to change it, then {again}",
            path.display()
        );
    }
    Ok(())
}

/// Replaces the content of the file at `path` with `content`, if it still holds `before` (what okr read and
/// edited): a file saved by someone else meanwhile is theirs, and is left alone with an error. `again`, as
/// for [`require_writable`], is the help line's way to try again.
///
/// A reader sees the old file or the new one, never half of either, except for a hard link, which is
/// written in place (see the module's documentation).
pub fn rewrite(path: &Path, before: &[u8], content: &[u8], again: &str) -> Result<()> {
    require_writable(path, again)?;
    let (target, metadata) = resolve(path)?;
    let unchanged = || -> Result<()> {
        let now =
            std::fs::read(&target).with_context(|| format!("cannot read {}", path.display()))?;
        if now != before {
            bail!(
                "{} changed while okr was editing it, so nothing was written\nhelp: {again}",
                path.display()
            );
        }
        Ok(())
    };
    if links(&metadata) > 1 {
        unchanged()?;
        return std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&target)
            .and_then(|mut file| file.write_all(content).and_then(|()| file.sync_all()))
            .with_context(|| format!("cannot write {}", path.display()));
    }
    replace_whole(
        &target,
        path,
        Some(metadata.permissions()),
        |out| out.write_all(content),
        unchanged,
    )
}

/// Writes `target` whole or not at all: `write` fills a temporary file in the same folder, given `permissions`
/// (none: a new file's, `0666` less the umask) before any byte is in it, so a private file is never readable
/// by others, not even briefly; the file is on disk, and `ready` has said yes (the target is still as okr
/// read it, say), before it is renamed over `target`. `shown` is the path the user named, for errors. Shared
/// by `okr checkin` and `--output`.
pub fn replace_whole(
    target: &Path,
    shown: &Path,
    permissions: Option<std::fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ready: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".okr-");
    // tempfile's default is 0600; asked for 0666, the system takes the umask off, as for any new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    if let Some(permissions) = permissions {
        temp.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("cannot write {}", shown.display()))?;
    }
    // Written through a buffer: a streamed page arrives in many small pieces.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, temp.as_file_mut());
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", shown.display()))?;
    drop(out);
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", shown.display()))?;
    ready()?;
    temp.persist(target)
        .with_context(|| format!("cannot write {}", shown.display()))?;
    Ok(())
}

/// The file `path` names, through any symbolic link, and its metadata.
fn resolve(path: &Path) -> Result<(PathBuf, std::fs::Metadata)> {
    let target = path
        .canonicalize()
        .with_context(|| format!("cannot open {}", path.display()))?;
    let metadata =
        std::fs::metadata(&target).with_context(|| format!("cannot open {}", path.display()))?;
    Ok((target, metadata))
}

/// How many names the file has; always 1 where the platform does not say.
pub fn links(metadata: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(metadata)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        1
    }
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
        rewrite(&path, b"old", b"new", "try again").unwrap();
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
        let err = rewrite(&path, b"old", b"new", "try again").unwrap_err();
        assert!(err.to_string().contains("changed while okr"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_left_as_it_is() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = rewrite(&path, b"old", b"new", "try again").unwrap_err();
        assert!(err.to_string().contains("is read-only"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_linked_file_is_written_in_place_so_every_name_shows_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        std::fs::hard_link(&path, dir.path().join("b.yaml")).unwrap();
        rewrite(&path, b"old", b"new", "try again").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
