//! `okr report --format markdown`: the page's model, laid out by `report.md`, one block per section in the
//! order a review meeting goes through them.

use askama::Template;
use askama::filters::Safe;

use super::{Md, to_string};
use crate::core::change::ChangeKind;
use crate::core::history::{Event, Warning};
use crate::core::model::{ObjectiveType, Status};
use crate::core::report::{
    AlignmentNode, Band, DroppedObjective, ObjectiveReport, Outcome, Report, Retrospective,
    TeamReport,
};
use crate::render::report::{
    FALLS_SHORT, NO_REASON, closing_line, expected_text, kickoff_score, kind_name,
    last_checkin_text, links_text, moved_target, pivot_breakdown, pivot_line, progress,
    quarter_state, removed_text, retro_hint, tags,
};
use crate::render::text::{
    Format, day, plural, revision_name, score_text, short_commit, trim_lines, value_text,
};
use crate::view::Reasoning;
use crate::view::report::{PivotView, ReportPage};

#[derive(Template)]
#[template(path = "report.md")]
struct Page<'a> {
    r: &'a Report,
    commit: &'a str,
    date: &'a str,
    state: String,
    glance: Glance,
    teams: Vec<Team<'a>>,
    falls_short: Vec<ShortOfKind<'a>>,
    /// `None` when the quarter is not running and nothing can be stale.
    stale: Option<Vec<StaleRow<'a>>>,
    /// `14 days`.
    stale_days: String,
    alignment: Vec<Node<'a>>,
    loose_ends: [LooseEnds<'a>; 3],
    dropped: Vec<DroppedRow<'a>>,
    removed: Vec<RemovedRow<'a>>,
    pivot_count: String,
    pivot_breakdown: String,
    pivots: Vec<PivotRow<'a>>,
    retrospective: Option<Retro<'a>>,
    retro_hint: String,
    warnings: &'a [Warning],
}

/// The counts of the page's opening line; a count of zero leaves its phrase out.
struct Glance {
    judged: String,
    meet: usize,
    falls_short: usize,
    dropped: usize,
    removed: Option<String>,
    pivots: String,
    unexplained: usize,
    moved: Option<String>,
}

struct Team<'a> {
    name: &'a str,
    score: String,
    owner: Option<&'a str>,
    /// Markdown links, made safe by [`links_text`].
    links: Option<Md>,
    objectives: Vec<ObjectiveRow<'a>>,
    key_results: Vec<KeyResults<'a>>,
}

struct ObjectiveRow<'a> {
    id: &'a str,
    title: &'a str,
    /// `P1`.
    tags: Option<String>,
    links: Option<Md>,
    /// `carried from 2026-Q3 (ended 0.40 amber)`, for an objective carried over.
    carried: Option<String>,
    kind: &'static str,
    score: String,
    kickoff: Option<String>,
    band: &'static str,
    expected: String,
    done: bool,
    verdict: Verdict,
}

enum Verdict {
    Dropped(Option<jiff::civil::Date>),
    Met,
    FallsShort,
}

/// An objective in play with its key results, and what happened to them after kickoff.
struct KeyResults<'a> {
    id: &'a str,
    title: &'a str,
    rows: Vec<KeyResultRow<'a>>,
    removed: Vec<RemovedKeyResult<'a>>,
    moved: Vec<MovedTarget<'a>>,
}

struct KeyResultRow<'a> {
    id: &'a str,
    title: &'a str,
    /// `P1 · at risk`.
    tags: Option<String>,
    links: Option<Md>,
    progress: Md,
    score: String,
    by_hand: bool,
    kickoff: Option<String>,
    band: &'static str,
    confidence: String,
}

struct RemovedKeyResult<'a> {
    id: &'a str,
    title: &'a str,
    what: Md,
    reason: Option<&'a str>,
}

struct MovedTarget<'a> {
    id: &'a str,
    text: Md,
}

struct ShortOfKind<'a> {
    kind: &'static str,
    expected: String,
    objectives: Vec<Short<'a>>,
}

struct StaleRow<'a> {
    team: &'a str,
    objective: &'a str,
    id: &'a str,
    title: &'a str,
    last: String,
}

struct Short<'a> {
    score: String,
    team: &'a str,
    objective: &'a str,
    title: &'a str,
    kickoff: Option<String>,
}

/// One line of the alignment tree, which a template cannot walk itself: flattened, depth first.
struct Node<'a> {
    indent: String,
    root: bool,
    team: &'a str,
    objective: &'a str,
    title: &'a str,
    score: String,
    dropped: bool,
    done: bool,
    /// The parent's key result it aligns to, when it names one.
    via: Option<&'a str>,
}

struct LooseEnds<'a> {
    title: &'static str,
    items: Vec<LooseEnd<'a>>,
}

struct LooseEnd<'a> {
    team: &'a str,
    objective: &'a str,
    title: &'a str,
    aligns: Aligns<'a>,
}

enum Aligns<'a> {
    Nothing,
    ToDropped(&'a str),
    Unresolved(&'a str),
}

struct DroppedRow<'a> {
    team: &'a str,
    objective: &'a str,
    title: &'a str,
    date: String,
    why: Why<'a>,
}

struct RemovedRow<'a> {
    team: &'a str,
    objective: &'a str,
    what: String,
    date: &'a str,
    why: Why<'a>,
}

struct PivotRow<'a> {
    date: &'a str,
    what: Md,
    why: Why<'a>,
    author: &'a str,
    commit: &'a str,
}

/// A reason as a table cell shows it: its words, a flag that it is missing, or a dash where none is asked for.
enum Why<'a> {
    Given(&'a str),
    Missing,
    NotAsked,
}

struct Retro<'a> {
    judged: usize,
    met: Vec<OutcomeRow<'a>>,
    missed: Vec<OutcomeRow<'a>>,
    dropped: Vec<DroppedRow<'a>>,
    learnings: usize,
    groups: Vec<LearningGroup<'a>>,
    pivots: usize,
    changes: String,
    closing: String,
    written: Vec<WrittenRow<'a>>,
}

/// One team's own retrospective: its lists that hold anything, each under its heading.
struct WrittenRow<'a> {
    team: &'a str,
    sections: Vec<(&'static str, &'a [String])>,
}

struct OutcomeRow<'a> {
    team: &'a str,
    objective: &'a str,
    title: &'a str,
    kind: &'static str,
    score: String,
    kickoff: Option<String>,
    expected: String,
}

struct LearningGroup<'a> {
    team: &'a str,
    objective: &'a str,
    learnings: Vec<LearningLine<'a>>,
}

struct LearningLine<'a> {
    key_result: Option<&'a str>,
    text: &'a str,
}

pub fn render(page: &ReportPage) -> String {
    let r = &page.report;
    let c = page.summary;
    let out = to_string(&Page {
        r,
        commit: short_commit(&r.commit),
        date: day(&r.date),
        state: quarter_state(r),
        glance: Glance {
            judged: plural(c.judged, "objective", "objectives"),
            meet: c.meet,
            falls_short: c.falls_short,
            dropped: c.dropped,
            removed: (c.removed > 0)
                .then(|| plural(c.removed, "objective removed", "objectives removed")),
            pivots: plural(c.pivots, "pivot", "pivots"),
            unexplained: c.unexplained,
            moved: (c.moved > 0).then(|| plural(c.moved, "target moved", "targets moved")),
        },
        teams: r.teams.iter().map(team).collect(),
        falls_short: falls_short(page),
        stale: page.stale.as_ref().map(|_| {
            page.stale_key_results()
                .map(|(o, kr)| StaleRow {
                    team: &o.team,
                    objective: &o.id,
                    id: &kr.id,
                    title: &kr.title,
                    last: last_checkin_text(kr),
                })
                .collect()
        }),
        stale_days: plural(r.stale_after_days as usize, "day", "days"),
        alignment: {
            let mut nodes = Vec::new();
            for root in &r.alignment.roots {
                flatten(root, 0, &mut nodes);
            }
            nodes
        },
        loose_ends: loose_ends(r),
        dropped: r.dropped.iter().map(dropped_row).collect(),
        removed: pivots(page)
            .filter(|(event, _)| event.change.kind == ChangeKind::ObjectiveRemoved)
            .map(|(event, view)| RemovedRow {
                team: &event.change.team,
                objective: event.change.objective.as_deref().unwrap_or_default(),
                what: value_text(&event.change.from),
                date: day(&event.date),
                why: Why::of_event(event, view),
            })
            .collect(),
        pivot_count: plural(r.pivots.len(), "pivot", "pivots"),
        pivot_breakdown: pivot_breakdown(page),
        pivots: pivots(page)
            .map(|(event, view)| PivotRow {
                date: day(&event.date),
                what: Safe(pivot_line(r, event, Format::Markdown)),
                why: Why::of_event(event, view),
                author: &event.author,
                commit: short_commit(&event.commit),
            })
            .collect(),
        retrospective: r
            .retrospective
            .as_ref()
            .map(|retro| retrospective(page, retro)),
        retro_hint: retro_hint(r),
        warnings: &r.warnings,
    });
    trim_lines(&out)
}

/// `0.87 green`, or `no score`.
fn md_score(score: Option<f64>, band: Option<Band>) -> String {
    match (score, band) {
        (Some(s), Some(b)) => format!("{} {}", score_text(s), b.as_str()),
        (Some(s), None) => score_text(s),
        _ => "no score".to_owned(),
    }
}

fn team(team: &TeamReport) -> Team<'_> {
    let f = Format::Markdown;
    let objectives = team
        .objectives
        .iter()
        .map(|o| {
            // A dropped objective is not judged: no score, band or verdict of its own.
            let judged = o.status != Status::Dropped;
            let (score, band) = if judged {
                (
                    o.score.map_or_else(|| "no score".to_owned(), score_text),
                    o.band.map_or("—", Band::as_str),
                )
            } else {
                ("—".to_owned(), "—")
            };
            ObjectiveRow {
                id: &o.id,
                title: &o.title,
                tags: tags(o.priority, None),
                links: links_text(&o.links, f).map(Safe),
                carried: o
                    .carried_from
                    .as_ref()
                    .map(crate::render::text::carried_text),
                kind: kind_name(o.kind),
                score,
                kickoff: o.score_against_kickoff.filter(|_| judged).map(score_text),
                band,
                expected: expected_text(o.expected),
                done: o.status == Status::Done,
                verdict: match (judged, o.falls_short) {
                    (false, _) => Verdict::Dropped(o.dropped.as_ref().and_then(|d| d.date)),
                    (true, false) => Verdict::Met,
                    (true, true) => Verdict::FallsShort,
                },
            }
        })
        .collect();
    let key_results = team
        .objectives
        .iter()
        .filter(|o| o.status != Status::Dropped && !o.key_results.is_empty())
        .map(|o| KeyResults {
            id: &o.id,
            title: &o.title,
            rows: o
                .key_results
                .iter()
                .map(|kr| KeyResultRow {
                    id: &kr.id,
                    title: &kr.title,
                    tags: tags(kr.priority, kr.health),
                    links: links_text(&kr.links, f).map(Safe),
                    progress: Safe(progress(kr, f)),
                    score: kr.score.map_or_else(|| "no score".to_owned(), score_text),
                    by_hand: kr.score_source == "explicit",
                    kickoff: kr.score_against_kickoff.map(score_text),
                    band: kr.band.map_or("—", Band::as_str),
                    confidence: kr
                        .confidence
                        .map_or_else(|| "—".to_owned(), |c| c.to_string()),
                })
                .collect(),
            removed: o
                .removed_key_results
                .iter()
                .map(|removed| RemovedKeyResult {
                    id: &removed.id,
                    title: &removed.title,
                    what: Safe(removed_text(removed, f)),
                    reason: removed.reason.as_deref().map(str::trim_end),
                })
                .collect(),
            moved: o
                .key_results
                .iter()
                .filter_map(|kr| {
                    moved_target(kr, f).map(|text| MovedTarget {
                        id: &kr.id,
                        text: Safe(text),
                    })
                })
                .collect(),
        })
        .collect();
    Team {
        name: &team.team,
        score: md_score(team.score, team.band),
        owner: team.owner.as_deref(),
        links: links_text(&team.links, Format::Markdown).map(Safe),
        objectives,
        key_results,
    }
}

/// The view's order (committed first, lowest score first), split by type under a heading each.
fn falls_short(page: &ReportPage) -> Vec<ShortOfKind<'_>> {
    [ObjectiveType::Committed, ObjectiveType::Aspirational]
        .into_iter()
        .map(|kind| ShortOfKind {
            kind: kind_name(kind),
            expected: expected_text(crate::core::report::expected(kind)),
            objectives: page
                .falling_short()
                .filter(|o| o.kind == kind)
                .map(|o: &ObjectiveReport| Short {
                    score: md_score(o.score, o.band),
                    team: &o.team,
                    objective: &o.id,
                    title: &o.title,
                    kickoff: o.score_against_kickoff.map(score_text),
                })
                .collect(),
        })
        .filter(|kind| !kind.objectives.is_empty())
        .collect()
}

fn flatten<'a>(node: &'a AlignmentNode, depth: usize, out: &mut Vec<Node<'a>>) {
    out.push(Node {
        indent: "  ".repeat(depth),
        root: depth == 0,
        team: &node.team,
        objective: &node.objective,
        title: &node.title,
        score: md_score(node.score, node.score.map(Band::of)),
        dropped: node.status == Status::Dropped,
        done: node.status == Status::Done,
        via: node.via_key_result.as_deref(),
    });
    for child in &node.children {
        flatten(child, depth + 1, out);
    }
}

fn loose_ends(r: &Report) -> [LooseEnds<'_>; 3] {
    let alignment = &r.alignment;
    [
        LooseEnds {
            title: "Aligned to nothing",
            items: alignment
                .unaligned
                .iter()
                .map(|o| LooseEnd {
                    team: &o.team,
                    objective: &o.objective,
                    title: &o.title,
                    aligns: Aligns::Nothing,
                })
                .collect(),
        },
        LooseEnds {
            title: "Still aligned to a dropped objective",
            items: alignment
                .aligned_to_dropped
                .iter()
                .map(|a| LooseEnd {
                    team: &a.objective.team,
                    objective: &a.objective.objective,
                    title: &a.objective.title,
                    aligns: Aligns::ToDropped(&a.parent),
                })
                .collect(),
        },
        LooseEnds {
            title: "Unresolved aligns_to",
            items: alignment
                .unresolved
                .iter()
                .map(|u| LooseEnd {
                    team: &u.objective.team,
                    objective: &u.objective.objective,
                    title: &u.objective.title,
                    aligns: Aligns::Unresolved(&u.aligns_to),
                })
                .collect(),
        },
    ]
}

fn dropped_row(d: &DroppedObjective) -> DroppedRow<'_> {
    DroppedRow {
        team: &d.team,
        objective: &d.objective,
        title: &d.title,
        date: d.date.map_or_else(|| "—".to_owned(), |d| d.to_string()),
        why: Why::of(d.reason.as_deref()),
    }
}

/// Each pivot with the view's verdict on it, in the report's order.
fn pivots(page: &ReportPage) -> impl Iterator<Item = (&Event, &PivotView)> {
    page.report.pivots.iter().zip(&page.pivots)
}

impl<'a> Why<'a> {
    /// A drop's reason, which is always asked for.
    fn of(reason: Option<&'a str>) -> Why<'a> {
        match reason {
            Some(r) if !r.trim().is_empty() => Why::Given(r.trim_end()),
            _ => Why::Missing,
        }
    }

    /// A change's reason; that it is missing only where the policy asks for one.
    fn of_event(event: &'a Event, view: &PivotView) -> Why<'a> {
        match view.reasoning {
            Reasoning::Given | Reasoning::Missing => Why::of(event.reason.as_deref()),
            Reasoning::NotAsked => Why::NotAsked,
        }
    }
}

fn retrospective<'a>(page: &'a ReportPage, retro: &'a Retrospective) -> Retro<'a> {
    let outcome = |o: &'a Outcome| OutcomeRow {
        team: &o.team,
        objective: &o.objective,
        title: &o.title,
        kind: kind_name(o.kind),
        score: md_score(o.score, o.score.map(Band::of)),
        kickoff: kickoff_score(&page.report, o).map(score_text),
        expected: expected_text(o.expected),
    };
    Retro {
        judged: retro.met.len() + retro.missed.len(),
        met: retro.met.iter().map(outcome).collect(),
        missed: retro.missed.iter().map(outcome).collect(),
        dropped: retro.dropped.iter().map(dropped_row).collect(),
        learnings: retro.learnings.len(),
        groups: page
            .learning_groups
            .iter()
            .map(|group| {
                let first = &retro.learnings[group[0]];
                LearningGroup {
                    team: &first.team,
                    objective: &first.objective,
                    learnings: group
                        .iter()
                        .map(|&i| LearningLine {
                            key_result: retro.learnings[i].key_result.as_deref(),
                            text: retro.learnings[i].text.trim_end(),
                        })
                        .collect(),
                }
            })
            .collect(),
        pivots: retro.pivots,
        changes: plural(retro.pivots, "change of plan", "changes of plan"),
        closing: closing_line(page, retro),
        written: retro
            .written
            .iter()
            .map(|w| WrittenRow {
                team: &w.team,
                sections: w
                    .sections()
                    .into_iter()
                    .filter(|(_, points)| !points.is_empty())
                    .collect(),
            })
            .collect(),
    }
}
