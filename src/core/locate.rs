//! Where things are in an OKR file's text: the line a position is on, how far the token written at a position
//! reaches, and which objective, key result or `aligns_to` lies under a position. Pure: for the caret under a
//! finding in the terminal and for an editor asking what is under its cursor.
//!
//! Lines and columns are counted as the YAML parser counts them: lines end at `\r\n`, `\n` or a lone `\r`
//! (none of which is part of the line), columns are 1-based and count characters, and a byte order mark
//! opening the file is no column.

use crate::core::diagnostic::Pos;
use crate::core::model::{OkrFile, Spanned, Text};

/// A stretch of one line, from `start` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    /// Whether `pos` is in the span or just after it (where a cursor stands after typing the last character).
    pub fn touches(&self, pos: Pos) -> bool {
        pos.line == self.start.line
            && pos.column >= self.start.column
            && pos.column <= self.end.column
    }
}

/// The lines of `text` as the YAML parser counts them, each with the byte offset it starts at: a line ends at
/// `\r\n`, `\n` or a lone `\r`, none of which is part of it. A text ending in a line break ends with an empty
/// line; an empty text is one empty line.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut next = Some(0);
    std::iter::from_fn(move || {
        let start = next?;
        let rest = &text[start..];
        match rest.find(['\r', '\n']) {
            Some(at) => {
                let ending = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
                next = Some(start + at + ending);
                Some((start, &rest[..at]))
            }
            None => {
                next = None;
                Some((start, rest))
            }
        }
    })
}

/// The lines of one text, found once ([`lines`]), so that each position after is found without reading the
/// text again: a file of thousands of objectives has thousands of positions to place.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Where each line starts and where its text ends (before its line ending), in bytes.
    lines: Vec<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let lines = lines(text)
            .map(|(start, line)| (start, start + line.len()))
            .collect();
        LineIndex { text, lines }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// How many lines the text has: at least one.
    pub fn count(&self) -> usize {
        self.lines.len()
    }

    /// Line `index` (0-based) as written, a byte order mark included, without its line ending; with the byte
    /// offset it starts at.
    pub fn raw(&self, index: usize) -> Option<(usize, &'a str)> {
        let &(start, end) = self.lines.get(index)?;
        Some((start, &self.text[start..end]))
    }

    /// Line `number` (1-based), without its line ending and, on the first line, without a byte order mark;
    /// `None` past the last line.
    pub fn line(&self, number: u32) -> Option<&'a str> {
        let index = usize::try_from(number.checked_sub(1)?).ok()?;
        let (_, line) = self.raw(index)?;
        Some(if index == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        })
    }
}

/// Where the token starting at byte `start` of `line` ends: at whitespace, `,`, `]`, `}`, a `:` that ends a
/// key, or the end of the line; it is at least one character long unless the line ends at `start`.
pub fn token_end(line: &str, start: usize) -> usize {
    let Some(rest) = line.get(start..) else {
        return line.len();
    };
    let mut chars = rest.char_indices().peekable();
    let mut end = rest.len();
    while let Some((i, c)) = chars.next() {
        let ends_key = c == ':' && chars.peek().is_none_or(|&(_, next)| next.is_whitespace());
        if c.is_whitespace() || matches!(c, ',' | ']' | '}') || ends_key {
            end = i;
            break;
        }
    }
    if end == 0 {
        end = rest.chars().next().map_or(0, char::len_utf8);
    }
    start + end
}

/// The token written at `pos` in the text of `lines`, as [`token_end`] delimits it. A position past the end of
/// its line (or of the text) gives an empty span there.
pub fn token_at(lines: &LineIndex<'_>, pos: Pos) -> Span {
    let empty = Span {
        start: pos,
        end: pos,
    };
    let Some(line) = lines.line(pos.line) else {
        return empty;
    };
    let wanted = pos.column.max(1) as usize - 1;
    let Some((start, _)) = line.char_indices().nth(wanted) else {
        return empty;
    };
    let end = token_end(line, start);
    let width = line[start..end].chars().count();
    Span {
        start: pos,
        end: Pos::new(pos.line, pos.column.saturating_add(width as u32)),
    }
}

/// What lies under a position, by index into the file's objectives and their key results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The `id` of objective `.0`.
    Objective(usize),
    /// The `id` of key result `.1` of objective `.0`.
    KeyResult(usize, usize),
    /// The `aligns_to` of objective `.0`.
    Alignment(usize),
}

/// The objective id, key result id or `aligns_to` value under `pos`, if any.
pub fn place_at(file: &OkrFile, lines: &LineIndex<'_>, pos: Pos) -> Option<Place> {
    let under = |value: Option<Pos>| value.is_some_and(|at| token_at(lines, at).touches(pos));
    for (o, objective) in file.objectives.iter().enumerate() {
        if under(id_pos(&objective.id)) {
            return Some(Place::Objective(o));
        }
        if under(objective.aligns_to.as_ref().map(|a| a.pos)) {
            return Some(Place::Alignment(o));
        }
        for (k, key_result) in objective.key_results.iter().enumerate() {
            if under(id_pos(&key_result.id)) {
                return Some(Place::KeyResult(o, k));
            }
        }
    }
    None
}

fn id_pos(id: &Option<Spanned<Text>>) -> Option<Pos> {
    id.as_ref().map(|id| id.pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::parse;

    const FILE: &str = "\u{feff}quarter: 2026-Q3\r\nteam: platform\r\nobjectives:\r\n  - id: boring-deploys\r\n    \
                        title: Make deploys boring\r\n    aligns_to: company/trust\r\n    key_results:\r\n      \
                        - id: failed-deploys\r\n        title: Failed deploys\r\n        start: 12\r\n        \
                        target: 2\r\n";

    #[test]
    fn lines_lose_their_endings_and_the_byte_order_mark() {
        let lines = LineIndex::new(FILE);
        let line = |n| lines.line(n);
        assert_eq!(line(1), Some("quarter: 2026-Q3"));
        assert_eq!(line(4), Some("  - id: boring-deploys"));
        assert_eq!(line(12), Some(""));
        assert_eq!(line(13), None);
        assert_eq!(line(0), None);
    }

    #[test]
    fn lines_end_at_crlf_lf_and_a_lone_cr_as_the_parser_counts_them() {
        let text = "a\rb\r\nc\nd\r\r";
        let all: Vec<(usize, &str)> = lines(text).collect();
        assert_eq!(
            all,
            [(0, "a"), (2, "b"), (5, "c"), (7, "d"), (9, ""), (10, "")]
        );
        assert_eq!(lines("").collect::<Vec<_>>(), [(0, "")]);
        let index = LineIndex::new(text);
        assert_eq!(index.line(2), Some("b"));
        assert_eq!(index.line(4), Some("d"));
        assert_eq!(index.line(7), None);
        // The parser's lines are these lines.
        let okr = parse("p.yaml", b"quarter: 2026-Q3\rteam: platform\r".to_vec())
            .okr
            .unwrap();
        assert_eq!(okr.team.unwrap().pos, Pos::new(2, 7));
    }

    #[test]
    fn tokens_end_at_spaces_and_key_colons_and_count_characters() {
        assert_eq!(
            token_at(&LineIndex::new("a: b c\n"), Pos::new(1, 1)).end,
            Pos::new(1, 2)
        );
        assert_eq!(
            token_at(&LineIndex::new("a: b c\n"), Pos::new(1, 4)).end,
            Pos::new(1, 5)
        );
        assert_eq!(
            token_at(&LineIndex::new("t: 🚀 é\n"), Pos::new(1, 4)).end,
            Pos::new(1, 5)
        );
        assert_eq!(
            token_at(&LineIndex::new("id: 東京-x\n"), Pos::new(1, 5)).end,
            Pos::new(1, 9)
        );
        // Past the end of a line or of the text: empty.
        assert_eq!(
            token_at(&LineIndex::new("a\n"), Pos::new(1, 9)).end,
            Pos::new(1, 9)
        );
        assert_eq!(
            token_at(&LineIndex::new("a\n"), Pos::new(7, 1)).end,
            Pos::new(7, 1)
        );
        assert_eq!(token_end("ab", 5), 2);
    }

    #[test]
    fn ids_and_alignments_are_found_under_a_position() {
        let okr = parse("p.yaml", FILE.as_bytes().to_vec()).okr.unwrap();
        assert_eq!(
            place_at(&okr, &LineIndex::new(FILE), Pos::new(4, 9)),
            Some(Place::Objective(0))
        );
        // Just after the id, where the cursor stands after typing it.
        assert_eq!(
            place_at(&okr, &LineIndex::new(FILE), Pos::new(4, 23)),
            Some(Place::Objective(0))
        );
        assert_eq!(
            place_at(&okr, &LineIndex::new(FILE), Pos::new(6, 20)),
            Some(Place::Alignment(0))
        );
        assert_eq!(
            place_at(&okr, &LineIndex::new(FILE), Pos::new(8, 15)),
            Some(Place::KeyResult(0, 0))
        );
        assert_eq!(place_at(&okr, &LineIndex::new(FILE), Pos::new(5, 15)), None);
        assert_eq!(place_at(&okr, &LineIndex::new(FILE), Pos::new(4, 3)), None);
    }
}
