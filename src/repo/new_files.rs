//! New files written all or none, never over a file that exists: what `okr init` writes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::NamedTempFile;

/// Writes each of `files` that does not exist yet, and says for each whether it did (`false`: something is at
/// that path already, a file, a folder or a link, and is left as it was).
///
/// All the new files are written, or none: every one is first written whole to a temporary file in its own
/// folder, and only once all are ready are they linked into place, each without replacing anything (so a file
/// someone creates meanwhile is theirs, and stays). When anything fails, what this call created — files,
/// temporary files and folders — is removed again.
///
/// New files get the mode any new file gets, `0666` less the umask, like a file the user saves in an editor:
/// they are the repository's files, to be committed and read by others.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<Vec<bool>> {
    let mut undo = Undo::default();
    let mut ready = Vec::new();
    for (index, (path, content)) in files.iter().enumerate() {
        if std::fs::symlink_metadata(path).is_err() {
            ready.push((index, prepare(path, content, &mut undo)?));
        }
    }
    let mut created = vec![false; files.len()];
    for (index, temp) in ready {
        let path = &files[index].0;
        match temp.persist_noclobber(path) {
            Ok(_) => {
                undo.files.push(path.clone());
                created[index] = true;
            }
            // Someone created it between our look and now: theirs stays, and is not ours to remove.
            Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(err.error).with_context(|| format!("cannot create {}", path.display()));
            }
        }
    }
    undo.keep();
    Ok(created)
}

/// The content of `path`, written whole to a temporary file beside it, creating the folders it needs.
fn prepare(path: &Path, content: &str, undo: &mut Undo) -> Result<NamedTempFile> {
    let folder = path.parent().unwrap_or(Path::new("."));
    create_folders(folder, &mut undo.folders)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".okr-init-");
    // tempfile's default is 0600; asked for 0666, the system takes the umask off as for any new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.write_all(content.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(temp)
}

/// Creates `folder` and its missing parents one by one, noting each it created, so that a failure can take
/// away exactly those and no folder that was there before.
fn create_folders(folder: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let missing: Vec<&Path> = folder
        .ancestors()
        .take_while(|f| std::fs::symlink_metadata(f).is_err())
        .collect();
    if let Some(existing) = folder.ancestors().nth(missing.len())
        && !existing.is_dir()
    {
        bail!(
            "cannot create the folder {}: {} is in the way, and is not a folder; move it elsewhere, then run \
             `okr init` again",
            folder.display(),
            existing.display()
        );
    }
    for folder in missing.into_iter().rev() {
        match std::fs::create_dir(folder) {
            Ok(()) => created.push(folder.to_path_buf()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => {}
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot create the folder {}", folder.display()));
            }
        }
    }
    Ok(())
}

/// What a run created so far; dropped before the run ends, it removes all of it, newest first. The temporary
/// files remove themselves when dropped, which happens before this is (they are created after it).
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Undo {
    /// The run succeeded: what it created stays.
    fn keep(&mut self) {
        self.files.clear();
        self.folders.clear();
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        // Only an empty folder is removed: whatever someone put in one meanwhile stays, and so does it.
        for folder in self.folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> Vec<String> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().path().display().to_string())
            .collect()
    }

    #[test]
    fn a_file_that_cannot_be_written_takes_back_every_file_and_folder_the_call_created() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("blocker"), "a file where a folder must go").unwrap();
        let before = tree(dir.path());
        let files = [
            (dir.path().join("a.txt"), "a".to_owned()),
            (dir.path().join("new/deep/b.txt"), "b".to_owned()),
            (dir.path().join("blocker/c.txt"), "c".to_owned()),
        ];
        let err = write_all(&files).unwrap_err();
        assert!(format!("{err:#}").contains("is in the way"), "{err:#}");
        assert_eq!(tree(dir.path()), before);
    }

    #[test]
    fn what_exists_is_kept_and_only_the_rest_is_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "mine").unwrap();
        let files = [
            (dir.path().join("a.txt"), "a".to_owned()),
            (dir.path().join("b/b.txt"), "b".to_owned()),
        ];
        assert_eq!(write_all(&files).unwrap(), [false, true]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b/b.txt")).unwrap(),
            "b"
        );
    }
}
