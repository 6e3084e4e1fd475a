//! Fixes for findings, decided here and made by the caller (`okr validate --fix` writes them, `okr lsp`
//! offers them): a finding okr knows how to mend carries a [`Fix`], the bytes to replace and a title.
//! Made with the same minimal edits as a check-in: only the bytes of the key or value that is wrong change, so
//! comments, quoting, key order and line endings stay as they were.
//!
//! [`fix_file`] makes the safe fixes of a file and reads the text back: the new text must still be YAML,
//! each finding mended must be gone, and no finding of the one-file rules may appear that was not there
//! before. The fixes that do not overlap are made together and read back once (a file with a thousand typos
//! is not read two thousand times); if that read-back fails, they are made one at a time, each read back on
//! its own, and a fix that fails it is refused and the text stays as it was before it. Only the one file is
//! seen here: a cross-file finding a fix brings is reported by the validation that follows.

use std::collections::BTreeMap;

use crate::core::diagnostic::{Finding, Fix, Pos};
use crate::core::edit::LineMap;
use crate::core::edit::Splice;
use crate::core::edit::spans;
use crate::core::model::{ObjectiveType, OkrFile, Spanned};
use crate::core::parse;
use crate::core::rules::{self, codes};

mod plan;
#[cfg(test)]
mod tests;

/// The codes of the rules some of whose findings okr can fix.
pub const FIXABLE: [&str; 3] = [
    codes::UNKNOWN_FIELD,
    codes::INVALID_VALUE,
    codes::QUARTER_MISMATCH,
];

/// What [`fix_file`] does besides mending findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Write `type: aspirational` into each objective without a `type`: what it is read as, made explicit.
    pub explicit_type: bool,
    /// Rules whose findings are left as they are: those `okr.toml` sets to `allow`, which the team chose to
    /// accept rather than mend.
    pub allowed: Vec<&'static str>,
}

/// Gives each finding of `text` (the file at `path`) that okr can mend its [`Fix`].
pub fn attach(text: &str, path: &str, findings: &mut [Finding]) {
    if !findings.iter().any(|f| FIXABLE.contains(&f.code)) {
        return;
    }
    let Some(tree) = spans::read(text) else {
        return;
    };
    let plan = plan::Plan::new(text, &tree);
    for finding in findings.iter_mut().filter(|f| FIXABLE.contains(&f.code)) {
        finding.fix = plan.fix(path, finding);
    }
}

/// Whether `fix`, mending `finding` of `text` (the file at `path`), passes the read-back `--fix` makes each
/// fix pass: `okr lsp` calls a fix preferred only when `--fix` would make it.
pub fn reads_back(text: &str, path: &str, finding: &Finding, fix: &Fix) -> bool {
    let Some(read) = Read::of(text, path) else {
        return false;
    };
    let candidate = Candidate {
        made: Made {
            code: Some(finding.code),
            line: finding.pos.line,
            title: fix.title.clone(),
        },
        fix: fix.clone(),
        mends: Some(finding.clone()),
        objective: None,
    };
    check(text, &read, &[&candidate], path).is_ok()
}

/// For a `dropped-without-reason` finding of `text`: the lines to fill in with the reason (and, when the
/// objective has no `dropped` yet, its `date`: `today`, `YYYY-MM-DD`). Offered by `okr lsp`; never made by
/// `--fix`, as only a person can say why.
pub fn add_reason(text: &str, finding: &Finding, today: &str) -> Option<Fix> {
    let tree = spans::read(text)?;
    plan::Plan::new(text, &tree).add_reason(finding, today)
}

/// A `notes:` line to fill in, under the objective or key result of `text` whose first key is at `pos` (where
/// a change names it): the notes written in the same change are the reason the change policy reads. The
/// line is written without a value, which reads as no notes, so it is no reason until a person writes one.
/// `None` when the item has `notes` already (the reason goes into them), in flow style, or when nothing
/// starts at `pos`.
pub fn add_notes(text: &str, pos: Pos) -> Option<Fix> {
    let tree = spans::read(text)?;
    plan::Plan::new(text, &tree).add_notes(pos)
}

/// For each objective of `text` without a `type`, with its index in the file: the fix that writes the type
/// it is read as (`okr validate --fix --explicit-type` makes them; `okr lsp` offers them when asked).
pub fn explicit_types(text: &str) -> Vec<(usize, Fix)> {
    match spans::read(text) {
        Some(tree) => plan::Plan::new(text, &tree).explicit_types(),
        None => Vec::new(),
    }
}

/// A file's text after its safe fixes, with what was done and what was not.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub text: String,
    pub applied: Vec<Made>,
    pub refused: Vec<Refused>,
}

/// A fix made: the rule of the finding it mended (`None` for a `type` made explicit), and its line in the
/// text as it was then.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub code: Option<&'static str>,
    pub line: u32,
    pub title: String,
}

/// A fix not made, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub made: Made,
    pub why: String,
}

/// One fix to try, with what it must do.
struct Candidate {
    made: Made,
    fix: Fix,
    /// The finding it must mend; `None` for a `type` made explicit.
    mends: Option<Finding>,
    /// The objective whose `type` it writes.
    objective: Option<usize>,
}

/// `text` (the file at `path`) with every safe fix made that reads back as it should. A file that is not
/// YAML is left as it is: there is no telling what a fix would mean in it.
pub fn fix_file(text: &str, path: &str, options: &Options) -> Fixed {
    let mut fixed = Fixed {
        text: text.to_owned(),
        applied: Vec::new(),
        refused: Vec::new(),
    };
    // The line each line of the text as fixed so far was on in `text` (0: a line a fix wrote), so every fix
    // is told by the line the user knows.
    let mut origin: Vec<u32> = (1..=line_count(text)).collect();
    // Until a batch fails its read-back: then one at a time, so a failing batch is not tried again each turn.
    let mut together = true;
    // Each turn makes a fix (a finding or a missing type fewer, none more) or refuses one (never tried again),
    // so the loop ends by itself; the bound only guards against a bug in that reasoning.
    for _ in 0..10_000 {
        let Some(read) = Read::of(&fixed.text, path) else {
            break;
        };
        let original = |mut made: Made| {
            if let Some(&line) = origin.get(made.line.saturating_sub(1) as usize)
                && line > 0
            {
                made.line = line;
            }
            made
        };
        let open: Vec<(Candidate, Made)> = read
            .candidates(&fixed.text, path, options)
            .into_iter()
            .map(|c| {
                let made = original(c.made.clone());
                (c, made)
            })
            .filter(|(_, made)| !fixed.refused.iter().any(|r| r.made == *made))
            .collect();
        let Some(first) = open.first() else {
            break;
        };
        let alone = || {
            check(&fixed.text, &read, &[&first.0], path)
                .map(|done| (done, vec![first]))
                .map_err(|why| (first.1.clone(), why))
        };
        let batch = if together { batch(&open) } else { Vec::new() };
        let tried = if batch.len() > 1 {
            let candidates: Vec<&Candidate> = batch.iter().map(|(c, _)| c).collect();
            match check(&fixed.text, &read, &candidates, path) {
                Ok(done) => Ok((done, batch)),
                Err(_) => {
                    together = false;
                    alone()
                }
            }
        } else {
            alone()
        };
        match tried {
            Ok(((new, lines), made)) => {
                let mut moved = vec![0; line_count(&new) as usize];
                for (old, &first) in (1u32..).zip(&origin) {
                    if let Some(slot) = lines
                        .line(old)
                        .and_then(|line| moved.get_mut(line.saturating_sub(1) as usize))
                    {
                        *slot = first;
                    }
                }
                origin = moved;
                fixed.text = new;
                fixed
                    .applied
                    .extend(made.into_iter().map(|(_, made)| made.clone()));
            }
            Err((made, why)) => fixed.refused.push(Refused { made, why }),
        }
    }
    fixed
}

/// The fixes to make together: from the first of `open`, those of its kind (finding fixes, else `type`s
/// made explicit, which come after them) whose edits neither overlap nor meet at one point.
fn batch(open: &[(Candidate, Made)]) -> Vec<&(Candidate, Made)> {
    let Some((first, _)) = open.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut end: Option<usize> = None;
    for pair in open {
        let candidate = &pair.0;
        if candidate.mends.is_some() != first.mends.is_some() {
            continue;
        }
        let (Some(start), Some(last)) = (
            candidate.fix.edits.first().map(|e| e.range.start),
            candidate.fix.edits.last().map(|e| e.range.end),
        ) else {
            continue;
        };
        if end.is_some_and(|end| start <= end) {
            continue;
        }
        end = Some(last);
        out.push(pair);
    }
    out
}

/// A text read as `okr validate` reads one file: its model and its one-file findings.
struct Read {
    okr: OkrFile,
    findings: Vec<Finding>,
}

impl Read {
    /// `None` when the text is not YAML.
    fn of(text: &str, path: &str) -> Option<Read> {
        let loaded = parse::parse(path, text.as_bytes().to_vec());
        if loaded.findings.iter().any(|f| f.code == codes::YAML_SYNTAX) {
            return None;
        }
        let okr = loaded.okr?;
        let mut findings = loaded.findings;
        findings.extend(rules::check_file(&okr, path));
        Some(Read { okr, findings })
    }

    /// The safe fixes of the text, in the order of the file.
    fn candidates(&self, text: &str, path: &str, options: &Options) -> Vec<Candidate> {
        // Most files have nothing to fix: they are not read a second time for extents.
        if !options.explicit_type && !self.findings.iter().any(|f| FIXABLE.contains(&f.code)) {
            return Vec::new();
        }
        let Some(tree) = spans::read(text) else {
            return Vec::new();
        };
        let plan = plan::Plan::new(text, &tree);
        let mut out: Vec<Candidate> = self
            .findings
            .iter()
            .filter(|f| FIXABLE.contains(&f.code) && !options.allowed.contains(&f.code))
            .filter_map(|finding| {
                let fix = plan.fix(path, finding).filter(|fix| fix.safe)?;
                Some(Candidate {
                    made: Made {
                        code: Some(finding.code),
                        line: finding.pos.line,
                        title: fix.title.clone(),
                    },
                    fix,
                    mends: Some(finding.clone()),
                    objective: None,
                })
            })
            .collect();
        if options.explicit_type {
            out.extend(plan.explicit_types().into_iter().map(|(index, fix)| {
                let line = self.okr.objectives.get(index).map_or(0, |o| o.pos.line);
                Candidate {
                    made: Made {
                        code: None,
                        line,
                        title: fix.title.clone(),
                    },
                    fix,
                    mends: None,
                    objective: Some(index),
                }
            }));
        }
        // Every finding's fix before any `type` made explicit: a `typ: committed` must become `type` before an
        // inserted `type: aspirational` takes the name and says the opposite.
        out.sort_by_key(|c| {
            (
                c.mends.is_none(),
                c.fix.edits.first().map(|e| e.range.start),
            )
        });
        out
    }
}

/// The text with `candidates` made (their edits in order, none overlapping), if it reads back as it must:
/// still YAML, each finding they mend gone, no finding that was not there before, and each `type` they write
/// read as the one its objective had, the rest of the file read as before.
fn check(
    text: &str,
    before: &Read,
    candidates: &[&Candidate],
    path: &str,
) -> Result<(String, LineMap), String> {
    let all = Fix {
        title: String::new(),
        safe: true,
        edits: candidates
            .iter()
            .flat_map(|c| c.fix.edits.iter().cloned())
            .collect(),
    };
    let new = all
        .apply(text)
        .ok_or_else(|| "its edit does not fit the file".to_owned())?;
    #[cfg(test)]
    tests::READS.with(|reads| reads.set(reads.get() + 1));
    let after =
        Read::of(&new, path).ok_or_else(|| "the file would no longer read as YAML".to_owned())?;
    let splices: Vec<Splice> = all
        .edits
        .iter()
        .map(|e| Splice {
            range: e.range.clone(),
            text: e.text.clone(),
        })
        .collect();
    let lines = LineMap::new(text, &splices);
    // Each finding as the new text would say it, counted: the old text's, moved as the fix moves lines.
    let key = |f: &Finding, line: u32, message: String| (f.code, line, message);
    let mut expected: BTreeMap<(&str, u32, String), usize> = BTreeMap::new();
    for finding in &before.findings {
        let line = lines.line(finding.pos.line).unwrap_or(0);
        *expected
            .entry(key(finding, line, lines.message(&finding.message)))
            .or_default() += 1;
    }
    for mends in candidates.iter().filter_map(|c| c.mends.as_ref()) {
        let line = lines.line(mends.pos.line).unwrap_or(0);
        let mended = key(mends, line, lines.message(&mends.message));
        match expected.get_mut(&mended) {
            Some(count) if *count > 0 => *count -= 1,
            _ => return Err("the problem it mends was not found again".to_owned()),
        }
    }
    for finding in &after.findings {
        let found = key(finding, finding.pos.line, finding.message.clone());
        match expected.get_mut(&found) {
            Some(count) if *count > 0 => *count -= 1,
            _ if candidates
                .iter()
                .filter_map(|c| c.mends.as_ref())
                .any(|m| m.code == finding.code && m.message == finding.message) =>
            {
                return Err("the problem would still be there".to_owned());
            }
            _ => {
                return Err(format!("it would bring a new problem: {}", finding.message));
            }
        }
    }
    let objectives: Vec<usize> = candidates.iter().filter_map(|c| c.objective).collect();
    if !objectives.is_empty() {
        let mut meant = before.okr.clone();
        for index in objectives {
            if let Some(objective) = meant.objectives.get_mut(index) {
                objective.kind = Some(Spanned::new(ObjectiveType::default(), objective.pos));
            }
        }
        if serde_json::to_value(&meant).ok() != serde_json::to_value(&after.okr).ok() {
            return Err("the file would read back differently".to_owned());
        }
    }
    Ok((new, lines))
}

/// How many lines `text` has, as [`LineMap`] counts them: at least one.
fn line_count(text: &str) -> u32 {
    let count = crate::core::locate::LineIndex::new(text).count();
    u32::try_from(count).unwrap_or(u32::MAX)
}
