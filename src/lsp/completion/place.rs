//! Where the cursor is in a file being typed, read from the lines and their indentation around it rather than
//! from the parsed model: text being completed is rarely valid YAML yet (`status: ` with no value, half a key,
//! a list item just begun), and a file that does not parse has no model at all.
//!
//! Only block style is understood (`key: value` lines, `- ` items), which is how OKR files are written; inside
//! a flow collection (`{id: a, ...}`) nothing is offered.

/// Which mapping of the format the cursor is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    File,
    Objective,
    KeyResult,
    Dropped,
    Link,
}

/// The mapping around the cursor: its level, and what its other lines already say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub level: Level,
    /// The keys written on its other lines, with their values as written (unquoted, without a comment).
    pub fields: Vec<(String, String)>,
    /// The ids of the other items of the list the mapping is an item of (objectives, key results).
    pub sibling_ids: Vec<String>,
}

impl Mapping {
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == key)
    }

    pub fn value(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// What is being written at the cursor. Columns are byte offsets in the cursor's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A key: the word from `start` to `end` (the cursor, moved back to the start of a character it was
    /// inside) is its beginning.
    Key {
        mapping: Mapping,
        start: usize,
        end: usize,
    },
    /// The value of `field`, from `start` to `end` (the cursor, or past it to the end of the value's word);
    /// what is typed of it is from `start` to `cursor`.
    Value {
        mapping: Mapping,
        field: String,
        start: usize,
        cursor: usize,
        end: usize,
    },
}

/// One line as far as indentation tells: where its item dash and key are.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Leading spaces.
    indent: usize,
    /// The column of `- ` when the line begins a list item.
    dash: Option<usize>,
    /// The column where the line's content (its key) starts.
    key_col: usize,
    /// The key, when the content is `key:` or `key: value`.
    key: Option<&'a str>,
    /// The value after the key, as written (trimmed, no comment, no quotes).
    value: &'a str,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The line, or `None` for a blank line or a comment (which say nothing about structure).
fn read_line(text: &str) -> Option<Line<'_>> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let mut rest = &text[indent..];
    let mut dash = None;
    let mut key_col = indent;
    if rest == "-" || rest.starts_with("- ") {
        dash = Some(indent);
        let after = &rest[1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        key_col = indent + 1 + spaces;
        rest = &text[key_col..];
    }
    if dash.is_none() && (rest.trim().is_empty() || rest.starts_with('#')) {
        return None;
    }
    let (key, value) = match rest.find(':') {
        Some(colon)
            if colon > 0
                && rest[..colon].chars().all(is_key_char)
                && rest[colon + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace) =>
        {
            (Some(&rest[..colon]), clean_value(&rest[colon + 1..]))
        }
        _ => (None, ""),
    };
    Some(Line {
        indent,
        dash,
        key_col,
        key,
        value,
    })
}

/// A value as written: without a trailing comment, surrounding space or quotes.
fn clean_value(raw: &str) -> &str {
    let raw = match raw.find(" #") {
        Some(at) => &raw[..at],
        None => raw,
    };
    let raw = raw.trim();
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(raw)
}

/// What is being written at byte `column` of line `at` of `lines` (without line endings), if okr can help.
pub fn slot_at(lines: &[&str], at: usize, column: usize) -> Option<Slot> {
    let line = *lines.get(at)?;
    let column = floor_char_boundary(line, column.min(line.len()));
    let before = &line[..column];
    let indent = before.len() - before.trim_start_matches(' ').len();
    let mut start = indent;
    let mut item_here = false;
    let rest = &before[indent..];
    if rest == "-" {
        return None;
    }
    if rest.starts_with("- ") {
        item_here = true;
        start = indent + 1 + (rest.len() - 1 - rest[1..].trim_start_matches(' ').len());
    }
    let written = &before[start..];
    if written.chars().all(is_key_char) {
        let mapping = mapping(lines, at, start, item_here)?;
        return Some(Slot::Key {
            mapping,
            start,
            end: column,
        });
    }
    let colon = written.find(": ")?;
    let field = &written[..colon];
    if field.is_empty() || !field.chars().all(is_key_char) {
        return None;
    }
    let value_start =
        start + colon + 1 + (written.len() - colon - 1 - written[colon + 1..].trim_start().len());
    let value = &line[value_start..column];
    // A flow collection or a comment: not a plain value being typed.
    if value.starts_with(['{', '[', '#', '&', '*', '!', '|', '>']) {
        return None;
    }
    let end = column
        + line[column..]
            .find(char::is_whitespace)
            .unwrap_or(line.len() - column);
    let mapping = mapping(lines, at, start, item_here)?;
    Some(Slot::Value {
        mapping,
        field: field.to_owned(),
        start: value_start,
        cursor: column,
        end,
    })
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The mapping whose keys start at `key_col` and which holds line `at` (a new list item when `item_here`).
fn mapping(lines: &[&str], at: usize, key_col: usize, item_here: bool) -> Option<Mapping> {
    let mut fields = Vec::new();
    // Upwards: the mapping's earlier keys, until its item's dash, then its parent key.
    let mut collecting = !item_here;
    let mut parent = None;
    for index in (0..at).rev() {
        let Some(line) = read_line(lines[index]) else {
            continue;
        };
        if line.key_col == key_col && line.dash.is_none_or(|d| d < key_col) {
            if collecting && let Some(key) = line.key {
                fields.push((key.to_owned(), line.value.to_owned()));
            }
            if line.dash.is_some() {
                collecting = false;
            }
        } else if line.key_col < key_col {
            parent = Some((index, line));
            break;
        }
    }
    // Downwards: its later keys, until a new item or a line less indented.
    for text in &lines[at + 1..] {
        let Some(line) = read_line(text) else {
            continue;
        };
        if line.indent < key_col || line.dash.is_some_and(|d| d < key_col) {
            break;
        }
        if line.key_col == key_col
            && let Some(key) = line.key
        {
            fields.push((key.to_owned(), line.value.to_owned()));
        }
    }
    let level = match parent {
        None if key_col == 0 => Level::File,
        None => return None,
        Some((_, line)) if !line.value.is_empty() => return None,
        Some((_, line)) => match line.key? {
            "objectives" => Level::Objective,
            "key_results" => Level::KeyResult,
            "dropped" => Level::Dropped,
            "links" => Level::Link,
            _ => return None,
        },
    };
    let sibling_ids = match parent {
        Some((index, line)) if matches!(level, Level::Objective | Level::KeyResult) => {
            sibling_ids(lines, index, line.indent, key_col, at)
        }
        _ => Vec::new(),
    };
    Some(Mapping {
        level,
        fields,
        sibling_ids,
    })
}

/// The ids of the items of the list under the key on line `parent` (indented `parent_indent`), but the one on
/// line `at`.
fn sibling_ids(
    lines: &[&str],
    parent: usize,
    parent_indent: usize,
    key_col: usize,
    at: usize,
) -> Vec<String> {
    let mut ids = Vec::new();
    for (index, text) in lines.iter().enumerate().skip(parent + 1) {
        let Some(line) = read_line(text) else {
            continue;
        };
        // Items may sit at their key's own column (`key_results:` then `- id: a` below it).
        if line.indent < parent_indent || (line.indent == parent_indent && line.dash.is_none()) {
            break;
        }
        if index != at
            && line.key_col == key_col
            && line.key == Some("id")
            && !line.value.is_empty()
        {
            ids.push(line.value.to_owned());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slot at the `|` in `text`.
    fn slot(text: &str) -> Option<Slot> {
        let lines: Vec<&str> = text.split('\n').collect();
        let at = lines.iter().position(|l| l.contains('|')).unwrap();
        let column = lines[at].find('|').unwrap();
        let without = lines[at].replacen('|', "", 1);
        let mut lines: Vec<&str> = lines.clone();
        lines[at] = &without;
        slot_at(&lines, at, column)
    }

    fn key_mapping(text: &str) -> Mapping {
        match slot(text) {
            Some(Slot::Key { mapping, .. }) => mapping,
            other => panic!("not a key: {other:?}"),
        }
    }

    const FILE: &str = "quarter: 2026-Q3
team: platform
objectives:
  - id: boring-deploys
    title: Make deploys boring
    key_results:
      - id: kr1
        title: Failed deploys
        ta|
        start: 12
      - id: kr2
        title: Runbooks
  - id: faster-builds
    title: Halve CI build times
";

    #[test]
    fn a_key_in_a_key_result_sees_the_fields_above_and_below_and_the_other_ids() {
        let mapping = key_mapping(FILE);
        assert_eq!(mapping.level, Level::KeyResult);
        let keys: Vec<&str> = mapping.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["title", "id", "start"]);
        assert_eq!(mapping.value("title"), Some("Failed deploys"));
        assert_eq!(mapping.sibling_ids, ["kr1", "kr2"]);
    }

    #[test]
    fn a_new_item_starts_a_mapping_of_its_own() {
        let text = "objectives:\n  - id: a\n    title: A\n  - |\n";
        let mapping = key_mapping(text);
        assert_eq!(mapping.level, Level::Objective);
        assert!(mapping.fields.is_empty(), "{mapping:?}");
        assert_eq!(mapping.sibling_ids, ["a"]);
    }

    #[test]
    fn levels_follow_the_parent_key() {
        assert_eq!(key_mapping("quarter: 2026-Q3\n|\n").level, Level::File);
        let dropped = "objectives:\n  - id: a\n    dropped:\n      date: 2026-08-01\n      |\n";
        let mapping = key_mapping(dropped);
        assert_eq!(mapping.level, Level::Dropped);
        assert!(mapping.has("date"));
        let items_at_key_column = "objectives:\n- id: a\n  key_results:\n  - id: x\n    |\n";
        assert_eq!(key_mapping(items_at_key_column).level, Level::KeyResult);
    }

    #[test]
    fn a_value_names_its_field_and_the_span_to_replace() {
        let Some(Slot::Value {
            mapping,
            field,
            start,
            cursor,
            end,
        }) = slot("objectives:\n  - id: a\n    aligns_to: comp|any/x\n")
        else {
            panic!("not a value");
        };
        assert_eq!(mapping.level, Level::Objective);
        assert_eq!(field, "aligns_to");
        assert_eq!((start, cursor, end), (15, 19, 24));
    }

    #[test]
    fn text_that_is_no_yaml_yet_still_has_a_place_or_none() {
        assert!(slot("objectives:\n  - id: a\n    health: |\n  : : [\n").is_some());
        assert_eq!(slot("title: {a: |}\n"), None);
        assert_eq!(slot("  deeply: indented\n    |\n"), None);
        // The cursor inside a character is before it.
        assert!(matches!(
            slot_at(&["é"], 0, 1),
            Some(Slot::Key {
                start: 0,
                end: 0,
                ..
            })
        ));
        assert_eq!(slot_at(&[], 3, 1), None);
    }
}
