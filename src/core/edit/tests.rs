//! The in-place edit, style by style; [`property`] checks it over generated files, the fixtures and the demo.

use super::*;

mod property;

/// The edited text alone (where the lines went is [`lines`]'s to test).
fn apply(text: &str, edits: &[KeyResultEdit]) -> Result<String, EditError> {
    super::apply(text, edits).map(|edited| edited.text)
}

fn edit(objective: &str, key_result: &str) -> KeyResultEdit {
    KeyResultEdit {
        objective: objective.to_owned(),
        key_result: key_result.to_owned(),
        progress: None,
        confidence: None,
        note: None,
    }
}

/// A new note for `deploys/failed`.
fn note(text: &str) -> KeyResultEdit {
    KeyResultEdit {
        note: Some(text.to_owned()),
        ..edit("deploys", "failed")
    }
}

fn current(key_result: &str, value: f64) -> KeyResultEdit {
    KeyResultEdit {
        progress: Some(Progress::Value(Number(value))),
        ..edit("deploys", key_result)
    }
}

const BLOCK: &str = "\
# Platform's OKRs
quarter: 2026-Q3
team: platform
objectives:
  - id: deploys   # keep stable
    title: Make deploys boring
    key_results:
      - id: failed
        title: 'Failed deploys: per week'
        start: 12
        target: 2
        current: 7  # last week

        confidence: 0.5
      - id: lead-time
        title: \"Lead time\"
        start: 60
        target: 30
        unit: minutes
      - id: runbook
        title: Runbooks
        done: false
";

#[test]
fn a_value_is_replaced_and_its_comment_and_blank_line_stay() {
    let edited = apply(BLOCK, &[current("failed", 5.0)]).unwrap();
    assert_eq!(
        edited,
        BLOCK.replace("current: 7  # last week", "current: 5  # last week")
    );
}

#[test]
fn an_absent_current_goes_under_target_in_the_key_results_indentation() {
    let edited = apply(BLOCK, &[current("lead-time", 40.0)]).unwrap();
    assert_eq!(
        edited,
        BLOCK.replace(
            "        target: 30\n",
            "        target: 30\n        current: 40\n"
        )
    );
}

#[test]
fn absent_current_confidence_and_notes_go_in_that_order() {
    let edited = apply(
        BLOCK,
        &[KeyResultEdit {
            confidence: Some(Number(0.6)),
            note: Some("Pipelines cached".to_owned()),
            ..current("lead-time", 40.0)
        }],
    )
    .unwrap();
    assert_eq!(
        edited,
        BLOCK.replace(
            "        target: 30\n",
            "        target: 30\n        current: 40\n        confidence: 0.6\n        notes: Pipelines cached\n"
        )
    );
}

#[test]
fn done_is_never_added_to_a_key_result_that_is_not_a_milestone() {
    let err = apply(
        BLOCK,
        &[KeyResultEdit {
            progress: Some(Progress::Done(true)),
            ..edit("deploys", "lead-time")
        }],
    )
    .unwrap_err();
    assert!(matches!(err, EditError::Unsupported(_)), "{err}");
    assert!(err.to_string().contains("not a milestone"), "{err}");
}

#[test]
fn a_milestone_is_done() {
    let edited = apply(
        BLOCK,
        &[KeyResultEdit {
            progress: Some(Progress::Done(true)),
            ..edit("deploys", "runbook")
        }],
    )
    .unwrap();
    assert_eq!(edited, BLOCK.replace("done: false", "done: true"));
}

#[test]
fn crlf_line_endings_stay_and_new_lines_get_them_too() {
    let crlf = BLOCK.replace('\n', "\r\n");
    let edited = apply(
        &crlf,
        &[
            current("failed", 5.0),
            KeyResultEdit {
                confidence: Some(Number(0.8)),
                ..current("lead-time", 40.0)
            },
        ],
    )
    .unwrap();
    let expected = BLOCK
        .replace("current: 7  # last week", "current: 5  # last week")
        .replace(
            "        target: 30\n",
            "        target: 30\n        current: 40\n        confidence: 0.8\n",
        )
        .replace('\n', "\r\n");
    assert_eq!(edited, expected);
}

const FLOW: &str = "\
quarter: 2026-Q3
team: platform
objectives:
  - id: deploys
    title: Make deploys boring
    key_results:
      - { id: failed, title: Failed deploys, start: 12, target: 2, current: 3 }
      - {id: \"lead-time\", title: 'Lead time', start: 60, target: 30}
      - { id: runbook, title: Runbooks, done: false }   # the milestone
";

#[test]
fn flow_mappings_are_edited_inside_their_braces() {
    let edited = apply(
        FLOW,
        &[
            current("failed", 2.5),
            KeyResultEdit {
                note: Some("a, b: c".to_owned()),
                ..current("lead-time", 45.0)
            },
            KeyResultEdit {
                progress: Some(Progress::Done(true)),
                confidence: Some(Number(1.0)),
                ..edit("deploys", "runbook")
            },
        ],
    )
    .unwrap();
    let expected = FLOW
        .replace("current: 3 }", "current: 2.5 }")
        .replace("target: 30}", "target: 30, current: 45, notes: 'a, b: c'}")
        .replace("done: false }", "done: true, confidence: 1 }");
    assert_eq!(edited, expected);
}

#[test]
fn a_note_keeps_the_quoting_of_the_note_it_replaces() {
    let text = BLOCK.replace(
        "        confidence: 0.5\n",
        "        confidence: 0.5\n        notes: 'old'\n",
    );
    let edited = apply(&text, &[note("it's new")]).unwrap();
    assert_eq!(edited, text.replace("'old'", "'it''s new'"));
    let double = text.replace("'old'", "\"old\"");
    let edited = apply(&double, &[note("new")]).unwrap();
    assert_eq!(edited, double.replace("\"old\"", "\"new\""));
    let plain = text.replace("'old'", "old");
    let edited = apply(&plain, &[note("# not: a comment\nsecond line")]).unwrap();
    assert_eq!(
        edited,
        plain.replace("notes: old", "notes: \"# not: a comment\\nsecond line\"")
    );
}

#[test]
fn a_folded_note_keeps_its_header_and_indentation() {
    let text = BLOCK.replace(
        "        confidence: 0.5\n",
        "        confidence: 0.5\n        notes: >-\n          Old text\n          over two lines\n\n",
    );
    let edited = apply(&text, &[note("New text")]).unwrap();
    assert_eq!(
        edited,
        text.replace(
            "          Old text\n          over two lines\n",
            "          New text\n"
        )
    );
    // Text one line of a block cannot hold becomes a quoted scalar in the block's place.
    let edited = apply(&text, &[note(" starts with a space")]).unwrap();
    assert_eq!(
        edited,
        text.replace(
            ">-\n          Old text\n          over two lines\n",
            "\" starts with a space\"\n"
        )
    );
}

#[test]
fn block_notes_with_spaces_at_the_end_or_a_blank_line_first_take_a_new_note() {
    let with = |block: &str| {
        BLOCK.replace(
            "        confidence: 0.5\n",
            &format!("        confidence: 0.5\n        notes: {block}\n"),
        )
    };
    // Spaces after the last line are part of the note: the new note replaces them too.
    let spaces = with(">-\n          old text   ");
    assert_eq!(
        apply(&spaces, &[note("New")]).unwrap(),
        with(">-\n          New")
    );
    let spaces = with(">-\n          old\n          text  \n\n");
    assert_eq!(
        apply(&spaces, &[note("New")]).unwrap(),
        with(">-\n          New\n\n")
    );
    // A blank line first (the note starts with a line break), or a line of spaces last (it ends with them):
    // one line of content would not read back as the new note, so it is written in quotes in the block's place.
    let blank_first = with(">-\n\n          old text");
    assert_eq!(
        apply(&blank_first, &[note("New")]).unwrap(),
        with("\"New\"")
    );
    let spaces_last = with("|-\n          old text\n             ");
    assert_eq!(
        apply(&spaces_last, &[note("New")]).unwrap(),
        with("\"New\"\n             ")
    );
}

#[test]
fn an_empty_value_is_filled_after_its_colon() {
    let text = BLOCK.replace("current: 7  # last week", "current:   # none yet");
    let edited = apply(&text, &[current("failed", 9.0)]).unwrap();
    assert_eq!(
        edited,
        BLOCK.replace("current: 7  # last week", "current: 9   # none yet")
    );
}

#[test]
fn a_file_without_a_final_line_break_keeps_none() {
    let text = BLOCK.trim_end().replace("done: false", "title2: x");
    let text = text.replace("        title2: x", "        done: false");
    let edited = apply(
        &text,
        &[KeyResultEdit {
            confidence: Some(Number(0.9)),
            note: Some("ok".to_owned()),
            ..edit("deploys", "runbook")
        }],
    )
    .unwrap();
    assert_eq!(
        edited,
        format!("{text}\n        confidence: 0.9\n        notes: ok")
    );
}

#[test]
fn an_unchanged_value_changes_no_byte() {
    assert_eq!(apply(BLOCK, &[current("failed", 7.0)]).unwrap(), BLOCK);
}

#[test]
fn refusals_say_why_and_change_nothing() {
    assert!(matches!(
        apply(BLOCK, &[current("nope", 1.0)]),
        Err(EditError::NotFound { .. })
    ));
    let aliased = BLOCK
        .replace("start: 12", "start: &s 12")
        .replace("current: 7", "current: *s");
    assert!(matches!(
        apply(&aliased, &[current("failed", 1.0)]),
        Err(EditError::Unsupported(_))
    ));
    // An anchored value used by an alias: setting it would change the alias too.
    let anchored = BLOCK
        .replace("current: 7", "current: &c 7")
        .replace("start: 60", "start: *c");
    assert!(matches!(
        apply(&anchored, &[current("failed", 1.0)]),
        Err(EditError::Unsupported(_))
    ));
    assert!(matches!(
        apply("a: [", &[current("failed", 1.0)]),
        Err(EditError::Unreadable(_))
    ));
}

#[test]
fn values_from_the_command_line() {
    assert_eq!(Progress::parse("5"), Ok(Progress::Value(Number(5.0))));
    assert_eq!(Progress::parse("-0.5"), Ok(Progress::Value(Number(-0.5))));
    assert_eq!(Progress::parse("done"), Ok(Progress::Done(true)));
    assert_eq!(Progress::parse("not-done"), Ok(Progress::Done(false)));
    for bad in ["inf", "NaN", "five", ""] {
        assert!(
            Progress::parse(bad).unwrap_err().contains("is not a value"),
            "{bad}"
        );
    }
    // Numbers a float would round are refused rather than written rounded.
    for inexact in [
        "123456789012345678901234567890",
        "0.1000000000000000001",
        "1e400",
    ] {
        let err = Progress::parse(inexact).unwrap_err();
        assert!(err.contains("cannot be kept exactly"), "{err}");
        assert!(err.contains("\nhelp: "), "{err}");
    }
    assert_eq!(Progress::parse("1e300"), Ok(Progress::Value(Number(1e300))));
    assert_eq!(Progress::Value(Number(1e300)).to_string(), "1.0e+300");
}

#[test]
fn a_value_the_rules_refuse_is_handed_back_for_validation_to_refuse() {
    let edited = apply(
        BLOCK,
        &[KeyResultEdit {
            confidence: Some(Number(3.0)),
            ..edit("deploys", "failed")
        }],
    )
    .unwrap();
    assert_eq!(edited, BLOCK.replace("confidence: 0.5", "confidence: 3"));
    let loaded = crate::core::parse::parse("x.yaml", edited.into_bytes());
    assert!(loaded.findings.iter().any(|f| f.code == "invalid-value"));
}

/// The reviewer's file: valid, with `current` an anchored null.
const ANCHORED_NULL: &str = "\
quarter: 2026-Q4
team: platform
objectives:
  - id: deploys
    title: O
    key_results:
      - id: failed
        title: K
        start: 0
        target: 10
        current: &a
";

#[test]
fn an_anchored_empty_value_is_set_after_its_anchor() {
    assert_eq!(
        apply(ANCHORED_NULL, &[current("failed", 5.0)]).unwrap(),
        ANCHORED_NULL.replace("current: &a", "current: &a 5")
    );
    let flow = "quarter: 2026-Q4\nteam: platform\nobjectives:\n  - id: deploys\n    title: O\n    key_results:\n      \
                - {id: failed, title: K, start: 0, target: 10, current: &a }\n";
    let edited = apply(
        flow,
        &[KeyResultEdit {
            confidence: Some(Number(0.5)),
            ..current("failed", 5.0)
        }],
    )
    .unwrap();
    assert_eq!(
        edited,
        flow.replace("current: &a }", "current: &a 5 , confidence: 0.5 }")
    );
}

#[test]
fn anchored_and_explicit_keys_and_an_anchored_flow_key_result_take_new_fields() {
    let anchored_key = BLOCK.replace("        target: 30\n", "        &t target: 30\n");
    assert_eq!(
        apply(&anchored_key, &[current("lead-time", 40.0)]).unwrap(),
        anchored_key.replace(
            "        &t target: 30\n",
            "        &t target: 30\n        current: 40\n"
        )
    );
    let explicit = BLOCK.replace("        target: 30\n", "        ? target\n        : 30\n");
    assert_eq!(
        apply(&explicit, &[current("lead-time", 40.0)]).unwrap(),
        explicit.replace(": 30\n", ": 30\n        current: 40\n")
    );
    let anchored_flow = FLOW.replace("- {id: \"lead-time\"", "- &kr {id: \"lead-time\"");
    assert_eq!(
        apply(&anchored_flow, &[current("lead-time", 40.0)]).unwrap(),
        anchored_flow.replace("target: 30}", "target: 30, current: 40}")
    );
}

#[test]
fn tagged_values_and_aliased_key_results_are_refused_with_what_to_do() {
    let tagged = BLOCK.replace("current: 7", "current: !!int 7");
    let err = apply(&tagged, &[current("failed", 5.0)]).unwrap_err();
    assert!(matches!(err, EditError::Unsupported(_)), "{err}");
    assert!(err.to_string().contains("`!!int`"), "{err}");
    let aliased = FLOW.replace("- { id: runbook", "- &kr { id: runbook")
        + "  - id: more\n    title: M\n    key_results:\n      - *kr\n";
    let err = apply(
        &aliased,
        &[KeyResultEdit {
            progress: Some(Progress::Done(true)),
            ..edit("deploys", "runbook")
        }],
    )
    .unwrap_err();
    assert!(matches!(err, EditError::Unsupported(_)), "{err}");
    assert!(!err.to_string().contains("report"), "{err}");
}

#[test]
fn an_edit_is_read_back_even_when_the_new_text_has_a_finding_the_old_had_not() {
    // Whatever the editor makes of the anchor, the text handed back must say `current` is 5, never `5 &a`.
    match apply(ANCHORED_NULL, &[current("failed", 5.0)]) {
        Ok(edited) => {
            let loaded = crate::core::parse::parse("x.yaml", edited.clone().into_bytes());
            let okr = loaded.okr.unwrap();
            let kr = &okr.objectives[0].key_results[0];
            assert_eq!(
                kr.current.as_ref().map(|c| c.value),
                Some(Number(5.0)),
                "{edited}"
            );
        }
        Err(err) => assert!(matches!(err, EditError::Unsafe(_)), "{err}"),
    }
}
