use std::cell::Cell;

use super::*;

thread_local! {
    /// How many texts with fixes made [`check`] has read back on this thread.
    pub(super) static READS: Cell<usize> = const { Cell::new(0) };
}

const PATH: &str = "okrs/2026-Q3/platform.yaml";

fn file(key_result: &str) -> String {
    format!(
        "quarter: 2026-Q3 # the folder's\nteam: platform\nobjectives:\n  - id: boring-deploys\n    title: \
         Make deploys boring\n    type: committed\n    key_results:\n      - id: failed-deploys\n        \
         title: Failed deploys per week\n{key_result}      - id: lead-time\n        title: Lead time\n        \
         start: 5\n        target: 1\n"
    )
}

fn findings(text: &str, path: &str) -> Vec<Finding> {
    let loaded = parse::parse(path, text.as_bytes().to_vec());
    let mut findings = loaded.findings;
    findings.extend(rules::check_file(loaded.okr.as_ref().unwrap(), path));
    attach(text, path, &mut findings);
    findings
}

#[test]
fn a_typo_with_one_near_field_is_renamed_and_nothing_else_changes() {
    let text = file("        start: 12\n        taget: 2   # by Q3\n");
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(
        fixed.text,
        text.replace("taget: 2   # by Q3", "target: 2   # by Q3")
    );
    assert_eq!(fixed.applied.len(), 1);
    assert_eq!(fixed.applied[0].title, "rename `taget` to `target`");
    assert!(fixed.refused.is_empty());
}

#[test]
fn a_typo_near_two_free_fields_is_offered_but_not_safe() {
    // `pro` is as near `progress` as `priority`.
    let text = file("        start: 12\n        target: 2\n        pro: 1\n");
    let all = findings(&text, PATH);
    let unknown = all.iter().find(|f| f.code == codes::UNKNOWN_FIELD).unwrap();
    let fix = unknown.fix.as_ref().unwrap();
    assert!(!fix.safe, "{fix:?}");
    assert_eq!(fix_file(&text, PATH, &Options::default()).text, text);
}

#[test]
fn a_field_already_present_is_never_the_rename() {
    let text = file("        start: 12\n        target: 2\n        taget: 3\n");
    let all = findings(&text, PATH);
    let unknown = all.iter().find(|f| f.code == codes::UNKNOWN_FIELD).unwrap();
    assert!(
        unknown
            .fix
            .as_ref()
            .is_none_or(|f| f.edits[0].text != "target")
    );
}

#[test]
fn a_confidence_as_a_percentage_becomes_its_fraction() {
    let text = file("        start: 12\n        target: 2\n        confidence: 70\n");
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(
        fixed.text,
        text.replace("confidence: 70", "confidence: 0.7")
    );
    for odd in ["1.5", "2", "7", "10"] {
        let odd = file(&format!(
            "        start: 12\n        target: 2\n        confidence: {odd}\n"
        ));
        assert_eq!(fix_file(&odd, PATH, &Options::default()).text, odd);
        let all = findings(&odd, PATH);
        let invalid = all.iter().find(|f| f.code == codes::INVALID_VALUE).unwrap();
        assert_eq!(
            invalid.fix, None,
            "a scale of ten is as likely as a percentage"
        );
    }
    let eleven = file("        start: 12\n        target: 2\n        confidence: 11\n");
    assert_eq!(
        fix_file(&eleven, PATH, &Options::default()).text,
        eleven.replace("confidence: 11", "confidence: 0.11")
    );
}

#[test]
fn a_quarter_unlike_its_folder_becomes_the_folder_s_keeping_quotes_and_comment() {
    let text = file("        start: 12\n        target: 2\n").replace(
        "quarter: 2026-Q3 # the folder's",
        "quarter: '2026-Q2' # the folder's",
    );
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(fixed.text, text.replace("'2026-Q2'", "'2026-Q3'"));
}

#[test]
fn types_are_written_only_when_asked_under_the_title() {
    let text = file("        start: 12\n        target: 2\n").replace("    type: committed\n", "");
    assert_eq!(fix_file(&text, PATH, &Options::default()).text, text);
    let fixed = fix_file(
        &text,
        PATH,
        &Options {
            explicit_type: true,
            ..Options::default()
        },
    );
    assert_eq!(
        fixed.text,
        text.replace(
            "title: Make deploys boring\n",
            "title: Make deploys boring\n    type: aspirational\n"
        )
    );
    assert_eq!(fixed.applied[0].code, None);
}

#[test]
fn findings_of_allowed_rules_are_left_as_they_are() {
    let text = file("        start: 12\n        taget: 2\n").replace("2026-Q3 #", "2026-Q2 #");
    let options = Options {
        allowed: vec![codes::QUARTER_MISMATCH],
        ..Options::default()
    };
    let fixed = fix_file(&text, PATH, &options);
    assert_eq!(fixed.text, text.replace("taget", "target"));
}

#[test]
fn a_fix_that_would_bring_a_new_problem_is_refused() {
    // `taget: 12` beside `start: 12` would make start equal target.
    let text = file("        start: 12\n        taget: 12\n");
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(fixed.text, text);
    assert_eq!(fixed.refused.len(), 1);
    assert!(
        fixed.refused[0].why.contains("new problem"),
        "{:?}",
        fixed.refused
    );
}

#[test]
fn text_around_the_fix_keeps_its_characters_and_crlf() {
    let text = file("        start: 12\n        taget: 2 # 東京 🚀\n")
        .replace("Make deploys boring", "Déploiements 🚀 sans drame")
        .replace('\n', "\r\n");
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(fixed.text, text.replace("taget: 2 #", "target: 2 #"));
}

#[test]
fn a_file_that_is_not_yaml_is_left_alone() {
    let text = "quarter: 2026-Q2\nteam: [platform\n";
    let fixed = fix_file(text, PATH, &Options::default());
    assert_eq!(fixed.text, text);
    assert!(fixed.applied.is_empty());
}

#[test]
fn odd_bytes_and_positions_plan_no_fix_and_do_not_panic() {
    for text in [
        "",
        "\u{feff}",
        "taget: 1",
        "- a\n- b",
        "quarter: &q 2026-Q2\nteam: *q\n",
        "\u{feff}quartr: 2026-Q3\n",
    ] {
        let mut all = vec![
            Finding::new(
                codes::UNKNOWN_FIELD,
                crate::core::diagnostic::Pos::new(9, 9),
                "x",
            ),
            Finding::new(
                codes::QUARTER_MISMATCH,
                crate::core::diagnostic::Pos::new(1, 1),
                "x",
            ),
        ];
        attach(text, PATH, &mut all);
        fix_file(
            text,
            PATH,
            &Options {
                explicit_type: true,
                ..Options::default()
            },
        );
    }
    let mut all = vec![Finding::new(
        codes::UNKNOWN_FIELD,
        crate::core::diagnostic::Pos::new(1, 1),
        "x",
    )];
    attach("\u{feff}quartr: 2026-Q3\n", PATH, &mut all);
    assert_eq!(
        all[0].fix.as_ref().unwrap().title,
        "rename `quartr` to `quarter`"
    );
}

#[test]
fn a_drop_without_a_reason_gets_lines_to_fill_in() {
    let base = file("        start: 12\n        target: 2\n");
    for (text, expected) in [
        (
            base.replace("    type: committed\n", "    status: dropped   # mid-quarter\n"),
            base.replace(
                "    type: committed\n",
                "    status: dropped   # mid-quarter\n    dropped:\n      date: 2026-08-12\n      reason: \n",
            ),
        ),
        (
            base.replace("    type: committed\n", "    status: dropped\n    dropped:\n      date: 2026-08-01\n")
                .replace('\n', "\r\n"),
            base.replace(
                "    type: committed\n",
                "    status: dropped\n    dropped:\n      date: 2026-08-01\n      reason: \n",
            )
            .replace('\n', "\r\n"),
        ),
    ] {
        let all = findings(&text, PATH);
        let dropped = all
            .iter()
            .find(|f| f.code == codes::DROPPED_WITHOUT_REASON)
            .unwrap();
        let fix = add_reason(&text, dropped, "2026-08-12").unwrap_or_else(|| panic!("{dropped:?}"));
        assert!(!fix.safe);
        assert_eq!(fix.apply(&text).unwrap(), expected);
    }
}

#[test]
fn a_mistyped_type_is_renamed_before_any_type_is_made_explicit() {
    let text =
        file("        start: 12\n        target: 2\n").replace("type: committed", "typ: committed");
    let explicit = Options {
        explicit_type: true,
        ..Options::default()
    };
    let fixed = fix_file(&text, PATH, &explicit);
    assert_eq!(
        fixed.text,
        text.replace("typ: committed", "type: committed")
    );
    // Not renamed (the team allows unknown fields): still not overwritten by the default.
    let allowed = Options {
        allowed: vec![codes::UNKNOWN_FIELD],
        ..explicit
    };
    assert_eq!(fix_file(&text, PATH, &allowed).text, text);
}

#[test]
fn a_renamed_key_keeps_its_quotes() {
    for (typo, fixed) in [
        ("        \"taget\": 2\n", "        \"target\": 2\n"),
        ("        'taget': 2\n", "        'target': 2\n"),
    ] {
        let text = file(&format!("        start: 12\n{typo}"));
        assert_eq!(
            fix_file(&text, PATH, &Options::default()).text,
            text.replace(typo, fixed)
        );
    }
    let text = file("        {\"id\":\"x\",\"title\":\"X\",\"start\":12,\"taget\":2}\n").replace(
        "      - id: failed-deploys\n        title: Failed deploys per week\n",
        "      - ",
    );
    let all = findings(&text, PATH);
    let unknown = all.iter().find(|f| f.code == codes::UNKNOWN_FIELD).unwrap();
    let fix = unknown.fix.as_ref().unwrap();
    assert_eq!(fix.edits[0].text, "\"target\"");
    assert_eq!(
        fix_file(&text, PATH, &Options::default()).text,
        text.replace("\"taget\"", "\"target\"")
    );
}

#[test]
fn two_typos_near_one_field_are_offered_but_neither_is_safe() {
    let text = file("        start: 12\n        taget: 2\n        targe: 3\n");
    let all = findings(&text, PATH);
    let fixes: Vec<&Fix> = all
        .iter()
        .filter(|f| f.code == codes::UNKNOWN_FIELD)
        .filter_map(|f| f.fix.as_ref())
        .collect();
    assert_eq!(fixes.len(), 2, "{all:?}");
    assert!(fixes.iter().all(|f| !f.safe), "{fixes:?}");
    assert_eq!(fix_file(&text, PATH, &Options::default()).text, text);
}

#[test]
fn many_fixes_of_a_file_are_read_back_together_once() {
    let mut text = String::from(
        "quarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: o\n    title: O\n    type: committed\n    key_results:\n",
    );
    for index in 0..50 {
        text.push_str(&format!(
            "      - id: kr-{index}\n        title: KR {index}\n        start: 0\n        taget: 5\n        confidence: 70\n"
        ));
    }
    READS.with(|reads| reads.set(0));
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(
        fixed.text,
        text.replace("taget: 5", "target: 5")
            .replace("confidence: 70", "confidence: 0.7")
    );
    assert_eq!(fixed.applied.len(), 100);
    assert!(fixed.applied.windows(2).all(|w| w[0].line <= w[1].line));
    assert_eq!(READS.with(Cell::get), 1);
}

#[test]
fn a_batch_that_fails_its_read_back_falls_back_to_one_fix_at_a_time() {
    // The second rename would make start equal target: refused alone, the others made.
    let text = file("        start: 12\n        taget: 2\n").replace(
        "        start: 5\n        target: 1\n",
        "        start: 5\n        taget: 5\n        confidence: 70\n",
    );
    let fixed = fix_file(&text, PATH, &Options::default());
    assert_eq!(
        fixed.text,
        text.replacen("taget: 2", "target: 2", 1)
            .replace("confidence: 70", "confidence: 0.7")
    );
    assert_eq!(fixed.applied.len(), 2);
    assert_eq!(fixed.refused.len(), 1);
    assert!(
        fixed.refused[0].why.contains("new problem"),
        "{:?}",
        fixed.refused
    );
}

#[test]
fn types_made_explicit_after_one_finding_fix_are_still_read_back_together() {
    let mut text = String::from("quarter: 2026-Q3\nteam: platform\nobjectives:\n");
    for index in 0..10 {
        text.push_str(&format!(
            "  - id: o-{index}\n    title: O {index}\n    key_results:\n      - id: kr-{index}\n        title: KR\n        start: 0\n        target: 5\n"
        ));
    }
    let text = text.replacen("target: 5", "taget: 5", 1);
    READS.with(|reads| reads.set(0));
    let fixed = fix_file(
        &text,
        PATH,
        &Options {
            explicit_type: true,
            ..Options::default()
        },
    );
    assert_eq!(fixed.applied.len(), 11, "{:?}", fixed.refused);
    assert_eq!(READS.with(Cell::get), 2);
}

#[test]
fn notes_to_fill_in_go_under_the_item_a_change_names_and_never_twice() {
    let text = file(
        "        start: 12\n        target: 2\n        links:\n          - url: https://x.test\n",
    );
    let okr = parse::parse(PATH, text.as_bytes().to_vec()).okr.unwrap();
    let kr = okr.objectives[0].key_results[0].pos;
    let fix = add_notes(&text, kr).unwrap();
    assert!(!fix.safe);
    let written = fix.apply(&text).unwrap();
    assert_eq!(
        written,
        text.replace("target: 2\n", "target: 2\n        notes: \n")
    );
    // Written without a value, it reads as no notes: no reason yet, and still a valid file.
    let read = parse::parse(PATH, written.as_bytes().to_vec());
    assert!(read.findings.is_empty(), "{:?}", read.findings);
    assert!(
        read.okr.unwrap().objectives[0].key_results[0]
            .notes
            .is_none()
    );
    assert_eq!(add_notes(&written, kr), None);
    let objective = okr.objectives[0].pos;
    let fix = add_notes(&text, objective).unwrap();
    assert_eq!(
        fix.apply(&text).unwrap(),
        text.replace("type: committed\n", "type: committed\n    notes: \n")
    );
    assert_eq!(add_notes(&text, Pos::new(2, 1)), None);
}
