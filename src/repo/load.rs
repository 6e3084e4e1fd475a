//! Files on disk → parsed OKR documents. The only module of validation that touches the filesystem.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use walkdir::WalkDir;

use crate::core::diagnostic::{Finding, Pos};
use crate::core::parse::{LoadedFile, is_okr_file_name, parse};
use crate::core::rules::codes;
use crate::repo::workspace::Workspace;

/// Files past this size are not OKR files; reading them whole would only cost memory and time.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A file found on disk, not yet read.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// As shown in output: relative to the repository root.
    pub path: String,
    pub location: PathBuf,
    /// Found by walking a folder known to be inside the repository, and not a link itself: it is inside
    /// too, and is opened without following a link, so it needs no path resolved (for ten thousand files,
    /// resolving each was a sixth of `okr validate`'s time, in `readlink` and `stat` calls).
    pub walked: bool,
}

/// Lists the OKR files under each path (a file is taken as it is, a folder is walked), sorted, without
/// repeats. A path that does not exist is an error: the user named something that is not there.
///
/// Symbolic links that stay inside the repository are followed, folders as files, as git's history is read
/// (`okrs` committed as a link to `data/okrs` is that folder). A link that leads out of the repository or
/// nowhere is not followed: it is listed as it is, so reading it reports it once, at its path, and nothing of
/// what is outside appears.
pub fn discover(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<Candidate>> {
    let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut add = |location: &Path, walked: bool| {
        let path = workspace.display_path(location);
        found.insert(
            path.clone(),
            Candidate {
                path,
                location: location.to_path_buf(),
                walked,
            },
        );
    };
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            bail!("no such file or folder: {}", path.display());
        }
        let is_folder = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if !is_folder || check_inside(&workspace.root, path).is_err() {
            add(path, false);
            continue;
        }
        let mut walk = WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(entry) => entry,
                // A link to a folder the walk is already in holds nothing it will not read anyway. A link
                // that leads nowhere is reported where it is, when it could be an OKR file.
                Err(err) => match err.path() {
                    Some(_) if err.loop_ancestor().is_some() => continue,
                    Some(at) if is_okr_file_name(&name_of(at)) => {
                        add(at, false);
                        continue;
                    }
                    Some(_) => continue,
                    None => bail!("cannot read the folder {}: {err}", path.display()),
                },
            };
            let is_dir = entry.file_type().is_dir();
            if is_hidden(entry.file_name()) {
                if is_dir {
                    walk.skip_current_dir();
                }
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            if entry.path_is_symlink() && check_inside(&workspace.root, entry.path()).is_err() {
                if is_dir {
                    walk.skip_current_dir();
                }
                if is_dir || is_okr_file_name(&name) {
                    add(entry.path(), false);
                }
                continue;
            }
            if !is_dir && is_okr_file_name(&name) {
                // Every folder the walk entered is inside (links out were skipped above), so a file in one
                // that is not a link is inside; a link to a file inside is resolved when read.
                add(entry.path(), !entry.path_is_symlink());
            }
        }
    }
    Ok(found.into_values().collect())
}

fn name_of(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name().unwrap_or_default().to_string_lossy()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// Reads and decodes one file. Never fails: what goes wrong becomes a finding on the file.
pub fn load(workspace: &Workspace, candidate: &Candidate) -> LoadedFile {
    let unreadable = |message: String, help: &str| LoadedFile {
        path: candidate.path.clone(),
        text: String::new(),
        okr: None,
        findings: vec![Finding::new(codes::UNREADABLE_FILE, Pos::START, message).with_help(help)],
    };
    if !candidate.walked
        && let Err((message, help)) = check_inside(&workspace.root, &candidate.location)
    {
        return unreadable(message, help);
    }
    let cannot_read = |err: std::io::Error| {
        unreadable(
            format!("cannot read the file: {err}"),
            "check its permissions",
        )
    };
    let mut file = match open(candidate) {
        Ok(file) => file,
        Err(err) => return cannot_read(err),
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => unreadable(
            "this is a folder, not a file".to_owned(),
            "rename the folder so its name does not end in .yaml",
        ),
        Ok(m) if m.len() > MAX_FILE_BYTES => unreadable(
            format!(
                "the file is {:.1} MiB; OKR files are small, so okr does not read files over {} MiB",
                m.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
            "check that this is the file you meant; split a real OKR file by team and quarter",
        ),
        Ok(m) => {
            let mut bytes = Vec::with_capacity(m.len() as usize + 1);
            // The size was checked on the open file: one that grows past the limit meanwhile is cut there.
            match std::io::Read::read_to_end(
                &mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1),
                &mut bytes,
            ) {
                Ok(_) => parse(&candidate.path, bytes),
                Err(err) => cannot_read(err),
            }
        }
        Err(err) => cannot_read(err),
    }
}

/// Opens a file to read: a walked one without following a link in its last step, in case it became one
/// since the walk saw it.
fn open(candidate: &Candidate) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if candidate.walked {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(&candidate.location)
}

/// A file is read only when it (through any symbolic links on the way) resolves to a file inside the
/// repository: a link out of the tree could expose any file on the machine running CI. The message says
/// which of the two it is, a file named outside the repository or a link leading out, since the fixes differ.
fn check_inside(root: &Path, location: &Path) -> Result<(), (String, &'static str)> {
    let is_link = std::fs::symlink_metadata(location).is_ok_and(|m| m.file_type().is_symlink());
    let target = match crate::repo::workspace::resolve(location) {
        Ok(target) => target,
        Err(_) if is_link => {
            return Err((
                "this symbolic link leads nowhere (a missing target or a loop of links)".to_owned(),
                "replace the link with the file, or remove it",
            ));
        }
        Err(err) => {
            return Err((
                format!("cannot read the file: {err}"),
                "check its permissions",
            ));
        }
    };
    if target.starts_with(root) {
        return Ok(());
    }
    if is_link {
        return Err((
            format!(
                "this symbolic link leads outside the repository (to {}); not read",
                target.display()
            ),
            "okr reads only files inside the repository; replace the link with the file",
        ));
    }
    if crate::repo::workspace::absolute(location).starts_with(root) {
        return Err((
            format!(
                "this path goes through a symbolic link to a folder outside the repository (to {}); not read",
                target.display()
            ),
            "okr reads only files inside the repository; replace the linked folder with the files",
        ));
    }
    Err((
        format!(
            "this file is outside the repository (which is {}); not read",
            root.display()
        ),
        "okr reads only the files of the repository it runs in: run it from the file's own repository \
         (`okr -C <that repository> validate <file>`), or move the file into this one",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_walked_file_replaced_by_a_link_out_of_the_repository_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "quarter: SECRET\n").unwrap();
        let repo = tempfile::tempdir().unwrap();
        std::fs::write(repo.path().join("okr.toml"), "").unwrap();
        let folder = repo.path().join("okrs/2026-Q3");
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("platform.yaml");
        std::fs::write(&file, "quarter: 2026-Q3\nteam: platform\nobjectives: []\n").unwrap();
        let workspace = Workspace::discover(repo.path()).unwrap();
        let found = discover(&workspace, &[workspace.okr_dir()]).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].walked, "a plain file found by the walk");
        assert!(load(&workspace, &found[0]).findings.is_empty());
        // Between the walk and the read, the file becomes a link out of the repository.
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.yaml"), &file).unwrap();
        let loaded = load(&workspace, &found[0]);
        assert!(loaded.text.is_empty() && loaded.okr.is_none());
        assert_eq!(loaded.findings[0].code, codes::UNREADABLE_FILE);
    }
}
