//! The pages end to end, on hostile samples: escaping, self-containment, and what each picture shows.

use jiff::civil::{Date, date};

use super::fragments::score;
use super::{STYLE, history, report};
use crate::core::change::{Change, ChangeKind, Direction, Value};
use crate::core::history::{CheckIn, Event, History, Summary, Trajectory, Warning};
use crate::core::model::{Number, ObjectiveType, Quarter, Status};
use crate::core::report::{
    AlignmentNode, AlignmentTree, Band, DroppedObjective, KeyResultReport, Lane, Mark, MarkKind,
    ObjectiveReport, Report, Retrospective, TeamReport,
};
use crate::render::escape::html as escape;
use crate::view::history::HistoryPage;
use crate::view::report::ReportPage;

mod format_1_1;

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

fn kr(id: &str, title: &str, start: f64, target: f64, current: f64) -> KeyResultReport {
    KeyResultReport {
        id: id.to_owned(),
        title: title.to_owned(),
        measure: "metric",
        start: Some(Number(start)),
        target: Some(Number(target)),
        current: Some(Number(current)),
        done: None,
        direction: None,
        progress: None,
        measured: Some(crate::core::model::Measure::Metric {
            start: Number(start),
            target: Number(target),
            current: Number(current),
        }),
        unit: Some(IMG.to_owned()),
        confidence: Some(Number(0.5)),
        score: Some(0.5),
        score_source: "computed",
        band: Some(Band::Amber),
        kickoff_target: Some(Number(20.0)),
        score_against_kickoff: Some(0.25),
        notes: Some(SCRIPT.to_owned()),
        owner: Some(IMG.to_owned()),
        owners: Vec::new(),
        priority: Some(crate::core::model::Priority::P0),
        links: vec![crate::core::report::LinkReport {
            title: Some(SCRIPT.to_owned()),
            url: "https://example.com/?a=1&b=\"x".to_owned(),
        }],
        health: Some(crate::core::model::Health::AtRisk),
        last_checkin: None,
        stale: true,
        idle_days: Some(20),
    }
}

fn objective(team: &str, id: &str, title: &str, status: Status) -> ObjectiveReport {
    ObjectiveReport {
        team: team.to_owned(),
        id: id.to_owned(),
        title: title.to_owned(),
        kind: ObjectiveType::Committed,
        status,
        owner: Some(SCRIPT.to_owned()),
        owners: Vec::new(),
        aligns_to: Some(format!("company/{IMG}")),
        priority: Some(crate::core::model::Priority::P1),
        links: Vec::new(),
        carried_from: None,
        score: Some(0.5),
        score_against_kickoff: Some(0.25),
        band: Some(Band::Amber),
        expected: 1.0,
        falls_short: status != Status::Dropped,
        dropped: None,
        notes: Some(IMG.to_owned()),
        key_results: vec![kr("k", SCRIPT, 0.0, 10.0, 5.0)],
        removed_key_results: Vec::new(),
    }
}

fn event(kind: ChangeKind, objective: &str, day: &str, mid: bool, reason: Option<&str>) -> Event {
    Event {
        change: Change {
            kind,
            path: format!("okrs/{IMG}.yaml"),
            quarter: Some("2026-Q3".to_owned()),
            team: "t".to_owned(),
            objective: Some(objective.to_owned()),
            key_result: Some(SCRIPT.to_owned()),
            from: Value::Number(Number(10.0)),
            to: Value::Text(SCRIPT.to_owned()),
            direction: Some(Direction::Easier),
            words: None,
            previous_id: None,
            yaml_reason: None,
            pos: crate::core::diagnostic::Pos::START,
            context: crate::core::change::Context::Edit,
        },
        commit: "0123456789abcdef0123456789abcdef01234567".into(),
        date: format!("{day}T10:00:00+02:00").into(),
        landed: format!("{day}T10:00:00+02:00").into(),
        author: IMG.into(),
        message: SCRIPT.into(),
        mid_quarter: mid,
        planned_late: false,
        requires_reason: mid,
        reason: reason.map(str::to_owned),
        reason_source: None,
    }
}

fn trajectory() -> Trajectory {
    let point = |d: Date, current: f64, target: f64| CheckIn {
        date: d,
        commit: "abcdef0123".into(),
        current: Number(current),
        target: Number(target),
    };
    Trajectory {
        team: "t".into(),
        objective: "o".into(),
        key_result: "k".into(),
        points: vec![
            point(date(2026, 6, 25), 0.0, 20.0),
            point(date(2026, 7, 20), 3.0, 20.0),
            point(date(2026, 8, 10), 3.0, 10.0),
            point(date(2026, 9, 1), 5.0, 10.0),
        ],
    }
}

fn sample_report() -> Report {
    let o = objective("t", "o", SCRIPT, Status::Active);
    let mut gone = objective("t", "gone", IMG, Status::Dropped);
    gone.dropped = Some(crate::core::report::DroppedInfo {
        date: Some(date(2026, 8, 1)),
        reason: Some(IMG.to_owned()),
    });
    Report {
        quarter: Quarter {
            year: 2026,
            number: 3,
        },
        start: date(2026, 7, 1),
        end: date(2026, 9, 30),
        kickoff: date(2026, 7, 15),
        today: date(2026, 8, 20),
        stale_after_days: 14,
        ended: true,
        commit: format!("{SCRIPT}0123456789"),
        date: "2026-08-20T10:00:00+02:00".to_owned(),
        teams: vec![TeamReport {
            team: SCRIPT.to_owned(),
            path: format!("okrs/{IMG}"),
            owner: Some(IMG.to_owned()),
            owners: Vec::new(),
            links: Vec::new(),
            score: Some(0.5),
            band: Some(Band::Amber),
            objectives: vec![o, gone],
        }],
        alignment: AlignmentTree {
            roots: vec![AlignmentNode {
                team: "t".to_owned(),
                objective: IMG.to_owned(),
                title: SCRIPT.to_owned(),
                status: Status::Active,
                score: Some(0.5),
                via_key_result: None,
                children: vec![AlignmentNode {
                    team: SCRIPT.to_owned(),
                    objective: "o".to_owned(),
                    title: IMG.to_owned(),
                    status: Status::Dropped,
                    score: None,
                    via_key_result: Some(SCRIPT.to_owned()),
                    children: Vec::new(),
                }],
            }],
            unaligned: Vec::new(),
            aligned_to_dropped: Vec::new(),
            unresolved: Vec::new(),
        },
        dropped: vec![DroppedObjective {
            team: "t".to_owned(),
            objective: "gone".to_owned(),
            title: IMG.to_owned(),
            date: None,
            reason: None,
        }],
        pivots: vec![
            event(ChangeKind::KrTargetChanged, "o", "2026-08-10", true, None),
            event(
                ChangeKind::ObjectiveDropped,
                "gone",
                "2026-08-01",
                true,
                Some(IMG),
            ),
        ],
        retrospective: Some(Retrospective {
            met: Vec::new(),
            missed: Vec::new(),
            dropped: Vec::new(),
            learnings: vec![crate::core::report::Learning {
                team: "t".to_owned(),
                objective: "o".to_owned(),
                key_result: Some(IMG.to_owned()),
                text: SCRIPT.to_owned(),
            }],
            pivots: 2,
            written: vec![crate::core::report::WrittenByTeam {
                team: "t".to_owned(),
                went_well: vec![SCRIPT.to_owned()],
                to_improve: vec![IMG.to_owned()],
                learnings: vec![SCRIPT.to_owned()],
            }],
        }),
        timeline: vec![
            Lane {
                team: "t".to_owned(),
                objective: "o".to_owned(),
                title: SCRIPT.to_owned(),
                marks: vec![
                    Mark {
                        date: date(2026, 6, 1),
                        kind: MarkKind::Added,
                        label: IMG.to_owned(),
                        mid_quarter: false,
                    },
                    Mark {
                        date: date(2026, 8, 10),
                        kind: MarkKind::Adjusted,
                        label: SCRIPT.to_owned(),
                        mid_quarter: true,
                    },
                ],
            },
            Lane {
                team: "t".to_owned(),
                objective: "gone".to_owned(),
                title: IMG.to_owned(),
                marks: vec![
                    Mark {
                        date: date(2026, 7, 2),
                        kind: MarkKind::Added,
                        label: "objective_added".to_owned(),
                        mid_quarter: false,
                    },
                    Mark {
                        date: date(2026, 8, 1),
                        kind: MarkKind::Dropped,
                        label: "objective_dropped".to_owned(),
                        mid_quarter: true,
                    },
                ],
            },
            Lane {
                team: "u".to_owned(),
                objective: "x".to_owned(),
                title: "X".to_owned(),
                marks: vec![Mark {
                    date: date(2026, 9, 3),
                    kind: MarkKind::Removed,
                    label: "objective_removed".to_owned(),
                    mid_quarter: true,
                }],
            },
        ],
        trajectories: vec![trajectory()],
        warnings: vec![Warning {
            commit: SCRIPT.to_owned(),
            path: IMG.to_owned(),
            message: SCRIPT.to_owned(),
        }],
    }
}

fn sample_history() -> History {
    let mut events = vec![
        event(ChangeKind::ObjectiveAdded, "o", "2026-06-28", false, None),
        event(
            ChangeKind::KrProgress,
            "o",
            "2026-07-20",
            true,
            Some(SCRIPT),
        ),
        event(ChangeKind::KrTargetChanged, "o", "2026-08-10", true, None),
        event(
            ChangeKind::ObjectiveDropped,
            "gone",
            "2026-08-12",
            true,
            Some(IMG),
        ),
    ];
    for (i, e) in events.iter_mut().enumerate() {
        e.commit = format!("{i}{}", &e.commit[1..]).into();
    }
    History {
        quarter: Quarter {
            year: 2026,
            number: 3,
        },
        start: date(2026, 7, 1),
        end: date(2026, 9, 30),
        kickoff: date(2026, 7, 15),
        events,
        warnings: Vec::new(),
        summary: Summary {
            made_easier: vec![2],
            dropped: vec![3],
            check_ins: 1,
            ..Summary::default()
        },
        kickoff_state: Vec::new(),
        late_plans: Vec::new(),
        removed_key_results: Vec::new(),
        trajectories: vec![trajectory()],
    }
}

/// The page's own markup with every escaped piece of text taken out: what a browser would parse as tags.
fn assert_inert(html: &str) {
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no injected image element");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title shows as text"
    );
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "the attribute breakout shows as text"
    );
}

#[test]
fn escape_covers_the_five_characters_and_controls() {
    assert_eq!(
        escape("<a href='x'>\"&\"</a>"),
        "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
    );
    assert_eq!(
        escape("a\u{1b}[1mb\u{202e}c\r\n"),
        "a\\u{1b}[1mb\\u{202e}c\n"
    );
    assert_eq!(escape("Grüße — 99.9 %"), "Grüße — 99.9 %");
}

#[test]
fn user_text_in_a_report_is_escaped_everywhere() {
    let html = report(&ReportPage::new(sample_report().clone()));
    assert_inert(&html);
    // In SVG titles and attributes too.
    assert!(html.contains("data-objective=\"t/o\""));
    assert!(html.contains("<title>t/o: &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
    assert!(html.contains("aria-label=\"&lt;script&gt;alert(1)&lt;/script&gt;: 4 check-ins"));
}

#[test]
fn user_text_in_a_history_is_escaped_everywhere() {
    let html = history(&HistoryPage::new(sample_history(), date(2026, 8, 20)));
    assert_inert(&html);
    assert!(
        html.contains("<span class=\"flag\">⚠ no reason given</span>"),
        "a pivot without a reason says so"
    );
}

#[test]
fn the_page_is_self_contained_and_allows_no_script() {
    for html in [
        report(&ReportPage::new(sample_report().clone())),
        history(&HistoryPage::new(sample_history(), date(2026, 8, 20))),
    ] {
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:;\">"
        ));
        // Web addresses appear only as the targets of the files' own links, which load nothing.
        let outside = html.matches("https://").count() + html.matches("http://").count();
        assert_eq!(outside, html.matches("<a href=\"http").count());
        // The only `src=` is inside the escaped injection, as text.
        assert_eq!(
            html.matches("src=").count(),
            html.matches("&lt;img src=").count(),
            "nothing is loaded"
        );
        for (at, _) in html.match_indices("href=") {
            let value = &html[at + 5..];
            let link = &value[..value.find('>').unwrap_or(value.len())];
            assert!(
                value.starts_with("\"#")
                    || (value.starts_with("\"https://")
                        && link.ends_with("rel=\"noopener noreferrer\"")),
                "only in-page links and the files' own web links: {}",
                &value[..value.len().min(40)]
            );
        }
        for (at, _) in html.match_indices("url(") {
            assert!(html[at..].starts_with("url(#"), "only in-page references");
        }
        assert_eq!(html.matches("<h1>").count(), 1);
    }
}

#[test]
fn one_lane_per_timeline_lane_and_shapes_per_kind() {
    let sample = sample_report();
    let html = report(&ReportPage::new(sample.clone()));
    assert_eq!(
        html.matches("<g class=\"lane\"").count(),
        sample.timeline.len()
    );
    for kind in ["added", "adjusted", "dropped", "removed"] {
        assert!(
            html.contains(&format!("class=\"mark\" data-kind=\"{kind}\"")),
            "{kind}"
        );
    }
    assert!(html.contains(">before start</text>"));
    assert!(html.contains(">planning</text>"));
    assert!(
        html.contains(">today</text>"),
        "today is inside the quarter"
    );
    let history_html = history(&HistoryPage::new(sample_history(), date(2026, 8, 20)));
    assert_eq!(
        history_html.matches("<g class=\"lane\"").count(),
        2,
        "one lane per objective in the events"
    );
}

#[test]
fn a_target_change_is_a_step_in_the_target_line() {
    let html = report(&ReportPage::new(sample_report().clone()));
    let at = html
        .find("<polyline class=\"target\" points=\"")
        .expect("a target line");
    let rest = &html[at + "<polyline class=\"target\" points=\"".len()..];
    let points: Vec<(f64, f64)> = rest[..rest.find('"').unwrap()]
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    let steps = points
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
        .count();
    assert_eq!(
        steps, 1,
        "one vertical step for one target change: {points:?}"
    );
    assert!(html.contains("target 20 from 2026-06-25, then 10 from 2026-08-10"));
    assert!(
        html.contains("<span class=\"moved\">10 (was 20)</span>"),
        "the data table says so too"
    );
}

#[test]
fn score_bars_carry_the_band_in_words() {
    let html = report(&ReportPage::new(sample_report().clone()));
    assert!(html.contains("<span class=\"pill amber\">0.50 · amber</span>"));
    assert!(html.contains("aria-label=\"score 0.50 (amber); expected 1.00 for a committed objective; 0.25 against the kickoff targets\""));
    assert!(html.contains("<span class=\"pill short\">falls short of 1.00</span>"));
    assert!(
        html.contains("<b>0.25</b> against the kickoff targets"),
        "both scores side by side"
    );
}

#[test]
fn the_same_input_gives_the_same_page() {
    assert_eq!(
        report(&ReportPage::new(sample_report().clone())),
        report(&ReportPage::new(sample_report().clone()))
    );
}

/// Markup, a quote, an escape sequence and a right-to-left override: each must reach the page as text.
const HOSTILE: &str = "<script>alert(1)</script>\"\u{1b}[31m\u{202e}evil";
const HOSTILE_SHOWN: &str = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;\\u{1b}[31m\\u{202e}evil";

fn assert_hostile_text_shown_as_text(html: &str) {
    assert!(!html.contains('\u{1b}'), "no raw escape character");
    assert!(!html.contains('\u{202e}'), "no raw bidi override");
    assert!(!html.contains("<script"), "no script element");
}

#[test]
fn a_hostile_title_is_escaped_by_the_report_template() {
    let mut sample = sample_report();
    sample.teams[0].objectives[0].title = HOSTILE.to_owned();
    sample.timeline[0].title = HOSTILE.to_owned();
    let html = report(&ReportPage::new(sample));
    assert_hostile_text_shown_as_text(&html);
    assert!(
        html.contains(&format!("<h4 id=\"obj-0-h\">{HOSTILE_SHOWN}</h4>")),
        "in element text"
    );
    assert!(
        html.contains(&format!(
            "<caption class=\"vh\">Key results of {HOSTILE_SHOWN}</caption>"
        )),
        "in a table caption"
    );
    assert!(
        html.contains(&format!("<div class=\"kr-sub\">{HOSTILE_SHOWN}</div></th>")),
        "in the timeline's data table"
    );
}

#[test]
fn a_hostile_commit_message_is_escaped_by_the_history_template() {
    let mut sample = sample_history();
    for event in &mut sample.events {
        event.message = HOSTILE.into();
    }
    let html = history(&HistoryPage::new(sample, date(2026, 8, 20)));
    assert_hostile_text_shown_as_text(&html);
    assert!(
        html.contains(&format!("<h4>{HOSTILE_SHOWN}</h4>")),
        "in element text"
    );
    assert!(
        html.contains(&format!(": {HOSTILE_SHOWN}\">")),
        "in an attribute"
    );
}

#[test]
fn scores_have_two_decimals_and_no_negative_zero() {
    assert_eq!(score(0.9), "0.90");
    assert_eq!(score(1.0), "1.00");
    assert_eq!(score(0.555), "0.56");
    assert_eq!(score(-0.001), "0.00");
    let mut sample = sample_report();
    sample.teams[0].objectives[0].score = Some(-0.001);
    sample.teams[0].score = Some(-0.001);
    let html = report(&ReportPage::new(sample));
    assert!(!html.contains("-0.0"), "no negative zero");
    assert!(html.contains("(expected 1.00)"));
}

#[test]
fn a_dropped_objective_shows_no_score_pill() {
    let mut sample = sample_report();
    let gone = &mut sample.teams[0].objectives[1];
    assert_eq!(gone.status, Status::Dropped);
    gone.score = Some(0.05);
    gone.band = Some(Band::Red);
    sample.alignment.roots[0].children[0].score = Some(0.05);
    let html = report(&ReportPage::new(sample));
    assert!(
        !html.contains("pill red"),
        "no red pill for what is not judged"
    );
    let card = &html[html.find("<article class=\"objective dropped\"").unwrap()..];
    let card = &card[..card.find("</article>").unwrap()];
    assert!(card.contains(
        "</h4> <span class=\"pill status\">dropped</span> <span class=\"pill status\">P1</span></div>"
    ));
    assert!(
        card.contains("<rect class=\"fill-none\""),
        "its bar is grey"
    );
    assert!(card.contains("aria-label=\"score 0.05; dropped, so not judged\""));
    assert!(
        html.contains(
            "</span> <span class=\"pill status\">dropped</span> <span class=\"muted small\">to its parent's KR <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></span></li>"
        ),
        "the alignment tree says dropped, without a score, and the key result it aligns to, escaped"
    );
}

/// The points of the current value's line.
fn current_line(html: &str) -> Vec<(f64, f64)> {
    let start = "<polyline class=\"current\" points=\"";
    let rest = &html[html.find(start).expect("a current line") + start.len()..];
    rest[..rest.find('"').unwrap()]
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

#[test]
fn check_ins_are_points_on_a_step_line() {
    let html = report(&ReportPage::new(sample_report()));
    let points = current_line(&html);
    for w in points.windows(2) {
        assert!(
            w[0].0 == w[1].0 || w[0].1 == w[1].1,
            "no slope between check-ins: {points:?}"
        );
    }
    // Four check-ins, the value changing at two of them; today is before the last one.
    assert_eq!(points.len(), 4 + 2, "{points:?}");
    assert_eq!(html.matches("<circle class=\"dot\"").count(), 4);

    let mut later = sample_report();
    later.today = date(2026, 9, 20);
    let held = current_line(&report(&ReportPage::new(later)));
    assert_eq!(held.len(), 4 + 2 + 1, "the last value holds until today");
    let (last, before) = (held[held.len() - 1], held[held.len() - 2]);
    assert!(last.0 > before.0 && last.1 == before.1, "{held:?}");
}

#[test]
fn cards_in_a_grid_line_up() {
    assert!(
        STYLE
            .0
            .contains(".columns > .card + .card { margin-top: 0; }")
    );
}
