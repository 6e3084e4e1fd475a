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
pub fn discover(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<Candidate>> {
    let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
    for path in paths {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(_) => bail!("no such file or folder: {}", path.display()),
        };
        if metadata.is_dir() {
            let walk = WalkDir::new(path).follow_links(false).sort_by_file_name();
            for entry in walk.into_iter().filter_entry(|e| !is_hidden(e.file_name())) {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => bail!("cannot read the folder {}: {err}", path.display()),
                };
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_dir() || !is_okr_file_name(&name) {
                    continue;
                }
                let location = entry.path().to_path_buf();
                found.insert(
                    workspace.display_path(&location),
                    Candidate {
                        path: workspace.display_path(&location),
                        location,
                    },
                );
            }
        } else {
            found.insert(
                workspace.display_path(path),
                Candidate {
                    path: workspace.display_path(path),
                    location: path.clone(),
                },
            );
        }
    }
    Ok(found.into_values().collect())
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
