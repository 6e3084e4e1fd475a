//! `okr history --format markdown`: the page's model, laid out by `history.md`.

use askama::Template;
use askama::filters::Safe;

use super::{Md, to_string};
use crate::core::history::History;
use crate::render::history::{
    Shown, change_line, check_in_line, item_reasons, notes_text, place, summary_what,
};
use crate::render::text::{Format, day, describe, plural, revision_name, short_commit, trim_lines};
use crate::view::Reasoning;
use crate::view::history::{Commit, HistoryPage, Item};

#[derive(Template)]
#[template(path = "history.md")]
struct Page<'a> {
    h: &'a History,
    quarter: String,
    kickoff_count: String,
    planned_late_count: String,
    planned_late: Vec<(String, Md)>,
    pivots: Vec<Pivot>,
    none: String,
    check_ins: String,
    sections: Vec<Section<'a>>,
}

struct Pivot {
    title: &'static str,
    day: String,
    what: Md,
    reason: Reason,
}

enum Reason {
    Given(String),
    Missing,
    NotAsked,
}

struct Section<'a> {
    title: String,
    commits: Vec<CommitLines<'a>>,
}

struct CommitLines<'a> {
    day: &'a str,
    author: &'a str,
    short: &'a str,
    message: &'a str,
    lines: Vec<Line>,
}

/// A list item under the commit: a change, a check-in or a reason; nested under the item before it or not.
struct Line {
    nested: bool,
    text: Md,
}

pub fn render(page: &HistoryPage) -> String {
    let h = &page.history;
    let f = Format::Markdown;
    let summary = &h.summary;
    let kinds: [(&'static str, &[usize]); 6] = [
        ("Added", &summary.added_after_kickoff),
        ("Dropped", &summary.dropped),
        ("Removed, not marked dropped", &summary.removed),
        ("Made easier", &summary.made_easier),
        ("Made harder", &summary.made_harder),
        ("Other pivot", &summary.other_pivots),
    ];
    let pivots = kinds
        .iter()
        .flat_map(|(title, indices)| {
            indices.iter().map(move |&i| {
                let event = &h.events[i];
                Pivot {
                    title,
                    day: day(&event.landed).to_owned(),
                    what: Safe(summary_what(h, event, f)),
                    reason: match (&event.reason, page.reasoning[i]) {
                        (Some(reason), _) => Reason::Given(reason.clone()),
                        (None, Reasoning::Missing) => Reason::Missing,
                        (None, Reasoning::Given | Reasoning::NotAsked) => Reason::NotAsked,
                    },
                }
            })
        })
        .collect();
    let none = kinds
        .iter()
        .filter(|(_, list)| list.is_empty())
        .map(|(title, _)| *title)
        .collect::<Vec<_>>()
        .join(", ")
        .to_lowercase();
    let mut sections: Vec<Section<'_>> = Vec::new();
    for commit in &page.commits {
        let mid = h.events[commit.first].mid_quarter;
        let title = if mid {
            format!("After kickoff (from {})", h.kickoff)
        } else {
            format!("Planning (before {})", h.kickoff)
        };
        if sections.last().is_none_or(|s| s.title != title) {
            sections.push(Section {
                title,
                commits: Vec::new(),
            });
        }
        if let Some(section) = sections.last_mut() {
            section.commits.push(commit_lines(page, commit));
        }
    }
    let out = to_string(&Page {
        h,
        quarter: h.quarter.to_string(),
        kickoff_count: plural(summary.kickoff.len(), "objective", "objectives"),
        planned_late_count: plural(summary.planned_late.len(), "objective", "objectives"),
        planned_late: summary
            .planned_late
            .iter()
            .map(|&i| {
                let event = &h.events[i];
                (
                    day(&event.landed).to_owned(),
                    Safe(summary_what(h, event, f)),
                )
            })
            .collect(),
        pivots,
        none,
        check_ins: plural(summary.check_ins, "progress update", "progress updates"),
        sections,
    });
    trim_lines(&out)
}

/// A commit's changes, check-ins and reasons as list items, each reason once.
fn commit_lines<'a>(page: &'a HistoryPage, commit: &Commit) -> CommitLines<'a> {
    let f = Format::Markdown;
    let events = &page.history.events;
    let head = &events[commit.first];
    let mut lines = Vec::new();
    let mut line = |nested: bool, text: String| {
        lines.push(Line {
            nested,
            text: Safe(text),
        })
    };
    let shared = commit.shared_reason.as_ref().map(Option::as_deref);
    let mut shown = Shown::default();
    if let Some(Some(reason)) = shared {
        line(false, format!("*why:* {}", f.esc(reason.trim_end())));
        shown.first_time(reason);
    }
    for item in &commit.items {
        match item {
            Item::Change { head, nested } => {
                let event = &events[*head];
                let mut text = change_line(event, f);
                if let Some(notes) = notes_text(event)
                    && !shown.first_time(notes)
                {
                    let subject = match describe(&event.change, f).subject {
                        Some(subject) => format!("{} {subject}", place(event, f)),
                        None => place(event, f),
                    };
                    text = format!("{subject}: notes set to the reason above");
                }
                if page.is_pivot(*head) {
                    text = format!("**▲ pivot** {text}");
                }
                if event.planned_late {
                    text.push_str(&format!(" *(planned late, on {})*", day(&event.landed)));
                }
                if page.reasoning[*head] == Reasoning::Missing {
                    text.push_str(" **⚠ no reason given**");
                }
                line(false, text);
                for &kr in nested {
                    let change = &events[kr].change;
                    line(
                        true,
                        format!(
                            "KR {} — {}",
                            f.esc(change.key_result.as_deref().unwrap_or_default()),
                            f.value(&change.to)
                        ),
                    );
                }
            }
            Item::CheckIn { head, key_results } => {
                let event = &events[*head];
                line(
                    false,
                    format!(
                        "*check-in* {}: {}",
                        place(event, f),
                        check_in_line(events, key_results, f)
                    ),
                );
            }
        }
        if shared.is_none() {
            for (i, reason) in item_reasons(events, item) {
                if !shown.first_time(reason) {
                    continue;
                }
                let label = match item {
                    Item::CheckIn { key_results, .. } if key_results.len() > 1 => format!(
                        "*why ({}):*",
                        f.esc(events[i].change.key_result.as_deref().unwrap_or_default())
                    ),
                    _ => "*why:*".to_owned(),
                };
                line(true, format!("{label} {}", f.esc(reason.trim_end())));
            }
        }
    }
    CommitLines {
        day: day(&head.date),
        author: &head.author,
        short: short_commit(&head.commit),
        message: &head.message,
        lines,
    }
}
