//! The one place where text leaving okr is made safe for where it goes. Every piece of text that comes from a
//! user (titles, reasons, names, commit messages, ids, paths, `okr.toml` values, arguments) reaches a terminal
//! through [`terminal_safe`], a Markdown document through [`markdown_escape`], HTML and SVG through [`html`]
//! (in a template, through its escaper [`Html`]), XML through [`xml_text`], and a GitHub Actions workflow
//! command through [`workflow_data`] and [`workflow_property`].
//!
//! Then, whatever the format, every output okr writes (stdout and stderr, error messages included) passes
//! through [`disarm_ci_commands`] last: no line okr prints can be read by a CI runner as a command, however a
//! user's text was split into lines on its way out.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that must not reach a terminal raw: C0/C1 controls (newline and tab included), DEL, and the
/// bidirectional controls that can reorder what is shown.
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control() || crate::core::bidi::is_control(c)
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

/// Text that spans lines on purpose (an error message with its hint), made safe line by line: the line
/// breaks stay, everything else [`terminal_safe`] escapes is escaped.
pub fn terminal_lines(s: &str) -> String {
    s.split('\n')
        .map(|line| terminal_safe(line.strip_suffix('\r').unwrap_or(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Markdown link to `url`, an `http(s)` address the decoder checked, shown as `text` escaped. The address goes
/// in angle brackets, where nothing but `<`, `>` and a line break end it; those, `|` (which would end a table
/// cell) and anything not printable are percent-encoded, whatever the address holds.
pub fn markdown_link(text: &str, url: &str) -> String {
    let mut address = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic() && !matches!(c, '<' | '>' | '|') {
            address.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                address.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    format!("[{}](<{address}>)", markdown_escape(text))
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
        markdown_line(&mut out, line.strip_suffix('\r').unwrap_or(line));
    }
    out
}

fn markdown_line(out: &mut String, line: &str) {
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

/// User text made inert in HTML and SVG, in element text and in quoted attributes alike: `& < > " '` become
/// character references. Control characters (other than newline and tab) and bidirectional controls, which
/// could hide or reorder what is shown, become visible `\u{..}` escapes; a carriage return is dropped.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let _ = write_html(&mut out, s);
    out
}

fn write_html(out: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    for c in s.chars() {
        match c {
            '&' => out.write_str("&amp;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '"' => out.write_str("&quot;")?,
            '\'' => out.write_str("&#39;")?,
            '\n' | '\t' => out.write_char(c)?,
            '\r' => {}
            c if is_unsafe(c) => write!(out, "{}", c.escape_unicode())?,
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// [`html`] as askama's escaper for `.html` templates (registered in `askama.toml`), so every value a
/// template shows is escaped by okr's rules, control and bidi characters made visible included, unless it
/// is [`Safe`](askama::filters::Safe) markup that okr built from escaped parts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        write_html(&mut dest, string)
    }
}

/// [`markdown_escape`] as askama's escaper for `.md` templates (registered in `askama.toml`): every value a
/// Markdown template shows is made inert, unless it is [`Safe`](askama::filters::Safe) Markdown that okr
/// built from escaped parts (a word diff, a change described for Markdown).
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl askama::filters::Escaper for Markdown {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        dest.write_str(&markdown_escape(string))
    }
}

/// The characters XML 1.0 forbids even as references (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) shown
/// as `\u{..}`. Escaping of markup is quick-xml's job, not this.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let forbidden =
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}');
        if forbidden {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A GitHub Actions workflow command's data (the message), by the runner's rules: control characters other
/// than line breaks and tabs shown as `\u{1b}` (the log would interpret escape sequences), then `%`, `\r` and
/// `\n` as `%25`, `%0D` and `%0A`. So a message can never end the command early or start a second one.
pub fn workflow_data(text: &str) -> String {
    let mut visible = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            let _ = write!(visible, "\\u{{{:x}}}", u32::from(c));
        } else {
            visible.push(c);
        }
    }
    visible
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file`, `title`): as data, and `:` and `,` as `%3A` and `%2C`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// How an output format writes a character so that it shows but means nothing: what
/// [`disarm_ci_commands`] puts in place of the character that would start a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// Terminal text and CI logs: okr's visible `\u{..}` escape.
    Text,
    /// Markdown: a backslash escape.
    Markdown,
    /// JSON (only ever inside a string): a `\u` escape, the same value to a parser.
    Json,
    /// HTML and XML: a character reference, the same text to a parser.
    Markup,
}

impl Spelling {
    fn colon(self) -> &'static str {
        match self {
            Spelling::Text => "\\u{3a}",
            Spelling::Markdown => "\\:",
            Spelling::Json => "\\u003a",
            Spelling::Markup => "&#58;",
        }
    }

    fn hash(self) -> &'static str {
        match self {
            Spelling::Text => "\\u{23}",
            Spelling::Markdown => "\\#",
            Spelling::Json => "\\u0023",
            Spelling::Markup => "&#35;",
        }
    }
}

/// Output made unreadable as CI runner commands, whatever user text it carries: a line (after its leading
/// whitespace, which the runner trims) that starts with `::` is a GitHub Actions workflow command, and `##[`
/// or `##vso[` anywhere in a line is a command to the older Actions parser and to Azure Pipelines. In each, one
/// character is written in `spelling` instead, so it still shows and, for JSON, HTML and XML, still parses to
/// the same text. A carriage return ends a line as a newline does, as the runner reads it.
///
/// `keep_own_commands` leaves lines alone that okr wrote as workflow commands on purpose (`--format github`),
/// whose user text [`workflow_data`] has already made one line.
pub fn disarm_ci_commands(text: &str, spelling: Spelling, keep_own_commands: bool) -> Cow<'_, str> {
    // Most pages have neither: memchr's vectorised search answers that in a fraction of `str::contains`'s
    // time, which an organisation's 150 MB report took a tenth of a second of its main thread to learn.
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"::").is_none() && memchr::memmem::find(bytes, b"##").is_none()
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive(['\n', '\r']) {
        let body = line.trim_start_matches(char::is_whitespace);
        let indent = &line[..line.len() - body.len()];
        out.push_str(indent);
        let body = match body.strip_prefix("::") {
            Some(rest) if !keep_own_commands => {
                out.push_str(spelling.colon());
                out.push(':');
                rest
            }
            _ => body,
        };
        let mut rest = body;
        while let Some(at) = rest.find("##") {
            let after = &rest[at + 2..];
            out.push_str(&rest[..at + 1]);
            if after.starts_with('[') || after.starts_with("vso[") {
                out.push_str(spelling.hash());
            } else {
                out.push('#');
            }
            rest = after;
        }
        out.push_str(rest);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_markdown_link_cannot_leave_its_address() {
        assert_eq!(
            markdown_link("a | b", "https://x.example/?q=1|2 >3<\n"),
            "[a \\| b](<https://x.example/?q=1%7C2%20%3E3%3C%0A>)"
        );
    }

    /// Whether the GitHub Actions runner would read `line` as a command: the v2 form after trimming, or the
    /// older `##[` form anywhere (and Azure's `##vso[`).
    fn runner_reads_a_command(line: &str) -> bool {
        line.trim_start().starts_with("::") || line.contains("##[") || line.contains("##vso[")
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
    fn terminal_lines_keeps_line_breaks_only() {
        assert_eq!(terminal_lines("a\x1b[1m\r\nb\u{7}"), "a\\u{1b}[1m\nb\\u{7}");
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
    fn the_markdown_template_escaper_is_markdown_escape() {
        use askama::filters::Escaper;
        let hostile = "<script>|@team **x**\n- item\x1b[31m";
        let mut out = String::new();
        Markdown.write_escaped_str(&mut out, hostile).unwrap();
        assert_eq!(out, markdown_escape(hostile));
    }

    #[test]
    fn html_escapes_markup_and_shows_controls() {
        assert_eq!(
            html("<a href='x'>&\"\u{202e}\r\n"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\\u{202e}\n"
        );
    }

    #[test]
    fn the_template_escaper_is_html() {
        let text = "<a href='x'>&\"\u{1b}[1m\u{202e}\r\n";
        let escaped = askama::filters::escape(text, Html).unwrap().to_string();
        assert_eq!(escaped, html(text));
    }

    #[test]
    fn workflow_data_and_properties_are_escaped_as_the_runner_expects() {
        assert_eq!(workflow_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(workflow_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(workflow_data("a\u{1b}[31mb"), "a\\u{1b}[31mb");
    }

    #[test]
    fn no_line_reads_as_a_runner_command_after_disarming() {
        let hostile = "fine\n::error file=README.md,line=1::SPOOF\n   \t::stop-commands::x\r::warning::y\n\
                       a ##[error]b ##vso[task.complete]c\n\u{a0}::add-mask::z\n## heading ##\n";
        for spelling in [
            Spelling::Text,
            Spelling::Markdown,
            Spelling::Json,
            Spelling::Markup,
        ] {
            let out = disarm_ci_commands(hostile, spelling, false);
            for line in out.split(['\n', '\r']) {
                assert!(!runner_reads_a_command(line), "{spelling:?}: {line:?}");
            }
            assert!(out.contains("## heading ##"), "plain hashes are left alone");
        }
        assert_eq!(
            disarm_ci_commands("  ::error::x ##[y]", Spelling::Text, false),
            "  \\u{3a}:error::x #\\u{23}[y]"
        );
    }

    #[test]
    fn disarmed_json_and_markup_mean_the_same_text() {
        let json = serde_json::to_string("a ##[error]b").unwrap();
        let disarmed = disarm_ci_commands(&json, Spelling::Json, false);
        assert_ne!(disarmed, json);
        assert_eq!(
            serde_json::from_str::<String>(&disarmed).unwrap(),
            "a ##[error]b"
        );
        assert_eq!(
            disarm_ci_commands("x\n::y ##[z", Spelling::Markup, false),
            "x\n&#58;:y #&#35;[z"
        );
    }

    #[test]
    fn own_workflow_commands_are_kept_but_not_older_forms() {
        let line = "::error file=a.yaml,line=1::message ##[x]\n";
        assert_eq!(
            disarm_ci_commands(line, Spelling::Text, true),
            "::error file=a.yaml,line=1::message #\\u{23}[x]\n"
        );
    }

    #[test]
    fn text_without_markers_is_not_copied() {
        assert!(matches!(
            disarm_ci_commands("plain: text\n# one\n", Spelling::Text, false),
            Cow::Borrowed(_)
        ));
    }
}
