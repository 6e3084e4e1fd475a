//! Every rule okr checks, in one registry: a stable code, a default severity, and the documentation that
//! `okr rules` prints and `docs/rules.md` is generated from.
//!
//! Structural rules (`yaml-syntax`, `missing-field`, `unknown-field`, `invalid-value`) are found while the
//! file is read; the rest are checks over the decoded model, one module each.

mod alignment;
mod carried;
mod counts;
mod dropped;
mod duplicate_id;
mod measurable;
mod quarter_mismatch;
mod targets;

pub use alignment::Suggestions;
pub use quarter_mismatch::folder_quarter;
pub use targets::Targets;

use crate::core::diagnostic::{Finding, Severity};
use crate::core::model::OkrFile;

/// Rule codes, as they appear in output and in `okr.toml`. A contract: never rename one.
pub mod codes {
    pub const YAML_SYNTAX: &str = "yaml-syntax";
    pub const MISSING_FIELD: &str = "missing-field";
    pub const UNKNOWN_FIELD: &str = "unknown-field";
    pub const INVALID_VALUE: &str = "invalid-value";
    pub const DUPLICATE_ID: &str = "duplicate-id";
    pub const QUARTER_MISMATCH: &str = "quarter-mismatch";
    pub const UNKNOWN_ALIGNMENT: &str = "unknown-alignment";
    pub const DROPPED_WITHOUT_REASON: &str = "dropped-without-reason";
    pub const KR_NOT_MEASURABLE: &str = "kr-not-measurable";
    pub const OBJECTIVE_COUNT: &str = "objective-count";
    pub const KR_COUNT: &str = "kr-count";
    pub const UNREADABLE_FILE: &str = "unreadable-file";
    pub const CHANGE_WITHOUT_REASON: &str = "change-without-reason";
    pub const STALE_KEY_RESULT: &str = "stale-key-result";
}

pub struct Rule {
    pub code: &'static str,
    pub default_severity: Severity,
    /// The command that reports it.
    pub reported_by: Command,
    /// What `okr validate --fix` mends of it, for a rule some of whose findings have a safe fix
    /// ([`crate::core::fix`]).
    pub fix: Option<&'static str>,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A YAML excerpt the rule reports…
    pub bad: &'static str,
    /// …and the same excerpt fixed.
    pub good: &'static str,
}

/// Which command finds a rule's problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `okr validate`: the files as they are.
    Validate,
    /// `okr diff --check`: what a range of commits changed.
    DiffCheck,
    /// `okr validate --stale`: the files as they are, against when each key result last moved in git.
    ValidateStale,
}

impl Command {
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Validate => "okr validate",
            Command::DiffCheck => "okr diff --check",
            Command::ValidateStale => "okr validate --stale",
        }
    }
}

pub static RULES: &[Rule] = &[
    Rule {
        code: codes::YAML_SYNTAX,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "The file is not one well-formed YAML document: a syntax error, bytes that are not UTF-8, a \
                  duplicate key, a second document, a tag okr does not read, or nesting deeper than 64 levels.",
        why: "Nothing else in a file can be checked until it parses. Duplicate keys are an error because YAML \
              tools disagree on which one wins, so the file would mean different things to different readers.",
        bad: "objectives:\n  - id: boring-deploys\n    title: Make deploys boring\n    title: Make deploys dull\n",
        good: "objectives:\n  - id: boring-deploys\n    title: Make deploys boring\n",
    },
    Rule {
        code: codes::MISSING_FIELD,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "A required field is absent, or present with no value: `quarter`, `team` and `objectives` in a \
                  file; `id`, `title` and `key_results` in an objective; `id` and `title` in a key result; `date` \
                  in a `dropped` block.",
        why: "Ids are how okr follows an objective through history; titles are what people read. Without them \
              reports and diffs cannot say what changed.",
        bad: "  - id: boring-deploys\n    key_results: [...]\n",
        good: "  - id: boring-deploys\n    title: Make deploys boring\n    key_results: [...]\n",
    },
    Rule {
        code: codes::UNKNOWN_FIELD,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: Some(
            "An unknown field near exactly one field its mapping lacks is renamed to it (`taget` → `target`). \
             A name near two or more (`pro`: `priority` or `progress`?), or two names near one field (`taget` \
             and `targe`), are left alone; an editor offers the nearest.",
        ),
        summary: "A field that is not part of the format, usually a typo; the help line names the field it \
                  probably meant.",
        why: "A misspelled `taget` is silently ignored by every other tool, so the key result would have no \
              target and nobody would notice.",
        bad: "      - id: failed-deploys\n        title: Failed deploys per week\n        start: 12\n        taget: 2\n",
        good: "      - id: failed-deploys\n        title: Failed deploys per week\n        start: 12\n        target: 2\n",
    },
    Rule {
        code: codes::INVALID_VALUE,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: Some(
            "A `confidence` written as a percentage, a whole number from 11 to 100, is written as the fraction \
             it means (`70` → `0.7`). From 2 to 10 it is left to a person: `7` may be 7 % or 7 on a scale of \
             ten. Other invalid values need a person.",
        ),
        summary: "A value of the wrong type or form: text where a number belongs, a quarter that is not YYYY-Qn, a \
                  `carried_from` that is not a quarter before the file's own, a date that is not YYYY-MM-DD or \
                  not in the calendar, an id that is not a slug, a `type` or `status` outside its choices, \
                  confidence or score outside 0..1, an empty `key_results` list, a key result that is both metric \
                  and milestone, a file that is empty or not a mapping.",
        why: "Scores, diffs and history compare these values. `start: \"12\"` is text, so it cannot be scored, and \
              `done: yes` is the text \"yes\" in YAML 1.2, not true.",
        bad: "        start: \"12\"\n        target: 2\n        confidence: 60\n",
        good: "        start: 12\n        target: 2\n        confidence: 0.6\n",
    },
    Rule {
        code: codes::DUPLICATE_ID,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "Two objectives in one file share an id, two key results in one objective share an id, or two \
                  files define the same team for the same quarter.",
        why: "okr follows objectives across revisions by team and id, and key results by id within their \
              objective; a repeated id makes two things indistinguishable in history, diffs and alignment.",
        bad: "  - id: boring-deploys\n    title: Make deploys boring\n  - id: boring-deploys\n    title: Faster builds\n",
        good: "  - id: boring-deploys\n    title: Make deploys boring\n  - id: faster-builds\n    title: Faster builds\n",
    },
    Rule {
        code: codes::QUARTER_MISMATCH,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: Some(
            "`quarter` is set to the quarter of the file's folder, in the quotes it had. If it is the folder \
             that is wrong, move the file instead.",
        ),
        summary: "The file's `quarter` differs from the quarter folder it sits in (`okrs/2026-Q3/`).",
        why: "A file copied to start a new quarter often keeps the old `quarter`; reports would then count it in \
              the wrong quarter.",
        bad: "# okrs/2026-Q4/platform.yaml\nquarter: 2026-Q3\n",
        good: "# okrs/2026-Q4/platform.yaml\nquarter: 2026-Q4\n",
    },
    Rule {
        code: codes::UNKNOWN_ALIGNMENT,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "`aligns_to` names a team and objective that no file of the same quarter in the repository defines.",
        why: "Alignment is how a team shows which company objective its work serves; a link to nothing breaks the \
              alignment tree and usually means the parent objective was renamed.",
        bad: "    aligns_to: company/customer-trusst\n",
        good: "    aligns_to: company/customer-trust\n",
    },
    Rule {
        code: codes::DROPPED_WITHOUT_REASON,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "An objective has `status: dropped` but no `dropped` block with a non-empty `reason`.",
        why: "Dropping an objective is a decision worth learning from; without the reason the lesson is lost and \
              the drop looks like a silent pivot.",
        bad: "    status: dropped\n",
        good: "    status: dropped\n    dropped:\n      date: 2026-08-12\n      reason: Vendor contract now covers managed databases\n",
    },
    Rule {
        code: codes::KR_NOT_MEASURABLE,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "A key result has neither `start` and `target` (a metric) nor `done` (a milestone), or its start \
                  equals its target.",
        why: "A key result nobody can score is a task or a wish, not a result. With start equal to target there is \
              no distance to cover, so progress and direction are undefined.",
        bad: "      - id: failed-deploys\n        title: Fewer failed deploys\n        current: 5\n",
        good: "      - id: failed-deploys\n        title: Fewer failed deploys\n        start: 12\n        target: 2\n        current: 5\n",
    },
    Rule {
        code: codes::OBJECTIVE_COUNT,
        default_severity: Severity::Warning,
        reported_by: Command::Validate,
        fix: None,
        summary: "A file has more than 5 objectives.",
        why: "OKRs are about focus: a team with many objectives has priorities, not objectives.",
        bad: "objectives: # six objectives\n",
        good: "objectives: # the three that matter most\n",
    },
    Rule {
        code: codes::KR_COUNT,
        default_severity: Severity::Warning,
        reported_by: Command::Validate,
        fix: None,
        summary: "An objective has fewer than 2 or more than 5 key results.",
        why: "One key result tends to become the objective itself; more than five dilute attention. Two to five \
              give a balanced view of whether the objective is met.",
        bad: "    key_results:\n      - id: only-one\n",
        good: "    key_results:\n      - id: first\n      - id: second\n",
    },
    Rule {
        code: codes::UNREADABLE_FILE,
        default_severity: Severity::Error,
        reported_by: Command::Validate,
        fix: None,
        summary: "A file could not be checked: it is larger than 8 MiB, it is a symbolic link leading outside the \
                  repository or into a loop, or it cannot be read.",
        why: "okr never follows links out of the repository it checks, and a multi-megabyte file is not an OKR \
              file; saying so beats silently skipping it.",
        bad: "okrs/2026-Q3/platform.yaml -> /etc/passwd\n",
        good: "okrs/2026-Q3/platform.yaml (a regular file)\n",
    },
    Rule {
        code: codes::CHANGE_WITHOUT_REASON,
        default_severity: Severity::Error,
        reported_by: Command::DiffCheck,
        fix: None,
        summary: "A change made after the planning window makes a key result easier, removes one, drops or \
                  deletes an objective, or lowers a committed objective to aspirational, and nothing says why: \
                  not the YAML written with it (`dropped.reason`, the notes of what changed), nor a `Reason:` \
                  trailer or the body of the commit that made it. Reported by `okr diff --check`, at the change \
                  in the newer revision; `[policy]` in okr.toml says which changes need a reason.",
        why: "Changing a plan when the team learns is healthy; doing it silently is not. A target eased or a key \
              result dropped without a word reads, at the end of the quarter, as a plan that was met.",
        bad: "      - id: failed-deploys\n        start: 12\n        target: 4   # was 2, eased mid-quarter\n",
        good: "      - id: failed-deploys\n        start: 12\n        target: 4\n        notes: Eased from 2 after the August incident review; 2 needs the new pipeline.\n",
    },
    Rule {
        code: codes::STALE_KEY_RESULT,
        default_severity: Severity::Warning,
        reported_by: Command::ValidateStale,
        fix: None,
        summary: "A key result of an active objective has had no progress recorded (`current` changed, or `done` \
                  toggled) for `stale_after_days` (`[checkins]` in okr.toml, default 14), counted from the later \
                  of its last change of progress in git history, the day it was added and the kickoff. Only \
                  while its quarter runs; a milestone already done is never stale. Reported only when asked, by \
                  `okr validate --stale`, at the key result.",
        why: "The weekly check-in is what keeps OKRs alive. A key result nobody has updated for weeks is one the \
              team stopped looking at, and at the end of the quarter it scores whatever was written at kickoff.",
        bad: "      - id: lead-time\n        start: 48\n        target: 24\n        current: 40   # last changed five weeks ago\n",
        good: "      - id: lead-time\n        start: 48\n        target: 24\n        current: 31   # `okr checkin platform/boring-deploys/lead-time 31`\n",
    },
];

/// Where the rules reference (`docs/rules.md`) is published; each rule is the section named by its code. Editors
/// link a finding's code here. `OWNER` stands for the account hosting okr, as in the CI templates
/// (docs/ci.md), until okr has a home of its own.
pub const DOCS_URL: &str = "https://github.com/OWNER/okr/blob/main/docs/rules.md";

/// The link to a rule's section of the rules reference.
pub fn docs_url(code: &str) -> String {
    format!("{DOCS_URL}#{code}")
}

pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The checks that look at one file on its own. `path` is relative to the repository root.
pub fn check_file(file: &OkrFile, path: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    duplicate_id::check(file, &mut findings);
    quarter_mismatch::check(file, path, &mut findings);
    carried::check(file, &mut findings);
    dropped::check(file, &mut findings);
    measurable::check(file, &mut findings);
    counts::check(file, &mut findings);
    findings
}

/// The checks that need every file of the repository: alignment targets and one file per team and quarter.
/// Returns findings with the index of the file (in `files`) they belong to.
///
/// `okr lsp` checks again only the files an edit can affect, reasoning over exactly these two rules
/// (`Project::check_around` in `lsp/world.rs`): a new cross-file rule must be added to that reasoning too.
pub fn check_repository(files: &[(&str, &OkrFile)]) -> Vec<(usize, Finding)> {
    check_repository_suggesting_from(files, Suggestions::Among(files))
}

/// [`check_repository`] over some files of their quarters (each with the files of its team and of the teams it
/// aligns to), choosing an unknown alignment's suggestion among the names `suggest_from` gives, those of every
/// file of those quarters: the findings checking them all would give these files.
pub fn check_repository_suggesting_from(
    files: &[(&str, &OkrFile)],
    suggest_from: Suggestions<'_>,
) -> Vec<(usize, Finding)> {
    let mut findings = Vec::new();
    duplicate_id::check_teams(files, &mut findings);
    alignment::check(files, suggest_from, &mut findings);
    findings
}

/// The quarter whose other files a file's cross-file findings depend on: its folder's, when the folder is named
/// like a quarter, else its `quarter` field's. Alignment is judged within it.
pub fn quarter_of(path: &str, file: &OkrFile) -> Option<crate::core::model::Quarter> {
    alignment::quarter_of(path, file)
}

/// Every quarter whose files [`check_repository`] may compare a file with: its folder's and its `quarter`
/// field's (one file per team is judged by the field). Files sharing none of these never affect each
/// other's findings, so the check can be run for them apart.
pub fn quarters_compared(path: &str, file: &OkrFile) -> Vec<crate::core::model::Quarter> {
    let mut quarters: Vec<_> = quarter_mismatch::folder_quarter(path)
        .map(|(_, q)| q)
        .into_iter()
        .chain(file.quarter.as_ref().map(|q| q.value))
        .collect();
    quarters.dedup();
    quarters
}

/// `okr rules`: one line per rule, its code, default severity and first sentence.
pub fn listing() -> String {
    let mut out = String::new();
    for rule in RULES {
        let summary = rule
            .summary
            .split_once(". ")
            .map_or(rule.summary, |(s, _)| s);
        let by = match rule.reported_by {
            Command::Validate => String::new(),
            other => format!(" ({})", other.as_str()),
        };
        let fix = if rule.fix.is_some() {
            " [safe fix]"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:<24} {:<8} {summary}{by}{fix}\n",
            rule.code,
            rule.default_severity.as_str(),
        ));
    }
    out
}

impl Rule {
    /// `okr rules CODE`: the rule in full.
    pub fn explained(&self) -> String {
        let indent =
            |text: &str| -> String { text.lines().map(|l| format!("    {l}\n")).collect() };
        format!(
            "{} (default: {}; reported by `{}`)\n\n{}\n\nWhy: {}\n\nSafe fix: {}\n\nReported:\n{}\nFixed:\n{}",
            self.code,
            self.default_severity.as_str(),
            self.reported_by.as_str(),
            self.summary,
            self.why,
            self.fix
                .unwrap_or("none; `okr validate --fix` leaves these to a person."),
            indent(self.bad),
            indent(self.good)
        )
    }
}

/// `docs/rules.md`, generated from the registry so the two cannot drift.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from src/core/rules/mod.rs by `okr rules --markdown`; a test keeps them equal. -->\n\n\
         Each finding of `okr validate` and `okr diff --check` carries one of these codes. Severities can be \
         changed per repository in `okr.toml`:\n\n```toml\n[rules]\nobjective-count = \"allow\"   # allow | warn | error\nkr-count = \"error\"\n```\n\n\
         | code | default | reported by | safe fix | finds |\n|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let first_sentence = rule
            .summary
            .split_once(". ")
            .map_or(rule.summary, |(s, _)| s);
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | `{2}` | {3} | {4} |\n",
            rule.code,
            rule.default_severity.as_str(),
            rule.reported_by.as_str(),
            if rule.fix.is_some() { "yes" } else { "—" },
            first_sentence.trim_end_matches('.')
        ));
    }
    for rule in RULES {
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**. Reported by `{}`.\n\n**What it finds.** {}\n\n**Why it matters.** {}\n\n{}\
             Reported:\n\n```yaml\n{}```\n\nFixed:\n\n```yaml\n{}```\n",
            rule.code,
            rule.default_severity.as_str(),
            rule.reported_by.as_str(),
            rule.summary,
            rule.why,
            rule.fix
                .map(|fix| format!("**Safe fix** (`okr validate --fix`). {fix}\n\n"))
                .unwrap_or_default(),
            rule.bad,
            rule.good
        ));
    }
    out
}
