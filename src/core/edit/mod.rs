//! Check-ins written into an OKR file in place: only the characters of the values that change are replaced,
//! and a field a key result lacks is inserted where a person would write it. Comments, key order, quoting,
//! blank lines, indentation and line endings stay byte for byte.
//!
//! Every edit is checked before it is handed back: the new text must parse to the model of the old one with
//! exactly the values asked for changed. An edit that would read back as anything else is refused, never
//! written — so a file laid out in a way the engine does not foresee costs a refusal, not a corrupted file.
//! (Whether the result is a *valid* OKR file, with the other files of the quarter, is the caller's check.)

use std::fmt;

use crate::core::model::{KeyResult, Number, OkrFile, Spanned, Text};
use crate::core::parse;

mod check;
mod lines;
pub(crate) mod place;
pub(crate) mod scalar;
pub(crate) mod spans;
#[cfg(test)]
mod tests;

pub use lines::LineMap;
pub use place::Splice;

/// A key result's progress: a metric's new `current`, or a milestone's `done`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    Value(Number),
    Done(bool),
}

impl Progress {
    /// A value as the command line takes it: a number for a metric, `done` or `not-done` for a milestone.
    pub fn parse(text: &str) -> Result<Progress, String> {
        match text.trim() {
            "done" => Ok(Progress::Done(true)),
            "not-done" => Ok(Progress::Done(false)),
            number => match parse_number(number) {
                Ok(value) => Ok(Progress::Value(value)),
                Err(NumberError::Inexact) => Err(NumberError::Inexact.message(text)),
                Err(NumberError::NotANumber) => Err(format!(
                    "`{text}` is not a value\nhelp: write a number for a metric (e.g. `5`, `0.75`), or `done` or \
                     `not-done` for a milestone"
                )),
            },
        }
    }
}

/// Why text typed for a number is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    /// A number a float cannot hold exactly (`0.1000000000000000001`, an integer of 20 digits, `1e400`): it
    /// would be written rounded.
    Inexact,
}

impl NumberError {
    /// The message for `text`, with a help line for the inexact.
    pub fn message(self, text: &str) -> String {
        match self {
            NumberError::NotANumber => format!("`{text}` is not a number"),
            NumberError::Inexact => format!(
                "`{text}` cannot be kept exactly: okr keeps numbers as floats (about 15 significant digits, at \
                 most about 1.8e308), and this one would be written rounded\nhelp: write it with fewer digits"
            ),
        }
    }
}

/// A number typed on the command line or at a prompt: finite, and exactly as typed (see [`NumberError`]).
pub fn parse_number(text: &str) -> Result<Number, NumberError> {
    let text = text.trim();
    match scalar::exact_number(text) {
        Some(number) => Ok(number),
        None if text.parse::<f64>().is_ok() && !text.contains(['i', 'I', 'n', 'N']) => {
            Err(NumberError::Inexact)
        }
        None => Err(NumberError::NotANumber),
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Progress::Value(number) => f.write_str(&scalar::number(*number)),
            Progress::Done(true) => f.write_str("done"),
            Progress::Done(false) => f.write_str("not-done"),
        }
    }
}

/// What to set on one key result. `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultEdit {
    pub objective: String,
    pub key_result: String,
    pub progress: Option<Progress>,
    pub confidence: Option<Number>,
    pub note: Option<String>,
}

/// The fields a check-in sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Current,
    /// The share done of a key result measured so: set in place, never added.
    Progress,
    Done,
    Confidence,
    Notes,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Current => "current",
            Field::Progress => "progress",
            Field::Done => "done",
            Field::Confidence => "confidence",
            Field::Notes => "notes",
        }
    }

    /// The fields a new one is written after, the nearest first: a person writes `current` under `target`,
    /// `confidence` under `current`, notes under those. `None` for `done`, which a check-in never adds: a key
    /// result without it is not a milestone, and a check-in does not change what a key result is.
    fn after(self) -> Option<&'static [&'static str]> {
        match self {
            Field::Current => Some(&["target", "start"]),
            Field::Progress | Field::Done => None,
            Field::Confidence => Some(&["current", "done", "target", "start"]),
            Field::Notes => Some(&["confidence", "current", "done", "target", "start"]),
        }
    }
}

/// Why an edit was not made. Nothing was changed.
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    /// The file does not parse, so there is nothing to edit in place.
    Unreadable(String),
    NotFound {
        objective: String,
        key_result: String,
    },
    /// The value is written in a way the engine does not edit (an alias, a list).
    Unsupported(String),
    /// The edited text would not read back as asked: refused rather than written.
    Unsafe(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Unreadable(why) => write!(
                f,
                "the file cannot be read as YAML: {why}\nhelp: fix the file (`okr validate` shows its \
                 problems), then check in again"
            ),
            EditError::NotFound {
                objective,
                key_result,
            } => write!(f, "no key result `{objective}/{key_result}` in the file"),
            EditError::Unsupported(why) => f.write_str(why),
            EditError::Unsafe(why) => write!(
                f,
                "okr could not make this edit in place safely ({why}), so the file is left as it was\nhelp: set \
                 the value by hand, and please report this with the file: it is a bug in okr"
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// `text` with `edits` made in place. Fields already holding the asked value are left untouched, so an edit
/// that changes nothing returns `text` as it was.
///
/// The new text is always read back first ([`check::read_back`]): it must mean the old file with exactly the
/// asked values set. A value the file's rules refuse (a confidence of 3) passes that check when the text
/// says exactly it, and is handed back for the caller's validation, which must refuse it.
pub fn apply(text: &str, edits: &[KeyResultEdit]) -> Result<Edited, EditError> {
    let before = model(text)?;
    let tree = spans::read(text).ok_or_else(|| EditError::Unreadable("no document".to_owned()))?;
    let mut splices = Vec::new();
    let mut asked = Vec::new();
    // The model as the edits so far leave it, so each edit changes only what is not already so.
    let mut after = before.clone();
    for edit in edits {
        let kr = find(&mut after, &edit.objective, &edit.key_result).ok_or_else(|| {
            EditError::NotFound {
                objective: edit.objective.clone(),
                key_result: edit.key_result.clone(),
            }
        })?;
        let fields = changes(kr, edit);
        if fields.is_empty() {
            continue;
        }
        let node = place::key_result(&tree, &edit.objective, &edit.key_result)?;
        splices.extend(place::splices(text, &tree, node, &fields)?);
        asked.extend(fields.into_iter().map(|(field, value)| check::Asked {
            objective: &edit.objective,
            key_result: &edit.key_result,
            field,
            value,
        }));
    }
    splices.sort_by_key(|s| (s.range.start, s.range.end));
    let edited = splice(text, &splices)?;
    check::read_back(&edited, &before, &asked)?;
    Ok(Edited {
        text: edited,
        lines: LineMap::new(text, &splices),
    })
}

/// A file's text with a check-in made, and where its old lines went.
#[derive(Debug, Clone)]
pub struct Edited {
    pub text: String,
    pub lines: LineMap,
}

/// The fields of `kr` that `edit` changes, with their new values; `kr` is updated to hold them.
fn changes<'e>(kr: &mut KeyResult, edit: &'e KeyResultEdit) -> Vec<(Field, place::Value<'e>)> {
    let mut fields = Vec::new();
    let here = kr.pos;
    match edit.progress {
        Some(Progress::Value(value))
            if kr.progress.is_some() && kr.progress.as_ref().map(|p| p.value) != Some(value) =>
        {
            kr.progress = Some(Spanned::new(value, here));
            fields.push((Field::Progress, place::Value::Number(value)));
        }
        Some(Progress::Value(value))
            if kr.progress.is_none() && kr.current.as_ref().map(|c| c.value) != Some(value) =>
        {
            kr.current = Some(Spanned::new(value, here));
            fields.push((Field::Current, place::Value::Number(value)));
        }
        Some(Progress::Done(done)) if kr.done.as_ref().map(|d| d.value) != Some(done) => {
            kr.done = Some(Spanned::new(done, here));
            fields.push((Field::Done, place::Value::Bool(done)));
        }
        _ => {}
    }
    if let Some(confidence) = edit.confidence
        && kr.confidence.as_ref().map(|c| c.value) != Some(confidence)
    {
        kr.confidence = Some(Spanned::new(confidence, here));
        fields.push((Field::Confidence, place::Value::Number(confidence)));
    }
    if let Some(note) = &edit.note
        && kr.notes.as_ref().map(|n| &*n.value) != Some(note.as_str())
    {
        kr.notes = Some(Spanned::new(Text::from(note.as_str()), here));
        fields.push((Field::Notes, place::Value::Text(note)));
    }
    fields
}

/// The key result `objective/key_result` of a file's model.
pub fn find<'m>(
    file: &'m mut OkrFile,
    objective: &str,
    key_result: &str,
) -> Option<&'m mut KeyResult> {
    file.objectives
        .iter_mut()
        .find(|o| o.id.as_ref().is_some_and(|i| *i.value == *objective))?
        .key_results
        .iter_mut()
        .find(|k| k.id.as_ref().is_some_and(|i| *i.value == *key_result))
}

/// The model of `text`, when it parses as YAML.
fn model(text: &str) -> Result<OkrFile, EditError> {
    let loaded = parse::parse("", text.as_bytes().to_vec());
    if let Some(syntax) = loaded
        .findings
        .iter()
        .find(|f| f.code == crate::core::rules::codes::YAML_SYNTAX)
    {
        return Err(EditError::Unreadable(format!(
            "line {}: {}",
            syntax.pos.line, syntax.message
        )));
    }
    loaded
        .okr
        .ok_or_else(|| EditError::Unreadable("no document".to_owned()))
}

/// `text` with every splice made; splices are sorted, and may touch but not overlap.
fn splice(text: &str, splices: &[Splice]) -> Result<String, EditError> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for splice in splices {
        if splice.range.start < at {
            return Err(EditError::Unsafe("two edits overlap".to_owned()));
        }
        out.push_str(&text[at..splice.range.start]);
        out.push_str(&splice.text);
        at = splice.range.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The splices `edits` would make, for tests that check which bytes change.
#[cfg(test)]
fn planned(text: &str, edits: &[KeyResultEdit]) -> Vec<Splice> {
    let tree = spans::read(text).unwrap();
    let mut expected = model(text).unwrap();
    let mut out = Vec::new();
    for edit in edits {
        let kr = find(&mut expected, &edit.objective, &edit.key_result).unwrap();
        let fields = changes(kr, edit);
        let node = place::key_result(&tree, &edit.objective, &edit.key_result).unwrap();
        out.extend(place::splices(text, &tree, node, &fields).unwrap());
    }
    out
}
