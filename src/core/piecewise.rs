//! Parsing an OKR file objective by objective, so that a revision costs what its change costs.
//!
//! Between two revisions of a file usually one objective changes. A file in the usual block layout is cut
//! into its header (everything but the objectives) and one piece per objective; each piece is parsed on its
//! own and remembered by its text alone. An unchanged objective is never parsed twice, even when lines were
//! added above it: its positions are moved to where it now starts.
//!
//! Anything unusual — anchors or aliases, tabs, directives, document markers, a flow-style objectives list,
//! indentation the cut would have to guess at, a problem while parsing a piece — returns `None`, and the
//! caller parses the whole file. A test holds the two ways to the same model on whole histories.

use std::collections::HashMap;
use std::ops::Range;

use crate::core::decode;
use crate::core::diagnostic::Pos;
use crate::core::model::{KeyResult, Objective, OkrFile, Spanned};
use crate::core::yaml;

/// Pieces nest two levels shallower than in the whole file; deeper than this, parse the whole file instead so
/// the nesting limit applies exactly as it would there.
const PIECE_DEPTH: usize = 16;

/// A piece's text, shared between the cache and the revisions that hold it (see [`Held`]).
type Key = std::sync::Arc<str>;

/// Keys here are whole objectives' text, hundreds of bytes each, and not chosen by an attacker who could
/// profit from collisions (a collision costs time, never a wrong answer): a fast hash pays.
type TextMap<V> = HashMap<Key, V, foldhash::fast::RandomState>;

/// A parsed piece (`None`: the piece holds nothing to keep, a comment say) and, for an objective put
/// together from its own fields and key results, the pieces it was put together from: they stay while it
/// stays, for the next revision that edits one of them.
/// Boxed, as in [`Batch`]: a table of whole objectives is ten times larger, and copied at every growth.
#[derive(Clone)]
struct Known<T> {
    parsed: Option<Box<T>>,
    #[expect(
        dead_code,
        reason = "never read: holding the parts is what keeps them through a trim"
    )]
    parts: Box<[Key]>,
}

impl<T> Known<T> {
    fn new(parsed: Option<T>, parts: Vec<Key>) -> Known<T> {
        Known {
            parsed: parsed.map(Box::new),
            parts: parts.into(),
        }
    }
}

/// Parsed pieces by their text, shared by all revisions read in one run. Each objective is kept as if its
/// piece started on the first line, and moved to its place in each file that holds it.
#[derive(Default)]
pub struct Pieces {
    /// Whole objective pieces, and objectives' own fields (an objective piece with its key results blanked).
    objectives: TextMap<Known<Objective>>,
    key_results: TextMap<Known<KeyResult>>,
    headers: TextMap<Option<OkrFile>>,
}

/// The pieces a revision was put together from. While something keeps it (the newest revision of each file,
/// which the next revision of that file is likely to share most pieces with), [`Pieces::trim`] keeps them.
#[derive(Debug, Default, Clone)]
pub struct Held(
    #[expect(
        dead_code,
        reason = "never read: holding the pieces is what keeps them through a trim"
    )]
    Vec<Key>,
);

/// A file cut into its header and objective pieces.
pub struct Cut {
    /// The file with every objective's lines blanked and the list written `objectives: []`.
    pub header: String,
    /// Each objective: its first line (0-based) and where its text is in the file.
    pub objectives: Vec<(usize, Range<usize>)>,
    /// The line (0-based) of the `objectives:` key.
    pub key_line: usize,
}

/// Cuts a file into pieces, or says it cannot be cut safely.
pub fn cut(text: &str) -> Option<Cut> {
    let bytes = text.as_bytes();
    // A lone carriage return ends a line for YAML but not for this cut: leave such files to the whole parse.
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
    if text.starts_with('\u{feff}')
        || memchr::memchr3(b'&', b'*', b'\t', bytes).is_some()
        || lone_cr
    {
        return None;
    }
    let (line_starts, lines) = lines_of(text);
    for line in &lines {
        let body = without_line_break(line);
        if body.starts_with('%') || body.starts_with("---") || body.starts_with("...") {
            return None;
        }
    }
    let key = lines.iter().position(|l| l.starts_with("objectives:"))?;
    let list = block_list(&lines, key, 0, "objectives:")?;
    // Nothing at the item's indentation may come back after the list ends.
    if lines[list.end..]
        .iter()
        .filter_map(|l| content(l))
        .any(|(at, _)| at > 0)
    {
        return None;
    }
    Some(Cut {
        header: blanked(&lines, key, 0, "objectives:", &list),
        objectives: list.spans(&line_starts),
        key_line: key,
    })
}

/// Where each line of `text` starts (and, last, where the text ends), and the lines themselves, each with
/// its line break.
fn lines_of(text: &str) -> (Vec<usize>, Vec<&str>) {
    let bytes = text.as_bytes();
    let mut line_starts: Vec<usize> = Vec::with_capacity(bytes.len() / 24 + 2);
    line_starts.push(0);
    line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
    if line_starts.last() != Some(&bytes.len()) {
        line_starts.push(bytes.len());
    }
    let lines = line_starts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    (line_starts, lines)
}

/// A block list that is the value of a key: the line each item starts on, and the line after the list.
struct BlockList {
    starts: Vec<usize>,
    end: usize,
}

impl BlockList {
    /// Each item: its first line and its span in the text.
    fn spans(&self, line_starts: &[usize]) -> Vec<(usize, Range<usize>)> {
        self.starts
            .iter()
            .enumerate()
            .map(|(n, &start)| {
                let stop = self.starts.get(n + 1).copied().unwrap_or(self.end);
                (start, line_starts[start]..line_starts[stop])
            })
            .collect()
    }
}

/// The block list under `name` (`objectives:`), a key written at column `column` on line `key` of a mapping
/// whose keys are at that column; `None` when its extent would have to be guessed.
fn block_list(lines: &[&str], key: usize, column: usize, name: &str) -> Option<BlockList> {
    let after = without_line_break(&lines[key][column + name.len()..]);
    // `objectives:# x` is one plain scalar, not a key and a comment: YAML wants a space after the colon.
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let rest = after.trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None; // a flow list or a value on the same line
    }
    let first = (key + 1..lines.len()).find(|&i| content(lines[i]).is_some())?;
    let (indent, body) = content(lines[first])?;
    if !is_item(body) || indent < column {
        return None;
    }
    let mut starts = Vec::new();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(first) {
        let Some((at, body)) = content(line) else {
            continue; // blank lines and comments go with the item before them
        };
        if at == indent && is_item(body) {
            starts.push(i);
        } else if at > indent {
            // a line of the current item
        } else if at == column && !body.starts_with('-') {
            end = i; // the mapping's next key: the list is over
            break;
        } else {
            return None; // indentation the cut would have to guess at
        }
    }
    // An empty block scalar (`reason: >-` with no text) is placed by what follows it, which differs between a
    // piece and the whole file: a piece may not end on one.
    for (n, &start) in starts.iter().enumerate() {
        let stop = starts.get(n + 1).copied().unwrap_or(end);
        let last = lines[start..stop].iter().rev().find_map(|l| content(l));
        if last.is_some_and(|(_, body)| opens_block_scalar(body)) {
            return None;
        }
    }
    Some(BlockList { starts, end })
}

/// The text with a list's lines blanked (line breaks kept, so every other line stays where it was) and its
/// key written `name []`, keeping the rest of that line (a comment): every other byte the whole parse sees.
fn blanked(lines: &[&str], key: usize, column: usize, name: &str, list: &BlockList) -> String {
    let mut header = String::with_capacity(lines.iter().map(|l| l.len()).sum());
    let blank = list.starts[0]..list.end;
    for (i, line) in lines.iter().enumerate() {
        let ending = if line.ends_with("\r\n") {
            "\r\n"
        } else if line.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        if i == key {
            let (written, after) = line.split_at(column + name.len());
            header.push_str(written);
            header.push_str(" []");
            header.push_str(without_line_break(after));
            header.push_str(ending);
        } else if blank.contains(&i) {
            if list.end == lines.len() {
                // Blank lines to the end of the text say nothing: leaving them out keeps the header's text
                // (its cache key) the same when the list grows or shrinks.
                break;
            }
            header.push_str(ending);
        } else {
            header.push_str(line);
        }
    }
    header
}

/// An objective piece cut further: its own fields with the key results blanked (`key_results: []`), and
/// each key result's first line (from the piece's start) and span in the piece.
struct Split {
    header: String,
    key_results: Vec<(usize, Range<usize>)>,
    /// Where the header must show the `key_results` key, for the check in [`Pieces::compose`].
    key: Pos,
}

/// Cuts an objective piece into its fields and its key results, or says it cannot be cut safely.
fn split_objective(piece: &str) -> Option<Split> {
    let (line_starts, lines) = lines_of(piece);
    let (indent, body) = content(lines.first()?)?;
    // `- id: x`: the objective's keys are two columns right of the dash.
    let first_key = body.strip_prefix("- ")?;
    if first_key.starts_with(' ') || first_key.is_empty() {
        return None;
    }
    let column = indent + 2;
    let key = (1..lines.len()).find(|&i| {
        content(lines[i]).is_some_and(|(at, body)| at == column && body.starts_with("key_results:"))
    })?;
    let list = block_list(&lines, key, column, "key_results:")?;
    // After the list only the objective's own keys and their values may follow.
    if lines[list.end..]
        .iter()
        .filter_map(|l| content(l))
        .any(|(at, _)| at < column)
    {
        return None;
    }
    Some(Split {
        header: blanked(&lines, key, column, "key_results:", &list),
        key_results: list.spans(&line_starts),
        key: Pos::new(
            u32::try_from(key + 1).ok()?,
            u32::try_from(column + 1).ok()?,
        ),
    })
}

/// A line's indentation and text, unless it is blank or a comment.
fn content(line: &str) -> Option<(usize, &str)> {
    let body = without_line_break(line);
    let indent = body.bytes().take_while(|&b| b == b' ').count();
    let trimmed = &body[indent..];
    (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some((indent, trimmed))
}

/// A line without its line break. Byte by byte: every line of every revision passes here, and the general
/// `trim_end_matches` decodes characters to compare them.
fn without_line_break(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// Does this line end in a block scalar header (`|`, `>-`, `|2+` …), possibly before a comment?
fn opens_block_scalar(body: &str) -> bool {
    let code = body.split(" #").next().unwrap_or(body).trim_end();
    let last = code.rsplit(' ').next().unwrap_or(code);
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '+' | '-' | '0'..='9'))
}

fn is_item(body: &str) -> bool {
    body == "-" || body.starts_with("- ")
}

/// Parses one piece cut from a file, as if it started on the first line: `None` when it must be left to a
/// whole parse.
pub fn parse_objective(piece: &str) -> Option<Option<Objective>> {
    parse_piece(piece, decode::lone_objective)
}

/// Parses one key result cut from an objective, as [`parse_objective`] does an objective.
fn parse_key_result(piece: &str) -> Option<Option<KeyResult>> {
    parse_piece(piece, decode::lone_key_result)
}

fn parse_piece<T>(
    piece: &str,
    decode: impl FnOnce(&yaml::Document) -> Option<Option<T>>,
) -> Option<Option<T>> {
    let parsed = yaml::parse_str(piece);
    let document = parsed.document.filter(|_| parsed.problems.is_empty())?;
    if document.depth() > PIECE_DEPTH {
        return None;
    }
    decode(&document)
}

/// Parses a header cut from a file: `None` when it must be left to a whole parse. The cut is trusted only
/// when the header shows `objectives` as a key of the top-level mapping exactly where the cut found it: a
/// file that only looks like that (the whole document a block of text, say) is left to the whole parse.
pub fn parse_header(header: &str, key_line: usize) -> Option<OkrFile> {
    let parsed = yaml::parse_str(header);
    let document = parsed.document.filter(|_| parsed.problems.is_empty())?;
    let file = decode::decode(&document).0;
    let line = u32::try_from(key_line + 1).ok()?;
    (file.objectives_key == Some(crate::core::diagnostic::Pos::new(line, 1))).then_some(file)
}

/// Pieces and headers parsed on a worker thread, for [`Pieces::absorb`] to add afterwards.
#[derive(Default)]
pub struct Batch {
    /// `None`: the piece must be left to a whole parse.
    objectives: TextMap<Option<Known<Objective>>>,
    key_results: TextMap<Option<Known<KeyResult>>>,
    headers: TextMap<Option<OkrFile>>,
}

impl Pieces {
    /// Parses a file piece by piece, reusing every piece seen before; `None` means: parse the whole file.
    pub fn parse(&mut self, text: &str) -> Option<OkrFile> {
        let cut = cut(text)?;
        let mut batch = Batch::default();
        let file = self.read(&mut batch, text, cut);
        self.absorb(batch);
        file.map(|(file, _)| file)
    }

    /// Puts a cut file together from its header and objective pieces: those this cache or `batch` holds are
    /// reused, the others parsed into `batch`. Takes `&self`, so several threads can fill batches of their own
    /// at once. `None` when a piece cannot be parsed on its own or the header needs the whole parse; else the
    /// file and the pieces it holds.
    pub fn read(&self, batch: &mut Batch, text: &str, cut: Cut) -> Option<(OkrFile, Held)> {
        let header = cut.header.as_str();
        let mut held = Vec::with_capacity(cut.objectives.len() + 1);
        let mut file = match self
            .headers
            .get_key_value(header)
            .or_else(|| batch.headers.get_key_value(header))
        {
            Some((key, known)) => {
                held.push(Key::clone(key));
                known.clone()?
            }
            None => {
                let parsed = parse_header(header, cut.key_line);
                let key: Key = header.into();
                held.push(Key::clone(&key));
                batch.headers.insert(key, parsed.clone());
                parsed?
            }
        };
        file.objectives.reserve(cut.objectives.len());
        for (line, span) in cut.objectives {
            let piece = &text[span];
            // Each piece is looked up once: most of a revision's objectives were met before.
            let objective = match self.objectives.get_key_value(piece) {
                Some((key, known)) => {
                    held.push(Key::clone(key));
                    known.parsed.as_deref().cloned()
                }
                None => match batch.objectives.get_key_value(piece) {
                    Some((key, known)) => {
                        let known = known.as_ref()?;
                        held.push(Key::clone(key));
                        known.parsed.as_deref().cloned()
                    }
                    None => {
                        let (parsed, parts) = match self.compose(batch, piece) {
                            Some((objective, parts)) => (Some(objective), parts),
                            None => (parse_objective(piece), Vec::new()),
                        };
                        let key: Key = piece.into();
                        held.push(Key::clone(&key));
                        batch
                            .objectives
                            .insert(key, parsed.clone().map(|o| Known::new(o, parts)));
                        parsed?
                    }
                },
            };
            let Some(mut objective) = objective else {
                continue;
            };
            // Parsed as if it started on the first line: move it to where it starts in this file.
            shift_objective(&mut objective, line as i64);
            file.objectives.push(objective);
        }
        Some((file, Held(held)))
    }

    /// An objective put together from its own fields and its key results, each parsed on its own (or found
    /// parsed before), and the pieces it was put together from: an edit to one key result costs a parse of
    /// that key result. `None` when the piece cannot be split safely or a part cannot be parsed on its own.
    fn compose(&self, batch: &mut Batch, piece: &str) -> Option<(Option<Objective>, Vec<Key>)> {
        let split = split_objective(piece)?;
        let (fields, fields_key) = known_or_parsed(
            &self.objectives,
            &mut batch.objectives,
            &split.header,
            parse_objective,
        )?;
        // Trust the split only where the fields show `key_results` as the objective's key exactly where the
        // split found it. (A line at the key's column inside a multi-line value is invalid YAML as saphyr
        // reads it, so this should never fail; it keeps the split honest if that ever changes.)
        let mut objective = fields.filter(|o| o.key_results_key == Some(split.key))?;
        let mut parts = Vec::with_capacity(split.key_results.len() + 1);
        parts.push(fields_key);
        for (line, span) in split.key_results {
            let text = &piece[span];
            let (key_result, key) = known_or_parsed(
                &self.key_results,
                &mut batch.key_results,
                text,
                parse_key_result,
            )?;
            parts.push(key);
            if let Some(mut key_result) = key_result {
                shift_key_result(&mut key_result, line as i64);
                objective.key_results.push(key_result);
            }
        }
        Some((Some(objective), parts))
    }

    /// Adds what a batch parsed. A piece that needs the whole parse is not kept, so its file falls back to one.
    pub fn absorb(&mut self, batch: Batch) {
        for (piece, objective) in batch.objectives {
            if let Some(objective) = objective {
                self.objectives.entry(piece).or_insert(objective);
            }
        }
        for (piece, key_result) in batch.key_results {
            if let Some(key_result) = key_result {
                self.key_results.entry(piece).or_insert(key_result);
            }
        }
        for (piece, header) in batch.headers {
            self.headers.entry(piece).or_insert(header);
        }
    }

    /// Bounds memory on long histories: keeps the pieces something holds — a [`Held`] revision, or an
    /// objective kept that was put together from them — and lets the rest go. Each revision of a busy file
    /// leaves a few pieces no later revision has; an organisation's quarter left tens of thousands.
    pub fn trim(&mut self) {
        let held = |key: &Key| std::sync::Arc::strong_count(key) > 1;
        // Objectives first: one let go releases the pieces it was put together from, for the maps after it.
        self.objectives.retain(|key, _| held(key));
        self.key_results.retain(|key, _| held(key));
        self.headers.retain(|key, _| held(key));
    }
}

/// A piece's parse from the shared cache, else from this batch, else parsed now and added to the batch, with
/// its key. `None` when the piece must be left to a whole parse.
fn known_or_parsed<T: Clone>(
    known: &TextMap<Known<T>>,
    batch: &mut TextMap<Option<Known<T>>>,
    text: &str,
    parse: impl FnOnce(&str) -> Option<Option<T>>,
) -> Option<(Option<T>, Key)> {
    if let Some((key, known)) = known.get_key_value(text) {
        return Some((known.parsed.as_deref().cloned(), Key::clone(key)));
    }
    if let Some((key, parsed)) = batch.get_key_value(text) {
        let known = parsed.as_ref()?;
        return Some((known.parsed.as_deref().cloned(), Key::clone(key)));
    }
    let parsed = parse(text);
    let key: Key = text.into();
    batch.insert(
        Key::clone(&key),
        parsed.clone().map(|p| Known::new(p, Vec::new())),
    );
    Some((parsed?, key))
}

/// Moves a position `by` lines.
fn move_line(pos: &mut Pos, by: i64) {
    pos.line = u32::try_from(i64::from(pos.line) + by).unwrap_or(pos.line);
}

/// Moves every position in an objective `by` lines.
fn shift_objective(objective: &mut Objective, by: i64) {
    let shift = |pos: &mut Pos| move_line(pos, by);
    // Every field by name, so a field added to the model cannot be forgotten here.
    let Objective {
        pos,
        id,
        title,
        kind,
        owner,
        aligns_to,
        carried_from,
        status,
        priority,
        dropped,
        notes,
        links,
        key_results,
        key_results_key,
    } = objective;
    shift(pos);
    for_spanned(id, shift);
    for_spanned(title, shift);
    for_spanned(kind, shift);
    for_spanned(owner, shift);
    for_spanned(aligns_to, shift);
    for_spanned(carried_from, shift);
    for_spanned(status, shift);
    for_spanned(priority, shift);
    for_spanned(notes, shift);
    shift_links(links, shift);
    if let Some(pos) = key_results_key {
        shift(pos);
    }
    if let Some(dropped) = dropped {
        shift(&mut dropped.pos);
        for_spanned(&mut dropped.date, shift);
        for_spanned(&mut dropped.reason, shift);
    }
    for key_result in key_results {
        shift_key_result(key_result, by);
    }
}

/// Moves every position in a key result `by` lines.
fn shift_key_result(key_result: &mut KeyResult, by: i64) {
    let shift = |pos: &mut Pos| move_line(pos, by);
    // Every field by name, so a field added to the model cannot be forgotten here.
    let KeyResult {
        pos,
        id,
        title,
        start,
        target,
        current,
        done,
        direction,
        progress,
        unit,
        confidence,
        score,
        notes,
        owner,
        priority,
        health,
        links,
        measure_unreadable: _,
    } = key_result;
    shift(pos);
    for_spanned(id, shift);
    for_spanned(title, shift);
    for_spanned(start, shift);
    for_spanned(target, shift);
    for_spanned(current, shift);
    for_spanned(done, shift);
    for_spanned(direction, shift);
    for_spanned(progress, shift);
    for_spanned(unit, shift);
    for_spanned(confidence, shift);
    for_spanned(score, shift);
    for_spanned(notes, shift);
    for_spanned(owner, shift);
    for_spanned(priority, shift);
    for_spanned(health, shift);
    shift_links(links, shift);
}

fn shift_links(links: &mut [crate::core::model::Link], shift: impl Fn(&mut Pos)) {
    for link in links {
        for_spanned(&mut link.title, &shift);
        shift(&mut link.url.pos);
    }
}

fn for_spanned<T>(value: &mut Option<Spanned<T>>, shift: impl Fn(&mut Pos)) {
    if let Some(value) = value {
        shift(&mut value.pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Option<OkrFile> {
        crate::core::parse::parse("x.yaml", text.as_bytes().to_vec()).okr
    }

    const FILE: &str = "# modeline\nquarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: a\n    title: A\n    key_results:\n      - id: k\n        title: K\n        start: 1\n        target: 2\n\n  # a comment between objectives\n  - id: b\n    title: B\n    notes: >\n      folded\n      - not an item\n    key_results:\n      - id: m\n        title: M\n        done: false\nowner: Dana\n";

    #[test]
    fn a_file_parsed_piece_by_piece_equals_the_whole_parse() {
        let mut pieces = Pieces::default();
        assert_eq!(pieces.parse(FILE), whole(FILE));
        assert_eq!(pieces.parse(FILE).unwrap().objectives.len(), 2);
        let edited = FILE.replace("target: 2", "target: 3");
        assert_eq!(pieces.parse(&edited), whole(&edited));
    }

    #[test]
    fn an_objective_moved_by_lines_added_above_it_is_reused_at_its_new_place() {
        let mut pieces = Pieces::default();
        pieces.parse(FILE);
        let known = pieces.objectives.len();
        let moved = FILE.replace("team: platform\n", "team: platform\n# two lines\n# added\n");
        assert_eq!(pieces.parse(&moved), whole(&moved));
        assert_eq!(pieces.objectives.len(), known, "no piece was parsed again");
        // And back: the cache keeps the newest place, so moving up works the same way.
        assert_eq!(pieces.parse(FILE), whole(FILE));
        assert_eq!(pieces.objectives.len(), known);
    }

    #[test]
    fn an_edit_to_one_key_result_parses_only_that_key_result() {
        let mut pieces = Pieces::default();
        pieces.parse(FILE);
        let (objectives, key_results) = (pieces.objectives.len(), pieces.key_results.len());
        let edited = FILE.replace("target: 2", "target: 3");
        assert_eq!(pieces.parse(&edited), whole(&edited));
        // The edited objective is new as a whole, but its own fields were known: one new key result.
        assert_eq!(pieces.objectives.len(), objectives + 1);
        assert_eq!(pieces.key_results.len(), key_results + 1);
    }

    /// Reads `text` as the history's readers do, keeping what the revision holds.
    fn read_held(pieces: &mut Pieces, text: &str) -> (OkrFile, Held) {
        let mut batch = Batch::default();
        let read = pieces.read(&mut batch, text, cut(text).unwrap());
        pieces.absorb(batch);
        read.unwrap()
    }

    fn sizes(pieces: &Pieces) -> (usize, usize, usize) {
        (
            pieces.objectives.len(),
            pieces.key_results.len(),
            pieces.headers.len(),
        )
    }

    #[test]
    fn a_trim_keeps_the_pieces_a_held_revision_holds_and_lets_the_others_go() {
        let mut pieces = Pieces::default();
        let (_, first) = read_held(&mut pieces, FILE);
        let edited = FILE.replace("target: 2", "target: 3");
        let (_, second) = read_held(&mut pieces, &edited);
        let before = sizes(&pieces);
        drop(first);
        pieces.trim();
        let after = sizes(&pieces);
        // The first revision's objective `a`, and its key result with target 2, are held by nothing now.
        assert_eq!((after.0, after.1), (before.0 - 1, before.1 - 1));
        // What the newer revision holds stays, its objectives' own pieces included: reading it, or editing
        // another part of objective `a`, parses no piece it had.
        assert_eq!(read_held(&mut pieces, &edited).0, whole(&edited).unwrap());
        assert_eq!(sizes(&pieces), after);
        let renamed = edited.replace("title: A\n", "title: A, renamed\n");
        assert_eq!(read_held(&mut pieces, &renamed).0, whole(&renamed).unwrap());
        assert_eq!(sizes(&pieces).1, after.1, "its key results were all known");
        // Held by nothing, every piece goes (the renamed revision's were never kept).
        drop(second);
        pieces.trim();
        pieces.trim();
        assert_eq!(sizes(&pieces), (0, 0, 0));
    }

    #[test]
    fn a_key_result_growing_by_a_line_leaves_the_headers_as_they_were() {
        // Lists that run to the end of their text leave no blank lines in the headers: a longer list does not
        // make a new header to parse.
        let file = FILE.replace("owner: Dana\n", "");
        let mut pieces = Pieces::default();
        pieces.parse(&file);
        let (objectives, key_results, headers) = (
            pieces.objectives.len(),
            pieces.key_results.len(),
            pieces.headers.len(),
        );
        let grown = file.replace(
            "        target: 2\n",
            "        target: 2\n        current: 1\n",
        );
        assert_eq!(pieces.parse(&grown), whole(&grown));
        assert_eq!(pieces.headers.len(), headers, "the file's header is reused");
        assert_eq!(
            pieces.objectives.len(),
            objectives + 1,
            "only the objective piece as a whole is new"
        );
        assert_eq!(pieces.key_results.len(), key_results + 1);
    }

    #[test]
    fn objectives_in_other_layouts_are_split_or_left_whole_with_the_same_result() {
        for text in [
            // fields after the key results, a comment on the key, a compact list, a key result at the end
            FILE.replace(
                "    key_results:\n      - id: k",
                "    key_results: # results\n    - id: k",
            )
            .replace(
                "        title: K\n        start: 1\n        target: 2\n",
                "      title: K\n      start: 1\n      target: 2\n    owner: Kim\n",
            ),
            // `key_results:` inside a quoted title running over lines is not the key
            FILE.replace(
                "    title: A\n",
                "    title: \"A\n    key_results:\n    - x\"\n",
            ),
            FILE.replace(
                "    title: A\n",
                "    title: \"A\n    key_results:\n    - x\n    \"\n",
            ),
            FILE.replace("    title: B\n", "    title: 'B\n    key_results: []'\n"),
            // a key result ending on an empty block scalar
            FILE.replace(
                "        done: false\n",
                "        done: false\n        notes: >-\n",
            ),
            // the item's keys not two columns right of the dash
            FILE.replace("  - id: a\n    title: A", "  -   id: a\n      title: A"),
        ] {
            let mut pieces = Pieces::default();
            assert_eq!(
                pieces.parse(&text),
                whole(&text).filter(|_| cut(&text).is_some()),
                "{text}"
            );
        }
    }

    #[test]
    fn unusual_files_are_left_to_the_whole_parse() {
        for text in [
            FILE.replace("title: A", "title: &t A"),
            FILE.replace("objectives:\n", "objectives: [\n")
                .replace("owner: Dana\n", "]\n"),
            format!("---\n{FILE}"),
            FILE.replace("    title: B", "\ttitle: B"),
            FILE.replace("  - id: b", " - id: b"),
        ] {
            assert!(
                cut(&text).is_none() || Pieces::default().parse(&text) == whole(&text),
                "{text}"
            );
        }
        assert!(cut(&format!("\u{feff}{FILE}")).is_none());
    }

    #[test]
    fn crlf_files_are_cut_too() {
        let crlf = FILE.replace('\n', "\r\n");
        assert_eq!(Pieces::default().parse(&crlf), whole(&crlf));
    }
}
