//! Reading a history back: see the layout in [`super`].

use std::sync::Arc;

use gix::ObjectId;
use jiff::civil::Date;

use super::{CONTEXTS, DIRECTIONS, KINDS, SOURCES, STATUSES, TYPES, WORD_OPS};
use crate::core::change::{Change, Value, WordEdit, YamlReason};
use crate::core::diagnostic::Pos;
use crate::core::history::{Event, KickoffObjective, Summary};
use crate::core::model::Number;

/// The unread rest of what [`Writer`] wrote, and its string table.
pub(super) struct Reader<'b> {
    input: &'b [u8],
    strings: Vec<Arc<str>>,
}

impl<'b> Reader<'b> {
    pub(super) fn new(input: &'b [u8]) -> Option<Reader<'b>> {
        let mut reader = Reader {
            input,
            strings: Vec::new(),
        };
        let count = reader.count()?;
        reader.strings.reserve(count);
        for _ in 0..count {
            let len = reader.count()?;
            let text = std::str::from_utf8(reader.take(len)?).ok()?;
            reader.strings.push(Arc::from(text));
        }
        Some(reader)
    }

    pub(super) fn take(&mut self, count: usize) -> Option<&'b [u8]> {
        if count > self.input.len() {
            return None;
        }
        let (taken, rest) = self.input.split_at(count);
        self.input = rest;
        Some(taken)
    }

    pub(super) fn at_end(&self) -> bool {
        self.input.is_empty()
    }

    pub(super) fn uint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.input.split_first()?;
            self.input = rest;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A length: no larger than what is left to read could hold (each item takes a byte at least), so a
    /// damaged length cannot make a reader reserve memory for it.
    pub(super) fn count(&mut self) -> Option<usize> {
        let value = usize::try_from(self.uint()?).ok()?;
        (value <= self.input.len()).then_some(value)
    }

    /// An index or a number of things held elsewhere.
    pub(super) fn index(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    pub(super) fn int(&mut self) -> Option<i64> {
        let value = self.uint()?;
        Some(((value >> 1) as i64) ^ -((value & 1) as i64))
    }

    pub(super) fn flag(&mut self) -> Option<bool> {
        match self.take(1)?[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub(super) fn text(&mut self) -> Option<Arc<str>> {
        let index = self.index()?;
        self.strings.get(index).cloned()
    }

    pub(super) fn string(&mut self) -> Option<String> {
        let index = self.index()?;
        self.strings.get(index).map(|s| s.to_string())
    }

    pub(super) fn optional_string(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? {
            Some(self.string()?)
        } else {
            None
        })
    }

    pub(super) fn choice<T: Copy>(&mut self, all: &[T]) -> Option<T> {
        let at = self.index()?;
        all.get(at).copied()
    }

    pub(super) fn optional_choice<T: Copy>(&mut self, all: &[T]) -> Option<Option<T>> {
        Some(if self.flag()? {
            Some(self.choice(all)?)
        } else {
            None
        })
    }

    pub(super) fn number(&mut self) -> Option<Number> {
        let bits = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
        Some(Number(f64::from_bits(bits)))
    }

    pub(super) fn date(&mut self) -> Option<Date> {
        let year = i16::try_from(self.int()?).ok()?;
        let month = i8::try_from(self.int()?).ok()?;
        let day = i8::try_from(self.int()?).ok()?;
        Date::new(year, month, day).ok()
    }

    pub(super) fn file(&mut self) -> Option<(Arc<str>, ObjectId)> {
        let path = self.text()?;
        let len = self.count()?;
        let blob = ObjectId::try_from(self.take(len)?).ok()?;
        Some((path, blob))
    }

    pub(super) fn indices(&mut self) -> Option<Vec<usize>> {
        (0..self.count()?).map(|_| self.index()).collect()
    }

    pub(super) fn event(&mut self) -> Option<Event> {
        let change = self.change()?;
        Some(Event {
            change,
            commit: self.text()?,
            date: self.text()?,
            landed: self.text()?,
            author: self.text()?,
            message: self.text()?,
            mid_quarter: self.flag()?,
            planned_late: self.flag()?,
            requires_reason: self.flag()?,
            reason: self.optional_string()?,
            reason_source: self.optional_choice(&SOURCES)?,
        })
    }

    pub(super) fn change(&mut self) -> Option<Change> {
        Some(Change {
            kind: self.choice(&KINDS)?,
            path: self.string()?,
            quarter: self.optional_string()?,
            team: self.string()?,
            objective: self.optional_string()?,
            key_result: self.optional_string()?,
            from: self.value()?,
            to: self.value()?,
            direction: self.optional_choice(&DIRECTIONS)?,
            words: if self.flag()? {
                let count = self.count()?;
                let mut words = Vec::with_capacity(count);
                for _ in 0..count {
                    words.push(WordEdit {
                        op: self.choice(&WORD_OPS)?,
                        text: self.string()?,
                    });
                }
                Some(words)
            } else {
                None
            },
            previous_id: self.optional_string()?,
            yaml_reason: match self.uint()? {
                0 => None,
                1 => Some(YamlReason::Dropped(self.string()?)),
                2 => Some(YamlReason::Notes(self.string()?)),
                _ => return None,
            },
            pos: Pos {
                line: u32::try_from(self.uint()?).ok()?,
                column: u32::try_from(self.uint()?).ok()?,
            },
            context: self.choice(&CONTEXTS)?,
        })
    }

    pub(super) fn value(&mut self) -> Option<Value> {
        Some(match self.uint()? {
            0 => Value::None,
            1 => Value::Number(self.number()?),
            2 => Value::Bool(self.flag()?),
            3 => Value::Text(self.string()?),
            4 => Value::Status(self.choice(&STATUSES)?),
            5 => Value::Type(self.choice(&TYPES)?),
            _ => return None,
        })
    }

    pub(super) fn summary(&mut self) -> Option<Summary> {
        let count = self.count()?;
        let mut kickoff = Vec::with_capacity(count);
        for _ in 0..count {
            kickoff.push(KickoffObjective {
                team: self.string()?,
                objective: self.string()?,
                title: self.string()?,
                key_results: self.index()?,
            });
        }
        Some(Summary {
            kickoff,
            planned_late: self.indices()?,
            added_after_kickoff: self.indices()?,
            dropped: self.indices()?,
            removed: self.indices()?,
            made_easier: self.indices()?,
            made_harder: self.indices()?,
            other_pivots: self.indices()?,
            check_ins: self.index()?,
        })
    }
}
