//! The history's events, replayed in order from the kickoff plan, give exactly the plan at its last commit:
//! checked over generated histories of two kinds — one branch at a time, merged taking one side, the other or
//! a mix (conflicts resolved either way) and brought up to date with main; and several branches at once,
//! merged into each other in any direction, criss-cross and octopus merges included.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::repo::GitRepo;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";
const IDS: [&str; 4] = ["k1", "k2", "k3", "k4"];

/// A small, repeatable random source (xorshift64*): the same seed gives the same history on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One key result's values; `None`: not in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Values {
    target: i64,
    current: i64,
}

/// The plan of one team file: its key results by id.
type Plan = BTreeMap<&'static str, Option<Values>>;

fn yaml(plan: &Plan) -> String {
    let mut out = String::from(
        "quarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: deploys\n    title: Make deploys boring\n    key_results:\n",
    );
    for (id, values) in plan {
        if let Some(v) = values {
            out.push_str(&format!(
                "      - id: {id}\n        title: {}\n        start: 0\n        target: {}\n        current: {}\n",
                title(id),
                v.target,
                v.current
            ));
        }
    }
    out
}

/// Titles apart enough that a key result removed while another is added is never taken for one reworded.
fn title(id: &str) -> &'static str {
    match id {
        "k1" => "Failed deploys per week",
        "k2" => "Median CI minutes per build",
        "k3" => "Remote cache hit rate",
        _ => "Pages at night",
    }
}

/// A change to a plan: a new target, a check-in, a key result removed or put back.
fn edit(plan: &mut Plan, random: &mut Random) {
    let id = IDS[random.below(IDS.len() as u64) as usize];
    let present = plan.values().filter(|v| v.is_some()).count();
    let entry = plan.get_mut(id).expect("every id is in the plan");
    match entry {
        Some(v) => match random.below(5) {
            0 if present > 1 => *entry = None,
            0..=2 => v.target += 1 + random.below(9) as i64,
            _ => v.current += 1 + random.below(5) as i64,
        },
        None => {
            *entry = Some(Values {
                target: 50 + random.below(50) as i64,
                current: random.below(10) as i64,
            })
        }
    }
}

/// What a merge makes of two plans: one side, the other, or per key result either (a conflict resolved
/// either way), sometimes with a value of its own.
fn merged(ours: &Plan, theirs: &Plan, random: &mut Random) -> Plan {
    match random.below(4) {
        0 => ours.clone(),
        1 => theirs.clone(),
        _ => IDS
            .iter()
            .map(|id| {
                let pick = if random.chance(50) {
                    ours[id]
                } else {
                    theirs[id]
                };
                let own = random.chance(15);
                (
                    *id,
                    pick.map(|v| Values {
                        target: if own { v.target + 100 } else { v.target },
                        current: v.current,
                    }),
                )
            })
            .collect(),
    }
}

struct Day(u32);

impl Day {
    /// The next commit's date: one day later each time, from 1 August.
    fn next(&mut self) -> String {
        self.0 += 1;
        let (month, day) = if self.0 <= 31 {
            (8, self.0)
        } else {
            (9, self.0 - 31)
        };
        format!("2026-{month:02}-{day:02}T10:00:00+02:00")
    }
}

/// A branch off main, open until it is merged.
struct Branch {
    name: String,
    plan: Plan,
    /// It has commits main does not.
    ahead: bool,
    /// Main has commits it does not.
    behind: bool,
}

/// Builds a random history; returns the repository, the plan at kickoff and the plan at HEAD.
fn generate(seed: u64) -> (GitRepo, Plan, Plan) {
    let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let repo = GitRepo::new();
    let mut main: Plan = IDS
        .iter()
        .map(|id| {
            (
                *id,
                Some(Values {
                    target: 20,
                    current: 0,
                }),
            )
        })
        .collect();
    repo.write(PLATFORM, &yaml(&main));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan");
    let kickoff = main.clone();
    let mut day = Day(0);
    let mut branches = 0;
    let mut side: Option<Branch> = None;
    for _ in 0..18 {
        match (random.below(6), side.take()) {
            (0 | 1, None) => {
                branches += 1;
                let name = format!("side-{branches}");
                repo.branch(&name);
                side = Some(Branch {
                    name,
                    plan: main.clone(),
                    ahead: false,
                    behind: false,
                });
            }
            (0, Some(mut branch)) => {
                repo.switch(&branch.name);
                edit(&mut branch.plan, &mut random);
                repo.write(PLATFORM, &yaml(&branch.plan));
                repo.commit(&day.next(), "Ann Bo", "Branch work");
                repo.switch("main");
                branch.ahead = true;
                side = Some(branch);
            }
            (1, Some(mut branch)) if branch.behind => {
                // Bring the branch up to date with main.
                repo.switch(&branch.name);
                branch.plan = merged(&branch.plan, &main, &mut random);
                repo.merge_as(
                    "main",
                    (&day.next(), "Ann Bo", "Update the branch"),
                    &[(PLATFORM, &yaml(&branch.plan))],
                );
                repo.switch("main");
                (branch.ahead, branch.behind) = (true, false);
                side = Some(branch);
            }
            (2, Some(branch)) if branch.ahead => {
                main = merged(&main, &branch.plan, &mut random);
                repo.merge_as(
                    &branch.name,
                    (&day.next(), "Dana Li", "Merge the branch"),
                    &[(PLATFORM, &yaml(&main))],
                );
            }
            (_, open) => {
                side = open.map(|branch| Branch {
                    behind: true,
                    ..branch
                });
                edit(&mut main, &mut random);
                repo.write(PLATFORM, &yaml(&main));
                repo.commit(&day.next(), "Dana Li", "Main work");
            }
        }
    }
    (repo, kickoff, main)
}

/// A commit of `plan` with `parents`, built from trees directly (no work tree, so any commits can be merged).
fn commit_plan(
    repo: &GitRepo,
    plan: &Plan,
    parents: &[String],
    date: &str,
    message: &str,
) -> String {
    let blob = repo.git_with(&["hash-object", "-w", "--stdin"], &yaml(plan), None);
    let quarter = repo.git_with(
        &["mktree"],
        &format!("100644 blob {blob}\tplatform.yaml\n"),
        None,
    );
    let okrs = repo.git_with(
        &["mktree"],
        &format!("040000 tree {quarter}\t2026-Q3\n"),
        None,
    );
    let config = repo.git_with(
        &["hash-object", "-w", "--stdin"],
        "dir = \"okrs\"\nplanning_window_days = 14\n",
        None,
    );
    let root = repo.git_with(
        &["mktree"],
        &format!("100644 blob {config}\tokr.toml\n040000 tree {okrs}\tokrs\n"),
        None,
    );
    let mut args = vec!["commit-tree", root.as_str(), "-m", message];
    for parent in parents {
        args.extend(["-p", parent.as_str()]);
    }
    repo.git_with(&args, "", Some(date))
}

/// Builds a tangled history: up to four branches at once, each edited and merged into any other (octopus
/// merges included), with the merge taking each key result from any of its parents.
fn tangled(seed: u64) -> (GitRepo, Plan, Plan) {
    let mut random = Random(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
    let repo = GitRepo::new();
    let kickoff: Plan = IDS
        .iter()
        .map(|id| {
            (
                *id,
                Some(Values {
                    target: 20,
                    current: 0,
                }),
            )
        })
        .collect();
    let plan = commit_plan(&repo, &kickoff, &[], "2026-06-25T10:00:00+02:00", "Plan");
    // Each head: its name, commit and plan; main is the first.
    let mut heads: Vec<(String, String, Plan)> = vec![("main".to_owned(), plan, kickoff.clone())];
    let mut day = Day(0);
    for step in 0..25 {
        let n = heads.len() as u64;
        match random.below(10) {
            0 | 1 if heads.len() < 4 => {
                let (_, commit, plan) = heads[random.below(n) as usize].clone();
                heads.push((format!("b{step}"), commit, plan));
            }
            0..=5 => {
                let at = random.below(n) as usize;
                edit(&mut heads[at].2, &mut random);
                heads[at].1 = commit_plan(
                    &repo,
                    &heads[at].2,
                    std::slice::from_ref(&heads[at].1),
                    &day.next(),
                    "Work",
                );
            }
            _ => {
                let into = random.below(n) as usize;
                let others: Vec<usize> = (0..heads.len())
                    .filter(|&i| i != into && heads[i].1 != heads[into].1)
                    .collect();
                if others.is_empty() {
                    continue;
                }
                let mut sources = vec![others[random.below(others.len() as u64) as usize]];
                if others.len() > 1 && random.chance(30) {
                    let second = others[random.below(others.len() as u64) as usize];
                    if second != sources[0] {
                        sources.push(second);
                    }
                }
                let sides: Vec<&Plan> = std::iter::once(&heads[into].2)
                    .chain(sources.iter().map(|&s| &heads[s].2))
                    .collect();
                let merged: Plan = IDS
                    .iter()
                    .map(|id| {
                        let pick = sides[random.below(sides.len() as u64) as usize][id];
                        let own = random.chance(10);
                        (
                            *id,
                            pick.map(|v| Values {
                                target: if own { v.target + 100 } else { v.target },
                                current: v.current,
                            }),
                        )
                    })
                    .collect();
                let parents: Vec<String> = std::iter::once(into)
                    .chain(sources.iter().copied())
                    .map(|i| heads[i].1.clone())
                    .collect();
                heads[into].1 = commit_plan(&repo, &merged, &parents, &day.next(), "Merge");
                heads[into].2 = merged;
                // A merged branch is done with, sometimes; main never is.
                if into == 0 || random.chance(50) {
                    sources.sort_unstable();
                    for source in sources.into_iter().rev().filter(|&s| s != 0) {
                        heads.remove(source);
                    }
                }
            }
        }
    }
    repo.git(&["update-ref", "refs/heads/main", &heads[0].1]);
    repo.git(&["reset", "-q", "--hard", "main"]);
    let head = heads[0].2.clone();
    (repo, kickoff, head)
}

/// A key result's values as the replay knows them: unknown after it was added back (an addition carries
/// only its title).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Known {
    target: Option<i64>,
    current: Option<i64>,
}

fn replay(kickoff: &Plan, events: &[Value]) -> BTreeMap<String, Option<Known>> {
    let mut state: BTreeMap<String, Option<Known>> = kickoff
        .iter()
        .map(|(id, v)| {
            (
                id.to_string(),
                v.map(|v| Known {
                    target: Some(v.target),
                    current: Some(v.current),
                }),
            )
        })
        .collect();
    for event in events.iter().filter(|e| e["mid_quarter"] == true) {
        let Some(id) = event["key_result"].as_str() else {
            continue;
        };
        let entry = state.entry(id.to_owned()).or_insert(None);
        let to = event["to"].as_i64();
        match event["kind"].as_str().unwrap() {
            "kr_added" => {
                *entry = Some(Known {
                    target: None,
                    current: None,
                })
            }
            "kr_removed" => *entry = None,
            "kr_reworded" => {
                if let Some(old) = event["previous_id"].as_str() {
                    let moved = state.remove(old).flatten();
                    state.insert(id.to_owned(), moved);
                }
            }
            "kr_target_changed" => {
                if let Some(known) = entry {
                    known.target = to;
                }
            }
            "kr_progress" => {
                if let Some(known) = entry {
                    known.current = to;
                }
            }
            _ => {}
        }
    }
    state
}

/// Replays `repo`'s history from `kickoff` and checks it ends at `head`.
fn assert_replays(label: &str, repo: &GitRepo, kickoff: &Plan, head: &Plan) {
    let run = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(run.code, 0, "{label}: {}", run.stderr);
    let json = run.json();
    let events = json["events"].as_array().unwrap();
    let replayed = replay(kickoff, events);
    let graph = || repo.git(&["log", "--graph", "--oneline", "--all"]);
    for id in IDS {
        let expected = head[id];
        let got = replayed.get(id).copied().flatten();
        match (expected, got) {
            (None, None) => {}
            (Some(v), Some(known)) => {
                assert!(
                    known.target.is_none_or(|t| t == v.target)
                        && known.current.is_none_or(|c| c == v.current),
                    "{label}, {id}: replayed {known:?}, HEAD has {v:?}\n{}\n{events:#?}",
                    graph()
                );
            }
            (expected, got) => panic!(
                "{label}, {id}: replayed {got:?}, HEAD has {expected:?}\n{}\n{events:#?}",
                graph()
            ),
        }
    }
}

fn merges(repo: &GitRepo) -> usize {
    repo.git(&["rev-list", "--merges", "--count", "HEAD"])
        .parse()
        .unwrap()
}

#[test]
fn replaying_the_events_from_the_kickoff_plan_gives_the_last_commit_for_any_merges() {
    let mut count = 0;
    for seed in 1..=12 {
        let (repo, kickoff, head) = generate(seed);
        count += merges(&repo);
        assert_replays(&format!("seed {seed}"), &repo, &kickoff, &head);
    }
    assert!(
        count >= 12,
        "the generated histories merge ({count} merges)"
    );
}

#[test]
fn replaying_a_tangle_of_branches_criss_cross_and_octopus_merges_gives_the_last_commit() {
    let mut octopus = 0;
    let mut count = 0;
    for seed in 1..=16 {
        let (repo, kickoff, head) = tangled(seed);
        count += merges(&repo);
        octopus += repo
            .git(&["rev-list", "--min-parents=3", "--count", "HEAD"])
            .parse::<usize>()
            .unwrap();
        assert_replays(&format!("tangle {seed}"), &repo, &kickoff, &head);
    }
    assert!(
        count >= 40 && octopus >= 1,
        "{count} merges, {octopus} octopus"
    );
}
