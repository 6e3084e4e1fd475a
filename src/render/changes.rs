//! `okr diff` as text: the semantic changes between two revisions, grouped by file (team), then objective.
//!
//! The human output is also what git shows when okr is its external diff driver, one file at a time. The
//! Markdown is a pull request's comment: items by title, changes of plan marked, check-ins folded.

use std::fmt::Write as _;

use super::text::{BOLD, Format, WARN, describe, paint, reason_lines, terminal_safe, trim_lines};
use crate::commands::diff::{ComparedChange, Comparison, Titles};
use crate::core::change::{Change, ChangeKind, Value};

pub fn human(comparison: &Comparison) -> String {
    let f = Format::Human;
    let from = terminal_safe(&comparison.from);
    let to = terminal_safe(&comparison.to);
    let mut out = String::new();
    if comparison.changes.is_empty() {
        let _ = writeln!(out, "no changes to OKRs between {from} and {to}");
        super::text::human_warnings(&mut out, &comparison.warnings);
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!("okr diff {}", terminal_safe(&comparison.range))
        )
    );
    for file in files(&comparison.changes) {
        let first = &file.objectives[0].1[0].change;
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            paint(
                BOLD,
                &format!(
                    "{} ({})",
                    terminal_safe(&first.path),
                    terminal_safe(&first.team)
                )
            )
        );
        for (objective, changes) in &file.objectives {
            let indent = match objective {
                Some(objective) => {
                    let _ = writeln!(out, "  {}", paint(BOLD, &terminal_safe(objective)));
                    "    "
                }
                None => "  ",
            };
            let mut shown: Vec<&str> = Vec::new();
            for compared in changes {
                let described = describe(&compared.change, f);
                let what = match notes_text(compared) {
                    Some(notes) if shown.contains(&notes.trim()) => {
                        "notes set to the reason above".to_owned()
                    }
                    _ => described.what,
                };
                let mut line = match described.subject {
                    Some(subject) => format!("{subject}: {what}"),
                    None => what,
                };
                if compared.unexplained() {
                    line.push_str("  ");
                    line.push_str(&paint(WARN, "⚠ no reason given"));
                }
                let mut lines = line.split('\n');
                let _ = writeln!(out, "{indent}{}", lines.next().unwrap_or_default());
                for more in lines {
                    let _ = writeln!(out, "{indent}  {more}");
                }
                if let Some(notes) = notes_text(compared) {
                    shown.push(notes.trim());
                }
                if let Some(reason) = &compared.reason
                    && !shown.contains(&reason.trim())
                {
                    shown.push(reason.trim());
                    for (n, line) in reason_lines(reason).iter().enumerate() {
                        let lead = if n == 0 { "why: " } else { "     " };
                        let _ = writeln!(out, "{indent}  {lead}{line}");
                    }
                }
            }
        }
    }
    super::text::human_warnings(&mut out, &comparison.warnings);
    trim_lines(&out)
}

pub fn markdown(comparison: &Comparison) -> String {
    super::markdown::changes::diff(comparison)
}

/// What a change is about below its objective: `KR failed-deploys (Failed deploys per week)`, with the key
/// result's title unless the change already says it (added, removed, reworded); none for the objective itself.
pub fn subject(titles: &Titles, change: &Change, f: Format) -> Option<String> {
    let id = f.esc(change.key_result.as_deref()?);
    let says_title = matches!(
        change.kind,
        ChangeKind::KrAdded | ChangeKind::KrRemoved | ChangeKind::KrReworded
    );
    match titles.key_result(change) {
        Some(title) if !says_title => Some(format!("KR {id} ({})", f.esc(title))),
        _ => Some(format!("KR {id}")),
    }
}

pub(crate) fn notes_text(compared: &ComparedChange) -> Option<&str> {
    match (&compared.change.kind, &compared.change.to) {
        (ChangeKind::NotesChanged, Value::Text(text)) => Some(text.as_str()),
        _ => None,
    }
}

/// One file's changes, by objective (`None`: the file itself), each in the order of first appearance.
pub(crate) struct File<'a> {
    pub(crate) objectives: Vec<(Option<&'a str>, Vec<&'a ComparedChange>)>,
}

pub(crate) fn files<'a>(changes: impl IntoIterator<Item = &'a ComparedChange>) -> Vec<File<'a>> {
    let mut files: Vec<(&str, File<'a>)> = Vec::new();
    for compared in changes {
        let change = &compared.change;
        let at = match files.iter().position(|(path, _)| *path == change.path) {
            Some(at) => at,
            None => {
                files.push((
                    &change.path,
                    File {
                        objectives: Vec::new(),
                    },
                ));
                files.len() - 1
            }
        };
        let objectives = &mut files[at].1.objectives;
        let objective = change.objective.as_deref();
        match objectives.iter_mut().find(|(o, _)| *o == objective) {
            Some((_, list)) => list.push(compared),
            None => objectives.push((objective, vec![compared])),
        }
    }
    files.into_iter().map(|(_, file)| file).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{Change, Direction, WordEdit, WordOp};
    use crate::core::model::Number;

    fn change(
        kind: ChangeKind,
        objective: Option<&str>,
        kr: Option<&str>,
        from: Value,
        to: Value,
    ) -> Change {
        Change {
            kind,
            path: "okrs/2026-Q3/platform.yaml".to_owned(),
            quarter: Some("2026-Q3".to_owned()),
            team: "platform".to_owned(),
            objective: objective.map(str::to_owned),
            key_result: kr.map(str::to_owned),
            from,
            to,
            direction: None,
            words: None,
            previous_id: None,
            yaml_reason: None,
            pos: crate::core::diagnostic::Pos::START,
            context: crate::core::change::Context::Edit,
        }
    }

    fn comparison(changes: Vec<(Change, Option<&str>)>) -> Comparison {
        Comparison {
            from: "HEAD~1".to_owned(),
            to: "HEAD".to_owned(),
            range: "HEAD~1..HEAD".to_owned(),
            changes: changes
                .into_iter()
                .map(|(change, reason)| {
                    let mut compared = ComparedChange::undated(change);
                    compared.reason = reason.map(str::to_owned);
                    compared
                })
                .collect(),
            warnings: Vec::new(),
            files: 1,
            broken: Vec::new(),
            judged_by: crate::repo::config::Config::default(),
            titles: crate::commands::diff::Titles::default(),
        }
    }

    fn sample() -> Comparison {
        let mut target = change(
            ChangeKind::KrTargetChanged,
            Some("boring-deploys"),
            Some("failed-deploys"),
            Value::Number(Number(2.0)),
            Value::Number(Number(4.0)),
        );
        target.direction = Some(Direction::Easier);
        let mut reworded = change(
            ChangeKind::ObjectiveReworded,
            Some("boring-deploys"),
            None,
            Value::Text("Make deploys boring".to_owned()),
            Value::Text("Make deployments boring".to_owned()),
        );
        reworded.words = Some(vec![
            WordEdit {
                op: WordOp::Equal,
                text: "Make ".to_owned(),
            },
            WordEdit {
                op: WordOp::Delete,
                text: "deploys".to_owned(),
            },
            WordEdit {
                op: WordOp::Insert,
                text: "deployments".to_owned(),
            },
            WordEdit {
                op: WordOp::Equal,
                text: " boring".to_owned(),
            },
        ]);
        let owner = change(
            ChangeKind::OwnerChanged,
            None,
            None,
            Value::Text("Marcus Chen".to_owned()),
            Value::Text("Ravi Patel".to_owned()),
        );
        comparison(vec![
            (owner, None),
            (reworded, None),
            (
                target,
                Some("Two a week is not realistic\nwith the old runners."),
            ),
        ])
    }

    #[test]
    fn human_diff_groups_by_file_and_objective() {
        let out = crate::render::text::unpainted(&human(&sample()));
        assert_eq!(
            out,
            "okr diff HEAD~1..HEAD\n\
             \n\
             okrs/2026-Q3/platform.yaml (platform)\n\
             \x20 owner Marcus Chen → Ravi Patel\n\
             \x20 boring-deploys\n\
             \x20   reworded: Make [-deploys-]{+deployments+} boring\n\
             \x20   KR failed-deploys: target 2 → 4 (easier)\n\
             \x20     why: Two a week is not realistic\n\
             \x20          with the old runners.\n"
        );
        assert!(!out.contains('\x1b'));
        assert!(human(&sample()).contains('\x1b'));
    }

    #[test]
    fn markdown_diff_is_a_list_per_file() {
        let out = markdown(&sample());
        assert!(out.starts_with("## okr diff HEAD\\~1..HEAD\n"), "{out}");
        assert!(out.contains("### okrs/2026-Q3/platform.yaml (platform)"));
        assert!(out.contains("  - reworded: Make ~~deploys~~ **deployments** boring"));
        assert!(out.contains("  - KR failed-deploys: target 2 → 4 (easier)"));
        assert!(out.contains("    - *why:* Two a week is not realistic<br>with the old runners."));
    }

    #[test]
    fn no_changes_is_said_plainly() {
        let empty = comparison(Vec::new());
        assert_eq!(
            human(&empty),
            "no changes to OKRs between HEAD~1 and HEAD\n"
        );
        assert_eq!(
            markdown(&empty),
            "No changes to OKRs between HEAD\\~1 and HEAD.\n"
        );
    }

    #[test]
    fn user_text_is_made_safe() {
        let evil = change(
            ChangeKind::KrAdded,
            Some("x"),
            Some("k"),
            Value::None,
            Value::Text("<script>|@team **x**\x1b[31m".to_owned()),
        );
        let c = comparison(vec![(evil, None)]);
        let human = crate::render::text::unpainted(&human(&c));
        assert!(!human.contains('\x1b'), "{human}");
        assert!(human.contains("\\u{1b}[31m"));
        let md = markdown(&c);
        assert!(!md.contains("<script>"));
        assert!(!md.contains("@team"));
        assert!(md.contains("\\<script\\>\\|@\u{200d}team \\*\\*x\\*\\*"));
    }
}
