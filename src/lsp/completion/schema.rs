//! What completion says about each field and value: field names from the decoder's lists (what okr reads),
//! their descriptions from the JSON Schema okr ships (what editors without the server show), and the values of
//! each enumerated field from the model's own name tables, so none of them can drift from what okr accepts.

use std::sync::OnceLock;

use serde_json::Value;

use crate::SCHEMA;
use crate::core::decode::{
    DROPPED_FIELDS, FILE_FIELDS, KEY_RESULT_FIELDS, LINK_FIELDS, OBJECTIVE_FIELDS,
};
use crate::core::model::{DIRECTIONS, HEALTHS, OBJECTIVE_TYPES, PRIORITIES, STATUSES};
use crate::lsp::completion::place::Level;

/// The fields of a mapping at `level`, in the order the format lists them.
pub fn fields(level: Level) -> &'static [&'static str] {
    match level {
        Level::File => FILE_FIELDS,
        Level::Objective => OBJECTIVE_FIELDS,
        Level::KeyResult => KEY_RESULT_FIELDS,
        Level::Dropped => DROPPED_FIELDS,
        Level::Link => LINK_FIELDS,
    }
}

/// Fields whose value is a block written on the lines below (a list or a mapping), not after the colon.
pub fn is_block(field: &str) -> bool {
    matches!(field, "objectives" | "key_results" | "dropped" | "links")
}

fn schema() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(SCHEMA).unwrap_or(Value::Null))
}

/// The schema's object for the mapping at `level`.
fn definition(level: Level) -> &'static Value {
    let schema = schema();
    match level {
        Level::File => schema,
        Level::Objective => &schema["$defs"]["objective"],
        Level::KeyResult => &schema["$defs"]["keyResult"],
        Level::Dropped => &schema["$defs"]["dropped"],
        // A link is a plain address or this mapping.
        Level::Link => &schema["$defs"]["link"]["oneOf"][1],
    }
}

/// The schema's description of `field` at `level`.
pub fn description(level: Level, field: &str) -> Option<&'static str> {
    definition(level)["properties"][field]["description"].as_str()
}

/// The values `field` takes at `level`, each with what it means; empty for a field that is not enumerated.
pub fn values(level: Level, field: &str) -> Vec<(&'static str, &'static str)> {
    let names: Vec<&'static str> = match (level, field) {
        (Level::Objective, "type") => OBJECTIVE_TYPES.iter().map(|(n, _)| *n).collect(),
        (Level::Objective, "status") => STATUSES.iter().map(|(n, _)| *n).collect(),
        (Level::Objective | Level::KeyResult, "priority") => {
            PRIORITIES.iter().map(|(n, _)| *n).collect()
        }
        (Level::KeyResult, "direction") => DIRECTIONS.iter().map(|(n, _)| *n).collect(),
        (Level::KeyResult, "health") => HEALTHS.iter().map(|(n, _)| *n).collect(),
        (Level::KeyResult, "done") => vec!["false", "true"],
        _ => Vec::new(),
    };
    names
        .into_iter()
        .map(|name| (name, meaning(field, name).unwrap_or_default()))
        .collect()
}

/// One line on each value; the schema has one description per field, so these are okr's own.
fn meaning(field: &str, value: &str) -> Option<&'static str> {
    Some(match (field, value) {
        ("type", "committed") => "The team expects to reach it fully: a score of 1.0 is expected.",
        ("type", "aspirational") => {
            "A stretch goal: about 0.7 is a good result. The default when `type` is absent."
        }
        ("status", "active") => "Being worked on. The default when `status` is absent.",
        ("status", "done") => "Finished.",
        ("status", "dropped") => {
            "Abandoned during the quarter: needs a `dropped` block with `date` and `reason`."
        }
        ("priority", "P0") => "Matters most: listed first.",
        ("priority", "P1") => "Second priority.",
        ("priority", "P2") => "Third priority.",
        ("priority", "P3") => "Matters least: listed last of those ranked.",
        ("direction", "increase") => {
            "Higher is better; without a `start`, scores current / target."
        }
        ("direction", "decrease") => "Lower is better; without a `start`, scores target / current.",
        ("direction", "at_least") => {
            "A level to hold all quarter: at or above the target (scores 1 while held)."
        }
        ("direction", "at_most") => {
            "A level to hold all quarter: at or below the target (scores 1 while held)."
        }
        ("health", "on_track") => "The owner expects to reach the target.",
        ("health", "at_risk") => "Reaching the target is in doubt.",
        ("health", "off_track") => "The owner does not expect to reach the target.",
        ("health", "not_started") => "Work on it has not begun.",
        ("done", "true") => "Delivered: the milestone scores 1.",
        ("done", "false") => "Not delivered yet: the milestone scores 0.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEVELS: [Level; 5] = [
        Level::File,
        Level::Objective,
        Level::KeyResult,
        Level::Dropped,
        Level::Link,
    ];

    #[test]
    fn every_field_has_the_schemas_description() {
        for level in LEVELS {
            for field in fields(level) {
                assert!(
                    description(level, field).is_some_and(|d| !d.is_empty()),
                    "{level:?} {field}"
                );
            }
        }
    }

    /// The values completion offers are the schema's `enum` of each field, and each says what it means.
    #[test]
    fn enumerated_values_are_the_schemas_and_each_has_a_meaning() {
        let mut compared = 0;
        for level in LEVELS {
            for field in fields(level) {
                let property = &definition(level)["properties"][field];
                let offered: Vec<&str> = values(level, field).iter().map(|(v, _)| *v).collect();
                let expected: Vec<String> = match (&property["enum"], &property["type"]) {
                    (Value::Array(values), _) => values
                        .iter()
                        .map(|v| v.as_str().unwrap().to_owned())
                        .collect(),
                    (_, Value::String(t)) if t == "boolean" => {
                        vec!["false".to_owned(), "true".to_owned()]
                    }
                    _ => Vec::new(),
                };
                assert_eq!(offered, expected, "{level:?} {field}");
                for (value, meaning) in values(level, field) {
                    assert!(!meaning.is_empty(), "{field}: {value}");
                }
                compared += offered.len();
            }
        }
        // type, status, two priorities, direction, health and done.
        assert_eq!(compared, 2 + 3 + 4 + 4 + 4 + 4 + 2);
    }
}
