//! Placeholder (in progress): `okr report` as text and Markdown.

use crate::report::Report;

pub fn human(report: &Report, _color: bool) -> String {
    json(report)
}

pub fn markdown(report: &Report) -> String {
    json(report)
}

pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("plain data always serializes");
    out.push('\n');
    out
}
