//! The quarter rollover (`okr init --from`): one quarter's plan → the next quarter's, as new file texts.
//!
//! Active objectives carry over with their ids and `carried_from: <quarter>`; each metric key result starts
//! where it ended (`start` is its last `current`), and the values of the quarter that ended — `current`,
//! `confidence`, `score`, notes — are left with it. What is finished or abandoned stays behind and is listed:
//! done and dropped objectives, done milestones, metrics that reached their target. Pure: the files come
//! parsed, the texts go back; reading and writing them is the command's.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::core::edit::scalar::{self, Quoting};
use crate::core::model::{KeyResult, Measure, Objective, OkrFile, Owners, Quarter, Status};
use crate::core::report::{measure_score, metric_score};

/// The team whose file is written first, so that the objectives others align to are there before them.
const COMPANY: &str = "company";

/// One file of the quarter that ends, to be carried over.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub okr: &'a OkrFile,
    /// The first line of the new file: the schema modeline for editors (`# yaml-language-server: …`).
    pub modeline: &'a str,
}

/// The next quarter's plan: a new text for each source, and what stays behind.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollover {
    /// One per source, the company's first, then in the order of the sources.
    pub files: Vec<NextFile>,
    /// What is not carried over, in the order of the files.
    pub left_behind: Vec<LeftBehind>,
    /// Alignments not carried over: the objective aligned to is not in the next quarter.
    pub unaligned: Vec<Unaligned>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NextFile {
    /// The index of its source.
    pub source: usize,
    pub team: String,
    /// How many objectives it carries.
    pub carried: usize,
    pub text: String,
}

/// An objective, or one of its key results, that stays in the quarter that ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftBehind {
    pub team: String,
    pub objective: String,
    pub key_result: Option<String>,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// An objective with `status: done`.
    Done,
    /// An objective with `status: dropped`.
    Dropped,
    /// An active objective none of whose key results is left to do.
    NothingLeft,
    /// A milestone with `done: true`.
    MilestoneDone,
    /// A metric whose last value reached its target (or went past it).
    TargetReached,
    /// An objective or key result without an id or title, which a file of the next quarter could not name.
    Incomplete,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Done => "done",
            Why::Dropped => "dropped",
            Why::NothingLeft => "every key result is done or reached its target",
            Why::MilestoneDone => "done",
            Why::TargetReached => "reached its target",
            Why::Incomplete => "has no id or title",
        }
    }
}

/// An `aligns_to` left out of a carried objective: nothing of that name is in the next quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unaligned {
    pub team: String,
    pub objective: String,
    pub aligns_to: String,
}

/// A key result as it carries over.
enum Carried<'a> {
    Metric {
        kr: &'a KeyResult,
        start: Option<crate::core::model::Number>,
    },
    Milestone(&'a KeyResult),
    /// A share done, carried at where it ended.
    Share(&'a KeyResult),
}

/// An objective as it carries over, before its alignment is checked.
struct Plan<'a> {
    objective: &'a Objective,
    id: &'a str,
    title: &'a str,
    key_results: Vec<Carried<'a>>,
}

/// Carries `sources`, files of `from`, over to `to`. `existing` are the files `to` already has (and keeps):
/// an objective may stay aligned to one of theirs.
pub fn roll_over(
    sources: &[Source<'_>],
    from: Quarter,
    to: Quarter,
    existing: &[&OkrFile],
) -> Rollover {
    let mut left_behind = Vec::new();
    let plans: Vec<(usize, &str, Vec<Plan<'_>>)> = sources
        .iter()
        .enumerate()
        .map(|(index, source)| {
            let team = team_of(source.okr);
            let plans = source
                .okr
                .objectives
                .iter()
                .filter_map(|o| plan(team, o, &mut left_behind))
                .collect();
            (index, team, plans)
        })
        .collect();
    // What the next quarter will have to align to: what is carried, and what is there already.
    let mut targets: HashSet<(&str, &str)> = HashSet::new();
    for (_, team, objectives) in &plans {
        targets.extend(objectives.iter().map(|p| (*team, p.id)));
    }
    for okr in existing {
        let team = team_of(okr);
        targets.extend(
            okr.objectives
                .iter()
                .filter_map(|o| o.id.as_ref().map(|id| (team, &*id.value))),
        );
    }
    let mut unaligned = Vec::new();
    let mut files: Vec<NextFile> = plans
        .iter()
        .map(|(index, team, objectives)| {
            let source = &sources[*index];
            let mut text = header(source, from, to);
            if objectives.is_empty() {
                text.push_str("objectives: []\n");
            } else {
                text.push_str("objectives:\n");
            }
            for (n, plan) in objectives.iter().enumerate() {
                if n > 0 {
                    text.push('\n');
                }
                let aligns_to = plan.objective.aligns_to.as_ref().map(|a| &a.value);
                let aligns_to = aligns_to.filter(|a| {
                    let kept = targets.contains(&(a.team.as_str(), a.objective.as_str()));
                    if !kept {
                        unaligned.push(Unaligned {
                            team: (*team).to_owned(),
                            objective: plan.id.to_owned(),
                            aligns_to: a.to_string(),
                        });
                    }
                    kept
                });
                write_objective(&mut text, plan, aligns_to.map(ToString::to_string), from);
            }
            NextFile {
                source: *index,
                team: (*team).to_owned(),
                carried: objectives.len(),
                text,
            }
        })
        .collect();
    // Stable: the company's file first, the others as they came.
    files.sort_by_key(|f| f.team != COMPANY);
    Rollover {
        files,
        left_behind,
        unaligned,
    }
}

fn team_of(okr: &OkrFile) -> &str {
    okr.team.as_ref().map_or("", |t| &*t.value)
}

fn text<T: std::ops::Deref<Target = str>>(
    value: &Option<crate::core::model::Spanned<T>>,
) -> Option<&str> {
    value.as_ref().map(|v| &*v.value)
}

/// What of `objective` carries over, or `None` (noted in `left_behind`) when nothing does.
fn plan<'a>(
    team: &str,
    objective: &'a Objective,
    left_behind: &mut Vec<LeftBehind>,
) -> Option<Plan<'a>> {
    let mut leave = |objective: &str, key_result: Option<&str>, why: Why| {
        left_behind.push(LeftBehind {
            team: team.to_owned(),
            objective: objective.to_owned(),
            key_result: key_result.map(str::to_owned),
            why,
        });
    };
    let (Some(id), Some(title)) = (text(&objective.id), text(&objective.title)) else {
        leave(text(&objective.id).unwrap_or("?"), None, Why::Incomplete);
        return None;
    };
    match objective.status() {
        Status::Done => {
            leave(id, None, Why::Done);
            return None;
        }
        Status::Dropped => {
            leave(id, None, Why::Dropped);
            return None;
        }
        Status::Active => {}
    }
    let mut key_results = Vec::new();
    let mut finished = Vec::new();
    for kr in &objective.key_results {
        let (Some(kr_id), Some(_)) = (text(&kr.id), text(&kr.title)) else {
            finished.push((text(&kr.id).unwrap_or("?"), Why::Incomplete));
            continue;
        };
        match kr.measure() {
            Some(Measure::Milestone { done: true }) => finished.push((kr_id, Why::MilestoneDone)),
            Some(Measure::Milestone { done: false }) => key_results.push(Carried::Milestone(kr)),
            // At its target, however far that was (`target - start` may overflow), or past it.
            Some(Measure::Metric {
                start,
                target,
                current,
            }) if current == target || metric_score(start, target, current) == Some(1.0) => {
                finished.push((kr_id, Why::TargetReached));
            }
            // Where it ended is where it starts.
            Some(Measure::Metric { current, .. }) => key_results.push(Carried::Metric {
                kr,
                start: Some(current),
            }),
            Some(measure @ (Measure::Unbaselined { .. } | Measure::Share { .. }))
                if measure_score(measure) == Some(1.0) =>
            {
                finished.push((kr_id, Why::TargetReached));
            }
            // A start measured at last, or a level held: from where it ended, if measured.
            Some(Measure::Unbaselined { current, .. }) => {
                key_results.push(Carried::Metric { kr, start: current })
            }
            Some(Measure::Threshold { current, start, .. }) => key_results.push(Carried::Metric {
                kr,
                start: current.or(start),
            }),
            Some(Measure::Share { .. }) => key_results.push(Carried::Share(kr)),
            // Not measurable, which the repository's rules allowed: carried as it was written.
            None => key_results.push(Carried::Metric {
                kr,
                start: kr.current.as_ref().or(kr.start.as_ref()).map(|n| n.value),
            }),
        }
    }
    if key_results.is_empty() {
        leave(id, None, Why::NothingLeft);
        return None;
    }
    for (kr_id, why) in finished {
        leave(id, Some(kr_id), why);
    }
    Some(Plan {
        objective,
        id,
        title,
        key_results,
    })
}

/// The modeline, a comment saying where the file came from, and the file's own fields.
fn header(source: &Source<'_>, from: Quarter, to: Quarter) -> String {
    let okr = source.okr;
    let mut out = String::new();
    let modeline = source.modeline.trim_end();
    if !modeline.is_empty() {
        let _ = writeln!(out, "{modeline}");
    }
    let _ = writeln!(
        out,
        "# Carried over from {from} by `okr init --from {from}`: the objectives not finished there, each key result\n\
         # starting where it ended. Add this quarter's objectives and targets, then run `okr validate`."
    );
    let _ = writeln!(out, "quarter: {to}");
    let _ = writeln!(out, "team: {}", plain(team_of(okr)));
    if let Some(owner) = &okr.owner {
        let _ = writeln!(out, "owner: {}", owners(&owner.value));
    }
    out
}

fn write_objective(out: &mut String, plan: &Plan<'_>, aligns_to: Option<String>, from: Quarter) {
    let objective = plan.objective;
    let _ = writeln!(out, "  - id: {}", plain(plan.id));
    let _ = writeln!(out, "    title: {}", plain(plan.title));
    let _ = writeln!(out, "    type: {}", objective.objective_type().as_str());
    if let Some(owner) = &objective.owner {
        let _ = writeln!(out, "    owner: {}", owners(&owner.value));
    }
    if let Some(aligns_to) = aligns_to {
        let _ = writeln!(out, "    aligns_to: {}", plain(&aligns_to));
    }
    let _ = writeln!(out, "    carried_from: {from}");
    if let Some(priority) = &objective.priority {
        let _ = writeln!(out, "    priority: {}", priority.value.as_str());
    }
    let _ = writeln!(out, "    key_results:");
    for carried in &plan.key_results {
        let kr = match carried {
            Carried::Metric { kr, .. } | Carried::Milestone(kr) | Carried::Share(kr) => *kr,
        };
        let _ = writeln!(
            out,
            "      - id: {}",
            plain(text(&kr.id).unwrap_or_default())
        );
        let _ = writeln!(
            out,
            "        title: {}",
            plain(text(&kr.title).unwrap_or_default())
        );
        match carried {
            Carried::Metric { kr, start } => {
                if let Some(start) = start {
                    let _ = writeln!(out, "        start: {}", scalar::number(*start));
                }
                if let Some(target) = &kr.target {
                    let _ = writeln!(out, "        target: {}", scalar::number(target.value));
                }
                if let Some(direction) = &kr.direction {
                    let _ = writeln!(out, "        direction: {}", direction.value.as_str());
                }
                if let Some(unit) = text(&kr.unit) {
                    let _ = writeln!(out, "        unit: {}", plain(unit));
                }
            }
            Carried::Milestone(_) => {
                let _ = writeln!(out, "        done: false");
            }
            Carried::Share(kr) => {
                if let Some(progress) = &kr.progress {
                    let _ = writeln!(out, "        progress: {}", scalar::number(progress.value));
                }
            }
        }
        if let Some(owner) = &kr.owner {
            let _ = writeln!(out, "        owner: {}", owners(&owner.value));
        }
        // Its priority carries over; its health, a judgement of last quarter, does not.
        if let Some(priority) = &kr.priority {
            let _ = writeln!(out, "        priority: {}", priority.value.as_str());
        }
    }
}

/// Owners as written: one name as a scalar, several as a flow list of double-quoted names (JSON's escapes are
/// YAML's, so each reads back exactly whatever it holds).
fn owners(owners: &Owners) -> String {
    match owners.names() {
        [one] => plain(one),
        names => {
            let quoted: Vec<String> = names
                .iter()
                .map(|n| serde_json::to_string(&**n).unwrap_or_default())
                .collect();
            format!("[{}]", quoted.join(", "))
        }
    }
}

/// Text from a file as a YAML scalar that reads back exactly: plain where nothing in it is YAML syntax,
/// quoted otherwise.
fn plain(text: &str) -> String {
    scalar::text(text, Quoting::Plain, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODELINE: &str = "# yaml-language-server: $schema=../okr.schema.json";

    fn parse(path: &str, text: &str) -> OkrFile {
        let loaded = crate::core::parse::parse(path, text.as_bytes().to_vec());
        assert!(loaded.findings.is_empty(), "{path}: {:?}", loaded.findings);
        loaded.okr.unwrap()
    }

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    const PLATFORM: &str = "\
quarter: 2026-Q3
team: platform
owner: Dana Li
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    owner: Sam Okafor
    aligns_to: company/customer-trust
    notes: Deploy pain is the top complaint.
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2
        current: 5
        unit: deploys/week
        confidence: 0.6
        notes: Better since the canary.
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        owner: Chloe Martin
        done: false
      - id: canary
        title: Canary stage everywhere
        done: true
      - id: lead-time
        title: Lead time
        start: 90
        target: 30
        current: 25
        unit: min
  - id: preview-environments
    title: Preview environments
    aligns_to: company/gone
    key_results:
      - id: preview-adoption
        title: Share of pull requests with a preview
        start: 10
        target: 60
        score: 0.2
  - id: managed-postgres
    title: Run our own Postgres
    status: dropped
    dropped:
      date: 2026-08-12
      reason: Vendor contract
    key_results:
      - id: clusters
        title: Clusters migrated
        start: 0
        target: 12
        current: 3
  - id: docs
    title: Docs
    status: done
    key_results:
      - id: guide
        title: Guide
        done: true
  - id: all-met
    title: Everything met but not marked done
    key_results:
      - id: met
        title: Met
        start: 0
        target: 5
        current: 7
";

    const COMPANY: &str = "\
quarter: 2026-Q3
team: company
objectives:
  - id: customer-trust
    title: Customers trust us
    key_results:
      - id: incidents
        title: Incident minutes
        start: 300
        target: 60
        current: 200
";

    #[test]
    fn active_objectives_carry_over_starting_where_they_ended() {
        let platform = parse("okrs/2026-Q3/platform.yaml", PLATFORM);
        let company = parse("okrs/2026-Q3/company.yaml", COMPANY);
        let sources = [
            Source {
                okr: &platform,
                modeline: MODELINE,
            },
            Source {
                okr: &company,
                modeline: MODELINE,
            },
        ];
        let rollover = roll_over(&sources, q("2026-Q3"), q("2026-Q4"), &[]);
        assert_eq!(
            rollover
                .files
                .iter()
                .map(|f| (f.source, f.team.as_str(), f.carried))
                .collect::<Vec<_>>(),
            [(1, "company", 1), (0, "platform", 2)],
            "the company's file first"
        );
        assert_eq!(
            rollover.files[1].text,
            "\
# yaml-language-server: $schema=../okr.schema.json
# Carried over from 2026-Q3 by `okr init --from 2026-Q3`: the objectives not finished there, each key result
# starting where it ended. Add this quarter's objectives and targets, then run `okr validate`.
quarter: 2026-Q4
team: platform
owner: Dana Li
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    owner: Sam Okafor
    aligns_to: company/customer-trust
    carried_from: 2026-Q3
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 5
        target: 2
        unit: deploys/week
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false
        owner: Chloe Martin

  - id: preview-environments
    title: Preview environments
    type: aspirational
    carried_from: 2026-Q3
    key_results:
      - id: preview-adoption
        title: Share of pull requests with a preview
        start: 10
        target: 60
"
        );
        let left: Vec<String> = rollover
            .left_behind
            .iter()
            .map(|l| {
                format!(
                    "{}/{} {} {}",
                    l.team,
                    l.objective,
                    l.key_result.as_deref().unwrap_or("-"),
                    l.why.as_str()
                )
            })
            .collect();
        assert_eq!(
            left,
            [
                "platform/boring-deploys canary done",
                "platform/boring-deploys lead-time reached its target",
                "platform/managed-postgres - dropped",
                "platform/docs - done",
                "platform/all-met - every key result is done or reached its target",
            ]
        );
        assert_eq!(
            rollover.unaligned,
            [Unaligned {
                team: "platform".to_owned(),
                objective: "preview-environments".to_owned(),
                aligns_to: "company/gone".to_owned(),
            }]
        );
        for file in &rollover.files {
            let path = format!("okrs/2026-Q4/{}.yaml", file.team);
            let okr = parse(&path, &file.text);
            let findings = crate::core::rules::check_file(&okr, &path);
            assert!(
                findings
                    .iter()
                    .all(|f| f.code == crate::core::rules::codes::KR_COUNT),
                "{findings:?}\n{}",
                file.text
            );
        }
    }

    #[test]
    fn an_alignment_to_an_objective_the_next_quarter_already_has_stays() {
        let platform = parse("okrs/2026-Q3/platform.yaml", PLATFORM);
        let there = parse(
            "okrs/2026-Q4/company.yaml",
            &COMPANY
                .replace("2026-Q3", "2026-Q4")
                .replace("customer-trust", "gone"),
        );
        let rollover = roll_over(
            &[Source {
                okr: &platform,
                modeline: "",
            }],
            q("2026-Q3"),
            q("2027-Q1"),
            &[&there],
        );
        let text = &rollover.files[0].text;
        assert!(text.starts_with("# Carried over from 2026-Q3"), "{text}");
        assert!(text.contains("\nquarter: 2027-Q1\n"), "{text}");
        assert!(text.contains("    aligns_to: company/gone\n"), "{text}");
        assert!(!text.contains("company/customer-trust"), "{text}");
        assert_eq!(rollover.unaligned.len(), 1);
        assert_eq!(rollover.unaligned[0].aligns_to, "company/customer-trust");
    }

    /// `target - start` overflows to infinity with values at the ends of what a number holds: a metric at its
    /// target still reached it, one short of it still carries over, and the new file validates.
    #[test]
    fn metrics_at_the_ends_of_the_number_range_carry_over_or_stay_as_they_should() {
        let source = parse(
            "okrs/2026-Q3/x.yaml",
            "quarter: 2026-Q3\nteam: x\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: reached\n        title: R\n        start: -1.0e+308\n        target: 1.0e+308\n        current: 1.0e+308\n      - id: halfway\n        title: H\n        start: -1.0e+308\n        target: 1.0e+308\n        current: 0\n      - id: behind\n        title: B\n        start: 1.7e+308\n        target: -1.7e+308\n        current: 1.7e+308\n",
        );
        let path = "okrs/2026-Q4/x.yaml";
        let rollover = roll_over(
            &[Source {
                okr: &source,
                modeline: MODELINE,
            }],
            q("2026-Q3"),
            q("2026-Q4"),
            &[],
        );
        assert_eq!(
            rollover.left_behind,
            [LeftBehind {
                team: "x".to_owned(),
                objective: "o".to_owned(),
                key_result: Some("reached".to_owned()),
                why: Why::TargetReached,
            }]
        );
        let text = &rollover.files[0].text;
        assert!(
            text.contains("      - id: halfway\n        title: H\n        start: 0\n        target: 1.0e+308\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "      - id: behind\n        title: B\n        start: 1.7e+308\n        target: -1.7e+308\n"
            ),
            "{text}"
        );
        let next = parse(path, text);
        assert_eq!(crate::core::rules::check_file(&next, path), []);
    }

    #[test]
    fn a_team_with_nothing_to_carry_gets_an_empty_plan() {
        let done = parse(
            "okrs/2026-Q3/docs.yaml",
            "quarter: 2026-Q3\nteam: docs\nobjectives:\n  - id: d\n    title: D\n    status: done\n    key_results:\n      - id: k\n        title: K\n        done: true\n",
        );
        let rollover = roll_over(
            &[Source {
                okr: &done,
                modeline: MODELINE,
            }],
            q("2026-Q3"),
            q("2026-Q4"),
            &[],
        );
        assert_eq!(rollover.files[0].carried, 0);
        assert!(
            rollover.files[0]
                .text
                .ends_with("\nteam: docs\nobjectives: []\n"),
            "{}",
            rollover.files[0].text
        );
        parse("okrs/2026-Q4/docs.yaml", &rollover.files[0].text);
    }

    /// Titles, owners and units are people's text: whatever they hold, the new file reads back to the same.
    #[test]
    fn user_text_reads_back_exactly_whatever_it_holds() {
        let hostile = [
            "Latency: p99 under 200 ms",
            "# not a comment",
            "ends with #hash and a colon:",
            "'single' and \"double\" quotes",
            "  leading and trailing spaces  ",
            "unicode: ünïcödé ✓ 日本",
            "true",
            "12",
            "null",
            "- a list?",
            "{ flow }",
            "back\\slash",
            "bidi \u{202e}evil\u{202c}",
            "%",
            "@someone",
        ];
        for title in hostile {
            let quoted = scalar::text(title, Quoting::Double, false);
            let source = parse(
                "okrs/2026-Q3/x.yaml",
                &format!(
                    "quarter: 2026-Q3\nteam: \"123\"\nowner: {quoted}\nobjectives:\n  - id: \"true\"\n    title: {quoted}\n    owner: {quoted}\n    key_results:\n      - id: k\n        title: {quoted}\n        start: 0.5\n        target: 1e20\n        unit: {quoted}\n        owner: {quoted}\n"
                ),
            );
            let rollover = roll_over(
                &[Source {
                    okr: &source,
                    modeline: MODELINE,
                }],
                q("2026-Q3"),
                q("2026-Q4"),
                &[],
            );
            let text = &rollover.files[0].text;
            let next = parse("okrs/2026-Q4/x.yaml", text);
            assert_eq!(text_of(&next.team), "123", "{text}");
            assert_eq!(text_of(&next.owner), title, "{text}");
            let objective = &next.objectives[0];
            assert_eq!(text_of(&objective.id), "true", "{text}");
            assert_eq!(text_of(&objective.title), title, "{text}");
            assert_eq!(text_of(&objective.owner), title, "{text}");
            let kr = &objective.key_results[0];
            assert_eq!(text_of(&kr.title), title, "{text}");
            assert_eq!(text_of(&kr.unit), title, "{text}");
            assert_eq!(text_of(&kr.owner), title, "{text}");
            assert_eq!(kr.start.as_ref().unwrap().value.0, 0.5);
            assert_eq!(kr.target.as_ref().unwrap().value.0, 1e20);
            assert_eq!(
                objective.carried_from.as_ref().map(|q| q.value),
                Some(q("2026-Q3"))
            );
        }
    }

    fn text_of<T: std::ops::Deref<Target = str>>(
        value: &Option<crate::core::model::Spanned<T>>,
    ) -> &str {
        value.as_ref().map_or("", |v| &*v.value)
    }
}
