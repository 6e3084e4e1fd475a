//! Small pieces both pages show: scores, reasons, text written across lines, a change in words. Those that
//! carry a user's text are tiny templates, so it is escaped like everywhere else; the rest are built from
//! okr's own words and numbers.

use askama::Template;
use askama::filters::Safe;

use super::{Markup, render};
use crate::core::change::{Change, ChangeKind, WordEdit, WordOp};
use crate::core::history::Warning;
use crate::core::model::{Number, ObjectiveType, Status};
use crate::core::report::Band;
use crate::render::text::{self, Format, short_commit};

/// A number as a template hands it to a function: by value or behind references, as askama decides from the
/// shape of the expression.
pub trait Plain<T> {
    fn plain(self) -> T;
}

impl Plain<f64> for f64 {
    fn plain(self) -> f64 {
        self
    }
}

impl Plain<usize> for usize {
    fn plain(self) -> usize {
        self
    }
}

impl<T, U: Plain<T> + Copy> Plain<T> for &U {
    fn plain(self) -> T {
        (*self).plain()
    }
}

/// A score as people read it, with two decimals as in every format: `0.55`, `0.90`, `1.00`; never `-0.00`.
pub fn score(score: impl Plain<f64>) -> String {
    crate::render::text::score_text(score.plain())
}

/// A score with its band in words: `0.55 · amber`.
pub fn pill(score: &Option<f64>, band: &Option<Band>) -> Markup {
    Safe(match (score, band) {
        (Some(s), Some(b)) => format!(
            "<span class=\"pill {}\">{} · {}</span>",
            b.as_str(),
            self::score(s),
            b.as_str()
        ),
        (Some(s), None) => format!("<span class=\"pill\">{}</span>", self::score(s)),
        (None, _) => "<span class=\"pill\">not scored</span>".to_owned(),
    })
}

/// `3 objectives`.
pub fn plural(n: impl Plain<usize>, one: &str, many: &str) -> String {
    text::plural(n.plain(), one, many)
}

pub fn type_name(kind: &ObjectiveType) -> &'static str {
    match kind {
        ObjectiveType::Committed => "committed",
        ObjectiveType::Aspirational => "aspirational",
    }
}

pub fn status_name(status: &Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Done => "done",
        Status::Dropped => "dropped",
    }
}

/// A change kind in words: `kr_target_changed` → `KR target changed`.
pub fn kind_words(kind: &ChangeKind) -> String {
    let words = kind.as_str().replace('_', " ");
    match words.strip_prefix("kr ") {
        Some(rest) => format!("KR {rest}"),
        None => words,
    }
}

/// Text written across lines (a commit body, a YAML block) as paragraphs: the lines of a paragraph are joined
/// with spaces; blank lines and list items (`- `, `* `) keep their breaks. Shown with `white-space: pre-line`.
pub fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            if blank {
                out.push_str("\n\n");
            } else if line.starts_with("- ") || line.starts_with("* ") {
                out.push('\n');
            } else {
                out.push(' ');
            }
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[derive(Template)]
#[template(source = r#"<span class="prose">{{ text }}</span>"#, ext = "html")]
struct Prose {
    text: String,
}

/// A user's text written across lines, reflowed.
pub fn prose(text: &str) -> Markup {
    render(&Prose { text: reflow(text) })
}

/// A reason, or the words that say there is none.
pub fn reason(reason: Option<&str>) -> Markup {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => prose(r),
        None => Safe("<span class=\"flag\">⚠ no reason given</span>".to_owned()),
    }
}

#[derive(Template)]
#[template(path = "change.html")]
struct ChangeWords<'a> {
    change: &'a Change,
    /// The rewording word by word, for a title or id that was reworded.
    words: Option<&'a [WordEdit]>,
    /// What the change did, in the words `okr history` prints, for any other change.
    described: String,
}

/// What a change did, in words (the same phrase `okr history` prints), with word-level rewording marked up.
pub fn change(change: &Change) -> Markup {
    let words = match change.kind {
        ChangeKind::ObjectiveReworded | ChangeKind::KrReworded => change.words.as_deref(),
        _ => None,
    };
    let described = match words {
        Some(_) => String::new(),
        None => text::unpainted(&text::describe(change, Format::Human).what),
    };
    render(&ChangeWords {
        change,
        words,
        described,
    })
}

/// A score with the band it falls in.
pub fn banded_pill(score: &Option<f64>) -> Markup {
    pill(score, &score.map(Band::of))
}

/// A number in a table cell, or a dash for none.
pub fn cell(n: &Option<Number>) -> Markup {
    Safe(match n {
        Some(n) => crate::render::escape::html(&n.to_string()),
        None => "<span class=\"muted\">—</span>".to_owned(),
    })
}

/// Where a change was made: `team/objective`, or the team for a change to the whole file.
pub fn place(change: &Change) -> String {
    change.objective.as_deref().map_or_else(
        || change.team.clone(),
        |o| super::objective_key(&change.team, o),
    )
}

#[derive(Template)]
#[template(path = "warnings.html")]
struct Warnings<'a> {
    warnings: &'a [Warning],
}

/// The warnings section, or nothing when there were none.
pub fn warnings(warnings: &[Warning]) -> Markup {
    render(&Warnings { warnings })
}
