//! The read-back check every edit passes before it is handed back: the new text must mean the old file with
//! exactly the asked values set, and nothing else changed.
//!
//! Two halves, because a value the file's rules refuse (a confidence of 3) is not read into the model at all:
//! - each asked value is found in the new text's YAML where the key result has it, and must be a scalar that
//!   YAML reads as exactly that value (a number equal to it, the boolean, the very text), whether or not the
//!   rules accept it;
//! - the new model with the asked fields taken out must equal the old model with them taken out.
//!
//! Only then may a value the rules refuse be handed on, for the caller's validation to refuse with its finding.

use crate::core::decode;
use crate::core::model::{KeyResult, OkrFile};
use crate::core::yaml::{self, Document, NodeId, NodeKind, Scalar};

use super::place::Value;
use super::{EditError, Field, find};

/// One value an edit sets: on which key result, in which field.
pub struct Asked<'e> {
    pub objective: &'e str,
    pub key_result: &'e str,
    pub field: Field,
    pub value: Value<'e>,
}

/// Whether `edited` reads as `before` with exactly `asked` set; an [`EditError::Unsafe`] saying how it does not.
pub fn read_back(edited: &str, before: &OkrFile, asked: &[Asked<'_>]) -> Result<(), EditError> {
    let parsed = yaml::parse_str(edited);
    if let Some(problem) = parsed.problems.first() {
        return Err(EditError::Unsafe(format!(
            "the new text would not be YAML: line {}: {}",
            problem.pos.line, problem.message
        )));
    }
    let document = parsed
        .document
        .ok_or_else(|| EditError::Unsafe("the new text would hold no document".to_owned()))?;
    for one in asked {
        let node = value_node(&document, one).ok_or_else(|| {
            EditError::Unsafe(format!(
                "`{}` of `{}/{}` would not be found where it was written",
                one.field.key(),
                one.objective,
                one.key_result
            ))
        })?;
        if !means(&document, node, &one.value) {
            return Err(EditError::Unsafe(format!(
                "`{}` would read back as {}, not `{}`",
                one.field.key(),
                document.describe(node),
                one.value
            )));
        }
    }
    let (mut after, _) = decode::decode(&document);
    let mut expected = before.clone();
    for one in asked {
        for file in [&mut after, &mut expected] {
            if let Some(kr) = find(file, one.objective, one.key_result) {
                clear(kr, one.field);
            }
        }
    }
    if serde_json::to_value(&after).ok() != serde_json::to_value(&expected).ok() {
        return Err(EditError::Unsafe(
            "the new text reads back differently".to_owned(),
        ));
    }
    Ok(())
}

fn clear(kr: &mut KeyResult, field: Field) {
    match field {
        Field::Current => kr.current = None,
        Field::Progress => kr.progress = None,
        Field::Done => kr.done = None,
        Field::Confidence => kr.confidence = None,
        Field::Notes => kr.notes = None,
    }
}

/// The node of the asked field, found as the editor finds it: the first objective and key result with those
/// ids, and the one entry of the field's key.
fn value_node(document: &Document, asked: &Asked<'_>) -> Option<NodeId> {
    let root = document.root()?;
    let objectives = get(document, root, "objectives")?;
    let objective = with_id(document, objectives, asked.objective)?;
    let key_results = get(document, objective, "key_results")?;
    let kr = with_id(document, key_results, asked.key_result)?;
    get(document, kr, asked.field.key())
}

/// The value of `key` in the mapping `map`, when the key is there exactly once.
fn get(document: &Document, map: NodeId, key: &str) -> Option<NodeId> {
    let NodeKind::Mapping(entries) = &document.node(map).kind else {
        return None;
    };
    let mut found = entries
        .iter()
        .filter(|e| document.key_text(e.key) == Some(key));
    let first = found.next()?;
    found.next().is_none().then_some(first.value)
}

/// The first item of the list `list` whose `id` is `id`.
fn with_id(document: &Document, list: NodeId, id: &str) -> Option<NodeId> {
    let NodeKind::Sequence(items) = &document.node(list).kind else {
        return None;
    };
    items.iter().copied().find(|&item| {
        get(document, item, "id").is_some_and(|v| {
            matches!(&document.node(v).kind, NodeKind::Scalar { value: Scalar::Str(s), .. } if s == id)
        })
    })
}

/// Whether YAML reads the node as exactly `value`, with no tag okr does not understand.
fn means(document: &Document, node: NodeId, value: &Value<'_>) -> bool {
    let NodeKind::Scalar {
        value: scalar,
        foreign_tag: None,
        ..
    } = &document.node(node).kind
    else {
        return false;
    };
    match (scalar, value) {
        // Exactly: past 2^53 an integer and the float nearest it are not the same number.
        (Scalar::Int(i), Value::Number(n)) => n.0.fract() == 0.0 && n.0 as i128 == i128::from(*i),
        (Scalar::Float(f), Value::Number(n)) => *f == n.0,
        (Scalar::Bool(b), Value::Bool(v)) => b == v,
        (Scalar::Str(s), Value::Text(t)) => s == t,
        _ => false,
    }
}
