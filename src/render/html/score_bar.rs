//! The score bar: a bullet bar with pale zones for the bands, the score as a bar in its band's colour, the
//! expectation as a tick, and where the score would stand against the kickoff targets as a small triangle.

use std::fmt::Write as _;

use askama::filters::Safe;

use super::Markup;
use super::axis::c;
use crate::core::report::Band;
use crate::render::escape::html as escape;

pub struct Bar<'a> {
    pub score: Option<f64>,
    /// The band the score is painted in; none paints it grey, for a score that is not judged.
    pub band: Option<Band>,
    pub expected: Option<f64>,
    pub kickoff: Option<f64>,
    /// What the bar shows, in words, for those who cannot see it.
    pub label: &'a str,
}

pub fn svg(bar: &Bar<'_>) -> Markup {
    const W: f64 = 240.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"bar\" viewBox=\"-6 0 {} 26\" role=\"img\" aria-label=\"{}\">",
        c(W + 12.0),
        escape(bar.label)
    );
    for (class, from, to) in [
        ("zone-red", 0.0, 0.35),
        ("zone-amber", 0.35, 0.65),
        ("zone-green", 0.65, 1.0),
    ] {
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{}\" y=\"7\" width=\"{}\" height=\"12\"/>",
            c(from * W),
            c((to - from) * W)
        );
    }
    if let Some(s) = bar.score {
        let _ = write!(
            out,
            "<rect class=\"fill-{}\" x=\"0\" y=\"9\" width=\"{}\" height=\"8\" rx=\"1.5\"/>",
            super::band_class(bar.band),
            c(s.clamp(0.0, 1.0) * W)
        );
    }
    if let Some(e) = bar.expected {
        let x = e.clamp(0.0, 1.0) * W;
        let _ = write!(
            out,
            "<line class=\"expected\" x1=\"{}\" y1=\"3\" x2=\"{}\" y2=\"23\"/>",
            c(x),
            c(x)
        );
    }
    if let Some(k) = bar.kickoff {
        let x = k.clamp(0.0, 1.0) * W;
        let _ = write!(
            out,
            "<path class=\"kickoff-mark\" d=\"M{} 1L{} 1L{} 8Z\"/>",
            c(x - 4.5),
            c(x + 4.5),
            c(x)
        );
    }
    out.push_str("</svg>");
    Safe(out)
}
