//! Putting a report together: each team's report on every core, then the sections read off them (drops,
//! pivots, alignment, timeline, retrospective) side by side.

use super::*;

/// The report of `state`, the quarter at the revision reported on, with its `history`. `earlier` are the
/// quarters its objectives were carried from, at the same revision ([`carried_from_quarters`]).
pub fn assemble(
    query: &ReportQuery,
    mut history: History,
    state: QuarterState,
    earlier_states: &[QuarterState],
) -> Report {
    // The indexes below are independent reads of the history: built side by side.
    let ((kickoff, removed), clocks) = rayon::join(
        || {
            let kickoff = kickoff_index(history.kickoff_state.iter().chain(&history.late_plans));
            let removed = removed_key_results(&history, &kickoff);
            (kickoff, removed)
        },
        || Clocks::of(&history.events),
    );
    let earlier = Earlier::new(earlier_states);
    let context = Context {
        kickoff: &kickoff,
        removed: &removed,
        clocks: &clocks,
        earlier: &earlier,
        stale: Some(StaleRule {
            after_days: query.stale_after_days,
            kickoff: history.kickoff,
            end: history.end,
            today: query.today,
        }),
    };
    // Each team's report stands alone: an organisation's ten thousand are built on every core.
    use rayon::prelude::*;
    // The teams asked for (`--team`), in the scores and in the retrospective alike.
    let asked = |t: &crate::core::state::TeamState| {
        query.team.is_none() || t.okr.team.as_ref().map(|x| &*x.value) == query.team.as_deref()
    };
    let teams: Vec<TeamReport> = state
        .teams
        .par_iter()
        .filter(|t| asked(t))
        .map(|team_state| {
            let team = team_state
                .okr
                .team
                .as_ref()
                .map(|t| t.value.clone())
                .unwrap_or_default();
            let mut objectives: Vec<ObjectiveReport> = team_state
                .okr
                .objectives
                .iter()
                .map(|o| objective_report(&team, o, &context))
                .collect();
            by_priority(&mut objectives, |o| o.priority);
            let score = mean(
                objectives
                    .iter()
                    .filter(|o| o.status != Status::Dropped)
                    .filter_map(|o| o.score),
            );
            TeamReport {
                team: team.to_string(),
                path: team_state.path.clone(),
                owner: text(&team_state.okr.owner),
                owners: owners(&team_state.okr.owner),
                links: links(&team_state.okr.links),
                score: score.map(round),
                band: score.map(Band::of),
                objectives,
            }
        })
        .collect();
    let all: Vec<&ObjectiveReport> = teams.iter().flat_map(|t| &t.objectives).collect();
    let dropped: Vec<DroppedObjective> = all
        .iter()
        .filter(|o| o.status == Status::Dropped)
        .map(|o| DroppedObjective {
            team: o.team.clone(),
            objective: o.id.clone(),
            title: o.title.clone(),
            date: o.dropped.as_ref().and_then(|d| d.date),
            reason: o.dropped.as_ref().and_then(|d| d.reason.clone()),
        })
        .collect();
    let summary = &history.summary;
    let pivots: Vec<Event> = summary
        .pivots()
        .iter()
        .map(|&i| history.events[i].clone())
        .collect();
    let ended = query.retro || query.today > history.end;
    // The alignment tree, the timeline and the retrospective each read the teams' reports alone: on an
    // organisation's scale each is tens of milliseconds, so they are built side by side.
    let (alignment, (timeline, retrospective)) = rayon::join(
        || alignment(&all),
        || {
            rayon::join(
                || timeline(&history, &all),
                || {
                    ended.then(|| {
                        let written = state
                            .teams
                            .iter()
                            .filter(|t| asked(t))
                            .filter_map(|t| {
                                Some((t.okr.team.as_ref()?, t.okr.retrospective.as_ref()?))
                            })
                            .filter_map(|(team, written)| WrittenByTeam::of(&team.value, written))
                            .collect();
                        retrospective(&all, &dropped, pivots.len(), written)
                    })
                },
            )
        },
    );
    let report = Report {
        quarter: history.quarter,
        start: history.start,
        end: history.end,
        kickoff: history.kickoff,
        today: query.today,
        stale_after_days: query.stale_after_days,
        ended,
        commit: state.commit.clone(),
        date: state.date.clone(),
        alignment,
        timeline,
        teams,
        dropped,
        pivots,
        retrospective,
        trajectories: std::mem::take(&mut history.trajectories),
        warnings: std::mem::take(&mut history.warnings)
            .into_iter()
            .chain(earlier_warnings(earlier_states))
            .collect(),
    };
    // What the report does not keep is, on an organisation's scale, a hundred thousand events and ten
    // thousand parsed files: freed on another core while the report is written.
    rayon::spawn(move || drop((history, state)));
    report
}

/// The timeline's lanes, titled as the objectives stand now. Objectives are found by team and id through an
/// index: an organisation's quarter has tens of thousands of lanes and objectives, and a search per lane was
/// most of a report's time.
fn timeline(history: &History, all: &[&ObjectiveReport]) -> Vec<Lane> {
    let mut lanes = crate::core::timeline::lanes(history);
    let mut titles: std::collections::HashMap<(&str, &str), &str> =
        std::collections::HashMap::with_capacity(all.len());
    for o in all {
        // The first of a repeated id, as the search found it.
        titles
            .entry((o.team.as_str(), o.id.as_str()))
            .or_insert(o.title.as_str());
    }
    for lane in &mut lanes {
        if let Some(title) = titles.get(&(lane.team.as_str(), lane.objective.as_str())) {
            lane.title = (*title).to_owned();
        }
    }
    lanes
}
