//! `okr diff`: the semantic changes between two revisions, or between a revision and the working tree, each
//! with the commit in between that made it and that commit's reason.
//!
//! The changes are the net ones — what differs between the two ends; a change made and undone in between is
//! none. [`crate::repo::changes`] reads the range's commits and [`crate::core::attribution`] attributes each
//! net change to the one that made it, taking its reason and its date from that commit alone: a reason in one
//! commit never explains a change made by another.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, bail};
use gix::ObjectId;
use serde::Serialize;

use crate::core::attribution::{self, Makers};
use crate::core::change::Change;
use crate::core::compare::{self, SnapshotFile};
use crate::core::history::Warning;
use crate::core::parse;
use crate::repo::changes::{self, Settings};
use crate::repo::config::{self, Config};
use crate::repo::git::Git;
use crate::repo::load;
use crate::repo::revisions::{Revisions, Side, Unreadable};
use crate::repo::walk::WalkOptions;
use crate::repo::workspace::Workspace;

pub use crate::core::attribution::ComparedChange;

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The revision compared from, as the user named it.
    pub from: String,
    /// The revision compared to, or `working tree`.
    pub to: String,
    /// The two ends as a range: `FROM..TO`, or `A...B` as the user wrote it.
    pub range: String,
    pub changes: Vec<ComparedChange>,
    /// Revisions that could not be read: their files are left out of the comparison, never shown as removed.
    pub warnings: Vec<Warning>,
    /// The files compared: every OKR file on either side.
    #[serde(skip)]
    pub files: usize,
    /// The newer side's files that do not parse.
    #[serde(skip)]
    pub broken: Vec<Unreadable>,
    /// The configuration the changes were judged by: the `okr.toml` of the range's start.
    #[serde(skip)]
    pub judged_by: Config,
    /// The titles of the objectives and key results the changes name. Kept out of the JSON: its contract
    /// names items by id, and a tool can read titles from the files.
    #[serde(skip)]
    pub titles: Titles,
}

impl Comparison {
    /// The changes of plan, each with the reason that covers it or none.
    pub fn pivots(&self) -> impl Iterator<Item = &ComparedChange> {
        self.changes.iter().filter(|c| c.is_pivot())
    }

    /// Progress and confidence updates: reports on the plan, not changes to it.
    pub fn check_ins(&self) -> impl Iterator<Item = &ComparedChange> {
        self.changes.iter().filter(|c| c.is_check_in())
    }
}

/// What people know objectives and key results by: their titles, as the newer side has them (the older
/// side's for an item that is gone). An id alone (`kr-3`) says little to a reviewer.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    /// By quarter, team, objective id and, for a key result, its id.
    by_item: HashMap<ItemKey, String>,
}

type ItemKey = (Option<String>, String, String, Option<String>);

impl Titles {
    /// The titles of `newer`'s items, then of `older`'s items that `newer` does not have.
    pub fn of(newer: &[SnapshotFile], older: &[SnapshotFile]) -> Titles {
        let mut titles = Titles::default();
        for file in newer.iter().chain(older) {
            let (quarter, team) = compare::team_of(file);
            for objective in &file.okr.objectives {
                let Some(id) = &objective.id else { continue };
                let key = |kr: Option<&str>| -> ItemKey {
                    (
                        quarter.clone(),
                        team.clone(),
                        id.value.to_string(),
                        kr.map(str::to_owned),
                    )
                };
                if let Some(title) = &objective.title {
                    titles
                        .by_item
                        .entry(key(None))
                        .or_insert_with(|| title.value.to_string());
                }
                for kr in &objective.key_results {
                    if let (Some(kr_id), Some(title)) = (&kr.id, &kr.title) {
                        titles
                            .by_item
                            .entry(key(Some(&*kr_id.value)))
                            .or_insert_with(|| title.value.to_string());
                    }
                }
            }
        }
        titles
    }

    /// The title of the objective `change` is about.
    pub fn objective(&self, change: &Change) -> Option<&str> {
        self.find(change, None)
    }

    /// The title of the key result `change` is about; none for a change to an objective or a file.
    pub fn key_result(&self, change: &Change) -> Option<&str> {
        self.find(change, Some(change.key_result.as_deref()?))
    }

    fn find(&self, change: &Change, key_result: Option<&str>) -> Option<&str> {
        let key = (
            change.quarter.clone(),
            change.team.clone(),
            change.objective.clone()?,
            key_result.map(str::to_owned),
        );
        self.by_item.get(&key).map(String::as_str)
    }
}

/// The two ends of a comparison, as a user names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub from: String,
    /// `None`: the working tree.
    pub to: Option<String>,
    /// `FROM...TO`: compare from where the two meet (their merge base).
    pub from_merge_base: bool,
}

impl Range {
    /// `FROM TO`, `FROM..TO`, `FROM...TO` (an empty end is `HEAD`, as git reads them), or `FROM` alone (to the
    /// working tree); no `FROM` at all is `HEAD`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Range> {
        let from = from.unwrap_or("HEAD");
        let or_head = |s: &str| {
            if s.is_empty() {
                "HEAD".to_owned()
            } else {
                s.to_owned()
            }
        };
        let split = from
            .split_once("...")
            .map(|(a, b)| (a, b, true))
            .or_else(|| from.split_once("..").map(|(a, b)| (a, b, false)));
        match (split, to) {
            (Some((a, b, symmetric)), None) => Ok(Range {
                from: or_head(a),
                to: Some(or_head(b)),
                from_merge_base: symmetric,
            }),
            (Some(_), Some(extra)) => bail!(
                "`{from}` already names both ends, so `{extra}` is one revision too many; write `okr diff {from}` \
                 or `okr diff FROM TO`"
            ),
            (None, to) => Ok(Range {
                from: from.to_owned(),
                to: to.map(str::to_owned),
                from_merge_base: false,
            }),
        }
    }
}

/// The commit a comparison starts from, and how to name it.
fn start(git: &Git, range: &Range) -> Result<(ObjectId, String)> {
    let from = git.resolve(&range.from)?;
    if !range.from_merge_base {
        return Ok((from, range.from.clone()));
    }
    let to_spec = range.to.as_deref().unwrap_or("HEAD");
    let to = git.resolve(to_spec)?;
    let base = git.merge_base(from, to)?.ok_or_else(|| {
        anyhow::anyhow!(
            "`{}` and `{to_spec}` have no commit in common, so `{}...{to_spec}` has no start; compare them \
             directly with `okr diff {} {to_spec}`",
            range.from,
            range.from,
            range.from
        )
    })?;
    let short = base.to_hex_with_len(7).to_string();
    Ok((
        base,
        format!("{short} (where {} and {to_spec} meet)", range.from),
    ))
}

/// Compares every OKR file of the two ends of `range`.
pub fn compare(workspace: &Workspace, git: &Git, range: &Range) -> Result<Comparison> {
    let dir = workspace.config.dir.as_str();
    let (from_id, from_name) = start(git, range)?;
    let mut warnings = Vec::new();
    // The range is judged by the rules it started under: a change cannot relax the policy that checks it.
    let judged_by = config::at_commit(git, from_id, &workspace.config, &mut warnings)?;
    let planning = judged_by.planning();
    let policy = judged_by.policy();
    let mut revisions = Revisions::new(git);
    let old = revisions.readable_snapshot(from_id, dir)?;
    // The commits the changes may come from: those after FROM up to TO, or up to HEAD for the working tree.
    let (tip, tip_name) = match &range.to {
        Some(spec) => (git.resolve(spec)?, spec.clone()),
        None => (git.resolve("HEAD")?, "working tree".to_owned()),
    };
    let mut new = match &range.to {
        Some(_) => revisions.readable_snapshot(tip, dir)?,
        None => working_tree(workspace)?,
    };
    let from_commit = git.commit(from_id)?;
    let (from_time, from_date) = (
        from_commit.time.timestamp().as_second(),
        from_commit.time.date(),
    );
    let settings = Settings {
        walk: WalkOptions {
            first_parent: false,
            hidden: Some(from_id),
        },
        not_before: Some(from_time),
        kickoffs: &planning,
        policy,
        keep_messages: true,
    };
    let log = changes::read(git, dir, tip, &settings, &mut |_| {}, &mut |_, _| {})?;
    warnings.extend(log.warnings);
    // Uncommitted changes are the newest of all: what the working tree changed on top of HEAD.
    let uncommitted: Vec<Change> = if range.to.is_none() {
        let head = revisions.readable_snapshot(tip, dir)?;
        let (head, on_disk) =
            comparable(head, new.clone(), "HEAD", "working tree", &mut Vec::new());
        compare::compare(&head, &on_disk)
    } else {
        Vec::new()
    };
    let broken = new.unreadable.clone();
    let files = count_files(&old, &new);
    let (old, new) = comparable(
        old,
        std::mem::take(&mut new),
        &from_id.to_string(),
        &if range.to.is_some() {
            tip.to_string()
        } else {
            "working tree".to_owned()
        },
        &mut warnings,
    );
    let now = crate::repo::clock::today()?;
    // A change no commit of the range made lands with its end, and no earlier than its start.
    let end = match &range.to {
        Some(_) => git.commit(tip)?.time.date().max(from_date),
        None => now,
    };
    let makers = Makers {
        events: &log.events,
        messages: &log.messages,
        uncommitted: &uncommitted,
        now,
        end,
        kickoffs: &planning,
        policy: &policy,
    };
    let changes = attribution::attribute(compare::compare(&old, &new), &makers);
    let titles = Titles::of(&new, &old);
    let range_name = if range.from_merge_base {
        format!("{}...{tip_name}", range.from)
    } else {
        format!("{from_name}..{tip_name}")
    };
    Ok(Comparison {
        from: from_name,
        to: tip_name,
        range: range_name,
        changes,
        warnings,
        files,
        broken,
        judged_by,
        titles,
    })
}

fn count_files(old: &Side, new: &Side) -> usize {
    let mut paths: Vec<&str> = old
        .files
        .iter()
        .map(|f| &*f.path)
        .chain(old.unreadable.iter().map(|u| u.path.as_str()))
        .chain(new.files.iter().map(|f| &*f.path))
        .chain(new.unreadable.iter().map(|u| u.path.as_str()))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths.len()
}

/// The two sides' files that can be compared: a file that cannot be read on either side is left out of both
/// (with a warning), so a typo is never taken for every objective of the file removed.
fn comparable(
    old: Side,
    new: Side,
    old_name: &str,
    new_name: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<SnapshotFile>, Vec<SnapshotFile>) {
    let mut skipped: Vec<String> = Vec::new();
    for (side, name) in [(&old, old_name), (&new, new_name)] {
        for file in &side.unreadable {
            warnings.push(Warning {
                commit: name.to_owned(),
                path: file.path.clone(),
                message: format!(
                    "skipped an unreadable revision ({}); its changes are not compared",
                    file.problem
                ),
            });
            skipped.push(file.path.clone());
        }
    }
    let keep = |files: Vec<SnapshotFile>| -> Vec<SnapshotFile> {
        files
            .into_iter()
            .filter(|f| !skipped.iter().any(|s| **s == *f.path))
            .collect()
    };
    (keep(old.files), keep(new.files))
}

/// The OKR files on disk: those that parse, and apart from them those that do not.
pub fn working_tree(workspace: &Workspace) -> Result<Side> {
    let dir = workspace.okr_dir();
    let mut side = Side::default();
    if !dir.is_dir() {
        return Ok(side);
    }
    let candidates = load::discover(workspace, &[dir])?;
    for loaded in candidates.iter().map(|c| load::load(workspace, c)) {
        match loaded.okr {
            Some(okr) => side.files.push(SnapshotFile {
                path: loaded.path.into(),
                okr: Arc::new(okr),
            }),
            None => side.unreadable.push(Unreadable {
                problem: first_problem(&loaded.findings),
                path: loaded.path,
                text: loaded.text,
            }),
        }
    }
    Ok(side)
}

fn first_problem(findings: &[crate::core::diagnostic::Finding]) -> String {
    findings.first().map_or_else(
        || "cannot be read".to_owned(),
        |f| format!("{}:{}: {}", f.pos.line, f.pos.column, f.message),
    )
}

/// Compares two file contents directly, for git's external diff driver: no commits, so reasons come from the
/// YAML alone. A side that does not parse is not compared (a warning says so).
pub fn compare_contents(path: &str, old: Option<Vec<u8>>, new: Option<Vec<u8>>) -> Comparison {
    let side = |bytes: Option<Vec<u8>>| -> Side {
        let mut side = Side::default();
        if let Some(bytes) = bytes {
            let loaded = parse::parse(path, bytes);
            match loaded.okr {
                Some(okr) => side.files.push(SnapshotFile {
                    path: path.into(),
                    okr: Arc::new(okr),
                }),
                None => side.unreadable.push(Unreadable {
                    path: path.to_owned(),
                    problem: first_problem(&loaded.findings),
                    text: loaded.text,
                }),
            }
        }
        side
    };
    let (old, new) = (side(old), side(new));
    let files = count_files(&old, &new);
    let broken = new.unreadable.clone();
    let mut warnings = Vec::new();
    let (from, to) = (format!("a/{path}"), format!("b/{path}"));
    let (old, new) = comparable(old, new, &from, &to, &mut warnings);
    let changes = compare::compare(&old, &new)
        .into_iter()
        .map(ComparedChange::undated)
        .collect();
    let titles = Titles::of(&new, &old);
    Comparison {
        range: format!("{from}..{to}"),
        from,
        to,
        changes,
        warnings,
        files,
        broken,
        judged_by: Config::default(),
        titles,
    }
}
