//! Self-contained HTML pages for `okr report` and `okr history` (being written; JSON until then).

use crate::history::History;
use crate::report::Report;

pub fn report(report: &Report) -> String {
    crate::render::report::json(report)
}

pub fn history(history: &History, _today: &jiff::civil::Date) -> String {
    crate::render::history::json(history)
}
