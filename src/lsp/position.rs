//! Positions between okr and the protocol. okr counts lines from 1 and columns from 1 in characters, without a
//! byte order mark (as the YAML parser does, [`crate::core::locate`]); the protocol counts both from 0 and
//! columns in UTF-16 code units, with every character of the line the client holds, a byte order mark
//! included. A position past the end of its line means the end of the line, both ways.

use lsp_types::Position;

use crate::core::diagnostic::Pos;
use crate::core::locate::LineIndex;

/// The text of one document, indexed by line once, so each position is found in the time its line takes.
pub struct Lines<'a> {
    index: LineIndex<'a>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            index: LineIndex::new(text),
        }
    }

    /// The lines as okr's positions count them, for [`crate::core::locate`].
    pub fn index(&self) -> &LineIndex<'a> {
        &self.index
    }

    /// Line `index` (0-based) as the client sees it: with a byte order mark, without its line ending.
    fn line(&self, index: u32) -> Option<&'a str> {
        self.index.raw(index as usize).map(|(_, line)| line)
    }

    /// Characters the parser does not count at the start of line `index`: a byte order mark opening the text.
    fn uncounted(&self, index: u32) -> usize {
        usize::from(index == 0 && self.index.text().starts_with('\u{feff}'))
    }

    /// okr's position as the protocol's.
    pub fn position(&self, pos: Pos) -> Position {
        let index = pos.line.saturating_sub(1);
        let Some(line) = self.line(index) else {
            return self.end();
        };
        let skip = self.uncounted(index) + pos.column.saturating_sub(1) as usize;
        let character: usize = line.chars().take(skip).map(char::len_utf16).sum();
        Position::new(index, to_u32(character))
    }

    /// The protocol's position as okr's. A position inside a character's UTF-16 pair is that character's.
    pub fn pos(&self, position: Position) -> Pos {
        let Some(line) = self.line(position.line) else {
            return Pos::new(position.line.saturating_add(1), 1);
        };
        let mut units = 0usize;
        let mut chars = 0usize;
        for c in line.chars() {
            if units + c.len_utf16() > position.character as usize {
                break;
            }
            units += c.len_utf16();
            chars += 1;
        }
        let counted = chars.saturating_sub(self.uncounted(position.line));
        Pos::new(position.line.saturating_add(1), to_u32(counted + 1))
    }

    /// The end of line `index` (0-based), or of the text past its last line.
    pub fn end_of_line(&self, index: u32) -> Position {
        match self.line(index) {
            Some(line) => Position::new(index, to_u32(line.encode_utf16().count())),
            None => self.end(),
        }
    }

    /// The end of the text.
    pub fn end(&self) -> Position {
        let last = self.index.count().saturating_sub(1);
        self.end_of_line_known(to_u32(last))
    }

    fn end_of_line_known(&self, index: u32) -> Position {
        let line = self.line(index).unwrap_or_default();
        Position::new(index, to_u32(line.encode_utf16().count()))
    }

    /// The protocol's position of byte `offset` of the text (an edit's start or end): a byte inside a line
    /// ending or a character is taken as the end of the line or the start of the character.
    pub fn position_of_offset(&self, offset: usize) -> Position {
        // The last line starting at or before `offset`, found by halving.
        let (mut low, mut high) = (0, self.index.count());
        while low < high {
            let middle = low + (high - low) / 2;
            if self
                .index
                .raw(middle)
                .is_some_and(|(start, _)| start <= offset)
            {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let index = low.saturating_sub(1);
        let Some((start, content)) = self.index.raw(index) else {
            return self.end();
        };
        let within = offset.saturating_sub(start).min(content.len());
        let character: usize = content
            .char_indices()
            .take_while(|&(at, _)| at < within)
            .map(|(_, c)| c.len_utf16())
            .sum();
        Position::new(to_u32(index), to_u32(character))
    }

    /// The byte offset of the protocol's `position`, for applying a ranged change to the text.
    pub fn offset(&self, position: Position) -> usize {
        let Some((start, content)) = self.index.raw(position.line as usize) else {
            return self.index.text().len();
        };
        let mut units = 0usize;
        for (at, c) in content.char_indices() {
            if units >= position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + content.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_for_the_protocol() {
        // 🚀 is two UTF-16 units, 東 and é one each.
        let text = "title: 🚀 東京 é\ntaget: 2\n";
        let lines = Lines::new(text);
        assert_eq!(lines.position(Pos::new(1, 8)), Position::new(0, 7));
        assert_eq!(lines.position(Pos::new(1, 10)), Position::new(0, 10));
        assert_eq!(lines.position(Pos::new(1, 13)), Position::new(0, 13));
        assert_eq!(lines.pos(Position::new(0, 10)), Pos::new(1, 10));
        // Inside the pair of 🚀: the rocket itself.
        assert_eq!(lines.pos(Position::new(0, 8)), Pos::new(1, 8));
        assert_eq!(lines.position(Pos::new(2, 1)), Position::new(1, 0));
    }

    #[test]
    fn a_byte_order_mark_is_a_column_for_the_client_only() {
        let lines = Lines::new("\u{feff}quarter: x\r\nteam: y\r\n");
        assert_eq!(lines.position(Pos::new(1, 1)), Position::new(0, 1));
        assert_eq!(lines.pos(Position::new(0, 1)), Pos::new(1, 1));
        assert_eq!(lines.position(Pos::new(2, 7)), Position::new(1, 6));
        assert_eq!(lines.end_of_line(1), Position::new(1, 7));
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let lines = Lines::new("ab\ncd");
        assert_eq!(lines.position(Pos::new(1, 50)), Position::new(0, 2));
        assert_eq!(lines.position(Pos::new(9, 1)), Position::new(1, 2));
        assert_eq!(lines.pos(Position::new(0, 99)), Pos::new(1, 3));
        assert_eq!(lines.end(), Position::new(1, 2));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_for_the_parser_and_the_client() {
        let lines = Lines::new("a: 1\rteam: é\r\rx");
        assert_eq!(lines.position(Pos::new(2, 7)), Position::new(1, 6));
        assert_eq!(lines.end_of_line(1), Position::new(1, 7));
        assert_eq!(lines.position(Pos::new(4, 1)), Position::new(3, 0));
        assert_eq!(lines.end(), Position::new(3, 1));
        assert_eq!(lines.pos(Position::new(1, 6)), Pos::new(2, 7));
        assert_eq!(lines.offset(Position::new(1, 7)), 13);
        assert_eq!(lines.offset(Position::new(3, 0)), 15);
    }

    /// Positions as they were found before the index: by reading the text from its start each time.
    mod scan {
        use super::*;
        use crate::core::locate::lines;

        fn line(text: &str, index: u32) -> Option<&str> {
            lines(text).nth(index as usize).map(|(_, line)| line)
        }

        fn skip(text: &str, index: u32) -> usize {
            usize::from(index == 0 && text.starts_with('\u{feff}'))
        }

        fn end(text: &str) -> Position {
            let last = to_u32(lines(text).count() - 1);
            Position::new(
                last,
                to_u32(line(text, last).unwrap().encode_utf16().count()),
            )
        }

        pub fn position(text: &str, pos: Pos) -> Position {
            let index = pos.line.saturating_sub(1);
            let Some(line) = line(text, index) else {
                return end(text);
            };
            let skip = skip(text, index) + pos.column.saturating_sub(1) as usize;
            Position::new(
                index,
                to_u32(line.chars().take(skip).map(char::len_utf16).sum()),
            )
        }

        pub fn pos(text: &str, position: Position) -> Pos {
            let Some(line) = line(text, position.line) else {
                return Pos::new(position.line + 1, 1);
            };
            let (mut units, mut chars) = (0, 0);
            for c in line.chars() {
                if units + c.len_utf16() > position.character as usize {
                    break;
                }
                units += c.len_utf16();
                chars += 1;
            }
            let counted = chars - skip(text, position.line).min(chars);
            Pos::new(position.line + 1, to_u32(counted + 1))
        }

        pub fn offset(text: &str, position: Position) -> usize {
            let Some((start, content)) = lines(text).nth(position.line as usize) else {
                return text.len();
            };
            let mut units = 0;
            for (at, c) in content.char_indices() {
                if units >= position.character as usize {
                    return start + at;
                }
                units += c.len_utf16();
            }
            start + content.len()
        }
    }

    #[test]
    fn the_line_index_places_every_position_as_reading_the_text_did() {
        let texts = [
            "",
            "\n",
            "a",
            "quarter: 2026-Q3\r\nteam: é\r\n",
            "a: 1\rb: 🚀\r\rc\r",
            "\u{feff}id: 東京\n\r\n\rx: 🚀é\n",
            "mixed\r\nends\nhere\rand\n\n",
            "no final break: ✓",
        ];
        for text in texts {
            let lines = Lines::new(text);
            for line in 0..8u32 {
                for column in 0..12u32 {
                    let at = Position::new(line, column);
                    assert_eq!(lines.pos(at), scan::pos(text, at), "{text:?} {at:?}");
                    assert_eq!(lines.offset(at), scan::offset(text, at), "{text:?} {at:?}");
                    let pos = Pos::new(line, column);
                    assert_eq!(
                        lines.position(pos),
                        scan::position(text, pos),
                        "{text:?} {pos:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn byte_offsets_become_the_positions_they_came_from() {
        let text = "\u{feff}é🚀x\r\nyz\rw\n";
        let lines = Lines::new(text);
        for line in 0..4u32 {
            for character in 0..8u32 {
                let offset = lines.offset(Position::new(line, character));
                let back = lines.position_of_offset(offset);
                assert_eq!(lines.offset(back), offset, "{line}:{character}");
            }
        }
        assert_eq!(lines.position_of_offset(3 + 2 + 4), Position::new(0, 4));
        assert_eq!(lines.position_of_offset(text.len()), Position::new(3, 0));
    }

    #[test]
    fn offsets_are_bytes_of_utf16_positions() {
        let text = "é🚀x\r\nyz";
        let lines = Lines::new(text);
        assert_eq!(lines.offset(Position::new(0, 1)), 2);
        assert_eq!(lines.offset(Position::new(0, 3)), 6);
        assert_eq!(lines.offset(Position::new(0, 9)), 7);
        assert_eq!(lines.offset(Position::new(1, 1)), 10);
        assert_eq!(lines.offset(Position::new(5, 0)), text.len());
    }
}
