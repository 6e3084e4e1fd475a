//! `invalid-value` for `carried_from`: an objective is carried over from an earlier quarter, never from the
//! quarter of its own file or a later one.

use crate::core::diagnostic::Finding;
use crate::core::model::OkrFile;
use crate::core::rules::codes;

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    let Some(quarter) = &file.quarter else { return };
    for objective in &file.objectives {
        let Some(from) = &objective.carried_from else {
            continue;
        };
        if from.value < quarter.value {
            continue;
        }
        let name = objective
            .id
            .as_ref()
            .map_or("this objective", |id| id.value.as_ref());
        out.push(
            Finding::new(
                codes::INVALID_VALUE,
                from.pos,
                format!(
                    "objective `{name}` is carried from {}, which is not before the file's quarter {}",
                    from.value, quarter.value
                ),
            )
            .with_help(
                "`carried_from` names the earlier quarter the objective was carried over from; remove it if the \
                 objective is new this quarter",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::codes;

    fn findings(carried_from: &str) -> Vec<String> {
        let text = format!(
            "quarter: 2026-Q4\nteam: a\nobjectives:\n  - id: o\n    title: O\n    carried_from: {carried_from}\n    key_results:\n      - id: k\n        title: K\n        done: false\n      - id: m\n        title: M\n        done: false\n"
        );
        let loaded = crate::core::parse::parse("okrs/2026-Q4/a.yaml", text.into_bytes());
        let mut all: Vec<String> = loaded
            .findings
            .iter()
            .map(|f| format!("{}:{} {} {}", f.pos.line, f.pos.column, f.code, f.message))
            .collect();
        let okr = loaded.okr.unwrap();
        all.extend(
            crate::core::rules::check_file(&okr, "okrs/2026-Q4/a.yaml")
                .iter()
                .map(|f| format!("{}:{} {} {}", f.pos.line, f.pos.column, f.code, f.message)),
        );
        all
    }

    #[test]
    fn an_objective_is_carried_from_an_earlier_quarter() {
        assert!(findings("2026-Q3").is_empty());
        assert!(findings("2025-Q4").is_empty());
        for later in ["2026-Q4", "2027-Q1"] {
            let found = findings(later);
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].starts_with(&format!("6:19 {}", codes::INVALID_VALUE)),
                "{found:?}"
            );
            assert!(found[0].contains("not before the file's quarter 2026-Q4"));
        }
    }

    #[test]
    fn carried_from_must_be_written_as_a_quarter() {
        for bad in ["2026-Q5", "last quarter", "2026", "2026-q3"] {
            let found = findings(bad);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert!(
                found[0].contains("invalid-value `carried_from` must be "),
                "{found:?}"
            );
        }
    }
}
