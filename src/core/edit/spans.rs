//! YAML text → a tree of byte extents: where each scalar is written (quotes, block indicators and all), and
//! whether each mapping is written in block or flow style. What an in-place edit needs, and what the positioned
//! tree of [`crate::core::yaml`] does not keep: that tree is read by every revision of every file `okr history`
//! parses, so it holds a line and column per node and nothing more.
//!
//! Built from the same saphyr-parser events as that tree, so both read one document the same way. The events'
//! spans need three corrections, made here:
//! - their indexes count characters, not bytes;
//! - a quoted scalar's span can run on over the spaces and comment after it, so its end is found by reading to
//!   the closing quote;
//! - a block scalar's span starts at its content, not at its `|` or `>`, so the indicator is found after the
//!   key it belongs to.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A node's index in [`Tree::nodes`].
pub type NodeId = usize;

#[derive(Debug)]
pub enum Node {
    Scalar(Scalar),
    Sequence {
        items: Vec<NodeId>,
        anchor: Anchor,
    },
    Mapping {
        /// Written as `{ … }`.
        flow: bool,
        entries: Vec<(NodeId, NodeId)>,
        anchor: Anchor,
    },
    /// A use of an anchored node (`*name`): editing it would edit every use.
    Alias,
}

/// A node's anchor (`&name`), as the parser numbers anchors; 0 for none.
pub type Anchor = usize;

#[derive(Debug)]
pub struct Scalar {
    /// The value as YAML reads it.
    pub value: String,
    pub style: ScalarStyle,
    /// Where the node starts: at its tag or anchor, if it has one, else where [`Scalar::text`] starts.
    pub start: usize,
    pub anchor: Anchor,
    /// Written with a tag (`!!int 3`).
    pub tagged: bool,
    /// The value as written, after any tag or anchor: with its quotes; for a block scalar, from its indicator
    /// (`|`, `>-`) to the end of its last line of content, that line's break not included. An empty value
    /// with a tag or anchor (`current: &a`) is an empty range right after them.
    pub text: Range<usize>,
    /// For a block scalar whose lines of content are all there is to it, its content: from the first
    /// character of the first line to the end of the last, spaces at its end included. `None` when a blank
    /// line comes before the first line of content (the value starts with a line break), or a line of more
    /// spaces than the indentation after the last (spaces the value ends with).
    pub content: Option<Range<usize>>,
}

impl Scalar {
    /// An empty plain scalar: a key written with no value (`current:`), read as null.
    pub fn is_empty(&self) -> bool {
        self.style == ScalarStyle::Plain && self.text.is_empty()
    }

    /// Written with a tag or an anchor before its value.
    pub fn has_properties(&self) -> bool {
        self.start < self.text.start
    }
}

#[derive(Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub root: Option<NodeId>,
    /// The anchors some alias (`*name`) uses.
    pub aliased: Vec<Anchor>,
}

impl Tree {
    /// Whether the node is anchored and used again elsewhere by an alias: a change to it would change there
    /// too.
    pub fn is_aliased(&self, id: NodeId) -> bool {
        let anchor = match &self.nodes[id] {
            Node::Scalar(scalar) => scalar.anchor,
            Node::Sequence { anchor, .. } | Node::Mapping { anchor, .. } => *anchor,
            Node::Alias => 0,
        };
        anchor != 0 && self.aliased.contains(&anchor)
    }

    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match &self.nodes[id] {
            Node::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The value of `key` in the mapping `map`, with its key.
    pub fn get(&self, map: NodeId, key: &str) -> Option<(&Scalar, NodeId)> {
        let Node::Mapping { entries, .. } = &self.nodes[map] else {
            return None;
        };
        entries.iter().find_map(|&(k, v)| {
            self.scalar(k)
                .filter(|k| k.value == key)
                .map(|scalar| (scalar, v))
        })
    }
}

/// Reads `text` into a tree of extents; `None` when it is not YAML (the caller's parse says why).
pub fn read(text: &str) -> Option<Tree> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        text,
        tree: Tree::default(),
        stack: Vec::new(),
    };
    loop {
        let (event, span) = parser.next_event()?.ok()?;
        let start = offsets.byte(span.start.index());
        match event {
            Event::StreamEnd => break,
            // A second document is an error the caller's parse reports; the first is all an edit touches.
            Event::DocumentEnd => break,
            Event::Scalar(value, style, anchor, tag) => {
                let mut scalar = builder.scalar(value.into_owned(), style, start, &span, &offsets);
                scalar.anchor = anchor;
                scalar.tagged = tag.is_some();
                builder.place(Node::Scalar(scalar));
            }
            Event::MappingStart(anchor, _) => {
                let flow =
                    !span.is_empty() && text[skip_properties(text, start)..].starts_with('{');
                builder.open(Node::Mapping {
                    flow,
                    entries: Vec::new(),
                    anchor,
                });
            }
            Event::SequenceStart(anchor, _) => builder.open(Node::Sequence {
                items: Vec::new(),
                anchor,
            }),
            Event::MappingEnd | Event::SequenceEnd => {
                builder.stack.pop();
            }
            Event::Alias(anchor) => {
                builder.tree.aliased.push(anchor);
                builder.place(Node::Alias);
            }
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
        }
    }
    Some(builder.tree)
}

/// Character indexes → byte offsets. Free for ASCII text, which nearly every OKR file is.
struct Offsets {
    /// The byte offset of each character and, last, the text's length; `None` for ASCII text.
    table: Option<Vec<usize>>,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(at, _)| at)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Offsets { table }
    }

    fn byte(&self, index: usize) -> usize {
        match &self.table {
            None => index,
            Some(table) => table
                .get(index)
                .copied()
                .unwrap_or(*table.last().unwrap_or(&0)),
        }
    }
}

struct Frame {
    node: NodeId,
    /// In a mapping: the key read, waiting for its value.
    key: Option<NodeId>,
}

struct Builder<'t> {
    text: &'t str,
    tree: Tree,
    stack: Vec<Frame>,
}

impl Builder<'_> {
    fn scalar(
        &self,
        value: String,
        style: ScalarStyle,
        start: usize,
        span: &Span,
        offsets: &Offsets,
    ) -> Scalar {
        let end = offsets.byte(span.end.index()).max(start);
        let text = self.text;
        let (range, content) = match style {
            // Past the tag and anchor, but not past the value's end: an empty value is right after them.
            ScalarStyle::Plain => (skip_properties(text, start).min(end)..end, None),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let open = skip_properties(text, start);
                (open..closing_quote(text, open, style).unwrap_or(end), None)
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                // The content runs to the span's end, which takes in the blank lines after it.
                let last = start + text[start..end].trim_end().len();
                let indicator = self.pending_key_end().and_then(|key| indicator(text, key));
                let content = indicator.and_then(|at| block_content(text, at, start, last, end));
                (indicator.unwrap_or(start)..last, content)
            }
        };
        Scalar {
            value,
            style,
            start: start.min(range.start),
            anchor: 0,
            tagged: false,
            text: range,
            content,
        }
    }

    /// Where the key waiting for this value ends, when the value belongs to a mapping.
    fn pending_key_end(&self) -> Option<usize> {
        let key = self.stack.last()?.key?;
        self.tree.scalar(key).map(|k| k.text.end)
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.tree.nodes.push(node);
        self.tree.nodes.len() - 1
    }

    fn open(&mut self, node: Node) {
        let id = self.push(node);
        self.attach(id);
        self.stack.push(Frame {
            node: id,
            key: None,
        });
    }

    fn place(&mut self, node: Node) {
        let id = self.push(node);
        self.attach(id);
    }

    fn attach(&mut self, id: NodeId) {
        let Some(frame) = self.stack.last_mut() else {
            self.tree.root.get_or_insert(id);
            return;
        };
        match &mut self.tree.nodes[frame.node] {
            Node::Sequence { items, .. } => items.push(id),
            Node::Mapping { entries, .. } => match frame.key.take() {
                None => frame.key = Some(id),
                Some(key) => entries.push((key, id)),
            },
            Node::Scalar(_) | Node::Alias => {}
        }
    }
}

/// After a node's tag and anchor (`!!str &name value`): where its value is written.
fn skip_properties(text: &str, mut at: usize) -> usize {
    while text[at..].starts_with(['!', '&']) {
        let token = text[at..]
            .find(|c: char| c.is_whitespace())
            .unwrap_or(text.len() - at);
        at += token;
        at += text[at..].len() - text[at..].trim_start().len();
    }
    at
}

/// The content of the block scalar whose indicator is at `indicator`, whose first line of content starts at
/// `start` and whose last ends, but for spaces, at `last`; the parser's extent of it ends at `end`. `None`
/// when the lines of content are not all of it (see [`Scalar::content`]).
fn block_content(
    text: &str,
    indicator: usize,
    start: usize,
    last: usize,
    end: usize,
) -> Option<Range<usize>> {
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let header_end = indicator + text[indicator..].find(['\n', '\r'])?;
    let break_len = if text[header_end..].starts_with("\r\n") {
        2
    } else {
        1
    };
    if header_end + break_len != line_start || !text[line_start..start].bytes().all(|b| b == b' ') {
        return None;
    }
    let indent = start - line_start;
    let content_end = last + text[last..end].find(['\n', '\r']).unwrap_or(end - last);
    let only_blank_after = text[content_end..end]
        .split(['\n', '\r'])
        .all(|line| line.len() <= indent && line.bytes().all(|b| b == b' '));
    only_blank_after.then_some(start..content_end)
}

/// The end of the quoted scalar opening at `open`, its closing quote included.
fn closing_quote(text: &str, open: usize, style: ScalarStyle) -> Option<usize> {
    let quote = if style == ScalarStyle::SingleQuoted {
        '\''
    } else {
        '"'
    };
    let mut chars = text[open..].char_indices();
    if chars.next()?.1 != quote {
        return None;
    }
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                // In single quotes, `''` is a quote inside the text.
                if quote == '\'' && text[open + at + 1..].starts_with('\'') {
                    chars.next();
                    continue;
                }
                return Some(open + at + 1);
            }
            _ => {}
        }
    }
    None
}

/// The `|` or `>` of a block scalar, after the key that ends at `key_end`: past the `:`, spaces, tag and anchor.
fn indicator(text: &str, key_end: usize) -> Option<usize> {
    let after_key = &text[key_end..];
    let colon = key_end + after_key.find(':')?;
    let mut at = colon + 1;
    at += text[at..].len() - text[at..].trim_start_matches([' ', '\t']).len();
    let at = skip_properties(text, at);
    text[at..].starts_with(['|', '>']).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each scalar's text as written, in document order.
    fn written(text: &str) -> Vec<&str> {
        let tree = read(text).unwrap();
        tree.nodes
            .iter()
            .filter_map(|n| match n {
                Node::Scalar(s) => Some(&text[s.text.clone()]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote_not_at_the_comment_after_them() {
        let text = "a: \"x \\\" y\"  # c\nb: 'it''s'   \nc: {k: \"z\", m: n}\n";
        assert_eq!(
            written(text),
            [
                "a",
                "\"x \\\" y\"",
                "b",
                "'it''s'",
                "c",
                "k",
                "\"z\"",
                "m",
                "n"
            ]
        );
    }

    #[test]
    fn extents_are_bytes_in_text_that_is_not_ascii() {
        let text = "é: ünïcode  # ç\nb: \"ß\"\n";
        assert_eq!(written(text), ["é", "ünïcode", "b", "\"ß\""]);
    }

    #[test]
    fn a_block_scalar_runs_from_its_indicator_to_its_last_line_of_content() {
        let text = "notes: >-\n  folded\n  more\n\n# comment\nn: x\n";
        let tree = read(text).unwrap();
        let root = tree.root.unwrap();
        let (_, value) = tree.get(root, "notes").unwrap();
        let scalar = tree.scalar(value).unwrap();
        assert_eq!(&text[scalar.text.clone()], ">-\n  folded\n  more");
        assert_eq!(&text[scalar.content.clone().unwrap()], "folded\n  more");
    }

    #[test]
    fn tags_and_anchors_are_not_part_of_the_value() {
        assert_eq!(written("a: !!int 3\nb: &x 4\n"), ["a", "3", "b", "4"]);
    }

    #[test]
    fn an_empty_anchored_value_is_an_empty_range_after_its_anchor() {
        let text = "a: &x\nb: {c: &y , d: 1}\n";
        let tree = read(text).unwrap();
        let empty: Vec<(usize, std::ops::Range<usize>)> = tree
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Scalar(s) if s.is_empty() => Some((s.start, s.text.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(empty, [(3, 5..5), (13, 15..15)]);
    }

    #[test]
    fn flow_and_block_mappings_are_told_apart() {
        let tree = read("a: {b: 1}\nc:\n  d: 2\ne: &m {f: 3}\n").unwrap();
        let flows: Vec<bool> = tree
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Mapping { flow, .. } => Some(*flow),
                _ => None,
            })
            .collect();
        assert_eq!(flows, [false, true, false, true]);
    }

    #[test]
    fn an_empty_value_is_an_empty_plain_scalar() {
        let tree = read("a:\nb: 1\n").unwrap();
        let (_, value) = tree.get(tree.root.unwrap(), "a").unwrap();
        assert!(tree.scalar(value).unwrap().is_empty());
    }
}
