//! `okr report` for a person at a terminal.

use std::fmt::Write as _;

use super::*;

mod scores;

use scores::human_scores;

pub(super) fn render(page: &ReportPage) -> String {
    let report = &page.report;
    let mut out = String::new();
    human_header(&mut out, page);
    human_scores(&mut out, report);
    human_falls_short(&mut out, page);
    human_stale(&mut out, page);
    human_alignment(&mut out, report);
    human_dropped(&mut out, page);
    human_pivots(&mut out, page);
    human_retrospective(&mut out, page);
    human_warnings(&mut out, &report.warnings);
    trim_lines(&out)
}

/// A score bar ten cells wide, in eighths: `████████▊░ 0.87`.
pub(super) fn bar(score: f64) -> String {
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

/// The key results nobody checked in on, while the quarter runs.
fn human_stale(out: &mut String, page: &ReportPage) {
    let Some(stale) = &page.stale else {
        return;
    };
    if stale.is_empty() {
        heading(out, "STALE KEY RESULTS: none");
        return;
    }
    heading(out, &format!("STALE KEY RESULTS: {}", stale.len()));
    let _ = writeln!(out, "{}", stale_intro(&page.report));
    for (o, kr) in page.stale_key_results() {
        let _ = writeln!(
            out,
            "  {}/{} — {}",
            place(&o.team, &o.id, Format::Human),
            paint(BOLD, &terminal_safe(&kr.id)),
            terminal_safe(&kr.title)
        );
        let _ = writeln!(
            out,
            "    {} last check-in: {}",
            paint(WARN, "⚠"),
            last_checkin_text(kr)
        );
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
    let via = node
        .via_key_result
        .as_deref()
        .map_or_else(String::new, |kr| {
            format!("  (to its parent's KR {})", terminal_safe(kr))
        });
    format!(
        "{score}  {} — {}{done}{via}",
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

/// The teams' own retrospectives, after what okr computed from their files.
fn human_written(out: &mut String, written: &[WrittenByTeam]) {
    let title = if written.is_empty() {
        "In the teams' words: none written (a file's `retrospective:`)".to_owned()
    } else {
        format!(
            "In the teams' words: {} wrote a retrospective",
            plural(written.len(), "team", "teams")
        )
    };
    let _ = writeln!(out, "\n{}", paint(BOLD, &title));
    for team in written {
        let _ = writeln!(out, "  {}", terminal_safe(&team.team));
        for (heading, points) in team.sections() {
            if points.is_empty() {
                continue;
            }
            let _ = writeln!(out, "    {heading}");
            for point in points {
                write_hanging(out, "      ", "- ", point);
            }
        }
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
    human_written(out, &retro.written);
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
