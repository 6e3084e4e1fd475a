//! Placeholder being replaced by the text renderers (in progress).

use crate::state::QuarterState;

pub fn human(state: &QuarterState, _color: bool) -> String {
    json(state)
}

pub fn markdown(state: &QuarterState) -> String {
    json(state)
}

pub fn json(state: &QuarterState) -> String {
    let mut out = serde_json::to_string_pretty(state).expect("plain data always serializes");
    out.push('\n');
    out
}
