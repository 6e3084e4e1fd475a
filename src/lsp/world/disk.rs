//! What is on disk: each file stamped as it was read, looked at again before its quarter is checked (once per
//! quarter when the editor watches the files for the server) and read again when it changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{File, Project};
use crate::core::model::Quarter;
use crate::core::parse::is_okr_file_name;
use crate::repo::load::{self, Candidate};

/// When a file on disk was last modified and how long it was: when either differs, it changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    pub(super) fn of(location: &Path) -> Option<Stamp> {
        Some(Stamp::of_metadata(&std::fs::metadata(location).ok()?))
    }

    /// The stamp of a file found by listing its folder: read relative to the folder, as [`Stamp::of`] reads
    /// it (through a link, what the link leads to).
    fn of_entry(entry: &std::fs::DirEntry) -> Option<Stamp> {
        match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => Some(Stamp::of_metadata(&entry.metadata().ok()?)),
            _ => Stamp::of(&entry.path()),
        }
    }

    fn of_metadata(metadata: &std::fs::Metadata) -> Stamp {
        Stamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        }
    }
}

/// Whether the editor watches a workspace's OKR files for the server ([`Project::watch`]).
pub(super) enum Watch {
    /// It does not: before the files of a quarter are checked again, those changed on disk are looked for.
    Off,
    /// It does, and reports each change (`workspace/didChangeWatchedFiles`), so they are looked for once per
    /// quarter only: for what changed before the watch began, or since [`Project::restamp`].
    On { stamped: HashSet<Quarter> },
}

impl Project {
    /// The file at `path` as it is on disk; `None` when there is none.
    pub(super) fn read(&self, path: &str) -> Option<File> {
        let location = self.workspace.root.join(path);
        let stamp = Stamp::of(&location);
        location.is_file().then(|| {
            let candidate = Candidate {
                path: path.to_owned(),
                location,
                walked: false,
            };
            let mut file = File::new(load::load(&self.workspace, &candidate));
            file.stamp = stamp;
            file
        })
    }

    /// The editor watches this workspace's OKR files and reports their changes on disk: from now on, each
    /// quarter's files are looked at on disk once more (for what changed before the watch began) and then only
    /// as the editor reports them. A quarter of 10,000 files took 10,000 `stat`s at every keystroke.
    ///
    /// What this gives up: a change the editor does not report (a watch the system could not set up, events it
    /// dropped, a folder its settings exclude, a file reached through a link to outside the folder watched) is
    /// seen only when the file is reported later, or at [`Project::restamp`] (a file opened or saved, a folder
    /// reported deleted, whose files a client may not report one by one); and one it reports late (editors
    /// gather events for a moment) is seen late, so an edit made just after a `git pull` may be checked against
    /// the files as they were until the editor's report comes and the files that changed are checked again.
    pub fn watch(&mut self) {
        if matches!(self.watch, Watch::Off) {
            self.watch = Watch::On {
                stamped: HashSet::new(),
            };
        }
    }

    /// Whether [`Project::watch`] was called for this workspace (since its `okr.toml` moved its OKR folder).
    pub fn watched(&self) -> bool {
        matches!(self.watch, Watch::On { .. })
    }

    /// Looks at the files on disk once more before each quarter is checked again, though the editor watches
    /// them: the server does so when a file is opened or saved, so a change the editor failed to report is not
    /// missed for long.
    pub fn restamp(&mut self) {
        if let Watch::On { stamped } = &mut self.watch {
            stamped.clear();
        }
    }

    /// Reads again the closed files of `quarters` that changed on disk since they were read (a `git pull`, a
    /// branch switch, `okr checkin`), drops those that are gone, and reads the new ones in their folders.
    /// Cheap, but not free: one listing per folder and one `stat` per file, so skipped for a quarter looked at
    /// since the editor began watching ([`Project::watch`]). Returns the quarters of the files that changed.
    pub(super) fn refresh(&mut self, quarters: &BTreeSet<Quarter>) -> BTreeSet<Quarter> {
        let quarters: BTreeSet<Quarter> = match &mut self.watch {
            Watch::Off => quarters.clone(),
            Watch::On { stamped } => quarters
                .iter()
                .filter(|q| stamped.insert(**q))
                .copied()
                .collect(),
        };
        if quarters.is_empty() {
            return BTreeSet::new();
        }
        let quarters = &quarters;
        let okr_dir = self.workspace.okr_dir();
        let held = || {
            quarters
                .iter()
                .flat_map(|q| self.by_quarter.get(q).into_iter().flatten())
        };
        // Folders by name: a quarter of 10,000 files has one folder, and comparing 10,000 paths component by
        // component was most of the time an edit took.
        let held_folders: HashSet<&str> = held()
            .filter_map(|p| p.rsplit_once('/').map(|(folder, _)| folder))
            .collect();
        let mut folders: BTreeSet<PathBuf> = quarters
            .iter()
            .map(|q| okr_dir.join(q.to_string()))
            .collect();
        folders.extend(
            held_folders
                .into_iter()
                .map(|f| self.workspace.root.join(f)),
        );
        // Each OKR file listed, stamped through its folder's listing rather than by a walk of its whole path.
        let mut listed: HashMap<String, Option<Stamp>> = HashMap::new();
        for folder in folders {
            let Some(prefix) = self
                .relative(&folder.join("_.yaml"))
                .and_then(|p| p.strip_suffix("/_.yaml").map(str::to_owned))
            else {
                continue;
            };
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(name) = name.to_str() else {
                    continue;
                };
                if is_okr_file_name(name) && !name.starts_with('.') {
                    listed.insert(format!("{prefix}/{name}"), Stamp::of_entry(&entry));
                }
            }
        }
        // Files held but not listed: gone, or in a folder that cannot be listed.
        let unlisted: Vec<String> = held()
            .filter(|p| !listed.contains_key(*p))
            .cloned()
            .collect();
        let paths = listed
            .into_iter()
            .map(|(path, stamp)| (path, Some(stamp)))
            .chain(unlisted.into_iter().map(|path| (path, None)));
        let mut touched = BTreeSet::new();
        for (path, listed) in paths {
            let held = self.files.get(&path);
            if held.is_some_and(|f| f.open.is_some()) {
                continue;
            }
            let now = listed.unwrap_or_else(|| Stamp::of(&self.workspace.root.join(&path)));
            if held.and_then(|f| f.stamp) == now {
                continue;
            }
            if let Some(old) = self.files.remove(&path) {
                self.unindex(&path, &old);
                self.cross.remove(&path);
                touched.extend(old.quarters);
            }
            if let Some(file) = self.read(&path) {
                self.index(&path, &file);
                touched.extend(file.quarters.iter().copied());
                self.files.insert(path, file);
            }
        }
        touched
    }
}
