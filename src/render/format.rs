//! The output formats, and the one way any page is written in any of them.
//!
//! A page (what a command shows: a validation, a comparison, a history, a report) says which renderer lays
//! it out in each format, in one exhaustive `match` ([`Page::renderer`]): a new format is one [`Format`]
//! variant, and the compiler then asks every page whether it has a renderer for it. [`render`] is the only
//! way output is produced, so every output gets the same last step: no line of it can be read by a CI
//! runner as a command ([`super::escape::disarm_ci_commands`]).

use std::fmt;
use std::io;
use std::str::FromStr;

use super::escape::{Spelling, disarm_ci_commands};

/// Every format okr writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Markdown,
    Json,
    Html,
    Github,
    Sarif,
    Junit,
    Gitlab,
    Rdjson,
}

impl Format {
    /// In the order `--help` lists them.
    pub const ALL: [Format; 9] = [
        Format::Human,
        Format::Markdown,
        Format::Json,
        Format::Html,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Gitlab,
        Format::Rdjson,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Html => "html",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::Rdjson => "rdjson",
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Format::Human => "For people at a terminal",
            Format::Markdown => "For wiki pages and pull request comments",
            Format::Json => "For tools: a stable JSON document",
            Format::Html => {
                "A self-contained page with charts, for a browser, a CI artifact or a static site"
            }
            Format::Github => "GitHub Actions workflow commands: one annotation per finding",
            Format::Sarif => "SARIF 2.1.0, for code scanning",
            Format::Junit => {
                "JUnit XML (GitLab, Jenkins): a test case per file, a failure per error"
            }
            Format::Gitlab => "GitLab Code Quality report, for merge request widgets",
            Format::Rdjson => "reviewdog's diagnostic format (rdjson), for review comments",
        }
    }

    /// Whether this format is read by a person at a terminal: only then is output coloured or paged.
    pub fn is_for_a_terminal(self) -> bool {
        match self {
            Format::Human => true,
            Format::Markdown
            | Format::Json
            | Format::Html
            | Format::Github
            | Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::Rdjson => false,
        }
    }

    /// How this format writes a character so that it shows but starts nothing.
    fn spelling(self) -> Spelling {
        match self {
            Format::Human | Format::Github => Spelling::Text,
            Format::Markdown => Spelling::Markdown,
            Format::Json | Format::Sarif | Format::Gitlab | Format::Rdjson => Spelling::Json,
            Format::Html | Format::Junit => Spelling::Markup,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("no format `{s}`; okr writes {}", list(&Format::ALL)))
    }
}

/// What a renderer may need besides its page.
#[derive(Debug, Clone)]
pub struct Context {
    /// okr's version, for formats that name the tool (SARIF).
    pub version: &'static str,
}

/// A renderer: lays out one page in one format.
pub enum Renderer<P: ?Sized> {
    /// The page as text.
    Text(fn(&P, &Context) -> String),
    /// The page written as it is laid out: a page of an organisation's quarter is a hundred megabytes of JSON,
    /// which need never stand whole in memory.
    Stream(fn(&P, &mut dyn io::Write) -> io::Result<()>),
}

/// What a command shows, and how it is written in each format it supports.
pub trait Page {
    /// The command, for messages: `okr diff --check`.
    const COMMAND: &'static str;

    /// The renderer for `format`, or none when this page is not written in it.
    fn renderer(format: Format) -> Option<Renderer<Self>>;
}

/// The formats `P` is written in, in `--help` order.
pub fn formats<P: Page>() -> Vec<Format> {
    Format::ALL
        .into_iter()
        .filter(|f| P::renderer(*f).is_some())
        .collect()
}

/// Whether `P` is written in `format`, checked before a command does its work.
pub fn supports<P: Page>(format: Format) -> Result<Renderer<P>, Unsupported> {
    P::renderer(format).ok_or_else(|| Unsupported {
        command: P::COMMAND,
        format,
        formats: formats::<P>(),
    })
}

/// `page` in `format`, made safe for a CI log.
pub fn render<P: Page>(page: &P, format: Format, context: &Context) -> Result<String, Unsupported> {
    let text = match supports::<P>(format)? {
        Renderer::Text(render) => render(page, context),
        Renderer::Stream(write) => {
            let mut out = Vec::new();
            write(page, &mut out).expect("writing to memory does not fail");
            String::from_utf8(out).expect("renderers write UTF-8")
        }
    };
    let own_commands = format == Format::Github;
    // A page is written once in full; it is copied only when something in it had to change.
    Ok(
        match disarm_ci_commands(&text, format.spelling(), own_commands) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(disarmed) => disarmed,
        },
    )
}

/// `page` in `format` written to `out`, made safe for a CI log as [`render`] makes it, without holding the
/// whole page in memory where its renderer writes as it goes.
pub fn write<P: Page>(
    page: &P,
    format: Format,
    context: &Context,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match supports::<P>(format).map_err(io::Error::other)? {
        Renderer::Stream(write) => {
            let mut disarmed = Disarmed::new(out, format);
            write(page, &mut disarmed)?;
            disarmed.finish()
        }
        Renderer::Text(_) => {
            let text = render(page, format, context).map_err(io::Error::other)?;
            out.write_all(text.as_bytes())
        }
    }
}

/// A stream made unreadable as CI runner commands as [`disarm_ci_commands`] makes a whole text: it works line
/// by line, so whole lines are passed on and only the line being written is held.
struct Disarmed<'a> {
    out: &'a mut dyn io::Write,
    held: Vec<u8>,
    spelling: Spelling,
    own_commands: bool,
}

impl<'a> Disarmed<'a> {
    /// Lines are passed on in batches of about this many bytes.
    const BATCH: usize = 64 * 1024;

    fn new(out: &'a mut dyn io::Write, format: Format) -> Disarmed<'a> {
        Disarmed {
            out,
            held: Vec::with_capacity(Self::BATCH + 1024),
            spelling: format.spelling(),
            own_commands: format == Format::Github,
        }
    }

    /// Passes on the held text up to `end`, which ends a line (or the text).
    fn pass_on(&mut self, end: usize) -> io::Result<()> {
        Self::disarm_into(
            &mut *self.out,
            &self.held[..end],
            self.spelling,
            self.own_commands,
        )?;
        self.held.drain(..end);
        Ok(())
    }

    /// Writes `lines` (whole lines, or the end of the text) to `out`, disarmed.
    fn disarm_into(
        out: &mut dyn io::Write,
        lines: &[u8],
        spelling: Spelling,
        own_commands: bool,
    ) -> io::Result<()> {
        let text = std::str::from_utf8(lines).map_err(io::Error::other)?;
        out.write_all(disarm_ci_commands(text, spelling, own_commands).as_bytes())
    }

    /// Passes on the rest: the renderer has written the whole page.
    fn finish(mut self) -> io::Result<()> {
        self.pass_on(self.held.len())?;
        self.out.flush()
    }
}

impl io::Write for Disarmed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.held.len() + buf.len() < Self::BATCH {
            self.held.extend_from_slice(buf);
            return Ok(buf.len());
        }
        // A carriage return ends a line as a newline does, for the runner and for the whole-text rule.
        let Some(last) = memchr::memrchr2(b'\n', b'\r', buf) else {
            self.held.extend_from_slice(buf);
            return Ok(buf.len());
        };
        // A large piece (a batch of the report's teams is megabytes) is passed on where it lies: only the
        // held line it ends is copied, and only the line it leaves unfinished is held.
        let mut lines = &buf[..=last];
        if !self.held.is_empty() {
            let first = memchr::memchr2(b'\n', b'\r', lines).unwrap_or(last);
            self.held.extend_from_slice(&lines[..=first]);
            self.pass_on(self.held.len())?;
            lines = &lines[first + 1..];
        }
        if !lines.is_empty() {
            Self::disarm_into(&mut *self.out, lines, self.spelling, self.own_commands)?;
        }
        self.held.extend_from_slice(&buf[last + 1..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A page asked for in a format it is not written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub command: &'static str,
    pub format: Format,
    pub formats: Vec<Format>,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` does not write `--format {}`; it writes {}",
            self.command,
            self.format,
            list(&self.formats)
        )
    }
}

impl std::error::Error for Unsupported {}

/// `human, markdown or json`.
pub fn list(formats: &[Format]) -> String {
    match formats {
        [] => String::new(),
        [one] => one.name().to_owned(),
        [rest @ .., last] => format!(
            "{} or {}",
            rest.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
            last.name()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct OnlyHuman;

    impl Page for OnlyHuman {
        const COMMAND: &'static str = "okr test";

        fn renderer(format: Format) -> Option<Renderer<Self>> {
            match format {
                Format::Human => Some(Renderer::Text(|_, _| "::error::spoof\nfine\n".to_owned())),
                _ => None,
            }
        }
    }

    fn context() -> Context {
        Context { version: "0" }
    }

    #[test]
    fn every_format_is_named_and_parsed_back() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert!("HTML".parse::<Format>().is_err());
    }

    #[test]
    fn an_unsupported_format_says_which_formats_the_command_has() {
        let err = render(&OnlyHuman, Format::Markdown, &context()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`okr test` does not write `--format markdown`; it writes human"
        );
        assert_eq!(
            list(&[Format::Human, Format::Markdown, Format::Json]),
            "human, markdown or json"
        );
    }

    /// A page written as it is laid out, in pieces of every size, with commands at every place a batch may end.
    /// A page written in pieces of sizes up to its second field, varying from piece to piece.
    struct Streamed(String, usize);

    impl Page for Streamed {
        const COMMAND: &'static str = "okr test";

        fn renderer(format: Format) -> Option<Renderer<Self>> {
            match format {
                Format::Json => Some(Renderer::Stream(|page, out| {
                    let mut rest = page.0.as_bytes();
                    let mut size = 1;
                    while !rest.is_empty() {
                        let (piece, after) = rest.split_at(size.min(rest.len()));
                        out.write_all(piece)?;
                        rest = after;
                        size = size * 7 % page.1 + 1;
                    }
                    Ok(())
                })),
                _ => None,
            }
        }
    }

    #[test]
    fn a_page_written_as_it_goes_is_disarmed_as_the_whole_text_would_be() {
        let mut text = String::new();
        for n in 0..40_000 {
            text.push_str(match n % 5 {
                0 => "  \"::error::spoof\",\n",
                1 => "\"x ##[group] é\"\r\n",
                2 => "::warning::at a line's start\r",
                3 => "plain ✓ text\n",
                _ => "##vso[task] ::x",
            });
        }
        let whole = disarm_ci_commands(&text, Spelling::Json, false);
        assert!(whole.len() > text.len());
        // Small pieces that are held, and pieces larger than a batch that are passed on where they lie.
        for largest in [5003, 150_001, 1_000_003] {
            let page = Streamed(text.clone(), largest);
            let mut streamed = Vec::new();
            write(&page, Format::Json, &context(), &mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                whole,
                "pieces up to {largest}"
            );
            assert_eq!(render(&page, Format::Json, &context()).unwrap(), whole);
        }
    }

    #[test]
    fn every_rendered_page_is_disarmed_for_ci_logs() {
        let out = render(&OnlyHuman, Format::Human, &context()).unwrap();
        assert_eq!(out, "\\u{3a}:error::spoof\nfine\n");
    }
}
