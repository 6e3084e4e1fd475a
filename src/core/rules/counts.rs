//! `objective-count` and `kr-count`: OKRs are about focus.

use crate::core::diagnostic::Finding;
use crate::core::model::OkrFile;
use crate::core::rules::codes;

const MAX_OBJECTIVES: usize = 5;
const KEY_RESULTS: std::ops::RangeInclusive<usize> = 2..=5;

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    if file.objectives.len() > MAX_OBJECTIVES
        && let Some(pos) = file.objectives_key
    {
        out.push(
            Finding::new(
                codes::OBJECTIVE_COUNT,
                pos,
                format!(
                    "{} objectives in one file; more than {MAX_OBJECTIVES} dilutes focus",
                    file.objectives.len()
                ),
            )
            .with_help("keep the objectives that matter most; the rest can wait a quarter"),
        );
    }
    for objective in &file.objectives {
        let count = objective.key_results.len();
        // Zero key results is an invalid value, reported when the file was read.
        if count == 0 || KEY_RESULTS.contains(&count) {
            continue;
        }
        let Some(pos) = objective.key_results_key else {
            continue;
        };
        let name = objective
            .id
            .as_ref()
            .map_or("this objective", |id| id.value.as_ref());
        let help = if count < *KEY_RESULTS.start() {
            "add a second key result so one number cannot stand in for the whole objective"
        } else {
            "keep the five key results that best show the objective is met"
        };
        out.push(
            Finding::new(
                codes::KR_COUNT,
                pos,
                format!(
                    "objective `{name}` has {count} key result{}; 2 to 5 work best",
                    if count == 1 { "" } else { "s" }
                ),
            )
            .with_help(help),
        );
    }
}
