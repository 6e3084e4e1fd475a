//! `okr report` as Markdown, for a wiki page or a pull request comment.

use std::fmt::Write as _;

use super::*;

pub(super) fn render(page: &ReportPage) -> String {
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
