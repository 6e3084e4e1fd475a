//! Watching files on the client's side: a client that can register file watchers at run time (VS Code, Neovim,
//! Helix, LSP4IJ) is asked to report changes to `okr.toml` and to the OKR files, so a closed file changed by a
//! `git pull` is read again at once, not only when the next change in the editor rechecks its quarter; and to
//! git's `HEAD` and refs, so a commit, a checkout or a pull made outside the editor is noticed at once: the
//! change-policy warnings compare the editor's text with the files at `HEAD`, and hover shows the history up
//! to it. Once the client agrees to watch, the server trusts its reports about the OKR files and stops looking
//! for such changes itself at every edit (`Project::watch` in `lsp/world/disk.rs` says what that gives up); it
//! also asks to hear of each OKR folder deleted or moved, which a client may report alone, not each file in it.
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
    OneOf, Registration, RegistrationParams, RelativePattern, Url, WatchKind,
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

/// The pattern of the YAML files under `dir`, an OKR folder relative to its root; `None` for every YAML file.
fn pattern(dir: &str) -> Option<String> {
    let dir = dir.trim_matches('/');
    (!dir.is_empty() && dir != ".").then(|| format!("**/{dir}/**/*.{{yaml,yml}}"))
}

/// Whether the watchers registered for `dirs` report the changes to every OKR file under `dir`.
pub fn covers(dirs: &[String], dir: &str) -> bool {
    let wanted = pattern(dir);
    dirs.iter()
        .map(|d| pattern(d))
        .any(|p| p.is_none() || p == wanted)
}

/// The request that registers watchers for every `okr.toml`, for the YAML files under each of `dirs` (the OKR
/// folders, relative to their roots, `okrs` by default), for each of those folders deleted or moved (deletions
/// only), and for git's `HEAD` and refs: by [`GIT_PATTERNS`], and in each of `git` (empty for a client without
/// relative patterns) by patterns relative to it.
pub fn registration<'a>(dirs: impl IntoIterator<Item = &'a str>, git: &[RefFolders]) -> Request {
    let mut patterns = vec![("**/okr.toml".to_owned(), None)];
    let mut folders = Vec::new();
    for dir in dirs {
        let pattern = pattern(dir).unwrap_or_else(|| "**/*.{yaml,yml}".to_owned());
        if !patterns.iter().any(|(p, _)| *p == pattern) {
            patterns.push((pattern, None));
            // Folders deleted or moved: a client may report the folder and not each file in it.
            let dir = dir.trim_matches('/');
            folders.push(match dir {
                "" | "." => "**".to_owned(),
                dir => format!("**/{dir}/**"),
            });
        }
    }
    patterns.extend(folders.into_iter().map(|f| (f, Some(WatchKind::Delete))));
    patterns.extend(GIT_PATTERNS.map(|p| (p.to_owned(), None)));
    let mut watchers: Vec<FileSystemWatcher> = patterns
        .into_iter()
        .map(|(pattern, kind)| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern),
            kind,
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
                "**/okrs/**",
                "**/plans/q/**",
                "**/.git/HEAD",
                "**/.git/packed-refs",
                "**/.git/refs/**",
                "**/.git/worktrees/*/HEAD",
            ]
        );
        // The folders' watchers report deletions only (kind 4); the others every change.
        assert_eq!(watchers[3]["kind"], 4);
        assert_eq!(watchers[4]["kind"], 4);
        for i in [0, 1, 2, 5, 6, 7, 8] {
            assert!(watchers[i].get("kind").is_none_or(|k| k.is_null()));
        }
        let dirs = ["okrs".to_owned(), "plans/q/".to_owned()];
        assert!(covers(&dirs, "okrs/") && covers(&dirs, "plans/q"));
        assert!(!covers(&dirs, "plans"));
        assert!(covers(&[".".to_owned()], "anything"));
    }

    #[test]
    fn every_yaml_file_and_every_folder_for_an_okr_folder_at_the_root() {
        let request = registration(["."], &[]);
        let watchers = &request.params["registrations"][0]["registerOptions"]["watchers"];
        let patterns: Vec<(&str, Option<u64>)> = watchers
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w["globPattern"].as_str().unwrap(), w["kind"].as_u64()))
            .collect();
        assert_eq!(
            &patterns[..3],
            [
                ("**/okr.toml", None),
                ("**/*.{yaml,yml}", None),
                ("**", Some(4)),
            ]
        );
        assert_eq!(patterns.len(), 3 + GIT_PATTERNS.len());
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
        // After okr.toml, the OKR folder's files and the folder itself (deletions only), and git's patterns.
        let all = watchers.as_array().unwrap();
        assert_eq!(all.len(), 3 + GIT_PATTERNS.len() + 3);
        assert_eq!(all[2]["globPattern"], "**/okrs/**");
        assert_eq!(all[2]["kind"], 4);
        assert!(
            all[3..]
                .iter()
                .all(|w| w.get("kind").is_none_or(|k| k.is_null()))
        );
    }
}
