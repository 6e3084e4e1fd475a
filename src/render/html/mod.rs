//! `okr report` and `okr history` as one self-contained HTML page: no scripts, no external styles, fonts or
//! images, so it opens offline, works as a CI artifact or a static page, and prints cleanly.
//!
//! Pictures are inline SVG drawn by hand, one module each: the quarter timeline (one lane per objective), a
//! score bar per objective coloured by grade band, and for each metric key result its check-ins against the
//! target. Every picture has its data beside it as a table, and every colour has words next to it (a band is
//! written as well as painted, a mark on the timeline has a shape of its own).
//!
//! The pages are askama templates (`templates/`), checked when okr is compiled. Every value a template shows
//! is escaped by [`crate::render::escape::Html`] unless it is [`Markup`]: markup okr built itself, from escaped
//! parts. So text from a user can only reach the page escaped, whether or not a template remembers it. The
//! page carries a Content-Security-Policy that allows no script and no request at all; only its own inline
//! style.

mod axis;
mod fragments;
mod history_page;
mod progress;
mod report_page;
mod score_bar;
mod timeline;

#[cfg(test)]
mod tests;

use askama::Template;
use askama::filters::Safe;

use crate::core::report::Band;
use crate::view::history::HistoryPage;
use crate::view::report::ReportPage;

/// Markup okr built itself from escaped parts: the only text a template writes unescaped. A plain `String`
/// in a template is always escaped.
pub type Markup = Safe<String>;

/// The style sheet, part of the binary so the page needs no request.
pub const STYLE: Safe<&str> = Safe(include_str!("okr.css"));

pub fn report(page: &ReportPage) -> String {
    report_page::page(page)
}

pub fn history(page: &HistoryPage) -> String {
    history_page::page(page)
}

/// A template rendered as markup for a larger one.
fn render(template: &impl Template) -> Markup {
    Safe(to_string(template))
}

fn to_string(template: &impl Template) -> String {
    // Writing into a String fails only if a value's Display does, and none of okr's does.
    template.render().expect("a template renders into a String")
}

/// `platform/boring-deploys`.
fn objective_key(team: &str, objective: &str) -> String {
    format!("{team}/{objective}")
}

fn band_class(band: Option<Band>) -> &'static str {
    band.map_or("none", Band::as_str)
}
