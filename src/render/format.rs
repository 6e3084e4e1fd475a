//! The output formats, and the one way any page is written in any of them.
//!
//! A page (what a command shows: a validation, a comparison, a history, a report) says which renderer lays
//! it out in each format, in one exhaustive `match` ([`Page::renderer`]): a new format is one [`Format`]
//! variant, and the compiler then asks every page whether it has a renderer for it. [`render`] is the only
//! way output is produced, so every output gets the same last step: no line of it can be read by a CI
//! runner as a command ([`super::escape::disarm_ci_commands`]).

use std::fmt;
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
pub type Renderer<P> = fn(&P, &Context) -> String;

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
    let renderer = supports::<P>(format)?;
    let text = renderer(page, context);
    let own_commands = format == Format::Github;
    // A page is written once in full; it is copied only when something in it had to change.
    Ok(
        match disarm_ci_commands(&text, format.spelling(), own_commands) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(disarmed) => disarmed,
        },
    )
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
                Format::Human => Some(|_, _| "::error::spoof\nfine\n".to_owned()),
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

    #[test]
    fn every_rendered_page_is_disarmed_for_ci_logs() {
        let out = render(&OnlyHuman, Format::Human, &context()).unwrap();
        assert_eq!(out, "\\u{3a}:error::spoof\nfine\n");
    }
}
