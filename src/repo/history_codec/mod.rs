//! A quarter's [`History`] as bytes and back, for the history cache ([`crate::repo::history_cache`]).
//!
//! A hand layout rather than serde: the events' JSON form leaves out what other readers need (each change's
//! position, its YAML reason, what it came with) and writes values untagged, so it cannot be read back, and a
//! second set of derives over the core types would be as long as this and slower. Exactness is kept three
//! ways:
//!
//! - every struct is taken apart field by field with no `..`, so a field added to one cannot compile until it
//!   is written here too;
//! - every enum is written as its place in a list of its values: a value missing from the list cannot be
//!   written (the history is then not cached), and a place past its end cannot be read (the file is then no
//!   cache);
//! - text is written as is, numbers as their bits, so user text and values come back byte for byte.
//!
//! The parsed OKR files a history holds (the plan at kickoff, late plans, removed key results) are not written
//! at all: they are named by path and blob id, and parsed again from the repository when read ([`Refs`]).
//! Parsing is exact by construction; a second model layout would not be.
//!
//! Strings are written once each, in a table, and referred to by index: a quarter's events repeat the same
//! paths, teams, commit ids, dates and authors thousands of times, and read back they share one allocation.

use std::sync::Arc;

use gix::ObjectId;

use crate::core::change::{ChangeKind, Context, Direction, WordOp};
use crate::core::history::{CheckIn, History, RemovedKeyResult, Trajectory, Warning};
use crate::core::model::{ObjectiveType, Quarter, Status};
use crate::core::reason::ReasonSource;

mod read;
mod write;

use read::Reader;
use write::Writer;

/// Where the parsed files of a history came from, to parse them again: by (path, blob).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    pub kickoff_state: Vec<(Arc<str>, ObjectId)>,
    pub late_plans: Vec<(Arc<str>, ObjectId)>,
    /// Per removed key result, in the history's order: the file it stood in, and its place there
    /// (objective, key result).
    pub removed: Vec<((Arc<str>, ObjectId), usize, usize)>,
}

/// A history without its parsed files, and where they came from.
pub struct Decoded {
    pub history: History,
    pub refs: Refs,
    /// Per removed key result: team, objective and event, for [`RemovedKeyResult`] once its key result is
    /// parsed again.
    pub removed: Vec<(String, String, usize)>,
}

const KINDS: [ChangeKind; 24] = [
    ChangeKind::ObjectiveAdded,
    ChangeKind::ObjectiveRemoved,
    ChangeKind::ObjectiveDropped,
    ChangeKind::ObjectiveReworded,
    ChangeKind::ObjectiveRealigned,
    ChangeKind::ObjectiveStatusChanged,
    ChangeKind::ObjectiveTypeChanged,
    ChangeKind::ObjectiveCarriedFromChanged,
    ChangeKind::OwnerChanged,
    ChangeKind::NotesChanged,
    ChangeKind::KrAdded,
    ChangeKind::KrRemoved,
    ChangeKind::KrTargetChanged,
    ChangeKind::KrRebaselined,
    ChangeKind::KrReworded,
    ChangeKind::KrProgress,
    ChangeKind::KrConfidenceChanged,
    ChangeKind::KrScored,
    ChangeKind::KrUnitChanged,
    ChangeKind::KrMeasureChanged,
    ChangeKind::PriorityChanged,
    ChangeKind::KrHealthChanged,
    ChangeKind::LinksChanged,
    ChangeKind::RetrospectiveChanged,
];
const CONTEXTS: [Context; 3] = [
    Context::Edit,
    Context::WithObjective,
    Context::FirstRevision,
];
const DIRECTIONS: [Direction; 2] = [Direction::Easier, Direction::Harder];
const WORD_OPS: [WordOp; 3] = [WordOp::Equal, WordOp::Delete, WordOp::Insert];
const SOURCES: [ReasonSource; 3] = [
    ReasonSource::Yaml,
    ReasonSource::Trailer,
    ReasonSource::Body,
];
const STATUSES: [Status; 3] = [Status::Active, Status::Done, Status::Dropped];
const TYPES: [ObjectiveType; 2] = [ObjectiveType::Committed, ObjectiveType::Aspirational];

/// The place of `value` in `all`; `None` when the list misses it (then nothing is written).
fn place<T: PartialEq>(all: &[T], value: &T) -> Option<u64> {
    all.iter().position(|v| v == value).map(|p| p as u64)
}

/// Writes `history` (whose parsed files came from `refs`); `None` when some value has no layout here.
pub fn encode(history: &History, refs: &Refs) -> Option<Vec<u8>> {
    let History {
        quarter,
        start,
        end,
        kickoff,
        events,
        warnings,
        summary,
        kickoff_state: _,
        late_plans: _,
        removed_key_results,
        trajectories,
    } = history;
    let mut out = Writer::default();
    out.int(i64::from(quarter.year));
    out.uint(u64::from(quarter.number));
    for day in [start, end, kickoff] {
        out.date(*day);
    }
    out.uint(events.len() as u64);
    for event in events {
        out.event(event)?;
    }
    out.uint(warnings.len() as u64);
    for Warning {
        commit,
        path,
        message,
    } in warnings
    {
        out.text(commit);
        out.text(path);
        out.text(message);
    }
    out.summary(summary);
    out.uint(trajectories.len() as u64);
    for Trajectory {
        team,
        objective,
        key_result,
        points,
    } in trajectories
    {
        out.text(team);
        out.text(objective);
        out.text(key_result);
        out.uint(points.len() as u64);
        for CheckIn {
            date,
            commit,
            current,
            target,
        } in points
        {
            out.date(*date);
            out.text(commit);
            out.number(*current);
            out.number(*target);
        }
    }
    for files in [&refs.kickoff_state, &refs.late_plans] {
        out.uint(files.len() as u64);
        for file in files {
            out.file(file);
        }
    }
    if refs.removed.len() != removed_key_results.len() {
        return None;
    }
    out.uint(refs.removed.len() as u64);
    for (
        RemovedKeyResult {
            team,
            objective,
            key_result: _,
            event,
        },
        (file, objective_at, key_result_at),
    ) in removed_key_results.iter().zip(&refs.removed)
    {
        out.text(team);
        out.text(objective);
        out.uint(*event as u64);
        out.file(file);
        out.uint(*objective_at as u64);
        out.uint(*key_result_at as u64);
    }
    Some(out.finish())
}

/// Reads what [`encode`] wrote; `None` for anything else. The parsed files are left empty, for the caller to
/// parse again from [`Decoded::refs`].
pub fn decode(bytes: &[u8]) -> Option<Decoded> {
    let mut input = Reader::new(bytes)?;
    let quarter = Quarter {
        year: i16::try_from(input.int()?).ok()?,
        number: u8::try_from(input.uint()?).ok()?,
    };
    let (start, end, kickoff) = (input.date()?, input.date()?, input.date()?);
    let count = input.count()?;
    let mut events = Vec::with_capacity(count);
    for _ in 0..count {
        events.push(input.event()?);
    }
    let count = input.count()?;
    let mut warnings = Vec::with_capacity(count);
    for _ in 0..count {
        warnings.push(Warning {
            commit: input.string()?,
            path: input.string()?,
            message: input.string()?,
        });
    }
    let summary = input.summary()?;
    let count = input.count()?;
    let mut trajectories = Vec::with_capacity(count);
    for _ in 0..count {
        let (team, objective, key_result) = (input.text()?, input.text()?, input.text()?);
        let points = (0..input.count()?)
            .map(|_| {
                Some(CheckIn {
                    date: input.date()?,
                    commit: input.text()?,
                    current: input.number()?,
                    target: input.number()?,
                })
            })
            .collect::<Option<_>>()?;
        trajectories.push(Trajectory {
            team,
            objective,
            key_result,
            points,
        });
    }
    let kickoff_state = (0..input.count()?)
        .map(|_| input.file())
        .collect::<Option<_>>()?;
    let late_plans = (0..input.count()?)
        .map(|_| input.file())
        .collect::<Option<_>>()?;
    let mut refs = Refs {
        kickoff_state,
        late_plans,
        removed: Vec::new(),
    };
    let mut removed = Vec::new();
    for _ in 0..input.count()? {
        removed.push((input.string()?, input.string()?, input.index()?));
        refs.removed
            .push((input.file()?, input.index()?, input.index()?));
    }
    if !input.at_end() {
        return None;
    }
    let history = History {
        quarter,
        start,
        end,
        kickoff,
        events,
        warnings,
        summary,
        kickoff_state: Vec::new(),
        late_plans: Vec::new(),
        removed_key_results: Vec::new(),
        trajectories,
    };
    Some(Decoded {
        history,
        refs,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use jiff::civil::Date;

    use super::*;
    use crate::core::change::{Change, Value, WordEdit, YamlReason};
    use crate::core::diagnostic::Pos;
    use crate::core::history::{Event, KickoffObjective, Summary};
    use crate::core::model::Number;

    fn id(byte: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[byte; 20])
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// An event of every kind, with each value and optional part in turn, and text no format would like.
    fn history() -> (History, Refs) {
        let values = [
            Value::None,
            Value::Number(Number(-0.0)),
            Value::Number(Number(f64::NAN)),
            Value::Number(Number(1e300)),
            Value::Bool(true),
            Value::Text("naïve \u{202e}text\n\"quoted\"\0".to_owned()),
            Value::Status(Status::Dropped),
            Value::Type(ObjectiveType::Committed),
        ];
        let commit: Arc<str> = Arc::from("c0ffee".repeat(7).as_str());
        let events = KINDS
            .iter()
            .enumerate()
            .map(|(n, kind)| Event {
                change: Change {
                    kind: *kind,
                    path: format!("okrs/2026-Q3/team-{}.yaml", n % 3),
                    quarter: (n % 2 == 0).then(|| "2026-Q3".to_owned()),
                    team: "platform".to_owned(),
                    objective: (n % 3 != 0).then(|| format!("objective-{n}")),
                    key_result: (n % 4 == 1).then(|| "kr".to_owned()),
                    from: values[n % values.len()].clone(),
                    to: values[(n + 3) % values.len()].clone(),
                    direction: [None, Some(Direction::Easier), Some(Direction::Harder)][n % 3],
                    words: (n % 5 == 0).then(|| {
                        WORD_OPS
                            .iter()
                            .map(|op| WordEdit {
                                op: *op,
                                text: format!("{op:?} "),
                            })
                            .collect()
                    }),
                    previous_id: (n == 7).then(|| "old-id".to_owned()),
                    yaml_reason: [
                        None,
                        Some(YamlReason::Dropped("why".to_owned())),
                        Some(YamlReason::Notes(String::new())),
                    ][n % 3]
                        .clone(),
                    pos: Pos::new(n as u32 + 1, u32::MAX),
                    context: CONTEXTS[n % CONTEXTS.len()],
                },
                commit: commit.clone(),
                date: Arc::from("2026-08-14T14:05:00+02:00"),
                landed: Arc::from("2026-08-15T09:00:00-11:30"),
                author: Arc::from("Zoë 🦀"),
                message: Arc::from(""),
                mid_quarter: n % 2 == 1,
                planned_late: n % 3 == 1,
                requires_reason: n % 5 == 1,
                reason: (n % 2 == 0).then(|| "a reason\r\nin two lines".to_owned()),
                reason_source: [
                    None,
                    Some(ReasonSource::Yaml),
                    Some(ReasonSource::Trailer),
                    Some(ReasonSource::Body),
                ][n % 4],
            })
            .collect();
        let history = History {
            quarter: Quarter {
                year: 2026,
                number: 3,
            },
            start: day("2026-07-01"),
            end: day("2026-09-30"),
            kickoff: day("2026-07-15"),
            events,
            warnings: vec![Warning {
                commit: commit.to_string(),
                path: "okrs/2026-Q3/x.yaml".to_owned(),
                message: "skipped".to_owned(),
            }],
            summary: Summary {
                kickoff: vec![KickoffObjective {
                    team: "platform".to_owned(),
                    objective: "o".to_owned(),
                    title: "Ship it".to_owned(),
                    key_results: 3,
                }],
                planned_late: vec![1],
                added_after_kickoff: vec![2, 3],
                dropped: vec![],
                removed: vec![4],
                made_easier: vec![5],
                made_harder: vec![6],
                other_pivots: vec![7, 100_000],
                check_ins: 12,
            },
            kickoff_state: Vec::new(),
            late_plans: Vec::new(),
            removed_key_results: Vec::new(),
            trajectories: vec![Trajectory {
                team: Arc::from("platform"),
                objective: Arc::from("o"),
                key_result: Arc::from("kr"),
                points: vec![CheckIn {
                    date: day("2026-07-20"),
                    commit,
                    current: Number(0.1 + 0.2),
                    target: Number(-3.0),
                }],
            }],
        };
        let refs = Refs {
            kickoff_state: vec![(Arc::from("okrs/2026-Q3/a.yaml"), id(1))],
            late_plans: vec![(Arc::from("okrs/2026-Q3/b.yaml"), id(2))],
            removed: Vec::new(),
        };
        (history, refs)
    }

    #[test]
    fn a_history_reads_back_as_it_was_written() {
        let (history, refs) = history();
        let bytes = encode(&history, &refs).expect("every value has a layout");
        let decoded = decode(&bytes).expect("reads back");
        assert_eq!(format!("{:?}", decoded.history), format!("{history:?}"));
        assert_eq!(decoded.refs, refs);
        let nan = |h: &History| match &h.events[2].change.from {
            Value::Number(n) => n.0.to_bits(),
            other => panic!("{other:?}"),
        };
        assert_eq!(nan(&decoded.history), nan(&history), "the very bits");
    }

    #[test]
    fn every_value_of_every_enum_has_its_own_place() {
        fn distinct<T: PartialEq + std::fmt::Debug>(all: &[T]) {
            for (n, value) in all.iter().enumerate() {
                assert_eq!(place(all, value), Some(n as u64), "{value:?}");
            }
        }
        distinct(&KINDS);
        distinct(&CONTEXTS);
        distinct(&DIRECTIONS);
        distinct(&WORD_OPS);
        distinct(&SOURCES);
        distinct(&STATUSES);
        distinct(&TYPES);
        // Every kind the JSON names is in the list: a kind left out would never be cached.
        let named: std::collections::BTreeSet<&str> = KINDS.iter().map(|k| k.as_str()).collect();
        assert_eq!(named.len(), KINDS.len());
    }

    #[test]
    fn damaged_bytes_are_no_history_and_never_a_panic() {
        let (history, refs) = history();
        let good = encode(&history, &refs).unwrap();
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
        // Any byte changed: either still some history (the signature, checked before, is what refuses
        // those) or none, never a panic.
        for at in 0..good.len() {
            let mut changed = good.clone();
            changed[at] ^= 0xff;
            let _ = decode(&changed);
        }
    }
}
