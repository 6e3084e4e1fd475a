//! Where a repository's OKRs are: the root (found by walking up from the current folder, like cargo and
//! git do) and its configuration.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::core::calendar::Planning;
use crate::core::policy::Policy;
use crate::repo::config::{self, Config};

#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root: the nearest folder holding `okr.toml`, else the git work tree's top, else the
    /// starting folder.
    pub root: PathBuf,
    pub config: Config,
    /// The `okr.toml` that was read, if any.
    pub config_path: Option<PathBuf>,
}

impl Workspace {
    /// Finds the workspace containing `start`. A broken `okr.toml` is an error, not something to skip.
    pub fn discover(start: &Path) -> Result<Workspace> {
        let start = start
            .canonicalize()
            .with_context(|| format!("cannot open the folder {}", start.display()))?;
        for dir in start.ancestors() {
            let candidate = dir.join(config::FILE_NAME);
            if candidate.is_file() {
                return Ok(Workspace {
                    root: dir.to_path_buf(),
                    config: Config::load(&candidate)?,
                    config_path: Some(candidate),
                });
            }
            // Never look for configuration above the repository that holds us.
            if dir.join(".git").exists() {
                return Ok(Workspace::unconfigured(dir));
            }
        }
        Ok(Workspace::unconfigured(&start))
    }

    fn unconfigured(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            config: Config::default(),
            config_path: None,
        }
    }

    /// When each quarter's planning ends, as this repository counts quarters.
    pub fn planning(&self) -> Planning {
        self.config.planning()
    }

    /// The change policy as this repository configured it.
    pub fn policy(&self) -> Policy<'_> {
        self.config.policy()
    }

    /// The folder of OKR files.
    pub fn okr_dir(&self) -> PathBuf {
        self.root.join(&self.config.dir)
    }

    /// How a path is shown in output: relative to the root with `/` separators, or as given when it lies
    /// outside the root.
    pub fn display_path(&self, path: &Path) -> String {
        let absolute = absolute(path);
        match absolute.strip_prefix(&self.root) {
            Ok(relative) => slash_path(relative),
            Err(_) => path.display().to_string(),
        }
    }
}

/// Where `path` leads once every symbolic link on its way is followed: its nearest existing part resolved as
/// [`Path::canonicalize`] does, with the rest joined on as written (what does not exist yet holds no link).
/// This is okr's one test of "inside the repository", for the files it reads ([`crate::repo::load`]) and the
/// files `okr init` creates: the resolved path starts with the root, itself resolved by
/// [`Workspace::discover`]. Fails on a link that leads nowhere (a missing target or a loop of links).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    Ok(resolved)
}

/// A path made absolute without touching the filesystem (symlinks stay as they are).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_path_yet_to_be_created_resolves_through_the_links_on_its_way() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("real")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).unwrap();
        assert_eq!(
            resolve(&root.join("link/new/../file.yaml")).unwrap(),
            root.join("real/file.yaml")
        );
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        assert!(resolve(&root.join("dangling/file.yaml")).is_err());
    }
}
