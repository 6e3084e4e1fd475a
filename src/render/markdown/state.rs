//! `okr show --format markdown`: the page's model, laid out by `state.md`.

use askama::Template;
use askama::filters::Safe;

use super::{Md, to_string};
use crate::core::state::QuarterState;
use crate::render::state::{dropped_reason, id, measure, number, objective_facts, title};
use crate::render::text::{Format, day, revision_name, score_text, short_commit, trim_lines};

#[derive(Template)]
#[template(path = "state.md")]
struct Page<'a> {
    s: &'a QuarterState,
    quarter: String,
    short: &'a str,
    day: &'a str,
    teams: Vec<Team<'a>>,
}

struct Team<'a> {
    name: &'a str,
    owner: Option<&'a str>,
    path: &'a str,
    objectives: Vec<Objective<'a>>,
}

struct Objective<'a> {
    id: &'a str,
    title: &'a str,
    facts: Md,
    why_dropped: Option<&'a str>,
    header: Md,
    rule: Md,
    rows: Vec<Vec<Cell<'a>>>,
}

/// A table cell: the user's text, escaped by the template, or a phrase already written for Markdown.
enum Cell<'a> {
    Text(&'a str),
    Md(Md),
}

pub fn render(state: &QuarterState) -> String {
    let f = Format::Markdown;
    let teams = state
        .teams
        .iter()
        .map(|team| {
            let okr = &team.okr;
            Team {
                name: okr.team.as_ref().map_or("(no team)", |t| t.value.as_ref()),
                owner: okr.owner.as_ref().map(|o| o.value.as_ref()),
                path: &team.path,
                objectives: okr
                    .objectives
                    .iter()
                    .map(|objective| {
                        let krs = &objective.key_results;
                        let scores = krs.iter().any(|kr| kr.score.is_some());
                        let owners = krs.iter().any(|kr| kr.owner.is_some());
                        let mut header = vec!["KR", "Title", "Progress", "Confidence"];
                        if scores {
                            header.push("Score");
                        }
                        if owners {
                            header.push("Owner");
                        }
                        let rows = krs
                            .iter()
                            .map(|kr| {
                                let mut cells = vec![
                                    Cell::Text(id(&kr.id)),
                                    Cell::Text(title(&kr.title)),
                                    Cell::Md(Safe(measure(kr, f))),
                                    Cell::Md(Safe(number(&kr.confidence))),
                                ];
                                if scores {
                                    cells.push(Cell::Md(Safe(
                                        kr.score
                                            .as_ref()
                                            .map_or_else(String::new, |s| score_text(s.value.0)),
                                    )));
                                }
                                if owners {
                                    cells.push(Cell::Text(
                                        kr.owner.as_ref().map_or("", |o| o.value.as_ref()),
                                    ));
                                }
                                cells
                            })
                            .collect();
                        Objective {
                            id: id(&objective.id),
                            title: title(&objective.title),
                            facts: Safe(objective_facts(objective, f).join(" · ")),
                            why_dropped: dropped_reason(objective).map(str::trim_end),
                            rule: Safe("---|".repeat(header.len())),
                            header: Safe(header.join(" | ")),
                            rows,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let out = to_string(&Page {
        s: state,
        quarter: state.quarter.to_string(),
        short: short_commit(&state.commit),
        day: day(&state.date),
        teams,
    });
    trim_lines(&out)
}
