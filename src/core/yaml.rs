//! YAML text → a tree in which every node knows where it stands in the file.
//!
//! Built from saphyr-parser's event stream rather than a ready-made loader because okr needs three things
//! loaders do not give together: a position on every node (for semantic findings, not only syntax errors),
//! duplicate keys reported rather than silently merged, and bounded work on hostile input. Nodes live in one
//! arena and an alias is a second reference to the anchored node, so `*a` costs nothing however often the
//! anchored tree is reused (no exponential "billion laughs" expansion), and dropping a tree never recurses.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::Scalar as CoreScalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::core::diagnostic::Pos;

/// How deep collections may nest. An OKR file needs five levels; anything past this is not an OKR file, and
/// the cap keeps every walk over the tree shallow.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar {
        value: Scalar,
        /// The text as written when it resolved to something other than text (`yes` stays text, `12` does
        /// not), for messages; text values are not stored twice.
        written: Option<Box<str>>,
        /// A tag okr does not understand (`!!python/object`), kept so it can be reported.
        foreign_tag: Option<String>,
    },
    Sequence(Vec<NodeId>),
    Mapping(Vec<Entry>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
}

/// A problem that makes the text not (or not usable as) a single YAML document.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxProblem {
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

/// The parsed document, if one could be built, and every problem met on the way.
#[derive(Debug, Default)]
pub struct Parsed {
    pub document: Option<Document>,
    pub problems: Vec<SyntaxProblem>,
}

#[derive(Debug, Default)]
pub struct Document {
    nodes: Vec<Slot>,
    root: Option<NodeId>,
    /// The deepest nesting of collections reached.
    depth: usize,
}

/// A node, or a use of an anchored node (`*name`) with the position of the use.
#[derive(Debug)]
enum Slot {
    Node(Node),
    Alias { pos: Pos, target: NodeId },
}

impl Document {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    /// How deeply collections nest in this document (a mapping of lists of mappings is 3).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The node itself; for an alias, the anchored node it names.
    pub fn node(&self, id: NodeId) -> &Node {
        let mut slot = &self.nodes[id.0];
        loop {
            match slot {
                Slot::Node(node) => return node,
                Slot::Alias { target, .. } => slot = &self.nodes[target.0],
            }
        }
    }

    /// Where the node is written; for an alias, where the alias is, so findings point at the use.
    pub fn pos(&self, id: NodeId) -> Pos {
        match &self.nodes[id.0] {
            Slot::Node(node) => node.pos,
            Slot::Alias { pos, .. } => *pos,
        }
    }

    fn kind_mut(&mut self, id: NodeId) -> Option<&mut NodeKind> {
        match &mut self.nodes[id.0] {
            Slot::Node(node) => Some(&mut node.kind),
            Slot::Alias { .. } => None,
        }
    }

    /// The key's text when it is a scalar: mapping keys in OKR files are plain words.
    pub fn key_text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Scalar {
                value: Scalar::Str(s),
                ..
            } => Some(s),
            NodeKind::Scalar { written, .. } => Some(written.as_deref().unwrap_or_default()),
            _ => None,
        }
    }

    /// Short description of what a node is, for "expected X, found Y" messages.
    pub fn describe(&self, id: NodeId) -> String {
        match &self.node(id).kind {
            NodeKind::Scalar { value, written, .. } => match value {
                Scalar::Null => "nothing".to_owned(),
                Scalar::Bool(_) => {
                    format!("the boolean `{}`", written.as_deref().unwrap_or_default())
                }
                Scalar::Int(_) | Scalar::Float(_) => {
                    format!("the number `{}`", written.as_deref().unwrap_or_default())
                }
                Scalar::Str(s) => format!("the text `{}`", abbreviate(s)),
            },
            NodeKind::Sequence(_) => "a list".to_owned(),
            NodeKind::Mapping(_) => "a mapping".to_owned(),
        }
    }
}

/// Keeps user text in one-line messages short: a 5 MB value must not become a 5 MB message.
pub fn abbreviate(s: &str) -> Cow<'_, str> {
    const LIMIT: usize = 60;
    let first_line = s.lines().next().unwrap_or("");
    if first_line.chars().count() <= LIMIT && first_line.len() == s.len() {
        Cow::Borrowed(s)
    } else {
        let cut: String = first_line.chars().take(LIMIT).collect();
        Cow::Owned(format!("{cut}…"))
    }
}

/// Parses bytes as one YAML document. Never panics; every problem comes back located.
pub fn parse(bytes: &[u8]) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition, so this cannot lose anything.
            let prefix = String::from_utf8_lossy(valid);
            let (line, last) = crate::core::locate::lines(&prefix)
                .enumerate()
                .last()
                .map_or((0, ""), |(index, (_, last))| (index, last));
            let (line, column) = (line + 1, last.chars().count() + 1);
            Parsed {
                document: None,
                problems: vec![SyntaxProblem {
                    pos: Pos::new(to_u32(line), to_u32(column)),
                    message: format!("the file is not valid UTF-8 (byte {})", err.valid_up_to()),
                    help: Some("save the file as UTF-8".to_owned()),
                }],
            }
        }
    }
}

pub fn parse_str(text: &str) -> Parsed {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(pair)) => pair,
            Some(Err(err)) => {
                let mark = err.marker();
                builder.problem(
                    Pos::new(to_u32(mark.line()), to_u32(mark.col() + 1)),
                    format!("invalid YAML: {}", err.info()),
                    crate::core::yaml_help::help(text, mark.line(), mark.col()),
                );
                return builder.finish_failed();
            }
        };
        let pos = pos_of(&span);
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    builder.problem(
                        pos,
                        "a second YAML document starts here; an OKR file holds exactly one".to_owned(),
                        Some("remove the `---` line, or move the second document into a file of its own".to_owned()),
                    );
                    // Keep the first document: its findings are still worth reporting.
                    break;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = builder.scalar(pos, value, style, tag);
                if !builder.place(node, anchor) {
                    return builder.finish_failed();
                }
            }
            Event::SequenceStart(anchor, tag) => {
                if !builder.open(pos, NodeKind::Sequence(Vec::new()), anchor, tag) {
                    return builder.finish_failed();
                }
            }
            Event::MappingStart(anchor, tag) => {
                if !builder.open(pos, NodeKind::Mapping(Vec::new()), anchor, tag) {
                    return builder.finish_failed();
                }
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(),
            Event::Alias(anchor) => match builder.anchors.get(&anchor).copied() {
                Some(target) => {
                    let node = builder.push_slot(Slot::Alias { pos, target });
                    if !builder.place(node, 0) {
                        return builder.finish_failed();
                    }
                }
                None => {
                    builder.problem(
                        pos,
                        "this alias names no anchor defined before it".to_owned(),
                        None,
                    );
                    return builder.finish_failed();
                }
            },
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    builder.finish()
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(to_u32(span.start.line()), to_u32(span.start.col() + 1))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An open collection and, for mappings, a key waiting for its value.
struct Frame {
    node: NodeId,
    pending_key: Option<NodeId>,
    /// Keys of a large mapping, to find duplicates without rescanning it; small mappings (nearly all) are
    /// scanned, which costs less than hashing every key.
    keys: Option<HashMap<String, Pos>>,
}

/// Mappings with more keys than this get an index of their keys.
const SCANNED_KEYS: usize = 16;

#[derive(Default)]
struct Builder {
    document: Document,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    problems: Vec<SyntaxProblem>,
}

impl Builder {
    fn problem(&mut self, pos: Pos, message: String, help: Option<String>) {
        self.problems.push(SyntaxProblem { pos, message, help });
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.push_slot(Slot::Node(node))
    }

    fn push_slot(&mut self, slot: Slot) -> NodeId {
        self.document.nodes.push(slot);
        NodeId(self.document.nodes.len() - 1)
    }

    fn scalar(
        &mut self,
        pos: Pos,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<Cow<'_, Tag>>,
    ) -> NodeId {
        let mut foreign_tag = tag
            .as_ref()
            .filter(|t| !is_understood(t))
            .map(|t| tag_name(t));
        let (value, written) = if foreign_tag.is_some() {
            (Scalar::Str(value.into_owned()), None)
        } else {
            // Plain scalars are usually borrowed from the input, so this clone copies a pointer, not text.
            let resolved =
                CoreScalar::parse_from_cow_and_metadata(value.clone(), style, tag.as_ref());
            let written = || Some(Box::<str>::from(&*value));
            match resolved {
                Some(CoreScalar::Null) => (Scalar::Null, written()),
                Some(CoreScalar::Boolean(b)) => (Scalar::Bool(b), written()),
                Some(CoreScalar::Integer(i)) => (Scalar::Int(i), written()),
                Some(CoreScalar::FloatingPoint(f)) => (Scalar::Float(f.into_inner()), written()),
                Some(CoreScalar::String(s)) => (Scalar::Str(s.into_owned()), None),
                // A core tag whose text does not fit it (`!!int abc`): keep it as text, flagged.
                None => {
                    foreign_tag = tag.map(|t| tag_name(&t));
                    (Scalar::Str(value.into_owned()), None)
                }
            }
        };
        self.push(Node {
            pos,
            kind: NodeKind::Scalar {
                value,
                written,
                foreign_tag,
            },
        })
    }

    /// Starts a collection. Returns false when the nesting limit is reached.
    fn open(&mut self, pos: Pos, kind: NodeKind, anchor: usize, tag: Option<Cow<'_, Tag>>) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            self.problem(
                pos,
                format!("the document nests deeper than {MAX_DEPTH} levels"),
                Some(
                    "an OKR file needs about five levels; check the indentation and brackets"
                        .to_owned(),
                ),
            );
            return false;
        }
        if let Some(tag) = tag.filter(|t| !is_understood(t)) {
            self.problem(
                pos,
                format!("unsupported tag `{}`", tag_name(&tag)),
                Some("remove the tag".to_owned()),
            );
        }
        let node = self.push(Node { pos, kind });
        if !self.place(node, anchor) {
            return false;
        }
        self.document.depth = self.document.depth.max(self.stack.len() + 1);
        self.stack.push(Frame {
            node,
            pending_key: None,
            keys: None,
        });
        true
    }

    fn close(&mut self) {
        self.stack.pop();
    }

    /// Puts a finished (or just opened) node where the stream says it belongs.
    fn place(&mut self, node: NodeId, anchor: usize) -> bool {
        if anchor != 0 {
            self.anchors.insert(anchor, node);
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.document.root.is_none() {
                self.document.root = Some(node);
            }
            return true;
        };
        let parent = frame.node;
        let in_mapping = matches!(self.document.node(parent).kind, NodeKind::Mapping(_));
        match frame.pending_key.take() {
            None if in_mapping => {
                frame.pending_key = Some(node);
                if !matches!(self.document.node(node).kind, NodeKind::Scalar { .. }) {
                    let pos = self.document.pos(node);
                    self.problem(
                        pos,
                        "a mapping key must be a plain word, not a list or mapping".to_owned(),
                        None,
                    );
                    return false;
                }
            }
            None => {
                if let Some(NodeKind::Sequence(items)) = self.document.kind_mut(parent) {
                    items.push(node);
                }
            }
            Some(key) => {
                let key_pos = self.document.pos(key);
                let document = &self.document;
                let name = document.key_text(key).unwrap_or_default();
                let entries = match &document.node(parent).kind {
                    NodeKind::Mapping(entries) => entries.as_slice(),
                    _ => &[],
                };
                let first = match &frame.keys {
                    Some(index) => index.get(name).copied(),
                    None => entries
                        .iter()
                        .find(|e| document.key_text(e.key).unwrap_or_default() == name)
                        .map(|e| document.pos(e.key)),
                };
                if let Some(first) = first {
                    let message = format!(
                        "duplicate key `{}` (first at line {})",
                        abbreviate(name),
                        first.line
                    );
                    self.problem(
                        key_pos,
                        message,
                        Some(
                            "remove one of them; YAML tools disagree on which one wins".to_owned(),
                        ),
                    );
                    return true;
                }
                match &mut frame.keys {
                    Some(index) => {
                        index.insert(name.to_owned(), key_pos);
                    }
                    None if entries.len() >= SCANNED_KEYS => {
                        let mut index: HashMap<String, Pos> = entries
                            .iter()
                            .map(|e| {
                                let text = document.key_text(e.key).unwrap_or_default();
                                (text.to_owned(), document.pos(e.key))
                            })
                            .collect();
                        index.insert(name.to_owned(), key_pos);
                        frame.keys = Some(index);
                    }
                    None => {}
                }
                if let Some(NodeKind::Mapping(entries)) = self.document.kind_mut(parent) {
                    entries.push(Entry { key, value: node });
                }
            }
        }
        true
    }

    fn finish(self) -> Parsed {
        Parsed {
            document: Some(self.document),
            problems: self.problems,
        }
    }

    fn finish_failed(self) -> Parsed {
        Parsed {
            document: None,
            problems: self.problems,
        }
    }
}

/// A tag as it is usually written: `!!set`, `!local`, not the expanded `tag:yaml.org,2002:set`.
fn tag_name(tag: &Tag) -> String {
    let full = format!("{}{}", tag.handle, tag.suffix);
    match full.strip_prefix(CORE_TAG_PREFIX) {
        Some(core) => format!("!!{}", core.trim_start_matches('!')),
        None if tag.handle == "!" => format!("!{}", tag.suffix),
        None => full,
    }
}

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Core-schema tags (`!!str`, `!!int`, …) are plain YAML; anything else asks for a language-specific object.
fn is_understood(tag: &Tag) -> bool {
    tag.is_yaml_core_schema()
        && matches!(
            tag.suffix.as_str(),
            "str" | "int" | "float" | "bool" | "null" | "map" | "seq"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_entries(doc: &Document) -> Vec<(String, Pos)> {
        let NodeKind::Mapping(entries) = &doc.node(doc.root().unwrap()).kind else {
            panic!("root is not a mapping")
        };
        entries
            .iter()
            .map(|e| (doc.key_text(e.key).unwrap().to_owned(), doc.pos(e.value)))
            .collect()
    }

    #[test]
    fn every_node_has_its_line_and_column() {
        let parsed = parse_str("quarter: 2026-Q3\nobjectives:\n  - id: a\n    title: T\n");
        let doc = parsed.document.unwrap();
        assert!(parsed.problems.is_empty());
        let entries = root_entries(&doc);
        assert_eq!(entries[0], ("quarter".to_owned(), Pos::new(1, 10)));
        assert_eq!(entries[1].1, Pos::new(3, 3));
    }

    #[test]
    fn scalars_resolve_by_the_core_schema() {
        let doc = parse_str("a: 12\nb: 0.5\nc: true\nd: '12'\ne:\nf: yes\n")
            .document
            .unwrap();
        let NodeKind::Mapping(entries) = &doc.node(doc.root().unwrap()).kind else {
            panic!()
        };
        let values: Vec<&Scalar> = entries
            .iter()
            .map(|e| match &doc.node(e.value).kind {
                NodeKind::Scalar { value, .. } => value,
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            values,
            [
                &Scalar::Int(12),
                &Scalar::Float(0.5),
                &Scalar::Bool(true),
                &Scalar::Str("12".into()),
                &Scalar::Null,
                &Scalar::Str("yes".into())
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let parsed = parse_str("title: a\nteam: x\ntitle: b\n");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].pos, Pos::new(3, 1));
        assert!(parsed.problems[0].message.contains("first at line 1"));
        assert_eq!(root_entries(&parsed.document.unwrap()).len(), 2);
    }

    #[test]
    fn duplicate_keys_are_found_in_large_mappings_too() {
        // Past SCANNED_KEYS the keys are indexed: duplicates of keys from before and after that point count.
        let mut text: String = (1..=40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: again\nk35: again\n");
        let parsed = parse_str(&text);
        let found: Vec<(u32, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.pos.line, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (41, "duplicate key `k3` (first at line 3)"),
                (42, "duplicate key `k35` (first at line 35)")
            ]
        );
        assert_eq!(root_entries(&parsed.document.unwrap()).len(), 40);
    }

    #[test]
    fn aliases_share_the_anchored_node_instead_of_copying_it() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..40 {
            text.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n",
                prev = if i == 1 { "a".to_owned() } else { format!("b{}", i - 1) }));
        }
        let parsed = parse_str(&text);
        assert!(parsed.problems.is_empty());
        assert!(parsed.document.unwrap().nodes.len() < 1000);
    }

    #[test]
    fn an_alias_is_placed_where_it_is_used() {
        let doc = parse_str("a: &x [1, 2]\nb: *x\n").document.unwrap();
        let entries = root_entries(&doc);
        assert_eq!(entries[1].1, Pos::new(2, 4));
        let NodeKind::Mapping(map) = &doc.node(doc.root().unwrap()).kind else {
            panic!()
        };
        assert!(
            matches!(&doc.node(map[1].value).kind, NodeKind::Sequence(items) if items.len() == 2)
        );
    }

    #[test]
    fn deep_nesting_stops_at_the_limit_with_a_located_problem() {
        let text = "- ".repeat(100_000) + "x";
        let parsed = parse_str(&text);
        assert!(parsed.document.is_none());
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("deeper than"));
    }

    #[test]
    fn a_second_document_is_reported_and_the_first_kept() {
        let parsed = parse_str("team: a\n---\nteam: b\n");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].pos.line, 2);
        assert_eq!(root_entries(&parsed.document.unwrap()).len(), 1);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let parsed = parse(b"team: a\ntitle: \xff\n");
        assert_eq!(parsed.problems[0].pos, Pos::new(2, 8));
    }

    #[test]
    fn syntax_errors_are_located() {
        let parsed = parse_str("team: [a, b\nowner: c\n");
        assert!(parsed.document.is_none());
        assert!(parsed.problems[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn foreign_tags_are_kept_for_reporting() {
        let doc = parse_str("title: !!python/object:os.system x\n")
            .document
            .unwrap();
        let NodeKind::Mapping(entries) = &doc.node(doc.root().unwrap()).kind else {
            panic!()
        };
        assert!(matches!(
            &doc.node(entries[0].value).kind,
            NodeKind::Scalar {
                foreign_tag: Some(_),
                ..
            }
        ));
    }
}
