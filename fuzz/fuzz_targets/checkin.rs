//! Any valid OKR file, any key result of it, any value: the in-place edit never panics, never fails its own
//! read-back (that is a bug, reported here as a crash), and what it hands back reads as the old file with only
//! that value changed (or, for a value the rules refuse, with a finding that the check-in's validation refuses
//! it by, and the rest as before). Input: the file, a 0xFF byte, then which key result, which field and the
//! value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::core::edit::{EditError, KeyResultEdit, Progress, apply, find};
use okr::core::model::{Number, Spanned, Text};

fuzz_target!(|data: &[u8]| {
    let Some(cut) = data.iter().position(|&b| b == 0xff) else {
        return;
    };
    let (file, control) = (&data[..cut], &data[cut + 1..]);
    let (Ok(text), [which, field, value @ ..]) = (std::str::from_utf8(file), control) else {
        return;
    };
    let loaded = okr::core::parse::parse("fuzz.yaml", file.to_vec());
    let Some(mut expected) = loaded.okr.filter(|_| loaded.findings.is_empty()) else {
        return;
    };
    let mut krs: Vec<(String, String)> = expected
        .objectives
        .iter()
        .flat_map(|o| {
            o.key_results.iter().filter_map(move |k| {
                Some((o.id.as_ref()?.value.to_string(), k.id.as_ref()?.value.to_string()))
            })
        })
        .collect();
    // With an id used twice (a rule's finding, not the parse's), the edit goes to the first objective or key
    // result of that id, as `okr checkin` names it: a pair only a later one holds cannot be named.
    krs.retain(|(objective, key_result)| find(&mut expected, objective, key_result).is_some());
    if krs.is_empty() {
        return;
    }
    let (objective, key_result) = krs[*which as usize % krs.len()].clone();
    let mut edit = KeyResultEdit {
        objective: objective.clone(),
        key_result: key_result.clone(),
        progress: None,
        confidence: None,
        note: None,
    };
    let number = Number(f64::from(i16::from_le_bytes([
        value.first().copied().unwrap_or(0),
        value.get(1).copied().unwrap_or(0),
    ])) / 4.0);
    let kr = find(&mut expected, &objective, &key_result).expect("listed above");
    let here = kr.pos;
    match field % 4 {
        0 => {
            edit.progress = Some(Progress::Value(number));
            kr.current = Some(Spanned::new(number, here));
        }
        1 => {
            let done = value.first().is_some_and(|b| b % 2 == 0);
            edit.progress = Some(Progress::Done(done));
            kr.done = Some(Spanned::new(done, here));
        }
        2 => {
            edit.confidence = Some(number);
            kr.confidence = Some(Spanned::new(number, here));
        }
        _ => {
            let note = String::from_utf8_lossy(value).into_owned();
            kr.notes = Some(Spanned::new(Text::from(note.as_str()), here));
            edit.note = Some(note);
        }
    }
    let edited = match apply(text, &[edit]) {
        Ok(edited) => edited.text,
        // The editor wrote something it could not read back as asked: a bug, which the fuzzer must report.
        Err(EditError::Unsafe(why)) => {
            panic!("an edit did not read back as asked ({why}):\n{text}")
        }
        // A refusal that says why (an alias, a tag, `done` on a metric): nothing written.
        Err(_) => return,
    };
    let after = okr::core::parse::parse("fuzz.yaml", edited.clone().into_bytes());
    let mut after_model = after.okr.expect("the edited text reads as an OKR file");
    if !after.findings.is_empty() {
        // A value the rules refuse (a confidence of 3) is not read into the model, and validation refuses the
        // check-in by its finding: the rest of the file must still read as before.
        for file in [&mut after_model, &mut expected] {
            if let Some(kr) = find(file, &objective, &key_result) {
                match field % 4 {
                    0 => kr.current = None,
                    1 => kr.done = None,
                    2 => kr.confidence = None,
                    _ => kr.notes = None,
                }
            }
        }
    }
    assert_eq!(
        serde_json::to_value(after_model).unwrap(),
        serde_json::to_value(&expected).unwrap(),
        "the edit changed more than the value:\n{edited}"
    );
});
