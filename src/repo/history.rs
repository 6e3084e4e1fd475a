//! A quarter's git history → events: every change to its OKRs, with who made it, when, and why.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use anyhow::{Result, bail};
use jiff::civil::Date;

use crate::core::calendar::Calendar;
use crate::core::change::ChangeKind;
use crate::core::compare::SnapshotFile;
use crate::core::history::{
    CheckIn, CommitFacts, Event, History, RemovedKeyResult, Trajectory, summarize,
};
use crate::core::model::{KeyResult, Measure, OkrFile, Quarter, Text};
use crate::repo::changes::{self, Settings, Step};
use crate::repo::git::Git;
use crate::repo::history_cache::HistoryCache;
use crate::repo::history_codec::Refs;
use crate::repo::revisions::Parsed;
use crate::repo::walk::WalkOptions;
use crate::repo::workspace::Workspace;

pub use crate::repo::changes::Progress;

/// What to read.
#[derive(Debug, Clone)]
pub struct Query {
    pub quarter: Quarter,
    /// The revision to read history back from.
    pub rev: String,
    pub first_parent: bool,
    pub team: Option<String>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

/// The folder holding a quarter's files, relative to the workspace root.
pub fn quarter_folder(workspace: &Workspace, quarter: Quarter) -> String {
    format!("{}/{quarter}", workspace.config.dir.trim_end_matches('/'))
}

/// Reads the history of one quarter.
pub fn read(workspace: &Workspace, git: &Git, query: &Query) -> Result<History> {
    read_with_progress(workspace, git, query, &mut |_| {})
}

/// [`read`], telling `progress` how far it has come.
pub fn read_with_progress(
    workspace: &Workspace,
    git: &Git,
    query: &Query,
    progress: &mut dyn FnMut(Progress),
) -> Result<History> {
    Ok(read_keeping_parsed(workspace, git, query, progress)?.0)
}

/// [`read_with_progress`], with the blobs it parsed last, for reading the state where it ends without
/// parsing them again.
pub fn read_keeping_parsed(
    workspace: &Workspace,
    git: &Git,
    query: &Query,
    progress: &mut dyn FnMut(Progress),
) -> Result<(History, Parsed)> {
    git.require_full_history()?;
    let folder = quarter_folder(workspace, query.quarter);
    let tip = git.resolve(&query.rev)?;
    // A history read before, of this very question, is read back: the cache says exactly what a read would.
    let cache = HistoryCache::open(workspace, git, &folder, query, tip);
    if let Some(history) = cache.as_ref().and_then(|cache| cache.load(git)) {
        progress(Progress::Done);
        return Ok((history, Parsed::default()));
    }
    let notes = git.notes_waiting();
    let planning = workspace.planning();
    let start = planning.calendar.start(query.quarter);
    let end = planning.calendar.end(query.quarter);
    let kickoff = planning.kickoff(query.quarter);
    let settings = Settings {
        walk: WalkOptions {
            first_parent: query.first_parent,
            hidden: None,
        },
        not_before: None,
        kickoffs: &planning,
        policy: workspace.policy(),
        keep_messages: false,
    };
    let team = query.team.as_deref();
    let mut kickoff_state: Option<Arc<Vec<SnapshotFile>>> = None;
    let mut late_plans: Vec<SnapshotFile> = Vec::new();
    // The paths in `late_plans`: a quarter planned late by thousands of teams adds tens of thousands of
    // objectives, and a search of the list for each was quadratic.
    let mut late_paths: HashSet<String> = HashSet::new();
    let mut trajectories = CheckIns::new();
    let mut removed: BTreeMap<(String, String, String), (Place, usize)> = BTreeMap::new();
    let mut touched = false;
    let mut log = changes::read(
        git,
        &folder,
        tip,
        &settings,
        progress,
        &mut |step: &Step<'_>, events: &[Event]| {
            touched = true;
            // The plan at kickoff is the mainline as it stood when the planning window closed.
            if step.listed.mainline && step.facts.landed.date() < kickoff {
                kickoff_state = Some(step.after.clone());
            }
            record_check_ins(
                &mut trajectories,
                step.after,
                step.before.first().map(|b| b.as_slice()),
                step.facts,
                team,
            );
            // The commit's files by path, made when the first late plan asks.
            let mut after_by_path: Option<HashMap<&str, &SnapshotFile>> = None;
            for index in step.events.clone() {
                let event = &events[index];
                let change = &event.change;
                if event.planned_late
                    && change.kind == ChangeKind::ObjectiveAdded
                    && !late_paths.contains(&change.path)
                    && let Some(file) = after_by_path
                        .get_or_insert_with(|| step.after.iter().map(|f| (&*f.path, f)).collect())
                        .get(change.path.as_str())
                {
                    late_paths.insert(change.path.clone());
                    late_plans.push((*file).clone());
                }
                let (Some(objective), Some(key_result)) = (&change.objective, &change.key_result)
                else {
                    continue;
                };
                let key = (change.team.clone(), objective.clone(), key_result.clone());
                match change.kind {
                    ChangeKind::KrRemoved if event.mid_quarter => {
                        if let Some(last) = place_of_key_result(step.before, &key) {
                            removed.insert(key, (last, index));
                        }
                    }
                    ChangeKind::KrAdded => {
                        removed.remove(&key);
                    }
                    _ => {}
                }
            }
        },
    )?;
    // A folder deleted since still has a history to tell (its plans and their removal); one no commit ever
    // had is a mistyped or future quarter. The tip is asked too, so only a folder that is not there either
    // is refused: the walk may have been told by the walk cache, and a quarter it has is never refused.
    if !touched && git.entry_id(tip, &folder)?.is_none() {
        let named = format!("`{}`", query.rev);
        return Err(no_such_quarter(
            workspace,
            git,
            query.quarter,
            (tip, &named),
            true,
        ));
    }
    if let Some(team) = team {
        ensure_team_known(team, &log.events, query)?;
    }
    // What the query leaves out goes now, after the whole history was read in full: a merge's changes depend
    // on every change before it.
    let parsed = std::mem::take(&mut log.parsed);
    // Filtered in place: a quarter planned in one commit has a hundred thousand events, and a second list
    // built beside the first doubled the peak memory of the whole read.
    let mut events = log.events;
    let mut kept: Vec<Option<usize>> = Vec::with_capacity(events.len());
    let mut count = 0;
    for event in &events {
        let day = crate::core::history::day_of(&event.date);
        let wanted = team.is_none_or(|t| t == event.change.team)
            && query.since.is_none_or(|s| day.is_none_or(|d| d >= s))
            && query.until.is_none_or(|u| day.is_none_or(|d| d <= u));
        kept.push(wanted.then(|| {
            count += 1;
            count - 1
        }));
    }
    let mut keep = kept.iter();
    events.retain(|_| keep.next().is_some_and(Option::is_some));
    events.shrink_to_fit();
    let kickoff_state: Vec<SnapshotFile> = kickoff_state
        .map(|state| Arc::try_unwrap(state).unwrap_or_else(|shared| (*shared).clone()))
        .unwrap_or_default();
    let summary = summarize(&events, &kickoff_state, team);
    let (removed_key_results, removed_places): (Vec<RemovedKeyResult>, Vec<Place>) = removed
        .into_iter()
        .filter_map(|((team, objective, _), (place, event))| {
            let removed = RemovedKeyResult {
                team,
                objective,
                key_result: place.key_result().clone(),
                event: kept[event]?,
            };
            Some((removed, place))
        })
        .unzip();
    let history = History {
        quarter: query.quarter,
        start,
        end,
        kickoff,
        events,
        warnings: log.warnings,
        summary,
        kickoff_state,
        late_plans,
        removed_key_results,
        trajectories: trajectories
            .into_iter()
            .flat_map(|(team, objectives)| {
                objectives
                    .into_iter()
                    .flat_map(move |(objective, key_results)| {
                        let team = team.clone();
                        key_results
                            .into_iter()
                            .map(move |(key_result, points)| Trajectory {
                                team: Text::clone(&team),
                                objective: Text::clone(&objective),
                                key_result,
                                points,
                            })
                    })
            })
            .collect(),
    };
    // A read that had something to say on stderr is read again next time, to say it again.
    if let Some(cache) = &cache
        && git.notes_waiting() == notes
        && let Some(refs) = refs_of(&history, &removed_places, &parsed)
    {
        cache.save(&history, &refs);
    }
    Ok((history, parsed))
}

/// Where a key result stood in a parsed file: the file, and its place there (objective, key result).
struct Place {
    path: Arc<str>,
    okr: Arc<OkrFile>,
    objective: usize,
    key_result: usize,
}

impl Place {
    fn key_result(&self) -> &KeyResult {
        &self.okr.objectives[self.objective].key_results[self.key_result]
    }
}

/// Where each parsed file of `history` came from, for the history cache to name it by; `None` when one of
/// them cannot be found among the blobs parsed.
fn refs_of(history: &History, removed: &[Place], parsed: &Parsed) -> Option<Refs> {
    let blobs = parsed.blobs();
    let blob = |okr: &Arc<OkrFile>| blobs.get(&(Arc::as_ptr(okr) as usize)).copied();
    let files = |files: &[SnapshotFile]| -> Option<Vec<(Arc<str>, gix::ObjectId)>> {
        files
            .iter()
            .map(|f| Some((f.path.clone(), blob(&f.okr)?)))
            .collect()
    };
    Some(Refs {
        kickoff_state: files(&history.kickoff_state)?,
        late_plans: files(&history.late_plans)?,
        removed: removed
            .iter()
            .map(|p| Some(((p.path.clone(), blob(&p.okr)?), p.objective, p.key_result)))
            .collect::<Option<_>>()?,
    })
}

/// `--team` that names no team the quarter's history has is a mistake to say, not an empty page to show.
fn ensure_team_known(team: &str, events: &[Event], query: &Query) -> Result<()> {
    let mut teams: Vec<&str> = events.iter().map(|e| e.change.team.as_str()).collect();
    teams.sort_unstable();
    teams.dedup();
    if teams.contains(&team) {
        return Ok(());
    }
    let hint = match crate::core::suggest::closest(team, &teams) {
        Some(close) => format!("; did you mean `{close}`?"),
        None if teams.is_empty() => String::new(),
        None => format!("; its teams are {}", teams.join(", ")),
    };
    bail!(
        "no team `{team}` in the history of {} up to `{}`{hint}",
        query.quarter,
        query.rev
    )
}

/// `--quarter` naming a quarter with no folder in what a command reads is a mistake to say, not an empty page
/// to show. `commit` is the one read (or the tip of the history read, when `history` is set), `named` how the
/// user named it (`` `HEAD` ``); the error lists the quarters it has.
pub fn no_such_quarter(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    (commit, named): (gix::ObjectId, &str),
    history: bool,
) -> anyhow::Error {
    /// More than a few years of quarters would bury the line; the latest are the likely ones.
    const LISTED: usize = 12;
    let read = if history { "the history of " } else { "" };
    // The folder may be there in a form okr does not read (a submodule, a link leading out): that is the
    // reason to give, not its absence.
    let refusals = git.take_notes();
    if !refusals.is_empty() {
        return anyhow::anyhow!(
            "{quarter} has nothing okr can read in {read}{named}: {}",
            refusals.join("\n")
        );
    }
    let folder = quarter_folder(workspace, quarter);
    let quarters: Vec<String> = quarters_at(workspace, git, commit)
        .unwrap_or_default()
        .iter()
        .map(Quarter::to_string)
        .collect();
    let names: Vec<&str> = quarters.iter().map(String::as_str).collect();
    let listed = match names.len().checked_sub(LISTED) {
        Some(earlier) if earlier > 0 => {
            format!("{} (and {earlier} earlier)", names[earlier..].join(", "))
        }
        _ => names.join(", "),
    };
    // A commit found by date is named at length; once is enough.
    let holder = if history { named } else { "it" };
    let there = match crate::core::suggest::closest(&quarter.to_string(), &names) {
        _ if names.is_empty() => format!(
            "{holder} has no quarter folders under `{}/`",
            workspace.config.dir.trim_end_matches('/')
        ),
        Some(close) => format!("did you mean `{close}`? {holder} has folders for {listed}"),
        None => format!("{holder} has folders for {listed}"),
    };
    let on_disk = if workspace.root.join(&folder).is_dir() {
        format!(
            "\nhelp: `{folder}` is in the working tree but in no commit read; commit it first (`okr validate` \
             checks files before that)"
        )
    } else {
        String::new()
    };
    anyhow::anyhow!(
        "no folder `{folder}` in {read}{named}, so {quarter} has nothing to show; {there}{on_disk}"
    )
}

/// The quarters with a folder under the OKR folder in `commit`, oldest first.
fn quarters_at(workspace: &Workspace, git: &Git, commit: gix::ObjectId) -> Result<Vec<Quarter>> {
    let mut quarters: Vec<Quarter> = git
        .names_under(commit, &workspace.config.dir)?
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
    quarters.sort();
    Ok(quarters)
}

/// Where a key result stood in any of `snapshots`, found by team, objective and id: the first place, in the
/// order of the snapshots, their files, objectives and key results.
fn place_of_key_result(
    snapshots: &[Arc<Vec<SnapshotFile>>],
    (team, objective, key_result): &(String, String, String),
) -> Option<Place> {
    snapshots
        .iter()
        .flat_map(|s| s.iter())
        .filter(|f| f.okr.team.as_ref().is_some_and(|t| *t.value == **team))
        .flat_map(|f| {
            f.okr
                .objectives
                .iter()
                .enumerate()
                .filter(|(_, o)| o.id.as_ref().is_some_and(|i| *i.value == **objective))
                .flat_map(move |(at, o)| {
                    o.key_results
                        .iter()
                        .enumerate()
                        .map(move |(kr_at, kr)| (f, at, kr_at, kr))
                })
        })
        .find(|(_, _, _, k)| k.id.as_ref().is_some_and(|i| *i.value == **key_result))
        .map(|(f, objective, key_result, _)| Place {
            path: f.path.clone(),
            okr: f.okr.clone(),
            objective,
            key_result,
        })
}

/// Check-ins by team, objective and key result: nested so that a key result's points are found by
/// borrowed names, where a map keyed by the three would need them copied for every key result of every commit.
/// Keyed by the files' own shared names, so a new key result costs no copy of its names.
type CheckIns = BTreeMap<Text, BTreeMap<Text, BTreeMap<Text, Vec<CheckIn>>>>;

/// The map under `key`, added if missing.
fn entry<'m, V: Default>(map: &'m mut BTreeMap<Text, V>, key: &Text) -> &'m mut V {
    map.entry(Text::clone(key)).or_default()
}

/// Adds a point to each metric key result whose current value or target differs from its last point.
fn record_check_ins(
    trajectories: &mut CheckIns,
    files: &[SnapshotFile],
    parent: Option<&[SnapshotFile]>,
    facts: &CommitFacts,
    team: Option<&str>,
) {
    for (place, file) in files.iter().enumerate() {
        // A file this commit did not change has no new check-ins. Snapshots are sorted by path, and a commit
        // changes few files, so the file is nearly always at the same place in its parent.
        let unchanged = |at: usize, before: &[SnapshotFile]| {
            before
                .get(at)
                .is_some_and(|b| Arc::ptr_eq(&b.okr, &file.okr) && b.path == file.path)
        };
        if parent.is_some_and(|before| {
            unchanged(place, before)
                || before
                    .binary_search_by(|b| b.path.cmp(&file.path))
                    .is_ok_and(|at| unchanged(at, before))
        }) {
            continue;
        }
        let Some(team_name) = file.okr.team.as_ref().map(|t| &t.value) else {
            continue;
        };
        if team.is_some_and(|t| t != &**team_name) {
            continue;
        }
        // Each map is searched once for what it holds: an organisation's first plan is ten thousand files.
        let by_objective = entry(trajectories, team_name);
        for objective in &file.okr.objectives {
            let Some(objective_id) = objective.id.as_ref().map(|i| &i.value) else {
                continue;
            };
            let by_key_result = entry(by_objective, objective_id);
            for kr in &objective.key_results {
                // Every measure with a target, once it has been measured.
                let measure = kr.measure();
                let (Some(kr_id), Some(target), Some(current)) = (
                    kr.id.as_ref().map(|i| &i.value),
                    measure.and_then(Measure::target),
                    measure.and_then(Measure::current),
                ) else {
                    continue;
                };
                let points = entry(by_key_result, kr_id);
                if points
                    .last()
                    .is_none_or(|p| p.current != current || p.target != target)
                {
                    points.push(CheckIn {
                        date: facts.date.date(),
                        commit: Arc::clone(&facts.id),
                        current,
                        target,
                    });
                }
            }
        }
    }
}

/// The default quarter: the one containing today if the repository has a folder for it, else the latest one.
pub fn default_quarter(
    workspace: &Workspace,
    git: &Git,
    rev: &str,
    today: Date,
) -> Result<Quarter> {
    let calendar = Calendar::new(workspace.config.fiscal_year_start_month);
    let current = calendar.quarter_of(today);
    let tip = git.resolve(rev)?;
    let quarters = quarters_at(workspace, git, tip)?;
    if quarters.contains(&current) {
        return Ok(current);
    }
    quarters.last().copied().ok_or_else(|| {
        anyhow::anyhow!(
            "no quarter folders (like `{}/{current}`) in `{rev}`; pass --quarter, or run `okr init`",
            workspace.config.dir
        )
    })
}
