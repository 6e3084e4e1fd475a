//! Where okr keeps what it may reuse between runs, whether it may, and the key that proves okr itself wrote
//! what it finds there.
//!
//! A cache may make okr faster, never different. Its files live in a folder other people or jobs can write to
//! (a shared `OKR_CACHE_DIR`, a CI cache a pull request fills), and what they claim (the tree of a folder at
//! a commit) cannot be checked without the very reads the cache saves. So each file is signed with a key only
//! this user has, kept apart from the cache folder; a file without a valid signature is not read. In CI, where
//! the job's code (a pull request) runs as the same user and could read that key, the cache is off unless
//! `OKR_CACHE=on` asks for it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What the environment says about the cache: where it goes and where its key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// The cache folder; always absolute.
    pub dir: PathBuf,
    /// The file holding this user's signing key; always absolute, and apart from `dir`, which others may
    /// share.
    pub key_file: PathBuf,
}

/// The environment variables the cache depends on, read once (so the decision can be tested without
/// changing the process's environment).
#[derive(Debug, Clone, Default)]
pub struct CacheEnvironment {
    /// `OKR_CACHE`: `off`/`0`/`false`/`no` turn the cache off; `on`/`1`/`true`/`yes` turn it on in CI too.
    pub switch: Option<String>,
    /// `OKR_CACHE_DIR`.
    pub dir: Option<PathBuf>,
    /// `CI`, set by every common CI service.
    pub ci: Option<String>,
    /// The user's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, …).
    pub user_cache: Option<PathBuf>,
    /// The user's state folder (`$XDG_STATE_HOME`, `~/.local/state`, …), where the key goes.
    pub user_state: Option<PathBuf>,
}

impl CacheEnvironment {
    /// The process's environment.
    pub fn current() -> CacheEnvironment {
        let text = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        CacheEnvironment {
            switch: text("OKR_CACHE"),
            dir: std::env::var_os("OKR_CACHE_DIR")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
            ci: text("CI"),
            user_cache: dirs::cache_dir(),
            user_state: dirs::state_dir().or_else(dirs::data_local_dir),
        }
    }
}

impl CacheConfig {
    /// The cache this process may use: [`decide`](Self::decide) from its environment and the folder it was
    /// started in (no cache when that folder is gone). One place, so the CLI and the language server agree.
    pub fn of_process() -> Option<CacheConfig> {
        let start = std::env::current_dir().ok()?;
        CacheConfig::decide(&CacheEnvironment::current(), &start)
    }

    /// The cache okr may use, given `env` and the folder okr was started in (`start`, which a relative
    /// `OKR_CACHE_DIR` is taken from); `None` when it is off.
    ///
    /// User folders that are not absolute (a relative `HOME`) are no folders: taken from wherever okr runs,
    /// they would land inside the user's repository.
    pub fn decide(env: &CacheEnvironment, start: &Path) -> Option<CacheConfig> {
        let switch = env.switch.as_deref().map(str::trim).unwrap_or_default();
        let off = matches!(switch, "off" | "0" | "false" | "no");
        let forced_on = matches!(switch, "on" | "1" | "true" | "yes");
        let in_ci = env
            .ci
            .as_deref()
            .is_some_and(|ci| !matches!(ci.trim(), "" | "0" | "false"));
        if off || (in_ci && !forced_on) {
            return None;
        }
        let absolute = |dir: &Option<PathBuf>| dir.clone().filter(|d| d.is_absolute());
        let dir = match &env.dir {
            Some(dir) => start.join(dir),
            None => absolute(&env.user_cache)?.join("okr"),
        };
        let key_file = absolute(&env.user_state)?.join("okr").join("cache-key");
        Some(CacheConfig { dir, key_file })
    }

    /// The path of the cache folder or key file that lies inside `root` (a repository's work tree or git
    /// folder), if one does: okr writes nothing there.
    pub fn inside(&self, root: &Path) -> Option<&Path> {
        let root = root.canonicalize().ok()?;
        [self.dir.as_path(), self.key_file.as_path()]
            .into_iter()
            .find(|path| resolved(path).starts_with(&root))
    }
}

/// `path` with its existing part resolved (symbolic links, `..`): where it would really be created.
fn resolved(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = existing.canonicalize() {
            return missing
                .iter()
                .rev()
                .fold(real, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// This user's key for signing cache files: 32 random bytes in a file only the user can read.
#[derive(Clone)]
pub struct CacheKey([u8; 32]);

impl CacheKey {
    /// The key in `file`, made there first when there is none, or when the one there could have been read
    /// by others (then every cache file it signed is in doubt, and a new key makes them all unread).
    pub fn load_or_create(file: &Path) -> std::io::Result<CacheKey> {
        if let Some(key) = read_private_key(file) {
            return Ok(key);
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(std::io::Error::other)?;
        let dir = file
            .parent()
            .ok_or_else(|| std::io::Error::other("the key file has no folder"))?;
        std::fs::create_dir_all(dir)?;
        // A temporary file is created readable by its owner alone, and renamed whole into place.
        let mut temporary = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
        temporary.write_all(&key)?;
        temporary.persist(file).map_err(|failed| failed.error)?;
        Ok(CacheKey(key))
    }

    /// A key from its bytes (tests, fuzzing).
    pub fn from_bytes(bytes: [u8; 32]) -> CacheKey {
        CacheKey(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// The key in `file` if it is a regular file of 32 bytes that only its owner can read or write.
fn read_private_key(file: &Path) -> Option<CacheKey> {
    let metadata = std::fs::symlink_metadata(file).ok()?;
    if !metadata.file_type().is_file() || metadata.len() != 32 {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let bytes = std::fs::read(file).ok()?;
    Some(CacheKey(bytes.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> CacheEnvironment {
        CacheEnvironment {
            switch: None,
            dir: None,
            ci: None,
            user_cache: Some(PathBuf::from("/home/lee/.cache")),
            user_state: Some(PathBuf::from("/home/lee/.local/state")),
        }
    }

    fn decide(env: &CacheEnvironment) -> Option<CacheConfig> {
        CacheConfig::decide(env, Path::new("/work/started-here"))
    }

    #[test]
    fn by_default_the_cache_is_in_the_users_cache_folder_and_the_key_in_the_state_folder() {
        assert_eq!(
            decide(&env()),
            Some(CacheConfig {
                dir: PathBuf::from("/home/lee/.cache/okr"),
                key_file: PathBuf::from("/home/lee/.local/state/okr/cache-key"),
            })
        );
    }

    #[test]
    fn okr_cache_off_turns_it_off() {
        for off in ["off", "0", "false", "no"] {
            let env = CacheEnvironment {
                switch: Some(off.into()),
                ..env()
            };
            assert_eq!(decide(&env), None, "{off}");
        }
    }

    #[test]
    fn in_ci_the_cache_is_off_unless_asked_for() {
        let ci = CacheEnvironment {
            ci: Some("true".into()),
            ..env()
        };
        assert_eq!(decide(&ci), None);
        let asked = CacheEnvironment {
            switch: Some("on".into()),
            ..ci.clone()
        };
        assert!(decide(&asked).is_some());
        let not_ci = CacheEnvironment {
            ci: Some("false".into()),
            ..env()
        };
        assert!(decide(&not_ci).is_some());
    }

    #[test]
    fn a_relative_okr_cache_dir_is_taken_from_where_okr_started() {
        let env = CacheEnvironment {
            dir: Some(PathBuf::from("cache")),
            ..env()
        };
        assert_eq!(
            decide(&env).unwrap().dir,
            PathBuf::from("/work/started-here/cache")
        );
    }

    #[test]
    fn a_relative_home_gives_no_cache_rather_than_one_wherever_okr_runs() {
        let relative_cache = CacheEnvironment {
            user_cache: Some(PathBuf::from("./.cache")),
            ..env()
        };
        assert_eq!(decide(&relative_cache), None);
        let relative_state = CacheEnvironment {
            user_state: Some(PathBuf::from(".local/state")),
            ..env()
        };
        assert_eq!(decide(&relative_state), None);
    }

    #[test]
    fn a_cache_folder_inside_a_repository_is_found_even_before_it_exists() {
        let repository = tempfile::tempdir().unwrap();
        let config = CacheConfig {
            dir: repository.path().join("sub/../.cache/okr"),
            key_file: PathBuf::from("/elsewhere/okr/cache-key"),
        };
        assert_eq!(config.inside(repository.path()), Some(config.dir.as_path()));
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(config.inside(outside.path()), None);
    }

    #[test]
    fn a_key_is_made_once_readable_by_its_owner_alone_and_then_reused() {
        let state = tempfile::tempdir().unwrap();
        let file = state.path().join("okr/cache-key");
        let first = CacheKey::load_or_create(&file).unwrap();
        let again = CacheKey::load_or_create(&file).unwrap();
        assert_eq!(first.as_bytes(), again.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            // A key others could have read is replaced.
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            let replaced = CacheKey::load_or_create(&file).unwrap();
            assert_ne!(replaced.as_bytes(), first.as_bytes());
        }
    }
}
