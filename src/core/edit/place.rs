//! Where each new value goes: the bytes of the value it replaces, or, for a field the key result does not
//! have yet, the place a person would write it — on its own line after the field it follows, in the key
//! result's indentation and the file's line ending (block style), or after that field inside the braces (flow
//! style).

use std::fmt;

use saphyr_parser::ScalarStyle;

use super::scalar::{self, Quoting};
use super::spans::{Node, NodeId, Scalar, Tree};
use super::{EditError, Field};
use crate::core::model::Number;
use crate::core::yaml::abbreviate;

/// Replace `range` of the text with `text`. An insertion has an empty range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub range: std::ops::Range<usize>,
    pub text: String,
}

/// A new value for a field, not yet written as YAML.
#[derive(Debug, Clone)]
pub enum Value<'v> {
    /// A number or boolean: written the same in every style.
    Number(Number),
    Bool(bool),
    /// A user's text, quoted as its place needs.
    Text(&'v str),
}

impl Value<'_> {
    /// The value as YAML, in `quoting` if it is text; `in_flow`: inside `{ … }`.
    fn written(&self, quoting: Quoting, in_flow: bool) -> String {
        match self {
            Value::Number(number) => scalar::number(*number),
            Value::Bool(value) => scalar::boolean(*value),
            Value::Text(text) => scalar::text(text, quoting, in_flow),
        }
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(number) => f.write_str(&scalar::number(*number)),
            Value::Bool(value) => f.write_str(&scalar::boolean(*value)),
            Value::Text(text) => f.write_str(&abbreviate(text)),
        }
    }
}

/// The mapping of a key result, found by its objective's and its own id.
pub fn key_result(tree: &Tree, objective: &str, key_result: &str) -> Result<NodeId, EditError> {
    let not_found = || EditError::NotFound {
        objective: objective.to_owned(),
        key_result: key_result.to_owned(),
    };
    let root = tree.root.ok_or_else(not_found)?;
    let with_id = |list: NodeId, id: &str| -> Option<NodeId> {
        let Node::Sequence { items, .. } = &tree.nodes[list] else {
            return None;
        };
        items.iter().copied().find(|&item| {
            tree.get(item, "id")
                .and_then(|(_, v)| tree.scalar(v))
                .is_some_and(|s| s.value == id)
        })
    };
    let (_, objectives) = tree.get(root, "objectives").ok_or_else(not_found)?;
    let objective_node = with_id(objectives, objective).ok_or_else(not_found)?;
    let (_, key_results) = tree
        .get(objective_node, "key_results")
        .ok_or_else(not_found)?;
    let kr = with_id(key_results, key_result).ok_or_else(not_found)?;
    if let Some(&shared) = [root, objectives, objective_node, key_results, kr]
        .iter()
        .find(|&&node| tree.is_aliased(node))
    {
        let what = if shared == kr {
            "the key result"
        } else {
            "a mapping or list holding it"
        };
        return Err(EditError::Unsupported(format!(
            "{what} is anchored (`&name`) and used again elsewhere as an alias (`*name`), so a change to it \
             would change there too\nhelp: set the value by hand"
        )));
    }
    Ok(kr)
}

/// The splices that set `fields` (in the order a person writes them) of the key result mapping `kr`.
pub fn splices(
    text: &str,
    tree: &Tree,
    kr: NodeId,
    fields: &[(Field, Value<'_>)],
) -> Result<Vec<Splice>, EditError> {
    let Node::Mapping { flow, entries, .. } = &tree.nodes[kr] else {
        return Err(EditError::Unsupported(
            "the key result is not a mapping".to_owned(),
        ));
    };
    let mut out: Vec<Splice> = Vec::new();
    // Fields inserted so far, with the index of their splice: a field absent too goes after them.
    let mut inserted: Vec<(Field, usize)> = Vec::new();
    for (field, value) in fields {
        match tree.get(kr, field.key()) {
            Some((key, value_node)) => {
                let Some(old) = tree.scalar(value_node) else {
                    return Err(EditError::Unsupported(format!(
                        "`{}` is written as {}, so okr cannot set it in place\nhelp: set the value by hand",
                        field.key(),
                        match tree.nodes[value_node] {
                            Node::Alias => "an alias",
                            _ => "a list or mapping",
                        }
                    )));
                };
                if old.tagged {
                    return Err(EditError::Unsupported(format!(
                        "`{}` is written with a tag (`{}`), which okr does not write over\nhelp: remove the tag, \
                         or set the value by hand",
                        field.key(),
                        text[old.start..old.text.start].trim_end()
                    )));
                }
                if tree.is_aliased(value_node) {
                    return Err(EditError::Unsupported(format!(
                        "`{}` is anchored (`{}`) and used again elsewhere as an alias, so a change to it would \
                         change there too\nhelp: set the value by hand",
                        field.key(),
                        text[old.start..old.text.start].trim_end()
                    )));
                }
                out.push(replace(text, key, old, value, *flow));
            }
            None => {
                let Some(follows) = field.after() else {
                    return Err(EditError::Unsupported(format!(
                        "the key result has no `{}`, so it is not a milestone, and okr does not make it one\n\
                         help: give it `{}` by hand if it is to be a milestone",
                        field.key(),
                        field.key()
                    )));
                };
                let written = value.written(Quoting::Plain, *flow);
                match after(tree, entries, &inserted, follows) {
                    // Right after another field inserted here: part of the same insertion.
                    Some(After::Inserted(index)) => {
                        let splice = &mut out[index];
                        let line = entry(field.key(), &written, *flow, &splice.text);
                        splice.text.push_str(&line);
                        inserted.push((*field, index));
                    }
                    Some(After::Entry(key, anchor)) => {
                        out.push(insert(text, key, anchor, field.key(), &written, *flow)?);
                        inserted.push((*field, out.len() - 1));
                    }
                    None => {
                        return Err(EditError::Unsupported(
                            "the key result has no field to write after".to_owned(),
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What a new field is written after.
enum After<'t> {
    /// A field inserted by this edit: the index of its splice.
    Inserted(usize),
    /// An entry of the key result: its key and value.
    Entry(&'t Scalar, &'t Scalar),
}

/// The first of the fields `follows` names that the key result has (or is given by this edit), else its
/// last entry with a scalar value.
fn after<'t>(
    tree: &'t Tree,
    entries: &[(NodeId, NodeId)],
    inserted: &[(Field, usize)],
    follows: &[&str],
) -> Option<After<'t>> {
    let scalars = || {
        entries
            .iter()
            .filter_map(|&(k, v)| Some((tree.scalar(k)?, tree.scalar(v)?)))
    };
    follows
        .iter()
        .find_map(|name| {
            inserted
                .iter()
                .find(|(f, _)| f.key() == *name)
                .map(|&(_, index)| After::Inserted(index))
                .or_else(|| {
                    scalars()
                        .find(|(k, _)| k.value == *name)
                        .map(|(k, v)| After::Entry(k, v))
                })
        })
        .or_else(|| scalars().next_back().map(|(k, v)| After::Entry(k, v)))
}

/// `key: value` as one more entry, in the form the insertion `so_far` already has (a flow entry begins with
/// `, `; a block entry is a line, and repeats the first line's indentation and line ending).
fn entry(key: &str, value: &str, flow: bool, so_far: &str) -> String {
    if flow {
        return format!(", {key}: {value}");
    }
    let indent: String = so_far.chars().take_while(|c| *c == ' ').collect();
    let eol = line_break_in(so_far).unwrap_or("\n");
    if so_far.ends_with(['\n', '\r']) {
        format!("{indent}{key}: {value}{eol}")
    } else {
        // At the end of a file with no final line break: the new line starts with one and ends without.
        let indent: String = so_far
            .trim_start_matches(['\r', '\n'])
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        format!("{eol}{indent}{key}: {value}")
    }
}

/// The new value written over the old one, in the old one's style where the value is text.
fn replace(text: &str, key: &Scalar, old: &Scalar, value: &Value<'_>, in_flow: bool) -> Splice {
    if old.is_empty() {
        // `current:` with nothing after it: the value goes right after the colon, or after the anchor
        // (`current: &a 5`).
        let at = if old.has_properties() {
            old.text.start
        } else {
            colon_after(text, key)
        };
        let written = value.written(Quoting::Plain, in_flow);
        return Splice {
            range: at..at,
            text: format!(" {written}"),
        };
    }
    match value {
        Value::Number(_) | Value::Bool(_) => Splice {
            range: old.text.clone(),
            text: value.written(Quoting::Plain, in_flow),
        },
        Value::Text(t) => match (&old.content, old.style) {
            // `>-` or `|-` with the note as its one line: the header and indentation stay.
            (Some(content), ScalarStyle::Folded | ScalarStyle::Literal)
                if strips(&text[old.text.clone()]) && scalar::block_line_is_safe(t) =>
            {
                Splice {
                    range: content.clone(),
                    text: (*t).to_owned(),
                }
            }
            _ => Splice {
                range: old.text.clone(),
                text: scalar::text(t, Quoting::keeping(old.style), in_flow),
            },
        },
    }
}

/// Whether a block scalar's header is exactly `>-` or `|-` (with at most a comment after it): its value is its
/// content with no line break after, so one line of content reads back as that line.
fn strips(block: &str) -> bool {
    let header = block.lines().next().unwrap_or("");
    let header = header.split(" #").next().unwrap_or("").trim_end();
    header == ">-" || header == "|-"
}

/// Just after the `:` that follows `key`.
fn colon_after(text: &str, key: &Scalar) -> usize {
    let rest = &text[key.text.end..];
    key.text.end + rest.find(':').map_or(0, |at| at + 1)
}

/// A new entry `name: value` after the entry whose key is `key` and value `after`.
pub(crate) fn insert(
    text: &str,
    key: &Scalar,
    after: &Scalar,
    name: &str,
    value: &str,
    flow: bool,
) -> Result<Splice, EditError> {
    if flow {
        // After a key with no value (`current: ,`), past its colon (`current: , confidence: 0.5`), or past its
        // anchor (`current: &a , confidence: 0.5`).
        let (at, space) = match (after.is_empty(), after.has_properties()) {
            (true, true) => (after.text.start, " "),
            (true, false) => (colon_after(text, key), " "),
            (false, _) => (after.text.end, ""),
        };
        return Ok(Splice {
            range: at..at,
            text: format!("{space}, {name}: {value}"),
        });
    }
    let indent = indentation(text, key)?;
    let rest = &text[after.text.end..];
    Ok(match rest.find(['\n', '\r']) {
        Some(at) => {
            let eol = line_break_in(&rest[at..]).unwrap_or("\n");
            let at = after.text.end + at + eol.len();
            Splice {
                range: at..at,
                text: format!("{indent}{name}: {value}{eol}"),
            }
        }
        None => {
            let eol = line_break_in(text).unwrap_or("\n");
            Splice {
                range: text.len()..text.len(),
                text: format!("{eol}{indent}{name}: {value}"),
            }
        }
    })
}

/// The indentation of the block mapping entry whose key is `key`: the key's column, its tag and anchor
/// included (`&x target: 10`). The `- ` of a list item's first entry counts as indentation; the `? ` of an
/// explicit key does not, as the entries of its mapping start where the `?` is.
fn indentation(text: &str, key: &Scalar) -> Result<String, EditError> {
    let line_start = text[..key.start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let before = &text[line_start..key.start];
    let before = before
        .trim_end_matches(' ')
        .strip_suffix('?')
        .unwrap_or(before);
    if !before.chars().all(|c| c == ' ' || c == '-') {
        return Err(EditError::Unsupported(format!(
            "the key `{}` does not start its line (`{}`), so okr cannot tell the key result's indentation\nhelp: \
             set the value by hand",
            key.value,
            before.trim()
        )));
    }
    Ok(" ".repeat(before.chars().count()))
}

/// The first line break in `text`: `\r\n`, `\n` or a lone `\r`.
fn line_break_in(text: &str) -> Option<&'static str> {
    let at = text.find(['\n', '\r'])?;
    Some(if text[at..].starts_with("\r\n") {
        "\r\n"
    } else if text[at..].starts_with('\n') {
        "\n"
    } else {
        "\r"
    })
}
