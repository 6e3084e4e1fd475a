//! `okr report` and `okr history` as one self-contained HTML page: no scripts, no external styles, fonts or
//! images, so it opens offline, works as a CI artifact or a static page, and prints cleanly.
//!
//! Pictures are inline SVG drawn here: the quarter timeline (one lane per objective), a score bar per
//! objective coloured by grade band, and for each metric key result its check-ins against the target. Every
//! picture has its data beside it as a table, and every colour has words next to it (a band is written as
//! well as painted, a mark on the timeline has a shape of its own).
//!
//! Every piece of user text (titles, names, ids, reasons, messages, units, paths) goes through [`escape`],
//! in element text, in attributes and inside SVG alike. The page carries a Content-Security-Policy that
//! allows no script and no request at all; only its own inline style.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use jiff::Span;
use jiff::civil::Date;

use super::escape::html as escape;
use super::text::{self, Format, day, short_commit};
use crate::core::change::{Change, ChangeKind, WordOp};
use crate::core::history::{Event, Trajectory, Warning};
use crate::core::model::{Number, ObjectiveType, Status};
use crate::core::report::{
    AlignmentNode, Band, KeyResultReport, Lane, Mark, MarkKind, ObjectiveReport, Report, TeamReport,
};
use crate::view::Reasoning;
use crate::view::history::{Commit, HistoryPage};
use crate::view::report::ReportPage;

// ---------------------------------------------------------------------------------------------------------
// The page

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;";

const STYLE: &str = r#"
:root {
  --fg: #1f2328; --muted: #59636e; --faint: #818b98; --line: #d1d9e0; --soft: #eef1f4; --bg: #f6f8fa;
  --card: #ffffff; --accent: #0969da;
  --red: #c0222c; --red-bg: #ffebe9; --red-fill: #e5534b; --red-zone: #fbe3e1;
  --amber: #8a5d00; --amber-bg: #fff5cc; --amber-fill: #d4a72c; --amber-zone: #fcf1cd;
  --green: #1a7f37; --green-bg: #dafbe1; --green-fill: #2da44e; --green-zone: #dcf3e1;
  --grey-fill: #8c959f;
  --current: #0969da; --target: #1f2328;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, "Liberation Sans", sans-serif;
}
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.page { background: var(--card); border-bottom: 1px solid var(--line); padding: 24px 0 0; }
header.page h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; font-weight: 600; }
header.page .facts { margin: 0; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
header.page .facts b { color: var(--fg); font-weight: 600; }
nav.toc { margin-top: 16px; display: flex; flex-wrap: wrap; gap: 2px 4px; }
nav.toc a { color: var(--muted); text-decoration: none; padding: 8px 10px; border-bottom: 2px solid transparent; }
nav.toc a:hover { color: var(--fg); border-bottom-color: var(--line); }
main { padding-bottom: 48px; }
h2 { font-size: 20px; font-weight: 600; margin: 36px 0 14px; }
h3 { font-size: 16px; font-weight: 600; margin: 0; }
h4 { font-size: 15px; font-weight: 600; margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a code { color: var(--accent); }
code, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
code { background: var(--soft); border-radius: 4px; padding: 1px 5px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.prose { white-space: pre-line; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.card + .card { margin-top: 12px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile .n { display: block; font-size: 24px; font-weight: 600; line-height: 1.2; font-variant-numeric: tabular-nums; }
.tile .l { color: var(--muted); font-size: 12px; }
.tile.warn .n { color: var(--amber); }
.pill { display: inline-block; border-radius: 999px; padding: 0 9px; font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap; vertical-align: 1px; background: var(--soft); color: var(--muted); }
.pill.red { background: var(--red-bg); color: var(--red); }
.pill.amber { background: var(--amber-bg); color: var(--amber); }
.pill.green { background: var(--green-bg); color: var(--green); }
.pill.short { background: transparent; color: var(--red); border: 1px solid #f3b5b0; }
.pill.met { background: transparent; color: var(--green); border: 1px solid #aee0bb; }
.pill.status { background: var(--soft); color: var(--muted); }
.pill.pivot { background: #fff1e5; color: #953800; }
.flag { color: var(--red); font-weight: 600; }
.moved { background: #fff5cc; border-radius: 4px; padding: 0 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; color: var(--muted); font-size: 12px; padding: 0 0 6px; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
thead th { font-size: 12px; font-weight: 600; color: var(--muted); border-bottom-color: var(--line); white-space: nowrap; }
tbody tr:last-child > * { border-bottom: none; }
th[scope="row"] { font-weight: 600; }
.krs th[scope="row"] { font-weight: 400; }
td code, th code { white-space: nowrap; }
table.changes th, table.changes td { padding: 5px 10px; border-bottom: none; border-top: 1px solid var(--line); }
table.changes thead th { border-top: none; border-bottom: 1px solid var(--line); }
table.changes tbody tr:first-child > * { border-top: none; }
table.changes th[scope="rowgroup"] { font-weight: 400; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
details { margin-top: 8px; }
details > summary { cursor: pointer; color: var(--accent); font-size: 12px; }
details[open] > summary { margin-bottom: 6px; }
svg { display: block; overflow: visible; }
svg text { font-family: inherit; fill: var(--muted); font-size: 11px; }
.team { margin-top: 28px; }
.team-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 12px; margin-bottom: 12px; }
.team-head .muted { font-size: 13px; }
.objective { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 12px; }
.objective.dropped { background: #fbfbfc; }
.objective.dropped h4 { color: var(--muted); text-decoration: line-through; text-decoration-color: var(--faint); }
.obj-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.obj-head h4 { flex: 1 1 360px; }
.obj-meta { margin: 4px 0 10px; color: var(--muted); font-size: 13px; }
.scoreline { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 6px 0 12px; }
.scoreline .bar { width: 260px; height: 26px; }
.kickoff-note { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 8px; padding: 6px 10px; font-size: 13px; }
.kr-title { font-weight: 500; }
.kr-sub { color: var(--muted); font-size: 12px; font-weight: 400; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; margin-top: 14px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 8px; background: #fcfcfd; }
figure.chart figcaption { font-size: 13px; margin-bottom: 4px; }
figure.chart figcaption .kr-sub { display: block; }
figure.chart svg { width: 100%; height: auto; }
.notes { margin: 10px 0 0; color: var(--muted); font-size: 13px; border-left: 3px solid var(--line); padding-left: 10px; }
.timeline-card svg { width: 100%; height: auto; }
.legend { list-style: none; margin: 10px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend svg { width: 14px; height: 14px; }
.legend .line { width: 22px; height: 10px; }
.tl-month { stroke: var(--line); stroke-width: 1; }
.tl-gutter { fill: url(#hatch); }
.tl-planning { fill: #ddf4ff; opacity: .7; }
.tl-today { stroke: #bf3989; stroke-width: 1.5; stroke-dasharray: 4 3; }
text.tl-today-label { fill: #bf3989; font-weight: 600; }
text.tl-region { font-size: 10px; fill: var(--faint); }
text.tl-month-label { font-weight: 600; fill: var(--muted); }
.lane-bg { fill: #f6f8fa; }
.team-sep { stroke: var(--line); }
text.lane-label { fill: var(--fg); font-size: 12px; }
text.lane-label.ended { fill: var(--faint); text-decoration: line-through; }
.life { stroke: #afb8c1; stroke-width: 2; stroke-linecap: round; }
.mk { stroke-width: 1.6; }
.mk.added { fill: var(--green-fill); stroke: var(--green); }
.mk.adjusted { fill: var(--amber-fill); stroke: var(--amber); }
.mk.removed { fill: var(--grey-fill); stroke: #57606a; }
.mk.key_result_removed { fill: var(--red-bg); stroke: var(--red); }
.kr-removed { margin: .4em 0; padding: .3em .6em; border-left: 3px solid var(--red); background: var(--red-bg); font-size: .9em; }
.mk.dropped { stroke: var(--red); stroke-width: 2.6; stroke-linecap: round; fill: none; }
.mk.hollow { fill: #fff; }
text.mk-count { font-size: 9px; fill: var(--muted); }
.zone-red { fill: var(--red-zone); } .zone-amber { fill: var(--amber-zone); } .zone-green { fill: var(--green-zone); }
.fill-red { fill: var(--red-fill); } .fill-amber { fill: var(--amber-fill); } .fill-green { fill: var(--green-fill); } .fill-none { fill: var(--grey-fill); }
.expected { stroke: var(--fg); stroke-width: 2; }
.kickoff-mark { fill: #fff; stroke: var(--fg); stroke-width: 1.4; }
.pc-frame { fill: #fff; stroke: var(--soft); }
.pc-grid { stroke: var(--soft); }
.pc-planning { fill: #ddf4ff; opacity: .6; }
.current { fill: none; stroke: var(--current); stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.dot { fill: var(--current); stroke: #fff; stroke-width: 1.2; }
.target { fill: none; stroke: var(--target); stroke-width: 1.5; stroke-dasharray: 5 3; }
text.pc-target-label { fill: var(--fg); font-weight: 600; font-size: 10px; }
text.pc-axis { font-size: 10px; fill: var(--faint); }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding: 0; }
ul.tree ul { margin-left: 12px; padding-left: 16px; border-left: 1px solid var(--line); }
ul.tree li { padding: 5px 0; }
ul.tree > li { padding: 10px 0; border-bottom: 1px solid var(--soft); }
ul.tree > li:last-child { border-bottom: none; }
.node-title { font-weight: 500; color: var(--fg); }
a.node-title:hover { color: var(--accent); }
.key { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 11px; color: var(--faint); white-space: nowrap; }
.node-title.dropped { text-decoration: line-through; color: var(--muted); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
.columns h3 { margin-bottom: 8px; }
.columns ul { margin: 0; padding: 0; list-style: none; }
.columns li { padding: 6px 0; border-bottom: 1px solid var(--soft); }
.columns li:last-child { border-bottom: none; }
blockquote { margin: 8px 0; padding: 6px 12px; border-left: 3px solid var(--line); color: var(--fg); background: #fafbfc; }
blockquote cite { display: block; font-style: normal; font-size: 12px; color: var(--muted); }
.commit { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; margin-top: 10px; }
.commit-meta { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
.why { font-size: 13px; margin: 0 0 8px; }
ins { background: var(--green-bg); text-decoration: none; }
del { background: var(--red-bg); }
.warnings li { margin: 4px 0; }
footer.page { color: var(--faint); font-size: 12px; border-top: 1px solid var(--line); padding: 16px 0 32px; }
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 11px; }
  header.page { border: none; padding-top: 0; }
  nav.toc { display: none; }
  .card, .tile, .objective, .commit, figure.chart { border-color: #bbb; box-shadow: none; }
  .objective, figure.chart, .tiles, tr, svg { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  details > summary { display: none; }
  details::details-content { display: contents; content-visibility: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The document around a body: the CSP forbids every script and every request.
fn page_shell(title: &str, header: &str, body: &str, footer: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"generator\" content=\"okr\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    out.push_str(header);
    let _ = writeln!(out, "<main class=\"wrap\">\n{body}</main>");
    let _ = writeln!(
        out,
        "<footer class=\"page\"><div class=\"wrap\">{footer}</div></footer>"
    );
    out.push_str("</body>\n</html>\n");
    out
}

fn nav(out: &mut String, items: &[(&str, &str)]) {
    out.push_str("<nav class=\"toc\" aria-label=\"Sections\">");
    for (id, label) in items {
        let _ = write!(out, "<a href=\"#{id}\">{label}</a>");
    }
    out.push_str("</nav>\n");
}

// ---------------------------------------------------------------------------------------------------------
// Small pieces

/// A score as people read it: `0.55`, `0.9`, `1.0`.
fn score_text(score: f64) -> String {
    let text = format!("{:.2}", (score * 100.0).round() / 100.0);
    match text.strip_suffix('0') {
        Some(short) => short.to_owned(),
        None => text,
    }
}

fn band_class(band: Option<Band>) -> &'static str {
    band.map_or("none", Band::as_str)
}

/// A score with its band in words: `0.55 · amber`.
fn score_pill(score: Option<f64>, band: Option<Band>) -> String {
    match (score, band) {
        (Some(s), Some(b)) => format!(
            "<span class=\"pill {}\">{} · {}</span>",
            b.as_str(),
            score_text(s),
            b.as_str()
        ),
        (Some(s), None) => format!("<span class=\"pill\">{}</span>", score_text(s)),
        _ => "<span class=\"pill\">not scored</span>".to_owned(),
    }
}

fn type_name(kind: ObjectiveType) -> &'static str {
    match kind {
        ObjectiveType::Committed => "committed",
        ObjectiveType::Aspirational => "aspirational",
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Done => "done",
        Status::Dropped => "dropped",
    }
}

fn number(n: Number) -> String {
    escape(&n.to_string())
}

/// A coordinate, short.
fn c(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(date: Date) -> &'static str {
    MONTHS[usize::try_from(date.month() - 1).unwrap_or(0).min(11)]
}

/// `platform/boring-deploys`.
fn objective_key(team: &str, objective: &str) -> String {
    format!("{team}/{objective}")
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

/// Text written across lines (a commit body, a YAML block) as paragraphs: the lines of a paragraph are joined
/// with spaces; blank lines and list items (`- `, `* `) keep their breaks. Shown with `white-space: pre-line`.
fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            if blank {
                out.push_str("\n\n");
            } else if line.starts_with("- ") || line.starts_with("* ") {
                out.push('\n');
            } else {
                out.push(' ');
            }
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// User text written across lines, escaped and reflowed.
fn prose(text: &str) -> String {
    format!("<span class=\"prose\">{}</span>", escape(&reflow(text)))
}

/// A reason, or the words that say there is none.
fn reason_html(reason: Option<&str>) -> String {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => prose(r),
        None => "<span class=\"flag\">⚠ no reason given</span>".to_owned(),
    }
}

/// What a change did, in words (the same phrase `okr history` prints), with word-level rewording marked up.
fn change_html(change: &Change) -> String {
    if let (ChangeKind::ObjectiveReworded | ChangeKind::KrReworded, Some(words)) =
        (change.kind, &change.words)
    {
        let mut out = String::from("reworded");
        if let Some(old) = &change.previous_id {
            let _ = write!(out, " (id was <code>{}</code>)", escape(old));
        }
        out.push_str(": ");
        for edit in words {
            match edit.op {
                WordOp::Equal => out.push_str(&escape(&edit.text)),
                WordOp::Delete => {
                    let _ = write!(out, "<del>{}</del>", escape(&edit.text));
                }
                WordOp::Insert => {
                    let _ = write!(out, "<ins>{}</ins>", escape(&edit.text));
                }
            }
        }
        return out;
    }
    let described = text::describe(change, Format::Human);
    format!(
        "<span class=\"prose\">{}</span>",
        escape(&text::unpainted(&described.what))
    )
}

/// A change kind in words: `kr_target_changed` → `KR target changed`.
fn kind_words(kind: ChangeKind) -> String {
    let words = kind.as_str().replace('_', " ");
    match words.strip_prefix("kr ") {
        Some(rest) => format!("KR {rest}"),
        None => words,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Time axis shared by the timeline and the progress charts

/// Days shown before the quarter's first day, for planning drafts; anything older sits at the left edge.
const GUTTER_DAYS: i64 = 10;

struct Axis {
    from: Date,
    end: Date,
    x0: f64,
    width: f64,
    total: f64,
}

impl Axis {
    fn new(start: Date, end: Date, x0: f64, width: f64) -> Axis {
        let from = start
            .checked_sub(Span::new().days(GUTTER_DAYS))
            .unwrap_or(start);
        let total = (days_between(from, end) + 1).max(1) as f64;
        Axis {
            from,
            end,
            x0,
            width,
            total,
        }
    }

    /// The middle of a day; days outside the axis sit at its edges.
    fn x(&self, date: Date) -> f64 {
        let offset = (days_between(self.from, date) as f64).clamp(0.0, self.total - 1.0) + 0.5;
        self.x0 + self.width * offset / self.total
    }

    /// Where a day begins.
    fn edge(&self, date: Date) -> f64 {
        let offset = (days_between(self.from, date) as f64).clamp(0.0, self.total);
        self.x0 + self.width * offset / self.total
    }

    fn right(&self) -> f64 {
        self.x0 + self.width
    }

    fn contains(&self, date: Date) -> bool {
        date >= self.from && date <= self.end
    }

    /// Months on the axis: the first shown day of each and where the next begins.
    fn months(&self) -> Vec<(Date, Date)> {
        let mut months = Vec::new();
        let mut first = self.from.first_of_month();
        let after_end = self.end.tomorrow().unwrap_or(self.end);
        while first < after_end {
            let next = first
                .checked_add(Span::new().months(1))
                .unwrap_or(after_end);
            months.push((first.max(self.from), next.min(after_end)));
            if next <= first {
                break;
            }
            first = next;
        }
        months
    }
}

// ---------------------------------------------------------------------------------------------------------
// Timeline

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

fn legend_shape(kind: MarkKind, mid_quarter: bool) -> String {
    format!(
        "<svg viewBox=\"0 0 14 14\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        mark_shape(kind, 7.0, 7.0, mid_quarter)
    )
}

fn timeline_legend() -> String {
    let mut out = String::from("<ul class=\"legend\" aria-label=\"Legend\">");
    for (kind, words) in [
        (MarkKind::Added, "objective added"),
        (
            MarkKind::Adjusted,
            "adjusted (target, key result added, type, alignment…)",
        ),
        (MarkKind::KeyResultRemoved, "key result removed"),
        (MarkKind::Dropped, "dropped"),
        (MarkKind::Removed, "removed without being marked dropped"),
    ] {
        let _ = write!(out, "<li>{}{words}</li>", legend_shape(kind, true));
    }
    let _ = write!(
        out,
        "<li>{}hollow: during planning, filled: after kickoff</li>",
        legend_shape(MarkKind::Added, false)
    );
    out.push_str("</ul>");
    out
}

struct Window {
    start: Date,
    end: Date,
    kickoff: Date,
    today: Date,
}

fn timeline_section(out: &mut String, lanes: &[Lane], window: &Window, quarter: &str) {
    out.push_str("<section id=\"timeline\" aria-labelledby=\"timeline-h\">\n<h2 id=\"timeline-h\">Timeline</h2>\n");
    out.push_str("<div class=\"card timeline-card\">\n");
    if lanes.is_empty() {
        out.push_str("<p class=\"muted\">No objective was added, changed or dropped in this quarter's history.</p>\n");
    } else {
        out.push_str(&timeline_svg(lanes, window, quarter));
        out.push_str(&timeline_legend());
        timeline_table(out, lanes);
    }
    out.push_str("</div>\n</section>\n");
}

fn timeline_svg(lanes: &[Lane], window: &Window, quarter: &str) -> String {
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
    out
}

fn timeline_table(out: &mut String, lanes: &[Lane]) {
    let marks: usize = lanes.iter().map(|l| l.marks.len()).sum();
    let _ = writeln!(
        out,
        "<details><summary>Timeline data: {} objectives, {} marks</summary>",
        lanes.len(),
        marks
    );
    out.push_str("<table>\n<caption>Every mark on the timeline, by objective</caption>\n<thead><tr><th scope=\"col\">Objective</th><th scope=\"col\">Date</th><th scope=\"col\">Mark</th><th scope=\"col\">Change</th><th scope=\"col\">When</th></tr></thead>\n<tbody>\n");
    for lane in lanes {
        for (i, mark) in lane.marks.iter().enumerate() {
            out.push_str("<tr>");
            if i == 0 {
                let _ = write!(
                    out,
                    "<th scope=\"rowgroup\" rowspan=\"{}\"><code>{}</code><div class=\"kr-sub\">{}</div></th>",
                    lane.marks.len(),
                    escape(&objective_key(&lane.team, &lane.objective)),
                    escape(&lane.title)
                );
            }
            let _ = writeln!(
                out,
                "<td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                mark.date,
                mark.kind.as_str(),
                escape(&mark.label),
                if mark.mid_quarter {
                    "mid-quarter"
                } else {
                    "planning"
                }
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

// ---------------------------------------------------------------------------------------------------------
// Score bars

/// A bullet bar: pale zones for the bands, the score as a bar in its band's colour, the expectation as a
/// tick, and where the score would stand against the kickoff targets as a small triangle.
fn score_bar(
    score: Option<f64>,
    band: Option<Band>,
    expected: Option<f64>,
    kickoff: Option<f64>,
    label: &str,
) -> String {
    const W: f64 = 240.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"bar\" viewBox=\"-6 0 {} 26\" role=\"img\" aria-label=\"{}\">",
        c(W + 12.0),
        escape(label)
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
    if let Some(s) = score {
        let _ = write!(
            out,
            "<rect class=\"fill-{}\" x=\"0\" y=\"9\" width=\"{}\" height=\"8\" rx=\"1.5\"/>",
            band_class(band),
            c(s.clamp(0.0, 1.0) * W)
        );
    }
    if let Some(e) = expected {
        let x = e.clamp(0.0, 1.0) * W;
        let _ = write!(
            out,
            "<line class=\"expected\" x1=\"{}\" y1=\"3\" x2=\"{}\" y2=\"23\"/>",
            c(x),
            c(x)
        );
    }
    if let Some(k) = kickoff {
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
    out
}

// ---------------------------------------------------------------------------------------------------------
// Progress charts

struct Chart<'a> {
    kr: &'a KeyResultReport,
    trajectory: &'a Trajectory,
}

fn progress_chart(chart: &Chart<'_>, window: &Window) -> String {
    const X0: f64 = 48.0;
    const X1: f64 = 292.0;
    const Y0: f64 = 12.0;
    const Y1: f64 = 104.0;
    let Chart { kr, trajectory } = chart;
    let points = &trajectory.points;
    let axis = Axis::new(window.start, window.end, X0, X1 - X0);
    let unit = kr
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
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
    let pad = if high > low {
        (high - low) * 0.08
    } else {
        low.abs().max(1.0) * 0.1
    };
    let (lo, hi) = (low - pad, high + pad);
    let y = |v: f64| Y1 - (v - lo) / (hi - lo) * (Y1 - Y0);

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
        let line: Vec<String> = points
            .iter()
            .map(|p| format!("{},{}", c(axis.x(p.date)), c(y(p.current.0))))
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
    out
}

fn chart_figure(out: &mut String, chart: &Chart<'_>, window: &Window) {
    let kr = chart.kr;
    let unit = kr
        .unit
        .as_deref()
        .map(|u| format!(" {}", escape(u)))
        .unwrap_or_default();
    let points = &chart.trajectory.points;
    out.push_str("<figure class=\"chart\">\n");
    let _ = write!(
        out,
        "<figcaption><span class=\"kr-title\">{}</span><span class=\"kr-sub\">",
        escape(&kr.title)
    );
    if let (Some(current), Some(target)) = (kr.current, kr.target) {
        let _ = write!(
            out,
            "now {}{unit} · target {}{unit}",
            number(current),
            number(target)
        );
        if let Some(start) = kr.start {
            let _ = write!(out, " · start {}", number(start));
        }
    }
    out.push_str("</span></figcaption>\n");
    out.push_str(&progress_chart(chart, window));
    let _ = write!(
        out,
        "\n<details><summary>Check-ins ({})</summary><table><caption>Check-ins of {}: every commit that changed its current value or target</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Commit</th><th scope=\"col\" class=\"num\">Current</th><th scope=\"col\" class=\"num\">Target</th></tr></thead><tbody>",
        points.len(),
        escape(&kr.title)
    );
    for (i, p) in points.iter().enumerate() {
        let moved = i > 0 && points[i - 1].target != p.target;
        let _ = write!(
            out,
            "<tr><td class=\"num\">{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            p.date,
            escape(short_commit(&p.commit)),
            number(p.current),
            if moved {
                format!(
                    "<span class=\"moved\">{} (was {})</span>",
                    number(p.target),
                    number(points[i - 1].target)
                )
            } else {
                number(p.target)
            }
        );
    }
    out.push_str("</tbody></table></details>\n</figure>\n");
}

// ---------------------------------------------------------------------------------------------------------
// The report

pub fn report(page: &ReportPage) -> String {
    let report = &page.report;
    let window = Window {
        start: report.start,
        end: report.end,
        kickoff: report.kickoff,
        today: report.today,
    };
    let quarter = report.quarter.to_string();
    let anchors: HashMap<(String, String), usize> = report
        .teams
        .iter()
        .flat_map(|t| &t.objectives)
        .enumerate()
        .map(|(i, o)| ((o.team.clone(), o.id.clone()), i))
        .collect();

    let mut header = String::from("<header class=\"page\"><div class=\"wrap\">\n");
    let _ = writeln!(header, "<h1>OKR report · {}</h1>", escape(&quarter));
    header.push_str("<p class=\"facts\">");
    let _ = write!(
        header,
        "<span><b>{}</b> to <b>{}</b></span><span>planning until {}, kickoff <b>{}</b></span>",
        report.start,
        report.end,
        report.kickoff.yesterday().unwrap_or(report.kickoff),
        report.kickoff
    );
    let _ = write!(
        header,
        "<span>commit <code title=\"{}\">{}</code> of {}</span>",
        escape(&report.commit),
        escape(short_commit(&report.commit)),
        escape(day(&report.date))
    );
    let progress = if report.today > report.end {
        "the quarter has ended".to_owned()
    } else if report.today < report.start {
        "the quarter has not started".to_owned()
    } else {
        format!(
            "day {} of {}",
            days_between(report.start, report.today) + 1,
            days_between(report.start, report.end) + 1
        )
    };
    let _ = write!(header, "<span>as of {} · {progress}</span>", report.today);
    header.push_str("</p>\n");
    let mut sections: Vec<(&str, &str)> = vec![
        ("summary", "Summary"),
        ("timeline", "Timeline"),
        ("objectives", "Objectives"),
        ("alignment", "Alignment"),
        ("dropped", "Dropped"),
        ("pivots", "Pivots"),
    ];
    if report.retrospective.is_some() {
        sections.push(("retrospective", "Retrospective"));
    }
    if !report.warnings.is_empty() {
        sections.push(("warnings", "Warnings"));
    }
    nav(&mut header, &sections);
    header.push_str("</div></header>\n");

    let mut body = String::new();
    summary_section(&mut body, page);
    timeline_section(&mut body, &report.timeline, &window, &quarter);
    objectives_section(&mut body, report, &window, &anchors);
    alignment_section(&mut body, report, &anchors);
    dropped_section(&mut body, report, &anchors);
    pivots_section(&mut body, page);
    retrospective_section(&mut body, report, &anchors);
    warnings_section(&mut body, &report.warnings);

    let footer = format!(
        "Made by okr from commit <code>{}</code> ({}) on {}. Scores: metric key results (current − start) ÷ (target − start), milestones 1 or 0; bands on the score rounded to one decimal: 0–0.3 red, 0.4–0.6 amber, 0.7–1.0 green.",
        escape(&report.commit),
        escape(&report.date),
        report.today
    );
    page_shell(&format!("OKR report {quarter}"), &header, &body, &footer)
}

fn summary_section(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let c = page.summary;
    out.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n<div class=\"tiles\">");
    let tile = |out: &mut String, n: usize, label: &str, warn: bool| {
        let _ = write!(
            out,
            "<div class=\"tile{}\"><span class=\"n\">{n}</span><span class=\"l\">{label}</span></div>",
            if warn && n > 0 { " warn" } else { "" }
        );
    };
    tile(out, c.judged, "objectives in play", false);
    tile(out, c.meet, "meet their expectation", false);
    tile(out, c.falls_short, "fall short of it", true);
    tile(out, c.dropped, "dropped", false);
    tile(out, c.pivots, "mid-quarter pivots", true);
    tile(out, c.unexplained, "pivots without a reason", true);
    tile(out, c.moved, "targets moved after kickoff", true);
    out.push_str("</div>\n<div class=\"card\">\n<table>\n<caption>Team scores: the mean of each team's objectives that are not dropped</caption>\n<thead><tr><th scope=\"col\">Team</th><th scope=\"col\">Score</th><th scope=\"col\" class=\"vh\">Score bar</th><th scope=\"col\" class=\"num\">Objectives</th><th scope=\"col\" class=\"num\">Fall short</th><th scope=\"col\" class=\"num\">Dropped</th><th scope=\"col\">Owner</th></tr></thead>\n<tbody>\n");
    for (team, counts) in report.teams.iter().zip(&page.teams) {
        let label = match team.score {
            Some(s) => format!(
                "{} scores {} ({})",
                team.team,
                score_text(s),
                band_class(team.band)
            ),
            None => format!("{} has no score", team.team),
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"#team-{}\">{}</a></th><td>{}</td><td style=\"width:260px\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&team.team),
            escape(&team.team),
            score_pill(team.score, team.band),
            score_bar(team.score, team.band, None, None, &label),
            counts.objectives,
            counts.falls_short,
            counts.dropped,
            team.owner.as_deref().map_or_else(String::new, escape)
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn objectives_section(
    out: &mut String,
    report: &Report,
    window: &Window,
    anchors: &HashMap<(String, String), usize>,
) {
    let trajectories: HashMap<(&str, &str, &str), &Trajectory> = report
        .trajectories
        .iter()
        .map(|t| {
            (
                (t.team.as_str(), t.objective.as_str(), t.key_result.as_str()),
                t,
            )
        })
        .collect();
    out.push_str("<section id=\"objectives\" aria-labelledby=\"objectives-h\">\n<h2 id=\"objectives-h\">Objectives</h2>\n");
    out.push_str("<p class=\"muted small\">Each bar shows the score in its band's colour over pale red, amber and green zones; the black tick is what the objective's type is expected to reach (committed 1.0, aspirational 0.7); a hollow triangle is the score against the targets agreed at kickoff, where a target moved since. In the charts, the blue line is the current value at each check-in (every commit that changed it) and the dashed line the target: a step in it is a target change.</p>\n");
    if report.teams.is_empty() {
        out.push_str("<p class=\"muted\">No OKR files for this quarter.</p>\n");
    }
    for team in &report.teams {
        team_section(out, team, window, anchors, &trajectories);
    }
    out.push_str("</section>\n");
}

fn team_section(
    out: &mut String,
    team: &TeamReport,
    window: &Window,
    anchors: &HashMap<(String, String), usize>,
    trajectories: &HashMap<(&str, &str, &str), &Trajectory>,
) {
    let _ = writeln!(
        out,
        "<section class=\"team\" id=\"team-{}\" aria-labelledby=\"team-{}-h\">",
        escape(&team.team),
        escape(&team.team)
    );
    let _ = writeln!(
        out,
        "<div class=\"team-head\"><h3 id=\"team-{}-h\">{}</h3>{}<span class=\"muted\">{}{}</span></div>",
        escape(&team.team),
        escape(&team.team),
        score_pill(team.score, team.band),
        text::plural(team.objectives.len(), "objective", "objectives"),
        match &team.owner {
            Some(owner) => format!(
                " · owner {} · <code>{}</code>",
                escape(owner),
                escape(&team.path)
            ),
            None => format!(" · <code>{}</code>", escape(&team.path)),
        }
    );
    for objective in &team.objectives {
        objective_card(out, objective, window, anchors, trajectories);
    }
    out.push_str("</section>\n");
}

fn objective_card(
    out: &mut String,
    o: &ObjectiveReport,
    window: &Window,
    anchors: &HashMap<(String, String), usize>,
    trajectories: &HashMap<(&str, &str, &str), &Trajectory>,
) {
    let anchor = anchors
        .get(&(o.team.clone(), o.id.clone()))
        .copied()
        .unwrap_or(0);
    let dropped = o.status == Status::Dropped;
    let _ = writeln!(
        out,
        "<article class=\"objective{}\" id=\"obj-{anchor}\" aria-labelledby=\"obj-{anchor}-h\">",
        if dropped { " dropped" } else { "" }
    );
    let _ = write!(
        out,
        "<div class=\"obj-head\"><h4 id=\"obj-{anchor}-h\">{}</h4>",
        escape(&o.title)
    );
    out.push_str(&score_pill(o.score, o.band));
    if o.status != Status::Active {
        let _ = write!(
            out,
            " <span class=\"pill status\">{}</span>",
            status_name(o.status)
        );
    }
    out.push_str("</div>\n");
    let _ = write!(
        out,
        "<p class=\"obj-meta\"><code>{}</code> · {} (expected {})",
        escape(&objective_key(&o.team, &o.id)),
        type_name(o.kind),
        score_text(o.expected)
    );
    if let Some(owner) = &o.owner {
        let _ = write!(out, " · owner {}", escape(owner));
    }
    if let Some(parent) = &o.aligns_to {
        let target = parent
            .split_once('/')
            .and_then(|(t, id)| anchors.get(&(t.to_owned(), id.to_owned())));
        match target {
            Some(i) => {
                let _ = write!(
                    out,
                    " · aligns to <a href=\"#obj-{i}\">{}</a>",
                    escape(parent)
                );
            }
            None => {
                let _ = write!(
                    out,
                    " · aligns to {} <span class=\"flag\">(not found)</span>",
                    escape(parent)
                );
            }
        }
    }
    out.push_str("</p>\n<div class=\"scoreline\">");
    let label = match o.score {
        Some(s) if dropped => format!(
            "score {} ({}); dropped, so not judged",
            score_text(s),
            band_class(o.band)
        ),
        Some(s) => format!(
            "score {} ({}); expected {} for a {} objective{}",
            score_text(s),
            band_class(o.band),
            score_text(o.expected),
            type_name(o.kind),
            o.score_against_kickoff
                .map(|k| format!("; {} against the kickoff targets", score_text(k)))
                .unwrap_or_default()
        ),
        None => "no score".to_owned(),
    };
    out.push_str(&score_bar(
        o.score,
        o.band,
        (!dropped).then_some(o.expected),
        o.score_against_kickoff,
        &label,
    ));
    if dropped {
        let reason = o.dropped.as_ref().and_then(|d| d.reason.as_deref());
        let date = o.dropped.as_ref().and_then(|d| d.date);
        let _ = write!(
            out,
            "<span class=\"small\">dropped{}, not judged: {}</span>",
            date.map(|d| format!(" on {d}")).unwrap_or_default(),
            reason_html(reason)
        );
    } else if o.falls_short {
        let _ = write!(
            out,
            "<span class=\"pill short\">falls short of {}</span>",
            score_text(o.expected)
        );
    } else {
        let _ = write!(
            out,
            "<span class=\"pill met\">meets {}</span>",
            score_text(o.expected)
        );
    }
    if let (Some(k), Some(s)) = (o.score_against_kickoff, o.score) {
        let (what, plan) = if o.removed_key_results.iter().any(|r| r.counted) {
            ("The plan changed after kickoff", "plan")
        } else {
            ("Target moved after kickoff", "targets")
        };
        let _ = write!(
            out,
            "<span class=\"kickoff-note\"><b>{what}:</b> {} against today's {plan}, <b>{}</b> against the kickoff {plan}</span>",
            score_text(s),
            score_text(k)
        );
    }
    out.push_str("</div>\n");

    if !o.key_results.is_empty() {
        let _ = write!(
            out,
            "<table class=\"krs\">\n<caption class=\"vh\">Key results of {}</caption>\n<thead><tr><th scope=\"col\">Key result</th><th scope=\"col\" class=\"num\">Start</th><th scope=\"col\" class=\"num\">Current</th><th scope=\"col\" class=\"num\">Target</th><th scope=\"col\">Unit</th><th scope=\"col\">Score</th><th scope=\"col\" class=\"num\">Confidence</th></tr></thead>\n<tbody>\n",
            escape(&o.title)
        );
        for kr in &o.key_results {
            key_result_row(out, kr);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for removed in &o.removed_key_results {
        let last = text::value_text(&removed.last_value);
        let _ = writeln!(
            out,
            "<p class=\"kr-removed\"><b>Key result removed{}:</b> <code>{}</code> {} — last {}{}. {}</p>",
            removed.date.map(|d| format!(" on {d}")).unwrap_or_default(),
            escape(&removed.id),
            escape(&removed.title),
            escape(&last),
            removed
                .score
                .map(|s| format!(" (score {})", score_text(s)))
                .unwrap_or_default(),
            match &removed.reason {
                Some(reason) => format!("Why: {}", escape(reason)),
                None =>
                    "<b>No reason given</b>: still counted against the kickoff plan.".to_owned(),
            }
        );
    }
    let charts: Vec<Chart<'_>> = o
        .key_results
        .iter()
        .filter(|kr| kr.measure == "metric")
        .filter_map(|kr| {
            trajectories
                .get(&(o.team.as_str(), o.id.as_str(), kr.id.as_str()))
                .filter(|t| !t.points.is_empty())
                .map(|trajectory| Chart { kr, trajectory })
        })
        .collect();
    if !charts.is_empty() {
        out.push_str("<div class=\"charts\">\n");
        for chart in &charts {
            chart_figure(out, chart, window);
        }
        out.push_str("</div>\n");
    }
    if let Some(notes) = &o.notes {
        let _ = writeln!(out, "<p class=\"notes\">{}</p>", prose(notes));
    }
    out.push_str("</article>\n");
}

fn key_result_row(out: &mut String, kr: &KeyResultReport) {
    let _ = write!(
        out,
        "<tr><th scope=\"row\"><span class=\"kr-title\">{}</span><div class=\"kr-sub\"><code>{}</code>{}</div>",
        escape(&kr.title),
        escape(&kr.id),
        kr.owner
            .as_deref()
            .map(|o| format!(" · {}", escape(o)))
            .unwrap_or_default()
    );
    if let Some(notes) = &kr.notes {
        let _ = write!(out, "<div class=\"kr-sub\">{}</div>", prose(notes));
    }
    out.push_str("</th>");
    let cell =
        |n: Option<Number>| n.map_or_else(|| "<span class=\"muted\">—</span>".to_owned(), number);
    match kr.done {
        Some(done) => {
            let _ = write!(
                out,
                "<td class=\"num\"></td><td class=\"num\">{}</td><td class=\"num\">done</td><td class=\"muted\">milestone</td>",
                if done { "<b>done</b>" } else { "not done" }
            );
        }
        None => {
            let target = match (kr.target, kr.kickoff_target) {
                (Some(t), Some(k)) => format!(
                    "<span class=\"moved\">{}</span><div class=\"kr-sub\">was {} at kickoff</div>",
                    number(t),
                    number(k)
                ),
                (t, _) => cell(t),
            };
            let _ = write!(
                out,
                "<td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{target}</td><td>{}</td>",
                cell(kr.start),
                cell(kr.current),
                kr.unit.as_deref().map_or_else(String::new, escape)
            );
        }
    }
    out.push_str("<td>");
    out.push_str(&score_pill(kr.score, kr.band));
    if kr.score_source == "explicit" {
        out.push_str(" <span class=\"kr-sub\">set by hand</span>");
    }
    if let Some(k) = kr.score_against_kickoff {
        let _ = write!(
            out,
            "<div class=\"kr-sub\"><span class=\"moved\"><b>{}</b> against the kickoff target</span></div>",
            score_text(k)
        );
    }
    let _ = writeln!(
        out,
        "</td><td class=\"num\">{}</td></tr>",
        kr.confidence
            .map_or_else(|| "<span class=\"muted\">—</span>".to_owned(), number)
    );
}

fn objective_link(
    team: &str,
    objective: &str,
    anchors: &HashMap<(String, String), usize>,
) -> String {
    let key = escape(&objective_key(team, objective));
    match anchors.get(&(team.to_owned(), objective.to_owned())) {
        Some(i) => format!("<a href=\"#obj-{i}\"><code>{key}</code></a>"),
        None => format!("<code>{key}</code>"),
    }
}

fn alignment_section(
    out: &mut String,
    report: &Report,
    anchors: &HashMap<(String, String), usize>,
) {
    let tree = &report.alignment;
    out.push_str("<section id=\"alignment\" aria-labelledby=\"alignment-h\">\n<h2 id=\"alignment-h\">Alignment</h2>\n<div class=\"card\">\n");
    if tree.roots.is_empty() {
        out.push_str("<p class=\"muted\">No company objectives and nothing aligned to another objective.</p>\n");
    } else {
        out.push_str("<ul class=\"tree\">\n");
        for node in &tree.roots {
            alignment_node(out, node, anchors);
        }
        out.push_str("</ul>\n");
    }
    if !tree.unaligned.is_empty() {
        out.push_str("<h3 style=\"margin-top:14px\">Aligned to nothing</h3><ul>");
        for o in &tree.unaligned {
            let _ = write!(
                out,
                "<li>{} {}</li>",
                escape(&o.title),
                objective_link(&o.team, &o.objective, anchors)
            );
        }
        out.push_str("</ul>\n");
    }
    if !tree.aligned_to_dropped.is_empty() {
        out.push_str("<h3 style=\"margin-top:14px\">Still aligned to a dropped objective</h3><ul>");
        for a in &tree.aligned_to_dropped {
            let _ = write!(
                out,
                "<li><span class=\"flag\">⚠</span> {} {} aligns to <code>{}</code>, which was dropped</li>",
                escape(&a.objective.title),
                objective_link(&a.objective.team, &a.objective.objective, anchors),
                escape(&a.parent)
            );
        }
        out.push_str("</ul>\n");
    }
    if !tree.unresolved.is_empty() {
        out.push_str(
            "<h3 style=\"margin-top:14px\">Aligned to an objective that does not exist</h3><ul>",
        );
        for u in &tree.unresolved {
            let _ = write!(
                out,
                "<li><span class=\"flag\">⚠</span> {} {} aligns to <code>{}</code>, which names no objective of the quarter</li>",
                escape(&u.objective.title),
                objective_link(&u.objective.team, &u.objective.objective, anchors),
                escape(&u.aligns_to)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// An objective's title linking to its card, with its `team/id` beside it.
fn titled_link(
    title: &str,
    team: &str,
    objective: &str,
    dropped: bool,
    anchors: &HashMap<(String, String), usize>,
) -> String {
    let class = if dropped {
        "node-title dropped"
    } else {
        "node-title"
    };
    let key = escape(&objective_key(team, objective));
    match anchors.get(&(team.to_owned(), objective.to_owned())) {
        Some(i) => format!(
            "<a class=\"{class}\" href=\"#obj-{i}\">{}</a> <span class=\"key\">{key}</span>",
            escape(title)
        ),
        None => format!(
            "<span class=\"{class}\">{}</span> <span class=\"key\">{key}</span>",
            escape(title)
        ),
    }
}

fn alignment_node(
    out: &mut String,
    node: &AlignmentNode,
    anchors: &HashMap<(String, String), usize>,
) {
    let dropped = node.status == Status::Dropped;
    let _ = write!(
        out,
        "<li>{} ",
        titled_link(&node.title, &node.team, &node.objective, dropped, anchors)
    );
    match node.score {
        Some(s) => out.push_str(&score_pill(Some(s), Some(Band::of(s)))),
        None => out.push_str(&score_pill(None, None)),
    }
    if node.status != Status::Active {
        let _ = write!(
            out,
            " <span class=\"pill status\">{}</span>",
            status_name(node.status)
        );
    }
    if !node.children.is_empty() {
        out.push_str("\n<ul>\n");
        for child in &node.children {
            alignment_node(out, child, anchors);
        }
        out.push_str("</ul>");
    }
    out.push_str("</li>\n");
}

fn dropped_section(out: &mut String, report: &Report, anchors: &HashMap<(String, String), usize>) {
    out.push_str("<section id=\"dropped\" aria-labelledby=\"dropped-h\">\n<h2 id=\"dropped-h\">Dropped objectives</h2>\n<div class=\"card\">\n");
    if report.dropped.is_empty() {
        out.push_str("<p class=\"muted\">Nothing was dropped.</p>\n");
    } else {
        out.push_str("<table>\n<caption>Objectives dropped this quarter, with the reason written when they were dropped</caption>\n<thead><tr><th scope=\"col\">Objective</th><th scope=\"col\">Dropped on</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
        for d in &report.dropped {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}<div class=\"kr-sub\">{}</div></th><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&d.title),
                objective_link(&d.team, &d.objective, anchors),
                d.date.map_or_else(
                    || "<span class=\"flag\">no date</span>".to_owned(),
                    |d| d.to_string()
                ),
                reason_html(d.reason.as_deref())
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn pivots_section(out: &mut String, page: &ReportPage) {
    let pivots = &page.report.pivots;
    out.push_str("<section id=\"pivots\" aria-labelledby=\"pivots-h\">\n<h2 id=\"pivots-h\">Mid-quarter pivots</h2>\n<div class=\"card\">\n");
    if pivots.is_empty() {
        out.push_str("<p class=\"muted\">The plan did not change after kickoff.</p>\n");
    } else {
        let missing = page.summary.unexplained;
        let _ = writeln!(
            out,
            "<p class=\"small muted\">{} after the planning window closed{}.</p>",
            text::plural(pivots.len(), "change of plan", "changes of plan"),
            match missing {
                0 => String::new(),
                n => format!(", <span class=\"flag\">{} without a reason</span>", n),
            }
        );
        out.push_str("<table>\n<caption class=\"vh\">Changes of plan after kickoff, oldest first, with their reasons</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Objective</th><th scope=\"col\">Change</th><th scope=\"col\">Reason</th><th scope=\"col\">Commit</th></tr></thead>\n<tbody>\n");
        for (p, view) in pivots.iter().zip(&page.pivots) {
            let change = &p.change;
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><th scope=\"row\"><code>{}</code>{}</th><td><span class=\"pill pivot\">{}</span><div>{}</div></td><td>{}</td><td><code>{}</code><div class=\"kr-sub\">{}</div></td></tr>",
                escape(day(&p.date)),
                escape(
                    &change
                        .objective
                        .as_deref()
                        .map_or_else(|| change.team.clone(), |o| objective_key(&change.team, o))
                ),
                change
                    .key_result
                    .as_deref()
                    .map(|k| format!("<div class=\"kr-sub\">KR <code>{}</code></div>", escape(k)))
                    .unwrap_or_default(),
                escape(&kind_words(change.kind)),
                change_html(change),
                match view.reasoning {
                    Reasoning::Given | Reasoning::Missing => reason_html(p.reason.as_deref()),
                    Reasoning::NotAsked => "<span class=\"muted\">—</span>".to_owned(),
                },
                escape(short_commit(&p.commit)),
                escape(&p.author)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn retrospective_section(
    out: &mut String,
    report: &Report,
    anchors: &HashMap<(String, String), usize>,
) {
    let Some(retro) = &report.retrospective else {
        return;
    };
    out.push_str("<section id=\"retrospective\" aria-labelledby=\"retrospective-h\">\n<h2 id=\"retrospective-h\">Retrospective</h2>\n<div class=\"columns\">\n");
    let outcome_list = |out: &mut String, title: &str, items: &[crate::core::report::Outcome]| {
        let _ = write!(
            out,
            "<div class=\"card\"><h3>{title} ({})</h3>",
            items.len()
        );
        if items.is_empty() {
            out.push_str("<p class=\"muted\">None.</p>");
        } else {
            out.push_str("<ul>");
            for item in items {
                let _ = write!(
                    out,
                    "<li>{} {} <span class=\"muted small\">of {} expected, {}</span></li>",
                    titled_link(&item.title, &item.team, &item.objective, false, anchors),
                    score_pill(item.score, item.score.map(Band::of)),
                    score_text(item.expected),
                    type_name(item.kind)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</div>\n");
    };
    outcome_list(out, "Met", &retro.met);
    outcome_list(out, "Missed", &retro.missed);
    let _ = write!(
        out,
        "<div class=\"card\"><h3>Dropped ({})</h3>",
        retro.dropped.len()
    );
    if retro.dropped.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
    } else {
        out.push_str("<ul>");
        for d in &retro.dropped {
            let _ = write!(
                out,
                "<li>{}<div class=\"small\">{}</div></li>",
                titled_link(&d.title, &d.team, &d.objective, false, anchors),
                reason_html(d.reason.as_deref())
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>\n</div>\n");
    out.push_str("<div class=\"card\" style=\"margin-top:12px\"><h3>Learnings</h3>");
    if retro.learnings.is_empty() {
        out.push_str("<p class=\"muted\">No notes were written on the quarter's objectives or key results.</p>");
    }
    for learning in &retro.learnings {
        let place = match &learning.key_result {
            Some(kr) => format!(
                "{} KR <code>{}</code>",
                objective_link(&learning.team, &learning.objective, anchors),
                escape(kr)
            ),
            None => objective_link(&learning.team, &learning.objective, anchors),
        };
        let _ = write!(
            out,
            "<blockquote>{}<cite>{place}</cite></blockquote>",
            prose(&learning.text)
        );
    }
    let _ = write!(
        out,
        "<p class=\"small\">{} — see <a href=\"#pivots\">Mid-quarter pivots</a>.</p></div>\n</section>\n",
        text::plural(
            retro.pivots,
            "change of plan after kickoff",
            "changes of plan after kickoff"
        )
    );
}

fn warnings_section(out: &mut String, warnings: &[Warning]) {
    if warnings.is_empty() {
        return;
    }
    out.push_str("<section id=\"warnings\" aria-labelledby=\"warnings-h\">\n<h2 id=\"warnings-h\">Warnings</h2>\n<div class=\"card\"><ul class=\"warnings\">\n");
    for w in warnings {
        let _ = writeln!(
            out,
            "<li><span class=\"flag\">warning:</span> commit <code>{}</code> <code>{}</code>: {}</li>",
            escape(short_commit(&w.commit)),
            escape(&w.path),
            escape(&w.message)
        );
    }
    out.push_str("</ul></div>\n</section>\n");
}

// ---------------------------------------------------------------------------------------------------------
// History

pub fn history(page: &HistoryPage) -> String {
    let history = &page.history;
    let today = &page.today;
    let window = Window {
        start: history.start,
        end: history.end,
        kickoff: history.kickoff,
        today: *today,
    };
    let quarter = history.quarter.to_string();
    let events = &history.events;
    let summary = &history.summary;

    let mut header = String::from("<header class=\"page\"><div class=\"wrap\">\n");
    let _ = writeln!(header, "<h1>OKR history · {}</h1>", escape(&quarter));
    let _ = writeln!(
        header,
        "<p class=\"facts\"><span><b>{}</b> to <b>{}</b></span><span>planning until {}, kickoff <b>{}</b>: later changes are mid-quarter</span><span>{} in {}</span><span>as of {}</span></p>",
        history.start,
        history.end,
        history.kickoff.yesterday().unwrap_or(history.kickoff),
        history.kickoff,
        text::plural(events.len(), "change", "changes"),
        text::plural(page.commits.len(), "commit", "commits"),
        today
    );
    let mut sections = vec![
        ("summary", "Summary"),
        ("timeline", "Timeline"),
        ("changes", "Changes"),
    ];
    if !history.warnings.is_empty() {
        sections.push(("warnings", "Warnings"));
    }
    nav(&mut header, &sections);
    header.push_str("</div></header>\n");

    let mut body = String::new();
    body.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n<div class=\"tiles\">");
    for (n, label, warn) in [
        (summary.kickoff.len(), "objectives at kickoff", false),
        (
            summary.added_after_kickoff.len(),
            "added after kickoff",
            true,
        ),
        (summary.dropped.len(), "dropped", true),
        (summary.removed.len(), "removed without a drop", true),
        (summary.made_easier.len(), "targets made easier", true),
        (summary.made_harder.len(), "targets made harder", false),
        (summary.other_pivots.len(), "other pivots", true),
        (summary.check_ins, "check-ins", false),
    ] {
        let _ = write!(
            body,
            "<div class=\"tile{}\"><span class=\"n\">{n}</span><span class=\"l\">{label}</span></div>",
            if warn && n > 0 { " warn" } else { "" }
        );
    }
    body.push_str("</div>\n");
    if !summary.kickoff.is_empty() {
        body.push_str("<div class=\"card\"><details><summary>The plan at kickoff</summary><table><caption>Objectives as they stood when the planning window closed</caption><thead><tr><th scope=\"col\">Objective</th><th scope=\"col\">Title</th><th scope=\"col\" class=\"num\">Key results</th></tr></thead><tbody>\n");
        for k in &summary.kickoff {
            let _ = writeln!(
                body,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td class=\"num\">{}</td></tr>",
                escape(&objective_key(&k.team, &k.objective)),
                escape(&k.title),
                k.key_results
            );
        }
        body.push_str("</tbody></table></details></div>\n");
    }
    body.push_str("</section>\n");

    timeline_section(&mut body, &page.lanes, &window, &quarter);

    body.push_str("<section id=\"changes\" aria-labelledby=\"changes-h\">\n<h2 id=\"changes-h\">Changes</h2>\n");
    if events.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"muted\">No changes to {} OKRs.</p>",
            escape(&quarter)
        );
    }
    let mut section = None;
    for commit in &page.commits {
        let first = commit.first;
        let mid = events[first].mid_quarter;
        if section != Some(mid) {
            section = Some(mid);
            let _ = writeln!(
                body,
                "<h3 style=\"margin-top:20px\">{}</h3>",
                if mid {
                    format!("After kickoff (from {})", history.kickoff)
                } else {
                    format!("Planning (before {})", history.kickoff)
                }
            );
        }
        history_commit(&mut body, page, commit);
    }
    body.push_str("</section>\n");
    warnings_section(&mut body, &history.warnings);

    let footer = format!(
        "Made by okr from the history of {} up to {}. A pivot is a change of plan after kickoff: an objective added, dropped or removed, a target moved, a key result added or removed, a rebaseline, a type or alignment change.",
        escape(&quarter),
        today
    );
    page_shell(&format!("OKR history {quarter}"), &header, &body, &footer)
}

fn history_commit(out: &mut String, page: &HistoryPage, commit: &Commit) {
    let events = &page.history.events[commit.first..commit.end];
    let offset = commit.first;
    let head = &events[0];
    let _ = writeln!(
        out,
        "<article class=\"commit\" aria-label=\"{}\">",
        escape(&format!(
            "commit {}: {}",
            short_commit(&head.commit),
            head.message
        ))
    );
    let _ = writeln!(
        out,
        "<h4>{}</h4><p class=\"commit-meta\">{} · {} · <code title=\"{}\">{}</code></p>",
        if head.message.trim().is_empty() {
            "<span class=\"muted\">(no message)</span>".to_owned()
        } else {
            escape(&head.message)
        },
        escape(day(&head.date)),
        escape(&head.author),
        escape(&head.commit),
        escape(short_commit(&head.commit))
    );
    let shared = commit.shared_reason.as_ref().map(Option::as_deref);
    if let Some(Some(reason)) = shared {
        let _ = writeln!(
            out,
            "<p class=\"why\"><b>Why:</b> {}</p>",
            reason_html(Some(reason))
        );
    }
    let per_row = shared.is_none();
    let _ = write!(
        out,
        "<table class=\"changes\">\n<caption class=\"vh\">Changes made by commit {}</caption>\n<thead><tr><th scope=\"col\">Objective</th><th scope=\"col\">Key result</th><th scope=\"col\">Change</th>{}</tr></thead>\n<tbody>\n",
        escape(short_commit(&head.commit)),
        if per_row {
            "<th scope=\"col\">Reason</th>"
        } else {
            ""
        }
    );
    let place = |e: &Event| {
        e.change.objective.as_deref().map_or_else(
            || e.change.team.clone(),
            |o| objective_key(&e.change.team, o),
        )
    };
    for (i, event) in events.iter().enumerate() {
        let change = &event.change;
        out.push_str("<tr>");
        // Consecutive changes to one objective share its cell.
        if i == 0 || place(&events[i - 1]) != place(event) {
            let rows = events[i..]
                .iter()
                .take_while(|e| place(e) == place(event))
                .count();
            let _ = write!(
                out,
                "<th scope=\"rowgroup\" rowspan=\"{rows}\"><code>{}</code></th>",
                escape(&place(event))
            );
        }
        let mut what = String::new();
        if page.is_pivot(offset + i) {
            let _ = write!(
                what,
                "<span class=\"pill pivot\">pivot: {}</span> ",
                escape(&kind_words(change.kind))
            );
            if page.reasoning[offset + i] == Reasoning::Missing {
                what.push_str("<span class=\"flag\">⚠ no reason given</span> ");
            }
        }
        what.push_str(&change_html(change));
        let _ = write!(
            out,
            "<td>{}</td><td>{what}</td>",
            change
                .key_result
                .as_deref()
                .map(|k| format!("<code>{}</code>", escape(k)))
                .unwrap_or_default(),
        );
        if per_row {
            let _ = write!(
                out,
                "<td>{}</td>",
                match &event.reason {
                    Some(r) => prose(r),
                    None => "<span class=\"muted\">—</span>".to_owned(),
                }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::Direction;
    use crate::core::change::Value;
    use crate::core::history::History;
    use crate::core::history::{CheckIn, Summary};
    use crate::core::model::Quarter;
    use crate::core::report::{AlignmentTree, DroppedObjective, Retrospective};
    use jiff::civil::date;

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
            unit: Some(IMG.to_owned()),
            confidence: Some(Number(0.5)),
            score: Some(0.5),
            score_source: "computed",
            band: Some(Band::Amber),
            kickoff_target: Some(Number(20.0)),
            score_against_kickoff: Some(0.25),
            notes: Some(SCRIPT.to_owned()),
            owner: Some(IMG.to_owned()),
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
            aligns_to: Some(format!("company/{IMG}")),
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

    fn event(
        kind: ChangeKind,
        objective: &str,
        day: &str,
        mid: bool,
        reason: Option<&str>,
    ) -> Event {
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
            commit: "0123456789abcdef0123456789abcdef01234567".to_owned(),
            date: format!("{day}T10:00:00+02:00"),
            landed: format!("{day}T10:00:00+02:00"),
            author: IMG.to_owned(),
            message: SCRIPT.to_owned(),
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
            commit: "abcdef0123".to_owned(),
            current: Number(current),
            target: Number(target),
        };
        Trajectory {
            team: "t".to_owned(),
            objective: "o".to_owned(),
            key_result: "k".to_owned(),
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
            ended: true,
            commit: format!("{SCRIPT}0123456789"),
            date: "2026-08-20T10:00:00+02:00".to_owned(),
            teams: vec![TeamReport {
                team: SCRIPT.to_owned(),
                path: format!("okrs/{IMG}"),
                owner: Some(IMG.to_owned()),
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
                    children: vec![AlignmentNode {
                        team: SCRIPT.to_owned(),
                        objective: "o".to_owned(),
                        title: IMG.to_owned(),
                        status: Status::Dropped,
                        score: None,
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
            e.commit = format!("{i}{}", &e.commit[1..]);
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
            assert!(!html.contains("http://") && !html.contains("https://"));
            // The only `src=` is inside the escaped injection, as text.
            assert_eq!(
                html.matches("src=").count(),
                html.matches("&lt;img src=").count(),
                "nothing is loaded"
            );
            for (at, _) in html.match_indices("href=") {
                let value = &html[at + 5..];
                assert!(
                    value.starts_with("\"#"),
                    "only in-page links: {}",
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
        assert!(html.contains("<span class=\"pill amber\">0.5 · amber</span>"));
        assert!(html.contains("aria-label=\"score 0.5 (amber); expected 1.0 for a committed objective; 0.25 against the kickoff targets\""));
        assert!(html.contains("<span class=\"pill short\">falls short of 1.0</span>"));
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
}
