//! Two revisions of OKR files → the semantic changes between them.
//!
//! Files are matched by quarter and team (from their content, not their path: a renamed file keeps its
//! objectives), objectives by id within their team, key results by id within their objective. Real ids get
//! edited along with their titles, so an objective (or key result) that disappears while another appears in the
//! same change is taken as the same one reworded when their titles are similar or they share key results.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::core::change::{Change, ChangeKind, Context, Value, YamlReason};
use crate::core::diagnostic::Pos;
use crate::core::model::{
    Health, KeyResult, Link, Number, Objective, OkrFile, Priority, Spanned, Status, Text,
    WrittenRetrospective,
};

mod identity;
mod measure;
mod pairing;

pub use identity::team_of;
use identity::{Identity, identity, team_name};
pub use measure::direction;
use pairing::{match_items, shared_key_results, title_score};
pub use pairing::{similarity, word_edits};

/// Sets of a few ids or indices, hashed fast (nothing here is attacker-sized).
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Title similarity (0..1, `similar`'s character ratio) from which a vanished and an appeared item are taken to
/// be one item reworded. See docs/design.md for how the threshold was chosen.
pub const REWORD_SIMILARITY: f32 = 0.85;

/// Share of key result ids two objectives must have in common to be taken as one objective reworded.
pub const SHARED_KEY_RESULTS: f32 = 0.5;

/// One OKR file of a revision.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    /// Shared: history builds a snapshot of every file for every commit it reads, and a path is one
    /// allocation for all of them.
    pub path: Arc<str>,
    pub okr: Arc<OkrFile>,
}

impl SnapshotFile {
    /// The same parsed revision at the same path: by pointer first, as history's snapshots share both.
    pub fn same_revision(&self, other: &SnapshotFile) -> bool {
        Arc::ptr_eq(&self.okr, &other.okr)
            && (Arc::ptr_eq(&self.path, &other.path) || self.path == other.path)
    }
}

/// A file as it was before and after, either possibly absent.
type Revisions<'a> = (Option<&'a SnapshotFile>, Option<&'a SnapshotFile>);

/// The changes from `old` to `new`, ordered by file, then as the items stand in the file.
///
/// Files are paired by team and quarter, whatever their paths. A commit of an organisation's history changes
/// one file of hundreds, so the files that stand at the same place on both sides with the same parsed
/// revision are set aside first, by pointer: they have no changes and pair with nothing else, unless a
/// changed file shares their team (a duplicate, or a file renamed over), and then they are paired as the rest.
/// The pairing of what is left is the pairing of all the files, at a fraction of the cost.
pub fn compare(old: &[SnapshotFile], new: &[SnapshotFile]) -> Vec<Change> {
    let unchanged: Vec<bool> = (0..old.len().max(new.len()))
        .map(|at| match (old.get(at), new.get(at)) {
            (Some(a), Some(b)) => a.same_revision(b),
            _ => false,
        })
        .collect();
    if old.len() == new.len() && unchanged.iter().all(|same| *same) {
        return Vec::new();
    }
    let changed: Vec<Identity<'_>> = old
        .iter()
        .enumerate()
        .chain(new.iter().enumerate())
        .filter(|(at, _)| !unchanged[*at])
        .map(|(_, file)| identity(file))
        .collect();
    // An unchanged file stands aside when no changed file shares its identity: then the last file of that
    // identity is one of the unchanged ones on both sides, the same revision, which has no changes. It is the
    // same file on both sides, so that is asked once, and by its team first (no quarter to work out).
    let changed_teams: Vec<&str> = changed.iter().map(|identity| identity.team).collect();
    let shares_identity: Vec<bool> = unchanged
        .iter()
        .zip(new)
        .map(|(unchanged, file)| {
            *unchanged
                && changed_teams.contains(&team_name(file))
                && changed.contains(&identity(file))
        })
        .collect();
    let paired = |at: usize, _: &SnapshotFile| !unchanged[at] || shares_identity[at];
    let mut pairs: BTreeMap<Identity<'_>, Revisions<'_>> = BTreeMap::new();
    for (at, file) in old.iter().enumerate() {
        if paired(at, file) {
            pairs.entry(identity(file)).or_default().0 = Some(file);
        }
    }
    for (at, file) in new.iter().enumerate() {
        if paired(at, file) {
            pairs.entry(identity(file)).or_default().1 = Some(file);
        }
    }
    // The same parsed revision on both sides (an unchanged or purely renamed file) has no changes.
    let pairs: Vec<(Identity<'_>, Revisions<'_>)> = pairs
        .into_iter()
        .filter(|(_, pair)| !matches!(pair, (Some(a), Some(b)) if Arc::ptr_eq(&a.okr, &b.okr)))
        .collect();
    // Files compare independently: a repository's first commit, or a quarter planned in one, brings
    // thousands, compared on every core.
    if pairs.len() >= FILES_COMPARED_IN_PARALLEL {
        use rayon::prelude::*;
        let per_file: Vec<Vec<Change>> = pairs
            .into_par_iter()
            .map(|(identity, pair)| {
                let mut changes = Vec::new();
                compare_files(&identity, pair, &mut changes);
                changes
            })
            .collect();
        let mut changes = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
        for file in per_file {
            changes.extend(file);
        }
        return changes;
    }
    let mut changes = Vec::new();
    for (identity, pair) in pairs {
        compare_files(&identity, pair, &mut changes);
    }
    changes
}

/// Below this many files to compare, one core does it sooner than the hand-over to several.
const FILES_COMPARED_IN_PARALLEL: usize = 64;

fn compare_files(identity: &Identity<'_>, (before, after): Revisions<'_>, out: &mut Vec<Change>) {
    let quarter = identity.quarter.to_text();
    let mut differ = FileDiff {
        path: after
            .or(before)
            .map(|f| f.path.to_string())
            .unwrap_or_default(),
        quarter: Some(quarter).filter(|q| !q.is_empty()),
        team: identity.team.to_owned(),
        // A team's file appearing is its plan being written, not a change to a plan.
        context: if before.is_none() {
            Context::FirstRevision
        } else {
            Context::Edit
        },
        out,
    };
    let empty = OkrFile::default();
    let before = before.map_or(&empty, |f| &f.okr);
    let after = after.map_or(&empty, |f| &f.okr);
    differ.files(before, after);
}

struct FileDiff<'a> {
    path: String,
    quarter: Option<String>,
    team: String,
    context: Context,
    out: &'a mut Vec<Change>,
}

fn text<T: std::ops::Deref<Target = str>>(value: &Option<Spanned<T>>) -> Option<&str> {
    value.as_ref().map(|s| &*s.value)
}

/// Notes as the YAML's reason for a change written with them.
fn notes(value: &Option<Spanned<Text>>) -> Option<YamlReason> {
    text(value).map(|t| YamlReason::Notes(t.to_owned()))
}

fn id_of(objective: &Objective) -> Option<&str> {
    objective.id.as_ref().map(|i| &*i.value)
}

fn kr_id(kr: &KeyResult) -> Option<&str> {
    kr.id.as_ref().map(|i| &*i.value)
}

fn number(value: &Option<crate::core::model::Spanned<Number>>) -> Option<Number> {
    value.as_ref().map(|n| n.value)
}

impl FileDiff<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        objective: Option<&str>,
        key_result: Option<&str>,
        from: Value,
        to: Value,
        pos: Pos,
    ) -> &mut Change {
        self.out.push(Change {
            kind,
            path: self.path.clone(),
            quarter: self.quarter.clone(),
            team: self.team.clone(),
            objective: objective.map(str::to_owned),
            key_result: key_result.map(str::to_owned),
            from,
            to,
            direction: None,
            words: None,
            previous_id: None,
            yaml_reason: None,
            pos,
            context: self.context,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// A change of a text field (owner, unit), when it changed.
    fn text_change<T: std::ops::Deref<Target = str>>(
        &mut self,
        kind: ChangeKind,
        objective: Option<&str>,
        key_result: Option<&str>,
        (old, new): (&Option<Spanned<T>>, &Option<Spanned<T>>),
        pos: Pos,
    ) {
        if text(old) != text(new) {
            self.push(
                kind,
                objective,
                key_result,
                text(old).into(),
                text(new).into(),
                pos,
            );
        }
    }

    /// A change of a field that names one of a few choices (priority, health), when it changed.
    fn choice_change<T: Copy + PartialEq>(
        &mut self,
        kind: ChangeKind,
        (objective, key_result): (Option<&str>, Option<&str>),
        (old, new): (&Option<Spanned<T>>, &Option<Spanned<T>>),
        name: fn(T) -> &'static str,
        pos: Pos,
    ) {
        let (old, new) = (old.as_ref().map(|o| o.value), new.as_ref().map(|n| n.value));
        if old != new {
            let value =
                |choice: Option<T>| choice.map_or(Value::None, |c| Value::Text(name(c).to_owned()));
            self.push(kind, objective, key_result, value(old), value(new), pos);
        }
    }

    /// A change of a list of links, when it changed: each link as `title <url>`, one per line.
    fn links_change(
        &mut self,
        (objective, key_result): (Option<&str>, Option<&str>),
        (old, new): (&[Link], &[Link]),
        pos: Pos,
    ) {
        let words = |links: &[Link]| -> Value {
            if links.is_empty() {
                return Value::None;
            }
            let lines: Vec<String> = links
                .iter()
                .map(|l| match &l.title {
                    Some(title) => format!("{} <{}>", title.value, l.url.value),
                    None => l.url.value.to_string(),
                })
                .collect();
            Value::Text(lines.join("\n"))
        };
        let (was, is) = (words(old), words(new));
        if was != is {
            self.push(
                ChangeKind::LinksChanged,
                objective,
                key_result,
                was,
                is,
                pos,
            );
        }
    }

    /// A change of the file's retrospective, when what it says changed: each point as `went_well: text`, one per
    /// line.
    fn retrospective_change(
        &mut self,
        old: &Option<WrittenRetrospective>,
        new: &Option<WrittenRetrospective>,
    ) {
        let words = |written: &Option<WrittenRetrospective>| -> Value {
            let lines: Vec<String> = written
                .iter()
                .flat_map(|w| w.sections())
                .flat_map(|(name, items)| items.iter().map(move |i| format!("{name}: {}", i.value)))
                .collect();
            if lines.is_empty() {
                Value::None
            } else {
                Value::Text(lines.join("\n"))
            }
        };
        let (was, is) = (words(old), words(new));
        if was != is {
            let pos = new.as_ref().map_or(Pos::START, |w| w.pos);
            self.push(ChangeKind::RetrospectiveChanged, None, None, was, is, pos);
        }
    }

    fn files(&mut self, old: &OkrFile, new: &OkrFile) {
        if text(&old.owner) != text(&new.owner) && (old.team.is_some() && new.team.is_some()) {
            let pos = new.owner.as_ref().map_or(Pos::START, |o| o.pos);
            self.push(
                ChangeKind::OwnerChanged,
                None,
                None,
                text(&old.owner).into(),
                text(&new.owner).into(),
                pos,
            );
        }
        if old.team.is_some() && new.team.is_some() {
            let pos = new.links.first().map_or(Pos::START, |l| l.url.pos);
            self.links_change((None, None), (&old.links, &new.links), pos);
            self.retrospective_change(&old.retrospective, &new.retrospective);
        }
        let pairing = match_items(
            &old.objectives,
            &new.objectives,
            id_of,
            |o, n| {
                let by_title = title_score(text(&o.title), text(&n.title));
                let by_krs = shared_key_results(o, n);
                match (by_title, by_krs) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                }
            },
            |o, n| text(&o.title) == text(&n.title),
        );
        for (j, objective) in new.objectives.iter().enumerate() {
            match pairing.old_of[j] {
                Some(i) => self.objectives(&old.objectives[i], objective),
                None => self.added(objective),
            }
        }
        for (i, objective) in old.objectives.iter().enumerate() {
            if !pairing.matched_old[i] {
                let id = id_of(objective);
                self.push(
                    ChangeKind::ObjectiveRemoved,
                    id,
                    None,
                    text(&objective.title).into(),
                    Value::None,
                    new.objectives_key.unwrap_or(Pos::START),
                );
            }
        }
    }

    fn added(&mut self, objective: &Objective) {
        let id = id_of(objective);
        let change = self.push(
            ChangeKind::ObjectiveAdded,
            id,
            None,
            Value::None,
            text(&objective.title).into(),
            objective.pos,
        );
        change.yaml_reason = notes(&objective.notes);
        for kr in &objective.key_results {
            let change = self.push(
                ChangeKind::KrAdded,
                id,
                kr_id(kr),
                Value::None,
                text(&kr.title).into(),
                kr.pos,
            );
            if change.context == Context::Edit {
                change.context = Context::WithObjective;
            }
        }
    }

    fn objectives(&mut self, old: &Objective, new: &Objective) {
        let id = id_of(new);
        let pos = new.pos;
        let notes_changed = text(&old.notes) != text(&new.notes);
        let objective_reason = if notes_changed {
            notes(&new.notes)
        } else {
            None
        };
        let first = self.out.len();

        if text(&old.title) != text(&new.title) || id_of(old) != id {
            let change = self.push(
                ChangeKind::ObjectiveReworded,
                id,
                None,
                text(&old.title).into(),
                text(&new.title).into(),
                pos,
            );
            if let (Some(a), Some(b)) = (text(&old.title), text(&new.title)) {
                change.words = Some(word_edits(a, b));
            }
            if id_of(old) != id {
                change.previous_id = id_of(old).map(str::to_owned);
            }
        }
        let old_alignment = old.aligns_to.as_ref().map(|a| a.value.to_string());
        let new_alignment = new.aligns_to.as_ref().map(|a| a.value.to_string());
        if old_alignment != new_alignment {
            self.push(
                ChangeKind::ObjectiveRealigned,
                id,
                None,
                old_alignment.as_deref().into(),
                new_alignment.as_deref().into(),
                pos,
            );
        }
        let old_origin = old.carried_from.as_ref().map(|q| q.value.to_string());
        let new_origin = new.carried_from.as_ref().map(|q| q.value.to_string());
        if old_origin != new_origin {
            self.push(
                ChangeKind::ObjectiveCarriedFromChanged,
                id,
                None,
                old_origin.as_deref().into(),
                new_origin.as_deref().into(),
                pos,
            );
        }
        if old.status() != new.status() {
            let kind = if new.status() == Status::Dropped {
                ChangeKind::ObjectiveDropped
            } else {
                ChangeKind::ObjectiveStatusChanged
            };
            let change = self.push(
                kind,
                id,
                None,
                Value::Status(old.status()),
                Value::Status(new.status()),
                pos,
            );
            if kind == ChangeKind::ObjectiveDropped {
                change.yaml_reason = new
                    .dropped
                    .as_ref()
                    .and_then(|d| text(&d.reason))
                    .map(|r| YamlReason::Dropped(r.to_owned()));
            }
        }
        if old.objective_type() != new.objective_type() {
            self.push(
                ChangeKind::ObjectiveTypeChanged,
                id,
                None,
                Value::Type(old.objective_type()),
                Value::Type(new.objective_type()),
                pos,
            );
        }
        self.text_change(
            ChangeKind::OwnerChanged,
            id,
            None,
            (&old.owner, &new.owner),
            pos,
        );
        self.choice_change(
            ChangeKind::PriorityChanged,
            (id, None),
            (&old.priority, &new.priority),
            Priority::as_str,
            pos,
        );
        self.links_change((id, None), (&old.links, &new.links), pos);
        if notes_changed {
            self.push(
                ChangeKind::NotesChanged,
                id,
                None,
                text(&old.notes).into(),
                text(&new.notes).into(),
                pos,
            );
        }
        // Notes written in the same change are the YAML's reason for it (a dropped reason is more specific).
        for change in &mut self.out[first..] {
            if change.yaml_reason.is_none() && change.kind != ChangeKind::NotesChanged {
                change.yaml_reason = objective_reason.clone();
            }
        }
        self.key_results(id, old, new);
    }

    fn key_results(&mut self, objective: Option<&str>, old: &Objective, new: &Objective) {
        let pairing = match_items(
            &old.key_results,
            &new.key_results,
            kr_id,
            |o, n| title_score(text(&o.title), text(&n.title)),
            |o, n| text(&o.title) == text(&n.title),
        );
        for (j, kr) in new.key_results.iter().enumerate() {
            match pairing.old_of[j] {
                Some(i) => self.key_result(objective, &old.key_results[i], kr),
                None => {
                    let change = self.push(
                        ChangeKind::KrAdded,
                        objective,
                        kr_id(kr),
                        Value::None,
                        text(&kr.title).into(),
                        kr.pos,
                    );
                    change.yaml_reason = notes(&kr.notes);
                }
            }
        }
        for (i, kr) in old.key_results.iter().enumerate() {
            if !pairing.matched_old[i] {
                self.push(
                    ChangeKind::KrRemoved,
                    objective,
                    kr_id(kr),
                    text(&kr.title).into(),
                    Value::None,
                    new.pos,
                );
            }
        }
    }

    fn key_result(&mut self, objective: Option<&str>, old: &KeyResult, new: &KeyResult) {
        let id = kr_id(new);
        let pos = new.pos;
        let notes_changed = text(&old.notes) != text(&new.notes);
        let first = self.out.len();

        if text(&old.title) != text(&new.title) || kr_id(old) != id {
            let change = self.push(
                ChangeKind::KrReworded,
                objective,
                id,
                text(&old.title).into(),
                text(&new.title).into(),
                pos,
            );
            if let (Some(a), Some(b)) = (text(&old.title), text(&new.title)) {
                change.words = Some(word_edits(a, b));
            }
            if kr_id(old) != id {
                change.previous_id = kr_id(old).map(str::to_owned);
            }
        }
        self.measure(objective, id, (old, new), pos);
        let confidence = (number(&old.confidence), number(&new.confidence));
        if confidence.0 != confidence.1 {
            self.push(
                ChangeKind::KrConfidenceChanged,
                objective,
                id,
                confidence.0.into(),
                confidence.1.into(),
                pos,
            );
        }
        let score = (number(&old.score), number(&new.score));
        if score.0 != score.1 {
            self.push(
                ChangeKind::KrScored,
                objective,
                id,
                score.0.into(),
                score.1.into(),
                pos,
            );
        }
        self.text_change(
            ChangeKind::KrUnitChanged,
            objective,
            id,
            (&old.unit, &new.unit),
            pos,
        );
        self.text_change(
            ChangeKind::OwnerChanged,
            objective,
            id,
            (&old.owner, &new.owner),
            pos,
        );
        self.choice_change(
            ChangeKind::PriorityChanged,
            (objective, id),
            (&old.priority, &new.priority),
            Priority::as_str,
            pos,
        );
        self.choice_change(
            ChangeKind::KrHealthChanged,
            (objective, id),
            (&old.health, &new.health),
            Health::as_str,
            pos,
        );
        self.links_change((objective, id), (&old.links, &new.links), pos);
        if notes_changed {
            self.push(
                ChangeKind::NotesChanged,
                objective,
                id,
                text(&old.notes).into(),
                text(&new.notes).into(),
                pos,
            );
            let reason = notes(&new.notes);
            for change in &mut self.out[first..] {
                if change.kind != ChangeKind::NotesChanged {
                    change.yaml_reason = reason.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{Direction, WordOp};

    fn snapshot(path: &str, text: &str) -> Vec<SnapshotFile> {
        let loaded = crate::core::parse::parse(path, text.as_bytes().to_vec());
        vec![SnapshotFile {
            path: path.into(),
            okr: Arc::new(loaded.okr.expect("parses")),
        }]
    }

    /// The pairing of every file, as `compare` made it before it set unchanged files aside.
    fn compare_pairing_all(old: &[SnapshotFile], new: &[SnapshotFile]) -> Vec<Change> {
        let mut pairs: BTreeMap<Identity<'_>, Revisions<'_>> = BTreeMap::new();
        for file in old {
            pairs.entry(identity(file)).or_default().0 = Some(file);
        }
        for file in new {
            pairs.entry(identity(file)).or_default().1 = Some(file);
        }
        let mut changes = Vec::new();
        for (identity, (before, after)) in pairs {
            if let (Some(a), Some(b)) = (before, after)
                && Arc::ptr_eq(&a.okr, &b.okr)
            {
                continue;
            }
            let mut differ = FileDiff {
                path: after
                    .or(before)
                    .map(|f| f.path.to_string())
                    .unwrap_or_default(),
                quarter: Some(identity.quarter.to_text()).filter(|q| !q.is_empty()),
                team: identity.team.to_owned(),
                context: if before.is_none() {
                    Context::FirstRevision
                } else {
                    Context::Edit
                },
                out: &mut changes,
            };
            let empty = OkrFile::default();
            differ.files(
                before.map_or(&empty, |f| &f.okr),
                after.map_or(&empty, |f| &f.okr),
            );
        }
        changes
    }

    #[test]
    fn setting_unchanged_files_aside_pairs_files_as_pairing_them_all_does() {
        let file = |path: &str, text: &str| snapshot(path, text).remove(0);
        let team = |name: &str, target: &str| {
            BASE.replace("team: platform", &format!("team: {name}"))
                .replace("target: 2", &format!("target: {target}"))
        };
        let api = file("okrs/2026-Q3/api.yaml", &team("api", "2"));
        let platform = file("okrs/2026-Q3/platform.yaml", &team("platform", "2"));
        let web = file("okrs/2026-Q3/web.yaml", &team("web", "2"));
        // A second file claiming the platform team, unchanged, sorted after the first.
        let platform_copy = file("okrs/2026-Q3/z-platform.yaml", &team("platform", "3"));
        let platform_eased = file("okrs/2026-Q3/platform.yaml", &team("platform", "4"));
        let renamed = SnapshotFile {
            path: "okrs/2026-Q3/platform-team.yaml".into(),
            okr: platform.okr.clone(),
        };
        let cases: Vec<(&str, Vec<SnapshotFile>, Vec<SnapshotFile>)> = vec![
            (
                "one file of three changed",
                vec![api.clone(), platform.clone(), web.clone()],
                vec![api.clone(), platform_eased.clone(), web.clone()],
            ),
            (
                "a duplicate team, the other file changed",
                vec![platform.clone(), platform_copy.clone()],
                vec![platform_eased.clone(), platform_copy.clone()],
            ),
            (
                "a duplicate team added",
                vec![api.clone(), platform.clone()],
                vec![api.clone(), platform.clone(), platform_copy.clone()],
            ),
            (
                "a file renamed",
                vec![api.clone(), platform.clone(), web.clone()],
                vec![api.clone(), renamed.clone(), web.clone()],
            ),
            (
                "a file added before the others",
                vec![platform.clone(), web.clone()],
                vec![api.clone(), platform_eased.clone(), web.clone()],
            ),
            (
                "a file removed",
                vec![api.clone(), platform.clone(), web.clone()],
                vec![api.clone(), web.clone()],
            ),
            (
                "nothing changed",
                vec![api.clone(), web.clone()],
                vec![api.clone(), web.clone()],
            ),
        ];
        for (what, old, new) in cases {
            for (old, new) in [(&old, &new), (&new, &old)] {
                assert_eq!(
                    format!("{:?}", compare(old, new)),
                    format!("{:?}", compare_pairing_all(old, new)),
                    "{what}"
                );
            }
        }
    }

    #[test]
    fn many_files_compared_on_every_core_give_the_changes_in_the_order_of_one() {
        let teams = FILES_COMPARED_IN_PARALLEL * 3;
        let files = |target: &str| -> Vec<SnapshotFile> {
            (0..teams)
                .map(|i| {
                    let text = BASE
                        .replace("team: platform", &format!("team: team-{i:04}"))
                        .replace("target: 2", &format!("target: {target}"));
                    snapshot(&format!("okrs/2026-Q3/team-{i:04}.yaml"), &text).remove(0)
                })
                .collect()
        };
        let (planned, eased) = (files("2"), files("4"));
        for (old, new) in [(&[][..], &planned[..]), (&planned[..], &eased[..])] {
            let changes = compare(old, new);
            assert!(changes.len() >= teams, "{}", changes.len());
            assert_eq!(
                format!("{changes:?}"),
                format!("{:?}", compare_pairing_all(old, new))
            );
        }
    }

    const BASE: &str = "\
quarter: 2026-Q3
team: platform
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2
        current: 9
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false
";

    #[test]
    fn a_file_is_the_same_team_and_quarter_whether_the_quarter_is_written_or_taken_from_its_folder()
    {
        let old = snapshot("okrs/2026-Q3/platform.yaml", BASE);
        let without_quarter = BASE.replace("quarter: 2026-Q3\n", "");
        let new = snapshot(
            "okrs/2026-Q3/platform.yaml",
            &without_quarter.replace("target: 2", "target: 4"),
        );
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, ChangeKind::KrTargetChanged);
        assert_eq!(changes[0].quarter.as_deref(), Some("2026-Q3"));
        // Files of several quarters come out ordered by quarter, then team, as text.
        let mut both = snapshot(
            "okrs/2026-Q4/api.yaml",
            &BASE
                .replace("2026-Q3", "2026-Q4")
                .replace("platform", "api"),
        );
        both.extend(old.clone());
        let added = compare(&[], &both);
        let order: Vec<(Option<&str>, &str)> = added
            .iter()
            .map(|c| (c.quarter.as_deref(), c.team.as_str()))
            .collect();
        assert_eq!(order.first(), Some(&(Some("2026-Q3"), "platform")));
        assert_eq!(order.last(), Some(&(Some("2026-Q4"), "api")));
    }

    fn kinds(old: &str, new: &str) -> Vec<(ChangeKind, Value, Value)> {
        compare(
            &snapshot("okrs/2026-Q3/platform.yaml", old),
            &snapshot("okrs/2026-Q3/platform.yaml", new),
        )
        .into_iter()
        .map(|c| (c.kind, c.from, c.to))
        .collect()
    }

    #[test]
    fn identical_revisions_have_no_changes() {
        assert!(kinds(BASE, BASE).is_empty());
    }

    #[test]
    fn a_lowered_target_on_a_lower_is_better_metric_is_harder() {
        let changes = compare(
            &snapshot("okrs/2026-Q3/platform.yaml", BASE),
            &snapshot(
                "okrs/2026-Q3/platform.yaml",
                &BASE.replace("target: 2", "target: 1"),
            ),
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::KrTargetChanged);
        assert_eq!(
            (changes[0].from.clone(), changes[0].to.clone()),
            (Value::Number(Number(2.0)), Value::Number(Number(1.0)))
        );
        assert_eq!(changes[0].direction, Some(Direction::Harder));
        assert_eq!(changes[0].key_result.as_deref(), Some("failed-deploys"));
    }

    #[test]
    fn a_target_moved_toward_the_start_is_easier() {
        assert_eq!(
            direction(Number(12.0), Number(2.0), Number(4.0)),
            Direction::Easier
        );
        assert_eq!(
            direction(Number(0.0), Number(10.0), Number(20.0)),
            Direction::Harder
        );
        assert_eq!(
            direction(Number(99.0), Number(99.99), Number(99.9)),
            Direction::Easier
        );
        // Onto the start or past it asks for nothing more: easier, not harder.
        assert_eq!(
            direction(Number(12.0), Number(2.0), Number(12.0)),
            Direction::Easier
        );
        assert_eq!(
            direction(Number(12.0), Number(2.0), Number(13.0)),
            Direction::Easier
        );
        assert_eq!(
            direction(Number(0.0), Number(10.0), Number(-1.0)),
            Direction::Easier
        );
        // From a target that asked for nothing, any move asks for more.
        assert_eq!(
            direction(Number(5.0), Number(5.0), Number(3.0)),
            Direction::Harder
        );
    }

    #[test]
    fn progress_toggles_and_check_ins_are_progress() {
        let new = BASE
            .replace("current: 9", "current: 7")
            .replace("done: false", "done: true");
        let found = kinds(BASE, &new);
        assert_eq!(
            found,
            [
                (
                    ChangeKind::KrProgress,
                    Value::Number(Number(9.0)),
                    Value::Number(Number(7.0))
                ),
                (
                    ChangeKind::KrProgress,
                    Value::Bool(false),
                    Value::Bool(true)
                ),
            ]
        );
    }

    #[test]
    fn an_id_edited_with_its_title_is_a_rewording_not_a_removal() {
        let old = BASE.replace(
            "id: boring-deploys\n    title: Make deploys boring",
            "id: releases-on-tracky\n    title: Keep releases on tracky",
        );
        let new = BASE.replace(
            "id: boring-deploys\n    title: Make deploys boring",
            "id: releases-on-track\n    title: Keep releases on track",
        );
        let changes = compare(
            &snapshot("okrs/2026-Q3/p.yaml", &old),
            &snapshot("okrs/2026-Q3/p.yaml", &new),
        );
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].kind, ChangeKind::ObjectiveReworded);
        assert_eq!(
            changes[0].previous_id.as_deref(),
            Some("releases-on-tracky")
        );
        let words = changes[0].words.as_ref().unwrap();
        assert!(
            words
                .iter()
                .any(|w| w.op == WordOp::Delete && w.text == "tracky")
        );
        assert!(
            words
                .iter()
                .any(|w| w.op == WordOp::Insert && w.text == "track")
        );
    }

    #[test]
    fn a_different_objective_is_removed_and_added() {
        let new = BASE
            .replace(
                "id: boring-deploys\n    title: Make deploys boring",
                "id: faster-builds\n    title: Halve CI build times",
            )
            .replace("failed-deploys", "build-minutes")
            .replace("rollback-runbook", "cache-hits");
        let found: Vec<ChangeKind> = kinds(BASE, &new).into_iter().map(|c| c.0).collect();
        assert_eq!(
            found,
            [
                ChangeKind::ObjectiveAdded,
                ChangeKind::KrAdded,
                ChangeKind::KrAdded,
                ChangeKind::ObjectiveRemoved
            ]
        );
    }

    #[test]
    fn dropping_an_objective_carries_the_reason_from_the_yaml() {
        let new = BASE.replace(
            "    type: committed\n",
            "    type: committed\n    status: dropped\n    dropped:\n      date: 2026-08-12\n      reason: Vendor covers it\n",
        );
        let changes = compare(
            &snapshot("okrs/2026-Q3/p.yaml", BASE),
            &snapshot("okrs/2026-Q3/p.yaml", &new),
        );
        assert_eq!(changes[0].kind, ChangeKind::ObjectiveDropped);
        assert_eq!(
            changes[0].yaml_reason,
            Some(YamlReason::Dropped("Vendor covers it".to_owned()))
        );
    }

    #[test]
    fn a_renamed_file_keeps_its_objectives() {
        let changes = compare(
            &snapshot("okrs/2026-Q3/infra.yaml", BASE),
            &snapshot("okrs/2026-Q3/platform.yaml", BASE),
        );
        assert!(changes.is_empty(), "{changes:#?}");
    }

    #[test]
    fn a_new_file_adds_every_objective_and_key_result() {
        let changes = compare(&[], &snapshot("okrs/2026-Q3/platform.yaml", BASE));
        let found: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            found,
            [
                ChangeKind::ObjectiveAdded,
                ChangeKind::KrAdded,
                ChangeKind::KrAdded
            ]
        );
    }

    #[test]
    fn notes_written_with_a_target_change_are_its_reason() {
        let new = BASE.replace(
            "        target: 2\n",
            "        target: 4\n        notes: Two teams moved to the new pipeline late\n",
        );
        let changes = compare(
            &snapshot("okrs/2026-Q3/p.yaml", BASE),
            &snapshot("okrs/2026-Q3/p.yaml", &new),
        );
        let target = changes
            .iter()
            .find(|c| c.kind == ChangeKind::KrTargetChanged)
            .unwrap();
        assert_eq!(target.direction, Some(Direction::Easier));
        assert_eq!(
            target.yaml_reason,
            Some(YamlReason::Notes(
                "Two teams moved to the new pipeline late".to_owned()
            ))
        );
    }
}
