//! Which renderer writes each page in each format. One exhaustive `match` per page: a new format makes the
//! compiler ask every page for its renderer.

use super::format::Renderer::{self, Stream, Text};
use super::format::{Context, Format, Page};
use crate::commands::check::Check;
use crate::commands::diff::Comparison;
use crate::commands::validate::Validation;
use crate::core::state::QuarterState;
use crate::view::history::HistoryPage;
use crate::view::report::ReportPage;

impl Page for Validation {
    const COMMAND: &'static str = "okr validate";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|v, _| super::human::render(v))),
            Format::Json => Some(Text(|v, _| super::json::render(v))),
            Format::Github => Some(Text(|v, _| super::github::render(v))),
            Format::Sarif => Some(Text(|v, cx: &Context| super::sarif::render(v, cx.version))),
            Format::Junit => Some(Text(|v, _| super::junit::render(v))),
            Format::Gitlab => Some(Text(|v, _| super::gitlab::render(v))),
            Format::Rdjson => Some(Text(|v, _| super::rdjson::render(v))),
            Format::Markdown | Format::Html => None,
        }
    }
}

impl Page for Check {
    const COMMAND: &'static str = "okr diff --check";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|c, _| super::policy::human(c))),
            Format::Markdown => Some(Text(|c, _| super::policy::markdown(c))),
            Format::Json => Some(Text(|c, _| super::policy::json(c))),
            Format::Github => Some(Text(|c, _| super::github::render(&c.validation))),
            Format::Sarif => Some(Text(|c, cx: &Context| {
                super::sarif::render(&c.validation, cx.version)
            })),
            Format::Junit => Some(Text(|c, _| {
                super::junit::render_suite(&c.validation, "okr diff --check", "okr.diff-check")
            })),
            Format::Gitlab => Some(Text(|c, _| super::gitlab::render(&c.validation))),
            Format::Rdjson => Some(Text(|c, _| super::rdjson::render(&c.validation))),
            Format::Html => None,
        }
    }
}

impl Page for Comparison {
    const COMMAND: &'static str = "okr diff";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|c, _| super::changes::human(c))),
            Format::Markdown => Some(Text(|c, _| super::changes::markdown(c))),
            Format::Json => Some(Stream(|c, out| super::json::write_document(c, out))),
            Format::Html
            | Format::Github
            | Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::Rdjson => None,
        }
    }
}

impl Page for HistoryPage {
    const COMMAND: &'static str = "okr history";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|h, _| super::history::human(h))),
            Format::Markdown => Some(Text(|h, _| super::history::markdown(h))),
            Format::Json => Some(Stream(|h, out| super::json::write_document(h, out))),
            Format::Html => Some(Text(|h, _| super::html::history(h))),
            Format::Github | Format::Sarif | Format::Junit | Format::Gitlab | Format::Rdjson => {
                None
            }
        }
    }
}

impl Page for ReportPage {
    const COMMAND: &'static str = "okr report";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|r, _| super::report::human(r))),
            Format::Markdown => Some(Text(|r, _| super::report::markdown(r))),
            Format::Json => Some(Stream(|r, out| super::report::json::write(r, out))),
            Format::Html => Some(Text(|r, _| super::html::report(r))),
            Format::Github | Format::Sarif | Format::Junit | Format::Gitlab | Format::Rdjson => {
                None
            }
        }
    }
}

impl Page for QuarterState {
    const COMMAND: &'static str = "okr show";

    fn renderer(format: Format) -> Option<Renderer<Self>> {
        match format {
            Format::Human => Some(Text(|s, _| super::state::human(s))),
            Format::Markdown => Some(Text(|s, _| super::state::markdown(s))),
            Format::Json => Some(Stream(|s, out| super::json::write_document(s, out))),
            Format::Html
            | Format::Github
            | Format::Sarif
            | Format::Junit
            | Format::Gitlab
            | Format::Rdjson => None,
        }
    }
}
