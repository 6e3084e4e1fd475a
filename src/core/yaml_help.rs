//! Help for the YAML syntax errors people make most, read off the line where the parser stopped. The parser
//! says what it could not read ("mapping values are not allowed in this context"); this says what to write
//! instead, and only when the lines leave no doubt, since wrong advice costs more than none. Anything unusual
//! before the error (flow collections or quotes over several lines, plain text over several lines, anchors,
//! tabs) means no help.

/// Help for a syntax error at `line` (from 1) and `column` (from 0, in characters) of `text`, if one of the
/// common causes clearly applies.
pub fn help(text: &str, line: usize, column: usize) -> Option<String> {
    let lines: Vec<&str> = crate::core::locate::lines(text.trim_start_matches('\u{feff}'))
        .map(|(_, l)| l)
        .collect();
    let index = line.checked_sub(1)?;
    let Some(Some(current)) = lines.get(index).map(|l| Line::read(l)) else {
        return None;
    };
    colon_in_value(&current, column).or_else(|| indentation(&lines[..index], &current, column))
}

/// A line in the simple block style nearly every OKR file is written in: `key: value`, `key:`, `- key: value`
/// or `- value`, indented with spaces.
#[derive(Debug, Clone, PartialEq)]
struct Line<'a> {
    /// Leading spaces.
    indent: usize,
    /// Where the key (or an item's value) starts, after any `- `.
    content: usize,
    /// Whether the line starts with `- `.
    item: bool,
    /// The key and the column of the `:` after it; `None` for an item without a key (`- value`).
    key: Option<(&'a str, usize)>,
    /// What follows `key: ` (or `- `), as written, comment included, and the column it starts at.
    value: &'a str,
    value_column: usize,
}

impl<'a> Line<'a> {
    /// Reads a line; `None` for a line not in the simple style, blank lines and comments included.
    fn read(text: &'a str) -> Option<Line<'a>> {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let mut rest = &text[indent..];
        if rest.is_empty() || rest.starts_with(['#', '\t']) {
            return None;
        }
        let mut content = indent;
        let mut item = false;
        while let Some(after) = rest.strip_prefix('-') {
            let spaces = after.len() - after.trim_start_matches(' ').len();
            if spaces == 0 && !after.is_empty() {
                break; // `-5` or `-x`: a value, not an item
            }
            item = true;
            content += 1 + spaces;
            rest = &after[spaces..];
        }
        let key_length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
            .unwrap_or(rest.len());
        let after_key = &rest[key_length..];
        let (key, value, value_column) = match after_key.strip_prefix(':') {
            Some(value) if key_length > 0 && (value.is_empty() || value.starts_with(' ')) => {
                let separator = content + key_length;
                let spaces = value.len() - value.trim_start_matches(' ').len();
                let key = Some((&rest[..key_length], separator));
                (key, value.trim(), separator + 1 + spaces)
            }
            _ if item => (None, rest.trim(), content),
            _ => return None,
        };
        Some(Line {
            indent,
            content,
            item,
            key,
            value,
            value_column,
        })
    }

    /// Whether the value is a whole scalar on this line, so nothing can nest under the line.
    fn closed(&self) -> bool {
        !self.value.is_empty() && !self.value.starts_with('#')
    }

    /// Whether the value, if any, ends on this line (or is a block scalar, `|` or `>`, whose lines are easy
    /// to tell) and is plain enough to reason about.
    fn simple(&self) -> bool {
        let value = self.value;
        let ends_with = |close: char| value.len() > 1 && value.ends_with(close);
        match value.chars().next() {
            None | Some('#' | '|' | '>') => true,
            Some('"') => ends_with('"'),
            Some('\'') => ends_with('\''),
            Some('[') => ends_with(']'),
            Some('{') => ends_with('}'),
            Some('&' | '*' | '!' | '%' | '@' | '`') => false,
            Some(_) => true,
        }
    }

    /// Whether the value is unquoted text: it starts with no character YAML treats specially.
    fn plain(&self) -> bool {
        !self.value.is_empty() && !self.value.starts_with(INDICATORS)
    }
}

/// Characters that give a value's first character a meaning other than text.
const INDICATORS: [char; 17] = [
    '"', '\'', '[', ']', '{', '}', '#', '|', '>', '&', '*', '!', '%', '@', '`', ',', '?',
];

/// `title: Ship it: faster`: a `: ` inside an unquoted value starts a second mapping on the line.
fn colon_in_value(line: &Line, column: usize) -> Option<String> {
    let (key, separator) = line.key?;
    if column <= separator || !line.plain() {
        return None;
    }
    let value = match line.value.find(" #") {
        Some(comment) => line.value[..comment].trim_end(),
        None => line.value,
    };
    // The error must sit on a `:` inside that value, followed by a space or the end of the line. Columns
    // count characters; everything before the value is ASCII, so the value's column counts them too.
    let mut chars = value.chars().skip(column.checked_sub(line.value_column)?);
    if chars.next() != Some(':') || !matches!(chars.next(), None | Some(' ')) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!("quote the value: {key}: \"{quoted}\""))
}

/// A line indented unlike the lines it belongs with: deeper than a sibling whose value is on its line (YAML
/// reads it as more of that value), or between the levels above it.
fn indentation(before: &[&str], line: &Line, column: usize) -> Option<String> {
    let (key, separator) = line.key?;
    if line.item {
        return None;
    }
    let mut above = Vec::new();
    // The column of the key whose block scalar is running: its lines are text, whatever they look like.
    let mut block_scalar = None;
    for text in before {
        let trimmed = text.trim_end();
        if let Some(key_column) = block_scalar {
            let indent = text.len() - text.trim_start_matches(' ').len();
            if trimmed.is_empty() || indent > key_column {
                continue;
            }
            block_scalar = None;
        }
        let document_start = trimmed == "---" && above.is_empty();
        if trimmed.is_empty() || trimmed.trim_start().starts_with('#') || document_start {
            continue;
        }
        let read = Line::read(text).filter(Line::simple)?;
        // A line deeper than a closed value before it continues that value: not the simple style.
        if above
            .last()
            .is_some_and(|p: &Line| p.closed() && read.indent > p.content)
        {
            return None;
        }
        if read.value.starts_with(['|', '>']) {
            block_scalar = Some(read.content);
        }
        above.push(read);
    }
    let previous = above.last()?;
    let here = line.indent;
    // The parser stops at the key or at its `:`, depending on what came before.
    let at_line = column == here || column == separator;
    if at_line && here > previous.content && previous.closed() {
        let (sibling, _) = previous.key?;
        return Some(format!(
            "the indentation of this line ({}) does not match its siblings ({}): line `{key}:` up with \
             `{sibling}:` above it",
            spaces(here),
            spaces(previous.content)
        ));
    }
    if column != here || here >= previous.content {
        return None;
    }
    let levels = key_levels(&above);
    if levels.contains(&here) {
        return None;
    }
    let below = levels.iter().copied().filter(|&l| l < here).max();
    let over = levels.iter().copied().filter(|&l| l > here).min();
    let nearest = match (below, over) {
        (Some(b), Some(o)) if here - b < o - here => Some(b),
        (Some(b), Some(o)) if o - here < here - b => Some(o),
        (Some(b), Some(o)) => {
            return Some(format!(
                "the indentation of this line ({}) matches none of the keys above it ({b} and {o} spaces); \
                 line `{key}:` up with its siblings",
                spaces(here)
            ));
        }
        (one, other) => one.or(other),
    }?;
    Some(format!(
        "the indentation of this line ({}) does not match its siblings ({})",
        spaces(here),
        spaces(nearest)
    ))
}

/// The columns keys can stand at on the line after `above`: those of the mappings still open there.
fn key_levels(above: &[Line]) -> Vec<usize> {
    let mut levels = Vec::new();
    let mut limit = usize::MAX;
    for line in above.iter().rev() {
        if line.indent >= limit {
            continue; // inside an earlier sibling, or a sibling itself
        }
        if line.key.is_some() {
            levels.push(line.content);
        }
        // An item's mapping may be the value of a key at the dash's own column (`objectives:` then `- id: x`).
        limit = if line.item {
            line.indent + 1
        } else {
            line.indent
        };
        if limit == 0 {
            break;
        }
    }
    levels
}

fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".to_owned()
    } else {
        format!("{n} spaces")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The help okr gives for `text`, which must fail to parse.
    fn help_for(text: &str) -> Option<String> {
        let problems = crate::core::yaml::parse_str(text).problems;
        assert_eq!(problems.len(), 1, "{problems:#?}");
        problems[0].help.clone()
    }

    const HEAD: &str = "quarter: 2026-Q3\nteam: payments\nobjectives:\n  - id: boring-deploys\n";

    #[test]
    fn a_colon_in_an_unquoted_value_is_quoted() {
        let help = |line: &str| help_for(&format!("{HEAD}{line}\n    type: committed\n"));
        assert_eq!(
            help("    title: Ship it: faster").as_deref(),
            Some("quote the value: title: \"Ship it: faster\"")
        );
        // A comment stays out of the quotes; quotes and backslashes inside are escaped; the line may be an item.
        assert_eq!(
            help("    title: Ship \"it\": now\\ # a note: x").as_deref(),
            Some(r#"quote the value: title: "Ship \"it\": now\\""#)
        );
        assert_eq!(
            help_for("quarter: 2026-Q3\nobjectives:\n  - title: Café: ouvert\n").as_deref(),
            Some("quote the value: title: \"Café: ouvert\"")
        );
        assert_eq!(
            help_for("owner: Dana: lead: ops\n").as_deref(),
            Some("quote the value: owner: \"Dana: lead: ops\"")
        );
    }

    #[test]
    fn a_value_that_is_already_quoted_or_flow_gets_no_quoting_advice() {
        assert_eq!(help_for("owner: \"a\" : b\n"), None);
        assert_eq!(help_for("owner: \"Ship\" it: now\n"), None);
    }

    #[test]
    fn a_line_deeper_than_a_sibling_with_a_value_is_told_its_siblings_indentation() {
        assert_eq!(
            help_for(&format!("{HEAD}    title: Ship it\n     type: committed\n")).as_deref(),
            Some(
                "the indentation of this line (5 spaces) does not match its siblings (4 spaces): line \
                 `type:` up with `title:` above it"
            )
        );
        assert_eq!(
            help_for(&format!(
                "{HEAD}    title: \"Ship it\"\n      type: committed\n"
            ))
            .as_deref(),
            Some(
                "the indentation of this line (6 spaces) does not match its siblings (4 spaces): line \
                 `type:` up with `title:` above it"
            )
        );
        assert_eq!(
            help_for("quarter: 2026-Q3\n team: payments\n").as_deref(),
            Some(
                "the indentation of this line (1 space) does not match its siblings (0 spaces): line \
                 `team:` up with `quarter:` above it"
            )
        );
    }

    #[test]
    fn a_line_between_two_levels_is_told_the_nearer_one_or_both() {
        let nested = format!(
            "{HEAD}    title: Ship it\n    key_results:\n      - id: failed-deploys\n        title: Failed\n"
        );
        assert_eq!(
            help_for(&format!("{nested}       start: 12\n")).as_deref(),
            Some("the indentation of this line (7 spaces) does not match its siblings (8 spaces)")
        );
        assert_eq!(
            help_for(&format!("{nested}   type: committed\n")).as_deref(),
            Some("the indentation of this line (3 spaces) does not match its siblings (4 spaces)")
        );
        assert_eq!(
            help_for(&format!("{nested}      type: committed\n")).as_deref(),
            Some(
                "the indentation of this line (6 spaces) matches none of the keys above it (4 and 8 spaces); \
                 line `type:` up with its siblings"
            )
        );
        // A compact list, its items at the column of the key that holds them.
        assert_eq!(
            help_for("objectives:\n- id: x\n  title: a\n type: b\n").as_deref(),
            Some(
                "the indentation of this line (1 space) matches none of the keys above it (0 and 2 spaces); \
                 line `type:` up with its siblings"
            )
        );
    }

    #[test]
    fn the_lines_of_a_block_scalar_are_text_not_keys() {
        let text = "quarter: 2026-Q3\nnotes: |\n  text\n     y: z\n\n  - more: text\nmeta:\n    a: 1\n  b: 2\n";
        assert_eq!(
            help_for(text).as_deref(),
            Some(
                "the indentation of this line (2 spaces) matches none of the keys above it (0 and 4 spaces); \
                 line `b:` up with its siblings"
            )
        );
    }

    #[test]
    fn no_help_when_what_came_before_is_not_plain_block_style() {
        // A block scalar, a quoted value over two lines, a flow list over two lines, an anchor, a tab.
        for before in [
            "title: \"two\n  lines\"\n",
            "tags: [a,\n  b]\n",
            "base: &base\n  a: 1\n",
            "a:\n\tb: 1\n",
            "title: a plain value\n  over two lines\n",
        ] {
            let text = format!("quarter: 2026-Q3\n{before}meta:\n    a: 1\n  b: 2\n");
            let problems = crate::core::yaml::parse_str(&text).problems;
            assert!(
                problems.iter().all(|p| p.help.is_none()),
                "{before:?}: {problems:#?}"
            );
        }
    }

    /// The parser's positions are trusted as little as the text: any line and column, on any file, is safe.
    #[test]
    fn help_never_panics_wherever_the_error_is() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![
            "a:\r\n\u{feff}- é: ü: x\n\t- -\n- - a: b: c\n  x\n".to_owned(),
            String::new(),
        ];
        for folder in ["fixtures", "fuzz/regressions"] {
            for entry in walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                if entry
                    .path()
                    .extension()
                    .is_some_and(|e| e == "toml" || e == "md")
                {
                    continue;
                }
                let bytes = std::fs::read(entry.path()).unwrap();
                texts.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        for text in &texts {
            let lines: Vec<&str> = text.lines().collect();
            for line in 0..=lines.len() + 1 {
                let here = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
                let width = here.chars().count();
                // Where the heuristics look: the start, each colon, the end and past it.
                let colons = here.chars().enumerate().filter(|(_, c)| *c == ':');
                let columns = (0..8).chain(colons.map(|(i, _)| i)).chain(width..width + 2);
                for column in columns {
                    let _ = help(text, line, column);
                }
            }
        }
    }

    #[test]
    fn a_line_in_the_simple_style_is_read_with_its_columns() {
        let line = Line::read("  - title: Ship it # note").unwrap();
        assert_eq!(
            (
                line.indent,
                line.content,
                line.item,
                line.key,
                line.value,
                line.value_column
            ),
            (2, 4, true, Some(("title", 9)), "Ship it # note", 11)
        );
        assert_eq!(Line::read("  # a comment"), None);
        assert_eq!(Line::read(""), None);
        assert_eq!(Line::read("\"quoted\": key"), None);
        assert_eq!(Line::read("- -5").unwrap().value, "-5");
    }
}
