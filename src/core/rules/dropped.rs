//! `dropped-without-reason`: a dropped objective is a lesson only if the reason is written down.

use crate::core::diagnostic::Finding;
use crate::core::model::{OkrFile, Status};
use crate::core::rules::codes;

const HELP: &str = "add `dropped:` with `date:` and `reason:` saying what was learned";

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    for objective in &file.objectives {
        let Some(status) = objective
            .status
            .as_ref()
            .filter(|s| s.value == Status::Dropped)
        else {
            continue;
        };
        let name = objective
            .id
            .as_ref()
            .map_or("this objective", |id| id.value.as_ref());
        let finding = match &objective.dropped {
            None => Finding::new(
                codes::DROPPED_WITHOUT_REASON,
                status.pos,
                format!("objective `{name}` is dropped without saying why"),
            ),
            Some(dropped) => match &dropped.reason {
                None => Finding::new(
                    codes::DROPPED_WITHOUT_REASON,
                    dropped.pos,
                    format!("objective `{name}` is dropped but `dropped` has no `reason`"),
                ),
                Some(reason) if reason.value.trim().is_empty() => Finding::new(
                    codes::DROPPED_WITHOUT_REASON,
                    reason.pos,
                    format!("objective `{name}` is dropped with an empty `reason`"),
                ),
                Some(_) => continue,
            },
        };
        out.push(finding.with_help(HELP));
    }
}
