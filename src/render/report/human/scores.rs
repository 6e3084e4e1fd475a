//! The report's scores for a terminal: each team, its objectives and their key results, with what moved or
//! was removed since kickoff.

use std::fmt::Write as _;

use super::*;

pub(super) fn human_scores(out: &mut String, report: &Report) {
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
    human_links(out, "  ", &team.links);
    for objective in &team.objectives {
        human_objective(out, objective);
    }
}

/// `links: Dashboard <https://…>`, under what has links.
fn human_links(out: &mut String, indent: &str, links: &[LinkReport]) {
    if let Some(links) = links_text(links, Format::Human) {
        let _ = writeln!(out, "{indent}{} {links}", paint(DIM, "links:"));
    }
}

/// `carried from 2026-Q3 (ended 0.40 amber)`, under an objective carried over from an earlier quarter.
fn human_carried(out: &mut String, o: &ObjectiveReport) {
    if let Some(carried) = &o.carried_from {
        let _ = writeln!(
            out,
            "    {}",
            paint(DIM, &terminal_safe(&text::carried_text(carried)))
        );
    }
}

fn human_objective(out: &mut String, o: &ObjectiveReport) {
    let f = Format::Human;
    let _ = writeln!(
        out,
        "  {} — {}{}",
        paint(BOLD, &terminal_safe(&o.id)),
        terminal_safe(&o.title),
        tags(o.priority, None).map_or_else(String::new, |t| format!("  [{t}]"))
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
        human_carried(out, o);
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
    human_carried(out, o);
    human_links(out, "    ", &o.links);
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
            "      {} — {}{}",
            terminal_safe(&kr.id),
            terminal_safe(&kr.title),
            tags(kr.priority, kr.health).map_or_else(String::new, |t| format!("  [{t}]"))
        );
        human_links(out, "        ", &kr.links);
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
