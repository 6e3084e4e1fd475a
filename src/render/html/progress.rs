//! A metric key result's progress chart: its check-ins against its target over the quarter, with the
//! check-ins as a table beside it.

use std::fmt::Write as _;

use askama::Template;
use askama::filters::Safe;
use jiff::civil::Date;

use super::Markup;
use super::axis::{Axis, Window, c, month_name};
use crate::core::history::{CheckIn, Trajectory};
use crate::core::model::Number;
use crate::core::report::KeyResultReport;
use crate::render::escape::html as escape;
use crate::render::text::short_commit;

/// The chart in its figure: a caption with where the key result stands, the picture, and its data.
pub fn figure(chart: &Chart<'_>, window: &Window) -> Markup {
    let Chart { kr, trajectory } = *chart;
    let points = &trajectory.points;
    super::render(&Figure {
        kr,
        unit: crate::render::text::unit_text(kr.unit.as_deref()),
        now: kr.current.zip(kr.target),
        svg: svg(chart, window),
        points,
        was: points
            .iter()
            .enumerate()
            .map(|(i, p)| (i > 0 && points[i - 1].target != p.target).then(|| points[i - 1].target))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "chart.html")]
struct Figure<'a> {
    kr: &'a KeyResultReport,
    /// ` unit`, or nothing.
    unit: String,
    /// The current value and the target.
    now: Option<(Number, Number)>,
    svg: Markup,
    points: &'a [CheckIn],
    /// For each check-in that moved the target, the target before it.
    was: Vec<Option<Number>>,
}

pub struct Chart<'a> {
    pub kr: &'a KeyResultReport,
    pub trajectory: &'a Trajectory,
}

fn svg(chart: &Chart<'_>, window: &Window) -> Markup {
    const X0: f64 = 48.0;
    const X1: f64 = 292.0;
    const Y0: f64 = 12.0;
    const Y1: f64 = 104.0;
    let Chart { kr, trajectory } = chart;
    let points = &trajectory.points;
    let axis = Axis::new(window.start, window.end, X0, X1 - X0);
    let unit = crate::render::text::unit_text(kr.unit.as_deref());
    let mut values: Vec<f64> = points
        .iter()
        .flat_map(|p| [p.current.0, p.target.0])
        .collect();
    values.extend(kr.start.map(|s| s.0));
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    // In halves, so that no difference overflows: a metric from -1e308 to 1e308 spans more than a number
    // holds, and its points would be drawn at NaN. Halving is exact, so any other picture is the same.
    let (half_low, half_high) = (low / 2.0, high / 2.0);
    let pad = if high > low {
        (half_high - half_low) * 0.08
    } else {
        half_low.abs().max(0.5) * 0.1
    };
    let (lo, hi) = (half_low - pad, half_high + pad);
    let y = |v: f64| Y1 - (v / 2.0 - lo) / (hi - lo) * (Y1 - Y0);

    let changes = points
        .windows(2)
        .filter(|w| w[0].target != w[1].target)
        .count();
    let (first, last) = (points.first(), points.last());
    let summary = match (first, last) {
        (Some(f), Some(l)) => format!(
            "{}: {} check-ins from {} to {}{unit}; target {}{unit}{}",
            kr.title,
            points.len(),
            f.current,
            l.current,
            l.target,
            match changes {
                0 => String::new(),
                1 => format!(" (changed once, was {})", f.target),
                n => format!(" (changed {n} times, was {})", f.target),
            }
        ),
        _ => format!("{}: no check-ins", kr.title),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 300 124\" role=\"img\" aria-label=\"{}\">",
        escape(&summary)
    );
    let _ = write!(
        out,
        "<rect class=\"pc-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        c(X0),
        c(Y0 - 4.0),
        c(X1 - X0),
        c(Y1 - Y0 + 8.0)
    );
    let start_x = axis.edge(window.start);
    let kickoff_x = axis.edge(window.kickoff);
    let _ = write!(
        out,
        "<rect class=\"pc-planning\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        c(start_x),
        c(Y0 - 4.0),
        c((kickoff_x - start_x).max(0.0)),
        c(Y1 - Y0 + 8.0)
    );
    for (first, _) in axis.months() {
        if first < window.start {
            continue;
        }
        let x = axis.edge(first);
        let _ = write!(
            out,
            "<line class=\"pc-grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"pc-axis\" x=\"{}\" y=\"120\">{}</text>",
            c(x),
            c(Y0 - 4.0),
            c(x),
            c(Y1 + 4.0),
            c(x + 2.0),
            month_name(first)
        );
    }
    for value in if high > low {
        vec![low, high]
    } else {
        vec![low]
    } {
        let _ = write!(
            out,
            "<text class=\"pc-axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            c(X0 - 5.0),
            c(y(value) + 3.5),
            escape(&Number(value).to_string())
        );
    }
    if axis.contains(window.today) {
        let x = axis.x(window.today);
        let _ = write!(
            out,
            "<line class=\"tl-today\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>today, {}</title></line>",
            c(x),
            c(Y0 - 4.0),
            c(x),
            c(Y1 + 4.0),
            window.today
        );
    }
    // The target as a step line: it holds until it changes, and holds to the end of the quarter.
    if let (Some(_), Some(last)) = (first, last) {
        let mut steps: Vec<(f64, f64)> = Vec::new();
        for (i, p) in points.iter().enumerate() {
            let x = axis.x(p.date);
            if i > 0 && points[i - 1].target != p.target {
                steps.push((x, y(points[i - 1].target.0)));
            }
            if i == 0 || points[i - 1].target != p.target {
                steps.push((x, y(p.target.0)));
            }
        }
        steps.push((axis.right(), y(last.target.0)));
        let coords: Vec<String> = steps
            .iter()
            .map(|(x, y)| format!("{},{}", c(*x), c(*y)))
            .collect();
        let history: Vec<String> = points
            .iter()
            .enumerate()
            .filter(|(i, p)| *i == 0 || points[i - 1].target != p.target)
            .map(|(_, p)| format!("{} from {}", p.target, p.date))
            .collect();
        let _ = write!(
            out,
            "<polyline class=\"target\" points=\"{}\"><title>{}</title></polyline>",
            coords.join(" "),
            escape(&format!("target {}{unit}", history.join(", then ")))
        );
        let label_y = y(last.target.0);
        let label_y = if label_y - 4.0 < Y0 + 6.0 {
            label_y + 11.0
        } else {
            label_y - 4.0
        };
        let _ = write!(
            out,
            "<text class=\"pc-target-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">target {}</text>",
            c(X1 - 3.0),
            c(label_y),
            escape(&last.target.to_string())
        );
        let line: Vec<String> = current_steps(points, &axis, window.today, &y)
            .iter()
            .map(|(x, y)| format!("{},{}", c(*x), c(*y)))
            .collect();
        let _ = write!(
            out,
            "<polyline class=\"current\" points=\"{}\"/>",
            line.join(" ")
        );
        for p in points.iter() {
            let _ = write!(
                out,
                "<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"3.2\"><title>{}</title></circle>",
                c(axis.x(p.date)),
                c(y(p.current.0)),
                escape(&format!(
                    "{}: {}{unit} (target {}), commit {}",
                    p.date,
                    p.current,
                    p.target,
                    short_commit(&p.commit)
                ))
            );
        }
    }
    out.push_str("</svg>");
    Safe(out)
}

/// The current value as a step line through the check-ins: a value holds until the next check-in changes it
/// (a straight slope between check-ins far apart would suggest steady progress nobody measured), and the last
/// one holds until today.
fn current_steps(
    points: &[CheckIn],
    axis: &Axis,
    today: Date,
    y: &impl Fn(f64) -> f64,
) -> Vec<(f64, f64)> {
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let x = axis.x(p.date);
        if i > 0 && points[i - 1].current != p.current {
            steps.push((x, y(points[i - 1].current.0)));
        }
        steps.push((x, y(p.current.0)));
    }
    if let Some(&(x, y)) = steps.last()
        && axis.x(today) > x
    {
        steps.push((axis.x(today), y));
    }
    steps
}
