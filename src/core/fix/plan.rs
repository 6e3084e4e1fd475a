//! Which edit mends which finding, planned on the text's byte extents ([`spans`]): the finding says where,
//! the format's shape says which fields belong there, and the edit replaces exactly the bytes it must.

use saphyr_parser::ScalarStyle;

use crate::core::decode::{
    DROPPED_FIELDS, FILE_FIELDS, KEY_RESULT_FIELDS, LINK_FIELDS, OBJECTIVE_FIELDS,
};
use crate::core::diagnostic::{Finding, Fix, Pos, Replacement};
use crate::core::edit::place;
use crate::core::edit::scalar::{self, Quoting};
use crate::core::edit::spans::{Node, NodeId, Scalar, Tree};
use crate::core::locate::LineIndex;
use crate::core::model::Number;
use crate::core::rules::{codes, folder_quarter};
use crate::core::suggest;
use crate::core::yaml::abbreviate;

/// The type an objective without one is read as (`ObjectiveType::default`), as the format writes it.
const DEFAULT_TYPE: &str = "aspirational";

/// Which mapping of the format an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    File,
    Objective,
    KeyResult,
    Dropped,
    Link,
}

impl Level {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Level::File => FILE_FIELDS,
            Level::Objective => OBJECTIVE_FIELDS,
            Level::KeyResult => KEY_RESULT_FIELDS,
            Level::Dropped => DROPPED_FIELDS,
            Level::Link => LINK_FIELDS,
        }
    }

    /// The level under the field `key`, and whether it is a list of them.
    fn child(self, key: &str) -> Option<(Level, bool)> {
        match (self, key) {
            (Level::File, "objectives") => Some((Level::Objective, true)),
            (Level::Objective, "key_results") => Some((Level::KeyResult, true)),
            (Level::Objective, "dropped") => Some((Level::Dropped, false)),
            (Level::File | Level::Objective | Level::KeyResult, "links") => {
                Some((Level::Link, true))
            }
            _ => None,
        }
    }
}

/// One entry of a mapping of the format.
struct Entry {
    map: NodeId,
    level: Level,
    key: NodeId,
    value: NodeId,
}

/// A text's entries, found once for all its findings.
pub struct Plan<'t> {
    text: &'t str,
    tree: &'t Tree,
    lines: LineIndex<'t>,
    entries: Vec<Entry>,
}

impl<'t> Plan<'t> {
    pub fn new(text: &'t str, tree: &'t Tree) -> Plan<'t> {
        let mut entries = Vec::new();
        if let Some(root) = tree.root {
            walk(tree, root, Level::File, &mut entries);
        }
        Plan {
            text,
            tree,
            lines: LineIndex::new(text),
            entries,
        }
    }

    /// The fix for `finding` of the file at `path`, when okr knows one.
    pub fn fix(&self, path: &str, finding: &Finding) -> Option<Fix> {
        let at = offset(&self.lines, finding.pos)?;
        match finding.code {
            codes::UNKNOWN_FIELD => self.rename(self.entry(at, |e| e.key)?),
            codes::INVALID_VALUE => self.fraction(self.entry(at, |e| e.value)?),
            codes::QUARTER_MISMATCH => self.quarter(self.entry(at, |e| e.value)?, path),
            _ => None,
        }
    }

    /// The entry whose key (or value, as `part` picks) starts at byte `at`.
    fn entry(&self, at: usize, part: impl Fn(&Entry) -> NodeId) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            self.tree
                .scalar(part(e))
                .is_some_and(|s| s.start == at || s.text.start == at)
        })
    }

    /// An unknown field renamed to the one field of its mapping it is near to, which the mapping lacks; with
    /// two or more near, or another unknown field of the mapping near the same one, the nearest, offered but
    /// not safe.
    fn rename(&self, entry: &Entry) -> Option<Fix> {
        let key = self.tree.scalar(entry.key)?;
        if key.has_properties() || matches!(key.style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return None;
        }
        let present = self.keys(entry.map);
        let free: Vec<&str> = entry
            .level
            .fields()
            .iter()
            .copied()
            .filter(|f| !present.contains(f))
            .collect();
        let near = suggest::near(&key.value, &free);
        let best = near.first()?;
        // `taget: 2` and `targe: 3` in one mapping: either may be the `target` meant, so neither is safe.
        let rival = present.iter().any(|other| {
            *other != key.value
                && !entry.level.fields().contains(other)
                && suggest::near(other, &free).contains(best)
        });
        // Quoted as the old key was: a bare `target` in `{"taget":2}` would read as the key `target:2`.
        let in_flow = matches!(self.tree.nodes[entry.map], Node::Mapping { flow: true, .. });
        Some(Fix {
            title: format!("rename `{}` to `{best}`", abbreviate(&key.value)),
            safe: near.len() == 1 && !rival,
            edits: vec![Replacement {
                range: key.text.clone(),
                text: scalar::text(best, Quoting::keeping(key.style), in_flow),
            }],
        })
    }

    /// A confidence written as a percentage (`70`) written as the fraction it means (`0.7`): only a whole
    /// number from 11 to 100, since `1.5` is as likely a slip of `0.15` as 1.5 %, and many teams score on a
    /// scale of ten, where `7` means 0.7, not 0.07.
    fn fraction(&self, entry: &Entry) -> Option<Fix> {
        if entry.level != Level::KeyResult || self.key_name(entry)? != "confidence" {
            return None;
        }
        let value = self.plain_scalar(entry.value)?;
        if value.style != ScalarStyle::Plain {
            return None;
        }
        let number = scalar::exact_number(&value.value)?;
        if number.0.fract() != 0.0 || !(11.0..=100.0).contains(&number.0) {
            return None;
        }
        let fraction = scalar::number(Number(number.0 / 100.0));
        Some(Fix {
            title: format!("write confidence {} as {fraction}", value.value),
            safe: true,
            edits: vec![Replacement {
                range: value.text.clone(),
                text: fraction,
            }],
        })
    }

    /// The file's `quarter` set to its folder's.
    fn quarter(&self, entry: &Entry, path: &str) -> Option<Fix> {
        if entry.level != Level::File || self.key_name(entry)? != "quarter" {
            return None;
        }
        let (folder, _) = folder_quarter(path)?;
        let value = self.plain_scalar(entry.value)?;
        if matches!(value.style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return None;
        }
        let in_flow = matches!(self.tree.nodes[entry.map], Node::Mapping { flow: true, .. });
        Some(Fix {
            title: format!("set `quarter: {folder}`, the quarter of its folder"),
            safe: true,
            edits: vec![Replacement {
                range: value.text.clone(),
                text: scalar::text(folder, Quoting::keeping(value.style), in_flow),
            }],
        })
    }

    /// For each objective without a `type`, the fix that writes the one it is read as, under its `title`
    /// (else its `id`); with the objective's index in the file.
    pub fn explicit_types(&self) -> Vec<(usize, Fix)> {
        let Some(root) = self.tree.root else {
            return Vec::new();
        };
        let Some((_, objectives)) = self.tree.get(root, "objectives") else {
            return Vec::new();
        };
        let Node::Sequence { items, .. } = &self.tree.nodes[objectives] else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, &objective)| {
                let Node::Mapping { flow, .. } = &self.tree.nodes[objective] else {
                    return None;
                };
                let keys = self.keys(objective);
                if keys.contains(&"type") {
                    return None;
                }
                // An unknown key near `type` (`typ: committed`) may be the type the person meant; writing the
                // default beside it would put words in their mouth.
                if keys.iter().any(|key| {
                    !OBJECTIVE_FIELDS.contains(key) && !suggest::near(key, &["type"]).is_empty()
                }) {
                    return None;
                }
                let (key, value) = ["title", "id"].iter().find_map(|name| {
                    let (key, value) = self.tree.get(objective, name)?;
                    Some((key, self.tree.scalar(value)?))
                })?;
                let splice =
                    place::insert(self.text, key, value, "type", DEFAULT_TYPE, *flow).ok()?;
                let id = self
                    .tree
                    .get(objective, "id")
                    .and_then(|(_, v)| self.tree.scalar(v))
                    .map_or_else(String::new, |id| format!(" of `{}`", abbreviate(&id.value)));
                Some((
                    index,
                    Fix {
                        title: format!("write `type: {DEFAULT_TYPE}`{id}, the type it is read as"),
                        safe: true,
                        edits: vec![Replacement {
                            range: splice.range,
                            text: splice.text,
                        }],
                    },
                ))
            })
            .collect()
    }

    /// For a dropped objective without a reason: a `reason:` line to fill in, under `dropped` (with `date`
    /// `today`, when there is no `dropped` yet). Never safe: the reason is the person's to write, and until
    /// it is, the finding stays. `None` in flow style and where the reason is written but empty.
    pub fn add_reason(&self, finding: &Finding, today: &str) -> Option<Fix> {
        if finding.code != codes::DROPPED_WITHOUT_REASON {
            return None;
        }
        let at = offset(&self.lines, finding.pos)?;
        let title = "add a reason (`dropped.reason`) to fill in".to_owned();
        // No `dropped` yet: the finding is at `status: dropped`.
        if let Some(status) = self
            .entry(at, |e| e.value)
            .filter(|e| e.level == Level::Objective && self.key_name(e) == Some("status"))
        {
            let lines = [
                "dropped:".to_owned(),
                format!("  date: {today}"),
                "  reason: ".to_owned(),
            ];
            return self.lines_after(status, title, &lines);
        }
        // A `dropped` without `reason`: the finding is at its key; the reason goes under its last field.
        let dropped = self
            .entry(at, |e| e.key)
            .filter(|e| e.level == Level::Objective && self.key_name(e) == Some("dropped"))?;
        let last = self
            .entries
            .iter()
            .rfind(|e| e.map == dropped.value && self.tree.scalar(e.value).is_some())?;
        self.lines_after(last, title, &["reason: ".to_owned()])
    }

    /// A `notes:` line with no value, after the last plain field of the objective or key result whose first
    /// key is at `pos`. `None` where it has `notes` already: a second key would make the file invalid.
    pub fn add_notes(&self, pos: Pos) -> Option<Fix> {
        let at = offset(&self.lines, pos)?;
        let first = self
            .entry(at, |e| e.key)
            .filter(|e| matches!(e.level, Level::Objective | Level::KeyResult))?;
        if self.keys(first.map).contains(&"notes") {
            return None;
        }
        let last = self
            .entries
            .iter()
            .rfind(|e| e.map == first.map && self.tree.scalar(e.value).is_some())?;
        let title = "add a reason (`notes`) to fill in".to_owned();
        self.lines_after(last, title, &["notes: ".to_owned()])
    }

    /// `lines` on lines of their own after `entry`, in its indentation and the file's line ending. `None` in
    /// flow style, or when the entry's value is not a scalar.
    fn lines_after(&self, entry: &Entry, title: String, lines: &[String]) -> Option<Fix> {
        if matches!(self.tree.nodes[entry.map], Node::Mapping { flow: true, .. }) {
            return None;
        }
        let key = self.tree.scalar(entry.key)?;
        let value = self.tree.scalar(entry.value)?;
        // Where the check-in would insert a field after this one, and how it would write the line.
        let probe = place::insert(self.text, key, value, "x", "x", false).ok()?;
        let eol = ["\r\n", "\n", "\r"]
            .into_iter()
            .find(|eol| probe.text.contains(eol))?;
        let indent: String = probe
            .text
            .trim_start_matches(['\r', '\n'])
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let mut text: String = lines
            .iter()
            .map(|line| format!("{indent}{line}{eol}"))
            .collect();
        // At the end of a file with no final line break: the break comes first.
        if !probe.text.ends_with(['\n', '\r']) {
            text = format!("{eol}{}", text.strip_suffix(eol).unwrap_or(&text));
        }
        Some(Fix {
            title,
            safe: false,
            edits: vec![Replacement {
                range: probe.range,
                text,
            }],
        })
    }

    fn key_name(&self, entry: &Entry) -> Option<&str> {
        self.tree.scalar(entry.key).map(|k| k.value.as_str())
    }

    /// A scalar written with no tag or anchor, which okr can write over without changing another place.
    fn plain_scalar(&self, node: NodeId) -> Option<&Scalar> {
        self.tree.scalar(node).filter(|s| !s.has_properties())
    }

    fn keys(&self, map: NodeId) -> Vec<&str> {
        match &self.tree.nodes[map] {
            Node::Mapping { entries, .. } => entries
                .iter()
                .filter_map(|&(k, _)| self.tree.scalar(k).map(|k| k.value.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Every entry of the format's mappings under `node`, walked by the format's shape (so never deeper than it,
/// and never through an alias).
fn walk(tree: &Tree, node: NodeId, level: Level, out: &mut Vec<Entry>) {
    let Node::Mapping { entries, .. } = &tree.nodes[node] else {
        return;
    };
    for &(key, value) in entries {
        out.push(Entry {
            map: node,
            level,
            key,
            value,
        });
        let Some(child) = tree.scalar(key).and_then(|k| level.child(&k.value)) else {
            continue;
        };
        match (child, &tree.nodes[value]) {
            ((child, true), Node::Sequence { items, .. }) => {
                for &item in items {
                    walk(tree, item, child, out);
                }
            }
            ((child, false), Node::Mapping { .. }) => walk(tree, value, child, out),
            _ => {}
        }
    }
}

/// The byte offset of `pos`: its column counts characters, and a byte order mark opening the text is none.
fn offset(lines: &LineIndex<'_>, pos: Pos) -> Option<usize> {
    let index = usize::try_from(pos.line.checked_sub(1)?).ok()?;
    let (start, raw) = lines.raw(index)?;
    let mark = if index == 0 && raw.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let line = &raw[mark..];
    let skip = usize::try_from(pos.column.checked_sub(1)?).ok()?;
    let at = line
        .char_indices()
        .nth(skip)
        .map_or(line.len(), |(at, _)| at);
    Some(start + mark + at)
}
