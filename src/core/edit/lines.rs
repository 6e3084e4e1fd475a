//! Where the lines of a file are after an edit: a field inserted on a line of its own moves every line after
//! it down one. Findings of the old text are told from new ones by their lines moved this way, since a
//! finding that names a line (`first at line 15`) would otherwise look new when only its line moved.

use super::place::Splice;
use crate::core::diagnostic::replace_line_numbers;

/// Each line of the old text's number in the new text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    /// Indexed by old line number − 1; `None` for a line an edit wrote over (the middle of a block note
    /// replaced by one line).
    lines: Vec<Option<u32>>,
}

impl LineMap {
    /// The map of `text` edited by `splices` (sorted, not overlapping).
    pub(crate) fn new(text: &str, splices: &[Splice]) -> LineMap {
        let lines = line_starts(text)
            .into_iter()
            .zip(1u32..)
            .map(|(start, line)| {
                let mut moved = i64::from(line);
                for splice in splices {
                    let (from, to) = (splice.range.start, splice.range.end);
                    let shift = breaks(&splice.text) as i64 - breaks(&text[from..to]) as i64;
                    if from < start && start < to {
                        return None;
                    }
                    // A line from the end of a replacement on, or a line something is inserted before.
                    if start >= to && (from < to || start >= from) {
                        moved += shift;
                    }
                }
                u32::try_from(moved).ok()
            })
            .collect();
        LineMap { lines }
    }

    /// The line an old line is on in the new text; `None` when it was written over.
    pub fn line(&self, old: u32) -> Option<u32> {
        let index = usize::try_from(old.checked_sub(1)?).ok()?;
        self.lines.get(index).copied().flatten()
    }

    /// `message` with every `line N` in it moved as its line moved (`first at line 15` → `first at line 16`),
    /// so it reads as the same finding of the new text would.
    pub fn message(&self, message: &str) -> String {
        replace_line_numbers(message, |digits| {
            match digits.parse().ok().and_then(|old| self.line(old)) {
                Some(new) => new.to_string(),
                None => digits.to_owned(),
            }
        })
    }
}

/// The offset of each line's first character.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        if ends_line && at + 1 < bytes.len() {
            starts.push(at + 1);
        }
    }
    starts
}

/// How many line breaks `text` holds: `\r\n`, `\n` or a lone `\r`, each one.
fn breaks(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(range: std::ops::Range<usize>, text: &str) -> Splice {
        Splice {
            range,
            text: text.to_owned(),
        }
    }

    #[test]
    fn lines_after_an_inserted_line_move_down_and_lines_before_stay() {
        let text = "a: 1\nb: 2\nc: 3\n";
        // A line inserted at the start of line 2, and a value replaced on line 3.
        let map = LineMap::new(text, &[splice(5..5, "x: 0\n"), splice(13..14, "4")]);
        assert_eq!(
            (1..=4).map(|l| map.line(l)).collect::<Vec<_>>(),
            [Some(1), Some(3), Some(4), None]
        );
        assert_eq!(
            map.message("id `a` is used twice (first at line 2)"),
            "id `a` is used twice (first at line 3)"
        );
    }

    #[test]
    fn lines_a_replacement_writes_over_are_gone_and_later_ones_move_up() {
        let text = "n: >-\r\n  one\r\n  two\r\nm: 1\r\n";
        let map = LineMap::new(text, &[splice(3..19, "\"x\"")]);
        assert_eq!(
            (1..=4).map(|l| map.line(l)).collect::<Vec<_>>(),
            [Some(1), None, None, Some(2)]
        );
    }
}
