//! `kr-not-measurable`: a key result must say how it will be scored.

use crate::core::diagnostic::Finding;
use crate::core::model::{Direction, OkrFile};
use crate::core::rules::codes;

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    for kr in file.objectives.iter().flat_map(|o| &o.key_results) {
        // A milestone and a share done are measurable; an unreadable value was reported already and would
        // only repeat here.
        if kr.done.is_some() || kr.progress.is_some() || kr.measure_unreadable {
            continue;
        }
        let name = kr
            .id
            .as_ref()
            .map_or("this key result", |id| id.value.as_ref());
        let direction = kr.direction.as_ref().map(|d| d.value);
        let holds = matches!(direction, Some(Direction::AtLeast | Direction::AtMost));
        let missing = match (&kr.start, &kr.target) {
            // A level to hold needs only its target: its start may be anything, the target itself included.
            (_, Some(_)) if holds => continue,
            (Some(start), Some(target)) => {
                if start.value == target.value {
                    out.push(
                        Finding::new(
                            codes::KR_NOT_MEASURABLE,
                            target.pos,
                            format!("key result `{name}` starts at its target ({})", target.value),
                        )
                        .with_help("a target must differ from the start; if it is already met, mark it `done: true`, or to keep it there say `direction: at_least` or `at_most`"),
                    );
                } else if let Some(way @ (Direction::Increase | Direction::Decrease)) = direction {
                    let rises = target.value.0 > start.value.0;
                    if rises != (way == Direction::Increase) {
                        out.push(
                            Finding::new(
                                codes::KR_NOT_MEASURABLE,
                                kr.direction.as_ref().map_or(kr.pos, |d| d.pos),
                                format!(
                                    "key result `{name}` says `direction: {}` but goes from {} to {}",
                                    way.as_str(),
                                    start.value,
                                    target.value
                                ),
                            )
                            .with_help("fix the direction or the target; with a `start`, the direction can be left out"),
                        );
                    }
                }
                continue;
            }
            (None, Some(_)) if direction.is_some() => continue,
            (Some(_), None) => "`target`",
            (None, Some(_)) => {
                "`start` (or, when nobody measured one, `direction: increase` or `decrease`)"
            }
            (None, None) => "`start` and `target`, `progress`, or `done`",
        };
        out.push(
            Finding::new(
                codes::KR_NOT_MEASURABLE,
                kr.pos,
                format!("key result `{name}` cannot be measured: it has no {missing}"),
            )
            .with_help(
                "a metric key result has `start` and `target`; a level to hold, `target` and `direction: at_least` or `at_most`; work measured as a share done, `progress`; a milestone, `done: false`",
            ),
        );
    }
}
