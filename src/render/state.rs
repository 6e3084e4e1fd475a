//! `okr show --at` as text: a quarter's OKRs as they stood at one commit, team by team.

use std::fmt::Write as _;

use super::text::human_warnings;
use super::text::{
    ADDED, BOLD, COMMIT, DIM, Format, REMOVED, day, measure_standing, paint, reason_lines,
    score_text, short_commit, terminal_safe, trim_lines,
};
use crate::core::model::{KeyResult, Measure, Objective, ObjectiveType, Status, Text};
use crate::core::state::QuarterState;

pub fn human(state: &QuarterState) -> String {
    let f = Format::Human;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} at {} ({})",
        paint(BOLD, &format!("okr show: {}", state.quarter)),
        paint(COMMIT, &terminal_safe(short_commit(&state.commit))),
        terminal_safe(day(&state.date))
    );
    if state.teams.is_empty() {
        let _ = writeln!(out, "\nno OKR files for {} at this commit", state.quarter);
    }
    for team in &state.teams {
        let okr = &team.okr;
        out.push('\n');
        let name = okr.team.as_ref().map_or("(no team)", |t| t.value.as_ref());
        let mut line = paint(BOLD, &terminal_safe(name));
        if let Some(owner) = &okr.owner {
            let _ = write!(line, "  owner {}", terminal_safe(&owner.value));
        }
        let _ = write!(line, "  {}", paint(DIM, &terminal_safe(&team.path)));
        let _ = writeln!(out, "{line}");
        for objective in &okr.objectives {
            let _ = writeln!(
                out,
                "  {} — {}",
                paint(BOLD, &terminal_safe(id(&objective.id))),
                terminal_safe(title(&objective.title))
            );
            let _ = writeln!(out, "    {}", objective_facts(objective, f).join(" · "));
            if let Some(reason) = dropped_reason(objective) {
                for (n, line) in reason_lines(reason).iter().enumerate() {
                    let lead = if n == 0 {
                        "why dropped: "
                    } else {
                        "             "
                    };
                    let _ = writeln!(out, "    {lead}{line}");
                }
            }
            for kr in &objective.key_results {
                let _ = writeln!(
                    out,
                    "    {} — {}",
                    terminal_safe(id(&kr.id)),
                    terminal_safe(title(&kr.title))
                );
                let mut facts = vec![measure(kr, f)];
                facts.extend(kr_facts(kr, f));
                let _ = writeln!(out, "      {}", facts.join(" · "));
            }
        }
    }
    human_warnings(&mut out, &state.warnings);
    trim_lines(&out)
}

pub fn markdown(state: &QuarterState) -> String {
    super::markdown::state::render(state)
}

pub(crate) fn id(value: &Option<crate::core::model::Spanned<Text>>) -> &str {
    value.as_ref().map_or("(no id)", |v| v.value.as_ref())
}

pub(crate) fn title(value: &Option<crate::core::model::Spanned<Text>>) -> &str {
    value.as_ref().map_or("(no title)", |v| v.value.as_ref())
}

pub(crate) fn number(
    value: &Option<crate::core::model::Spanned<crate::core::model::Number>>,
) -> String {
    value
        .as_ref()
        .map_or_else(String::new, |n| n.value.to_string())
}

/// `committed · active · owner Priya Raman · aligns to company/customer-trust`, or with `dropped 2026-08-12`.
pub(crate) fn objective_facts(objective: &Objective, f: Format) -> Vec<String> {
    let mut facts = vec![match objective.objective_type() {
        ObjectiveType::Committed => "committed".to_owned(),
        ObjectiveType::Aspirational => "aspirational".to_owned(),
    }];
    facts.push(match objective.status() {
        Status::Active => "active".to_owned(),
        Status::Done => f.paint(ADDED, "done ✓"),
        Status::Dropped => {
            let date = objective
                .dropped
                .as_ref()
                .and_then(|d| d.date.as_ref())
                .map(|d| format!(" {}", d.value));
            f.paint(REMOVED, &format!("dropped{}", date.unwrap_or_default()))
        }
    });
    if let Some(owner) = &objective.owner {
        facts.push(format!("owner {}", f.esc(&owner.value)));
    }
    if let Some(aligns) = &objective.aligns_to {
        facts.push(format!("aligns to {}", f.esc(&aligns.value.to_string())));
    }
    if let Some(quarter) = &objective.carried_from {
        facts.push(format!("carried from {}", quarter.value));
    }
    facts
}

pub(crate) fn dropped_reason(objective: &Objective) -> Option<&str> {
    objective
        .dropped
        .as_ref()
        .and_then(|d| d.reason.as_ref())
        .map(|r| r.value.as_ref())
}

/// `5 of target 2 deploys/week (start 12)`: where it stands, the target, the unit and the start; `done ✓` or
/// `not yet ✗` for a milestone.
pub(crate) fn measure(kr: &KeyResult, f: Format) -> String {
    match kr.measure() {
        Some(Measure::Milestone { done: true }) => f.paint(ADDED, "done ✓"),
        Some(Measure::Milestone { done: false }) => "not yet ✗".to_owned(),
        Some(measure) => {
            let unit = kr.unit.as_ref().map(|unit| &*unit.value);
            measure_standing(measure, unit, f).unwrap_or_default()
        }
        None => "no measure".to_owned(),
    }
}

/// Confidence, score and owner, where set.
fn kr_facts(kr: &KeyResult, f: Format) -> Vec<String> {
    let mut facts = Vec::new();
    if let Some(confidence) = &kr.confidence {
        facts.push(format!("confidence {}", confidence.value));
    }
    if let Some(score) = &kr.score {
        facts.push(format!("score {}", score_text(score.value.0)));
    }
    if let Some(owner) = &kr.owner {
        facts.push(format!("owner {}", f.esc(&owner.value)));
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diagnostic::Pos;
    use crate::core::model::{Alignment, Dropped, Number, OkrFile, Quarter, Spanned, Text};
    use crate::core::state::TeamState;

    fn s<T>(value: T) -> Option<Spanned<T>> {
        Some(Spanned::new(value, Pos::default()))
    }

    fn kr(id: &str, title: &str) -> KeyResult {
        KeyResult {
            pos: Pos::default(),
            id: s(Text::from(id)),
            title: s(Text::from(title)),
            start: None,
            target: None,
            current: None,
            done: None,
            direction: None,
            progress: None,
            unit: None,
            confidence: None,
            score: None,
            notes: None,
            owner: None,
            priority: None,
            health: None,
            links: Vec::new(),
            measure_unreadable: false,
        }
    }

    fn objective(id: &str, title: &str, key_results: Vec<KeyResult>) -> Objective {
        Objective {
            pos: Pos::default(),
            id: s(Text::from(id)),
            title: s(Text::from(title)),
            kind: s(ObjectiveType::Committed),
            owner: None,
            aligns_to: None,
            carried_from: None,
            status: None,
            priority: None,
            dropped: None,
            notes: None,
            links: Vec::new(),
            key_results,
            key_results_key: None,
        }
    }

    fn sample() -> QuarterState {
        let mut deploys = kr("deploy-frequency", "Deploys per week");
        deploys.start = s(Number(12.0));
        deploys.target = s(Number(2.0));
        deploys.current = s(Number(5.0));
        deploys.unit = s(Text::from("deploys/week"));
        deploys.confidence = s(Number(0.6));
        deploys.score = s(Number(0.7));
        let mut canary = kr("canary", "Canary stage everywhere");
        canary.done = s(true);
        let mut drill = kr("drill", "Failover drill");
        drill.done = s(false);
        let mut region = objective("multi-region", "Two regions", vec![drill]);
        region.status = s(Status::Dropped);
        region.aligns_to = s(Alignment {
            team: "company".to_owned(),
            objective: "customer-trust".to_owned(),
            key_result: None,
        });
        region.dropped = Some(Dropped {
            pos: Pos::default(),
            date: s("2026-08-12".parse().unwrap()),
            reason: s(Text::from(
                "Recovery time hurts more.\nPeople moved to fast-recovery.",
            )),
        });
        QuarterState {
            quarter: Quarter {
                year: 2026,
                number: 3,
            },
            commit: "84eeb0bb7bf23b74258458f2f7d3ba354422c612".to_owned(),
            date: "2026-07-20T09:15:00+09:00".to_owned(),
            teams: vec![TeamState {
                path: "okrs/2026-Q3/platform.yaml".to_owned(),
                okr: std::sync::Arc::new(OkrFile {
                    quarter: s(Quarter {
                        year: 2026,
                        number: 3,
                    }),
                    team: s(Text::from("platform")),
                    owner: s(crate::core::model::Owners::from("Marcus Chen")),
                    links: Vec::new(),
                    retrospective: None,
                    objectives: vec![
                        objective(
                            "boring-deploys",
                            "Deploys are boring",
                            vec![deploys, canary],
                        ),
                        region,
                    ],
                    objectives_key: None,
                }),
            }],
            warnings: Vec::new(),
        }
    }

    #[test]
    fn human_state_shows_measures_and_drops() {
        let out = crate::render::text::unpainted(&human(&sample()));
        assert_eq!(
            out,
            "okr show: 2026-Q3 at 84eeb0b (2026-07-20)\n\
             \n\
             platform  owner Marcus Chen  okrs/2026-Q3/platform.yaml\n\
             \x20 boring-deploys — Deploys are boring\n\
             \x20   committed · active\n\
             \x20   deploy-frequency — Deploys per week\n\
             \x20     5 of target 2 deploys/week (start 12) · confidence 0.6 · score 0.70\n\
             \x20   canary — Canary stage everywhere\n\
             \x20     done ✓\n\
             \x20 multi-region — Two regions\n\
             \x20   committed · dropped 2026-08-12 · aligns to company/customer-trust\n\
             \x20   why dropped: Recovery time hurts more.\n\
             \x20                People moved to fast-recovery.\n\
             \x20   drill — Failover drill\n\
             \x20     not yet ✗\n"
        );
        assert!(!out.contains('\x1b'));
        assert!(human(&sample()).contains('\x1b'));
    }

    #[test]
    fn markdown_state_has_a_table_per_objective() {
        let out = markdown(&sample());
        assert!(
            out.starts_with("# OKRs 2026-Q3 at 84eeb0b (2026-07-20)\n"),
            "{out}"
        );
        assert!(out.contains("## platform\n\nOwner: Marcus Chen · okrs/2026-Q3/platform.yaml\n"));
        assert!(
            out.contains("| KR | Title | Progress | Confidence | Score |\n|---|---|---|---|---|\n")
        );
        assert!(out.contains(
            "| deploy-frequency | Deploys per week | 5 of target 2 deploys/week (start 12) | 0.6 | 0.70 |"
        ));
        assert!(out.contains(
            "*Why dropped:* Recovery time hurts more.<br>People moved to fast-recovery."
        ));
    }

    #[test]
    fn scores_have_two_decimals_and_no_sign_when_zero() {
        let mut state = sample();
        std::sync::Arc::make_mut(&mut state.teams[0].okr).objectives[0].key_results[0].score =
            s(Number(-0.001));
        let human = crate::render::text::unpainted(&human(&state));
        assert!(human.contains(" · score 0.00\n"), "{human}");
        let md = markdown(&state);
        assert!(md.contains("| 0.6 | 0.00 |"), "{md}");
        assert!(!human.contains("-0.0") && !md.contains("-0.0"));
    }

    #[test]
    fn user_text_in_state_is_made_safe() {
        let mut state = sample();
        std::sync::Arc::make_mut(&mut state.teams[0].okr).objectives[0].title =
            s(Text::from("<script>|@team **x**\x1b[31m"));
        let md = markdown(&state);
        assert!(!md.contains("<script>"));
        assert!(!md.contains("@team"));
        let human = crate::render::text::unpainted(&human(&state));
        assert!(!human.contains('\x1b'));
        assert!(human.contains("\\u{1b}[31m"));
    }
}
