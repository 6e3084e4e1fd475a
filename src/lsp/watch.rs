//! Watching files on the client's side: a client that can register file watchers at run time (VS Code, Neovim,
//! Helix, LSP4IJ) is asked to report changes to `okr.toml` and to the OKR files, so a closed file changed by a
//! `git pull` is read again at once, not only when the next change in the editor rechecks its quarter. Once the
//! client agrees, the server trusts its reports and stops looking for such changes itself at every edit
//! (`Project::watch` in `lsp/world.rs` says what that gives up).

use lsp_server::{Request, RequestId};
use lsp_types::{
    ClientCapabilities, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    Registration, RegistrationParams, WatchKind,
};

/// The id of okr's one registration request (okr sends no other request).
pub const REGISTRATION_ID: &str = "okr/watch";

/// Whether the client can register file watchers when asked.
pub fn supported(capabilities: &ClientCapabilities) -> bool {
    capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

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

/// The request that registers watchers for every `okr.toml` and for the YAML files under each of `dirs`
/// (the OKR folders, relative to their roots, `okrs` by default).
pub fn registration<'a>(dirs: impl IntoIterator<Item = &'a str>) -> Request {
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
    let watchers = patterns
        .into_iter()
        .map(|(pattern, kind)| FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern),
            kind,
        })
        .collect();
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
    fn watchers_cover_okr_toml_and_each_okr_folder_once() {
        let request = registration(["okrs", "plans/q/", "okrs"]);
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
                "**/plans/q/**"
            ]
        );
        // The folders' watchers report deletions only (kind 4).
        assert_eq!(watchers[3]["kind"], 4);
        assert!(watchers[1].get("kind").is_none_or(|k| k.is_null()));
        let dirs = ["okrs".to_owned(), "plans/q/".to_owned()];
        assert!(covers(&dirs, "okrs/") && covers(&dirs, "plans/q"));
        assert!(!covers(&dirs, "plans"));
        assert!(covers(&[".".to_owned()], "anything"));
    }
}
