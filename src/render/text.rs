//! Helpers shared by the text renderers (human and Markdown): making user text safe for its destination, colour,
//! and the small phrases every report writes the same way (values, word diffs, short commit ids).
//!
//! Every piece of text that comes from a user (titles, reasons, names, commit messages, ids, paths) passes
//! through [`terminal_safe`] before it reaches a terminal and through [`markdown_escape`] before it reaches a
//! Markdown document. Nothing else in the renderers escapes, so there is one place to get it right.

use std::fmt::Write as _;

use annotate_snippets::renderer::{AnsiColor, Color, Style};

use crate::core::change::{Change, ChangeKind, Direction, Value, WordEdit, WordOp};

/// Characters that must not reach a terminal raw: C0/C1 controls (newline and tab included), DEL, and the
/// bidirectional controls that can reorder what is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// User text made safe for a terminal: every control character (ESC, so every escape sequence, as well as
/// newline, tab and carriage return) and every bidi control becomes a visible `\u{..}` escape. Text that spans
/// lines on purpose (a reason) is split into lines first, and each line goes through here.
pub fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// User text made inert in Markdown (CommonMark and GitHub Flavored Markdown), for running text, list items,
/// headings and table cells alike:
///
/// - Markdown punctuation (`` \ ` * _ [ ] < > | # ! ~ & ``) is backslash-escaped, so no emphasis, link, image,
///   HTML tag, entity, code span, heading or table cell boundary can start inside it; a line's leading `-`,
///   `+`, `=` and `1.`-style number are escaped too, so it cannot become a list or a heading underline;
/// - `@` is followed by a zero-width joiner, so `@team` pings nobody in a pull request comment;
/// - control characters become visible `\u{..}` escapes (a tab becomes a space);
/// - lines are joined with `<br>` (the only markup this function writes), so a multi-line reason stays in its
///   table cell or list item.
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (n, line) in s.split('\n').enumerate() {
        if n > 0 {
            out.push_str("<br>");
        }
        escape_line(&mut out, line.strip_suffix('\r').unwrap_or(line));
    }
    out
}

fn escape_line(out: &mut String, line: &str) {
    // Where the line's text starts, and whether it starts like a block: a list item (`- `, `+ `, `1. `, `1) `)
    // or a heading underline or thematic break (`==`, `--`). Only then is the marker escaped.
    let first = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line.as_bytes()[first..];
    let ends_marker = |at: usize| rest.get(at).is_none_or(|b| matches!(b, b' ' | b'\t'));
    let bullet = matches!(rest.first(), Some(b'-' | b'+' | b'='))
        && (ends_marker(1) || rest.get(1) == rest.first());
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let number_end = first + digits;
    let list_number = (1..=9).contains(&digits)
        && matches!(rest.get(digits), Some(b'.' | b')'))
        && ends_marker(digits + 1);
    for (i, c) in line.char_indices() {
        let starts_block = (bullet && i == first) || (list_number && i == number_end);
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ if starts_block => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200d}"),
            // A tab is harmless inside a line; as a space it cannot line up an indented code block either.
            '\t' => out.push(' '),
            c if is_unsafe(c) => {
                // The escape's backslash is itself escaped so it shows.
                let _ = write!(out, "\\{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
}

/// Colour for human output, or none: with `color` false nothing but the text is written.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub color: bool,
}

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

impl Paint {
    pub fn new(color: bool) -> Paint {
        Paint { color }
    }

    /// `text` in `style`. The text must already be safe (see [`terminal_safe`]).
    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
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

/// Where a format puts the markers of a word-level diff.
pub enum WordStyle {
    /// git's `--word-diff=plain`: `[-old-]{+new+}`, coloured red and green when `Paint` says so.
    Plain(Paint),
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
            WordStyle::Plain(_) => terminal_safe(&edit.text),
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
            WordStyle::Plain(paint) => {
                let (open, close, colour) = match edit.op {
                    WordOp::Delete => ("[-", "-]", REMOVED),
                    _ => ("{+", "+}", ADDED),
                };
                out.push_str(&paint.paint(colour, &format!("{open}{core}{close}")));
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
    Human(Paint),
    Markdown,
}

impl Format {
    /// User text made safe for this format.
    pub fn esc(&self, s: &str) -> String {
        match self {
            Format::Human(_) => terminal_safe(s),
            Format::Markdown => markdown_escape(s),
        }
    }

    /// Colour in human output; Markdown has none.
    pub fn paint(&self, style: Style, text: &str) -> String {
        match self {
            Format::Human(paint) => paint.paint(style, text),
            Format::Markdown => text.to_owned(),
        }
    }

    /// A value, escaped.
    pub fn value(&self, value: &Value) -> String {
        self.esc(&value_text(value))
    }

    fn words(&self, words: &[WordEdit]) -> String {
        match self {
            Format::Human(paint) => word_diff(words, &WordStyle::Plain(*paint)),
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
        ChangeKind::OwnerChanged => arrow("owner"),
        ChangeKind::NotesChanged => match &change.to {
            Value::None => "notes removed".to_owned(),
            Value::Text(text) => match f {
                Format::Human(_) => {
                    let lines: Vec<String> = text
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(terminal_safe)
                        .collect();
                    format!("notes: {}", lines.join("\n"))
                }
                Format::Markdown => format!("notes: {}", markdown_escape(text.trim_end())),
            },
            other => format!("notes: {}", f.value(other)),
        },
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
        ChangeKind::KrScored => arrow("score"),
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
pub fn human_warnings(out: &mut String, warnings: &[crate::core::history::Warning], paint: &Paint) {
    if !warnings.is_empty() {
        out.push('\n');
    }
    for warning in warnings {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            paint.paint(WARN, "warning:"),
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
    fn terminal_safe_makes_escape_sequences_visible() {
        let safe = terminal_safe("\x1b[31mred\x1b[0m\ttab\u{202e}rtl");
        assert!(!safe.contains('\x1b'));
        assert!(!safe.contains('\u{202e}'));
        assert_eq!(safe, "\\u{1b}[31mred\\u{1b}[0m\\u{9}tab\\u{202e}rtl");
        assert_eq!(terminal_safe("Grüße — fine"), "Grüße — fine");
    }

    #[test]
    fn markdown_escape_makes_markup_inert() {
        let escaped = markdown_escape("<script>|@team **x**");
        assert_eq!(escaped, "\\<script\\>\\|@\u{200d}team \\*\\*x\\*\\*");
        assert!(!escaped.contains("<script>"));
        assert!(!escaped.contains("@team"));
        for c in ['|', '*', '<', '>', '[', ']', '_', '#', '!', '~', '`', '&'] {
            let s = markdown_escape(&c.to_string());
            assert_eq!(s, format!("\\{c}"), "{c} is escaped");
        }
        assert_eq!(markdown_escape("a\\b"), "a\\\\b");
        assert_eq!(markdown_escape("[link](http://x)"), "\\[link\\](http://x)");
        // Numbers and hyphenated words stay as they are; only what would start a block is escaped.
        assert_eq!(markdown_escape("99.9 -5% 2026-Q3"), "99.9 -5% 2026-Q3");
        assert_eq!(markdown_escape("+ x"), "\\+ x");
        assert_eq!(markdown_escape("---"), "\\---");
        assert_eq!(markdown_escape("==="), "\\===");
        assert_eq!(markdown_escape("3) x"), "3\\) x");
    }

    #[test]
    fn markdown_escape_keeps_lines_in_one_cell() {
        let escaped = markdown_escape("first <b>\r\n- second\n1. third");
        assert_eq!(escaped, "first \\<b\\><br>\\- second<br>1\\. third");
        assert!(!escaped.contains('\n'));
        // The only raw `<` left is the line break it wrote.
        assert_eq!(escaped.replace("<br>", "").matches('<').count(), 1);
        assert_eq!(
            escaped.replace("<br>", "").matches("\\<").count(),
            1,
            "every `<` of the user is escaped"
        );
    }

    #[test]
    fn markdown_escape_shows_control_characters() {
        assert_eq!(markdown_escape("a\x1b[1mb"), "a\\\\u{1b}\\[1mb");
    }

    #[test]
    fn word_diffs_in_git_and_markdown_style() {
        let words = [
            edit(WordOp::Equal, "Keep releases on "),
            edit(WordOp::Delete, "tracky"),
            edit(WordOp::Insert, "track"),
        ];
        let plain = WordStyle::Plain(Paint::new(false));
        assert_eq!(
            word_diff(&words, &plain),
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
            word_diff(&appended, &plain),
            "SOC 2 report {+by the auditors+}"
        );
        assert_eq!(
            word_diff(&appended, &WordStyle::Markdown),
            "SOC 2 report **by the auditors**"
        );
    }

    #[test]
    fn paint_writes_no_escape_codes_without_colour() {
        assert_eq!(Paint::new(false).paint(PIVOT, "x"), "x");
        assert!(Paint::new(true).paint(PIVOT, "x").contains('\x1b'));
    }
}
