//! `okr diff --check`: the changes the policy refuses, each with its place and how to give the reason.

use crate::core::policy::Check;
use crate::render::text::terminal_safe;

pub fn human(check: &Check, color: bool) -> String {
    let (bold_red, reset) = if color {
        ("\u{1b}[1;31m", "\u{1b}[0m")
    } else {
        ("", "")
    };
    let mut out = String::new();
    for refusal in &check.refusals {
        out.push_str(&format!(
            "{bold_red}error[policy]{reset}: {}\n  --> {}:{}\n   = help: {}\n\n",
            terminal_safe(&refusal.message),
            terminal_safe(&refusal.change.path),
            refusal.line,
            refusal.help
        ));
    }
    let range = format!(
        "{}..{}",
        terminal_safe(&check.from),
        terminal_safe(&check.to)
    );
    if check.refusals.is_empty() {
        out.push_str(&format!(
            "okr diff --check {range}: every change that needs a reason has one ({} checked)\n",
            check.passed
        ));
    } else {
        let n = check.refusals.len();
        out.push_str(&format!(
            "okr diff --check {range}: {n} change{} need{} a reason\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        ));
    }
    out
}

pub fn json(check: &Check) -> String {
    crate::render::json::document(check)
}
