//! `okr validate` for a person at a terminal: rustc-style snippets drawn by `annotate-snippets`.
//!
//! Everything that comes from a user's file (messages quote it, help quotes it, the snippet *is*
//! it) is escaped before it reaches the terminal: control characters and bidi overrides become
//! visible `\u{..}` escapes, so a file cannot move the cursor, recolour the screen or reorder text.
//! Only the one line a diagnostic points at is sliced out of a source, and a very long line is cut
//! down to a window around the column, so the output stays small whatever the input.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_WARNING_STYLE, Style};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::source::SourceLines;
use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::locate::token_end;
use crate::render::escape::is_unsafe;

/// Display characters kept before the column when a line is too long to show whole.
const CONTEXT_BEFORE: usize = 40;
/// Display characters kept from the column on (the caret's token included).
const CONTEXT_AFTER: usize = 80;
/// Lines whose display is at most this long are shown whole.
const WHOLE_LINE: usize = CONTEXT_BEFORE + CONTEXT_AFTER;
/// How wide a tab in a source line is drawn.
const TAB: &str = "    ";
const ELLIPSIS: char = '…';

pub fn render(validation: &Validation) -> String {
    let renderer = Renderer::styled();
    let mut out = String::new();
    let mut lines = SourceLines::new(validation);
    for diagnostic in &validation.diagnostics {
        let line = lines.line(diagnostic);
        out.push_str(&render_one(&renderer, diagnostic, line));
        out.push_str("\n\n");
    }
    out.push_str(&summary(validation));
    out.push('\n');
    out
}

fn render_one(renderer: &Renderer, d: &Diagnostic, line: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = escape_text(&d.path);
    let message = escape_text(&d.message);
    let code = escape_text(d.code);
    let help = d.help.as_deref().map(escape_text);
    let excerpt = line.map(|line| Excerpt::new(line, d.line, d.column));

    let mut group: Group<'_> =
        Group::with_title(level.primary_title(message.as_ref()).id(code.as_ref()));
    group = match &excerpt {
        Some(excerpt) => group.element(
            Snippet::source(excerpt.text.as_str())
                .line_start(d.line as usize)
                .path(path.as_ref())
                .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
        ),
        None => group.element(
            Origin::path(path.as_ref())
                .line(d.line as usize)
                .char_column(d.column as usize),
        ),
    };
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    let mut rendered = renderer.render(&[group]);

    // annotate-snippets writes the column of the caret within the text it was given; when the
    // line was cut down, had escapes or tabs before the column, that is not the file's column.
    if let Some(excerpt) = &excerpt {
        let shown = format!("{path}:{}:{}", d.line, excerpt.shown_column);
        let real = format!("{path}:{}:{}", d.line, d.column);
        if shown != real {
            let after_arrow = rendered.find("-->").map_or(0, |i| i + 3);
            if let Some(at) = rendered[after_arrow..].find(&shown) {
                let at = after_arrow + at;
                rendered.replace_range(at..at + shown.len(), &real);
            }
        }
    }
    rendered
}

/// The part of one source line that is shown, made safe for a terminal, and where the caret goes.
struct Excerpt {
    text: String,
    /// Byte range of the caret within `text`.
    span: Range<usize>,
    /// The 1-based character column annotate-snippets will compute for `span`.
    shown_column: usize,
}

impl Excerpt {
    fn new(line: &str, line_number: u32, column: u32) -> Excerpt {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // The YAML parser does not count a byte order mark as a column.
        let line = if line_number == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };

        // Byte offset of the column (1-based, in characters); past the end means the end.
        let wanted = (column.max(1) - 1) as usize;
        let start = line
            .char_indices()
            .nth(wanted)
            .map_or(line.len(), |(i, _)| i);

        // Window around the column, measured in displayed characters.
        let (from, to) = if display_len_exceeds(line, WHOLE_LINE) {
            let mut from = start;
            let mut width = 0;
            for (i, c) in line[..start].char_indices().rev() {
                width += display_len(c);
                if width > CONTEXT_BEFORE {
                    break;
                }
                from = i;
            }
            let mut to = line.len();
            let mut width = 0;
            for (i, c) in line[start..].char_indices() {
                width += display_len(c);
                if width > CONTEXT_AFTER {
                    to = start + i;
                    break;
                }
            }
            // Always show at least the character under the caret.
            if to == start {
                to = line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
            }
            (from, to)
        } else {
            (0, line.len())
        };
        let end = token_end(line, start).min(to);

        let mut text = String::new();
        if from > 0 {
            text.push(ELLIPSIS);
        }
        let mut span = text.len() + display_bytes(&line[from..start])..0;
        let mut shown_column = text.chars().count();
        for c in line[from..start].chars() {
            shown_column += display_len(c);
        }
        push_display(&mut text, &line[from..to]);
        span.end = span.start + display_bytes(&line[start..end]);
        if to < line.len() {
            text.push(ELLIPSIS);
        }
        Excerpt {
            text,
            span,
            shown_column: shown_column + 1,
        }
    }
}

/// Message, help, path: every unsafe character (tab and newline included) as `\u{..}`.
fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text as shown: tabs drawn as spaces, other unsafe characters as `\u{..}`.
fn push_display(out: &mut String, s: &str) {
    for c in s.chars() {
        if c == '\t' {
            out.push_str(TAB);
        } else if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
}

/// How many characters `c` becomes in a displayed source line.
fn display_len(c: char) -> usize {
    if c == '\t' {
        TAB.len()
    } else if is_unsafe(c) {
        c.escape_unicode().count()
    } else {
        1
    }
}

/// How many bytes `s` becomes in a displayed source line.
fn display_bytes(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c == '\t' || is_unsafe(c) {
                display_len(c)
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// Whether the displayed line would be longer than `limit` characters (stops counting early).
fn display_len_exceeds(line: &str, limit: usize) -> bool {
    let mut width = 0;
    for c in line.chars() {
        width += display_len(c);
        if width > limit {
            return true;
        }
    }
    false
}

fn summary(validation: &Validation) -> String {
    let errors = validation.errors();
    let warnings = validation.warnings();
    if errors == 0 && warnings == 0 {
        return format!(
            "no problems in {}",
            plural(validation.files, "file", "files")
        );
    }
    let paint = |style: Style, text: String| super::text::paint(style, &text);
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(paint(
            DEFAULT_ERROR_STYLE,
            plural(errors, "error", "errors"),
        ));
    }
    if warnings > 0 {
        parts.push(paint(
            DEFAULT_WARNING_STYLE,
            plural(warnings, "warning", "warnings"),
        ));
    }
    format!("{} in {}", parts.join(", "), which_files(validation))
}

/// `1 of 4 files`, `all 3 files`, `1 file`: which share of the files checked the problems are in, so a long
/// list of findings is not taken for a repository that is broken throughout.
fn which_files(validation: &Validation) -> String {
    let with = validation.files_with_problems();
    // A finding about a file the count left out must never read as `3 of 2 files`.
    let checked = validation.files.max(with);
    match (with, checked) {
        (_, 1) => "1 file".to_owned(),
        (with, checked) if with == checked => format!("all {checked} files"),
        (with, checked) => format!("{with} of {checked} files"),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::source::LineIndex;

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_it_does_for_yaml() {
        let index = LineIndex::new("a: 1\rb: 2\r\nc: 3\n");
        assert_eq!(index.line(2), Some("b: 2\r"));
        assert_eq!(index.line(3), Some("c: 3"));
    }

    fn diag(path: &str, line: u32, column: u32, severity: Severity, message: &str) -> Diagnostic {
        Diagnostic {
            path: path.to_owned(),
            line,
            column,
            severity,
            code: "unknown-field",
            message: message.to_owned(),
            help: None,
        }
    }

    fn validation(
        files: usize,
        diagnostics: Vec<Diagnostic>,
        sources: &[(&str, &str)],
    ) -> Validation {
        Validation {
            files,
            diagnostics,
            sources: sources
                .iter()
                .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
                .collect(),
        }
    }

    /// One diagnostic in `a.yaml`, plain output.
    fn one(source: Option<&str>, line: u32, column: u32) -> String {
        let d = diag("a.yaml", line, column, Severity::Error, "bad");
        let sources: Vec<(&str, &str)> = source.map(|s| ("a.yaml", s)).into_iter().collect();
        crate::render::text::unpainted(&render(&validation(1, vec![d], &sources)))
    }

    /// The line under the source line that holds the carets, and the source line itself.
    fn source_and_carets(out: &str) -> (String, String) {
        let lines: Vec<&str> = out.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.contains('^'))
            .expect("a caret line");
        (lines[i - 1].to_owned(), lines[i].to_owned())
    }

    /// The characters of the source line that the carets sit under.
    fn underlined(out: &str) -> String {
        let (src, carets) = source_and_carets(out);
        let src: Vec<char> = src.chars().collect();
        carets
            .chars()
            .enumerate()
            .filter(|&(_, c)| c == '^')
            .map(|(i, _)| src.get(i).copied().unwrap_or(' '))
            .collect()
    }

    const SEARCH: &str =
        "objective: Faster search\nkey_results:\n  - title: p95 latency\n        taget: 4\n";

    #[test]
    fn sample_diagnostic_renders_like_rustc() {
        let mut d = diag(
            "okrs/2026-Q3/search.yaml",
            4,
            9,
            Severity::Error,
            "unknown field `taget`",
        );
        d.help = Some("did you mean `target`?".to_owned());
        let out = crate::render::text::unpainted(&render(&validation(
            4,
            vec![d],
            &[("okrs/2026-Q3/search.yaml", SEARCH)],
        )));
        let expected = "\
error[unknown-field]: unknown field `taget`
 --> okrs/2026-Q3/search.yaml:4:9
  |
4 |         taget: 4
  |         ^^^^^
  |
  = help: did you mean `target`?

1 error in 1 of 4 files
";
        assert_eq!(out, expected);
    }

    #[test]
    fn header_and_location_line() {
        let out = one(Some(SEARCH), 4, 9);
        assert!(out.starts_with("error[unknown-field]: bad\n"), "{out}");
        assert!(out.contains("--> a.yaml:4:9\n"), "{out}");
        let d = diag("a.yaml", 4, 9, Severity::Warning, "meh");
        let out =
            crate::render::text::unpainted(&render(&validation(1, vec![d], &[("a.yaml", SEARCH)])));
        assert!(out.starts_with("warning[unknown-field]: meh\n"), "{out}");
    }

    #[test]
    fn caret_under_ascii_token() {
        assert_eq!(underlined(&one(Some(SEARCH), 4, 9)), "taget");
        assert_eq!(underlined(&one(Some(SEARCH), 3, 12)), "p95");
        assert_eq!(underlined(&one(Some(SEARCH), 4, 16)), "4");
        assert_eq!(underlined(&one(Some("a: [x, yz]\n"), 1, 8)), "yz");
        assert_eq!(underlined(&one(Some("a: {k: v}\n"), 1, 8)), "v");
        assert_eq!(underlined(&one(Some("url: http://x\n"), 1, 6)), "http://x");
        assert_eq!(underlined(&one(Some("key:\n"), 1, 1)), "key");
    }

    #[test]
    fn caret_at_least_one_character() {
        assert_eq!(underlined(&one(Some("a:  b\n"), 1, 3)), " ");
        assert_eq!(underlined(&one(Some("a: [1, ]\n"), 1, 8)), "]");
        // Past the end of the line: one caret just after it, and the real column in `-->`.
        let out = one(Some("ab\n"), 1, 9);
        assert!(out.contains("--> a.yaml:1:9\n"), "{out}");
        assert_eq!(source_and_carets(&out).1.matches('^').count(), 1, "{out}");
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let src = "title: Réduire la latence — « recherche » plus vite\n";
        let column = src
            .find("plus")
            .map(|b| src[..b].chars().count() + 1)
            .unwrap() as u32;
        let out = one(Some(src), 1, column);
        assert_eq!(underlined(&out), "plus", "{out}");
        assert!(out.contains(&format!("--> a.yaml:1:{column}\n")), "{out}");

        // Wide characters take two terminal columns; the caret still lands on the token.
        let out = one(Some("名前: 検索 x\n"), 1, 8);
        let (src_line, carets) = source_and_carets(&out);
        let width_before = |s: &str, upto: usize| -> usize {
            s.chars()
                .take(upto)
                .map(|c| if c.len_utf8() == 3 { 2 } else { 1 })
                .sum()
        };
        let caret_at = carets.find('^').unwrap();
        let x_at = src_line.char_indices().position(|(_, c)| c == 'x').unwrap();
        assert_eq!(caret_at, width_before(&src_line, x_at), "{out}");
    }

    #[test]
    fn help_only_when_present() {
        let out = one(Some(SEARCH), 4, 9);
        assert!(!out.contains("help"), "{out}");
        let mut d = diag("a.yaml", 4, 9, Severity::Error, "bad");
        d.help = Some("did you mean `target`?".to_owned());
        let out =
            crate::render::text::unpainted(&render(&validation(1, vec![d], &[("a.yaml", SEARCH)])));
        assert!(out.contains("= help: did you mean `target`?\n"), "{out}");
        // Also without a snippet.
        let mut d = diag("a.yaml", 0, 0, Severity::Error, "bad");
        d.help = Some("fix it".to_owned());
        let out = crate::render::text::unpainted(&render(&validation(1, vec![d], &[])));
        assert!(out.contains("help: fix it"), "{out}");
    }

    #[test]
    fn summary_wording() {
        let e = |l| diag("a.yaml", l, 1, Severity::Error, "e");
        let w = |l| diag("a.yaml", l, 1, Severity::Warning, "w");
        let last = |v: Validation| {
            crate::render::text::unpainted(&render(&v))
                .lines()
                .last()
                .unwrap()
                .to_owned()
        };
        assert_eq!(last(validation(4, vec![], &[])), "no problems in 4 files");
        assert_eq!(last(validation(1, vec![], &[])), "no problems in 1 file");
        assert_eq!(last(validation(0, vec![], &[])), "no problems in 0 files");
        assert_eq!(last(validation(1, vec![e(1)], &[])), "1 error in 1 file");
        assert_eq!(
            last(validation(3, vec![e(1), e(2)], &[])),
            "2 errors in 1 of 3 files"
        );
        assert_eq!(
            last(validation(2, vec![w(1)], &[])),
            "1 warning in 1 of 2 files"
        );
        assert_eq!(
            last(validation(2, vec![w(1), w(2)], &[])),
            "2 warnings in 1 of 2 files"
        );
        assert_eq!(
            last(validation(4, vec![e(1), e(2), w(3)], &[])),
            "2 errors, 1 warning in 1 of 4 files"
        );
        let in_b = diag("b.yaml", 1, 1, Severity::Warning, "w");
        assert_eq!(
            last(validation(4, vec![e(1), in_b.clone()], &[])),
            "1 error, 1 warning in 2 of 4 files"
        );
        assert_eq!(
            last(validation(2, vec![e(1), e(2), in_b.clone()], &[])),
            "2 errors, 1 warning in all 2 files"
        );
        assert_eq!(
            last(validation(1, vec![e(1), in_b], &[])),
            "1 error, 1 warning in all 2 files",
            "never more files with problems than files"
        );
        assert_eq!(
            last(validation(1, vec![e(1), w(2), w(3)], &[])),
            "1 error, 2 warnings in 1 file"
        );
        assert_eq!(
            crate::render::text::unpainted(&render(&validation(4, vec![], &[]))),
            "no problems in 4 files\n"
        );
    }

    #[test]
    fn summary_colored() {
        let v = validation(
            4,
            vec![
                diag("a.yaml", 1, 1, Severity::Error, "e"),
                diag("a.yaml", 2, 1, Severity::Warning, "w"),
            ],
            &[],
        );
        let out = render(&v);
        let last = out.lines().last().unwrap();
        let red = DEFAULT_ERROR_STYLE;
        let yellow = DEFAULT_WARNING_STYLE;
        assert_eq!(
            last,
            format!(
                "{}1 error{}, {}1 warning{} in 1 of 4 files",
                red.render(),
                red.render_reset(),
                yellow.render(),
                yellow.render_reset()
            )
        );
    }

    #[test]
    fn missing_line_or_source_gives_location_without_snippet() {
        for (source, line) in [
            (Some(SEARCH), 0),
            (Some(SEARCH), 99),
            (Some(""), 2),
            (None, 4),
        ] {
            let out = one(source, line, 3);
            assert!(out.starts_with("error[unknown-field]: bad\n"), "{out}");
            assert!(out.contains(&format!("--> a.yaml:{line}:3\n")), "{out}");
            assert!(!out.contains('^'), "{out}");
            assert!(out.ends_with("1 error in 1 file\n"), "{out}");
        }
        // Huge numbers do not overflow anything.
        let out = one(Some(SEARCH), u32::MAX, u32::MAX);
        assert!(
            out.contains(&format!("--> a.yaml:{}:{}\n", u32::MAX, u32::MAX)),
            "{out}"
        );
        let out = one(Some(SEARCH), 4, u32::MAX);
        assert!(
            out.contains(&format!("--> a.yaml:4:{}\n", u32::MAX)),
            "{out}"
        );
        let out = one(Some(SEARCH), 4, 0);
        assert!(out.contains("--> a.yaml:4:0\n"), "{out}");
    }

    #[test]
    fn line_after_final_newline_is_empty_not_missing() {
        let out = one(Some("a: 1\n"), 2, 1);
        assert!(out.contains("--> a.yaml:2:1\n"), "{out}");
        assert!(out.contains('^'), "{out}");
    }

    #[test]
    fn crlf_and_bom() {
        let out = one(Some("\u{feff}taget: 1\r\nb: 2\r\n"), 1, 1);
        assert!(!out.contains('\r') && !out.contains('\u{feff}'), "{out:?}");
        assert!(!out.contains("\\u{"), "{out}");
        assert_eq!(underlined(&out), "taget", "{out}");
        assert!(out.contains("--> a.yaml:1:1\n"), "{out}");
        let out = one(Some("a: 1\r\nb: 2\r\n"), 2, 4);
        assert!(!out.contains('\r'), "{out:?}");
        assert_eq!(underlined(&out), "2", "{out}");
    }

    #[test]
    fn tabs_are_expanded_and_caret_follows() {
        let out = one(Some("a:\t\tvalue x\n"), 1, 5);
        assert!(!out.contains('\t'), "{out:?}");
        assert_eq!(underlined(&out), "value", "{out}");
        assert!(out.contains("--> a.yaml:1:5\n"), "{out}");
    }

    #[test]
    fn long_line_is_cut_around_the_column() {
        let mut line = "x".repeat(5 * 1024 * 1024);
        let at = 2_500_000;
        line.replace_range(at..at + 6, " HERE ");
        let column = at as u32 + 2;
        let out = one(Some(&line), 1, column);
        assert!(out.len() < 2048, "{} bytes", out.len());
        assert!(out.contains(&format!("--> a.yaml:1:{column}\n")), "{out}");
        assert_eq!(underlined(&out), "HERE", "{out}");
        let (src, _) = source_and_carets(&out);
        assert_eq!(src.matches('…').count(), 2, "{out}");

        // A 5 MB token: the caret stops at the window.
        let line = "y".repeat(5 * 1024 * 1024);
        let out = one(Some(&line), 1, 3);
        assert!(out.len() < 2048, "{} bytes", out.len());
        assert!(out.contains("--> a.yaml:1:3\n"), "{out}");
        assert!(underlined(&out).chars().all(|c| c == 'y'), "{out}");

        // Column at the very end of a long line, and past it.
        let out = one(Some(&line), 1, line.len() as u32);
        assert!(out.len() < 2048, "{} bytes", out.len());
        assert_eq!(underlined(&out), "y", "{out}");
        let out = one(Some(&line), 1, line.len() as u32 + 10);
        assert!(out.len() < 2048, "{} bytes", out.len());

        // A long line of characters that each become a long escape stays small too.
        let line = "\u{1b}".repeat(1_000_000);
        let out = one(Some(&line), 1, 500_000);
        assert!(out.len() < 2048, "{} bytes", out.len());
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let src = "title: \u{1b}[31mred\u{1b}[0m \u{7}bell \u{9b}2J x\u{202e}y\n";
        let mut d = diag(
            "a.yaml",
            1,
            8,
            Severity::Error,
            "bad \u{1b}[2J title\nsecond line",
        );
        d.help = Some("try \u{1b}]0;pwned\u{7} or \u{202e}this".to_owned());
        let out =
            crate::render::text::unpainted(&render(&validation(1, vec![d], &[("a.yaml", src)])));
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(raw), "{raw:?} in {out:?}");
        }
        assert!(
            out.contains("bad \\u{1b}[2J title\\u{a}second line"),
            "{out}"
        );
        assert!(
            out.contains("try \\u{1b}]0;pwned\\u{7} or \\u{202e}this"),
            "{out}"
        );
        assert!(
            out.contains("\\u{1b}[31mred\\u{1b}[0m \\u{7}bell \\u{9b}2J x\\u{202e}y"),
            "{out}"
        );
        assert_eq!(underlined(&out), "\\u{1b}[31mred\\u{1b}[0m", "{out}");
        assert!(out.contains("--> a.yaml:1:8\n"), "{out}");

        // Paths come from the file system and are escaped too, with or without a snippet.
        let v = validation(
            1,
            vec![diag("a\u{1b}[2J.yaml", 1, 1, Severity::Error, "bad")],
            &[],
        );
        let out = crate::render::text::unpainted(&render(&v));
        assert!(out.contains("--> a\\u{1b}[2J.yaml:1:1\n"), "{out}");

        // An escape before the column moves the caret, not the reported column.
        let out = one(Some("a: \u{1b}x bad\n"), 1, 7);
        assert_eq!(underlined(&out), "bad", "{out}");
        assert!(out.contains("--> a.yaml:1:7\n"), "{out}");
    }

    #[test]
    fn no_ansi_codes_without_color_and_some_with() {
        let mut d = diag("a.yaml", 4, 9, Severity::Error, "bad");
        d.help = Some("fix".to_owned());
        let v = validation(
            2,
            vec![d, diag("b.yaml", 1, 1, Severity::Warning, "meh")],
            &[("a.yaml", SEARCH)],
        );
        assert!(!crate::render::text::unpainted(&render(&v)).contains('\u{1b}'));
        assert!(render(&v).contains('\u{1b}'));
    }

    #[test]
    fn corrected_column_survives_color() {
        let out = render(&validation(
            1,
            vec![diag("a.yaml", 1, 7, Severity::Error, "bad")],
            &[("a.yaml", "a: \u{1}x bad\n")],
        ));
        assert!(out.contains("a.yaml:1:7"), "{out:?}");
        assert!(!out.contains("a.yaml:1:12"), "{out:?}");
    }

    #[test]
    fn several_diagnostics_and_files() {
        let v = validation(
            3,
            vec![
                diag("a.yaml", 4, 9, Severity::Error, "one"),
                diag("a.yaml", 1, 1, Severity::Warning, "two"),
                diag("b.yaml", 1, 4, Severity::Error, "three"),
                diag("c.yaml", 7, 1, Severity::Error, "four"),
            ],
            &[("a.yaml", SEARCH), ("b.yaml", "b: ünïcode\n")],
        );
        let out = crate::render::text::unpainted(&render(&v));
        for needle in [
            "--> a.yaml:4:9\n",
            "--> a.yaml:1:1\n",
            "--> b.yaml:1:4\n",
            "--> c.yaml:7:1\n",
        ] {
            assert!(out.contains(needle), "{needle} missing in {out}");
        }
        assert!(
            out.ends_with("\n\n3 errors, 1 warning in all 3 files\n"),
            "{out}"
        );
    }
}
