//! The history page (`templates/history.html`): the quarter's changes commit by commit, prepared from the
//! history's view. The view decides the grouping by commit, which changes are pivots and which lack their
//! reason; what is decided here is only how it is shown — where the planning and mid-quarter headings go,
//! which rows share an objective's cell.

use askama::Template;
use jiff::civil::Date;

use super::axis::Window;
use super::fragments::{change, kind_words, place, plural, prose, reason, warnings};
use super::{Markup, objective_key, timeline, to_string};
use crate::core::history::{Event, History};
use crate::render::text::{day, short_commit};
use crate::view::Reasoning;
use crate::view::history::HistoryPage;

pub fn page(page: &HistoryPage) -> String {
    let history = &page.history;
    let window = Window {
        start: history.start,
        end: history.end,
        kickoff: history.kickoff,
        today: page.today,
    };
    let quarter = history.quarter.to_string();
    let summary = &history.summary;
    let tiles = [
        (summary.kickoff.len(), "objectives at kickoff", false),
        (
            summary.added_after_kickoff.len(),
            "added after kickoff",
            true,
        ),
        (summary.dropped.len(), "dropped", true),
        (summary.removed.len(), "removed without a drop", true),
        (summary.made_easier.len(), "targets made easier", true),
        (summary.made_harder.len(), "targets made harder", false),
        (summary.other_pivots.len(), "other pivots", true),
        (summary.check_ins, "check-ins", false),
    ]
    .into_iter()
    .map(|(n, label, warn)| (n, label, warn && n > 0))
    .collect();
    let mut section = None;
    let commits = page
        .commits
        .iter()
        .map(|commit| {
            let events = &history.events[commit.first..commit.end];
            let mid = events[0].mid_quarter;
            let heading = (section != Some(mid)).then(|| {
                if mid {
                    format!("After kickoff (from {})", history.kickoff)
                } else {
                    format!("Planning (before {})", history.kickoff)
                }
            });
            section = Some(mid);
            let rows = events
                .iter()
                .enumerate()
                .map(|(i, event)| {
                    let index = commit.first + i;
                    // Consecutive changes to one objective share its cell.
                    let first = i == 0 || place(&events[i - 1].change) != place(&event.change);
                    let rowspan = first.then(|| {
                        events[i..]
                            .iter()
                            .take_while(|e| place(&e.change) == place(&event.change))
                            .count()
                    });
                    Row {
                        event,
                        rowspan,
                        pivot: page.is_pivot(index),
                        missing: page.reasoning[index] == Reasoning::Missing,
                    }
                })
                .collect();
            CommitCard {
                heading,
                head: &events[0],
                why: commit
                    .shared_reason
                    .as_ref()
                    .and_then(|r| r.as_deref().map(|r| reason(Some(r)))),
                per_row: commit.shared_reason.is_none(),
                rows,
            }
        })
        .collect();
    to_string(&HistoryHtml {
        page,
        h: history,
        planning_until: history.kickoff.yesterday().unwrap_or(history.kickoff),
        timeline: timeline::section(&page.lanes, &window, &quarter),
        quarter,
        tiles,
        commits,
    })
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryHtml<'a> {
    page: &'a HistoryPage,
    h: &'a History,
    quarter: String,
    planning_until: Date,
    /// The summary's tiles: a count, what it counts, and whether it is a warning.
    tiles: Vec<(usize, &'static str, bool)>,
    timeline: Markup,
    commits: Vec<CommitCard<'a>>,
}

/// One commit's changes.
struct CommitCard<'a> {
    /// The heading of the part of the quarter this commit opens, planning or after kickoff.
    heading: Option<String>,
    head: &'a Event,
    /// The reason all its changes share, shown once for the commit.
    why: Option<Markup>,
    /// Whether each change shows its own reason, because they do not all share one.
    per_row: bool,
    rows: Vec<Row<'a>>,
}

struct Row<'a> {
    event: &'a Event,
    /// For the first of consecutive changes to one objective: how many rows its cell spans.
    rowspan: Option<usize>,
    pivot: bool,
    /// A pivot without the reason it needs.
    missing: bool,
}
