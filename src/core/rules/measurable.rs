//! `kr-not-measurable`: a key result must say how it will be scored.

use crate::core::diagnostic::Finding;
use crate::core::model::OkrFile;
use crate::core::rules::codes;

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    for kr in file.objectives.iter().flat_map(|o| &o.key_results) {
        // A milestone is measurable; an unreadable value was reported already and would only repeat here.
        if kr.done.is_some() || kr.measure_unreadable {
            continue;
        }
        let name = kr
            .id
            .as_ref()
            .map_or("this key result", |id| id.value.as_ref());
        let missing = match (&kr.start, &kr.target) {
            (Some(start), Some(target)) => {
                if start.value == target.value {
                    out.push(
                        Finding::new(
                            codes::KR_NOT_MEASURABLE,
                            target.pos,
                            format!("key result `{name}` starts at its target ({})", target.value),
                        )
                        .with_help("a target must differ from the start; if it is already met, mark it `done: true`"),
                    );
                }
                continue;
            }
            (Some(_), None) => "`target`",
            (None, Some(_)) => "`start`",
            (None, None) => "`start` and `target`, or `done`",
        };
        out.push(
            Finding::new(
                codes::KR_NOT_MEASURABLE,
                kr.pos,
                format!("key result `{name}` cannot be measured: it has no {missing}"),
            )
            .with_help(
                "a metric key result has `start` and `target`; a milestone has `done: false`",
            ),
        );
    }
}
