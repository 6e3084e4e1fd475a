//! Where a carried-over objective came from (`carried_from`, written by `okr init --from`), and how it ended
//! there.

use std::collections::HashMap;

use serde::Serialize;

use super::{Band, Context, KickoffIndex, objective_report};
use crate::core::model::{Objective, Quarter, Status};
use crate::core::stale::Clocks;
use crate::core::state::QuarterState;

/// Where a carried-over objective came from (`carried_from`), and how it ended there: as the files of that
/// quarter stand at the revision reported on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarriedFrom {
    pub quarter: Quarter,
    /// Whether that quarter has the objective (same team, same id) at the revision reported on.
    pub found: bool,
    /// Its status there.
    pub status: Option<Status>,
    /// Its score there; `None` when it is not there or could not be scored.
    pub score: Option<f64>,
    pub band: Option<Band>,
}

/// How the objective `team`/`id`, carried from `quarter`, ended there, in `earlier` (the states of the quarters
/// objectives were carried from, at the revision reported on).
pub(super) fn carried_from(
    team: &str,
    id: &str,
    quarter: Quarter,
    earlier: &[QuarterState],
) -> CarriedFrom {
    let there = earlier
        .iter()
        .filter(|state| state.quarter == quarter)
        .flat_map(|state| &state.teams)
        .filter(|t| t.okr.team.as_ref().is_some_and(|x| &*x.value == team))
        .flat_map(|t| &t.okr.objectives)
        .find(|o| o.id.as_ref().is_some_and(|x| &*x.value == id));
    // Scored as that quarter's own report scores it.
    let (kickoff, removed, clocks) = (KickoffIndex::default(), HashMap::new(), Clocks::default());
    let context = Context {
        kickoff: &kickoff,
        removed: &removed,
        clocks: &clocks,
        stale: None,
        earlier: &[],
    };
    let ended = there.map(|o| objective_report(team, o, &context));
    CarriedFrom {
        quarter,
        found: there.is_some(),
        status: there.map(Objective::status),
        score: ended.as_ref().and_then(|o| o.score),
        band: ended.as_ref().and_then(|o| o.band),
    }
}

/// The quarters the objectives of `state` were carried from, each once, to read for [`super::assemble`].
pub fn carried_from_quarters(state: &QuarterState) -> Vec<Quarter> {
    let mut quarters: Vec<Quarter> = state
        .teams
        .iter()
        .flat_map(|t| &t.okr.objectives)
        .filter_map(|o| o.carried_from.as_ref().map(|q| q.value))
        .filter(|q| *q != state.quarter)
        .collect();
    quarters.sort();
    quarters.dedup();
    quarters
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::core::state::TeamState;

    fn state(quarter: &str, text: &str) -> QuarterState {
        let okr = crate::core::parse::parse("x.yaml", text.as_bytes().to_vec())
            .okr
            .unwrap();
        QuarterState {
            quarter: quarter.parse().unwrap(),
            commit: String::new(),
            date: String::new(),
            teams: vec![TeamState {
                path: "x.yaml".to_owned(),
                okr: Arc::new(okr),
            }],
            warnings: Vec::new(),
        }
    }

    const ENDED: &str = "quarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: deploys\n    title: D\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 10\n        current: 4\n      - id: m\n        title: M\n        done: true\n  - id: gone\n    title: G\n    status: dropped\n    dropped:\n      date: 2026-08-01\n      reason: R\n    key_results:\n      - id: k\n        title: K\n        done: false\n";

    #[test]
    fn a_carried_objective_says_how_it_ended_in_its_quarter() {
        let earlier = [state("2026-Q3", ENDED)];
        let q3: Quarter = "2026-Q3".parse().unwrap();
        let deploys = carried_from("platform", "deploys", q3, &earlier);
        assert_eq!(
            (deploys.found, deploys.status, deploys.score, deploys.band),
            (true, Some(Status::Active), Some(0.7), Some(Band::Green))
        );
        let gone = carried_from("platform", "gone", q3, &earlier);
        assert_eq!(gone.status, Some(Status::Dropped));
        for missing in [
            carried_from("platform", "nope", q3, &earlier),
            carried_from("search", "deploys", q3, &earlier),
            carried_from("platform", "deploys", "2026-Q2".parse().unwrap(), &earlier),
        ] {
            assert!(!missing.found);
            assert_eq!((missing.status, missing.score), (None, None));
        }
    }

    #[test]
    fn each_quarter_carried_from_is_read_once() {
        let next = state(
            "2026-Q4",
            "quarter: 2026-Q4\nteam: a\nobjectives:\n  - id: o\n    title: O\n    carried_from: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        done: false\n  - id: p\n    title: P\n    carried_from: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        done: false\n  - id: r\n    title: R\n    carried_from: 2025-Q4\n    key_results:\n      - id: k\n        title: K\n        done: false\n",
        );
        let names: Vec<String> = carried_from_quarters(&next)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(names, ["2025-Q4", "2026-Q3"]);
    }
}
