//! The positioned YAML tree → an [`OkrFile`], recording every structural problem on the way
//! (`missing-field`, `unknown-field`, `invalid-value`) instead of stopping at the first.
//!
//! The walk follows the format's shape, never the document's, so it is as deep as the format (five levels)
//! however the YAML is built, and an alias that loops back on itself is never followed into.

use crate::core::diagnostic::{Finding, Pos};
use crate::core::model::{
    Alignment, DIRECTIONS, Dropped, HEALTHS, KeyResult, Number, OBJECTIVE_TYPES, Objective,
    OkrFile, Owners, PRIORITIES, Quarter, STATUSES, Spanned, Text, is_slug,
};
use crate::core::rules::codes;
use crate::core::suggest::closest;
use crate::core::yaml::{Document, NodeId, NodeKind, Scalar, abbreviate};

mod links;
mod retrospective;
mod values;

/// The fields of each level of the format. The JSON Schema is tested against these lists.
pub const FILE_FIELDS: &[&str] = &[
    "quarter",
    "team",
    "owner",
    "links",
    "objectives",
    "retrospective",
];
pub const OBJECTIVE_FIELDS: &[&str] = &[
    "id",
    "title",
    "type",
    "owner",
    "aligns_to",
    "carried_from",
    "status",
    "priority",
    "dropped",
    "notes",
    "links",
    "key_results",
];
pub const DROPPED_FIELDS: &[&str] = &["date", "reason"];
pub const KEY_RESULT_FIELDS: &[&str] = &[
    "id",
    "title",
    "start",
    "target",
    "current",
    "unit",
    "confidence",
    "score",
    "notes",
    "owner",
    "done",
    "direction",
    "progress",
    "priority",
    "health",
    "links",
];
pub const LINK_FIELDS: &[&str] = &["title", "url"];
pub const RETROSPECTIVE_FIELDS: &[&str] = &["went_well", "to_improve", "learnings"];

/// Decodes a document holding one objective as a list item (a piece of a file cut out by
/// the piecewise parser). `None` when the document is not a list of exactly one item; `Some(None)` when that
/// item is no objective (the full file would skip it too).
pub fn lone_objective(doc: &Document) -> Option<Option<Objective>> {
    lone_item(doc, Decoder::objective)
}

/// Decodes a document holding one key result as a list item, as [`lone_objective`] does an objective.
pub fn lone_key_result(doc: &Document) -> Option<Option<KeyResult>> {
    lone_item(doc, Decoder::key_result)
}

fn lone_item<'d, T>(
    doc: &'d Document,
    decode: impl FnOnce(&mut Decoder<'d>, NodeId) -> Option<T>,
) -> Option<Option<T>> {
    let root = doc.root()?;
    let NodeKind::Sequence(items) = &doc.node(root).kind else {
        return None;
    };
    let [item] = items.as_slice() else {
        return None;
    };
    let mut decoder = Decoder {
        doc,
        findings: Vec::new(),
    };
    Some(decode(&mut decoder, *item))
}

/// Decodes a parsed document. The model holds whatever could be read; findings say what could not.
pub fn decode(doc: &Document) -> (OkrFile, Vec<Finding>) {
    let mut decoder = Decoder {
        doc,
        findings: Vec::new(),
    };
    let file = match doc.root() {
        None => {
            decoder.findings.push(
                Finding::new(codes::INVALID_VALUE, Pos::START, "the file is empty")
                    .with_help("an OKR file is a mapping with `quarter`, `team` and `objectives`; `okr init` writes an example"),
            );
            OkrFile::default()
        }
        Some(root) => decoder.file(root),
    };
    (file, decoder.findings)
}

struct Decoder<'a> {
    doc: &'a Document,
    findings: Vec<Finding>,
}

/// The entries of one mapping, looked up by field name.
struct Fields {
    /// Where the mapping starts.
    pos: Pos,
    entries: Vec<(&'static str, NodeId, NodeId)>,
}

impl Fields {
    fn get(&self, name: &str) -> Option<(NodeId, NodeId)> {
        self.entries
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|&(_, k, v)| (k, v))
    }
}

impl<'a> Decoder<'a> {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn invalid(&mut self, node: NodeId, message: String, help: Option<String>) {
        let mut finding = Finding::new(codes::INVALID_VALUE, self.doc.pos(node), message);
        finding.help = help;
        self.push(finding);
    }

    /// Checks that `node` is a mapping of known fields; reports unknown ones. `what` names the level in messages.
    fn fields(&mut self, node: NodeId, known: &[&'static str], what: &str) -> Option<Fields> {
        let entries = match &self.doc.node(node).kind {
            NodeKind::Mapping(entries) => entries,
            _ => {
                let found = self.doc.describe(node);
                self.invalid(
                    node,
                    format!("{what} must be a mapping of fields, found {found}"),
                    None,
                );
                return None;
            }
        };
        let mut fields = Fields {
            pos: self.doc.pos(node),
            entries: Vec::new(),
        };
        for entry in entries {
            let name = self.doc.key_text(entry.key).unwrap_or_default();
            match known.iter().find(|k| **k == name) {
                Some(k) => fields.entries.push((k, entry.key, entry.value)),
                None => {
                    let mut finding = Finding::new(
                        codes::UNKNOWN_FIELD,
                        self.doc.pos(entry.key),
                        format!("unknown field `{}` in {what}", abbreviate(name)),
                    );
                    finding.help = Some(match closest(name, known) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("{what} has the fields {}", list(known)),
                    });
                    self.push(finding);
                }
            }
        }
        Some(fields)
    }

    /// The value of a required field, or a `missing-field` finding. A key with no value counts as missing.
    fn required(&mut self, fields: &Fields, name: &str, what: &str) -> Option<NodeId> {
        match fields.get(name) {
            None => {
                self.push(Finding::new(
                    codes::MISSING_FIELD,
                    fields.pos,
                    format!("{what} has no `{name}`"),
                ));
                None
            }
            Some((key, value)) if self.is_null(value) => {
                self.push(Finding::new(
                    codes::MISSING_FIELD,
                    self.doc.pos(key),
                    format!("`{name}` has no value"),
                ));
                None
            }
            Some((_, value)) => Some(value),
        }
    }

    /// The value of an optional field; a key with no value is the same as no key.
    fn optional(&self, fields: &Fields, name: &str) -> Option<NodeId> {
        fields
            .get(name)
            .map(|(_, v)| v)
            .filter(|v| !self.is_null(*v))
    }

    fn file(&mut self, root: NodeId) -> OkrFile {
        let mut file = OkrFile::default();
        let Some(fields) = self.fields(root, FILE_FIELDS, "an OKR file") else {
            if let Some(finding) = self.findings.last_mut() {
                finding.help = Some(
                    "an OKR file is a mapping with `quarter`, `team` and `objectives`; `okr init` writes an example"
                        .to_owned(),
                );
            }
            return file;
        };
        let what = "the file";
        if let Some(node) = self.required(&fields, "quarter", what) {
            file.quarter = self.quarter(node, "quarter");
        }
        if let Some(node) = self.required(&fields, "team", what) {
            file.team = self.slug(node, "team");
        }
        if let Some(node) = self.optional(&fields, "owner") {
            file.owner = self.owners(node);
        }
        if let Some(node) = self.optional(&fields, "links") {
            file.links = self.links(node);
        }
        file.objectives_key = fields.get("objectives").map(|(k, _)| self.doc.pos(k));
        if let Some(node) = self.required(&fields, "objectives", what)
            && let Some(items) = self.list(node, "objectives")
        {
            file.objectives = items
                .iter()
                .filter_map(|&item| self.objective(item))
                .collect();
        }
        if let Some(node) = self.optional(&fields, "retrospective") {
            file.retrospective = self.retrospective(node);
        }
        file
    }

    /// A quarter, `YYYY-Qn`: the file's `quarter`, or the `carried_from` of an objective.
    fn quarter(&mut self, node: NodeId, name: &str) -> Option<Spanned<Quarter>> {
        let text = self.text(node, name)?;
        match text.value.parse::<Quarter>() {
            Ok(quarter) => Some(Spanned::new(quarter, text.pos)),
            Err(message) if name == "quarter" => {
                self.invalid(node, message, None);
                None
            }
            Err(message) => {
                self.invalid(
                    node,
                    format!("`{name}` must be a quarter: {message}"),
                    Some(format!(
                        "write the quarter as YYYY-Qn, e.g. `{name}: 2026-Q3`"
                    )),
                );
                None
            }
        }
    }

    fn objective(&mut self, node: NodeId) -> Option<Objective> {
        let fields = self.fields(node, OBJECTIVE_FIELDS, "an objective")?;
        let what = "this objective";
        let mut objective = Objective {
            pos: fields.pos,
            id: None,
            title: None,
            kind: None,
            owner: None,
            aligns_to: None,
            carried_from: None,
            status: None,
            priority: None,
            dropped: None,
            notes: None,
            links: Vec::new(),
            key_results: Vec::new(),
            key_results_key: fields.get("key_results").map(|(k, _)| self.doc.pos(k)),
        };
        if let Some(v) = self.required(&fields, "id", what) {
            objective.id = self.slug(v, "id");
        }
        if let Some(v) = self.required(&fields, "title", what) {
            objective.title = self.text(v, "title");
        }
        if let Some(v) = self.optional(&fields, "type") {
            objective.kind = self.choice(v, "type", OBJECTIVE_TYPES);
        }
        if let Some(v) = self.optional(&fields, "owner") {
            objective.owner = self.owners(v);
        }
        if let Some(v) = self.optional(&fields, "aligns_to") {
            objective.aligns_to = self.alignment(v);
        }
        if let Some(v) = self.optional(&fields, "carried_from") {
            objective.carried_from = self.quarter(v, "carried_from");
        }
        if let Some(v) = self.optional(&fields, "status") {
            objective.status = self.choice(v, "status", STATUSES);
        }
        if let Some(v) = self.optional(&fields, "priority") {
            objective.priority = self.choice(v, "priority", PRIORITIES);
        }
        if let Some((key, v)) = fields.get("dropped") {
            objective.dropped = self.dropped(key, v);
        }
        if let Some(v) = self.optional(&fields, "notes") {
            objective.notes = self.text(v, "notes");
        }
        if let Some(v) = self.optional(&fields, "links") {
            objective.links = self.links(v);
        }
        if let Some(v) = self.required(&fields, "key_results", what)
            && let Some(items) = self.list(v, "key_results")
        {
            if items.is_empty() {
                self.invalid(
                    v,
                    "an objective needs at least one key result".to_owned(),
                    Some(
                        "add the measurable results that would show the objective is met"
                            .to_owned(),
                    ),
                );
            }
            objective.key_results = items
                .iter()
                .filter_map(|&item| self.key_result(item))
                .collect();
        }
        Some(objective)
    }

    fn alignment(&mut self, node: NodeId) -> Option<Spanned<Alignment>> {
        let text = self.text(node, "aligns_to")?;
        let parts: Vec<&str> = text.value.split('/').collect();
        match parts[..] {
            [team, objective] | [team, objective, _] if parts.iter().all(|p| is_slug(p)) => {
                Some(Spanned::new(
                    Alignment {
                        team: team.to_owned(),
                        objective: objective.to_owned(),
                        key_result: parts.get(2).map(|k| (*k).to_owned()),
                    },
                    text.pos,
                ))
            }
            _ => {
                self.invalid(
                    node,
                    format!(
                        "`aligns_to` must name a team and one of its objectives (or that objective's key result), found `{}`",
                        abbreviate(&text.value)
                    ),
                    Some(
                        "write it as <team>/<objective-id>, e.g. `company/customer-trust`, or \
                         <team>/<objective-id>/<key-result-id>"
                            .to_owned(),
                    ),
                );
                None
            }
        }
    }

    fn dropped(&mut self, key: NodeId, node: NodeId) -> Option<Dropped> {
        if self.is_null(node) {
            // `dropped:` with nothing under it: the dropped-without-reason rule says what is missing.
            return Some(Dropped {
                pos: self.doc.pos(key),
                date: None,
                reason: None,
            });
        }
        let fields = self.fields(node, DROPPED_FIELDS, "`dropped`")?;
        let mut dropped = Dropped {
            pos: self.doc.pos(key),
            date: None,
            reason: None,
        };
        if let Some(v) = self.required(&fields, "date", "`dropped`") {
            dropped.date = self.date(v, "date");
        }
        if let Some(v) = self.optional(&fields, "reason") {
            // An empty reason is reported once, by dropped-without-reason, not also as an empty text.
            dropped.reason = match self.scalar(v) {
                Some(Scalar::Str(s)) if s.trim().is_empty() => {
                    Some(Spanned::new(Text::from(""), self.doc.pos(v)))
                }
                _ => self.text(v, "reason"),
            };
        }
        Some(dropped)
    }

    fn key_result(&mut self, node: NodeId) -> Option<KeyResult> {
        let fields = self.fields(node, KEY_RESULT_FIELDS, "a key result")?;
        let what = "this key result";
        let mut kr = KeyResult {
            pos: fields.pos,
            id: None,
            title: None,
            start: None,
            target: None,
            current: None,
            done: None,
            direction: None,
            progress: None,
            unit: None,
            confidence: None,
            score: None,
            notes: None,
            owner: None,
            priority: None,
            health: None,
            links: Vec::new(),
            measure_unreadable: false,
        };
        if let Some(v) = self.required(&fields, "id", what) {
            kr.id = self.slug(v, "id");
        }
        if let Some(v) = self.required(&fields, "title", what) {
            kr.title = self.text(v, "title");
        }
        if let Some(v) = self.optional(&fields, "start") {
            kr.start = self.number(v, "start");
        }
        if let Some(v) = self.optional(&fields, "target") {
            kr.target = self.number(v, "target");
        }
        if let Some(v) = self.optional(&fields, "current") {
            kr.current = self.number(v, "current");
        }
        if let Some(v) = self.optional(&fields, "unit") {
            kr.unit = self.text(v, "unit");
        }
        if let Some(v) = self.optional(&fields, "confidence") {
            kr.confidence = self.fraction(v, "confidence");
        }
        if let Some(v) = self.optional(&fields, "score") {
            kr.score = self.fraction(v, "score");
        }
        if let Some(v) = self.optional(&fields, "notes") {
            kr.notes = self.text(v, "notes");
        }
        if let Some(v) = self.optional(&fields, "owner") {
            kr.owner = self.owners(v);
        }
        if let Some(v) = self.optional(&fields, "done") {
            kr.done = self.boolean(v, "done");
        }
        if let Some(v) = self.optional(&fields, "direction") {
            kr.direction = self.choice(v, "direction", DIRECTIONS);
        }
        if let Some(v) = self.optional(&fields, "progress") {
            kr.progress = self.fraction(v, "progress");
        }
        if let Some(v) = self.optional(&fields, "priority") {
            kr.priority = self.choice(v, "priority", PRIORITIES);
        }
        if let Some(v) = self.optional(&fields, "health") {
            kr.health = self.choice(v, "health", HEALTHS);
        }
        if let Some(v) = self.optional(&fields, "links") {
            kr.links = self.links(v);
        }
        kr.measure_unreadable = [
            ("start", kr.start.is_some()),
            ("target", kr.target.is_some()),
            ("current", kr.current.is_some()),
            ("done", kr.done.is_some()),
            ("direction", kr.direction.is_some()),
            ("progress", kr.progress.is_some()),
        ]
        .iter()
        .any(|(name, read)| !read && self.optional(&fields, name).is_some());
        if let Some(v) = self.optional(&fields, "done") {
            let metric_fields: Vec<&str> = ["start", "target", "current"]
                .into_iter()
                .filter(|f| fields.get(f).is_some())
                .collect();
            if !metric_fields.is_empty() {
                self.invalid(
                    v,
                    format!(
                        "a key result is a metric (`start`/`target`) or a milestone (`done`), not both; this one also has {}",
                        list(&metric_fields)
                    ),
                    Some("keep `done` for a yes/no result, or remove it and measure with `start` and `target`".to_owned()),
                );
            }
        }
        if let Some(v) = self.optional(&fields, "progress") {
            let others: Vec<&str> = ["start", "target", "current", "done", "direction"]
                .into_iter()
                .filter(|f| fields.get(f).is_some())
                .collect();
            if !others.is_empty() {
                self.invalid(
                    v,
                    format!(
                        "a key result measured by `progress` (a share done) has no start, target or direction; this one also has {}",
                        list(&others)
                    ),
                    Some("keep `progress` for work measured as a share done, or remove it and measure with `start` and `target`".to_owned()),
                );
            }
        }
        Some(kr)
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "my-objective".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::yaml::parse_str;

    fn findings(text: &str) -> Vec<(u32, u32, &'static str, String)> {
        let doc = parse_str(text).document.unwrap();
        let (_, findings) = decode(&doc);
        findings
            .into_iter()
            .map(|f| (f.pos.line, f.pos.column, f.code, f.message))
            .collect()
    }

    const VALID: &str = "\
quarter: 2026-Q3
team: platform
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2
      - id: runbook
        title: Runbooks
        done: false
";

    #[test]
    fn a_valid_file_decodes_without_findings() {
        let doc = parse_str(VALID).document.unwrap();
        let (file, findings) = decode(&doc);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(&*file.team.unwrap().value, "platform");
        assert_eq!(file.objectives[0].key_results.len(), 2);
    }

    #[test]
    fn unknown_fields_point_at_the_key_and_suggest_the_field() {
        let text = VALID.replace("        target: 2", "        taget: 2");
        let doc = parse_str(&text).document.unwrap();
        let (_, found) = decode(&doc);
        let unknown = found
            .iter()
            .find(|f| f.code == codes::UNKNOWN_FIELD)
            .unwrap();
        assert_eq!((unknown.pos.line, unknown.pos.column), (11, 9));
        assert_eq!(unknown.help.as_deref(), Some("did you mean `target`?"));
    }

    #[test]
    fn missing_fields_point_at_the_item_that_lacks_them() {
        let text = VALID.replace("    title: Make deploys boring\n", "");
        assert!(findings(&text).contains(&(
            4,
            5,
            codes::MISSING_FIELD,
            "this objective has no `title`".into()
        )));
    }

    #[test]
    fn wrong_types_are_invalid_values_at_the_value() {
        let text = VALID
            .replace("start: 12", "start: \"12\"")
            .replace("done: false", "done: yes");
        let found = findings(&text);
        assert!(
            found
                .iter()
                .any(|f| f.0 == 10 && f.1 == 16 && f.2 == codes::INVALID_VALUE)
        );
        assert!(
            found
                .iter()
                .any(|f| f.0 == 14 && f.1 == 15 && f.2 == codes::INVALID_VALUE)
        );
    }

    #[test]
    fn every_problem_in_a_file_is_reported_in_one_pass() {
        let text = VALID
            .replace("team: platform", "team: Platform Team")
            .replace("type: committed", "type: comitted")
            .replace("start: 12", "start: 12\n        confidence: 1.5");
        assert_eq!(findings(&text).len(), 3);
    }

    #[test]
    fn a_top_level_list_is_not_an_okr_file() {
        let found = findings("- a\n- b\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2, codes::INVALID_VALUE);
    }

    #[test]
    fn closest_name_suggests_only_plausible_typos() {
        assert_eq!(closest("taget", KEY_RESULT_FIELDS), Some("target"));
        assert_eq!(closest("keyresults", OBJECTIVE_FIELDS), Some("key_results"));
        assert_eq!(closest("zzz", KEY_RESULT_FIELDS), None);
    }
}
