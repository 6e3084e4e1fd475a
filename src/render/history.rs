//! Placeholder being replaced by the text renderers (in progress).

use crate::history::History;

pub fn human(history: &History, _color: bool) -> String {
    json(history)
}

pub fn markdown(history: &History) -> String {
    json(history)
}

pub fn json(history: &History) -> String {
    let mut out = serde_json::to_string_pretty(history).expect("plain data always serializes");
    out.push('\n');
    out
}
