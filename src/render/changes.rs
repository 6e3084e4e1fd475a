//! Placeholder being replaced by the text renderers (in progress).

use crate::comparison::Comparison;

pub fn human(comparison: &Comparison, _color: bool) -> String {
    json(comparison)
}

pub fn markdown(comparison: &Comparison) -> String {
    json(comparison)
}

pub fn json(comparison: &Comparison) -> String {
    let mut out = serde_json::to_string_pretty(comparison).expect("plain data always serializes");
    out.push('\n');
    out
}
