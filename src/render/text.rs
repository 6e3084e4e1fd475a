//! Helpers shared by the text renderers (human and Markdown): making user text safe for its destination, colour,
//! and the small phrases every report writes the same way (values, word diffs, short commit ids).
//!
//! Escaping is not done here but in [`super::escape`], the one place text leaving okr is made safe.

pub use super::escape::{markdown_escape, terminal_safe};
use annotate_snippets::renderer::{AnsiColor, Color, Style};

use crate::core::change::{Change, ChangeKind, Direction, Value, WordEdit, WordOp};
use crate::core::model::{Measure, Number, Status};
use crate::core::report::CarriedFrom;

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const PIVOT: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
pub const WARN: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Red)));
pub const ADDED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));
pub const REMOVED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
pub const COMMIT: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));

/// `text` in `style`. The text must already be safe (see [`terminal_safe`]). Human output is always painted:
/// whether the colour reaches the reader (a terminal, `NO_COLOR`, `TERM=dumb`, a pipe, `--color`) is decided
/// once, where the output is written, by `anstream`.
pub fn paint(style: Style, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{}{text}{}", style.render(), style.render_reset())
    }
}

/// Painted text without its colour, for a format that takes the words of a human phrase but not its styling.
pub fn unpainted(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

/// A commit id as people quote it: its first 7 hex digits.
pub fn short_commit(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// How a warning names the revision it is about: `commit 1a2b3c4` for a commit id, else as given (`working
/// tree`, `a/okrs/2026-Q3/platform.yaml`).
pub fn revision_name(revision: &str) -> String {
    if revision.len() == 40 && revision.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("commit {}", short_commit(revision))
    } else {
        revision.to_owned()
    }
}

/// The day of an RFC 3339 timestamp, as written in it (the committer's own calendar day).
pub fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// How a value reads in a report, before escaping: numbers as written, a milestone as `done` / `not done`.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::None => "none".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => "done".to_owned(),
        Value::Bool(false) => "not done".to_owned(),
        Value::Text(t) => t.clone(),
        Value::Status(status) => status.as_str().to_owned(),
        Value::Type(kind) => kind.as_str().to_owned(),
    }
}

/// Where a carried-over objective came from and how it ended there, before escaping: `carried from 2026-Q3
/// (ended 0.40 amber)`, `(ended dropped)`, `(not found there)` when that quarter's files do not have it, and
/// `(cannot be read there)` when its team's file there cannot be read (the report's warnings say why).
pub fn carried_text(carried: &CarriedFrom) -> String {
    let ended = match (carried.found, carried.status, carried.score) {
        (false, _, _) if carried.unreadable => "cannot be read there".to_owned(),
        (false, _, _) => "not found there".to_owned(),
        (true, Some(Status::Dropped), _) => "ended dropped".to_owned(),
        (true, status, score) => {
            let score = match (score, carried.band) {
                (Some(score), Some(band)) => format!("{} {}", score_text(score), band.as_str()),
                (Some(score), None) => score_text(score),
                (None, _) => "with no score".to_owned(),
            };
            let done = if status == Some(Status::Done) {
                ", done"
            } else {
                ""
            };
            format!("ended {score}{done}")
        }
    };
    format!("carried from {} ({ended})", carried.quarter)
}

/// A score as every report writes it: two decimals, and never `-0.00` (a score rounded to nothing has no sign).
pub fn score_text(score: f64) -> String {
    let rounded = (score * 100.0).round() / 100.0;
    // Adding zero turns a negative zero positive.
    format!("{:.2}", rounded + 0.0)
}

/// Where a metric key result stands: `5 of target 2 deploys/week (start 12)`. Not `5 → 2`: an arrow reads as
/// a change from old to new, which is what `okr diff` and `okr history` use it for. A `%` unit is written
/// against its number; any other after a space, escaped for `f`.
pub fn metric_standing(
    current: Number,
    target: Number,
    start: Number,
    unit: Option<&str>,
    f: Format,
) -> String {
    let unit = unit_suffix(unit, f);
    format!("{current} of target {target}{unit} (start {start})")
}

/// Where a key result stands, for every measure but a milestone (whose words each page chooses):
/// `5 of target 2 deploys/week (start 12)`, `640 of target 1500 (higher is better; no start measured)`,
/// `99.95%, to hold at least 99.9%`, `66% done`. `None` for a milestone.
pub fn measure_standing(measure: Measure, unit: Option<&str>, f: Format) -> Option<String> {
    let suffix = unit_suffix(unit, f);
    let value =
        |n: Option<Number>| n.map_or("not measured yet".to_owned(), |n| format!("{n}{suffix}"));
    Some(match measure {
        Measure::Metric {
            start,
            target,
            current,
        } => metric_standing(current, target, start, unit, f),
        Measure::Unbaselined {
            target,
            current,
            increase,
        } => {
            let better = if increase { "higher" } else { "lower" };
            match current {
                Some(current) => format!(
                    "{current} of target {target}{suffix} ({better} is better; no start measured)"
                ),
                None => format!("not measured yet, target {target}{suffix} ({better} is better)"),
            }
        }
        Measure::Threshold {
            target,
            current,
            start,
            at_least,
        } => {
            let bound = if at_least { "at least" } else { "at most" };
            let start = start.map_or(String::new(), |s| format!(" (start {s})"));
            format!(
                "{}, to hold {bound} {target}{suffix}{start}",
                value(current)
            )
        }
        Measure::Share { progress } => {
            let percent = (progress.0 * 1000.0).round() / 10.0;
            format!("{}% done", Number(percent))
        }
        Measure::Milestone { .. } => return None,
    })
}

/// A unit as written after its number, escaped for `f`: see [`unit_text`].
pub fn unit_suffix(unit: Option<&str>, f: Format) -> String {
    f.esc(&unit_text(unit))
}

/// A unit as written after its number, not yet escaped: `%` against it, any other after a space.
pub fn unit_text(unit: Option<&str>) -> String {
    match unit {
        Some("%") => "%".to_owned(),
        Some(unit) => format!(" {unit}"),
        None => String::new(),
    }
}

/// Where a format puts the markers of a word-level diff.
pub enum WordStyle {
    /// git's `--word-diff=plain`: `[-old-]{+new+}`, coloured red and green.
    Plain,
    /// `~~old~~ **new**`.
    Markdown,
}

/// A word-level diff. Spaces at the edges of a changed piece are moved outside its markers
/// (`{+by the auditors+}`, not `{+ by the auditors+}`), which Markdown needs for the markers to work at all.
pub fn word_diff(words: &[WordEdit], style: &WordStyle) -> String {
    let mut out = String::new();
    let mut previous = WordOp::Equal;
    for edit in words {
        let safe = match style {
            WordStyle::Plain => terminal_safe(&edit.text),
            WordStyle::Markdown => markdown_escape(&edit.text),
        };
        if edit.op == WordOp::Equal {
            out.push_str(&safe);
            previous = WordOp::Equal;
            continue;
        }
        let core = safe.trim();
        let (lead, trail) = if core.is_empty() {
            ("", "")
        } else {
            let start = safe.len() - safe.trim_start().len();
            (&safe[..start], &safe[start + core.len()..])
        };
        let core = if core.is_empty() { safe.as_str() } else { core };
        out.push_str(lead);
        match style {
            WordStyle::Plain => {
                let (open, close, colour) = match edit.op {
                    WordOp::Delete => ("[-", "-]", REMOVED),
                    _ => ("{+", "+}", ADDED),
                };
                out.push_str(&paint(colour, &format!("{open}{core}{close}")));
            }
            WordStyle::Markdown => {
                // `~~old~~ **new**`: a space between a deletion and the insertion that replaces it.
                if edit.op == WordOp::Insert && previous == WordOp::Delete && lead.is_empty() {
                    out.push(' ');
                }
                let marker = if edit.op == WordOp::Delete {
                    "~~"
                } else {
                    "**"
                };
                out.push_str(&format!("{marker}{core}{marker}"));
            }
        }
        out.push_str(trail);
        previous = edit.op;
    }
    out
}

/// The two text formats, for code that writes the same phrase in both.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    Human,
    Markdown,
}

impl Format {
    /// User text made safe for this format.
    pub fn esc(&self, s: &str) -> String {
        match self {
            Format::Human => terminal_safe(s),
            Format::Markdown => markdown_escape(s),
        }
    }

    /// Colour in human output; Markdown has none.
    pub fn paint(&self, style: Style, text: &str) -> String {
        match self {
            Format::Human => paint(style, text),
            Format::Markdown => text.to_owned(),
        }
    }

    /// A value, escaped.
    pub fn value(&self, value: &Value) -> String {
        self.esc(&value_text(value))
    }

    fn words(&self, words: &[WordEdit]) -> String {
        match self {
            Format::Human => word_diff(words, &WordStyle::Plain),
            Format::Markdown => word_diff(words, &WordStyle::Markdown),
        }
    }
}

/// One change in words: what it is about below the objective (`KR deploy-frequency`, or nothing for the
/// objective itself) and what happened (`target 15 → 20 (harder)`). Human text may hold newlines (notes that
/// span lines), each line already safe; Markdown text never does.
pub struct Described {
    pub subject: Option<String>,
    pub what: String,
}

/// Describes a change in the given format. Each kind has one phrase, used by `okr diff` and `okr history`.
pub fn describe(change: &Change, f: Format) -> Described {
    let from = || f.value(&change.from);
    let to = || f.value(&change.to);
    let arrow = |field: &str| format!("{field} {} → {}", from(), to());
    let reworded = || {
        let words = match &change.words {
            Some(words) => f.words(words),
            None => format!("{} → {}", from(), to()),
        };
        match &change.previous_id {
            Some(old) => format!("reworded (id was {}): {words}", f.esc(old)),
            None => format!("reworded: {words}"),
        }
    };
    // Free text that may span lines: notes, and the retrospective with one point per line.
    let written = |field: &str| match &change.to {
        Value::None => format!("{field} removed"),
        Value::Text(text) => match f {
            Format::Human => {
                let lines: Vec<String> = text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(terminal_safe)
                    .collect();
                format!("{field}: {}", lines.join("\n"))
            }
            Format::Markdown => format!("{field}: {}", markdown_escape(text.trim_end())),
        },
        other => format!("{field}: {}", f.value(other)),
    };
    let what = match change.kind {
        ChangeKind::ObjectiveAdded | ChangeKind::KrAdded => {
            format!("{} — {}", f.paint(ADDED, "added"), to())
        }
        ChangeKind::ObjectiveRemoved => format!(
            "{} — {}",
            f.paint(REMOVED, "removed (not marked dropped)"),
            from()
        ),
        ChangeKind::KrRemoved => format!("{} — {}", f.paint(REMOVED, "removed"), from()),
        ChangeKind::ObjectiveDropped => f.paint(REMOVED, "dropped"),
        ChangeKind::ObjectiveReworded | ChangeKind::KrReworded => reworded(),
        ChangeKind::ObjectiveRealigned => arrow("aligns to"),
        ChangeKind::ObjectiveStatusChanged => arrow("status"),
        ChangeKind::ObjectiveTypeChanged => arrow("type"),
        ChangeKind::ObjectiveCarriedFromChanged => arrow("carried from"),
        ChangeKind::OwnerChanged => arrow("owner"),
        ChangeKind::PriorityChanged => arrow("priority"),
        ChangeKind::KrHealthChanged => arrow("health"),
        ChangeKind::LinksChanged => arrow("links"),
        ChangeKind::NotesChanged => written("notes"),
        ChangeKind::RetrospectiveChanged => written("retrospective"),
        ChangeKind::KrTargetChanged => {
            let direction = match change.direction {
                Some(Direction::Easier) => " (easier)",
                Some(Direction::Harder) => " (harder)",
                None => "",
            };
            format!("{}{}", arrow("target"), f.paint(PIVOT, direction))
        }
        ChangeKind::KrRebaselined => format!("{} (rebaselined)", arrow("start")),
        ChangeKind::KrProgress => match change.to {
            Value::Bool(_) => format!("{} → {}", from(), to()),
            _ => arrow("current"),
        },
        ChangeKind::KrConfidenceChanged => arrow("confidence"),
        ChangeKind::KrScored => {
            let score = |value: &Value| match value {
                Value::Number(n) => score_text(n.0),
                other => f.value(other),
            };
            format!("score {} → {}", score(&change.from), score(&change.to))
        }
        ChangeKind::KrUnitChanged => arrow("unit"),
        ChangeKind::KrMeasureChanged => format!("measure: {}, now {}", from(), to()),
    };
    Described {
        subject: change
            .key_result
            .as_ref()
            .map(|kr| format!("KR {}", f.esc(kr))),
        what,
    }
}

/// A reason's lines, each safe for a terminal; blank lines are left out.
pub fn reason_lines(reason: &str) -> Vec<String> {
    reason
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| terminal_safe(l.trim_end()))
        .collect()
}

/// Unreadable revisions, for a person at a terminal: a blank line, then one line each.
pub fn human_warnings(out: &mut String, warnings: &[crate::core::history::Warning]) {
    if !warnings.is_empty() {
        out.push('\n');
    }
    for warning in warnings {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            paint(WARN, "warning:"),
            terminal_safe(&revision_name(&warning.commit)),
            terminal_safe(&warning.path),
            terminal_safe(&warning.message)
        ));
    }
}

/// Unreadable revisions as a Markdown section, after `lead` (the blank line the section before needs, if any).
pub fn markdown_warnings(out: &mut String, warnings: &[crate::core::history::Warning], lead: &str) {
    if !warnings.is_empty() {
        out.push_str(lead);
        out.push_str("## Warnings\n\n");
    }
    for warning in warnings {
        out.push_str(&format!(
            "- **warning:** {} {}: {}\n",
            markdown_escape(&revision_name(&warning.commit)),
            markdown_escape(&warning.path),
            markdown_escape(&warning.message)
        ));
    }
}

/// Removes trailing whitespace from every line (indentation before an empty continuation, for one).
pub fn trim_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `1 objective`, `2 objectives`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(op: WordOp, text: &str) -> WordEdit {
        WordEdit {
            op,
            text: text.to_owned(),
        }
    }

    #[test]
    fn word_diffs_in_git_and_markdown_style() {
        let words = [
            edit(WordOp::Equal, "Keep releases on "),
            edit(WordOp::Delete, "tracky"),
            edit(WordOp::Insert, "track"),
        ];
        let plain = WordStyle::Plain;
        assert_eq!(
            unpainted(&word_diff(&words, &plain)),
            "Keep releases on [-tracky-]{+track+}"
        );
        assert_eq!(
            word_diff(&words, &WordStyle::Markdown),
            "Keep releases on ~~tracky~~ **track**"
        );
        let appended = [
            edit(WordOp::Equal, "SOC 2 report"),
            edit(WordOp::Insert, " by the auditors"),
        ];
        assert_eq!(
            unpainted(&word_diff(&appended, &plain)),
            "SOC 2 report {+by the auditors+}"
        );
        assert_eq!(
            word_diff(&appended, &WordStyle::Markdown),
            "SOC 2 report **by the auditors**"
        );
    }

    #[test]
    fn scores_have_two_decimals_and_no_negative_zero() {
        assert_eq!(score_text(0.7), "0.70");
        assert_eq!(score_text(1.0), "1.00");
        assert_eq!(score_text(0.456), "0.46");
        assert_eq!(score_text(-0.0), "0.00");
        assert_eq!(score_text(-0.004), "0.00");
        assert_eq!(score_text(-0.25), "-0.25");
    }

    #[test]
    fn a_metric_stands_at_current_of_target_without_an_arrow() {
        let n = Number;
        assert_eq!(
            metric_standing(n(5.0), n(2.0), n(12.0), Some("deploys/week"), Format::Human),
            "5 of target 2 deploys/week (start 12)"
        );
        assert_eq!(
            metric_standing(n(99.86), n(99.9), n(99.5), Some("%"), Format::Markdown),
            "99.86 of target 99.9% (start 99.5)"
        );
        assert_eq!(
            metric_standing(n(3.0), n(10.0), n(0.0), None, Format::Human),
            "3 of target 10 (start 0)"
        );
        assert_eq!(
            metric_standing(n(1.0), n(2.0), n(0.0), Some("*x*"), Format::Markdown),
            "1 of target 2 \\*x\\* (start 0)"
        );
    }

    #[test]
    fn painted_text_loses_only_its_colour_when_unpainted() {
        assert!(paint(PIVOT, "x").contains('\x1b'));
        assert_eq!(unpainted(&paint(PIVOT, "x")), "x");
        assert_eq!(paint(PIVOT, ""), "", "nothing to paint, no codes");
    }
}
