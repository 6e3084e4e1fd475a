//! What the server knows: each okr workspace the editor works in, every OKR file of it as last read (from
//! disk, or the editor's unsaved text while the file is open), and the findings of each.
//!
//! Findings are kept per file: those of reading it and of the one-file rules, recomputed when it changes, and
//! those of the cross-file rules, recomputed for the files that share a quarter with the changed one (see
//! [`rules::quarters_compared`]): other quarters are never looked at again. Before those are checked again, the
//! closed files of their quarters that changed on disk (by modification time or length) are read again, those
//! gone are dropped and new ones read, so a `git pull` or a branch switch is seen; with an editor that watches
//! the files for the server, its reports are trusted instead (`disk.rs`). What the checks need of every file is
//! kept as files change: the files of each quarter and of each team, and the names `aligns_to` can give
//! ([`rules::Targets`]). Nothing here writes a file.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::diagnostic::Finding;
use crate::core::fix;
use crate::core::model::{OkrFile, Quarter};
use crate::core::parse::{LoadedFile, is_okr_file_name, parse};
use crate::core::rules;
use crate::repo::load;
use crate::repo::workspace::Workspace;

mod disk;

use disk::{Stamp, Watch};

/// For the sets of paths and names hashed at each edit, thousands in a rename others align to: foldhash is
/// several times quicker than SipHash on short strings.
type Hasher = foldhash::fast::RandomState;

/// One OKR file of a workspace.
pub struct File {
    /// Its text (the editor's while open), the parsed model and the findings of reading it.
    pub loaded: LoadedFile,
    /// The findings of the one-file rules.
    own: Vec<Finding>,
    /// The URI the editor opened it by, while it is open.
    pub open: Option<lsp_types::Url>,
    /// The quarters whose files its cross-file findings depend on.
    quarters: Vec<Quarter>,
    /// The file on disk when it was read from there; `None` for the editor's text.
    stamp: Option<Stamp>,
}

impl File {
    fn new(mut loaded: LoadedFile) -> File {
        let (mut own, quarters) = match &loaded.okr {
            Some(okr) => (
                rules::check_file(okr, &loaded.path),
                rules::quarters_compared(&loaded.path, okr),
            ),
            None => (Vec::new(), Vec::new()),
        };
        // The fixes go with the findings, so a code action offers what `okr validate --fix` would make.
        fix::attach(&loaded.text, &loaded.path, &mut loaded.findings);
        fix::attach(&loaded.text, &loaded.path, &mut own);
        File {
            loaded,
            own,
            open: None,
            quarters,
            stamp: None,
        }
    }

    pub fn okr(&self) -> Option<&OkrFile> {
        self.loaded.okr.as_ref()
    }

    pub fn text(&self) -> &str {
        &self.loaded.text
    }
}

/// An okr workspace (a repository root and its `okr.toml`) and its OKR files.
pub struct Project {
    pub workspace: Workspace,
    /// Relative path (as `okr validate` shows it) → file.
    files: BTreeMap<String, File>,
    /// The cross-file findings of each file that has any.
    cross: HashMap<String, Vec<Finding>, Hasher>,
    /// Which files compare with which quarter.
    by_quarter: HashMap<Quarter, BTreeSet<String>>,
    /// The names `aligns_to` can give, kept as files change, for an unknown alignment's suggestion.
    targets: rules::Targets,
    /// The files of each team (by their `team`) comparing with each quarter, as `by_quarter`.
    by_team: HashMap<(Quarter, String), BTreeSet<String>>,
    /// `okr.toml` on disk when it was last read.
    config_stamp: Option<Stamp>,
    /// Whether the editor reports changes to the OKR files on disk, so they need not be looked for.
    watch: Watch,
    /// The files whose cross-file findings the last change may have changed and that are not checked again
    /// yet ([`Project::set_text_first`]): the edited file's own findings are published before thousands of
    /// others are checked. Checked before the next change, which finds what it touches from their findings.
    stale: BTreeSet<String>,
}

impl Project {
    /// Reads every OKR file under the workspace's OKR folder and checks them all, once.
    pub fn load(workspace: Workspace) -> Project {
        let okr_dir = workspace.okr_dir();
        let candidates = if okr_dir.is_dir() {
            load::discover(&workspace, &[okr_dir]).unwrap_or_default()
        } else {
            Vec::new()
        };
        // Stamped before reading, so a change made while it is read shows as one later.
        let loaded: Vec<(Option<Stamp>, LoadedFile)> = candidates
            .par_iter()
            .map(|c| (Stamp::of(&c.location), load::load(&workspace, c)))
            .collect();
        let config_stamp = workspace.config_path.as_deref().and_then(Stamp::of);
        let mut project = Project {
            workspace,
            files: BTreeMap::new(),
            cross: HashMap::default(),
            by_quarter: HashMap::new(),
            targets: rules::Targets::default(),
            by_team: HashMap::new(),
            config_stamp,
            watch: Watch::Off,
            stale: BTreeSet::new(),
        };
        for (stamp, loaded) in loaded {
            let mut file = File::new(loaded);
            file.stamp = stamp;
            project.index(&file.loaded.path, &file);
            project.files.insert(file.loaded.path.clone(), file);
        }
        let all: BTreeSet<String> = project.files.keys().cloned().collect();
        project.check_across(&all);
        project
    }

    /// Reads `okr.toml` again when it changed on disk since it was read: new severities apply from the next
    /// diagnostics on, and a new `dir` reads the OKR files again (the open ones keep the editor's text).
    /// `Ok(true)` when it was read again; an error (once per change) when it cannot be, and the one read
    /// before stays.
    pub fn refresh_config(&mut self) -> anyhow::Result<bool> {
        let Some(path) = self.workspace.config_path.clone() else {
            return Ok(false);
        };
        let now = Stamp::of(&path);
        if now == self.config_stamp {
            return Ok(false);
        }
        self.config_stamp = now;
        let config = crate::repo::config::Config::load(&path)?;
        let moved = config.dir != self.workspace.config.dir;
        self.workspace.config = config;
        if moved {
            let open: Vec<(String, String, lsp_types::Url)> = self
                .files
                .iter()
                .filter_map(|(path, f)| Some((path.clone(), f.text().to_owned(), f.open.clone()?)))
                .collect();
            let mut reloaded = Project::load(self.workspace.clone());
            reloaded.config_stamp = self.config_stamp;
            *self = reloaded;
            for (path, text, uri) in open {
                if self.relative(&self.workspace.root.join(&path)).is_some() {
                    self.set_text(&path, text, uri);
                }
            }
        }
        Ok(true)
    }

    /// The relative path of `path` when it is an OKR file of this workspace (under its OKR folder).
    pub fn relative(&self, path: &Path) -> Option<String> {
        let okr_dir = self.workspace.okr_dir();
        let name = path.file_name()?.to_str()?;
        if !is_okr_file_name(name) || !path.starts_with(&okr_dir) {
            return None;
        }
        let hidden = path
            .strip_prefix(&okr_dir)
            .ok()?
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        (!hidden).then(|| self.workspace.display_path(path))
    }

    pub fn file(&self, path: &str) -> Option<&File> {
        self.files.get(path)
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &File)> {
        self.files.iter().map(|(path, file)| (path.as_str(), file))
    }

    /// Every finding of the file at `path`, before `okr.toml` decides severities.
    pub fn findings(&self, path: &str) -> Vec<&Finding> {
        let Some(file) = self.files.get(path) else {
            return Vec::new();
        };
        file.loaded
            .findings
            .iter()
            .chain(&file.own)
            .chain(self.cross.get(path).into_iter().flatten())
            .collect()
    }

    /// The editor's text of the file at `path` replaces what was read; `uri` is how the editor names it.
    /// Returns the files whose findings may have changed.
    pub fn set_text(&mut self, path: &str, text: String, uri: lsp_types::Url) -> BTreeSet<String> {
        let mut affected = self.set_text_first(path, text, uri);
        affected.extend(self.recheck_stale());
        affected
    }

    /// [`Project::set_text`], checking again first only what the file's own findings need: its cross-file
    /// findings depend on files that did not change, so they are right before the others are. Returns the
    /// files checked, the edited one among them; those whose findings it may have changed otherwise are left
    /// to [`Project::recheck_stale`].
    pub fn set_text_first(
        &mut self,
        path: &str,
        text: String,
        uri: lsp_types::Url,
    ) -> BTreeSet<String> {
        let mut file = File::new(parse(path, text.into_bytes()));
        file.open = Some(uri);
        self.replace(path, Some(file))
    }

    /// Checks again the files the last change left stale ([`Project::set_text_first`]); returns them.
    pub fn recheck_stale(&mut self) -> BTreeSet<String> {
        let stale = std::mem::take(&mut self.stale);
        if !stale.is_empty() {
            self.check_files(&stale);
        }
        stale
    }

    /// Whether the cross-file findings of the file at `path` wait for [`Project::recheck_stale`].
    pub fn is_stale(&self, path: &str) -> bool {
        self.stale.contains(path)
    }

    /// The editor closed the file at `path`: it is what is on disk again (or nothing, when it is not there).
    pub fn close(&mut self, path: &str) -> BTreeSet<String> {
        let file = self.read(path);
        let mut affected = self.replace(path, file);
        affected.extend(self.recheck_stale());
        affected
    }

    /// Puts `file` at `path` and checks again the file's own findings; the others it may have changed are
    /// checked too when its quarters or the disk changed, else left stale ([`Project::set_text_first`]).
    fn replace(&mut self, path: &str, file: Option<File>) -> BTreeSet<String> {
        // Which files this change touches is found from the others' findings (an unknown alignment), so those
        // the last change left must be right first.
        self.recheck_stale();
        let mut quarters: BTreeSet<Quarter> = BTreeSet::new();
        let mut before = None;
        if let Some(old) = self.files.remove(path) {
            self.unindex(path, &old);
            quarters.extend(old.quarters.iter().copied());
            before = Some(old);
        }
        let same_quarters =
            before.as_ref().map(|f| &f.quarters) == file.as_ref().map(|f| &f.quarters);
        let defined = [before.as_ref(), file.as_ref()].map(|f| f.and_then(Defined::of));
        let defines_the_same = defined[0] == defined[1];
        let [was, is] = defined.map(|d| d.map(|d| d.targets()).unwrap_or_default());
        let targets: HashSet<Target> = was.symmetric_difference(&is).cloned().collect();
        let teams: BTreeSet<String> = [before.as_ref(), file.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(team_of)
            .map(str::to_owned)
            .collect();
        if let Some(file) = file {
            self.index(path, &file);
            quarters.extend(file.quarters.iter().copied());
            self.files.insert(path.to_owned(), file);
        }
        let changed = self.refresh(&quarters);
        let moved_on_disk = !changed.is_empty();
        quarters.extend(changed);
        if same_quarters && !moved_on_disk {
            let around = Around {
                path,
                quarters,
                teams: &teams,
                targets: (!defines_the_same).then_some(&targets),
            };
            let mut others = self.around(&around);
            let own = BTreeSet::from([path.to_owned()]);
            self.check_files(&own);
            others.remove(path);
            self.stale = others;
            return own;
        }
        let mut compared: BTreeSet<String> = self
            .compared_with(quarters)
            .into_keys()
            .map(str::to_owned)
            .collect();
        compared.insert(path.to_owned());
        self.check_across(&compared);
        compared
    }

    /// The files whose cross-file findings can differ after one file changed (in the editor, its quarters the
    /// same), the changed one among them, and no others: a quarter of 10,000 files is not checked whole at
    /// every keystroke, only these ([`Project::check_files`]).
    ///
    /// The cross-file rules are one file per team and quarter (the files of a team) and alignment (the files
    /// of the team aligned to, and for a suggestion every name of the quarter). So when the file defines the
    /// same objectives and key results for the same team and quarter as before, only its own findings can
    /// change (a title, a number, an `aligns_to` edited); else also those of the files of its team (before and
    /// after), of those aligning to a target it defined before or defines now and not both, and of those whose
    /// alignment is unknown (their suggestion may change).
    fn around(&self, around: &Around<'_>) -> BTreeSet<String> {
        let mut affected: BTreeSet<String> = BTreeSet::from([around.path.to_owned()]);
        // Defining what it did, for the same team and quarter, it changes no other file's findings.
        if let Some(targets) = around.targets {
            let targets: HashSet<(&str, &str, &str), Hasher> = targets
                .iter()
                .map(|Target(team, objective, kr)| (team.as_str(), objective.as_str(), kr.as_str()))
                .collect();
            for (path, file) in self.compared_with(around.quarters.clone()) {
                let Some(okr) = file.okr() else {
                    continue;
                };
                let of_team = okr
                    .team
                    .as_ref()
                    .is_some_and(|t| around.teams.contains(&*t.value));
                let aligns = okr
                    .objectives
                    .iter()
                    .filter_map(|o| o.aligns_to.as_ref().map(|a| &a.value))
                    .any(|a| {
                        let kr = a.key_result.as_deref().unwrap_or("");
                        targets.contains(&(a.team.as_str(), a.objective.as_str(), kr))
                    });
                let unknown = self
                    .cross
                    .get(path)
                    .is_some_and(|f| f.iter().any(|f| f.code == rules::codes::UNKNOWN_ALIGNMENT));
                if of_team || aligns || unknown {
                    affected.insert(path.to_owned());
                }
            }
        }
        affected
    }

    /// Checks again the cross-file findings of the files at `affected`, each with every file of its own team
    /// and of the teams it aligns to, in the quarters it compares with: all its findings can depend on. An
    /// alignment found unknown gets its suggestion from the names kept of every file (`Project::targets`), so
    /// typing an `aligns_to` value does not list the quarter's names either.
    fn check_files(&mut self, affected: &BTreeSet<String>) {
        let mut needed: HashSet<(Quarter, &str), Hasher> = HashSet::default();
        for file in affected.iter().filter_map(|p| self.files.get(p)) {
            let Some(okr) = file.okr() else { continue };
            let teams = okr.team.as_ref().map(|t| &*t.value).into_iter();
            for team in teams.chain(aligned_teams(okr)) {
                needed.extend(file.quarters.iter().map(|q| (*q, team)));
            }
        }
        // Sorted and each once (a Vec, not a set: thousands of paths sharing their folder's prefix).
        let mut paths: Vec<&str> = affected.iter().map(String::as_str).collect();
        for (quarter, team) in needed {
            let of_team = self.by_team.get(&(quarter, team.to_owned()));
            paths.extend(of_team.into_iter().flatten().map(String::as_str));
        }
        paths.sort_unstable();
        paths.dedup();
        let files: Vec<(&str, &OkrFile)> = paths
            .into_iter()
            .filter_map(|path| Some((path, self.files.get(path)?.okr()?)))
            .collect();
        let asked: HashSet<&str, Hasher> = affected.iter().map(String::as_str).collect();
        let mut found: HashMap<String, Vec<Finding>, Hasher> = HashMap::default();
        let suggest_from = rules::Suggestions::Kept(&self.targets);
        for (index, finding) in rules::check_repository_suggesting_from(&files, suggest_from) {
            let path = files[index].0;
            if !asked.contains(path) {
                // A file there only for what it defines: its own findings were not asked for.
                continue;
            }
            found.entry(path.to_owned()).or_default().push(finding);
        }
        for path in affected {
            self.cross.remove(path);
        }
        self.cross.extend(found);
    }

    /// The files comparing with any of `quarters`, and those comparing with theirs, until no quarter is left:
    /// every file whose cross-file findings a change in those quarters can touch.
    fn compared_with(&self, mut pending: BTreeSet<Quarter>) -> BTreeMap<&str, &File> {
        let mut seen: BTreeSet<Quarter> = BTreeSet::new();
        let mut paths = BTreeMap::new();
        while let Some(quarter) = pending.pop_first() {
            if !seen.insert(quarter) {
                continue;
            }
            for path in self.by_quarter.get(&quarter).into_iter().flatten() {
                if paths.contains_key(path.as_str()) {
                    continue;
                }
                if let Some(file) = self.files.get(path) {
                    paths.insert(path.as_str(), file);
                    pending.extend(file.quarters.iter().filter(|q| !seen.contains(q)));
                }
            }
        }
        paths
    }

    /// Runs the cross-file rules over `paths` (which must hold every file any of them compares with) and
    /// keeps their findings.
    fn check_across(&mut self, paths: &BTreeSet<String>) {
        for path in paths {
            self.cross.remove(path);
        }
        let files: Vec<(&str, &OkrFile)> = paths
            .iter()
            .filter_map(|path| {
                let file = self.files.get(path)?;
                Some((path.as_str(), file.okr()?))
            })
            .collect();
        let mut found: HashMap<String, Vec<Finding>> = HashMap::new();
        for (index, finding) in rules::check_repository(&files) {
            found
                .entry(files[index].0.to_owned())
                .or_default()
                .push(finding);
        }
        self.cross.extend(found);
    }

    /// Counts the file at `path` in what is kept of every file: the files of each quarter, the names defined.
    fn index(&mut self, path: &str, file: &File) {
        for quarter in &file.quarters {
            self.by_quarter
                .entry(*quarter)
                .or_default()
                .insert(path.to_owned());
        }
        if let Some(okr) = file.okr() {
            self.targets.add(path, okr);
        }
        if let Some(team) = team_of(file) {
            for quarter in &file.quarters {
                self.by_team
                    .entry((*quarter, team.to_owned()))
                    .or_default()
                    .insert(path.to_owned());
            }
        }
    }

    /// Undoes [`Project::index`] for the file at `path`, as it was indexed.
    fn unindex(&mut self, path: &str, file: &File) {
        for quarter in &file.quarters {
            if let Some(paths) = self.by_quarter.get_mut(quarter) {
                paths.remove(path);
            }
        }
        if let Some(okr) = file.okr() {
            self.targets.remove(path, okr);
        }
        if let Some(team) = team_of(file) {
            for quarter in &file.quarters {
                let key = (*quarter, team.to_owned());
                if let Some(paths) = self.by_team.get_mut(&key) {
                    paths.remove(path);
                    if paths.is_empty() {
                        self.by_team.remove(&key);
                    }
                }
            }
        }
    }

    /// The URI of the file at `path`: the editor's while it is open, else the file's on disk.
    pub fn uri(&self, path: &str) -> Option<lsp_types::Url> {
        if let Some(uri) = self.files.get(path).and_then(|f| f.open.clone()) {
            return Some(uri);
        }
        lsp_types::Url::from_file_path(self.workspace.root.join(path)).ok()
    }

    /// The files whose cross-file findings compare with `quarter` (by folder or by `quarter` field).
    pub fn quarter_files(&self, quarter: Quarter) -> impl Iterator<Item = (&str, &File)> {
        self.by_quarter
            .get(&quarter)
            .into_iter()
            .flatten()
            .filter_map(|path| Some((path.as_str(), self.files.get(path)?)))
    }

    /// The file and objective that `aligns_to: team/objective` in a file of `quarter` names.
    pub fn objective(
        &self,
        quarter: Quarter,
        team: &str,
        objective: &str,
    ) -> Option<(&str, &File, usize)> {
        self.by_quarter
            .get(&quarter)?
            .iter()
            .filter_map(|path| Some((path.as_str(), self.files.get(path)?)))
            .find_map(|(path, file)| {
                let okr = file.okr()?;
                if rules::quarter_of(path, okr) != Some(quarter)
                    || okr.team.as_ref().is_none_or(|t| &*t.value != team)
                {
                    return None;
                }
                let index = okr
                    .objectives
                    .iter()
                    .position(|o| o.id.as_ref().is_some_and(|id| &*id.value == objective))?;
                Some((path, file, index))
            })
    }
}

/// A file that changed, for [`Project::around`].
struct Around<'a> {
    path: &'a str,
    /// The quarters it compares with (the same before and after).
    quarters: BTreeSet<Quarter>,
    /// Its team before and after the change.
    teams: &'a BTreeSet<String>,
    /// What it defined before or defines now and not both; `None` when it defines the same objectives and key
    /// results as before, for the same team and quarter.
    targets: Option<&'a HashSet<Target>>,
}

/// What `aligns_to` can name, without its quarter: team, objective, and key result (empty for the objective).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Target(String, String, String);

/// What a file defines that other files' cross-file findings depend on.
#[derive(PartialEq, Eq)]
struct Defined<'a> {
    quarter: Option<Quarter>,
    team: Option<&'a str>,
    /// Each objective's id and its key results' ids.
    ids: Vec<(Option<&'a str>, Vec<Option<&'a str>>)>,
}

impl<'a> Defined<'a> {
    /// What `aligns_to` can name of it, as the alignment rule counts it: each objective, and each key result
    /// with an id (an empty one names its objective).
    fn targets(&self) -> HashSet<Target> {
        let Some(team) = self.team else {
            return HashSet::new();
        };
        let mut targets = HashSet::new();
        for (objective, krs) in &self.ids {
            let Some(objective) = objective else { continue };
            let target = |kr: &str| Target(team.to_owned(), (*objective).to_owned(), kr.to_owned());
            targets.insert(target(""));
            targets.extend(krs.iter().flatten().map(|kr| target(kr)));
        }
        targets
    }

    fn of(file: &'a File) -> Option<Defined<'a>> {
        let okr = file.okr()?;
        Some(Defined {
            quarter: okr.quarter.as_ref().map(|q| q.value),
            team: okr.team.as_ref().map(|t| &*t.value),
            ids: okr
                .objectives
                .iter()
                .map(|o| {
                    let id = o.id.as_ref().map(|id| &*id.value);
                    let krs = o
                        .key_results
                        .iter()
                        .map(|k| k.id.as_ref().map(|id| &*id.value));
                    (id, krs.collect())
                })
                .collect(),
        })
    }
}

fn team_of(file: &File) -> Option<&str> {
    file.okr()?.team.as_ref().map(|t| &*t.value)
}

/// The teams a file's objectives align to.
fn aligned_teams(okr: &OkrFile) -> impl Iterator<Item = &str> {
    okr.objectives
        .iter()
        .filter_map(|o| o.aligns_to.as_ref().map(|a| a.value.team.as_str()))
}

/// Every workspace the editor has shown the server, found as `okr` finds them from a folder.
#[derive(Default)]
pub struct World {
    pub projects: Vec<Project>,
}

impl World {
    /// Loads the workspace holding `folder`, unless it is loaded already. A folder that is not there, or an
    /// `okr.toml` that cannot be read, loads nothing; the error says why.
    pub fn open_folder(&mut self, folder: &Path) -> anyhow::Result<Option<usize>> {
        let workspace = Workspace::discover(folder)?;
        if let Some(index) = self
            .projects
            .iter()
            .position(|p| p.workspace.root == workspace.root)
        {
            return Ok(Some(index));
        }
        self.projects.push(Project::load(workspace));
        Ok(Some(self.projects.len() - 1))
    }

    /// The project and relative path of the OKR file at `uri`, loading its workspace when no loaded one
    /// holds it. `None` for anything that is not an OKR file of a workspace.
    pub fn locate(&mut self, uri: &lsp_types::Url) -> anyhow::Result<Option<(usize, String)>> {
        let Some(path) = file_path(uri) else {
            return Ok(None);
        };
        if let Some(found) = self.find(&path) {
            return Ok(Some(found));
        }
        let Some(folder) = path.parent().filter(|f| f.is_dir()) else {
            return Ok(None);
        };
        if self.open_folder(folder)?.is_none() {
            return Ok(None);
        }
        // As `find` does, so a path through a link finds the workspace, whose root is the resolved path.
        Ok(self.find(&path))
    }

    /// Like [`World::locate`], among the workspaces loaded already.
    pub fn find(&self, path: &Path) -> Option<(usize, String)> {
        // As the editor names it first; then with the links on its way resolved, as the root is.
        let resolved = path
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .zip(path.file_name())
            .map(|(parent, name)| parent.join(name));
        for candidate in std::iter::once(path.to_path_buf()).chain(resolved) {
            for (index, project) in self.projects.iter().enumerate() {
                if let Some(relative) = project.relative(&candidate) {
                    return Some((index, relative));
                }
            }
        }
        None
    }

    /// [`World::find`] for a URI.
    pub fn find_uri(&self, uri: &lsp_types::Url) -> Option<(usize, String)> {
        self.find(&file_path(uri)?)
    }

    /// The file behind `uri`, if it is an OKR file of a loaded workspace.
    pub fn document(&self, uri: &lsp_types::Url) -> Option<(&Project, &str, &File)> {
        let (index, path) = self.find_uri(uri)?;
        let project = &self.projects[index];
        let (path, file) = project.files.get_key_value(&path)?;
        Some((project, path.as_str(), file))
    }
}

/// The local path a `file:` URI names.
pub fn file_path(uri: &lsp_types::Url) -> Option<PathBuf> {
    if uri.scheme() != "file" {
        return None;
    }
    uri.to_file_path().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(quarter: &str, team: &str, objective: &str, aligns_to: &str) -> String {
        format!(
            "quarter: {quarter}\nteam: {team}\nobjectives:\n  - id: {objective}\n    title: T\n    aligns_to: {aligns_to}\n    \
             key_results:\n      - {{id: a, title: A, done: false}}\n      - {{id: b, title: B, done: false}}\n"
        )
    }

    fn codes(project: &Project, path: &str) -> Vec<&'static str> {
        project.findings(path).iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_change_rechecks_its_own_quarter_and_leaves_the_others_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okr.toml"), "").unwrap();
        let workspace = Workspace::discover(dir.path()).unwrap();
        let mut project = Project::load(workspace);
        let uri = lsp_types::Url::parse("file:///okrs/x.yaml").unwrap();
        let set = |project: &mut Project, path: &str, text: String| {
            project.set_text(path, text, uri.clone())
        };
        set(
            &mut project,
            "okrs/2026-Q3/company.yaml",
            file("2026-Q3", "company", "trust", "company/trust"),
        );
        set(
            &mut project,
            "okrs/2026-Q3/platform.yaml",
            file("2026-Q3", "platform", "deploys", "company/trust"),
        );
        set(
            &mut project,
            "okrs/2026-Q4/platform.yaml",
            file("2026-Q4", "platform", "deploys", "company/trust"),
        );
        assert_eq!(
            codes(&project, "okrs/2026-Q3/platform.yaml"),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(&project, "okrs/2026-Q4/platform.yaml"),
            ["unknown-alignment"]
        );

        // Renaming company's objective reaches platform's file of the same quarter, and no other.
        let affected = set(
            &mut project,
            "okrs/2026-Q3/company.yaml",
            file("2026-Q3", "company", "love", "company/love"),
        );
        assert_eq!(
            affected.into_iter().collect::<Vec<_>>(),
            ["okrs/2026-Q3/company.yaml", "okrs/2026-Q3/platform.yaml"]
        );
        assert_eq!(
            codes(&project, "okrs/2026-Q3/platform.yaml"),
            ["unknown-alignment"]
        );

        // A file whose `quarter` contradicts its folder ties both quarters together.
        let affected = set(
            &mut project,
            "okrs/2026-Q3/other.yaml",
            file("2026-Q4", "platform", "x", "company/love"),
        );
        assert!(
            affected.contains("okrs/2026-Q4/platform.yaml"),
            "{affected:?}"
        );
        assert_eq!(
            codes(&project, "okrs/2026-Q3/other.yaml"),
            ["quarter-mismatch"]
        );
        // platform's Q4 file comes after it by path, so it is the second file of platform for 2026-Q4.
        assert_eq!(
            codes(&project, "okrs/2026-Q4/platform.yaml"),
            ["duplicate-id", "unknown-alignment"]
        );

        // Broken text: its findings are the parser's, and what relied on it is checked again.
        let affected = set(
            &mut project,
            "okrs/2026-Q3/company.yaml",
            "objectives: [".to_owned(),
        );
        assert!(
            affected.contains("okrs/2026-Q3/platform.yaml"),
            "{affected:?}"
        );
        assert_eq!(
            codes(&project, "okrs/2026-Q3/company.yaml"),
            ["yaml-syntax"]
        );
    }

    /// The cross-file findings the server keeps, as checking every file at once finds them.
    fn assert_as_if_checked_whole(project: &Project, step: &str) {
        let files: Vec<(&str, &OkrFile)> = project
            .files
            .iter()
            .filter_map(|(path, f)| Some((path.as_str(), f.okr()?)))
            .collect();
        let line = |f: &Finding| format!("{} {:?} {} {:?}", f.code, f.pos, f.message, f.help);
        let mut whole: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (index, finding) in rules::check_repository(&files) {
            whole
                .entry(files[index].0.to_owned())
                .or_default()
                .push(line(&finding));
        }
        let mut kept: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, findings) in &project.cross {
            if !findings.is_empty() {
                kept.insert(path.clone(), findings.iter().map(line).collect());
            }
        }
        for findings in whole.values_mut().chain(kept.values_mut()) {
            findings.sort();
        }
        assert_eq!(kept, whole, "after {step}");
        // The names kept for suggestions, as gathering them afresh finds them.
        assert_eq!(
            project.targets,
            rules::Targets::of_files(files),
            "after {step}"
        );
        let mut by_team: HashMap<(Quarter, String), BTreeSet<String>> = HashMap::new();
        for (path, file) in &project.files {
            let Some(team) = team_of(file) else { continue };
            for quarter in &file.quarters {
                let key = (*quarter, team.to_owned());
                by_team.entry(key).or_default().insert(path.clone());
            }
        }
        assert_eq!(project.by_team, by_team, "after {step}");
    }

    /// The cross-file findings kept of the file at `path`, as checking every file at once finds them.
    fn assert_own_as_if_checked_whole(project: &Project, path: &str, step: &str) {
        let files: Vec<(&str, &OkrFile)> = project
            .files
            .iter()
            .filter_map(|(path, f)| Some((path.as_str(), f.okr()?)))
            .collect();
        let line = |f: &Finding| format!("{} {:?} {} {:?}", f.code, f.pos, f.message, f.help);
        let mut whole: Vec<String> = rules::check_repository(&files)
            .into_iter()
            .filter(|(index, _)| files[*index].0 == path)
            .map(|(_, finding)| line(&finding))
            .collect();
        let mut kept: Vec<String> = project
            .cross
            .get(path)
            .into_iter()
            .flatten()
            .map(line)
            .collect();
        whole.sort();
        kept.sort();
        assert_eq!(kept, whole, "{path} after {step}");
    }

    #[test]
    fn checking_only_around_a_change_finds_what_checking_the_quarter_whole_finds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okr.toml"), "").unwrap();
        let mut project = Project::load(Workspace::discover(dir.path()).unwrap());
        let uri = lsp_types::Url::parse("file:///okrs/x.yaml").unwrap();
        let q3 = |team: &str| format!("okrs/2026-Q3/{team}.yaml");
        let steps: [(&str, &str, String); 15] = [
            (
                "company",
                "company planned",
                file("2026-Q3", "company", "trust", "company/trust"),
            ),
            (
                "platform",
                "platform aligned",
                file("2026-Q3", "platform", "deploys", "company/trust"),
            ),
            (
                "mobile",
                "mobile aligned to a KR",
                file("2026-Q3", "mobile", "apps", "company/trust/a"),
            ),
            (
                "data",
                "data aligned to platform",
                file("2026-Q3", "data", "lake", "platform/deploys"),
            ),
            (
                "platform",
                "a title edited",
                file("2026-Q3", "platform", "deploys", "company/trust")
                    .replace("title: T", "title: U"),
            ),
            (
                "company",
                "the objective renamed",
                file("2026-Q3", "company", "love", "company/love"),
            ),
            (
                "company",
                "renamed back",
                file("2026-Q3", "company", "trust", "company/trust"),
            ),
            (
                "platform",
                "team renamed onto mobile",
                file("2026-Q3", "mobile", "deploys", "company/trust"),
            ),
            (
                "platform",
                "team renamed back",
                file("2026-Q3", "platform", "deploys", "company/trust"),
            ),
            (
                "data",
                "an alignment broken",
                file("2026-Q3", "data", "lake", "platform/deploy"),
            ),
            (
                "company",
                "a KR renamed while another is broken",
                file("2026-Q3", "company", "trust", "company/trust").replace("id: a,", "id: z,"),
            ),
            (
                "mobile",
                "an edit beside a broken one",
                file("2026-Q3", "mobile", "apps", "company/trust/b")
                    .replace("title: T", "title: V"),
            ),
            // The suggestion is of a team data does not align to, so of a file not checked with data's.
            (
                "data",
                "a team misspelt in an alignment",
                file("2026-Q3", "data", "lake", "platfrm/deploys"),
            ),
            (
                "platform",
                "the suggested objective renamed",
                file("2026-Q3", "platform", "deploys-faster", "company/trust"),
            ),
            (
                "platform",
                "the suggested objective renamed back",
                file("2026-Q3", "platform", "deploys", "company/trust"),
            ),
        ];
        for (team, step, text) in steps {
            let checked = project.set_text_first(&q3(team), text, uri.clone());
            // A file new to its quarter has the whole quarter checked; an edit, only itself before the others.
            assert!(checked.contains(&q3(team)), "{checked:?} after {step}");
            if step == "the objective renamed" {
                assert_eq!(checked.len(), 1, "{checked:?}");
                assert!(project.is_stale(&q3("platform")) && project.is_stale(&q3("mobile")));
            }
            // The edited file's findings are right before the files it touches are checked again.
            assert_own_as_if_checked_whole(&project, &q3(team), step);
            project.recheck_stale();
            assert_as_if_checked_whole(&project, step);
        }
        assert!(
            codes(&project, &q3("data")).contains(&"unknown-alignment"),
            "the broken alignment stays reported"
        );
        // An alignment being typed, unknown until it is whole: no other file is checked again.
        let typing = file("2026-Q3", "data", "lake", "platform/dep");
        let affected = project.set_text(&q3("data"), typing, uri.clone());
        assert_eq!(affected.into_iter().collect::<Vec<_>>(), [q3("data")]);
        assert_as_if_checked_whole(&project, "an alignment being typed");
        // A title edited defines nothing new: no other file is checked again.
        let text = file("2026-Q3", "platform", "deploys", "company/trust");
        let affected = project.set_text(&q3("platform"), text.replace("title: T", "title: W"), uri);
        assert_eq!(affected.into_iter().collect::<Vec<_>>(), [q3("platform")]);
        assert_as_if_checked_whole(&project, "the last title edited");
    }

    #[test]
    fn files_changed_on_disk_are_checked_and_their_names_kept_as_if_read_afresh() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okr.toml"), "").unwrap();
        let folder = dir.path().join("okrs/2026-Q3");
        std::fs::create_dir_all(&folder).unwrap();
        let write =
            |team: &str, text: String| std::fs::write(folder.join(format!("{team}.yaml")), text);
        write(
            "company",
            file("2026-Q3", "company", "trust", "company/trust"),
        )
        .unwrap();
        write("data", file("2026-Q3", "data", "lake", "company/trust")).unwrap();
        let mut project = Project::load(Workspace::discover(dir.path()).unwrap());
        assert_as_if_checked_whole(&project, "loading");
        let uri = lsp_types::Url::parse("file:///okrs/x.yaml").unwrap();
        let platform = "okrs/2026-Q3/platform.yaml";
        let mut version = 0;
        let mut edit = |project: &mut Project| {
            // The length differs at each edit, so the edit itself never looks the same.
            version += 1;
            let text = file("2026-Q3", "platform", "deploys", "company/trust");
            project.set_text(
                platform,
                format!("{text}# {}\n", "x".repeat(version)),
                uri.clone(),
            );
        };
        // Each step changes the disk (its length too: modification times may not move within a test), then an
        // edit in the editor finds it.
        type Change<'a> = Box<dyn Fn() -> std::io::Result<()> + 'a>;
        let steps: [(&str, Change<'_>); 5] = [
            (
                "company's objective renamed on disk",
                Box::new(|| {
                    write(
                        "company",
                        file("2026-Q3", "company", "love-it", "company/trust"),
                    )
                }),
            ),
            (
                "a file added on disk",
                Box::new(|| {
                    write(
                        "mobile",
                        file("2026-Q3", "mobile", "apps", "company/love-it"),
                    )
                }),
            ),
            (
                "a second file of a team added",
                Box::new(|| write("mobile2", file("2026-Q3", "mobile", "apps", "data/lakes"))),
            ),
            (
                "a file removed",
                Box::new(|| std::fs::remove_file(folder.join("mobile.yaml"))),
            ),
            (
                "a file broken",
                Box::new(|| write("data", "objectives: [".to_owned())),
            ),
        ];
        for (step, change) in steps {
            change().unwrap();
            edit(&mut project);
            assert_as_if_checked_whole(&project, step);
        }
    }

    #[test]
    fn a_watched_workspace_looks_on_disk_once_and_again_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okr.toml"), "").unwrap();
        let folder = dir.path().join("okrs/2026-Q3");
        std::fs::create_dir_all(&folder).unwrap();
        let company = folder.join("company.yaml");
        std::fs::write(
            &company,
            file("2026-Q3", "company", "trust", "company/trust"),
        )
        .unwrap();
        let mut project = Project::load(Workspace::discover(dir.path()).unwrap());
        let uri = lsp_types::Url::parse("file:///okrs/x.yaml").unwrap();
        let platform = "okrs/2026-Q3/platform.yaml";
        let text = file("2026-Q3", "platform", "deploys", "company/trust");
        project.watch();
        // Changed between loading and the watch: seen at the first edit after it.
        std::fs::write(&company, file("2026-Q3", "company", "love", "company/love")).unwrap();
        project.set_text(platform, text.clone(), uri.clone());
        assert_eq!(codes(&project, platform), ["unknown-alignment"]);
        // Changed and not reported: not looked for at an edit, so not seen...
        std::fs::write(
            &company,
            file("2026-Q3", "company", "trust", "company/trust-me"),
        )
        .unwrap();
        project.set_text(platform, text.replace("title: T", "title: U"), uri.clone());
        assert_eq!(codes(&project, platform), ["unknown-alignment"]);
        // ...until the server looks again (a file opened or saved)...
        project.restamp();
        project.set_text(platform, text.clone(), uri.clone());
        assert_eq!(codes(&project, platform), Vec::<&str>::new());
        assert_as_if_checked_whole(&project, "looking again");
        // ...or the editor reports it.
        std::fs::write(
            &company,
            file("2026-Q3", "company", "love-it", "company/love"),
        )
        .unwrap();
        project.close("okrs/2026-Q3/company.yaml");
        assert_eq!(codes(&project, platform), ["unknown-alignment"]);
        assert_as_if_checked_whole(&project, "a reported change");
    }
}
