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
    let mut add = |location: &Path| {
        let path = workspace.display_path(location);
        found.insert(
            path.clone(),
            Candidate {
                path,
                location: location.to_path_buf(),
            },
        );
    };
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            bail!("no such file or folder: {}", path.display());
        }
        let is_folder = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if !is_folder || check_inside(&workspace.root, path).is_err() {
            add(path);
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
                        add(at);
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
                    add(entry.path());
                }
                continue;
            }
            if !is_dir && is_okr_file_name(&name) {
                add(entry.path());
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
    if let Err((message, help)) = check_inside(&workspace.root, &candidate.location) {
        return unreadable(message, help);
    }
    match std::fs::metadata(&candidate.location) {
        Ok(m) if m.is_dir() => {
            return unreadable(
                "this is a folder, not a file".to_owned(),
                "rename the folder so its name does not end in .yaml",
            );
        }
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return unreadable(
                format!(
                    "the file is {:.1} MiB; OKR files are small, so okr does not read files over {} MiB",
                    m.len() as f64 / 1_048_576.0,
                    MAX_FILE_BYTES / 1_048_576
                ),
                "check that this is the file you meant; split a real OKR file by team and quarter",
            );
        }
        Ok(_) => {}
        Err(err) => {
            return unreadable(
                format!("cannot read the file: {err}"),
                "check its permissions",
            );
        }
    }
    match std::fs::read(&candidate.location) {
        Ok(bytes) => parse(&candidate.path, bytes),
        Err(err) => unreadable(
            format!("cannot read the file: {err}"),
            "check its permissions",
        ),
    }
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
