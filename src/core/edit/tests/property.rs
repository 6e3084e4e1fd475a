//! A property over generated files: whatever the layout, the edited text reads back as the old model with only
//! the asked value changed, and every byte outside the value's place is unchanged. Checked on every key
//! result of the fixtures and the demo too.

use super::*;

/// A small, repeatable random source (xorshift64*), as the replay test uses.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NOTES: &[&str] = &[
    "Shipped",
    "deploys: 5 # fewer",
    "- dash",
    "*star &amp !bang",
    "'quoted' \"both\"",
    "line\nbreak",
    "ünïcode ✓",
    "\u{1b}[31mred\u{7}",
    "bidi \u{202e}x",
    "true",
    " padded ",
    "{ a, b }",
];

/// One field of a generated key result: `key: value`, and for a block scalar the lines of its content (each
/// written one level deeper than the key).
struct Entry {
    key: String,
    value: String,
    block: Vec<String>,
}

impl Entry {
    fn new(key: impl Into<String>, value: impl Into<String>) -> Entry {
        Entry {
            key: key.into(),
            value: value.into(),
            block: Vec::new(),
        }
    }
}

/// Generated anchors, each name used once and by no alias: `&a1 `, or nothing.
struct Anchors(usize);

impl Anchors {
    fn maybe(&mut self, random: &mut Random) -> String {
        if random.below(5) > 0 {
            return String::new();
        }
        self.0 += 1;
        format!("&a{} ", self.0)
    }
}

/// A valid file in a random layout, with each key result's id; metric key results first. Values and keys
/// may carry anchors, ids, titles, starts and targets tags; text may be non-ASCII; lines may end in spaces;
/// notes may be block scalars of every header (`>-`, `|`, …) with a blank line first or spaces last.
fn generate(random: &mut Random) -> (String, Vec<(String, bool)>) {
    let eol = if random.below(3) == 0 { "\r\n" } else { "\n" };
    let indent = ["  ", "    "][random.below(2)];
    let mut anchors = Anchors(0);
    let mut out = format!(
        "# generated, ünïcode ✓{eol}quarter: 2026-Q3{eol}team: platform{eol}objectives:{eol}"
    );
    let mut krs = Vec::new();
    out.push_str(&format!(
        "{indent}- id: deploys{eol}{indent}  title: Deploys 日本{eol}{indent}  key_results:{eol}"
    ));
    let item = format!("{indent}  {indent}");
    for k in 0..1 + random.below(4) {
        let id = format!("kr-{k}");
        let milestone = random.below(4) == 0;
        let quote = random.pick(&["", "'", "\"", "!!str "]);
        let close = if quote == "!!str " { "" } else { quote };
        let mut fields = vec![
            Entry::new("id", format!("{quote}{id}{close}")),
            Entry::new(
                "title",
                random.pick(&[
                    "T",
                    "'T: x'",
                    "\"T # y\"",
                    "Ünïcode ✓ 日本",
                    "!!str T",
                    "T  ",
                ]),
            ),
        ];
        if milestone {
            let done = random.pick(&["false", "true"]);
            fields.push(Entry::new(
                "done",
                format!("{}{done}", anchors.maybe(random)),
            ));
        } else {
            for (key, number) in [
                ("start", random.below(50)),
                ("target", 100 + random.below(50)),
            ] {
                let tag = random.pick(&["", "", "!!int ", "!!float "]);
                fields.push(Entry::new(
                    key,
                    format!("{}{tag}{number}", anchors.maybe(random)),
                ));
            }
            if random.below(2) == 0 {
                let value = random.pick(&["", "3", "7.5", "~"]);
                fields.push(Entry::new(
                    "current",
                    format!("{}{value}", anchors.maybe(random)),
                ));
            }
        }
        if random.below(2) == 0 {
            let value = random.pick(&["0.5", "1", "0"]);
            fields.push(Entry::new(
                "confidence",
                format!("{}{value}", anchors.maybe(random)),
            ));
        }
        if random.below(2) == 0 {
            fields.push(note_entry(random, &mut anchors));
        }
        let kr_anchor = anchors.maybe(random);
        if random.below(3) == 0 {
            let flow = fields
                .iter()
                .filter(|f| f.block.is_empty())
                .map(|f| format!("{}: {}", f.key, f.value.trim_end()))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("{item}- {kr_anchor}{{ {flow} }}{eol}"));
        } else {
            for (i, field) in fields.iter().enumerate() {
                let lead = if i == 0 {
                    format!("{item}- ")
                } else {
                    format!("{item}  ")
                };
                let key = format!("{}{}", anchors.maybe(random), field.key);
                let comment = random.pick(&["", "  # c", " #: x", "   ", "  # ç "]);
                let one_line = field.block.is_empty();
                if one_line && i > 0 && random.below(8) == 0 && !field.value.is_empty() {
                    // An explicit key: `? target` and the value on the next line.
                    out.push_str(&format!(
                        "{lead}? {key}{eol}{item}  : {}{comment}{eol}",
                        field.value
                    ));
                } else if one_line {
                    out.push_str(&format!("{lead}{key}: {}{comment}{eol}", field.value));
                } else {
                    out.push_str(&format!("{lead}{key}: {}{eol}", field.value));
                    for line in &field.block {
                        match line.as_str() {
                            "" => out.push_str(eol),
                            line => out.push_str(&format!("{item}    {line}{eol}")),
                        }
                    }
                }
                if random.below(6) == 0 {
                    out.push_str(eol);
                }
            }
        }
        krs.push((id, milestone));
    }
    if random.below(4) == 0 {
        out.truncate(out.len() - eol.len());
    }
    (out, krs)
}

/// A `notes` entry: plain, quoted, or a block scalar of any header, whose lines may end in spaces, start with a
/// blank line, or end with a line of spaces.
fn note_entry(random: &mut Random, anchors: &mut Anchors) -> Entry {
    let anchor = anchors.maybe(random);
    if random.below(2) == 0 {
        let value = random.pick(&[
            "plain words",
            "'single'",
            "\"double\\n\"",
            "ünï ✓ 日本",
            "words  ",
        ]);
        return Entry::new("notes", format!("{anchor}{value}"));
    }
    let header = random.pick(&[">-", "|-", "|", ">", ">+", "|+"]);
    let mut block = Vec::new();
    if random.below(4) == 0 {
        block.push(String::new());
    }
    for _ in 0..1 + random.below(3) {
        let line = random.pick(&["block text", "ünïcode ✓", "more", "- a: b # c"]);
        let spaces = random.pick(&["", "", "  "]);
        block.push(format!("{line}{spaces}"));
    }
    if random.below(4) == 0 {
        block.push("   ".to_owned());
    }
    Entry {
        key: "notes".to_owned(),
        value: format!("{anchor}{header}"),
        block,
    }
}

#[test]
fn any_value_of_any_key_result_of_a_generated_file_changes_only_that_value() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for round in 0..3000 {
        let (text, krs) = generate(&mut random);
        let loaded = crate::core::parse::parse("x.yaml", text.as_bytes().to_vec());
        assert!(loaded.findings.is_empty(), "{text}\n{:?}", loaded.findings);
        let (id, milestone) = &krs[random.below(krs.len())];
        let mut one = edit("deploys", id);
        let field = random.below(3);
        match field {
            0 if *milestone => one.progress = Some(Progress::Done(random.below(2) == 0)),
            0 => {
                one.progress = Some(Progress::Value(Number(
                    random.below(1000) as f64 / [1.0, 4.0][random.below(2)],
                )))
            }
            1 => one.confidence = Some(Number(random.below(11) as f64 / 10.0)),
            _ => one.note = Some(random.pick(NOTES).to_owned()),
        }
        let edited = apply(&text, std::slice::from_ref(&one))
            .unwrap_or_else(|e| panic!("round {round}: {e}\n{text}\n{one:?}"));
        // The model: the old one with only that value changed (apply checks it; this checks apply).
        let mut expected = loaded.okr.unwrap();
        let kr = find(&mut expected, "deploys", id).unwrap();
        let fields = changes(kr, &one);
        let after = crate::core::parse::parse("x.yaml", edited.as_bytes().to_vec());
        assert!(after.findings.is_empty(), "{edited}\n{:?}", after.findings);
        assert_eq!(
            serde_json::to_value(after.okr.unwrap()).unwrap(),
            serde_json::to_value(&expected).unwrap(),
            "{edited}"
        );
        // The bytes: one splice, and nothing outside it changed.
        let planned = planned(&text, std::slice::from_ref(&one));
        assert!(planned.len() <= 1, "{planned:?}");
        let Some(splice) = planned.first() else {
            assert!(fields.is_empty());
            assert_eq!(edited, text);
            continue;
        };
        assert_eq!(
            edited,
            format!(
                "{}{}{}",
                &text[..splice.range.start],
                splice.text,
                &text[splice.range.end..]
            )
        );
        check_splice(&text, splice, Some(fields[0].0));
    }
}

/// A splice replaces one value's own text, never the space or comment around it, or inserts whole entries
/// (or a value after a key that had none).
fn check_splice(text: &str, splice: &Splice, field: Option<Field>) {
    let old = &text[splice.range.clone()];
    if splice.range.is_empty() {
        let filled = splice.text.starts_with(' ') && !splice.text.contains(['\n', '\r', ':']);
        assert!(
            filled
                || splice
                    .text
                    .contains(&format!("{}: ", field.map_or("", Field::key))),
            "{splice:?}"
        );
        return;
    }
    // The content of a block note runs to the end of its last line, spaces there included: they are part of
    // the note.
    let block = text[..splice.range.start]
        .trim_end_matches(' ')
        .ends_with(['\n', '\r']);
    assert_eq!(old.trim_start(), old, "{old:?}");
    if !block {
        assert_eq!(old.trim_end(), old, "{old:?}");
    }
    if !block && !old.starts_with(['"', '\'', '>', '|']) {
        assert!(!old.contains(" #") && !old.contains('\n'), "{old:?}");
    }
}

/// Every key result of every valid fixture and of the demo: each field set, checked as above.
#[test]
fn every_key_result_of_the_fixtures_and_the_demo_takes_every_field() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in ["fixtures/valid/okrs/2026-Q3", "fixtures/demo/okrs/2026-Q3"] {
        for entry in std::fs::read_dir(root.join(folder)).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut checked = 0;
    for text in files {
        let loaded = crate::core::parse::parse("x.yaml", text.as_bytes().to_vec());
        let Some(okr) = loaded.okr else { continue };
        for objective in &okr.objectives {
            let objective_id = objective.id.as_ref().unwrap().value.to_string();
            for kr in &objective.key_results {
                let kr_id = kr.id.as_ref().unwrap().value.to_string();
                let progress = match &kr.done {
                    Some(done) => Progress::Done(!done.value),
                    None => Progress::Value(Number(42.5)),
                };
                let one = KeyResultEdit {
                    progress: Some(progress),
                    confidence: Some(Number(0.35)),
                    note: Some("Checked: in # on time".to_owned()),
                    ..edit(&objective_id, &kr_id)
                };
                let edited = apply(&text, std::slice::from_ref(&one)).unwrap();
                for splice in planned(&text, &[one]) {
                    check_splice(&text, &splice, None);
                }
                assert_ne!(edited, text);
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked}");
}
