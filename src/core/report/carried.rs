//! Where a carried-over objective came from (`carried_from`, written by `okr init --from`), and how it ended
//! there.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Band, Context, KickoffIndex, objective_report};
use crate::core::history::Warning;
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
    /// Not found, and the team has no readable file in that quarter while one of its files cannot be read
    /// there: the objective may well be in it. The report's warnings say which file, and why.
    pub unreadable: bool,
    /// Its status there.
    pub status: Option<Status>,
    /// Its score there; `None` when it is not there or could not be scored.
    pub score: Option<f64>,
    pub band: Option<Band>,
}

/// The objectives of the quarters objectives were carried from, by quarter, team and id: built once for a
/// report, where searching every team of the earlier quarter for each carried objective grew with the product
/// of the two, and an organisation's quarter carries thousands. Keys are borrowed from the states.
#[derive(Default)]
pub(super) struct Earlier<'a> {
    objectives: HashMap<(Quarter, &'a str, &'a str), &'a Objective, foldhash::fast::RandomState>,
    /// The teams with a file that could be read, in each quarter.
    teams: HashSet<(Quarter, &'a str), foldhash::fast::RandomState>,
    /// The quarters with a file that could not be read (a state warns only of those).
    unreadable: HashSet<Quarter>,
}

impl<'a> Earlier<'a> {
    /// The index of `states`, the quarters carried from at the revision reported on.
    pub(super) fn new(states: &'a [QuarterState]) -> Earlier<'a> {
        let mut objectives = HashMap::with_capacity_and_hasher(
            states
                .iter()
                .flat_map(|s| &s.teams)
                .map(|t| t.okr.objectives.len())
                .sum(),
            foldhash::fast::RandomState::default(),
        );
        let mut teams = HashSet::default();
        for state in states {
            for team_state in &state.teams {
                let Some(team) = team_state.okr.team.as_ref() else {
                    continue;
                };
                teams.insert((state.quarter, &*team.value));
                for objective in &team_state.okr.objectives {
                    if let Some(id) = objective.id.as_ref() {
                        // The first of a repeated id, as a search in file order finds it.
                        objectives
                            .entry((state.quarter, &*team.value, &*id.value))
                            .or_insert(objective);
                    }
                }
            }
        }
        Earlier {
            objectives,
            teams,
            unreadable: states
                .iter()
                .filter(|s| !s.warnings.is_empty())
                .map(|s| s.quarter)
                .collect(),
        }
    }

    fn objective(&self, quarter: Quarter, team: &str, id: &str) -> Option<&'a Objective> {
        self.objectives.get(&(quarter, team, id)).copied()
    }
}

/// How the objective `team`/`id`, carried from `quarter`, ended there, in `earlier` (the quarters objectives
/// were carried from, at the revision reported on).
pub(super) fn carried_from(
    team: &str,
    id: &str,
    quarter: Quarter,
    earlier: &Earlier<'_>,
) -> CarriedFrom {
    let there = earlier.objective(quarter, team, id);
    // Scored as that quarter's own report scores it.
    let (kickoff, removed, clocks) = (KickoffIndex::default(), HashMap::new(), Clocks::default());
    let context = Context {
        kickoff: &kickoff,
        removed: &removed,
        clocks: &clocks,
        stale: None,
        earlier: &Earlier::default(),
    };
    let ended = there.map(|o| objective_report(team, o, &context));
    CarriedFrom {
        quarter,
        found: there.is_some(),
        unreadable: there.is_none()
            && earlier.unreadable.contains(&quarter)
            && !earlier.teams.contains(&(quarter, team)),
        status: there.map(Objective::status),
        score: ended.as_ref().and_then(|o| o.score),
        band: ended.as_ref().and_then(|o| o.band),
    }
}

/// The warnings of the quarters carried from, for the report's: a file there that cannot be read leaves its
/// objectives unknown, and the report says so rather than that they are not there.
pub(super) fn earlier_warnings(states: &[QuarterState]) -> impl Iterator<Item = Warning> + '_ {
    states.iter().flat_map(|state| {
        state.warnings.iter().map(move |w| Warning {
            commit: w.commit.clone(),
            path: w.path.clone(),
            message: format!(
                "{}; the objectives carried over from {} say `cannot be read there`",
                w.message, state.quarter
            ),
        })
    })
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
        let states = [state("2026-Q3", ENDED)];
        let earlier = Earlier::new(&states);
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

    /// One index for every quarter carried from: the same team and id in two quarters are two objectives, and
    /// of a repeated id the first is taken, as a search in file order took it.
    #[test]
    fn the_index_tells_quarters_apart_and_keeps_the_first_of_a_repeated_id() {
        let states = [
            state("2026-Q3", ENDED),
            state(
                "2026-Q2",
                "quarter: 2026-Q2\nteam: platform\nobjectives:\n  - id: deploys\n    title: D\n    status: done\n    key_results:\n      - id: k\n        title: K\n        done: true\n  - id: deploys\n    title: Again\n    key_results:\n      - id: k\n        title: K\n        done: false\n",
            ),
        ];
        let earlier = Earlier::new(&states);
        let q3 = carried_from("platform", "deploys", "2026-Q3".parse().unwrap(), &earlier);
        let q2 = carried_from("platform", "deploys", "2026-Q2".parse().unwrap(), &earlier);
        assert_eq!((q3.status, q3.score), (Some(Status::Active), Some(0.7)));
        assert_eq!((q2.status, q2.score), (Some(Status::Done), Some(1.0)));
        assert_eq!(earlier.objectives.len(), 3);
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
