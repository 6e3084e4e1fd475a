//! Watching files on the client's side: a client that can register file watchers at run time (VS Code, Neovim,
//! Helix, LSP4IJ) is asked to report changes to `okr.toml` and to the OKR files, so a closed file changed by a
//! `git pull` is read again at once, not only when the next change in the editor rechecks its quarter; and to
//! git's `HEAD` and refs, so a commit, a checkout or a pull made outside the editor is noticed at once: the
//! change-policy warnings compare the editor's text with the files at `HEAD`, and hover shows the history up
//! to it.
//!
//! Git's files are watched by patterns any client understands (`**/.git/HEAD`, `**/.git/refs/**`,
//! `**/.git/packed-refs`, and `**/.git/worktrees/*/HEAD`), which match where the repository's `.git` folder is
//! inside the folder the editor opened. A linked worktree (`.git` is a file there) keeps its `HEAD`, and a
//! workspace below the top of its repository its whole `.git`, outside that folder: for a client that takes
//! patterns relative to a folder of their own (LSP 3.17's `RelativePattern`), each repository's own `HEAD`
//! and refs are watched where git keeps them too. Which file it was matters not: any change the client
//! reports makes the server ask git where `HEAD` is, a ref read per workspace.

use std::path::PathBuf;

use lsp_server::{Request, RequestId};
use lsp_types::{
    ClientCapabilities, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    OneOf, Registration, RegistrationParams, RelativePattern, Url,
};

/// The id of okr's one registration request (okr sends no other request).
pub const REGISTRATION_ID: &str = "okr/watch";

/// What the client can watch when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Nothing: it cannot register watchers at run time.
    None,
    /// Glob patterns, matched within the folders it opened.
    Globs,
    /// Also patterns relative to a folder of their own, anywhere.
    RelativePatterns,
}

/// What the client can watch when asked.
pub fn supported(capabilities: &ClientCapabilities) -> Support {
    let watched = capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files);
    match watched {
        Some(w) if w.dynamic_registration == Some(true) => {
            if w.relative_pattern_support == Some(true) {
                Support::RelativePatterns
            } else {
                Support::Globs
            }
        }
        _ => Support::None,
    }
}

/// Where git keeps one repository's `HEAD` (a linked worktree's own folder) and its refs (the main
/// repository's folder), as [`crate::repo::git::Git::ref_folders`] says.
pub struct RefFolders {
    pub head: PathBuf,
    pub refs: PathBuf,
}

/// Watched relative to the `.git` folder of a repository the client opened, wherever it is inside it.
const GIT_PATTERNS: [&str; 4] = [
    "**/.git/HEAD",
    "**/.git/packed-refs",
    "**/.git/refs/**",
    "**/.git/worktrees/*/HEAD",
];

/// The request that registers watchers for every `okr.toml`, for the YAML files under each of `dirs` (the OKR
/// folders, relative to their roots, `okrs` by default), and for git's `HEAD` and refs: by [`GIT_PATTERNS`],
/// and in each of `git` (empty for a client without relative patterns) by patterns relative to it.
pub fn registration<'a>(dirs: impl IntoIterator<Item = &'a str>, git: &[RefFolders]) -> Request {
    let mut patterns = vec!["**/okr.toml".to_owned()];
    for dir in dirs {
        let dir = dir.trim_matches('/');
        let pattern = if dir.is_empty() || dir == "." {
            "**/*.{yaml,yml}".to_owned()
        } else {
            format!("**/{dir}/**/*.{{yaml,yml}}")
        };
        if !patterns.contains(&pattern) {
            patterns.push(pattern);
        }
    }
    patterns.extend(GIT_PATTERNS.map(str::to_owned));
    let mut watchers: Vec<FileSystemWatcher> = patterns
        .into_iter()
        .map(|pattern| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern),
            kind: None,
        })
        .collect();
    let relative = |folder: &PathBuf, pattern: &str| {
        let base = Url::from_directory_path(folder).ok()?;
        Some(FileSystemWatcher {
            glob_pattern: GlobPattern::Relative(RelativePattern {
                base_uri: OneOf::Right(base),
                pattern: pattern.to_owned(),
            }),
            kind: None,
        })
    };
    for folders in git {
        let wanted = [
            (&folders.head, "HEAD"),
            (&folders.refs, "packed-refs"),
            (&folders.refs, "refs/**"),
        ];
        for (folder, pattern) in wanted {
            if let Some(watcher) = relative(folder, pattern)
                && !watchers.contains(&watcher)
            {
                watchers.push(watcher);
            }
        }
    }
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: REGISTRATION_ID.to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    Request::new(
        RequestId::from(REGISTRATION_ID.to_owned()),
        "client/registerCapability".to_owned(),
        params,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchers_cover_okr_toml_each_okr_folder_once_and_git_s_refs() {
        let request = registration(["okrs", "plans/q/", "okrs"], &[]);
        let watchers = &request.params["registrations"][0]["registerOptions"]["watchers"];
        let patterns: Vec<&str> = watchers
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["globPattern"].as_str().unwrap())
            .collect();
        assert_eq!(
            patterns,
            [
                "**/okr.toml",
                "**/okrs/**/*.{yaml,yml}",
                "**/plans/q/**/*.{yaml,yml}",
                "**/.git/HEAD",
                "**/.git/packed-refs",
                "**/.git/refs/**",
                "**/.git/worktrees/*/HEAD",
            ]
        );
    }

    #[test]
    #[cfg(unix)] // paths as a Unix system writes them
    fn a_worktree_s_head_and_its_repository_s_refs_are_watched_where_git_keeps_them() {
        let folders = RefFolders {
            head: PathBuf::from("/src/main/.git/worktrees/topic"),
            refs: PathBuf::from("/src/main/.git"),
        };
        let request = registration(["okrs"], &[folders]);
        let watchers = &request.params["registrations"][0]["registerOptions"]["watchers"];
        let relative: Vec<(&str, &str)> = watchers
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| {
                let pattern = &w["globPattern"];
                Some((pattern["baseUri"].as_str()?, pattern["pattern"].as_str()?))
            })
            .collect();
        assert_eq!(
            relative,
            [
                ("file:///src/main/.git/worktrees/topic/", "HEAD"),
                ("file:///src/main/.git/", "packed-refs"),
                ("file:///src/main/.git/", "refs/**"),
            ]
        );
    }
}
