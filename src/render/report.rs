//! `okr report` as text: where a quarter stands, in the order a review meeting goes through it — the header,
//! scores per team, what falls short, the alignment tree, drops, pivots, the retrospective and warnings.
//!
//! The engine decided everything (scores, bands, what falls short, the lists); this module only lays it out.
//! Where a target moved after kickoff, both scores are written side by side, so a quiet downgrade cannot
//! pass for success. Bands are always written as words; colour, when asked for, only repeats them.

use std::fmt::Write as _;

use annotate_snippets::renderer::{AnsiColor, Color, Style};

use super::text::{
    self, BOLD, DIM, Format, PIVOT, WARN, day, describe, markdown_escape, paint, plural,
    reason_lines, short_commit, terminal_safe, trim_lines,
};
use super::text::{human_warnings, markdown_warnings};
use crate::core::change::ChangeKind;
use crate::core::history::Event;
use crate::core::model::{Number, ObjectiveType, Status};
use crate::core::report::{
    AlignmentNode, Band, DroppedObjective, KeyResultReport, Learning, ObjectiveReport, Outcome,
    RemovedKeyResultReport, Report, Retrospective, TeamReport,
};
use crate::view::report::ReportPage;
use crate::view::{Reasoning, pivot_words};

const RED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
const AMBER: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const GREEN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));

const FALLS_SHORT: &str = "falls short";
const NO_REASON: &str = "⚠ no reason given";

pub fn human(page: &ReportPage) -> String {
    let report = &page.report;
    let mut out = String::new();
    human_header(&mut out, page);
    human_scores(&mut out, report);
    human_falls_short(&mut out, page);
    human_alignment(&mut out, report);
    human_dropped(&mut out, page);
    human_pivots(&mut out, page);
    human_retrospective(&mut out, page);
    human_warnings(&mut out, &report.warnings);
    trim_lines(&out)
}

pub fn markdown(page: &ReportPage) -> String {
    let report = &page.report;
    let mut out = String::new();
    markdown_header(&mut out, page);
    markdown_scores(&mut out, report);
    markdown_falls_short(&mut out, page);
    markdown_alignment(&mut out, report);
    markdown_dropped(&mut out, page);
    markdown_pivots(&mut out, page);
    markdown_retrospective(&mut out, page);
    markdown_warnings(&mut out, &report.warnings, "");
    trim_lines(&out)
}

pub fn json(page: &ReportPage) -> String {
    crate::render::json::document(page)
}

// ---------------------------------------------------------------------------------------------------------
// Phrases both formats share.

/// A score as reports write it: two decimals.
fn score_text(score: f64) -> String {
    // Rounded first, then + 0.0: a score that rounds to zero from below is `0.00`, never `-0.00`.
    format!("{:.2}", (score * 100.0).round() / 100.0 + 0.0)
}

/// An expectation: one decimal (`1.0`, `0.7`).
fn expected_text(expected: f64) -> String {
    format!("{expected:.1}")
}

fn kind_name(kind: ObjectiveType) -> &'static str {
    match kind {
        ObjectiveType::Committed => "committed",
        ObjectiveType::Aspirational => "aspirational",
    }
}

fn band_style(band: Band) -> Style {
    match band {
        Band::Red => RED,
        Band::Amber => AMBER,
        Band::Green => GREEN,
    }
}

/// `platform/boring-deploys`, escaped for the format.
fn place(team: &str, objective: &str, f: Format) -> String {
    format!("{}/{}", f.esc(team), f.esc(objective))
}

/// `99.86 of target 99.9 % (start 99.5)`, `✓ done`, `✗ not done`. An arrow is kept for old → new.
fn progress(kr: &KeyResultReport, f: Format) -> String {
    let unit = kr
        .unit
        .as_deref()
        .map_or_else(String::new, |u| format!(" {}", f.esc(u)));
    match (kr.done, kr.current, kr.target, kr.start) {
        (Some(true), ..) => "✓ done".to_owned(),
        (Some(false), ..) => "✗ not done".to_owned(),
        (None, Some(current), Some(target), Some(start)) => {
            format!("{current} of target {target}{unit} (start {start})")
        }
        _ => "not measurable".to_owned(),
    }
}

/// `score 0.90 against today's target 99.9, 0.73 against the kickoff target 99.99`, when the target moved.
fn moved_target(kr: &KeyResultReport, f: Format) -> Option<String> {
    let kickoff = kr.kickoff_target?;
    let against = kr.score_against_kickoff?;
    let unit = kr
        .unit
        .as_deref()
        .map_or_else(String::new, |u| format!(" {}", f.esc(u)));
    let today = kr
        .target
        .map_or_else(|| "?".to_owned(), |t: Number| t.to_string());
    let score = kr.score.map_or_else(|| "no score".to_owned(), score_text);
    Some(format!(
        "score {score} against today's target {today}{unit}, {} against the kickoff target {kickoff}{unit}",
        score_text(against)
    ))
}

/// `1 added, 2 dropped, 1 target made easier, 5 other`: the pivots by kind, in a fixed order.
fn pivot_breakdown(page: &ReportPage) -> String {
    page.pivot_counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", pivot_words(*kind)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `search/instant-search KR p95-latency: target 300 → 200 (harder)`; a dropped objective with its title.
fn pivot_line(report: &Report, event: &Event, f: Format) -> String {
    let change = &event.change;
    let at = match &change.objective {
        Some(objective) => place(&change.team, objective, f),
        None => f.esc(&change.team),
    };
    let described = describe(change, f);
    let mut what = described.what;
    if change.kind == ChangeKind::ObjectiveDropped
        && let Some(d) = report
            .dropped
            .iter()
            .find(|d| d.team == change.team && Some(&d.objective) == change.objective.as_ref())
    {
        what = format!("{what} — {}", f.esc(&d.title));
    }
    // Notes are the only phrase that can span lines; a pivot list keeps one line per change.
    let what = what.replace('\n', " ");
    match described.subject {
        Some(subject) => format!("{at} {subject}: {what}"),
        None => format!("{at}: {what}"),
    }
}

/// The quarter's state in one line: `the quarter has ended`, or when it ends.
fn quarter_state(report: &Report) -> String {
    if report.today > report.end {
        "the quarter has ended".to_owned()
    } else if report.today < report.start {
        format!("the quarter starts {}", report.start)
    } else if report.ended {
        format!(
            "the quarter runs until {} (retrospective shown because of --retro)",
            report.end
        )
    } else {
        format!("the quarter runs until {}", report.end)
    }
}

fn retro_hint(report: &Report) -> String {
    format!("Retrospective: after {}, or run with --retro", report.end)
}

// ---------------------------------------------------------------------------------------------------------
// Human.

/// A score bar ten cells wide, in eighths: `████████▊░ 0.87`.
fn bar(score: f64) -> String {
    const PARTS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (score.clamp(0.0, 1.0) * 80.0).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut out = "█".repeat(full);
    if part > 0 {
        out.push(PARTS[part - 1]);
    }
    let used = full + usize::from(part > 0);
    out.push_str(&"░".repeat(10 - used));
    out
}

/// `0.87 green` padded to one width, coloured by band; `no score` when there is none.
fn human_score(score: Option<f64>, band: Option<Band>) -> String {
    match (score, band) {
        (Some(score), Some(band)) => {
            let text = format!("{} {}", score_text(score), band.as_str());
            let pad = " ".repeat(10usize.saturating_sub(text.chars().count()));
            format!("{}{pad}", paint(band_style(band), &text))
        }
        (Some(score), None) => format!("{:<10}", score_text(score)),
        _ => format!("{:<10}", "no score"),
    }
}

/// `████████▊░ 0.87 green`, the bar in the band's colour.
fn human_bar(score: Option<f64>, band: Option<Band>) -> String {
    match (score, band) {
        (Some(score), Some(band)) => format!(
            "{} {}",
            paint(band_style(band), &bar(score)),
            human_score(Some(score), Some(band))
        ),
        _ => format!("{} {}", paint(DIM, &bar(0.0)), human_score(score, band)),
    }
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{}", paint(BOLD, title));
}

/// `label first line` with the other lines aligned under the first.
fn write_hanging(out: &mut String, indent: &str, label: &str, text: &str) {
    let hang = " ".repeat(label.chars().count());
    for (n, line) in reason_lines(text).iter().enumerate() {
        let lead = if n == 0 { label } else { hang.as_str() };
        let _ = writeln!(out, "{indent}{lead}{line}");
    }
}

fn human_header(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "okr report: {}, {} to {}",
                report.quarter, report.start, report.end
            )
        )
    );
    let _ = writeln!(
        out,
        "commit {} of {}, as of {}: {}",
        paint(text::COMMIT, &terminal_safe(short_commit(&report.commit))),
        terminal_safe(day(&report.date)),
        report.today,
        paint(BOLD, &quarter_state(report))
    );
    let _ = writeln!(
        out,
        "kickoff {}: scores where a target moved since are shown against both targets",
        report.kickoff
    );
    let c = page.summary;
    let verb = if c.falls_short == 1 {
        "falls short"
    } else {
        "fall short"
    };
    let _ = writeln!(
        out,
        "\n{} judged: {} meet their expectation, {}",
        plural(c.judged, "objective", "objectives"),
        c.judged - c.falls_short,
        paint(WARN, &format!("{} {verb}", c.falls_short))
    );
    let mut glance = vec![format!("{} dropped", c.dropped)];
    if c.removed > 0 {
        glance.push(paint(
            WARN,
            &format!(
                "{} without being marked dropped",
                plural(c.removed, "objective removed", "objectives removed")
            ),
        ));
    }
    let mut pivots = plural(report.pivots.len(), "pivot", "pivots");
    if c.unexplained > 0 {
        let _ = write!(
            pivots,
            " ({})",
            paint(WARN, &format!("{} without a reason", c.unexplained))
        );
    }
    glance.push(pivots);
    if c.moved > 0 {
        glance.push(paint(
            PIVOT,
            &format!(
                "{} since kickoff",
                plural(c.moved, "target moved", "targets moved")
            ),
        ));
    }
    let _ = writeln!(out, "{}", glance.join(" · "));
}

fn human_scores(out: &mut String, report: &Report) {
    heading(out, "SCORES");
    if report.teams.is_empty() {
        let _ = writeln!(out, "\nno OKR files for {}", report.quarter);
    }
    for team in &report.teams {
        human_team(out, team);
    }
}

fn human_team(out: &mut String, team: &TeamReport) {
    let owner = team
        .owner
        .as_deref()
        .map_or_else(String::new, |o| format!("  owner {}", terminal_safe(o)));
    let _ = writeln!(
        out,
        "\n{}  {}{owner}",
        paint(BOLD, &terminal_safe(&team.team)),
        human_bar(team.score, team.band),
    );
    for objective in &team.objectives {
        human_objective(out, objective);
    }
}

fn human_objective(out: &mut String, o: &ObjectiveReport) {
    let f = Format::Human;
    let _ = writeln!(
        out,
        "  {} — {}",
        paint(BOLD, &terminal_safe(&o.id)),
        terminal_safe(&o.title)
    );
    let kind = format!("[{}]", kind_name(o.kind));
    if o.status == Status::Dropped {
        let when = o
            .dropped
            .as_ref()
            .and_then(|d| d.date)
            .map_or_else(String::new, |d| format!(" {d}"));
        let _ = writeln!(
            out,
            "    {}  {kind}  not judged, see DROPPED",
            paint(text::REMOVED, &format!("✗ dropped{when}")),
        );
        return;
    }
    let verdict = if o.falls_short {
        paint(WARN, FALLS_SHORT)
    } else {
        paint(text::ADDED, "met")
    };
    let done = if o.status == Status::Done {
        "  done"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "    {}  {kind}{done}  expected {}: {verdict}",
        human_bar(o.score, o.band),
        expected_text(o.expected),
    );
    if let (Some(score), Some(kickoff)) = (o.score, o.score_against_kickoff) {
        let (what, plan) = if o.removed_key_results.iter().any(|r| r.counted) {
            ("⚠ the plan changed since kickoff:", "plan")
        } else {
            ("⚠ a target moved since kickoff:", "targets")
        };
        let _ = writeln!(
            out,
            "    {} {} against today's {plan}, {} against the kickoff {plan}",
            paint(PIVOT, what),
            score_text(score),
            paint(BOLD, &score_text(kickoff))
        );
    }
    for kr in &o.key_results {
        let _ = writeln!(
            out,
            "      {} — {}",
            terminal_safe(&kr.id),
            terminal_safe(&kr.title)
        );
        let mut line = format!(
            "        {}  {}",
            human_score(kr.score, kr.band),
            progress(kr, f)
        );
        if kr.score_source == "explicit" {
            line.push_str("  (score set by hand)");
        }
        if let Some(confidence) = kr.confidence {
            let _ = write!(line, "  confidence {confidence}");
        }
        let _ = writeln!(out, "{line}");
        if let Some(moved) = moved_target(kr, f) {
            let _ = writeln!(
                out,
                "        {} {moved}",
                paint(PIVOT, "⚠ target moved since kickoff:")
            );
        }
    }
    for removed in &o.removed_key_results {
        let _ = writeln!(
            out,
            "      {} — {}",
            terminal_safe(&removed.id),
            terminal_safe(&removed.title)
        );
        let _ = writeln!(
            out,
            "        {} {}",
            paint(text::REMOVED, "✗ removed"),
            removed_text(removed, f)
        );
        match &removed.reason {
            Some(reason) => {
                for (n, line) in text::reason_lines(reason).iter().enumerate() {
                    let lead = if n == 0 { "why: " } else { "     " };
                    let _ = writeln!(out, "        {lead}{line}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "        {} still counted against the kickoff plan",
                    paint(WARN, "⚠ no reason given:")
                );
            }
        }
    }
}

/// `on 2026-08-20, last 0.4 (score 0.2)`.
fn removed_text(removed: &RemovedKeyResultReport, f: Format) -> String {
    let when = removed
        .date
        .map_or_else(String::new, |d| format!("on {d}, "));
    let score = removed
        .score
        .map_or_else(String::new, |s| format!(" (score {})", score_text(s)));
    format!("{when}last {}{score}", f.value(&removed.last_value))
}

fn human_falls_short(out: &mut String, page: &ReportPage) {
    let short: Vec<&ObjectiveReport> = page.falling_short().collect();
    let title = if short.is_empty() {
        "FALLS SHORT OF EXPECTATION: none".to_owned()
    } else {
        format!("FALLS SHORT OF EXPECTATION: {}", short.len())
    };
    heading(out, &title);
    if short.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "committed objectives are expected to reach 1.0, aspirational ones 0.7; lowest score first"
    );
    for kind in [ObjectiveType::Committed, ObjectiveType::Aspirational] {
        let of_kind: Vec<&&ObjectiveReport> = short.iter().filter(|o| o.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n  {} (expected {})",
            kind_name(kind),
            expected_text(crate::core::report::expected(kind))
        );
        for o in of_kind {
            let kickoff = o.score_against_kickoff.map_or_else(String::new, |k| {
                format!(
                    "  {} {} against the kickoff targets",
                    paint(PIVOT, "⚠"),
                    paint(BOLD, &score_text(k))
                )
            });
            let _ = writeln!(
                out,
                "    {}  {} — {}{kickoff}",
                human_score(o.score, o.band),
                place(&o.team, &o.id, Format::Human),
                terminal_safe(&o.title)
            );
        }
    }
}

fn human_node_label(node: &AlignmentNode) -> String {
    let score = match node.status {
        Status::Dropped => format!("{}   ", paint(DIM, "dropped")),
        _ => human_score(node.score, node.score.map(Band::of)),
    };
    let done = if node.status == Status::Done {
        " (done)"
    } else {
        ""
    };
    format!(
        "{score}  {} — {}{done}",
        place(&node.team, &node.objective, Format::Human),
        terminal_safe(&node.title)
    )
}

fn human_tree(out: &mut String, nodes: &[AlignmentNode], prefix: &str) {
    for (i, node) in nodes.iter().enumerate() {
        let last = i + 1 == nodes.len();
        let (branch, more) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        let _ = writeln!(out, "{prefix}{branch}{}", human_node_label(node));
        human_tree(out, &node.children, &format!("{prefix}{more}"));
    }
}

fn human_alignment(out: &mut String, report: &Report) {
    let f = Format::Human;
    let alignment = &report.alignment;
    heading(out, "ALIGNMENT");
    for root in &alignment.roots {
        let _ = writeln!(out, "\n  {}", human_node_label(root));
        human_tree(out, &root.children, "  ");
    }
    let list_heading = |out: &mut String, title: &str, n: usize| {
        let text = if n == 0 {
            format!("{title}: none")
        } else {
            format!("{title}: {n}")
        };
        let style = if n == 0 { BOLD } else { WARN };
        let _ = writeln!(out, "\n{}", paint(style, &text));
    };
    list_heading(out, "Aligned to nothing", alignment.unaligned.len());
    for o in &alignment.unaligned {
        let _ = writeln!(
            out,
            "  {} — {}",
            place(&o.team, &o.objective, f),
            terminal_safe(&o.title)
        );
    }
    list_heading(
        out,
        "Still aligned to a dropped objective",
        alignment.aligned_to_dropped.len(),
    );
    for a in &alignment.aligned_to_dropped {
        let _ = writeln!(
            out,
            "  {} — {}  aligns to {}, which was dropped",
            place(&a.objective.team, &a.objective.objective, f),
            terminal_safe(&a.objective.title),
            terminal_safe(&a.parent)
        );
    }
    list_heading(out, "Unresolved aligns_to", alignment.unresolved.len());
    for u in &alignment.unresolved {
        let _ = writeln!(
            out,
            "  {} — {}  aligns to {}, which names no objective of {}",
            place(&u.objective.team, &u.objective.objective, f),
            terminal_safe(&u.objective.title),
            terminal_safe(&u.aligns_to),
            report.quarter
        );
    }
}

/// A dropped objective: `2026-08-12  platform/multi-region — title`, then why (or the flag).
fn human_dropped_entry(out: &mut String, d: &DroppedObjective, indent: &str) {
    let date = d
        .date
        .map_or_else(|| "no date   ".to_owned(), |d| d.to_string());
    let _ = writeln!(
        out,
        "{indent}{date}  {} — {}",
        paint(text::REMOVED, &place(&d.team, &d.objective, Format::Human)),
        terminal_safe(&d.title)
    );
    let hang = format!("{indent}{}", " ".repeat(12));
    match &d.reason {
        Some(reason) if !reason.trim().is_empty() => write_hanging(out, &hang, "why: ", reason),
        _ => {
            let _ = writeln!(out, "{hang}{}", paint(WARN, NO_REASON));
        }
    }
}

fn human_dropped(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let title = if report.dropped.is_empty() {
        "DROPPED: none".to_owned()
    } else {
        format!("DROPPED: {}", report.dropped.len())
    };
    heading(out, &title);
    for d in &report.dropped {
        human_dropped_entry(out, d, "  ");
    }
    let removed: Vec<&Event> = page.removals().collect();
    if removed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            WARN,
            &format!("REMOVED WITHOUT BEING MARKED DROPPED: {}", removed.len())
        )
    );
    let _ = writeln!(
        out,
        "deleted from the files after kickoff instead of `status: dropped` with a reason"
    );
    for event in removed {
        let change = &event.change;
        let _ = writeln!(
            out,
            "  {}  {} — {}",
            day(&event.date),
            paint(
                text::REMOVED,
                &place(
                    &change.team,
                    change.objective.as_deref().unwrap_or_default(),
                    Format::Human
                )
            ),
            Format::Human.value(&change.from)
        );
        let hang = " ".repeat(14);
        match &event.reason {
            Some(reason) if Reasoning::of(event) == Reasoning::Given => {
                write_hanging(out, &hang, "why: ", reason)
            }
            _ if Reasoning::of(event) == Reasoning::Missing => {
                let _ = writeln!(out, "{hang}{}", paint(WARN, NO_REASON));
            }
            _ => {}
        }
    }
}

fn human_pivots(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let f = Format::Human;
    if report.pivots.is_empty() {
        heading(out, "PIVOTS AFTER KICKOFF: none");
        return;
    }
    heading(
        out,
        &format!("PIVOTS AFTER KICKOFF: {}", report.pivots.len()),
    );
    let _ = writeln!(out, "{}", pivot_breakdown(page));
    for event in &report.pivots {
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            day(&event.date),
            pivot_line(report, event, f),
            paint(
                DIM,
                &format!(
                    "({}, {})",
                    terminal_safe(&event.author),
                    terminal_safe(short_commit(&event.commit))
                )
            )
        );
        let hang = " ".repeat(14);
        match &event.reason {
            Some(reason) if Reasoning::of(event) == Reasoning::Given => {
                write_hanging(out, &hang, "why: ", reason)
            }
            _ if Reasoning::of(event) == Reasoning::Missing => {
                let _ = writeln!(out, "{hang}{}", paint(WARN, NO_REASON));
            }
            _ => {}
        }
    }
}

/// The score of an outcome's objective against the kickoff targets, when a target moved.
fn kickoff_score(report: &Report, o: &Outcome) -> Option<f64> {
    report
        .teams
        .iter()
        .flat_map(|t| &t.objectives)
        .find(|x| x.team == o.team && x.id == o.objective)
        .and_then(|x| x.score_against_kickoff)
}

fn human_outcomes(out: &mut String, report: &Report, outcomes: &[Outcome]) {
    for o in outcomes {
        let kickoff = kickoff_score(report, o).map_or_else(String::new, |k| {
            format!(
                "  {} {} against the kickoff targets",
                paint(PIVOT, "⚠"),
                paint(BOLD, &score_text(k))
            )
        });
        let _ = writeln!(
            out,
            "  {}  {} — {}  ({}, expected {}){kickoff}",
            human_score(o.score, o.score.map(Band::of)),
            place(&o.team, &o.objective, Format::Human),
            terminal_safe(&o.title),
            kind_name(o.kind),
            expected_text(o.expected)
        );
    }
}

fn human_retrospective(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let Some(retro) = &report.retrospective else {
        heading(out, &retro_hint(report));
        return;
    };
    heading(out, "RETROSPECTIVE");
    let judged = retro.met.len() + retro.missed.len();
    let _ = writeln!(
        out,
        "\n{}",
        paint(BOLD, &format!("Met: {} of {judged}", retro.met.len()))
    );
    human_outcomes(out, report, &retro.met);
    let _ = writeln!(
        out,
        "\n{}",
        paint(BOLD, &format!("Missed: {} of {judged}", retro.missed.len()))
    );
    human_outcomes(out, report, &retro.missed);
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            BOLD,
            &if retro.dropped.is_empty() {
                "Dropped: none".to_owned()
            } else {
                format!("Dropped: {}", retro.dropped.len())
            }
        )
    );
    for d in &retro.dropped {
        human_dropped_entry(out, d, "  ");
    }
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            BOLD,
            &if retro.learnings.is_empty() {
                "Learnings: none written down (the notes of objectives and key results)".to_owned()
            } else {
                format!("Learnings: {}", retro.learnings.len())
            }
        )
    );
    for group in &page.learning_groups {
        let group: Vec<&Learning> = group.iter().map(|&i| &retro.learnings[i]).collect();
        let _ = writeln!(
            out,
            "  {}",
            place(&group[0].team, &group[0].objective, Format::Human)
        );
        for l in group {
            let label = match &l.key_result {
                Some(kr) => format!("KR {}: ", terminal_safe(kr)),
                None => String::new(),
            };
            write_hanging(out, "    ", &label, &l.text);
        }
    }
    let pivots = if retro.pivots == 0 {
        "Pivots: none, the plan held after kickoff".to_owned()
    } else {
        format!(
            "Pivots: {} after kickoff, listed under PIVOTS AFTER KICKOFF above",
            plural(retro.pivots, "change of plan", "changes of plan")
        )
    };
    let _ = writeln!(out, "\n{}", paint(BOLD, &pivots));
    let _ = writeln!(out, "\n{}", paint(BOLD, &closing_line(page, retro)));
}

/// `In all: 2 met, 10 missed, 2 dropped, 11 pivots, 10 learnings.`
fn closing_line(page: &ReportPage, retro: &Retrospective) -> String {
    let c = page.summary;
    let unexplained = c.unexplained;
    let mut line = format!(
        "In all: {} met, {} missed, {} dropped",
        retro.met.len(),
        retro.missed.len(),
        retro.dropped.len(),
    );
    if c.removed > 0 {
        let _ = write!(line, ", {} removed without being dropped", c.removed);
    }
    let _ = write!(
        line,
        ", {}, {}",
        plural(retro.pivots, "pivot", "pivots"),
        plural(retro.learnings.len(), "learning", "learnings")
    );
    if unexplained > 0 {
        let _ = write!(
            line,
            " ({} without a reason)",
            plural(unexplained, "pivot", "pivots")
        );
    }
    line.push('.');
    line
}

// ---------------------------------------------------------------------------------------------------------
// Markdown.

/// `0.87 green`, or `no score`.
fn md_score(score: Option<f64>, band: Option<Band>) -> String {
    match (score, band) {
        (Some(s), Some(b)) => format!("{} {}", score_text(s), b.as_str()),
        (Some(s), None) => score_text(s),
        _ => "no score".to_owned(),
    }
}

fn markdown_header(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let _ = writeln!(out, "# OKR report: {}\n", report.quarter);
    let _ = writeln!(
        out,
        "{} to {} · kickoff {} · commit {} of {} · as of {}: **{}**\n",
        report.start,
        report.end,
        report.kickoff,
        markdown_escape(short_commit(&report.commit)),
        markdown_escape(day(&report.date)),
        report.today,
        quarter_state(report)
    );
    let c = page.summary;
    let verb = if c.falls_short == 1 {
        "falls short"
    } else {
        "fall short"
    };
    let mut glance = format!(
        "**At a glance:** {} judged: {} meet their expectation, **{} {verb}** · {} dropped",
        plural(c.judged, "objective", "objectives"),
        c.judged - c.falls_short,
        c.falls_short,
        c.dropped,
    );
    if c.removed > 0 {
        let _ = write!(
            glance,
            " · **⚠ {} without being marked dropped**",
            plural(c.removed, "objective removed", "objectives removed")
        );
    }
    let _ = write!(
        glance,
        " · {}",
        plural(report.pivots.len(), "pivot", "pivots")
    );
    if c.unexplained > 0 {
        let _ = write!(glance, " (**{} without a reason**)", c.unexplained);
    }
    if c.moved > 0 {
        let _ = write!(
            glance,
            " · **⚠ {} since kickoff**",
            plural(c.moved, "target moved", "targets moved")
        );
    }
    let _ = writeln!(out, "{glance}\n");
}

fn markdown_scores(out: &mut String, report: &Report) {
    out.push_str("## Scores\n\n");
    if report.teams.is_empty() {
        let _ = writeln!(out, "No OKR files for {}.\n", report.quarter);
    }
    for team in &report.teams {
        markdown_team(out, team);
    }
}

fn markdown_team(out: &mut String, team: &TeamReport) {
    let f = Format::Markdown;
    let _ = writeln!(
        out,
        "### {} — {}\n",
        markdown_escape(&team.team),
        md_score(team.score, team.band)
    );
    if let Some(owner) = &team.owner {
        let _ = writeln!(out, "Owner: {}\n", markdown_escape(owner));
    }
    if team.objectives.is_empty() {
        return;
    }
    out.push_str("| Objective | Type | Score | Band | Expected | Status |\n");
    out.push_str("|---|---|--:|---|--:|---|\n");
    for o in &team.objectives {
        let (score, band, status) = if o.status == Status::Dropped {
            let when = o
                .dropped
                .as_ref()
                .and_then(|d| d.date)
                .map_or_else(String::new, |d| format!(" {d}"));
            (
                "—".to_owned(),
                "—".to_owned(),
                format!("dropped{when} (not judged)"),
            )
        } else {
            let mut score = o.score.map_or_else(|| "no score".to_owned(), score_text);
            if let Some(k) = o.score_against_kickoff {
                let _ = write!(score, " (⚠ {} against kickoff targets)", score_text(k));
            }
            let mut status = if o.falls_short {
                format!("**{FALLS_SHORT}**")
            } else {
                "met".to_owned()
            };
            if o.status == Status::Done {
                status = format!("done, {status}");
            }
            (score, o.band.map_or("—", Band::as_str).to_owned(), status)
        };
        let _ = writeln!(
            out,
            "| {} — {} | {} | {score} | {band} | {} | {status} |",
            f.esc(&o.id),
            f.esc(&o.title),
            kind_name(o.kind),
            expected_text(o.expected)
        );
    }
    out.push('\n');
    for o in &team.objectives {
        if o.status == Status::Dropped || o.key_results.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{}** — {}\n", f.esc(&o.id), f.esc(&o.title));
        out.push_str("| Key result | Progress | Score | Band | Confidence |\n");
        out.push_str("|---|---|--:|---|--:|\n");
        let mut moved = Vec::new();
        for kr in &o.key_results {
            let mut score = kr.score.map_or_else(|| "no score".to_owned(), score_text);
            if kr.score_source == "explicit" {
                score.push_str(" (set by hand)");
            }
            if let Some(k) = kr.score_against_kickoff {
                let _ = write!(score, " (⚠ {} against the kickoff target)", score_text(k));
            }
            if let Some(text) = moved_target(kr, f) {
                moved.push(format!("KR {}: {text}", f.esc(&kr.id)));
            }
            let _ = writeln!(
                out,
                "| {} — {} | {} | {score} | {} | {} |",
                f.esc(&kr.id),
                f.esc(&kr.title),
                progress(kr, f),
                kr.band.map_or("—", Band::as_str),
                kr.confidence
                    .map_or_else(|| "—".to_owned(), |c| c.to_string())
            );
        }
        out.push('\n');
        for removed in &o.removed_key_results {
            let why = match &removed.reason {
                Some(reason) => format!("Why: {}", f.esc(reason.trim_end())),
                None => "**No reason given**: still counted against the kickoff plan".to_owned(),
            };
            let _ = writeln!(
                out,
                "> **⚠ Key result removed after kickoff.** KR {} — {}: {}. {why}.\n",
                f.esc(&removed.id),
                f.esc(&removed.title),
                removed_text(removed, f)
            );
        }
        for text in moved {
            let _ = writeln!(out, "> **⚠ Target moved since kickoff.** {text}.\n");
        }
    }
}

fn markdown_falls_short(out: &mut String, page: &ReportPage) {
    let f = Format::Markdown;
    let short: Vec<&ObjectiveReport> = page.falling_short().collect();
    out.push_str("## Falls short of expectation\n\n");
    if short.is_empty() {
        out.push_str("None: every objective reached what its type is expected to reach.\n\n");
        return;
    }
    out.push_str(
        "Committed objectives are expected to reach 1.0, aspirational ones 0.7; lowest score first.\n\n",
    );
    for kind in [ObjectiveType::Committed, ObjectiveType::Aspirational] {
        let of_kind: Vec<&&ObjectiveReport> = short.iter().filter(|o| o.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "**{}** (expected {}):\n",
            kind_name(kind),
            expected_text(crate::core::report::expected(kind))
        );
        for o in of_kind {
            let kickoff = o.score_against_kickoff.map_or_else(String::new, |k| {
                format!(" (⚠ **{}** against the kickoff targets)", score_text(k))
            });
            let _ = writeln!(
                out,
                "- {} — **{}** — {}{kickoff}",
                md_score(o.score, o.band),
                place(&o.team, &o.id, f),
                f.esc(&o.title),
            );
        }
        out.push('\n');
    }
}

fn markdown_node(out: &mut String, node: &AlignmentNode, depth: usize) {
    let f = Format::Markdown;
    let score = match node.status {
        Status::Dropped => "*dropped*".to_owned(),
        Status::Done => format!("{} · done", md_score(node.score, node.score.map(Band::of))),
        Status::Active => md_score(node.score, node.score.map(Band::of)),
    };
    let at = place(&node.team, &node.objective, f);
    let at = if depth == 0 { format!("**{at}**") } else { at };
    let _ = writeln!(
        out,
        "{}- {at} — {} · {score}",
        "  ".repeat(depth),
        f.esc(&node.title)
    );
    for child in &node.children {
        markdown_node(out, child, depth + 1);
    }
}

fn markdown_alignment(out: &mut String, report: &Report) {
    let f = Format::Markdown;
    let alignment = &report.alignment;
    out.push_str("## Alignment\n\n");
    for root in &alignment.roots {
        markdown_node(out, root, 0);
    }
    if !alignment.roots.is_empty() {
        out.push('\n');
    }
    let lists: [(&str, Vec<String>); 3] = [
        (
            "Aligned to nothing",
            alignment
                .unaligned
                .iter()
                .map(|o| format!("{} — {}", place(&o.team, &o.objective, f), f.esc(&o.title)))
                .collect(),
        ),
        (
            "Still aligned to a dropped objective",
            alignment
                .aligned_to_dropped
                .iter()
                .map(|a| {
                    format!(
                        "{} — {}: aligns to {}, which was dropped",
                        place(&a.objective.team, &a.objective.objective, f),
                        f.esc(&a.objective.title),
                        f.esc(&a.parent)
                    )
                })
                .collect(),
        ),
        (
            "Unresolved aligns\\_to",
            alignment
                .unresolved
                .iter()
                .map(|u| {
                    format!(
                        "{} — {}: aligns to {}, which names no objective of {}",
                        place(&u.objective.team, &u.objective.objective, f),
                        f.esc(&u.objective.title),
                        f.esc(&u.aligns_to),
                        report.quarter
                    )
                })
                .collect(),
        ),
    ];
    for (title, items) in lists {
        if items.is_empty() {
            let _ = writeln!(out, "**{title}:** none.\n");
            continue;
        }
        let _ = writeln!(out, "**{title}:** {}\n", items.len());
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
}

/// A change's reason; the words that say it is missing only where the policy asks for one.
fn event_reason(event: &Event) -> String {
    if Reasoning::of(event) == Reasoning::Given || Reasoning::of(event) == Reasoning::Missing {
        md_reason(event.reason.as_deref())
    } else {
        "—".to_owned()
    }
}

fn md_reason(reason: Option<&str>) -> String {
    match reason {
        Some(r) if !r.trim().is_empty() => markdown_escape(r.trim_end()),
        _ => format!("**{NO_REASON}**"),
    }
}

fn markdown_dropped_table(out: &mut String, dropped: &[DroppedObjective]) {
    let f = Format::Markdown;
    out.push_str("| Objective | Dropped on | Why |\n|---|---|---|\n");
    for d in dropped {
        let _ = writeln!(
            out,
            "| {} — {} | {} | {} |",
            place(&d.team, &d.objective, f),
            f.esc(&d.title),
            d.date.map_or_else(|| "—".to_owned(), |d| d.to_string()),
            md_reason(d.reason.as_deref())
        );
    }
    out.push('\n');
}

fn markdown_dropped(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    out.push_str("## Dropped\n\n");
    if report.dropped.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    markdown_dropped_table(out, &report.dropped);
    let removed: Vec<&Event> = page.removals().collect();
    if removed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "**⚠ Removed without being marked dropped:** {} — deleted from the files after kickoff instead of \
         `status: dropped` with a reason.\n",
        removed.len()
    );
    out.push_str("| Objective | Removed on | Why |\n|---|---|---|\n");
    for event in removed {
        let change = &event.change;
        let _ = writeln!(
            out,
            "| {} — {} | {} | {} |",
            place(
                &change.team,
                change.objective.as_deref().unwrap_or_default(),
                Format::Markdown
            ),
            Format::Markdown.value(&change.from),
            markdown_escape(day(&event.date)),
            event_reason(event)
        );
    }
    out.push('\n');
}

fn markdown_pivots(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let f = Format::Markdown;
    out.push_str("## Pivots after kickoff\n\n");
    if report.pivots.is_empty() {
        out.push_str("None: the plan held after kickoff.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "{}: {}.\n",
        plural(report.pivots.len(), "pivot", "pivots"),
        pivot_breakdown(page)
    );
    out.push_str("| Date | What | Why | By |\n|---|---|---|---|\n");
    for event in &report.pivots {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}, {} |",
            markdown_escape(day(&event.date)),
            pivot_line(report, event, f),
            event_reason(event),
            markdown_escape(&event.author),
            markdown_escape(short_commit(&event.commit))
        );
    }
    out.push('\n');
}

fn markdown_outcomes(out: &mut String, report: &Report, outcomes: &[Outcome]) {
    let f = Format::Markdown;
    if outcomes.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str("| Objective | Type | Score | Expected |\n|---|---|--:|--:|\n");
    for o in outcomes {
        let _ = writeln!(
            out,
            "| {} — {} | {} | {}{} | {} |",
            place(&o.team, &o.objective, f),
            f.esc(&o.title),
            kind_name(o.kind),
            md_score(o.score, o.score.map(Band::of)),
            kickoff_score(report, o).map_or_else(String::new, |k| format!(
                " (⚠ {} against the kickoff targets)",
                score_text(k)
            )),
            expected_text(o.expected)
        );
    }
    out.push('\n');
}

fn markdown_retrospective(out: &mut String, page: &ReportPage) {
    let report = &page.report;
    let f = Format::Markdown;
    let Some(retro) = &report.retrospective else {
        let _ = writeln!(out, "## Retrospective\n\n{}.\n", retro_hint(report));
        return;
    };
    out.push_str("## Retrospective\n\n");
    let judged = retro.met.len() + retro.missed.len();
    let _ = writeln!(out, "### Met: {} of {judged}\n", retro.met.len());
    markdown_outcomes(out, report, &retro.met);
    let _ = writeln!(out, "### Missed: {} of {judged}\n", retro.missed.len());
    markdown_outcomes(out, report, &retro.missed);
    let _ = writeln!(out, "### Dropped: {}\n", retro.dropped.len());
    if retro.dropped.is_empty() {
        out.push_str("None.\n\n");
    } else {
        markdown_dropped_table(out, &retro.dropped);
    }
    let _ = writeln!(out, "### Learnings: {}\n", retro.learnings.len());
    if retro.learnings.is_empty() {
        out.push_str("None written down (the notes of objectives and key results).\n\n");
    }
    for group in &page.learning_groups {
        let group: Vec<&Learning> = group.iter().map(|&i| &retro.learnings[i]).collect();
        let _ = writeln!(
            out,
            "- **{}**",
            place(&group[0].team, &group[0].objective, f)
        );
        for l in group {
            let label = match &l.key_result {
                Some(kr) => format!("KR {}: ", f.esc(kr)),
                None => String::new(),
            };
            let _ = writeln!(out, "  - {label}{}", markdown_escape(l.text.trim_end()));
        }
    }
    if !retro.learnings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "### Pivots: {}\n", retro.pivots);
    if retro.pivots > 0 {
        let _ = writeln!(
            out,
            "{} after kickoff, listed under [Pivots after kickoff](#pivots-after-kickoff).\n",
            plural(retro.pivots, "change of plan", "changes of plan")
        );
    } else {
        out.push_str("The plan held after kickoff.\n\n");
    }
    let _ = writeln!(out, "**{}**\n", closing_line(page, retro));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{Change, Value};
    use crate::core::history::Warning;
    use crate::core::reason::ReasonSource;
    use crate::core::report::{
        AlignedToDropped, AlignmentTree, DroppedInfo, ObjectiveRef, Unresolved,
    };

    fn metric(id: &str, (start, target, current): (f64, f64, f64), score: f64) -> KeyResultReport {
        KeyResultReport {
            id: id.to_owned(),
            title: format!("Title of {id}"),
            measure: "metric",
            start: Some(Number(start)),
            target: Some(Number(target)),
            current: Some(Number(current)),
            done: None,
            unit: Some("%".to_owned()),
            confidence: Some(Number(0.7)),
            score: Some(score),
            score_source: "computed",
            band: Some(Band::of(score)),
            kickoff_target: None,
            score_against_kickoff: None,
            notes: None,
            owner: None,
        }
    }

    fn milestone(id: &str, done: bool) -> KeyResultReport {
        KeyResultReport {
            measure: "milestone",
            start: None,
            target: None,
            current: None,
            done: Some(done),
            unit: None,
            confidence: None,
            score: Some(if done { 1.0 } else { 0.0 }),
            band: Some(if done { Band::Green } else { Band::Red }),
            ..metric(id, (0.0, 1.0, 0.0), 0.0)
        }
    }

    fn objective(
        team: &str,
        id: &str,
        kind: ObjectiveType,
        score: f64,
        key_results: Vec<KeyResultReport>,
    ) -> ObjectiveReport {
        let expected = crate::core::report::expected(kind);
        ObjectiveReport {
            team: team.to_owned(),
            id: id.to_owned(),
            title: format!("Title of {id}"),
            kind,
            status: Status::Active,
            owner: None,
            aligns_to: None,
            score: Some(score),
            score_against_kickoff: None,
            band: Some(Band::of(score)),
            expected,
            falls_short: score < expected,
            dropped: None,
            notes: None,
            key_results,
            removed_key_results: Vec::new(),
        }
    }

    fn node(team: &str, id: &str, score: f64, children: Vec<AlignmentNode>) -> AlignmentNode {
        AlignmentNode {
            team: team.to_owned(),
            objective: id.to_owned(),
            title: format!("Title of {id}"),
            status: Status::Active,
            score: Some(score),
            children,
        }
    }

    fn reference(team: &str, id: &str) -> ObjectiveRef {
        ObjectiveRef {
            team: team.to_owned(),
            objective: id.to_owned(),
            title: format!("Title of {id}"),
        }
    }

    fn event(kind: ChangeKind, team: &str, objective: &str, reason: Option<&str>) -> Event {
        Event {
            change: Change {
                kind,
                path: format!("okrs/2026-Q3/{team}.yaml"),
                quarter: Some("2026-Q3".to_owned()),
                team: team.to_owned(),
                objective: Some(objective.to_owned()),
                key_result: None,
                from: Value::None,
                to: Value::None,
                direction: None,
                words: None,
                previous_id: None,
                yaml_reason: None,
                pos: crate::core::diagnostic::Pos::START,
                context: crate::core::change::Context::Edit,
            },
            commit: "ab".repeat(20),
            date: "2026-08-14T10:00:00+02:00".to_owned(),
            landed: "2026-08-14T10:00:00+02:00".to_owned(),
            author: "Priya Raman".to_owned(),
            message: "A change of plan".to_owned(),
            mid_quarter: true,
            planned_late: false,
            requires_reason: true,
            reason: reason.map(str::to_owned),
            reason_source: reason.map(|_| ReasonSource::Trailer),
        }
    }

    /// A small quarter with one of everything: a target lowered after kickoff, objectives that fall short and
    /// one that meets its expectation, a dropped objective, a nested alignment tree with every kind of loose
    /// end, pivots with and without a reason, and the retrospective.
    fn quarter() -> Report {
        let mut availability = metric("api-availability", (99.5, 99.9, 99.86), 0.9);
        availability.kickoff_target = Some(Number(99.99));
        availability.score_against_kickoff = Some(0.73);
        availability.notes = Some("Lowered after the incident review.".to_owned());
        let mut trust = objective(
            "company",
            "customer-trust",
            ObjectiveType::Committed,
            0.45,
            vec![availability, milestone("soc2", false)],
        );
        trust.score_against_kickoff = Some(0.37);
        trust.notes = Some("Renewals depend on it.\nSecond line.".to_owned());
        let mut deploys = objective(
            "platform",
            "boring-deploys",
            ObjectiveType::Aspirational,
            0.8,
            vec![metric("deploy-frequency", (4.0, 20.0, 16.8), 0.8)],
        );
        deploys.aligns_to = Some("company/customer-trust".to_owned());
        let mut canary = objective(
            "platform",
            "canary",
            ObjectiveType::Aspirational,
            0.5,
            vec![metric("canary-share", (0.0, 100.0, 50.0), 0.5)],
        );
        canary.aligns_to = Some("platform/boring-deploys".to_owned());
        let mut region = objective(
            "platform",
            "multi-region",
            ObjectiveType::Aspirational,
            0.1,
            vec![metric("second-region", (0.0, 50.0, 5.0), 0.1)],
        );
        region.status = Status::Dropped;
        region.falls_short = false;
        region.dropped = Some(DroppedInfo {
            date: Some(jiff::civil::date(2026, 8, 12)),
            reason: Some("Recovery time hurts more than a second region.".to_owned()),
        });
        let dropped = vec![DroppedObjective {
            team: "platform".to_owned(),
            objective: "multi-region".to_owned(),
            title: "Title of multi-region".to_owned(),
            date: Some(jiff::civil::date(2026, 8, 12)),
            reason: Some("Recovery time hurts more than a second region.".to_owned()),
        }];
        let mut easier = event(
            ChangeKind::KrTargetChanged,
            "company",
            "customer-trust",
            Some("Multi-region is not coming this quarter."),
        );
        easier.change.key_result = Some("api-availability".to_owned());
        easier.change.from = Value::Number(Number(99.99));
        easier.change.to = Value::Number(Number(99.9));
        easier.change.direction = Some(crate::core::change::Direction::Easier);
        let mut removed = event(ChangeKind::ObjectiveRemoved, "search", "insights", None);
        removed.change.from = Value::Text("Admins see searches".to_owned());
        let pivots = vec![
            easier,
            event(
                ChangeKind::ObjectiveDropped,
                "platform",
                "multi-region",
                Some("Recovery time hurts more than a second region."),
            ),
            removed,
        ];
        let outcome = |o: &ObjectiveReport| Outcome {
            team: o.team.clone(),
            objective: o.id.clone(),
            title: o.title.clone(),
            kind: o.kind,
            score: o.score,
            expected: o.expected,
        };
        let retrospective = Retrospective {
            met: vec![outcome(&deploys)],
            missed: vec![outcome(&trust), outcome(&canary)],
            dropped: dropped.clone(),
            learnings: vec![
                Learning {
                    team: "company".to_owned(),
                    objective: "customer-trust".to_owned(),
                    key_result: None,
                    text: "Renewals depend on it.\nSecond line.".to_owned(),
                },
                Learning {
                    team: "company".to_owned(),
                    objective: "customer-trust".to_owned(),
                    key_result: Some("api-availability".to_owned()),
                    text: "Lowered after the incident review.".to_owned(),
                },
            ],
            pivots: pivots.len(),
        };
        let alignment = AlignmentTree {
            roots: vec![node(
                "company",
                "customer-trust",
                0.45,
                vec![
                    node(
                        "platform",
                        "boring-deploys",
                        0.8,
                        vec![node("platform", "canary", 0.5, Vec::new())],
                    ),
                    AlignmentNode {
                        status: Status::Dropped,
                        ..node("platform", "multi-region", 0.1, Vec::new())
                    },
                ],
            )],
            unaligned: vec![reference("search", "lonely")],
            aligned_to_dropped: vec![AlignedToDropped {
                objective: reference("platform", "failover-docs"),
                parent: "platform/multi-region".to_owned(),
            }],
            unresolved: vec![Unresolved {
                objective: reference("search", "ghost"),
                aligns_to: "company/nope".to_owned(),
            }],
        };
        Report {
            quarter: "2026-Q3".parse().unwrap(),
            start: jiff::civil::date(2026, 7, 1),
            end: jiff::civil::date(2026, 9, 30),
            kickoff: jiff::civil::date(2026, 7, 15),
            today: jiff::civil::date(2026, 10, 5),
            ended: true,
            commit: "b50fab429432a6fd3d73fdf174a6806030ba8965".to_owned(),
            date: "2026-09-30T15:00:00+02:00".to_owned(),
            teams: vec![
                TeamReport {
                    team: "company".to_owned(),
                    path: "okrs/2026-Q3/company.yaml".to_owned(),
                    owner: Some("Priya Raman".to_owned()),
                    score: Some(0.45),
                    band: Some(Band::Amber),
                    objectives: vec![trust],
                },
                TeamReport {
                    team: "platform".to_owned(),
                    path: "okrs/2026-Q3/platform.yaml".to_owned(),
                    owner: None,
                    score: Some(0.65),
                    band: Some(Band::Green),
                    objectives: vec![deploys, canary, region],
                },
            ],
            alignment,
            dropped,
            pivots,
            retrospective: Some(retrospective),
            timeline: Vec::new(),
            trajectories: Vec::new(),
            warnings: vec![Warning {
                commit: "55175ba92cb3ed8364b75ba2f8b6a0039284853d".to_owned(),
                path: "okrs/2026-Q3/search.yaml".to_owned(),
                message: "skipped an unreadable revision".to_owned(),
            }],
        }
    }

    fn assert_contains(out: &str, needle: &str) {
        assert!(out.contains(needle), "{needle:?} in\n{out}");
    }

    /// `needles` appear in `out` in this order.
    fn assert_in_order(out: &str, needles: &[&str]) {
        let mut at = 0;
        for needle in needles {
            match out[at..].find(needle) {
                Some(i) => at += i + needle.len(),
                None => panic!("{needle:?} after byte {at} in\n{out}"),
            }
        }
    }

    #[test]
    fn scores_have_two_decimals_and_no_negative_zero() {
        assert_eq!(score_text(0.9), "0.90");
        assert_eq!(score_text(-0.0), "0.00");
        assert_eq!(score_text(-0.001), "0.00");
        assert_eq!(score_text(0.555), "0.56");
    }

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(0.0), "░░░░░░░░░░");
        assert_eq!(bar(1.0), "██████████");
        assert_eq!(bar(0.5), "█████░░░░░");
        assert_eq!(bar(0.87), "████████▊░");
        assert_eq!(bar(0.55), "█████▌░░░░");
        assert_eq!(bar(1.7), "██████████", "clamped");
    }

    #[test]
    fn sections_come_in_review_order() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_in_order(
            &out,
            &[
                "okr report: 2026-Q3, 2026-07-01 to 2026-09-30\n",
                "commit b50fab4 of 2026-09-30, as of 2026-10-05: the quarter has ended\n",
                "\nSCORES\n",
                "\nFALLS SHORT OF EXPECTATION: 2\n",
                "\nALIGNMENT\n",
                "\nDROPPED: 1\n",
                "\nREMOVED WITHOUT BEING MARKED DROPPED: 1\n",
                "\nPIVOTS AFTER KICKOFF: 3\n",
                "\nRETROSPECTIVE\n",
                "\nwarning: commit 55175ba okrs/2026-Q3/search.yaml: skipped an unreadable revision\n",
            ],
        );
        assert!(out.ends_with("skipped an unreadable revision\n"));
        let md = markdown(&ReportPage::new(quarter()));
        assert_in_order(
            &md,
            &[
                "# OKR report: 2026-Q3\n",
                "commit b50fab4 of 2026-09-30 · as of 2026-10-05: **the quarter has ended**",
                "\n## Scores\n",
                "\n### company — 0.45 amber\n",
                "\n### platform — 0.65 green\n",
                "\n## Falls short of expectation\n",
                "\n## Alignment\n",
                "\n## Dropped\n",
                "\n## Pivots after kickoff\n",
                "\n## Retrospective\n",
                "\n## Warnings\n",
            ],
        );
    }

    #[test]
    fn a_moved_target_shows_both_scores() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "      api-availability — Title of api-availability\n        0.90 green  99.86 of target 99.9 % (start 99.5)  confidence 0.7\n        ⚠ target moved since kickoff: score 0.90 against today's target 99.9 %, 0.73 against the kickoff target 99.99 %\n",
        );
        assert_contains(
            &out,
            "    ⚠ a target moved since kickoff: 0.45 against today's targets, 0.37 against the kickoff targets\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| api-availability — Title of api-availability | 99.86 of target 99.9 % (start 99.5) | 0.90 (⚠ 0.73 against the kickoff target) | green | 0.7 |",
        );
        assert_contains(
            &md,
            "> **⚠ Target moved since kickoff.** KR api-availability: score 0.90 against today's target 99.9 %, 0.73 against the kickoff target 99.99 %.",
        );
        assert_contains(
            &md,
            "| customer-trust — Title of customer-trust | committed | 0.45 (⚠ 0.37 against kickoff targets) | amber | 1.0 | **falls short** |",
        );
        // A key result whose target did not move has one score.
        assert_contains(&out, "        0.00 red    ✗ not done\n");
    }

    #[test]
    fn objectives_show_type_score_band_and_expectation() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "  customer-trust — Title of customer-trust\n    ████▌░░░░░ 0.45 amber  [committed]  expected 1.0: falls short\n",
        );
        assert_contains(
            &out,
            "    ████████░░ 0.80 green  [aspirational]  expected 0.7: met\n",
        );
        assert_contains(
            &out,
            "\ncompany  ████▌░░░░░ 0.45 amber  owner Priya Raman\n",
        );
    }

    #[test]
    fn the_objectives_that_fall_short_are_listed() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "FALLS SHORT OF EXPECTATION: 2\ncommitted objectives are expected to reach 1.0, aspirational ones 0.7; lowest score first\n\n  committed (expected 1.0)\n    0.45 amber  company/customer-trust — Title of customer-trust  ⚠ 0.37 against the kickoff targets\n\n  aspirational (expected 0.7)\n    0.50 amber  platform/canary — Title of canary\n",
        );
        let section = &out[out.find("FALLS SHORT").unwrap()..out.find("ALIGNMENT").unwrap()];
        assert!(!section.contains("boring-deploys"), "met: {section}");
        assert!(!section.contains("multi-region"), "dropped: {section}");
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "**committed** (expected 1.0):\n\n- 0.45 amber — **company/customer-trust** — Title of customer-trust (⚠ **0.37** against the kickoff targets)\n\n**aspirational** (expected 0.7):\n\n- 0.50 amber — **platform/canary** — Title of canary\n",
        );
        assert_contains(
            &md,
            "**At a glance:** 3 objectives judged: 1 meet their expectation, **2 fall short** · 1 dropped",
        );
    }

    #[test]
    fn dropped_objectives_are_not_judged_and_say_why() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "  multi-region — Title of multi-region\n    ✗ dropped 2026-08-12  [aspirational]  not judged, see DROPPED\n",
        );
        assert_contains(
            &out,
            "DROPPED: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              why: Recovery time hurts more than a second region.\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| multi-region — Title of multi-region | aspirational | — | — | 0.7 | dropped 2026-08-12 (not judged) |",
        );
        assert_contains(
            &md,
            "| platform/multi-region — Title of multi-region | 2026-08-12 | Recovery time hurts more than a second region. |",
        );
        // Without a reason, the drop is flagged.
        let mut report = quarter();
        report.dropped[0].reason = None;
        assert_contains(
            &crate::render::text::unpainted(&human(&ReportPage::new(report.clone()))),
            "DROPPED: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              ⚠ no reason given\n",
        );
        assert_contains(
            &markdown(&ReportPage::new(report.clone())),
            "| platform/multi-region — Title of multi-region | 2026-08-12 | **⚠ no reason given** |",
        );
    }

    #[test]
    fn a_pivot_without_a_reason_is_flagged() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "PIVOTS AFTER KICKOFF: 3\n1 dropped, 1 removed without being marked dropped, 1 target made easier\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  company/customer-trust KR api-availability: target 99.99 → 99.9 (easier)  (Priya Raman, abababa)\n              why: Multi-region is not coming this quarter.\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  search/insights: removed (not marked dropped) — Admins see searches  (Priya Raman, abababa)\n              ⚠ no reason given\n",
        );
        assert_contains(
            &out,
            "  2026-08-14  platform/multi-region: dropped — Title of multi-region  (Priya Raman, abababa)\n",
        );
        // The silent removal is called out with the drops and at the top.
        assert_contains(
            &out,
            "REMOVED WITHOUT BEING MARKED DROPPED: 1\ndeleted from the files after kickoff instead of `status: dropped` with a reason\n  2026-08-14  search/insights — Admins see searches\n              ⚠ no reason given\n",
        );
        assert_contains(
            &out,
            "1 dropped · 1 objective removed without being marked dropped · 3 pivots (1 without a reason) · 1 target moved since kickoff\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "| 2026-08-14 | search/insights: removed (not marked dropped) — Admins see searches | **⚠ no reason given** | Priya Raman, abababa |",
        );
        assert_contains(
            &md,
            "| search/insights — Admins see searches | 2026-08-14 | **⚠ no reason given** |",
        );
    }

    #[test]
    fn the_retrospective_has_every_section_when_present() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_in_order(
            &out,
            &[
                "\nRETROSPECTIVE\n",
                "\nMet: 1 of 3\n  0.80 green  platform/boring-deploys — Title of boring-deploys  (aspirational, expected 0.7)\n",
                "\nMissed: 2 of 3\n  0.45 amber  company/customer-trust — Title of customer-trust  (committed, expected 1.0)  ⚠ 0.37 against the kickoff targets\n",
                "\nDropped: 1\n  2026-08-12  platform/multi-region — Title of multi-region\n              why: Recovery time hurts more than a second region.\n",
                "\nLearnings: 2\n  company/customer-trust\n    Renewals depend on it.\n    Second line.\n    KR api-availability: Lowered after the incident review.\n",
                "\nPivots: 3 changes of plan after kickoff, listed under PIVOTS AFTER KICKOFF above\n",
                "\nIn all: 1 met, 2 missed, 1 dropped, 1 removed without being dropped, 3 pivots, 2 learnings (1 pivot without a reason).\n",
            ],
        );
        assert!(!out.contains("or run with --retro"));
        let md = markdown(&ReportPage::new(quarter()));
        assert_in_order(
            &md,
            &[
                "## Retrospective\n",
                "### Met: 1 of 3\n\n| Objective | Type | Score | Expected |\n|---|---|--:|--:|\n| platform/boring-deploys — Title of boring-deploys | aspirational | 0.80 green | 0.7 |",
                "### Missed: 2 of 3\n\n| Objective | Type | Score | Expected |\n|---|---|--:|--:|\n| company/customer-trust — Title of customer-trust | committed | 0.45 amber (⚠ 0.37 against the kickoff targets) | 1.0 |",
                "### Dropped: 1\n\n| Objective | Dropped on | Why |\n|---|---|---|\n| platform/multi-region — Title of multi-region | 2026-08-12 | Recovery time hurts more than a second region. |",
                "### Learnings: 2\n\n- **company/customer-trust**\n  - Renewals depend on it.<br>Second line.\n  - KR api-availability: Lowered after the incident review.\n",
                "### Pivots: 3\n\n3 changes of plan after kickoff, listed under [Pivots after kickoff](#pivots-after-kickoff).\n",
                "**In all: 1 met, 2 missed, 1 dropped, 1 removed without being dropped, 3 pivots, 2 learnings (1 pivot without a reason).**",
            ],
        );
    }

    #[test]
    fn without_a_retrospective_the_report_says_when_it_comes() {
        let mut report = quarter();
        report.retrospective = None;
        report.ended = false;
        report.today = jiff::civil::date(2026, 8, 20);
        let out = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        assert_contains(
            &out,
            "as of 2026-08-20: the quarter runs until 2026-09-30\n",
        );
        assert_contains(
            &out,
            "\nRetrospective: after 2026-09-30, or run with --retro\n",
        );
        assert!(!out.contains("RETROSPECTIVE") && !out.contains("Met:"));
        let md = markdown(&ReportPage::new(report.clone()));
        assert_contains(
            &md,
            "## Retrospective\n\nRetrospective: after 2026-09-30, or run with --retro.\n",
        );
        assert!(!md.contains("### Met"));
    }

    #[test]
    fn the_alignment_tree_nests() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert_contains(
            &out,
            "\n  0.45 amber  company/customer-trust — Title of customer-trust\n  ├─ 0.80 green  platform/boring-deploys — Title of boring-deploys\n  │  └─ 0.50 amber  platform/canary — Title of canary\n  └─ dropped     platform/multi-region — Title of multi-region\n",
        );
        assert_contains(
            &out,
            "\nAligned to nothing: 1\n  search/lonely — Title of lonely\n",
        );
        assert_contains(
            &out,
            "\nStill aligned to a dropped objective: 1\n  platform/failover-docs — Title of failover-docs  aligns to platform/multi-region, which was dropped\n",
        );
        assert_contains(
            &out,
            "\nUnresolved aligns_to: 1\n  search/ghost — Title of ghost  aligns to company/nope, which names no objective of 2026-Q3\n",
        );
        let md = markdown(&ReportPage::new(quarter()));
        assert_contains(
            &md,
            "- **company/customer-trust** — Title of customer-trust · 0.45 amber\n  - platform/boring-deploys — Title of boring-deploys · 0.80 green\n    - platform/canary — Title of canary · 0.50 amber\n  - platform/multi-region — Title of multi-region · *dropped*\n",
        );
        assert_contains(
            &md,
            "**Aligned to nothing:** 1\n\n- search/lonely — Title of lonely\n",
        );
    }

    fn hostile() -> Report {
        let title = "<script>|@team **x**";
        let mut report = quarter();
        report.teams[0].objectives[0].title = title.to_owned();
        report.teams[0].objectives[0].key_results[0].title = format!("{title}\x1b[31m");
        report.teams[0].objectives[0].key_results[0].unit = Some("|%|".to_owned());
        report.alignment.roots[0].title = title.to_owned();
        report.dropped[0].reason = Some("line one | @ops\n<b>line two</b>".to_owned());
        report.pivots[0].author = "Eve \x1b]0;pwned\x07".to_owned();
        report.retrospective.as_mut().unwrap().missed[0].title = title.to_owned();
        report.teams[1].team = "plat|form".to_owned();
        report
    }

    #[test]
    fn markdown_makes_user_text_inert() {
        let md = markdown(&ReportPage::new(hostile()));
        assert!(!md.contains("<script>"), "{md}");
        assert!(!md.contains("<b>"));
        assert!(!md.contains("@team") && !md.contains("@ops"));
        assert!(!md.contains("**x**"));
        assert!(!md.contains('\x1b'));
        assert_contains(&md, "\\<script\\>\\|@\u{200d}team \\*\\*x\\*\\*");
        // Every row of a table has as many cell boundaries as its header: no `|` of the user's is left unescaped.
        let mut header_pipes = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                header_pipes = None;
                continue;
            }
            let pipes = line
                .char_indices()
                .filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\'))
                .count();
            assert_eq!(pipes, *header_pipes.get_or_insert(pipes), "{line}");
        }
        assert_contains(&md, "line one \\| @\u{200d}ops<br>\\<b\\>line two\\</b\\>");
        assert_contains(&md, "### plat\\|form — 0.65 green");
    }

    #[test]
    fn human_output_shows_control_characters_instead_of_obeying_them() {
        let out = crate::render::text::unpainted(&human(&ReportPage::new(hostile())));
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out}");
        assert_contains(&out, "<script>|@team **x**\\u{1b}[31m");
        assert_contains(&out, "Eve \\u{1b}]0;pwned\\u{7}");
    }

    #[test]
    fn colour_only_when_asked_and_never_alone() {
        let plain = crate::render::text::unpainted(&human(&ReportPage::new(quarter())));
        assert!(!plain.contains('\x1b'), "{plain}");
        let coloured = human(&ReportPage::new(quarter()));
        assert!(coloured.contains('\x1b'));
        assert!(coloured.contains(&format!("{}0.45 amber", AMBER.render())));
        assert!(coloured.contains(&format!("{}0.80 green", GREEN.render())));
        // Without the escape codes, the coloured report says the same words.
        let stripped = strip_ansi(&coloured);
        assert_eq!(stripped, plain);
        assert!(!markdown(&ReportPage::new(quarter())).contains('\x1b'));
        assert!(!markdown(&ReportPage::new(hostile())).contains('\x1b'));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn no_line_ends_in_whitespace() {
        for out in [
            crate::render::text::unpainted(&human(&ReportPage::new(quarter()))),
            human(&ReportPage::new(quarter())),
            markdown(&ReportPage::new(quarter())),
        ] {
            for line in out.lines() {
                assert_eq!(line, line.trim_end(), "trailing whitespace: {line:?}");
            }
        }
    }

    #[test]
    fn an_empty_quarter_says_so() {
        let mut report = quarter();
        report.teams.clear();
        report.dropped.clear();
        report.pivots.clear();
        report.warnings.clear();
        report.alignment = AlignmentTree {
            roots: Vec::new(),
            unaligned: Vec::new(),
            aligned_to_dropped: Vec::new(),
            unresolved: Vec::new(),
        };
        report.retrospective = None;
        let out = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        assert_contains(&out, "SCORES\n\nno OKR files for 2026-Q3\n");
        assert_contains(&out, "\nFALLS SHORT OF EXPECTATION: none\n");
        assert_contains(&out, "\nDROPPED: none\n");
        assert_contains(&out, "\nPIVOTS AFTER KICKOFF: none\n");
        let md = markdown(&ReportPage::new(report.clone()));
        assert_contains(&md, "## Scores\n\nNo OKR files for 2026-Q3.\n");
        assert_contains(
            &md,
            "## Pivots after kickoff\n\nNone: the plan held after kickoff.\n",
        );
    }

    /// The demo's report on a fixed day after the quarter, as `okr demo` builds it.
    fn demo_report() -> Report {
        let dir = tempfile::tempdir().unwrap();
        crate::commands::demo::build(dir.path()).unwrap();
        let workspace = crate::repo::workspace::Workspace::discover(dir.path()).unwrap();
        let git = crate::repo::git::Git::open(&workspace.root).unwrap();
        let query = crate::core::report::ReportQuery {
            quarter: "2026-Q3".parse().unwrap(),
            team: None,
            at: "HEAD".into(),
            retro: false,
            today: jiff::civil::date(2026, 10, 5),
        };
        crate::commands::report::build(&workspace, &git, &query).unwrap()
    }

    #[test]
    fn demo_report_snapshots() {
        let report = demo_report();
        let human = crate::render::text::unpainted(&human(&ReportPage::new(report.clone())));
        let markdown = markdown(&ReportPage::new(report.clone()));
        assert!(!human.contains("/tmp") && !markdown.contains("/tmp"));
        assert!(!human.contains('\x1b'));
        insta::assert_snapshot!("demo_report_human", human);
        insta::assert_snapshot!("demo_report_markdown", markdown);
    }
}
