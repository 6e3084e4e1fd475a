//! `okr diff --check`: the policy's findings, laid out like `okr validate`'s (human, json, github, sarif,
//! junit), and for a pull-request comment in Markdown: each change that needed a reason, the reason that
//! satisfied it (and which commit gave it), or what is missing and how to give it.

use std::fmt::Write as _;

use serde::Serialize;

use super::text::{self, BOLD, Format, describe, paint, plural, short_commit, terminal_safe};
use crate::commands::check::Check;
use crate::commands::diff::ComparedChange;
use crate::core::diagnostic::Diagnostic;
use crate::core::history::Warning;
use crate::core::reason::ReasonSource;

pub fn human(check: &Check) -> String {
    let f = Format::Human;
    let mut out = String::new();
    if !check.validation.diagnostics.is_empty() {
        out.push_str(&super::human::render(&check.validation));
        out.push('\n');
    }
    let explained: Vec<&ComparedChange> = needing_reason(check)
        .filter(|c| c.reason.is_some())
        .collect();
    if !explained.is_empty() {
        let _ = writeln!(out, "{}", paint(BOLD, "Explained changes"));
        for compared in explained {
            let _ = writeln!(
                out,
                "  {}",
                change_line(compared, f, describe(&compared.change, f).subject)
            );
            if let Some(reason) = &compared.reason {
                let lead = format!("why ({}): ", source(compared));
                let hang = " ".repeat(lead.chars().count());
                for (n, line) in text::reason_lines(reason).iter().enumerate() {
                    let label = if n == 0 { lead.as_str() } else { hang.as_str() };
                    let _ = writeln!(out, "    {label}{line}");
                }
            }
        }
        out.push('\n');
    }
    text::human_warnings(&mut out, &check.comparison.warnings);
    if !check.comparison.warnings.is_empty() {
        out.push('\n');
    }
    let range = terminal_safe(&check.comparison.range);
    let _ = writeln!(out, "okr diff --check {range}: {}", verdict(check));
    text::trim_lines(&out)
}

/// One line on how the check came out.
pub(crate) fn verdict(check: &Check) -> String {
    let needed = needing_reason(check).count();
    let missing = needing_reason(check).filter(|c| c.reason.is_none()).count();
    let broken = check.comparison.broken.len();
    let mut parts = Vec::new();
    if missing == 0 {
        parts.push(format!(
            "every change that needs a reason has one ({} checked, {needed} needed a reason)",
            plural(check.comparison.changes.len(), "change", "changes")
        ));
    } else {
        parts.push(format!(
            "{} of {needed} that need a reason {} none",
            plural(missing, "change", "changes"),
            if missing == 1 { "has" } else { "have" }
        ));
    }
    if broken > 0 {
        parts.push(format!(
            "{} cannot be read",
            plural(broken, "file", "files")
        ));
    }
    parts.join("; ")
}

pub(crate) fn needing_reason(check: &Check) -> impl Iterator<Item = &ComparedChange> {
    check
        .comparison
        .changes
        .iter()
        .filter(|c| c.requires_reason)
}

/// `platform/boring-deploys KR failed-deploys: target 2 → 4 (easier)`, with the key result named by
/// `subject`.
pub(crate) fn change_line(compared: &ComparedChange, f: Format, subject: Option<String>) -> String {
    let change = &compared.change;
    let place = match &change.objective {
        Some(objective) => format!("{}/{}", f.esc(&change.team), f.esc(objective)),
        None => f.esc(&change.team),
    };
    let what = describe(change, f).what;
    match subject {
        Some(subject) => format!("{place} {subject}: {what}"),
        None => format!("{place}: {what}"),
    }
}

/// Where a reason was found: `notes in the YAML`, `trailer of 1a2b3c4`, `message of 1a2b3c4`.
pub(crate) fn source(compared: &ComparedChange) -> String {
    let commit = match (&compared.commit, compared.uncommitted) {
        (Some(commit), _) => short_commit(commit),
        (None, true) => "the working tree",
        (None, false) => "no commit of the range",
    };
    match compared.reason_source {
        Some(ReasonSource::Yaml) => "the YAML".to_owned(),
        Some(ReasonSource::Trailer) => format!("Reason: trailer of {commit}"),
        Some(ReasonSource::Body) => format!("message of {commit}"),
        None => "none".to_owned(),
    }
}

pub fn markdown(check: &Check) -> String {
    super::markdown::check::render(check)
}

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
    from: &'a str,
    to: &'a str,
    /// Every change of the range, with the commit that made it, its reason and whether it needed one.
    changes: &'a [ComparedChange],
    /// Revisions that could not be read, left out of the comparison.
    skipped: &'a [Warning],
}

/// The same envelope as `okr validate --format json`, with the range and its changes.
pub fn json(check: &Check) -> String {
    crate::render::json::document(&Wire {
        version: 1,
        files: check.validation.files,
        errors: check.validation.errors(),
        warnings: check.validation.warnings(),
        diagnostics: &check.validation.diagnostics,
        from: &check.comparison.from,
        to: &check.comparison.to,
        changes: &check.comparison.changes,
        skipped: &check.comparison.warnings,
    })
}
