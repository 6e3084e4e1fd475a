//! `okr report` as text: where a quarter stands, in the order a review meeting goes through it — the header,
//! scores per team, what falls short, the alignment tree, drops, pivots, the retrospective and warnings.
//!
//! The engine decided everything (scores, bands, what falls short, the lists); this module only lays it out:
//! for a terminal in `human`, for Markdown in the template `src/render/markdown/report.md`.
//! Where a target moved after kickoff, both scores are written side by side, so a quiet downgrade cannot
//! pass for success. Bands are always written as words; colour, when asked for, only repeats them.

use std::fmt::Write as _;

use annotate_snippets::renderer::{AnsiColor, Color, Style};

use super::text::human_warnings;
use super::text::{
    self, BOLD, DIM, Format, PIVOT, WARN, day, describe, paint, plural, reason_lines, score_text,
    short_commit, terminal_safe, trim_lines,
};
use crate::core::change::ChangeKind;
use crate::core::history::Event;
use crate::core::model::{Health, Measure, Number, ObjectiveType, Priority, Status};
use crate::core::report::{
    AlignmentNode, Band, DroppedObjective, KeyResultReport, Learning, LinkReport, ObjectiveReport,
    Outcome, RemovedKeyResultReport, Report, Retrospective, TeamReport, WrittenByTeam,
};
use crate::view::report::ReportPage;
use crate::view::{Reasoning, pivot_words};

const RED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
const AMBER: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const GREEN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));

pub(super) const FALLS_SHORT: &str = "falls short";
pub(super) const NO_REASON: &str = "⚠ no reason given";

mod human;
pub mod json;

pub fn human(page: &ReportPage) -> String {
    human::render(page)
}

pub fn markdown(page: &ReportPage) -> String {
    super::markdown::report::render(page)
}

// ---------------------------------------------------------------------------------------------------------
// Phrases both formats share. The Markdown page's model (`render::markdown::report`, beside its template) reads
// them too, hence `pub(super)`.

/// An expectation: one decimal (`1.0`, `0.7`).
pub(super) fn expected_text(expected: f64) -> String {
    format!("{expected:.1}")
}

pub(super) fn kind_name(kind: ObjectiveType) -> &'static str {
    match kind {
        ObjectiveType::Committed => "committed",
        ObjectiveType::Aspirational => "aspirational",
    }
}

fn band_style(band: Band) -> Style {
    match band {
        Band::Red => RED,
        Band::Amber => AMBER,
        Band::Green => GREEN,
    }
}

/// `platform/boring-deploys`, escaped for the format.
fn place(team: &str, objective: &str, f: Format) -> String {
    format!("{}/{}", f.esc(team), f.esc(objective))
}

/// `99.86 of target 99.9% (start 99.5)`, `✓ done`, `✗ not done`. An arrow is kept for old → new.
pub(super) fn progress(kr: &KeyResultReport, f: Format) -> String {
    match kr.measured {
        Some(Measure::Milestone { done: true }) => "✓ done".to_owned(),
        Some(Measure::Milestone { done: false }) => "✗ not done".to_owned(),
        Some(measure) => text::measure_standing(measure, kr.unit.as_deref(), f).unwrap_or_default(),
        None => "not measurable".to_owned(),
    }
}

/// `score 0.90 against today's target 99.9, 0.73 against the kickoff target 99.99`, when the target moved.
pub(super) fn moved_target(kr: &KeyResultReport, f: Format) -> Option<String> {
    let kickoff = kr.kickoff_target?;
    let against = kr.score_against_kickoff?;
    let unit = text::unit_suffix(kr.unit.as_deref(), f);
    let today = kr
        .target
        .map_or_else(|| "?".to_owned(), |t: Number| t.to_string());
    let score = kr.score.map_or_else(|| "no score".to_owned(), score_text);
    Some(format!(
        "score {score} against today's target {today}{unit}, {} against the kickoff target {kickoff}{unit}",
        score_text(against)
    ))
}

/// `1 added, 2 dropped, 1 target made easier, 5 other`: the pivots by kind, in a fixed order.
pub(super) fn pivot_breakdown(page: &ReportPage) -> String {
    page.pivot_counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", pivot_words(*kind)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `search/instant-search KR p95-latency: target 300 → 200 (harder)`; a dropped objective with its title.
pub(super) fn pivot_line(report: &Report, event: &Event, f: Format) -> String {
    let change = &event.change;
    let at = match &change.objective {
        Some(objective) => place(&change.team, objective, f),
        None => f.esc(&change.team),
    };
    let described = describe(change, f);
    let mut what = described.what;
    if change.kind == ChangeKind::ObjectiveDropped
        && let Some(d) = report
            .dropped
            .iter()
            .find(|d| d.team == change.team && Some(&d.objective) == change.objective.as_ref())
    {
        what = format!("{what} — {}", f.esc(&d.title));
    }
    // Notes are the only phrase that can span lines; a pivot list keeps one line per change.
    let what = what.replace('\n', " ");
    match described.subject {
        Some(subject) => format!("{at} {subject}: {what}"),
        None => format!("{at}: {what}"),
    }
}

/// The quarter's state in one line: `the quarter has ended`, or when it ends.
pub(super) fn quarter_state(report: &Report) -> String {
    if report.today > report.end {
        "the quarter has ended".to_owned()
    } else if report.today < report.start {
        format!("the quarter starts {}", report.start)
    } else if report.ended {
        format!(
            "the quarter runs until {} (retrospective shown because of --retro)",
            report.end
        )
    } else {
        format!("the quarter runs until {}", report.end)
    }
}

/// `P1 · at risk`: an objective's or key result's priority and health, when it has either. Never user text.
pub(super) fn tags(priority: Option<Priority>, health: Option<Health>) -> Option<String> {
    let tags: Vec<&str> = priority
        .map(Priority::as_str)
        .into_iter()
        .chain(health.map(Health::words))
        .collect();
    (!tags.is_empty()).then(|| tags.join(" · "))
}

/// An item's links as one line: `Dashboard <https://…>, https://…` for a terminal; Markdown links for Markdown.
pub(super) fn links_text(links: &[LinkReport], f: Format) -> Option<String> {
    let shown: Vec<String> = links
        .iter()
        .map(|l| match f {
            Format::Human => match &l.title {
                Some(title) => format!("{} <{}>", terminal_safe(title), terminal_safe(&l.url)),
                None => terminal_safe(&l.url),
            },
            Format::Markdown => {
                crate::render::escape::markdown_link(l.title.as_deref().unwrap_or(&l.url), &l.url)
            }
        })
        .collect();
    (!shown.is_empty()).then(|| shown.join(", "))
}

/// What the stale key results section says they are.
pub(super) fn stale_intro(report: &Report) -> String {
    format!(
        "no progress recorded for {} or more; `okr checkin` records it",
        plural(report.stale_after_days as usize, "day", "days")
    )
}

/// `2026-08-01 (23 days ago)`, or `none this quarter (30 days)`: when the key result last moved.
pub(super) fn last_checkin_text(kr: &KeyResultReport) -> String {
    let days = kr.idle_days.unwrap_or_default().max(0) as usize;
    match kr.last_checkin {
        Some(day) => format!("{day} ({} ago)", plural(days, "day", "days")),
        None => format!("none this quarter ({})", plural(days, "day", "days")),
    }
}

pub(super) fn retro_hint(report: &Report) -> String {
    format!("Retrospective: after {}, or run with --retro", report.end)
}

/// `on 2026-08-20, last 0.4 (score 0.2)`.
pub(super) fn removed_text(removed: &RemovedKeyResultReport, f: Format) -> String {
    let when = removed
        .date
        .map_or_else(String::new, |d| format!("on {d}, "));
    let score = removed
        .score
        .map_or_else(String::new, |s| format!(" (score {})", score_text(s)));
    format!("{when}last {}{score}", f.value(&removed.last_value))
}

/// The score of an outcome's objective against the kickoff targets, when a target moved.
pub(super) fn kickoff_score(report: &Report, o: &Outcome) -> Option<f64> {
    report
        .teams
        .iter()
        .flat_map(|t| &t.objectives)
        .find(|x| x.team == o.team && x.id == o.objective)
        .and_then(|x| x.score_against_kickoff)
}

/// `In all: 2 met, 10 missed, 2 dropped, 11 pivots, 10 learnings.`
pub(super) fn closing_line(page: &ReportPage, retro: &Retrospective) -> String {
    let c = page.summary;
    let unexplained = c.unexplained;
    let mut line = format!(
        "In all: {} met, {} missed, {} dropped",
        retro.met.len(),
        retro.missed.len(),
        retro.dropped.len(),
    );
    if c.removed > 0 {
        let _ = write!(line, ", {} removed without being dropped", c.removed);
    }
    let _ = write!(
        line,
        ", {}, {}",
        plural(retro.pivots, "pivot", "pivots"),
        plural(retro.learnings.len(), "learning", "learnings")
    );
    if unexplained > 0 {
        let _ = write!(
            line,
            " ({} without a reason)",
            plural(unexplained, "pivot", "pivots")
        );
    }
    line.push('.');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{Change, Value};
    use crate::core::history::Warning;
    use crate::core::reason::ReasonSource;
    use crate::core::report::{
        AlignedToDropped, AlignmentTree, DroppedInfo, ObjectiveRef, Unresolved,
    };
    use crate::render::report::human::bar;

    fn metric(id: &str, (start, target, current): (f64, f64, f64), score: f64) -> KeyResultReport {
        KeyResultReport {
            id: id.to_owned(),
            title: format!("Title of {id}"),
            measure: "metric",
            start: Some(Number(start)),
            target: Some(Number(target)),
            current: Some(Number(current)),
            done: None,
            direction: None,
            progress: None,
            measured: Some(Measure::Metric {
                start: Number(start),
                target: Number(target),
                current: Number(current),
            }),
            unit: Some("%".to_owned()),
            confidence: Some(Number(0.7)),
            score: Some(score),
            score_source: "computed",
            band: Some(Band::of(score)),
            kickoff_target: None,
            score_against_kickoff: None,
            notes: None,
            owner: None,
            owners: Vec::new(),
            priority: None,
            health: None,
            links: Vec::new(),
            last_checkin: None,
            stale: false,
            idle_days: None,
        }
    }

    fn milestone(id: &str, done: bool) -> KeyResultReport {
        KeyResultReport {
            measure: "milestone",
            start: None,
            target: None,
            current: None,
            done: Some(done),
            measured: Some(Measure::Milestone { done }),
            unit: None,
            confidence: None,
            score: Some(if done { 1.0 } else { 0.0 }),
            band: Some(if done { Band::Green } else { Band::Red }),
            ..metric(id, (0.0, 1.0, 0.0), 0.0)
        }
    }

    fn objective(
        team: &str,
        id: &str,
        kind: ObjectiveType,
        score: f64,
        key_results: Vec<KeyResultReport>,
    ) -> ObjectiveReport {
        let expected = crate::core::report::expected(kind);
        ObjectiveReport {
            team: team.to_owned(),
            id: id.to_owned(),
            title: format!("Title of {id}"),
            kind,
            status: Status::Active,
            owner: None,
            owners: Vec::new(),
            priority: None,
            links: Vec::new(),
            aligns_to: None,
            carried_from: None,
            score: Some(score),
            score_against_kickoff: None,
            band: Some(Band::of(score)),
            expected,
            falls_short: score < expected,
            dropped: None,
            notes: None,
            key_results,
            removed_key_results: Vec::new(),
        }
    }

    fn node(team: &str, id: &str, score: f64, children: Vec<AlignmentNode>) -> AlignmentNode {
        AlignmentNode {
            team: team.to_owned(),
            objective: id.to_owned(),
            title: format!("Title of {id}"),
            status: Status::Active,
            score: Some(score),
            via_key_result: None,
            children,
        }
    }

    fn reference(team: &str, id: &str) -> ObjectiveRef {
        ObjectiveRef {
            team: team.to_owned(),
            objective: id.to_owned(),
            title: format!("Title of {id}"),
        }
    }

    fn event(kind: ChangeKind, team: &str, objective: &str, reason: Option<&str>) -> Event {
        Event {
            change: Change {
                kind,
                path: format!("okrs/2026-Q3/{team}.yaml"),
                quarter: Some("2026-Q3".to_owned()),
                team: team.to_owned(),
                objective: Some(objective.to_owned()),
                key_result: None,
                from: Value::None,
                to: Value::None,
                direction: None,
                words: None,
                previous_id: None,
                yaml_reason: None,
                pos: crate::core::diagnostic::Pos::START,
                context: crate::core::change::Context::Edit,
            },
            commit: "ab".repeat(20).into(),
            date: "2026-08-14T10:00:00+02:00".into(),
            landed: "2026-08-14T10:00:00+02:00".into(),
            author: "Priya Raman".into(),
            message: "A change of plan".into(),
            mid_quarter: true,
            planned_late: false,
            requires_reason: true,
            reason: reason.map(str::to_owned),
            reason_source: reason.map(|_| ReasonSource::Trailer),
        }
    }

    /// A small quarter with one of everything: a target lowered after kickoff, objectives that fall short and
    /// one that meets its expectation, a dropped objective, a nested alignment tree with every kind of loose
    /// end, pivots with and without a reason, and the retrospective.
    fn quarter() -> Report {
        let mut availability = metric("api-availability", (99.5, 99.9, 99.86), 0.9);
        availability.kickoff_target = Some(Number(99.99));
        availability.score_against_kickoff = Some(0.73);
        availability.notes = Some("Lowered after the incident review.".to_owned());
        let mut trust = objective(
            "company",
            "customer-trust",
            ObjectiveType::Committed,
            0.45,
            vec![availability, milestone("soc2", false)],
        );
        trust.score_against_kickoff = Some(0.37);
        trust.notes = Some("Renewals depend on it.\nSecond line.".to_owned());
        let mut deploys = objective(
            "platform",
            "boring-deploys",
            ObjectiveType::Aspirational,
            0.8,
            vec![metric("deploy-frequency", (4.0, 20.0, 16.8), 0.8)],
        );
        deploys.aligns_to = Some("company/customer-trust".to_owned());
        let mut canary = objective(
            "platform",
            "canary",
            ObjectiveType::Aspirational,
            0.5,
            vec![metric("canary-share", (0.0, 100.0, 50.0), 0.5)],
        );
        canary.aligns_to = Some("platform/boring-deploys".to_owned());
        let mut region = objective(
            "platform",
            "multi-region",
            ObjectiveType::Aspirational,
            0.1,
            vec![metric("second-region", (0.0, 50.0, 5.0), 0.1)],
        );
        region.status = Status::Dropped;
        region.falls_short = false;
        region.dropped = Some(DroppedInfo {
            date: Some(jiff::civil::date(2026, 8, 12)),
            reason: Some("Recovery time hurts more than a second region.".to_owned()),
        });
        let dropped = vec![DroppedObjective {
            team: "platform".to_owned(),
            objective: "multi-region".to_owned(),
            title: "Title of multi-region".to_owned(),
            date: Some(jiff::civil::date(2026, 8, 12)),
            reason: Some("Recovery time hurts more than a second region.".to_owned()),
        }];
        let mut easier = event(
            ChangeKind::KrTargetChanged,
            "company",
            "customer-trust",
            Some("Multi-region is not coming this quarter."),
        );
        easier.change.key_result = Some("api-availability".to_owned());
        easier.change.from = Value::Number(Number(99.99));
        easier.change.to = Value::Number(Number(99.9));
        easier.change.direction = Some(crate::core::change::Direction::Easier);
        let mut removed = event(ChangeKind::ObjectiveRemoved, "search", "insights", None);
        removed.change.from = Value::Text("Admins see searches".to_owned());
        let pivots = vec![
            easier,
            event(
                ChangeKind::ObjectiveDropped,
                "platform",
                "multi-region",
                Some("Recovery time hurts more than a second region."),
            ),
            removed,
        ];
        let outcome = |o: &ObjectiveReport| Outcome {
            team: o.team.clone(),
            objective: o.id.clone(),
            title: o.title.clone(),
            kind: o.kind,
            score: o.score,
            expected: o.expected,
        };
        let retrospective = Retrospective {
            met: vec![outcome(&deploys)],
            missed: vec![outcome(&trust), outcome(&canary)],
            dropped: dropped.clone(),
            learnings: vec![
                Learning {
                    team: "company".to_owned(),
                    objective: "customer-trust".to_owned(),
                    key_result: None,
                    text: "Renewals depend on it.\nSecond line.".to_owned(),
                },
                Learning {
                    team: "company".to_owned(),
                    objective: "customer-trust".to_owned(),
                    key_result: Some("api-availability".to_owned()),
                    text: "Lowered after the incident review.".to_owned(),
                },
            ],
            pivots: pivots.len(),
            written: vec![WrittenByTeam {
                team: "platform".to_owned(),
                went_well: vec!["Canary caught two bad deploys | before users did.".to_owned()],
                to_improve: vec![
                    "Baseline the deploy numbers before kickoff.".to_owned(),
                    "Say *why* a target moves, in the same PR.".to_owned(),
                ],
                learnings: Vec::new(),
            }],
        };
        let alignment = AlignmentTree {
            roots: vec![node(
                "company",
                "customer-trust",
                0.45,
                vec![
                    node(
                        "platform",
                        "boring-deploys",
                        0.8,
                        vec![node("platform", "canary", 0.5, Vec::new())],
                    ),
                    AlignmentNode {
                        status: Status::Dropped,
                        ..node("platform", "multi-region", 0.1, Vec::new())
                    },
                ],
            )],
            unaligned: vec![reference("search", "lonely")],
            aligned_to_dropped: vec![AlignedToDropped {
                objective: reference("platform", "failover-docs"),
                parent: "platform/multi-region".to_owned(),
            }],
            unresolved: vec![Unresolved {
                objective: reference("search", "ghost"),
                aligns_to: "company/nope".to_owned(),
            }],
        };
        Report {
            quarter: "2026-Q3".parse().unwrap(),
            start: jiff::civil::date(2026, 7, 1),
            end: jiff::civil::date(2026, 9, 30),
            kickoff: jiff::civil::date(2026, 7, 15),
            today: jiff::civil::date(2026, 10, 5),
            stale_after_days: 14,
            ended: true,
            commit: "b50fab429432a6fd3d73fdf174a6806030ba8965".to_owned(),
            date: "2026-09-30T15:00:00+02:00".to_owned(),
            teams: vec![
                TeamReport {
                    team: "company".to_owned(),
                    path: "okrs/2026-Q3/company.yaml".to_owned(),
                    owner: Some("Priya Raman".to_owned()),
                    owners: Vec::new(),
                    links: Vec::new(),
                    score: Some(0.45),
                    band: Some(Band::Amber),
                    objectives: vec![trust],
                },
                TeamReport {
                    team: "platform".to_owned(),
                    path: "okrs/2026-Q3/platform.yaml".to_owned(),
                    owner: None,
                    owners: Vec::new(),
                    links: Vec::new(),
                    score: Some(0.65),
                    band: Some(Band::Green),
                    objectives: vec![deploys, canary, region],
                },
            ],
            alignment,
            dropped,
            pivots,
            retrospective: Some(retrospective),
            timeline: Vec::new(),
            trajectories: Vec::new(),
            warnings: vec![Warning {
                commit: "55175ba92cb3ed8364b75ba2f8b6a0039284853d".to_owned(),
                path: "okrs/2026-Q3/search.yaml".to_owned(),
                message: "skipped an unreadable revision".to_owned(),
            }],
        }
    }

    fn assert_contains(out: &str, needle: &str) {
        assert!(out.contains(needle), "{needle:?} in\n{out}");
    }

    /// `needles` appear in `out` in this order.
    fn assert_in_order(out: &str, needles: &[&str]) {
        let mut at = 0;
        for needle in needles {
            match out[at..].find(needle) {
                Some(i) => at += i + needle.len(),
                None => panic!("{needle:?} after byte {at} in\n{out}"),
            }
        }
    }

    #[test]
    fn scores_have_two_decimals_and_no_negative_zero() {
        assert_eq!(score_text(0.9), "0.90");
        assert_eq!(score_text(-0.0), "0.00");
        assert_eq!(score_text(-0.001), "0.00");
        assert_eq!(score_text(0.555), "0.56");
    }

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(0.0), "░░░░░░░░░░");
        assert_eq!(bar(1.0), "██████████");
        assert_eq!(bar(0.5), "█████░░░░░");
        assert_eq!(bar(0.87), "████████▊░");
        assert_eq!(bar(0.55), "█████▌░░░░");
        assert_eq!(bar(1.7), "██████████", "clamped");
    }

    #[test]
    fn sections_come_in_review_order() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_in_order(
            &out,
            &[
                "okr report: 2026-Q3, 2026-07-01 to 2026-09-30\n",
                "commit b50fab4 of 2026-09-30, as of 2026-10-05: the quarter has ended\n",
                "\nSCORES\n",
                "\nFALLS SHORT OF EXPECTATION: 2\n",
                "\nALIGNMENT\n",
                "\nDROPPED: 1\n",
                "\nREMOVED WITHOUT BEING MARKED DROPPED: 1\n",
                "\nPIVOTS AFTER KICKOFF: 3\n",
                "\nRETROSPECTIVE\n",
                "\nwarning: commit 55175ba okrs/2026-Q3/search.yaml: skipped an unreadable revision\n",
            ],
        );
        assert!(out.ends_with("skipped an unreadable revision\n"));
        let md = markdown(&ReportPage::new(quarter()));
        assert_in_order(
            &md,
            &[
                "# OKR report: 2026-Q3\n",
                "commit b50fab4 of 2026-09-30 · as of 2026-10-05: **the quarter has ended**",
                "\n## Scores\n",
                "\n### company — 0.45 amber\n",
                "\n### platform — 0.65 green\n",
                "\n## Falls short of expectation\n",
                "\n## Alignment\n",
                "\n## Dropped\n",
                "\n## Pivots after kickoff\n",
                "\n## Retrospective\n",
                "\n## Warnings\n",
            ],
        );
    }

    #[test]
    fn objectives_removed_without_a_drop_are_listed_even_when_none_was_dropped() {
        let mut report = quarter();
        report.dropped.clear();
        let page = ReportPage::new(report);
        let human = crate::render::text::unpainted(&human(&page));
        let markdown = markdown(&page);
        assert_contains(&human, "REMOVED WITHOUT BEING MARKED DROPPED: 1");
        assert_contains(
            &markdown,
            "## Dropped\n\nNone.\n\n**⚠ Removed without being marked dropped:** 1",
        );
        assert_contains(&markdown, "| search/insights — ");
    }

    #[test]
    fn a_moved_target_shows_both_scores() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "      api-availability — Title of api-availability\n        0.90 green  99.86 of target 99.9% (start 99.5)  confidence 0.7\n        ⚠ target moved since kickoff: score 0.90 against today's target 99.9%, 0.73 against the kickoff target 99.99%\n",
        );
        assert_contains(
            &out,
            "    ⚠ a target moved since kickoff: 0.45 against today's targets, 0.37 against the kickoff targets\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| api-availability — Title of api-availability | 99.86 of target 99.9% (start 99.5) | 0.90 (⚠ 0.73 against the kickoff target) | green | 0.7 |",
        );
        assert_contains(
            &md,
            "> **⚠ Target moved since kickoff.** KR api-availability: score 0.90 against today's target 99.9%, 0.73 against the kickoff target 99.99%.",
        );
        assert_contains(
            &md,
            "| customer-trust — Title of customer-trust | committed | 0.45 (⚠ 0.37 against kickoff targets) | amber | 1.0 | **falls short** |",
        );
        // A key result whose target did not move has one score.
        assert_contains(&out, "        0.00 red    ✗ not done\n");
    }

    #[test]
    fn objectives_show_type_score_band_and_expectation() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "  customer-trust — Title of customer-trust\n    ████▌░░░░░ 0.45 amber  [committed]  expected 1.0: falls short\n",
        );
        assert_contains(
            &out,
            "    ████████░░ 0.80 green  [aspirational]  expected 0.7: met\n",
        );
        assert_contains(
            &out,
            "\ncompany  ████▌░░░░░ 0.45 amber  owner Priya Raman\n",
        );
    }

    #[test]
    fn the_objectives_that_fall_short_are_listed() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "FALLS SHORT OF EXPECTATION: 2\ncommitted objectives are expected to reach 1.0, aspirational ones 0.7; lowest score first\n\n  committed (expected 1.0)\n    0.45 amber  company/customer-trust — Title of customer-trust  ⚠ 0.37 against the kickoff targets\n\n  aspirational (expected 0.7)\n    0.50 amber  platform/canary — Title of canary\n",
        );
        let section = &out[out.find("FALLS SHORT").unwrap()..out.find("ALIGNMENT").unwrap()];
        assert!(!section.contains("boring-deploys"), "met: {section}");
        assert!(!section.contains("multi-region"), "dropped: {section}");
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "**committed** (expected 1.0):\n\n- 0.45 amber — **company/customer-trust** — Title of customer-trust (⚠ **0.37** against the kickoff targets)\n\n**aspirational** (expected 0.7):\n\n- 0.50 amber — **platform/canary** — Title of canary\n",
        );
        assert_contains(
            &md,
            "**At a glance:** 3 objectives judged: 1 meet their expectation, **2 fall short** · 1 dropped",
        );
    }

    #[test]
    fn dropped_objectives_are_not_judged_and_say_why() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "  multi-region — Title of multi-region\n    ✗ dropped 2026-08-12  [aspirational]  not judged, see DROPPED\n",
        );
        assert_contains(
            &out,
            "DROPPED: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              why: Recovery time hurts more than a second region.\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| multi-region — Title of multi-region | aspirational | — | — | 0.7 | dropped 2026-08-12 (not judged) |",
        );
        assert_contains(
            &md,
            "| platform/multi-region — Title of multi-region | 2026-08-12 | Recovery time hurts more than a second region. |",
        );
        // Without a reason, the drop is flagged.
        let mut report = quarter();
        report.dropped[0].reason = None;
        assert_contains(
            &crate::render::text::unpainted(&human(&ReportPage::new(report.clone()))),
            "DROPPED: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              ⚠ no reason given\n",
        );
        assert_contains(
            &markdown(&ReportPage::new(report.clone())),
            "| platform/multi-region — Title of multi-region | 2026-08-12 | **⚠ no reason given** |",
        );
    }

    #[test]
    fn a_pivot_without_a_reason_is_flagged() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "PIVOTS AFTER KICKOFF: 3\n1 dropped, 1 removed without being marked dropped, 1 target made easier\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  company/customer-trust KR api-availability: target 99.99 → 99.9 (easier)  (Priya Raman, abababa)\n              why: Multi-region is not coming this quarter.\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  search/insights: removed (not marked dropped) — Admins see searches  (Priya Raman, abababa)\n              ⚠ no reason given\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  platform/multi-region: dropped — Title of multi-region  (Priya Raman, abababa)\n",
        );
        // The silent removal is called out with the drops and at the top.
        assert_contains(
            &out,
            "REMOVED WITHOUT BEING MARKED DROPPED: 1\ndeleted from the files after kickoff instead of `status: dropped` with a reason\n  2026-08-14  search/insights — Admins see searches\n              ⚠ no reason given\n",
        );
        assert_contains(
            &out,
            "1 dropped · 1 objective removed without being marked dropped · 3 pivots (1 without a reason) · 1 target moved since kickoff\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| 2026-08-14 | search/insights: removed (not marked dropped) — Admins see searches | **⚠ no reason given** | Priya Raman, abababa |",
        );
        assert_contains(
            &md,
            "| search/insights — Admins see searches | 2026-08-14 | **⚠ no reason given** |",
        );
    }

    #[test]
    fn the_retrospective_has_every_section_when_present() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_in_order(
            &out,
            &[
                "\nRETROSPECTIVE\n",
                "\nMet: 1 of 3\n  0.80 green  platform/boring-deploys — Title of boring-deploys  (aspirational, expected 0.7)\n",
                "\nMissed: 2 of 3\n  0.45 amber  company/customer-trust — Title of customer-trust  (committed, expected 1.0)  ⚠ 0.37 against the kickoff targets\n",
                "\nDropped: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              why: Recovery time hurts more than a second region.\n",
                "\nLearnings: 2\n  company/customer-trust\n    Renewals depend on it.\n    Second line.\n    KR api-availability: Lowered after the incident review.\n",
                "\nIn the teams' words: 1 team wrote a retrospective\n  platform\n    Went well\n      - Canary caught two bad deploys | before users did.\n    To improve\n      - Baseline the deploy numbers before kickoff.\n      - Say *why* a target moves, in the same PR.\n",
                "\nPivots: 3 changes of plan after kickoff, listed under PIVOTS AFTER KICKOFF above\n",
                "\nIn all: 1 met, 2 missed, 1 dropped, 1 removed without being dropped, 3 pivots, 2 learnings (1 pivot without a reason).\n",
            ],
        );
        assert!(!out.contains("or run with --retro"));
        let md = markdown(&ReportPage::new(quarter()));
        assert_in_order(
            &md,
            &[
                "## Retrospective\n",
                "### Met: 1 of 3\n\n| Objective | Type | Score | Expected |\n|---|---|--:|--:|\n| platform/boring-deploys — Title of boring-deploys | aspirational | 0.80 green | 0.7 |",
                "### Missed: 2 of 3\n\n| Objective | Type | Score | Expected |\n|---|---|--:|--:|\n| company/customer-trust — Title of customer-trust | committed | 0.45 amber (⚠ 0.37 against the kickoff targets) | 1.0 |",
                "### Dropped: 1\n\n| Objective | Dropped on | Why |\n|---|---|---|\n| platform/multi-region — Title of multi-region | 2026-08-12 | Recovery time hurts more than a second region. |",
                "### Learnings: 2\n\n- **company/customer-trust**\n  - Renewals depend on it.<br>Second line.\n  - KR api-availability: Lowered after the incident review.\n",
                "### In the teams' words: 1\n\n- **platform**\n  - Went well\n    - Canary caught two bad deploys \\| before users did.\n  - To improve\n    - Baseline the deploy numbers before kickoff.\n    - Say \\*why\\* a target moves, in the same PR.\n\n### Pivots: 3\n\n3 changes of plan after kickoff, listed under [Pivots after kickoff](#pivots-after-kickoff).\n",
                "**In all: 1 met, 2 missed, 1 dropped, 1 removed without being dropped, 3 pivots, 2 learnings (1 pivot without a reason).**",
            ],
        );
    }

    #[test]
    fn without_a_retrospective_the_report_says_when_it_comes() {
        let mut report = quarter();
        report.retrospective = None;
        report.ended = false;
        report.today = jiff::civil::date(2026, 8, 20);
        let out = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        assert_contains(
            &out,
            "as of 2026-08-20: the quarter runs until 2026-09-30\n",
        );
        assert_contains(
            &out,
            "\nRetrospective: after 2026-09-30, or run with --retro\n",
        );
        assert!(!out.contains("RETROSPECTIVE") && !out.contains("Met:"));
        let md = markdown(&ReportPage::new(report.clone()));
        assert_contains(
            &md,
            "## Retrospective\n\nRetrospective: after 2026-09-30, or run with --retro.\n",
        );
        assert!(!md.contains("### Met"));
    }

    #[test]
    fn the_alignment_tree_nests() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "\n  0.45 amber  company/customer-trust — Title of customer-trust\n  ├─ 0.80 green  platform/boring-deploys — Title of boring-deploys\n  │  └─ 0.50 amber  platform/canary — Title of canary\n  └─ dropped     platform/multi-region — Title of multi-region\n",
        );
        assert_contains(
            &out,
            "\nAligned to nothing: 1\n  search/lonely — Title of lonely\n",
        );
        assert_contains(
            &out,
            "\nStill aligned to a dropped objective: 1\n  platform/failover-docs — Title of failover-docs  aligns to platform/multi-region, which was dropped\n",
        );
        assert_contains(
            &out,
            "\nUnresolved aligns_to: 1\n  search/ghost — Title of ghost  aligns to company/nope, which names no objective of 2026-Q3\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "- **company/customer-trust** — Title of customer-trust · 0.45 amber\n  - platform/boring-deploys — Title of boring-deploys · 0.80 green\n    - platform/canary — Title of canary · 0.50 amber\n  - platform/multi-region — Title of multi-region · *dropped*\n",
        );
        assert_contains(
            &md,
            "**Aligned to nothing:** 1\n\n- search/lonely — Title of lonely\n",
        );
    }

    fn hostile() -> Report {
        let title = "<script>|@team **x**";
        let mut report = quarter();
        report.teams[0].objectives[0].title = title.to_owned();
        report.teams[0].objectives[0].key_results[0].title = format!("{title}\x1b[31m");
        report.teams[0].objectives[0].key_results[0].unit = Some("|%|".to_owned());
        report.alignment.roots[0].title = title.to_owned();
        report.dropped[0].reason = Some("line one | @ops\n<b>line two</b>".to_owned());
        report.pivots[0].author = "Eve \x1b]0;pwned\x07".into();
        report.retrospective.as_mut().unwrap().missed[0].title = title.to_owned();
        report.teams[1].team = "plat|form".to_owned();
        // Mid-quarter, with the hostile key result stale: its title goes into that section's table too.
        report.today = jiff::civil::date(2026, 9, 20);
        let kr = &mut report.teams[0].objectives[0].key_results[0];
        kr.stale = true;
        kr.last_checkin = Some(jiff::civil::date(2026, 8, 1));
        kr.idle_days = Some(50);
        report
    }

    #[test]
    fn stale_key_results_have_a_section_while_the_quarter_runs() {
        let page = ReportPage::new(hostile());
        let md = markdown(&page);
        assert_contains(
            &md,
            "## Stale key results\n\nNo progress recorded for 14 days or more; `okr checkin` records it.\n",
        );
        assert_contains(&md, "| 2026-08-01 (50 days ago) |\n");
        let out = crate::render::text::unpainted(&human(&page));
        assert_contains(&out, "STALE KEY RESULTS: 1\n");
        assert_contains(&out, "    ⚠ last check-in: 2026-08-01 (50 days ago)\n");
        let mut none = hostile();
        none.teams[0].objectives[0].key_results[0].stale = false;
        let page = ReportPage::new(none);
        assert_contains(
            &markdown(&page),
            "## Stale key results\n\nNone: every key result of an active objective moved in the last 14 days.\n",
        );
        assert_contains(
            &crate::render::text::unpainted(&human(&page)),
            "STALE KEY RESULTS: none\n",
        );
        // After the quarter (and before kickoff) there is no such section at all.
        let ended = ReportPage::new(quarter());
        assert!(!human(&ended).contains("STALE"));
        assert!(!markdown(&ended).contains("## Stale"));
    }

    #[test]
    fn markdown_makes_user_text_inert() {
        let md = markdown(&ReportPage::new(hostile()));
        assert!(!md.contains("<script>"), "{md}");
        assert!(!md.contains("<b>"));
        assert!(!md.contains("@team") && !md.contains("@ops"));
        assert!(!md.contains("**x**"));
        assert!(!md.contains('\x1b'));
        assert_contains(&md, "\\<script\\>\\|@\u{200d}team \\*\\*x\\*\\*");
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
        assert_contains(&md, "line one \\| @\u{200d}ops<br>\\<b\\>line two\\</b\\>");
        assert_contains(&md, "### plat\\|form — 0.65 green");
    }

    #[test]
    fn human_output_shows_control_characters_instead_of_obeying_them() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(hostile())));
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out}");
        assert_contains(&out, "<script>|@team **x**\\u{1b}[31m");
        assert_contains(&out, "Eve \\u{1b}]0;pwned\\u{7}");
    }

    #[test]
    fn colour_only_when_asked_and_never_alone() {
        let plain = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert!(!plain.contains('\x1b'), "{plain}");
        let coloured = human(&ReportPage::new(quarter()));
        assert!(coloured.contains('\x1b'));
        assert!(coloured.contains(&format!("{}0.45 amber", AMBER.render())));
        assert!(coloured.contains(&format!("{}0.80 green", GREEN.render())));
        // Without the escape codes, the coloured report says the same words.
        let stripped = strip_ansi(&coloured);
        assert_eq!(stripped, plain);
        assert!(!markdown(&ReportPage::new(quarter())).contains('\x1b'));
        assert!(!markdown(&ReportPage::new(hostile())).contains('\x1b'));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn no_line_ends_in_whitespace() {
        for out in [
            crate::render::text::unpainted(&human(&ReportPage::new(quarter()))),
            human(&ReportPage::new(quarter())),
            markdown(&ReportPage::new(quarter())),
        ] {
            for line in out.lines() {
                assert_eq!(line, line.trim_end(), "trailing whitespace: {line:?}");
            }
        }
    }

    #[test]
    fn an_empty_quarter_says_so() {
        let mut report = quarter();
        report.teams.clear();
        report.dropped.clear();
        report.pivots.clear();
        report.warnings.clear();
        report.alignment = AlignmentTree {
            roots: Vec::new(),
            unaligned: Vec::new(),
            aligned_to_dropped: Vec::new(),
            unresolved: Vec::new(),
        };
        report.retrospective = None;
        let out = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        assert_contains(&out, "SCORES\n\nno OKR files for 2026-Q3\n");
        assert_contains(&out, "\nFALLS SHORT OF EXPECTATION: none\n");
        assert_contains(&out, "\nDROPPED: none\n");
        assert_contains(&out, "\nPIVOTS AFTER KICKOFF: none\n");
        let md = markdown(&ReportPage::new(report.clone()));
        assert_contains(&md, "## Scores\n\nNo OKR files for 2026-Q3.\n");
        assert_contains(
            &md,
            "## Pivots after kickoff\n\nNone: the plan held after kickoff.\n",
        );
    }

    /// The demo's report on a fixed day after the quarter, as `okr demo` builds it.
    fn demo_report() -> Report {
        let dir = tempfile::tempdir().unwrap();
        crate::commands::demo::build(dir.path()).unwrap();
        let workspace = crate::repo::workspace::Workspace::discover(dir.path()).unwrap();
        let git = crate::repo::git::Git::open(&workspace.root).unwrap();
        let query = crate::core::report::ReportQuery {
            quarter: "2026-Q3".parse().unwrap(),
            team: None,
            at: "HEAD".into(),
            retro: false,
            today: jiff::civil::date(2026, 10, 5),
            stale_after_days: 14,
        };
        crate::commands::report::build(&workspace, &git, &query).unwrap()
    }

    #[test]
    fn the_json_written_in_parallel_is_the_derived_layout() {
        json::tests::assert_laid_out_as_derived(&ReportPage::new(demo_report()));
        json::tests::assert_laid_out_as_derived(&ReportPage::new(quarter()));
        let mut empty = quarter();
        empty.teams.clear();
        empty.retrospective = None;
        json::tests::assert_laid_out_as_derived(&ReportPage::new(empty));
    }

    #[test]
    fn demo_report_snapshots() {
        let report = demo_report();
        let human = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        let markdown = markdown(&ReportPage::new(report.clone()));
        assert!(!human.contains("/tmp") && !markdown.contains("/tmp"));
        assert!(!human.contains('\x1b'));
        insta::assert_snapshot!("demo_report_human", human);
        insta::assert_snapshot!("demo_report_markdown", markdown);
    }
}
