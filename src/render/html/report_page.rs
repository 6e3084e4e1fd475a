//! The report page (`templates/report.html`): what the template lays out, prepared from the report's view.
//! Every fact comes from [`ReportPage`]; what is decided here is only how it is shown — anchors for links,
//! which charts go on which card, the words of a score bar.

use std::collections::HashMap;

use askama::Template;
use jiff::civil::Date;

use super::axis::{Window, days_between};
use super::fragments::{
    banded_pill, cell, change, kind_words, pill, place, plural, prose, reason, score, status_name,
    type_name, warnings,
};
use super::progress::{self, Chart};
use super::score_bar::{self, Bar};
use super::{Markup, band_class, objective_key, render, timeline, to_string};
use crate::core::history::Trajectory;
use crate::core::model::ObjectiveType;
use crate::core::model::Status;
use crate::core::report::{AlignmentNode, ObjectiveReport, Report, TeamReport};
use crate::render::report::{last_checkin_text, tags};
use crate::render::text::{day, short_commit, value_text};
use crate::view::Reasoning;
use crate::view::report::ReportPage;

pub fn page(page: &ReportPage) -> String {
    let r = &page.report;
    let window = Window {
        start: r.start,
        end: r.end,
        kickoff: r.kickoff,
        today: r.today,
    };
    let quarter = r.quarter.to_string();
    let anchors: HashMap<(&str, &str), usize> = r
        .teams
        .iter()
        .flat_map(|t| &t.objectives)
        .enumerate()
        .map(|(i, o)| ((o.team.as_str(), o.id.as_str()), i))
        .collect();
    let trajectories: HashMap<(&str, &str, &str), &Trajectory> = r
        .trajectories
        .iter()
        .map(|t| ((&*t.team, &*t.objective, &*t.key_result), t))
        .collect();
    let progress = if r.today > r.end {
        "the quarter has ended".to_owned()
    } else if r.today < r.start {
        "the quarter has not started".to_owned()
    } else {
        format!(
            "day {} of {}",
            days_between(r.start, r.today) + 1,
            days_between(r.start, r.end) + 1
        )
    };
    let s = page.summary;
    let tiles = [
        (s.judged, "objectives in play", false),
        (s.meet, "meet their expectation", false),
        (s.falls_short, "fall short of it", true),
        (s.dropped, "dropped", false),
        (s.pivots, "mid-quarter pivots", true),
        (s.unexplained, "pivots without a reason", true),
        (s.moved, "targets moved after kickoff", true),
    ]
    .into_iter()
    .map(|(n, label, warn)| (n, label, warn && n > 0))
    .collect();
    let teams = r
        .teams
        .iter()
        .map(|team| {
            let cards = team
                .objectives
                .iter()
                .map(|o| card(o, &anchors, &trajectories, &window))
                .collect();
            (team, cards)
        })
        .collect();
    let html = ReportHtml {
        page,
        r,
        planning_until: r.kickoff.yesterday().unwrap_or(r.kickoff),
        timeline: timeline::section(&r.timeline, &window, &quarter),
        quarter,
        progress,
        tiles,
        teams,
        anchors,
    };
    to_string(&html)
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportHtml<'a> {
    page: &'a ReportPage,
    r: &'a Report,
    quarter: String,
    planning_until: Date,
    /// How far into the quarter the page is made: `day 51 of 92`.
    progress: String,
    /// The summary's tiles: a count, what it counts, and whether it is a warning.
    tiles: Vec<(usize, &'static str, bool)>,
    timeline: Markup,
    /// Each team with its objectives' cards.
    teams: Vec<(&'a TeamReport, Vec<Card<'a>>)>,
    /// Each objective's card number, by team and id, for links to it.
    anchors: HashMap<(&'a str, &'a str), usize>,
}

/// One objective's card.
struct Card<'a> {
    o: &'a ObjectiveReport,
    anchor: usize,
    dropped: bool,
    /// The objective it aligns to, with its card when the report has it.
    parent: Option<(&'a str, Option<usize>)>,
    bar: Markup,
    /// Both scores when a target moved or the plan changed after kickoff: what changed, and the word for
    /// what the scores were measured against.
    kickoff_note: Option<(&'static str, &'static str, f64, f64)>,
    /// The progress charts of its metric key results that have check-ins.
    charts: Vec<Markup>,
    /// `carried from 2026-Q3 (ended 0.40 amber)`, for an objective carried over.
    carried: Option<String>,
}

fn card<'a>(
    o: &'a ObjectiveReport,
    anchors: &HashMap<(&str, &str), usize>,
    trajectories: &HashMap<(&str, &str, &str), &'a Trajectory>,
    window: &Window,
) -> Card<'a> {
    let dropped = o.status == Status::Dropped;
    let label = match o.score {
        Some(s) if dropped => format!("score {}; dropped, so not judged", score(s)),
        Some(s) => format!(
            "score {} ({}); expected {} for {} objective{}",
            score(s),
            band_class(o.band),
            score(o.expected),
            match o.kind {
                ObjectiveType::Committed => "a committed",
                ObjectiveType::Aspirational => "an aspirational",
            },
            o.score_against_kickoff
                .map(|k| format!("; {} against the kickoff targets", score(k)))
                .unwrap_or_default()
        ),
        None => "no score".to_owned(),
    };
    let bar = score_bar::svg(&Bar {
        score: o.score,
        // A dropped objective is not judged: its bar is grey, not painted in the colour of a band.
        band: if dropped { None } else { o.band },
        expected: (!dropped).then_some(o.expected),
        kickoff: o.score_against_kickoff,
        label: &label,
    });
    let kickoff_note = o.score_against_kickoff.zip(o.score).map(|(k, s)| {
        if o.removed_key_results.iter().any(|r| r.counted) {
            ("The plan changed after kickoff", "plan", s, k)
        } else {
            ("Target moved after kickoff", "targets", s, k)
        }
    });
    let charts = o
        .key_results
        .iter()
        .filter(|kr| kr.measure == "metric")
        .filter_map(|kr| {
            trajectories
                .get(&(o.team.as_str(), o.id.as_str(), kr.id.as_str()))
                .filter(|t| !t.points.is_empty())
                .map(|trajectory| progress::figure(&Chart { kr, trajectory }, window))
        })
        .collect();
    Card {
        o,
        anchor: anchors
            .get(&(o.team.as_str(), o.id.as_str()))
            .copied()
            .unwrap_or(0),
        dropped,
        parent: o.aligns_to.as_deref().map(|parent| {
            let card = parent
                .split_once('/')
                .and_then(|(team, id)| anchors.get(&(team, id)).copied());
            (parent, card)
        }),
        bar,
        kickoff_note,
        charts,
        carried: o
            .carried_from
            .as_ref()
            .map(crate::render::text::carried_text),
    }
}

#[derive(Template)]
#[template(
    source = r##"{% if let Some(i) = anchor %}<a href="#obj-{{ i }}"><code>{{ key }}</code></a>{% else %}<code>{{ key }}</code>{% endif %}"##,
    ext = "html"
)]
struct ObjectiveLink {
    key: String,
    anchor: Option<usize>,
}

#[derive(Template)]
#[template(
    source = r##"{% if let Some(i) = anchor %}<a class="{{ class }}" href="#obj-{{ i }}">{{ title }}</a>{% else %}<span class="{{ class }}">{{ title }}</span>{% endif %} <span class="key">{{ key }}</span>"##,
    ext = "html"
)]
struct TitledLink<'a> {
    title: &'a str,
    key: String,
    class: &'static str,
    anchor: Option<usize>,
}

#[derive(Template)]
#[template(path = "alignment_node.html")]
struct Node<'a> {
    link: Markup,
    /// The node's score; none for a dropped objective, which is not judged.
    pill: Option<Markup>,
    status: Option<&'static str>,
    /// The parent's key result it aligns to, when it names one.
    via: Option<&'a str>,
    children: &'a [Markup],
}

impl Card<'_> {
    /// Why the objective was dropped, as written when it was.
    fn drop_reason(&self) -> Option<&str> {
        self.o.dropped.as_ref().and_then(|d| d.reason.as_deref())
    }
}

impl ReportHtml<'_> {
    fn anchor(&self, team: &str, objective: &str) -> Option<usize> {
        self.anchors.get(&(team, objective)).copied()
    }

    /// An objective's `team/id`, linking to its card.
    fn objective_link(&self, team: &str, objective: &str) -> Markup {
        render(&ObjectiveLink {
            key: objective_key(team, objective),
            anchor: self.anchor(team, objective),
        })
    }

    /// An objective's title linking to its card, with its `team/id` beside it.
    fn titled_link(&self, title: &str, team: &str, objective: &str, dropped: bool) -> Markup {
        render(&TitledLink {
            title,
            key: objective_key(team, objective),
            class: if dropped {
                "node-title dropped"
            } else {
                "node-title"
            },
            anchor: self.anchor(team, objective),
        })
    }

    fn team_bar(&self, team: &TeamReport) -> Markup {
        let label = match team.score {
            Some(s) => format!(
                "{} scores {} ({})",
                team.team,
                score(s),
                band_class(team.band)
            ),
            None => format!("{} has no score", team.team),
        };
        score_bar::svg(&Bar {
            score: team.score,
            band: team.band,
            expected: None,
            kickoff: None,
            label: &label,
        })
    }

    fn alignment_node(&self, node: &AlignmentNode) -> Markup {
        let dropped = node.status == Status::Dropped;
        let children: Vec<Markup> = node
            .children
            .iter()
            .map(|child| self.alignment_node(child))
            .collect();
        render(&Node {
            link: self.titled_link(&node.title, &node.team, &node.objective, dropped),
            pill: (!dropped).then(|| banded_pill(&node.score)),
            status: (node.status != Status::Active).then(|| status_name(&node.status)),
            via: node.via_key_result.as_deref(),
            children: &children,
        })
    }
}
