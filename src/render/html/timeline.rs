//! The quarter's timeline: one lane per objective, a mark for each change to it, with its legend and the
//! same marks as a table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use askama::Template;
use askama::filters::Safe;
use jiff::civil::Date;

use super::axis::{Axis, Window, c, month_name};
use super::{Markup, objective_key};
use crate::core::report::{Lane, Mark, MarkKind};
use crate::render::escape::html as escape;

/// The timeline's section: the picture, its legend and its data, or a line saying there is nothing to draw.
pub fn section(lanes: &[Lane], window: &Window, quarter: &str) -> Markup {
    let legend = [
        (MarkKind::Added, "objective added"),
        (
            MarkKind::Adjusted,
            "adjusted (target, key result added, type, alignment…)",
        ),
        (MarkKind::KeyResultRemoved, "key result removed"),
        (MarkKind::Dropped, "dropped"),
        (MarkKind::Removed, "removed without being marked dropped"),
    ]
    .into_iter()
    .map(|(kind, words)| (legend_shape(kind, true), words))
    .chain([(
        legend_shape(MarkKind::Added, false),
        "hollow: during planning, filled: after kickoff",
    )])
    .collect();
    super::render(&Section {
        lanes,
        marks: lanes.iter().map(|l| l.marks.len()).sum(),
        svg: if lanes.is_empty() {
            Safe(String::new())
        } else {
            svg(lanes, window, quarter)
        },
        legend,
    })
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct Section<'a> {
    lanes: &'a [Lane],
    marks: usize,
    svg: Markup,
    legend: Vec<(Markup, &'static str)>,
}

/// One mark's shape: a circle for added, a diamond for adjusted, a triangle for a key result removed, a cross
/// for dropped, a square for removed. Marks made during planning are hollow, mid-quarter ones filled.
fn mark_shape(kind: MarkKind, x: f64, y: f64, mid_quarter: bool) -> String {
    let hollow = if mid_quarter || kind == MarkKind::Dropped {
        ""
    } else {
        " hollow"
    };
    let class = format!("mk {}{hollow}", kind.as_str());
    match kind {
        MarkKind::Added => format!(
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
            c(x),
            c(y)
        ),
        MarkKind::Adjusted => format!(
            "<path class=\"{class}\" d=\"M{} {}L{} {}L{} {}L{} {}Z\"/>",
            c(x),
            c(y - 6.0),
            c(x + 6.0),
            c(y),
            c(x),
            c(y + 6.0),
            c(x - 6.0),
            c(y)
        ),
        MarkKind::KeyResultRemoved => format!(
            "<path class=\"{class}\" d=\"M{} {}L{} {}L{} {}Z\"/>",
            c(x - 6.0),
            c(y - 5.0),
            c(x + 6.0),
            c(y - 5.0),
            c(x),
            c(y + 6.0)
        ),
        MarkKind::Dropped => format!(
            "<path class=\"{class}\" d=\"M{} {}L{} {}M{} {}L{} {}\"/>",
            c(x - 5.0),
            c(y - 5.0),
            c(x + 5.0),
            c(y + 5.0),
            c(x + 5.0),
            c(y - 5.0),
            c(x - 5.0),
            c(y + 5.0)
        ),
        MarkKind::Removed => format!(
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"9\" height=\"9\"/>",
            c(x - 4.5),
            c(y - 4.5)
        ),
    }
}

fn legend_shape(kind: MarkKind, mid_quarter: bool) -> Markup {
    Safe(format!(
        "<svg viewBox=\"0 0 14 14\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        mark_shape(kind, 7.0, 7.0, mid_quarter)
    ))
}

fn svg(lanes: &[Lane], window: &Window, quarter: &str) -> Markup {
    const WIDTH: f64 = 1000.0;
    const LABEL_RIGHT: f64 = 232.0;
    const TOP: f64 = 40.0;
    const LANE: f64 = 26.0;
    let axis = Axis::new(
        window.start,
        window.end,
        LABEL_RIGHT + 16.0,
        WIDTH - LABEL_RIGHT - 30.0,
    );
    let height = TOP + LANE * lanes.len() as f64 + 6.0;
    let bottom = height - 4.0;
    let marks: usize = lanes.iter().map(|l| l.marks.len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"timeline\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        c(WIDTH),
        c(height),
        escape(&format!(
            "Timeline of {quarter} from {} to {}: {} objectives, {} marks; the table below lists them",
            window.start,
            window.end,
            lanes.len(),
            marks
        ))
    );
    out.push_str("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f6f8fa\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#e4e8ec\" stroke-width=\"2\"/></pattern></defs>\n");
    // Zebra lanes first, so everything else draws over them.
    for (i, _) in lanes.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let _ = writeln!(
            out,
            "<rect class=\"lane-bg\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            c(TOP + LANE * i as f64),
            c(WIDTH),
            c(LANE)
        );
    }
    // Before the quarter, and the planning window.
    let start_x = axis.edge(window.start);
    let _ = writeln!(
        out,
        "<rect class=\"tl-gutter\" x=\"{}\" y=\"20\" width=\"{}\" height=\"{}\"/><text class=\"tl-region\" x=\"{}\" y=\"33\" text-anchor=\"middle\">before start</text>",
        c(axis.x0),
        c(start_x - axis.x0),
        c(bottom - 20.0),
        c((axis.x0 + start_x) / 2.0)
    );
    let kickoff_x = axis.edge(window.kickoff);
    if window.kickoff > window.start {
        let _ = writeln!(
            out,
            "<rect class=\"tl-planning\" x=\"{}\" y=\"20\" width=\"{}\" height=\"{}\"><title>{}</title></rect><text class=\"tl-region\" x=\"{}\" y=\"33\" text-anchor=\"middle\">planning</text>",
            c(start_x),
            c(kickoff_x - start_x),
            c(bottom - 20.0),
            escape(&format!(
                "planning window: {} to {}; kickoff {}",
                window.start,
                window.kickoff.yesterday().unwrap_or(window.kickoff),
                window.kickoff
            )),
            c((start_x + kickoff_x) / 2.0)
        );
    }
    for (first, next) in axis.months() {
        let x = axis.edge(first);
        if first >= window.start {
            let _ = writeln!(
                out,
                "<line class=\"tl-month\" x1=\"{}\" y1=\"4\" x2=\"{}\" y2=\"{}\"/>",
                c(x),
                c(x),
                c(bottom)
            );
        }
        let middle = (x + axis.edge(next)) / 2.0;
        if first >= window.start && axis.edge(next) - x > 30.0 {
            let _ = writeln!(
                out,
                "<text class=\"tl-month-label\" x=\"{}\" y=\"14\" text-anchor=\"middle\">{} {}</text>",
                c(middle),
                month_name(first),
                first.year()
            );
        }
    }
    let end_x = axis.edge(window.end.tomorrow().unwrap_or(window.end));
    let _ = writeln!(
        out,
        "<line class=\"tl-month\" x1=\"{}\" y1=\"4\" x2=\"{}\" y2=\"{}\"/>",
        c(end_x),
        c(end_x),
        c(bottom)
    );
    // The lanes.
    let today_x = axis.x(window.today.min(window.end));
    let mut previous_team: Option<&str> = None;
    for (i, lane) in lanes.iter().enumerate() {
        let top = TOP + LANE * i as f64;
        let y = top + LANE / 2.0;
        let key = objective_key(&lane.team, &lane.objective);
        if previous_team.is_some_and(|t| t != lane.team) {
            let _ = writeln!(
                out,
                "<line class=\"team-sep\" x1=\"0\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                c(top),
                c(WIDTH),
                c(top)
            );
        }
        previous_team = Some(&lane.team);
        let ended = lane.marks.iter().find(|m| m.kind.ends());
        let _ = writeln!(
            out,
            "<g class=\"lane\" data-objective=\"{}\">\n<title>{}</title>",
            escape(&key),
            escape(&format!("{key}: {}", lane.title))
        );
        let _ = writeln!(
            out,
            "<text class=\"lane-label{}\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            if ended.is_some() { " ended" } else { "" },
            c(LABEL_RIGHT),
            c(y + 4.0),
            escape(&shorten(&key, 34))
        );
        if let Some(first) = lane.marks.iter().map(|m| m.date).min() {
            let last = ended.map_or(today_x, |m| axis.x(m.date));
            let _ = writeln!(
                out,
                "<line class=\"life\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                c(axis.x(first)),
                c(y),
                c(last.max(axis.x(first))),
                c(y)
            );
        }
        // Marks of one kind on one day share a shape; different kinds on the same day sit side by side.
        let mut groups: BTreeMap<Date, BTreeMap<MarkKind, Vec<&Mark>>> = BTreeMap::new();
        for mark in &lane.marks {
            groups
                .entry(mark.date)
                .or_default()
                .entry(mark.kind)
                .or_default()
                .push(mark);
        }
        for (date, kinds) in &groups {
            let n = kinds.len() as f64;
            for (slot, (kind, marks)) in kinds.iter().enumerate() {
                let x = axis.x(*date) + (slot as f64 - (n - 1.0) / 2.0) * 12.0;
                let kind = *kind;
                let mid = marks.iter().any(|m| m.mid_quarter);
                let when = if *date < window.start {
                    format!("{date} (before start)")
                } else {
                    date.to_string()
                };
                let labels: Vec<String> = marks
                    .iter()
                    .map(|m| {
                        format!(
                            "{when}: {} {}{}",
                            kind.as_str(),
                            m.label,
                            if m.mid_quarter {
                                " (mid-quarter)"
                            } else {
                                " (planning)"
                            }
                        )
                    })
                    .collect();
                let _ = write!(
                    out,
                    "<g class=\"mark\" data-kind=\"{}\"><title>{}</title>{}",
                    kind.as_str(),
                    escape(&labels.join("\n")),
                    mark_shape(kind, x, y, mid)
                );
                if marks.len() > 1 {
                    let _ = write!(
                        out,
                        "<text class=\"mk-count\" x=\"{}\" y=\"{}\">×{}</text>",
                        c(x + 6.0),
                        c(y - 5.0),
                        marks.len()
                    );
                }
                out.push_str("</g>\n");
            }
        }
        out.push_str("</g>\n");
    }
    if axis.contains(window.today) {
        let x = axis.x(window.today);
        let _ = writeln!(
            out,
            "<line class=\"tl-today\" x1=\"{}\" y1=\"20\" x2=\"{}\" y2=\"{}\"/><text class=\"tl-today-label\" x=\"{}\" y=\"33\" text-anchor=\"middle\">today</text>",
            c(x),
            c(x),
            c(bottom),
            c(x)
        );
    }
    out.push_str("</svg>\n");
    Safe(out)
}

/// Text cut to `max` characters with an ellipsis (the whole text goes in a `<title>` beside it).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
