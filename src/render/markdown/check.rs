//! `okr diff --check --format markdown`, what a reviewer reads: the verdict, each change that needed a reason
//! with the reason that satisfied it (and whose trailer or message it was) or what is missing and how to give
//! it, then every change of the range. The model is built here and laid out by `check.md`.

use askama::Template;
use askama::filters::Safe;

use super::{Md, to_string};
use crate::commands::check::Check;
use crate::commands::diff::Comparison;
use crate::core::diagnostic::Diagnostic;
use crate::core::policy::Rule;
use crate::render::policy::{change_line, needing_reason, source, verdict};
use crate::render::text::{Format, revision_name, short_commit, trim_lines};

#[derive(Template)]
#[template(path = "check.md")]
struct Page<'a> {
    c: &'a Comparison,
    mark: &'static str,
    verdict: String,
    needed: Vec<Needed<'a>>,
    unreadable: Vec<&'a Diagnostic>,
    changes: Md,
}

struct Needed<'a> {
    change: Md,
    commit: Option<&'a str>,
    /// Said where there is no commit: `uncommitted`, `none of the range`.
    no_commit: &'static str,
    /// The reason and where it was found.
    reason: Option<(&'a str, String)>,
    /// How to give the missing reason.
    help: &'static str,
}

pub fn render(check: &Check) -> String {
    let f = Format::Markdown;
    let comparison = &check.comparison;
    let mark = if check.validation.errors() > 0 {
        "❌"
    } else if check.validation.warnings() > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let needed = needing_reason(check)
        .map(|compared| Needed {
            change: Safe(change_line(
                compared,
                f,
                crate::render::changes::subject(&comparison.titles, &compared.change, f),
            )),
            commit: compared.commit.as_deref().map(short_commit),
            no_commit: if compared.uncommitted {
                "uncommitted"
            } else {
                "none of the range"
            },
            reason: compared
                .reason
                .as_deref()
                .map(|reason| (reason.trim_end(), source(compared))),
            help: Rule::of(&compared.change)
                .map(|r| r.how_to_explain())
                .unwrap_or_default(),
        })
        .collect();
    let unreadable = check
        .validation
        .diagnostics
        .iter()
        .filter(|d| d.code != crate::core::rules::codes::CHANGE_WITHOUT_REASON)
        .collect();
    let out = to_string(&Page {
        c: comparison,
        mark,
        verdict: verdict(check),
        needed,
        unreadable,
        changes: super::changes::block(comparison, 4),
    });
    trim_lines(&out)
}
