//! `okr history` as text: a summary of the quarter, then the timeline, grouped by commit, oldest first.
//!
//! The engine decided everything (what changed, what is a pivot, the reason); this module only lays it out.
//! A change is marked as a pivot when the summary lists it: mid-quarter changes of plan, not the planning
//! edits before kickoff and not an objective being finished. Progress check-ins are the bulk of a quarter's
//! history, so they are folded to one line per objective and commit.

use std::fmt::Write as _;

use super::text::human_warnings;
use super::text::{
    self, BOLD, COMMIT, DIM, Format, PIVOT, WARN, day, describe, paint, plural, reason_lines,
    short_commit, terminal_safe, trim_lines,
};
use crate::core::change::{ChangeKind, Value};
use crate::core::history::{Event, History};
use crate::view::Reasoning;
use crate::view::history::{Commit, HistoryPage, Item};

pub fn human(page: &HistoryPage) -> String {
    let history = &page.history;
    let f = Format::Human;
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "okr history: {}, {} to {}",
                history.quarter, history.start, history.end
            )
        )
    );
    let _ = writeln!(
        out,
        "kickoff {}: the planning window closed, later changes are mid-quarter",
        history.kickoff
    );
    out.push('\n');
    human_summary(&mut out, page, f);
    out.push('\n');
    let _ = writeln!(out, "{}", paint(BOLD, "TIMELINE"));
    if history.events.is_empty() {
        let _ = writeln!(out, "\nno changes to {} OKRs", history.quarter);
    }
    let mut section = None;
    for commit in &page.commits {
        let mid = history.events[commit.first].mid_quarter;
        if section != Some(mid) {
            section = Some(mid);
            let title = if mid {
                format!("After kickoff (from {})", history.kickoff)
            } else {
                format!("Planning (before {})", history.kickoff)
            };
            let _ = writeln!(out, "\n{}", paint(BOLD, &title));
        }
        out.push('\n');
        human_commit(&mut out, page, commit, f);
    }
    human_warnings(&mut out, &history.warnings);
    trim_lines(&out)
}

pub fn markdown(page: &HistoryPage) -> String {
    super::markdown::history::render(page)
}

/// `platform/boring-deploys`, or the team alone for a change to the file itself.
pub(crate) fn place(event: &Event, f: Format) -> String {
    match &event.change.objective {
        Some(objective) => format!("{}/{}", f.esc(&event.change.team), f.esc(objective)),
        None => f.esc(&event.change.team),
    }
}

/// `platform/boring-deploys KR lead-time: target 8 → 4 (harder)`.
pub(crate) fn change_line(event: &Event, f: Format) -> String {
    let described = describe(&event.change, f);
    match described.subject {
        Some(subject) => format!("{} {subject}: {}", place(event, f), described.what),
        None => format!("{}: {}", place(event, f), described.what),
    }
}

/// `crash-free 98.9 → 99 (confidence 0.6 → 0.7, health at_risk), cold-start 3.1 → 2.2`.
pub(crate) fn check_in_line(events: &[Event], key_results: &[Vec<usize>], f: Format) -> String {
    let parts: Vec<String> = key_results
        .iter()
        .map(|indices| {
            let kr = events[indices[0]]
                .change
                .key_result
                .as_deref()
                .map_or_else(String::new, |k| f.esc(k));
            let mut progress = None;
            // The owner's judgement beside the numbers: confidence, health.
            let mut judged: Vec<String> = Vec::new();
            for &i in indices {
                let change = &events[i].change;
                let values = match change.from {
                    Value::None => f.value(&change.to),
                    _ => format!("{} → {}", f.value(&change.from), f.value(&change.to)),
                };
                match change.kind {
                    ChangeKind::KrProgress => progress = Some(values),
                    ChangeKind::KrConfidenceChanged => judged.push(format!("confidence {values}")),
                    ChangeKind::KrHealthChanged => judged.push(format!("health {values}")),
                    other => judged.push(format!("{} {values}", other.as_str())),
                }
            }
            let judged = (!judged.is_empty()).then(|| judged.join(", "));
            match (progress, judged) {
                (Some(p), Some(c)) => format!("{kr} {p} ({c})"),
                (Some(p), None) => format!("{kr} {p}"),
                (None, Some(c)) => format!("{kr} {c}"),
                (None, None) => kr,
            }
        })
        .collect();
    parts.join(", ")
}

/// The reasons of an item's events, in order, each once.
pub(crate) fn item_reasons<'a>(events: &'a [Event], item: &Item) -> Vec<(usize, &'a str)> {
    let indices: Vec<usize> = match item {
        Item::Change { head, nested } => std::iter::once(*head)
            .chain(nested.iter().copied())
            .collect(),
        Item::CheckIn { key_results, .. } => key_results.iter().flatten().copied().collect(),
    };
    let mut reasons: Vec<(usize, &str)> = Vec::new();
    for i in indices {
        if let Some(reason) = events[i].reason.as_deref()
            && !reasons.iter().any(|(_, r)| *r == reason)
        {
            reasons.push((i, reason));
        }
    }
    reasons
}

/// Text already shown in a commit (reasons, and notes, which are often the reason itself), so the same text
/// is not printed twice in a row.
#[derive(Default)]
pub(crate) struct Shown<'a>(Vec<&'a str>);

impl<'a> Shown<'a> {
    pub(crate) fn first_time(&mut self, text: &'a str) -> bool {
        let text = text.trim();
        if self.0.contains(&text) {
            return false;
        }
        self.0.push(text);
        true
    }
}

pub(crate) fn notes_text(event: &Event) -> Option<&str> {
    match (&event.change.kind, &event.change.to) {
        (ChangeKind::NotesChanged, Value::Text(text)) => Some(text.as_str()),
        _ => None,
    }
}

const TAG_WIDTH: usize = 9;

fn human_commit(out: &mut String, page: &HistoryPage, commit: &Commit, f: Format) {
    let history = &page.history;
    let Format::Human = f else {
        unreachable!("human output")
    };
    let events = &history.events;
    let head = &events[commit.first];
    let _ = writeln!(
        out,
        "{}  {}  {}  {}",
        paint(BOLD, day(&head.date)),
        terminal_safe(&head.author),
        paint(COMMIT, &terminal_safe(short_commit(&head.commit))),
        paint(BOLD, &terminal_safe(&head.message))
    );
    let indent = " ".repeat(2 + TAG_WIDTH);
    let shared = commit.shared_reason.as_ref().map(Option::as_deref);
    if let Some(Some(reason)) = shared {
        write_why(out, &indent, "why: ", reason);
    }
    let mut shown = Shown::default();
    if let Some(Some(reason)) = shared {
        shown.first_time(reason);
    }
    for item in &commit.items {
        match item {
            Item::Change { head, nested } => {
                let event = &events[*head];
                let pivot = page.is_pivot(*head);
                let tag = if pivot {
                    paint(PIVOT, &format!("{:<w$}", "▲ pivot", w = TAG_WIDTH))
                } else {
                    " ".repeat(TAG_WIDTH)
                };
                let mut line = change_line(event, f);
                if let Some(notes) = notes_text(event)
                    && !shown.first_time(notes)
                {
                    line = format!(
                        "{}: notes set to the reason above",
                        match describe(&event.change, f).subject {
                            Some(subject) => format!("{} {subject}", place(event, f)),
                            None => place(event, f),
                        }
                    );
                }
                if event.planned_late {
                    line.push_str(&format!("  (planned late, on {})", day(&event.landed)));
                }
                if page.reasoning[*head] == Reasoning::Missing {
                    line.push_str("  ");
                    line.push_str(&paint(WARN, "⚠ no reason given"));
                }
                let mut lines = line.split('\n');
                let _ = writeln!(out, "  {tag}{}", lines.next().unwrap_or_default());
                for more in lines {
                    let _ = writeln!(out, "{indent}  {more}");
                }
                for &kr in nested {
                    let change = &events[kr].change;
                    let _ = writeln!(
                        out,
                        "{indent}  {} KR {} — {}",
                        paint(text::ADDED, "+"),
                        terminal_safe(change.key_result.as_deref().unwrap_or_default()),
                        f.value(&change.to)
                    );
                }
            }
            Item::CheckIn { head, key_results } => {
                let event = &events[*head];
                let line = format!(
                    "{:<w$}{}: {}",
                    "check-in",
                    place(event, f),
                    check_in_line(events, key_results, f),
                    w = TAG_WIDTH
                );
                let _ = writeln!(out, "  {}", paint(DIM, &line));
            }
        }
        if shared.is_none() {
            for (i, reason) in item_reasons(events, item) {
                if !shown.first_time(reason) {
                    continue;
                }
                let label = match item {
                    Item::CheckIn { key_results, .. } if key_results.len() > 1 => format!(
                        "why ({}): ",
                        terminal_safe(events[i].change.key_result.as_deref().unwrap_or_default())
                    ),
                    _ => "why: ".to_owned(),
                };
                write_why(out, &indent, &label, reason);
            }
        }
    }
}

/// `why: first line` with the other lines of the reason aligned under the first.
fn write_why(out: &mut String, indent: &str, label: &str, reason: &str) {
    let lines = reason_lines(reason);
    let hang = " ".repeat(label.chars().count());
    for (n, line) in lines.iter().enumerate() {
        let lead = if n == 0 { label } else { hang.as_str() };
        let _ = writeln!(out, "{indent}{lead}{line}");
    }
}

fn human_summary(out: &mut String, page: &HistoryPage, f: Format) {
    let history = &page.history;
    let Format::Human = f else {
        unreachable!("human output")
    };
    let summary = &history.summary;
    let _ = writeln!(out, "{}", paint(BOLD, "SUMMARY"));
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "At kickoff: {}",
                plural(summary.kickoff.len(), "objective", "objectives")
            )
        )
    );
    let mut team = None;
    for objective in &summary.kickoff {
        if team != Some(&objective.team) {
            team = Some(&objective.team);
            let _ = writeln!(out, "  {}", terminal_safe(&objective.team));
        }
        let _ = writeln!(
            out,
            "    {} — {} ({})",
            terminal_safe(&objective.objective),
            terminal_safe(&objective.title),
            plural(objective.key_results, "KR", "KRs")
        );
    }
    if !summary.planned_late.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                BOLD,
                &format!(
                    "Planned late: {} (a team's first plan, written after kickoff)",
                    plural(summary.planned_late.len(), "objective", "objectives")
                )
            )
        );
        for &i in &summary.planned_late {
            let event = &history.events[i];
            let _ = writeln!(
                out,
                "  {}  {}",
                day(&event.landed),
                summary_what(history, event, f)
            );
        }
    }
    let sections: [(&str, &[usize]); 6] = [
        ("Added after kickoff", &summary.added_after_kickoff),
        ("Dropped", &summary.dropped),
        ("Removed without being marked dropped", &summary.removed),
        ("Targets made easier", &summary.made_easier),
        ("Targets made harder", &summary.made_harder),
        ("Other pivots", &summary.other_pivots),
    ];
    for (title, indices) in sections {
        let heading = if indices.is_empty() {
            format!("{title}: none")
        } else {
            format!("{title}: {}", indices.len())
        };
        let _ = writeln!(out, "\n{}", paint(BOLD, &heading));
        for &i in indices {
            let event = &history.events[i];
            let what = summary_what(history, event, f);
            let what = match event.change.kind {
                ChangeKind::ObjectiveAdded => paint(text::ADDED, &what),
                ChangeKind::ObjectiveDropped | ChangeKind::ObjectiveRemoved => {
                    paint(text::REMOVED, &what)
                }
                _ => what,
            };
            let _ = writeln!(out, "  {}  {what}", day(&event.landed));
            let indent = " ".repeat(14);
            match &event.reason {
                Some(reason) => write_why(out, &indent, "why: ", reason),
                None if page.reasoning[i] == Reasoning::Missing => {
                    let _ = writeln!(out, "{indent}{}", paint(WARN, "⚠ no reason given"));
                }
                None => {}
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            BOLD,
            &format!(
                "Check-ins: {}",
                plural(summary.check_ins, "progress update", "progress updates")
            )
        )
    );
}

/// A summary entry: an objective with its title for additions and removals, else the change itself.
pub(crate) fn summary_what(history: &History, event: &Event, f: Format) -> String {
    let change = &event.change;
    let title = match change.kind {
        ChangeKind::ObjectiveAdded => Some(f.value(&change.to)),
        ChangeKind::ObjectiveRemoved => Some(f.value(&change.from)),
        ChangeKind::ObjectiveDropped => history
            .summary
            .kickoff
            .iter()
            .find(|k| Some(&k.objective) == change.objective.as_ref() && k.team == change.team)
            .map(|k| f.esc(&k.title)),
        _ => None,
    };
    match change.kind {
        ChangeKind::ObjectiveAdded
        | ChangeKind::ObjectiveRemoved
        | ChangeKind::ObjectiveDropped => match title {
            Some(title) => format!("{} — {title}", place(event, f)),
            None => place(event, f),
        },
        _ => change_line(event, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::Context;
    use crate::core::change::{Change, Direction, WordEdit, WordOp};
    use crate::core::diagnostic::Pos;
    use crate::core::history::{KickoffObjective, Summary, Warning};
    use crate::core::model::Number;
    use crate::core::reason::ReasonSource;

    const PLANNING: &str = "2026-07-02T10:00:00+02:00";
    const MID: &str = "2026-08-12T16:20:00-07:00";

    fn page(history: History) -> HistoryPage {
        HistoryPage::new(history, jiff::civil::Date::constant(2026, 10, 1))
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    fn num(n: f64) -> Value {
        Value::Number(Number(n))
    }

    /// An event of team `platform`; `at` is `PLANNING` or `MID`.
    fn event(
        kind: ChangeKind,
        objective: &str,
        kr: Option<&str>,
        (from, to): (Value, Value),
        (commit, at): (&str, &str),
        reason: Option<&str>,
    ) -> Event {
        let change = Change {
            kind,
            path: "okrs/2026-Q3/platform.yaml".to_owned(),
            quarter: Some("2026-Q3".to_owned()),
            team: "platform".to_owned(),
            objective: Some(objective.to_owned()),
            key_result: kr.map(str::to_owned),
            from,
            to,
            direction: None,
            words: None,
            previous_id: None,
            yaml_reason: None,
            pos: Pos::START,
            context: Context::Edit,
        };
        Event {
            commit: commit.repeat(40 / commit.len()).into(),
            date: at.into(),
            landed: at.into(),
            author: "Marcus Chen".into(),
            message: format!("Commit {commit}").into(),
            mid_quarter: at == MID,
            planned_late: false,
            requires_reason: at == MID && crate::core::policy::Rule::of(&change).is_some(),
            reason: reason.map(str::to_owned),
            reason_source: reason.map(|_| ReasonSource::Trailer),
            change,
        }
    }

    /// A key result added with its new objective.
    fn with_objective(mut event: Event) -> Event {
        event.change.context = Context::WithObjective;
        event
    }

    fn history(events: Vec<Event>, summary: Summary) -> History {
        History {
            quarter: "2026-Q3".parse().unwrap(),
            start: "2026-07-01".parse().unwrap(),
            end: "2026-09-30".parse().unwrap(),
            kickoff: "2026-07-15".parse().unwrap(),
            events,
            warnings: Vec::new(),
            summary,
            kickoff_state: Vec::new(),
            late_plans: Vec::new(),
            removed_key_results: Vec::new(),
            trajectories: Vec::new(),
        }
    }

    fn kickoff(objective: &str, title: &str, key_results: usize) -> KickoffObjective {
        KickoffObjective {
            team: "platform".to_owned(),
            objective: objective.to_owned(),
            title: title.to_owned(),
            key_results,
        }
    }

    /// A quarter with one of everything: planning edits, then each kind of pivot, and check-ins.
    fn quarter() -> History {
        use ChangeKind::*;
        let mut reworded = event(
            ObjectiveReworded,
            "releases-on-track",
            None,
            (
                text("Keep releases on tracky"),
                text("Keep releases on track"),
            ),
            ("a1", PLANNING),
            None,
        );
        reworded.change.words = Some(vec![
            WordEdit {
                op: WordOp::Equal,
                text: "Keep releases on ".to_owned(),
            },
            WordEdit {
                op: WordOp::Delete,
                text: "tracky".to_owned(),
            },
            WordEdit {
                op: WordOp::Insert,
                text: "track".to_owned(),
            },
        ]);
        reworded.change.previous_id = Some("releases-on-tracky".to_owned());
        let mut easier = event(
            KrTargetChanged,
            "boring-deploys",
            Some("failed-deploys"),
            (num(2.0), num(4.0)),
            ("b2", MID),
            Some("Two is not realistic before the new runners."),
        );
        easier.change.direction = Some(Direction::Easier);
        let mut harder = event(
            KrTargetChanged,
            "boring-deploys",
            Some("deploy-frequency"),
            (num(15.0), num(20.0)),
            ("b2", MID),
            Some("The build cache makes 20 realistic."),
        );
        harder.change.direction = Some(Direction::Harder);
        let events = vec![
            reworded,
            easier,
            harder,
            event(
                ObjectiveDropped,
                "multi-region",
                None,
                (
                    Value::Status(crate::core::model::Status::Active),
                    Value::Status(crate::core::model::Status::Dropped),
                ),
                ("c3", MID),
                Some("Recovery time hurts customers more\nthan a second region."),
            ),
            event(
                ObjectiveAdded,
                "fast-recovery",
                None,
                (Value::None, text("Recover in minutes")),
                ("d4", MID),
                Some("After the August incident."),
            ),
            with_objective(event(
                KrAdded,
                "fast-recovery",
                Some("mttr"),
                (Value::None, text("Mean time to restore")),
                ("d4", MID),
                Some("After the August incident."),
            )),
            with_objective(event(
                KrAdded,
                "fast-recovery",
                Some("runbooks"),
                (Value::None, text("Runbooks for every alert")),
                ("d4", MID),
                Some("After the August incident."),
            )),
            event(
                ObjectiveRemoved,
                "insights",
                None,
                (text("Admins see searches"), Value::None),
                ("e5", MID),
                None,
            ),
            event(
                KrProgress,
                "boring-deploys",
                Some("deploy-frequency"),
                (num(4.0), num(6.0)),
                ("f6", MID),
                None,
            ),
            event(
                KrConfidenceChanged,
                "boring-deploys",
                Some("deploy-frequency"),
                (Value::None, num(0.6)),
                ("f6", MID),
                None,
            ),
            event(
                KrProgress,
                "boring-deploys",
                Some("canary"),
                (Value::Bool(false), Value::Bool(true)),
                ("f6", MID),
                None,
            ),
        ];
        let summary = Summary {
            kickoff: vec![
                kickoff("boring-deploys", "Deploys are boring", 3),
                kickoff("multi-region", "Serve every customer from two regions", 2),
                kickoff("insights", "Admins see searches", 1),
            ],
            planned_late: Vec::new(),
            added_after_kickoff: vec![4],
            dropped: vec![3],
            removed: vec![7],
            made_easier: vec![1],
            made_harder: vec![2],
            other_pivots: Vec::new(),
            check_ins: 2,
        };
        history(events, summary)
    }

    #[test]
    fn the_summary_comes_first_with_every_section() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        let summary = out.find("SUMMARY").unwrap();
        let timeline = out.find("TIMELINE").unwrap();
        assert!(
            out.starts_with("okr history: 2026-Q3, 2026-07-01 to 2026-09-30\nkickoff 2026-07-15")
        );
        assert!(summary < timeline);
        for section in [
            "At kickoff: 3 objectives\n  platform\n    boring-deploys — Deploys are boring (3 KRs)",
            "Added after kickoff: 1\n  2026-08-12  platform/fast-recovery — Recover in minutes\n",
            "Dropped: 1\n  2026-08-12  platform/multi-region — Serve every customer from two regions\n              why: Recovery time hurts customers more\n                   than a second region.",
            "Removed without being marked dropped: 1\n  2026-08-12  platform/insights — Admins see searches\n              ⚠ no reason given",
            "Targets made easier: 1\n  2026-08-12  platform/boring-deploys KR failed-deploys: target 2 → 4 (easier)",
            "Targets made harder: 1\n  2026-08-12  platform/boring-deploys KR deploy-frequency: target 15 → 20 (harder)",
            "Other pivots: none",
            "Check-ins: 2 progress updates",
        ] {
            let at = out
                .find(section)
                .unwrap_or_else(|| panic!("{section:?} in\n{out}"));
            assert!(at < timeline, "{section:?} is in the summary");
        }
        let md = markdown(&page(quarter()));
        for section in [
            "## Summary",
            "### At kickoff: 3 objectives",
            "| Team | Objective | Title | KRs |",
            "| Change | Date | What | Reason |",
            "| Removed, not marked dropped | 2026-08-12 | platform/insights — Admins see searches | **⚠ no reason given** |",
            "| Made easier | 2026-08-12 | platform/boring-deploys KR failed-deploys: target 2 → 4 (easier) |",
            "| Dropped | 2026-08-12 | platform/multi-region — Serve every customer from two regions | Recovery time hurts customers more<br>than a second region. |",
            "None: other pivot.",
            "**Check-ins:** 2 progress updates.",
            "## Timeline",
        ] {
            assert!(md.contains(section), "{section:?} in\n{md}");
        }
    }

    #[test]
    fn planning_edits_and_mid_quarter_changes_are_apart() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        let planning = out.find("\nPlanning (before 2026-07-15)\n").unwrap();
        let after = out.find("\nAfter kickoff (from 2026-07-15)\n").unwrap();
        let reworded = out.find("reworded").unwrap();
        assert!(planning < reworded && reworded < after);
        let md = markdown(&page(quarter()));
        assert!(md.contains("### Planning (before 2026-07-15)"));
        assert!(md.contains("### After kickoff (from 2026-07-15)"));
    }

    #[test]
    fn rewordings_show_a_word_diff() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(
            out.contains("platform/releases-on-track: reworded (id was releases-on-tracky): Keep releases on [-tracky-]{+track+}"),
            "{out}"
        );
        let md = markdown(&page(quarter()));
        assert!(md.contains("Keep releases on ~~tracky~~ **track**"), "{md}");
    }

    #[test]
    fn target_changes_say_easier_or_harder_with_their_reasons() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(out.contains(
            "  ▲ pivot  platform/boring-deploys KR failed-deploys: target 2 → 4 (easier)\n           why: Two is not realistic before the new runners.\n"
        ), "{out}");
        assert!(out.contains(
            "  ▲ pivot  platform/boring-deploys KR deploy-frequency: target 15 → 20 (harder)\n           why: The build cache makes 20 realistic.\n"
        ));
    }

    #[test]
    fn a_pivot_without_a_reason_is_flagged() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(out.contains(
            "  ▲ pivot  platform/insights: removed (not marked dropped) — Admins see searches  ⚠ no reason given\n"
        ), "{out}");
        let md = markdown(&page(quarter()));
        assert!(md.contains(
            "  - **▲ pivot** platform/insights: removed (not marked dropped) — Admins see searches **⚠ no reason given**\n"
        ), "{md}");
        // Planning-time edits are not pivots, with or without a reason.
        assert!(out.contains("\n           platform/releases-on-track: reworded"));
    }

    #[test]
    fn key_results_added_with_their_objective_are_nested_under_it() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(
            out.contains(
                "Commit d4\n\
             \x20          why: After the August incident.\n\
             \x20 ▲ pivot  platform/fast-recovery: added — Recover in minutes\n\
             \x20            + KR mttr — Mean time to restore\n\
             \x20            + KR runbooks — Runbooks for every alert\n"
            ),
            "{out}"
        );
        assert_eq!(
            out.matches("▲ pivot").count(),
            5,
            "the nested key results are not pivots of their own"
        );
        let md = markdown(&page(quarter()));
        assert!(md.contains(
            "  - **▲ pivot** platform/fast-recovery: added — Recover in minutes\n    - KR mttr — Mean time to restore\n    - KR runbooks — Runbooks for every alert\n"
        ), "{md}");
    }

    #[test]
    fn check_ins_are_one_line_per_objective() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(out.contains(
            "  check-in platform/boring-deploys: deploy-frequency 4 → 6 (confidence 0.6), canary not done → done\n"
        ), "{out}");
        let md = markdown(&page(quarter()));
        assert!(md.contains(
            "  - *check-in* platform/boring-deploys: deploy-frequency 4 → 6 (confidence 0.6), canary not done → done\n"
        ));
    }

    #[test]
    fn a_shared_reason_is_written_once_per_commit() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        let out = &out[out.find("TIMELINE").unwrap()..];
        assert_eq!(
            out.matches("why: After the August incident.").count(),
            1,
            "{out}"
        );
        // Two changes with different reasons in one commit: each has its own.
        assert_eq!(
            out.matches("why: The build cache makes 20 realistic.")
                .count(),
            1
        );
        assert_eq!(
            out.matches("why: Two is not realistic before the new runners.")
                .count(),
            1
        );
    }

    #[test]
    fn commits_show_date_author_short_id_and_subject() {
        let out = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(
            out.contains("\n2026-08-12  Marcus Chen  c3c3c3c  Commit c3\n"),
            "{out}"
        );
        let md = markdown(&page(quarter()));
        assert!(
            md.contains("\n- **2026-08-12** · Marcus Chen · c3c3c3c · Commit c3\n"),
            "{md}"
        );
    }

    #[test]
    fn warnings_come_last() {
        let mut h = quarter();
        h.warnings.push(Warning {
            commit: "55175ba92cb3ed8364b75ba2f8b6a0039284853d".to_owned(),
            path: "okrs/2026-Q3/search.yaml".to_owned(),
            message: "skipped an unreadable revision".to_owned(),
        });
        let out = crate::render::text::unpainted(&human(&page(h.clone())));
        assert!(out.ends_with(
            "\n\nwarning: commit 55175ba okrs/2026-Q3/search.yaml: skipped an unreadable revision\n"
        ), "{out}");
        let md = markdown(&page(h.clone()));
        assert!(md.ends_with(
            "## Warnings\n\n- **warning:** commit 55175ba okrs/2026-Q3/search.yaml: skipped an unreadable revision\n"
        ), "{md}");
    }

    fn hostile() -> History {
        let title = "<script>|@team **x**";
        let mut h = quarter();
        h.summary.kickoff[0].title = title.to_owned();
        h.events[4].change.to = text(&format!("{title}\x1b[31m"));
        h.events[3].reason = Some("line one | @ops\n<b>line two</b>".to_owned());
        h.events[0].author = "Eve \x1b]0;pwned\x07".into();
        h
    }

    #[test]
    fn markdown_makes_user_text_inert() {
        let md = markdown(&page(hostile()));
        assert!(!md.contains("<script>"), "{md}");
        assert!(!md.contains("<b>"));
        assert!(!md.contains("@team") && !md.contains("@ops"));
        assert!(!md.contains("**x**"));
        assert!(md.contains("\\<script\\>\\|@\u{200d}team \\*\\*x\\*\\*"));
        // Every row of a table has as many cell boundaries as its header: no `|` of the user's is left unescaped.
        let mut header_pipes = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                header_pipes = None;
                continue;
            }
            let pipes = line
                .char_indices()
                .filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\'))
                .count();
            assert_eq!(pipes, *header_pipes.get_or_insert(pipes), "{line}");
        }
        let kickoff_row = md.lines().find(|l| l.contains("script")).unwrap();
        assert_eq!(kickoff_row.matches(" | ").count(), 3, "{kickoff_row}");
        let dropped_row = md.lines().find(|l| l.starts_with("| Dropped")).unwrap();
        assert!(
            dropped_row.contains("line one \\| @\u{200d}ops<br>\\<b\\>line two\\</b\\>"),
            "{dropped_row}"
        );
        assert_eq!(dropped_row.matches(" | ").count(), 3, "{dropped_row}");
    }

    #[test]
    fn human_output_shows_control_characters_instead_of_obeying_them() {
        let out = crate::render::text::unpainted(&human(&page(hostile())));
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out}");
        assert!(out.contains("<script>|@team **x**\\u{1b}[31m"));
        assert!(out.contains("Eve \\u{1b}]0;pwned\\u{7}"));
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = crate::render::text::unpainted(&human(&page(quarter())));
        assert!(!plain.contains('\x1b'));
        let coloured = human(&page(quarter()));
        assert!(coloured.contains('\x1b'));
        assert!(coloured.contains(&PIVOT.render().to_string()));
        assert!(!markdown(&page(quarter())).contains('\x1b'));
    }

    #[test]
    fn no_line_ends_in_whitespace() {
        for out in [
            crate::render::text::unpainted(&human(&page(quarter()))),
            human(&page(quarter())),
            markdown(&page(quarter())),
        ] {
            for line in out.lines() {
                assert_eq!(line, line.trim_end(), "trailing whitespace: {line:?}");
            }
        }
    }

    #[test]
    fn an_empty_history_says_so() {
        let h = history(Vec::new(), Summary::default());
        assert!(
            crate::render::text::unpainted(&human(&page(h.clone())))
                .contains("TIMELINE\n\nno changes to 2026-Q3 OKRs\n")
        );
        assert!(
            markdown(&page(h.clone())).contains("## Timeline\n\nNo changes to 2026-Q3 OKRs.\n")
        );
    }

    /// The demo's history, as `okr demo` builds it.
    fn demo_history() -> History {
        let dir = tempfile::tempdir().unwrap();
        crate::commands::demo::build(dir.path()).unwrap();
        let workspace = crate::repo::workspace::Workspace::discover(dir.path()).unwrap();
        let git = crate::repo::git::Git::open(&workspace.root).unwrap();
        let query = crate::repo::history::Query {
            quarter: "2026-Q3".parse().unwrap(),
            rev: "HEAD".into(),
            first_parent: false,
            team: None,
            since: None,
            until: None,
        };
        crate::repo::history::read(&workspace, &git, &query).unwrap()
    }

    #[test]
    fn demo_history_snapshots() {
        let history = demo_history();
        let human = crate::render::text::unpainted(&human(&page(history.clone())));
        let markdown = markdown(&page(history.clone()));
        assert!(!human.contains("/tmp") && !markdown.contains("/tmp"));
        insta::assert_snapshot!("demo_history_human", human);
        insta::assert_snapshot!("demo_history_markdown", markdown);
    }
}
