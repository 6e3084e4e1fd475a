//! `okr checkin --team TEAM` on a terminal: the team's active key results one by one, each shown with where
//! it stands, asking for its new value and confidence. The asking is behind [`Ask`], so the walk is tested
//! with scripted answers; the binary asks through a terminal prompt.

use anyhow::Result;
use jiff::civil::Date;

use super::{Files, Request, Target};
use crate::core::edit::{Progress, parse_number};
use crate::core::history::History;
use crate::core::model::{Measure, Number, Status};
use crate::core::stale::Clocks;

/// A key result as the walk shows it before asking.
#[derive(Debug, Clone, PartialEq)]
pub struct Briefing {
    pub target: Target,
    pub title: String,
    pub measure: Measure,
    pub unit: Option<String>,
    pub confidence: Option<Number>,
    /// How the value moved at its last check-in; `None` before a second value is known.
    pub trend: Option<Trend>,
    /// The day of its last progress change in git; `None` when it never had one (or there is no history).
    pub last_check_in: Option<Date>,
}

/// A metric's last move: from one value to the next, and whether that was toward its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub from: Number,
    pub to: Number,
    pub toward_target: Option<bool>,
}

/// The answers for one key result: `None` keeps the field as it is.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Answer {
    pub progress: Option<Progress>,
    pub confidence: Option<Number>,
}

/// Asks a person for one key result's new value and confidence.
pub trait Ask {
    fn ask(&mut self, briefing: &Briefing) -> Result<Answer>;
}

impl Briefing {
    /// What is shown before asking, one line each: the key result and its title, then where it stands.
    pub fn lines(&self) -> Vec<String> {
        let unit = self
            .unit
            .as_deref()
            .map_or(String::new(), |u| format!(" {u}"));
        let standing = match self.measure {
            Measure::Metric { .. } | Measure::Unbaselined { .. } | Measure::Threshold { .. } => {
                let target = self
                    .measure
                    .target()
                    .map_or(String::new(), |t| t.to_string());
                let current = self
                    .measure
                    .current()
                    .map_or("not measured yet".to_owned(), |c| format!("{c}{unit}"));
                let bound = match self.measure {
                    Measure::Threshold { at_least: true, .. } => "hold at least ",
                    Measure::Threshold {
                        at_least: false, ..
                    } => "hold at most ",
                    _ => "target ",
                };
                let trend = match self.trend {
                    Some(Trend {
                        from,
                        to,
                        toward_target,
                    }) => format!(
                        ", last move {from} → {to}{}",
                        match toward_target {
                            Some(true) => " (toward the target)",
                            Some(false) => " (away from the target)",
                            None => "",
                        }
                    ),
                    None => String::new(),
                };
                format!("now {current}, {bound}{target}{unit}{trend}")
            }
            Measure::Share { progress } => format!("now {progress} done (a share, 0 to 1)"),
            Measure::Milestone { done } => {
                format!("now {}", if done { "done" } else { "not done" })
            }
        };
        let confidence = self.confidence.map_or("no confidence yet".to_owned(), |c| {
            format!("confidence {c}")
        });
        let last = self
            .last_check_in
            .map_or("no check-in in git yet".to_owned(), |d| {
                format!("last check-in {d}")
            });
        vec![
            format!("{} — {}", self.target, self.title),
            format!("  {standing}; {confidence}; {last}"),
        ]
    }

    /// What the person typed for the value: empty keeps it, else a number for a metric, `done` or `not-done`
    /// for a milestone. The error says what to type.
    pub fn value(&self, typed: &str) -> Result<Option<Progress>, String> {
        if typed.trim().is_empty() {
            return Ok(None);
        }
        let progress = Progress::parse(typed)?;
        match (self.measure, progress) {
            (Measure::Share { .. }, Progress::Value(share)) if !(0.0..=1.0).contains(&share.0) => {
                Err(
                    "this key result is measured as a share done: type a number from 0 to 1"
                        .to_owned(),
                )
            }
            (
                Measure::Metric { .. }
                | Measure::Unbaselined { .. }
                | Measure::Threshold { .. }
                | Measure::Share { .. },
                Progress::Value(_),
            )
            | (Measure::Milestone { .. }, Progress::Done(_)) => Ok(Some(progress)),
            (
                Measure::Metric { .. }
                | Measure::Unbaselined { .. }
                | Measure::Threshold { .. }
                | Measure::Share { .. },
                Progress::Done(_),
            ) => Err("this key result is a metric: type a number".to_owned()),
            (Measure::Milestone { .. }, Progress::Value(_)) => {
                Err("this key result is a milestone: type `done` or `not-done`".to_owned())
            }
        }
    }

    /// What the person typed for the confidence: empty keeps it, else a number from 0 to 1.
    pub fn confidence(typed: &str) -> Result<Option<Number>, String> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        match parse_number(typed) {
            Ok(c) if (0.0..=1.0).contains(&c.0) => Ok(Some(c)),
            _ => Err("a confidence is a number from 0 to 1, e.g. 0.7".to_owned()),
        }
    }
}

/// The team's active key results (those of objectives neither done nor dropped) that have a measure, in file
/// order, with what `history` (if it could be read) knows of their check-ins.
pub fn briefings(files: &Files, team: &str, history: Option<&History>) -> Result<Vec<Briefing>> {
    let Some(index) = files.file_of(team) else {
        return Err(super::target::unknown_team(files, team));
    };
    let okr = files.loaded[index]
        .okr
        .as_ref()
        .expect("file_of reads models");
    let mut out = Vec::new();
    let clocks = history.map(|h| Clocks::of(&h.events));
    for objective in okr
        .objectives
        .iter()
        .filter(|o| o.status() == Status::Active)
    {
        let Some(objective_id) = objective.id.as_ref().map(|i| i.value.to_string()) else {
            continue;
        };
        for kr in &objective.key_results {
            let (Some(id), Some(measure)) = (kr.id.as_ref(), kr.measure()) else {
                continue;
            };
            let target = Target {
                team: team.to_owned(),
                objective: objective_id.clone(),
                key_result: id.value.to_string(),
            };
            let trend = history.and_then(|h| trend(h, &target));
            let last_check_in = clocks.as_ref().and_then(|c| {
                c.get(&target.team, &target.objective, &target.key_result)
                    .last_checkin
            });
            out.push(Briefing {
                title: kr
                    .title
                    .as_ref()
                    .map_or(String::new(), |t| t.value.to_string()),
                measure,
                unit: kr.unit.as_ref().map(|u| u.value.to_string()),
                confidence: kr.confidence.as_ref().map(|c| c.value),
                trend,
                last_check_in,
                target,
            });
        }
    }
    Ok(out)
}

/// A metric key result's last move, from the history.
fn trend(history: &History, target: &Target) -> Option<Trend> {
    history
        .trajectories
        .iter()
        .find(|t| {
            *t.team == *target.team
                && *t.objective == *target.objective
                && *t.key_result == *target.key_result
        })
        .and_then(|t| {
            let moves: Vec<_> = t
                .points
                .windows(2)
                .filter(|w| w[0].current != w[1].current)
                .collect();
            let last = moves.last()?;
            let (from, to, goal) = (last[0].current, last[1].current, last[1].target);
            let distance = |n: Number| (goal.0 - n.0).abs();
            Some(Trend {
                from,
                to,
                toward_target: (distance(from) != distance(to))
                    .then(|| distance(to) < distance(from)),
            })
        })
}

/// Asks about each key result in turn; a key result whose answers keep everything is left out.
pub fn walk(briefings: &[Briefing], ask: &mut dyn Ask) -> Result<Vec<Request>> {
    let mut requests = Vec::new();
    for briefing in briefings {
        let answer = ask.ask(briefing)?;
        if answer == Answer::default() {
            continue;
        }
        requests.push(Request {
            target: briefing.target.clone(),
            progress: answer.progress,
            confidence: answer.confidence,
            note: None,
        });
    }
    Ok(requests)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers typed in advance, as a person would type them, read through the same parsing the prompt uses.
    struct Script(Vec<(&'static str, &'static str)>);

    impl Ask for Script {
        fn ask(&mut self, briefing: &Briefing) -> Result<Answer> {
            let (value, confidence) = self.0.remove(0);
            Ok(Answer {
                progress: briefing.value(value).map_err(anyhow::Error::msg)?,
                confidence: Briefing::confidence(confidence).map_err(anyhow::Error::msg)?,
            })
        }
    }

    fn briefing(kr: &str, measure: Measure) -> Briefing {
        Briefing {
            target: Target::parse(&format!("platform/deploys/{kr}")).unwrap(),
            title: "Failed deploys per week".to_owned(),
            measure,
            unit: Some("deploys".to_owned()),
            confidence: Some(Number(0.5)),
            trend: Some(Trend {
                from: Number(7.0),
                to: Number(5.0),
                toward_target: Some(true),
            }),
            last_check_in: Some(jiff::civil::date(2026, 8, 3)),
        }
    }

    fn metric() -> Measure {
        Measure::Metric {
            start: Number(12.0),
            target: Number(2.0),
            current: Number(5.0),
        }
    }

    #[test]
    fn the_walk_asks_each_key_result_and_keeps_what_enter_keeps() {
        let briefings = [
            briefing("a", metric()),
            briefing("b", metric()),
            briefing("c", Measure::Milestone { done: false }),
        ];
        let mut script = Script(vec![("4", ""), ("", ""), ("done", "0.9")]);
        let requests = walk(&briefings, &mut script).unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].progress, Some(Progress::Value(Number(4.0))));
        assert_eq!(requests[0].confidence, None);
        assert_eq!(requests[1].target.key_result, "c");
        assert_eq!(requests[1].progress, Some(Progress::Done(true)));
        assert_eq!(requests[1].confidence, Some(Number(0.9)));
    }

    #[test]
    fn answers_of_the_wrong_kind_are_refused_with_what_to_type() {
        let metric = briefing("a", metric());
        assert!(metric.value("done").unwrap_err().contains("type a number"));
        let milestone = briefing("b", Measure::Milestone { done: false });
        assert!(milestone.value("3").unwrap_err().contains("`done`"));
        assert!(Briefing::confidence("1.5").is_err());
        assert_eq!(Briefing::confidence(" "), Ok(None));
    }

    #[test]
    fn a_briefing_shows_where_the_key_result_stands() {
        assert_eq!(
            briefing("a", metric()).lines(),
            [
                "platform/deploys/a — Failed deploys per week",
                "  now 5 deploys, target 2 deploys, last move 7 → 5 (toward the target); confidence 0.5; last \
                 check-in 2026-08-03"
            ]
        );
    }
}
