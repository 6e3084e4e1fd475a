//! Hover on an objective's or key result's id (or on an `aligns_to`, for the objective it names): what it is,
//! who owns it, where it stands, its score as `okr report` computes it, and for an id its last changes this
//! quarter as `okr history` tells them ([`history_section`]).

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Range};

use crate::core::diagnostic::Pos;
use crate::core::history::Event;
use crate::core::locate::{Place, place_at, token_at};
use crate::core::model::{KeyResult, Measure, Objective, OkrFile, Quarter, Spanned, Text};
use crate::core::report::{Band, expected, key_result_score, objective_score, round};
use crate::core::rules;
use crate::lsp::position::Lines;
use crate::lsp::world::{File, Project};
use crate::render::escape::markdown_escape;
use crate::render::text::{Format, day, describe, plural, short_commit};

/// A hover, and the history it still lacks when that must be read from git first.
pub struct Answer {
    pub hover: Hover,
    pub history: Option<Wanted>,
}

/// The history section a hover on an id ends with: the changes of which item, in which quarter's history.
pub struct Wanted {
    pub quarter: Quarter,
    team: String,
    objective: String,
    key_result: Option<String>,
}

impl Wanted {
    /// Ends `hover` with the item's changes among the quarter's `events`.
    pub fn add_to(&self, hover: &mut Hover, events: &[Event]) {
        if let HoverContents::Markup(markup) = &mut hover.contents {
            markup.value.push_str(&history_section(
                events,
                &self.team,
                &self.objective,
                self.key_result.as_deref(),
            ));
        }
    }
}

/// The hover at `pos` in the file at `path`, if an id or an `aligns_to` is there. On an id, the history to end
/// it with is left to the caller, who may have to read it from git first ([`Wanted`]).
pub fn at(project: &Project, path: &str, file: &File, pos: Pos) -> Option<Answer> {
    let okr = file.okr()?;
    let lines = Lines::new(file.text());
    let place = place_at(okr, lines.index(), pos)?;
    let team = okr.team.as_ref().map_or("", |t| &t.value);
    let wanted = |objective: &Objective, key_result: Option<&KeyResult>| {
        Some(Wanted {
            quarter: rules::quarter_of(path, okr)?,
            team: team.to_owned(),
            objective: objective.id.as_ref()?.value.to_string(),
            key_result: key_result
                .and_then(|k| k.id.as_ref())
                .map(|id| id.value.to_string()),
        })
    };
    let (at, value, history) = match place {
        Place::Objective(o) => {
            let objective = &okr.objectives[o];
            let value = describe_objective(team, objective);
            (objective.id.as_ref()?.pos, value, wanted(objective, None))
        }
        Place::KeyResult(o, k) => {
            let objective = &okr.objectives[o];
            let key_result = &objective.key_results[k];
            let value = describe_key_result(team, objective, key_result);
            let history = wanted(objective, Some(key_result));
            (key_result.id.as_ref()?.pos, value, history)
        }
        Place::Alignment(o) => {
            let alignment = okr.objectives[o].aligns_to.as_ref()?;
            let value = describe_target(project, path, okr, alignment);
            (alignment.pos, value, None)
        }
    };
    let span = token_at(lines.index(), at);
    let hover = Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(Range::new(
            lines.position(span.start),
            lines.position(span.end),
        )),
    };
    Some(Answer { hover, history })
}

fn describe_target(
    project: &Project,
    path: &str,
    okr: &OkrFile,
    alignment: &Spanned<crate::core::model::Alignment>,
) -> String {
    let target = &alignment.value;
    let found = rules::quarter_of(path, okr)
        .and_then(|quarter| project.objective(quarter, &target.team, &target.objective));
    match found {
        Some((_, file, index)) => {
            let objective = file.okr().map(|okr| &okr.objectives[index]);
            objective.map_or_else(String::new, |o| describe_objective(&target.team, o))
        }
        None => format!(
            "`{}`: no file of this quarter defines it",
            markdown_escape(&target.to_string())
        ),
    }
}

fn describe_objective(team: &str, objective: &Objective) -> String {
    let id = text(&objective.id);
    let mut out = format!("**Objective** `{}/{}`", plain(team), plain(&id));
    title_line(&mut out, &objective.title);
    let kind = objective.objective_type();
    let mut facts = vec![
        kind.as_str().to_owned(),
        objective.status().as_str().to_owned(),
    ];
    if let Some(owner) = &objective.owner {
        facts.push(format!("owner {}", markdown_escape(&owner.value)));
    }
    let _ = write!(out, "\n\n{}", facts.join(" · "));
    if let Some(target) = &objective.aligns_to {
        let _ = write!(out, "\n\naligns to `{}`", plain(&target.value.to_string()));
    }
    let scored = objective
        .key_results
        .iter()
        .filter(|kr| key_result_score(kr).0.is_some())
        .count();
    match objective_score(objective) {
        Some(score) => {
            let _ = write!(
                out,
                "\n\nscore **{}** ({}) from {scored} of {} key results; {} objectives are expected to reach {}",
                round(score),
                Band::of(score).as_str(),
                objective.key_results.len(),
                kind.as_str(),
                expected(kind)
            );
        }
        None => out.push_str("\n\nno score: none of its key results can be scored"),
    }
    if let Some(reason) = objective.dropped.as_ref().and_then(|d| d.reason.as_ref()) {
        let _ = write!(out, "\n\ndropped: {}", markdown_escape(&reason.value));
    }
    out
}

fn describe_key_result(team: &str, objective: &Objective, key_result: &KeyResult) -> String {
    let mut out = format!(
        "**Key result** `{}/{}/{}`",
        plain(team),
        plain(&text(&objective.id)),
        plain(&text(&key_result.id))
    );
    title_line(&mut out, &key_result.title);
    let measure = match key_result.measure() {
        Some(Measure::Milestone { done }) => {
            format!("milestone: {}", if done { "done" } else { "not done" })
        }
        Some(measure) => crate::render::text::measure_standing(
            measure,
            key_result.unit.as_ref().map(|u| &*u.value),
            crate::render::text::Format::Markdown,
        )
        .unwrap_or_default(),
        None => "not measurable: it needs `start` and `target`, a `target` and a `direction`, `progress`, or `done`"
            .to_owned(),
    };
    let _ = write!(out, "\n\n{measure}");
    let mut facts = Vec::new();
    if let Some(confidence) = &key_result.confidence {
        facts.push(format!("confidence {}", confidence.value));
    }
    if let Some(owner) = &key_result.owner {
        facts.push(format!("owner {}", markdown_escape(&owner.value)));
    }
    if !facts.is_empty() {
        let _ = write!(out, "\n\n{}", facts.join(" · "));
    }
    match key_result_score(key_result) {
        (Some(score), source) => {
            let how = if source == "explicit" {
                "written in the file"
            } else {
                "computed"
            };
            let _ = write!(
                out,
                "\n\nscore **{}** ({}, {how})",
                round(score),
                Band::of(score).as_str()
            );
        }
        (None, _) => out.push_str("\n\nno score"),
    }
    out
}

/// How many of an item's changes hover shows, newest first.
const SHOWN_CHANGES: usize = 5;

/// The last changes of the objective `team/objective` (its key results' included), or of its key result
/// `key_result`, in the quarter's `events`: date, author, what changed and why, as `okr history` says them.
fn history_section(
    events: &[Event],
    team: &str,
    objective: &str,
    key_result: Option<&str>,
) -> String {
    let concerned: Vec<&Event> = events
        .iter()
        .filter(|e| {
            e.change.team == team
                && e.change.objective.as_deref() == Some(objective)
                && key_result.is_none_or(|kr| e.change.key_result.as_deref() == Some(kr))
        })
        .collect();
    let mut out = String::from("\n\n---\n\n");
    if concerned.is_empty() {
        out.push_str("no changes in git this quarter");
        return out;
    }
    let _ = write!(
        out,
        "**History this quarter**: {}",
        plural(concerned.len(), "change", "changes")
    );
    if concerned.len() > SHOWN_CHANGES {
        let _ = write!(out, ", the last {SHOWN_CHANGES}");
    }
    for event in concerned.iter().rev().take(SHOWN_CHANGES) {
        let described = describe(&event.change, Format::Markdown);
        let what = match (key_result, described.subject) {
            (None, Some(subject)) => format!("{subject}: {}", described.what),
            _ => described.what,
        };
        let _ = write!(
            out,
            "\n- {} {} (`{}`): {what}",
            day(&event.date),
            markdown_escape(&event.author),
            short_commit(&event.commit)
        );
        match (&event.reason, event.requires_reason) {
            (Some(reason), _) => {
                let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = write!(out, " — why: {}", markdown_escape(&reason));
            }
            (None, true) => out.push_str(" — no reason given"),
            (None, false) => {}
        }
    }
    out
}

fn title_line(out: &mut String, title: &Option<Spanned<Text>>) {
    if let Some(title) = title {
        let _ = write!(out, "\n\n{}", markdown_escape(&title.value));
    }
}

fn text(value: &Option<Spanned<Text>>) -> String {
    value
        .as_ref()
        .map(|v| v.value.to_string())
        .unwrap_or_default()
}

/// Text inside a code span: a backtick would end it, and a line break has no place in it.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c == '`' || c.is_control() { '\'' } else { c })
        .collect()
}
