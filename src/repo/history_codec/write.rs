//! Writing a history: see the layout in [`super`].

use std::collections::HashMap;
use std::sync::Arc;

use gix::ObjectId;
use jiff::civil::Date;

use super::{CONTEXTS, DIRECTIONS, KINDS, SOURCES, STATUSES, TYPES, WORD_OPS, place};
use crate::core::change::{Change, Value, WordEdit, YamlReason};
use crate::core::diagnostic::Pos;
use crate::core::history::{Event, KickoffObjective, Summary};
use crate::core::model::Number;

/// The body as it is written, and the table of the strings it refers to.
#[derive(Default)]
pub(super) struct Writer<'h> {
    body: Vec<u8>,
    strings: HashMap<&'h str, u64>,
    table: Vec<&'h str>,
}

impl<'h> Writer<'h> {
    /// LEB128: most numbers here are small indices.
    pub(super) fn uint(&mut self, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.body.push(byte);
                return;
            }
            self.body.push(byte | 0x80);
        }
    }

    /// Zigzag, then [`Writer::uint`].
    pub(super) fn int(&mut self, value: i64) {
        self.uint(((value << 1) ^ (value >> 63)) as u64);
    }

    pub(super) fn flag(&mut self, value: bool) {
        self.body.push(u8::from(value));
    }

    pub(super) fn text(&mut self, text: &'h str) {
        let next = self.table.len() as u64;
        let index = *self.strings.entry(text).or_insert(next);
        if index == next {
            self.table.push(text);
        }
        self.uint(index);
    }

    pub(super) fn optional_text(&mut self, text: Option<&'h str>) {
        match text {
            None => self.flag(false),
            Some(text) => {
                self.flag(true);
                self.text(text);
            }
        }
    }

    /// An enum value by its place in `all`.
    pub(super) fn choice<T: PartialEq>(&mut self, all: &[T], value: &T) -> Option<()> {
        let at = place(all, value)?;
        self.uint(at);
        Some(())
    }

    /// The bits, so every value (a negative zero, a NaN) comes back as it was.
    pub(super) fn number(&mut self, number: Number) {
        self.body
            .extend_from_slice(&number.0.to_bits().to_le_bytes());
    }

    pub(super) fn date(&mut self, date: Date) {
        self.int(i64::from(date.year()));
        self.int(i64::from(date.month()));
        self.int(i64::from(date.day()));
    }

    pub(super) fn file(&mut self, (path, blob): &'h (Arc<str>, ObjectId)) {
        self.text(path);
        let bytes = blob.as_bytes();
        self.uint(bytes.len() as u64);
        self.body.extend_from_slice(bytes);
    }

    pub(super) fn indices(&mut self, list: &[usize]) {
        self.uint(list.len() as u64);
        for index in list {
            self.uint(*index as u64);
        }
    }

    pub(super) fn event(&mut self, event: &'h Event) -> Option<()> {
        let Event {
            change,
            commit,
            date,
            landed,
            author,
            message,
            mid_quarter,
            planned_late,
            requires_reason,
            reason,
            reason_source,
        } = event;
        self.change(change)?;
        for text in [commit, date, landed, author, message] {
            self.text(text);
        }
        for flag in [mid_quarter, planned_late, requires_reason] {
            self.flag(*flag);
        }
        self.optional_text(reason.as_deref());
        match reason_source {
            None => self.flag(false),
            Some(source) => {
                self.flag(true);
                self.choice(&SOURCES, source)?;
            }
        }
        Some(())
    }

    pub(super) fn change(&mut self, change: &'h Change) -> Option<()> {
        let Change {
            kind,
            path,
            quarter,
            team,
            objective,
            key_result,
            from,
            to,
            direction,
            words,
            previous_id,
            yaml_reason,
            pos,
            context,
        } = change;
        self.choice(&KINDS, kind)?;
        self.text(path);
        self.optional_text(quarter.as_deref());
        self.text(team);
        self.optional_text(objective.as_deref());
        self.optional_text(key_result.as_deref());
        self.value(from)?;
        self.value(to)?;
        match direction {
            None => self.flag(false),
            Some(direction) => {
                self.flag(true);
                self.choice(&DIRECTIONS, direction)?;
            }
        }
        match words {
            None => self.flag(false),
            Some(words) => {
                self.flag(true);
                self.uint(words.len() as u64);
                for WordEdit { op, text } in words {
                    self.choice(&WORD_OPS, op)?;
                    self.text(text);
                }
            }
        }
        self.optional_text(previous_id.as_deref());
        match yaml_reason {
            None => self.uint(0),
            Some(YamlReason::Dropped(text)) => {
                self.uint(1);
                self.text(text);
            }
            Some(YamlReason::Notes(text)) => {
                self.uint(2);
                self.text(text);
            }
        }
        let Pos { line, column } = pos;
        self.uint(u64::from(*line));
        self.uint(u64::from(*column));
        self.choice(&CONTEXTS, context)
    }

    pub(super) fn value(&mut self, value: &'h Value) -> Option<()> {
        match value {
            Value::None => self.uint(0),
            Value::Number(number) => {
                self.uint(1);
                self.number(*number);
            }
            Value::Bool(flag) => {
                self.uint(2);
                self.flag(*flag);
            }
            Value::Text(text) => {
                self.uint(3);
                self.text(text);
            }
            Value::Status(status) => {
                self.uint(4);
                self.choice(&STATUSES, status)?;
            }
            Value::Type(kind) => {
                self.uint(5);
                self.choice(&TYPES, kind)?;
            }
        }
        Some(())
    }

    pub(super) fn summary(&mut self, summary: &'h Summary) {
        let Summary {
            kickoff,
            planned_late,
            added_after_kickoff,
            dropped,
            removed,
            made_easier,
            made_harder,
            other_pivots,
            check_ins,
        } = summary;
        self.uint(kickoff.len() as u64);
        for KickoffObjective {
            team,
            objective,
            title,
            key_results,
        } in kickoff
        {
            self.text(team);
            self.text(objective);
            self.text(title);
            self.uint(*key_results as u64);
        }
        for list in [
            planned_late,
            added_after_kickoff,
            dropped,
            removed,
            made_easier,
            made_harder,
            other_pivots,
        ] {
            self.indices(list);
        }
        self.uint(*check_ins as u64);
    }

    /// The string table, then the body.
    pub(super) fn finish(self) -> Vec<u8> {
        let size: usize = self.table.iter().map(|s| s.len() + 2).sum();
        let mut head = Writer {
            body: Vec::with_capacity(size + self.body.len() + 16),
            ..Writer::default()
        };
        head.uint(self.table.len() as u64);
        for text in &self.table {
            head.uint(text.len() as u64);
            head.body.extend_from_slice(text.as_bytes());
        }
        head.body.extend_from_slice(&self.body);
        head.body
    }
}
