//! The vocabulary: an OKR file, its objectives and key results, and the quarter they belong to.
//!
//! Every value keeps the position it was read from, so rules and later the change policy can point at it.
//! Fields a broken file may lack are `Option`: a file with problems still yields a model, so every other
//! problem in it can be found in the same run, and history can read revisions that were never quite valid.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::core::diagnostic::Pos;

/// Text read from a file, shared rather than copied: history puts each revision together from objectives
/// parsed before, and copying every title and id into every revision was a tenth of its allocations.
pub type Text = std::sync::Arc<str>;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

/// Output carries the value; positions are for findings, not for data consumers.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> Spanned<T> {
    pub fn new(value: T, pos: Pos) -> Spanned<T> {
        Spanned { value, pos }
    }
}

/// A quarter as written in files and folder names: `2026-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    /// 1 to 4.
    pub number: u8,
}

impl FromStr for Quarter {
    type Err = String;

    fn from_str(s: &str) -> Result<Quarter, String> {
        let bad = || format!("`{s}` is not a quarter; write it as YYYY-Qn, e.g. `2026-Q3`");
        let (year, number) = s.split_once("-Q").ok_or_else(bad)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || number.len() != 1 {
            return Err(bad());
        }
        let year: i16 = year.parse().map_err(|_| bad())?;
        let number: u8 = number.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&number) {
            return Err(format!(
                "`{s}` is not a quarter: a year has quarters Q1 to Q4"
            ));
        }
        Ok(Quarter { year, number })
    }
}

impl Quarter {
    /// A quarter named on the command line, where `2026-q3` is as clear as `2026-Q3` and people type both.
    /// Files and folder names keep the one spelling: history reads folders by name, and `quarter-mismatch`
    /// compares a file with its folder.
    pub fn parse_argument(text: &str) -> Result<Quarter, String> {
        text.parse().or_else(|refused| match text.split_once("-q") {
            Some((year, number)) => format!("{year}-Q{number}").parse().map_err(|_| refused),
            None => Err(refused),
        })
    }

    /// The quarter after this one; `None` after 9999-Q4, which no file can name.
    pub fn next(self) -> Option<Quarter> {
        let next = if self.number >= 4 {
            Quarter {
                year: self.year.checked_add(1)?,
                number: 1,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number + 1,
            }
        };
        (next.year <= 9999).then_some(next)
    }

    /// The quarter as written (`2026-Q3`), for the years four digits can hold.
    pub fn name(&self) -> Option<[u8; 7]> {
        let year = u16::try_from(self.year).ok().filter(|y| *y <= 9999)?;
        if !(1..=4).contains(&self.number) {
            return None;
        }
        let digit = |n: u16| b'0' + (n % 10) as u8;
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            b'Q',
            b'0' + self.number,
        ])
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // By hand where it can be: history names the quarter of every file of every commit it compares.
        match self.name() {
            Some(name) => f.write_str(std::str::from_utf8(&name).map_err(|_| fmt::Error)?),
            None => write!(f, "{:04}-Q{}", self.year, self.number),
        }
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A number from a file. Integers written as integers stay integers in every output (`2`, not `2.0`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Number(pub f64);

impl Number {
    fn as_integer(self) -> Option<i64> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: past it, f64 no longer holds every integer
        (self.0.fract() == 0.0 && self.0.abs() < EXACT).then_some(self.0 as i64)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_integer() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_integer() {
            Some(i) => serializer.serialize_i64(i),
            None => serializer.serialize_f64(self.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ObjectiveType {
    Committed,
    #[default]
    Aspirational,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Done,
    Dropped,
}

impl ObjectiveType {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveType::Committed => "committed",
            ObjectiveType::Aspirational => "aspirational",
        }
    }
}

impl Status {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }
}

/// `priority: P0 | P1 | P2 | P3` on an objective or a key result: P0 first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Priority {
    P0,
    P1,
    P2,
    P3,
}

impl Priority {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
        }
    }
}

/// `direction:` of a metric key result: which way is better, or a level to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better.
    Increase,
    /// Lower is better.
    Decrease,
    /// Hold at or above the target all quarter.
    AtLeast,
    /// Hold at or below the target all quarter.
    AtMost,
}

impl Direction {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
        }
    }
}

/// `health:` of a key result during the quarter, as its owner judges it at a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    OnTrack,
    AtRisk,
    OffTrack,
    NotStarted,
}

impl Health {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::OnTrack => "on_track",
            Health::AtRisk => "at_risk",
            Health::OffTrack => "off_track",
            Health::NotStarted => "not_started",
        }
    }

    /// As said in prose: `at risk`.
    pub fn words(self) -> &'static str {
        match self {
            Health::OnTrack => "on track",
            Health::AtRisk => "at risk",
            Health::OffTrack => "off track",
            Health::NotStarted => "not started",
        }
    }
}

/// Names as written in files, for parsing and for "did you mean" help.
pub const OBJECTIVE_TYPES: &[(&str, ObjectiveType)] = &[
    ("committed", ObjectiveType::Committed),
    ("aspirational", ObjectiveType::Aspirational),
];
pub const STATUSES: &[(&str, Status)] = &[
    ("active", Status::Active),
    ("done", Status::Done),
    ("dropped", Status::Dropped),
];
pub const PRIORITIES: &[(&str, Priority)] = &[
    ("P0", Priority::P0),
    ("P1", Priority::P1),
    ("P2", Priority::P2),
    ("P3", Priority::P3),
];
pub const DIRECTIONS: &[(&str, Direction)] = &[
    ("increase", Direction::Increase),
    ("decrease", Direction::Decrease),
    ("at_least", Direction::AtLeast),
    ("at_most", Direction::AtMost),
];
pub const HEALTHS: &[(&str, Health)] = &[
    ("on_track", Health::OnTrack),
    ("at_risk", Health::AtRisk),
    ("off_track", Health::OffTrack),
    ("not_started", Health::NotStarted),
];

/// One team's OKRs for one quarter: the content of one file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OkrFile {
    pub quarter: Option<Spanned<Quarter>>,
    pub team: Option<Spanned<Text>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Owners>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub objectives: Vec<Objective>,
    /// What the team wrote down at the quarter's end (format 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrospective: Option<WrittenRetrospective>,
    /// The `objectives` key, where count findings point.
    #[serde(skip)]
    pub objectives_key: Option<Pos>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// Where the objective's mapping starts.
    #[serde(skip)]
    pub pos: Pos,
    pub id: Option<Spanned<Text>>,
    pub title: Option<Spanned<Text>>,
    #[serde(
        rename = "type",
        serialize_with = "serialize_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<Spanned<ObjectiveType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Owners>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aligns_to: Option<Spanned<Alignment>>,
    /// The quarter this objective was carried over from, unfinished (`okr init --from`); its id is the same
    /// there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<Spanned<Quarter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Spanned<Status>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Spanned<Priority>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<Dropped>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Spanned<Text>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub key_results: Vec<KeyResult>,
    /// The `key_results` key, where count findings point.
    #[serde(skip)]
    pub key_results_key: Option<Pos>,
}

fn serialize_type<S: Serializer>(
    kind: &Option<Spanned<ObjectiveType>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    kind.as_ref().map(|k| k.value).serialize(serializer)
}

impl Objective {
    pub fn objective_type(&self) -> ObjectiveType {
        self.kind.as_ref().map(|k| k.value).unwrap_or_default()
    }

    pub fn status(&self) -> Status {
        self.status.as_ref().map(|s| s.value).unwrap_or_default()
    }
}

/// `aligns_to: company/customer-trust`: an objective of another (or the same) team in the same quarter; or
/// `company/customer-trust/api-availability`, one of that objective's key results (format 1.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alignment {
    pub team: String,
    pub objective: String,
    pub key_result: Option<String>,
}

impl Serialize for Alignment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Alignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.team, self.objective)?;
        match &self.key_result {
            Some(key_result) => write!(f, "/{key_result}"),
            None => Ok(()),
        }
    }
}

/// `owner:` one name, or a list of names (format 1.1). Reads as the names joined by `, ` wherever one text is
/// shown; [`Owners::names`] gives each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owners {
    names: Vec<Text>,
    joined: Text,
}

impl Owners {
    /// `names` must not be empty.
    pub fn new(names: Vec<Text>) -> Owners {
        let joined = Text::from(names.iter().map(|n| &**n).collect::<Vec<_>>().join(", "));
        Owners { names, joined }
    }

    pub fn names(&self) -> &[Text] {
        &self.names
    }
}

impl From<&str> for Owners {
    fn from(name: &str) -> Owners {
        Owners::new(vec![Text::from(name)])
    }
}

impl std::ops::Deref for Owners {
    type Target = str;
    fn deref(&self) -> &str {
        &self.joined
    }
}

/// As written: one name as text, several as a list.
impl Serialize for Owners {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.names[..] {
            [one] => serializer.serialize_str(one),
            names => names.serialize(serializer),
        }
    }
}

/// `links:` an issue, a dashboard, a spreadsheet: where the work or its numbers live. Only `http` and `https`
/// addresses are read (format 1.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Spanned<Text>>,
    pub url: Spanned<Text>,
}

/// `retrospective:` the team's own look back at the quarter, written at its end: what went well, what to
/// improve, what was learned (format 1.1). It is the team's words about the quarter as a whole, so it is
/// never the reason for a change of plan: reasons belong to the objective or key result that changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct WrittenRetrospective {
    /// The `retrospective` key.
    #[serde(skip)]
    pub pos: Pos,
    pub went_well: Vec<Spanned<Text>>,
    pub to_improve: Vec<Spanned<Text>>,
    pub learnings: Vec<Spanned<Text>>,
}

impl WrittenRetrospective {
    /// Its three lists with their field names, in the order the format gives them.
    pub fn sections(&self) -> [(&'static str, &[Spanned<Text>]); 3] {
        [
            ("went_well", &self.went_well),
            ("to_improve", &self.to_improve),
            ("learnings", &self.learnings),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.sections().iter().all(|(_, items)| items.is_empty())
    }
}

/// Why and when an objective was dropped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    /// The `dropped` key.
    #[serde(skip)]
    pub pos: Pos,
    pub date: Option<Spanned<jiff::civil::Date>>,
    pub reason: Option<Spanned<Text>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyResult {
    /// Where the key result's mapping starts.
    #[serde(skip)]
    pub pos: Pos,
    pub id: Option<Spanned<Text>>,
    pub title: Option<Spanned<Text>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<Spanned<bool>>,
    /// Which way is better, or a level to hold (format 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Spanned<Direction>>,
    /// A share done, 0 to 1, for work measured that way (format 1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Spanned<Text>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Spanned<Number>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Spanned<Text>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Owners>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Spanned<Priority>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<Spanned<Health>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// A `start`, `target`, `current` or `done` was written but could not be read (already reported), so
    /// whether the key result is measurable cannot be judged.
    #[serde(skip)]
    pub measure_unreadable: bool,
}

/// How a key result is measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// From `start` towards `target`; `current` is where it stands (the start until a check-in).
    Metric {
        start: Number,
        target: Number,
        current: Number,
    },
    /// Toward `target` from a start nobody measured (`direction: increase | decrease`); `current` is where it
    /// stands, if measured yet.
    Unbaselined {
        target: Number,
        current: Option<Number>,
        increase: bool,
    },
    /// A level to hold all quarter (`direction: at_least | at_most`); `start`, if known, is where it was.
    Threshold {
        target: Number,
        current: Option<Number>,
        start: Option<Number>,
        at_least: bool,
    },
    /// A share done, 0 to 1 (`progress`).
    Share { progress: Number },
    /// Done or not.
    Milestone { done: bool },
}

impl Measure {
    /// The target a check-in measures against, for the measures that have one.
    pub fn target(self) -> Option<Number> {
        match self {
            Measure::Metric { target, .. }
            | Measure::Unbaselined { target, .. }
            | Measure::Threshold { target, .. } => Some(target),
            Measure::Share { .. } | Measure::Milestone { .. } => None,
        }
    }

    /// The latest measured value, for the measures that have one.
    pub fn current(self) -> Option<Number> {
        match self {
            Measure::Metric { current, .. } => Some(current),
            Measure::Unbaselined { current, .. } | Measure::Threshold { current, .. } => current,
            Measure::Share { .. } | Measure::Milestone { .. } => None,
        }
    }
}

impl KeyResult {
    /// The measure, when the key result has a usable one. `done` makes a milestone and `progress` a share;
    /// otherwise a `target` with `start` is a metric, with `direction: at_least | at_most` a threshold, and
    /// without `start` but with `direction: increase | decrease` a metric of unknown baseline.
    pub fn measure(&self) -> Option<Measure> {
        if let Some(done) = &self.done {
            return Some(Measure::Milestone { done: done.value });
        }
        if let Some(progress) = &self.progress {
            return Some(Measure::Share {
                progress: progress.value,
            });
        }
        let target = self.target.as_ref()?.value;
        let start = self.start.as_ref().map(|s| s.value);
        let current = self.current.as_ref().map(|c| c.value);
        match (self.direction.as_ref().map(|d| d.value), start) {
            (Some(Direction::AtLeast), _) | (Some(Direction::AtMost), _) => {
                Some(Measure::Threshold {
                    target,
                    current,
                    start,
                    at_least: self
                        .direction
                        .as_ref()
                        .is_some_and(|d| d.value == Direction::AtLeast),
                })
            }
            (_, Some(start)) => Some(Measure::Metric {
                start,
                target,
                current: current.unwrap_or(start),
            }),
            (Some(direction), None) => Some(Measure::Unbaselined {
                target,
                current,
                increase: direction == Direction::Increase,
            }),
            (None, None) => None,
        }
    }
}

/// Is `s` a slug: `[a-z0-9][a-z0-9-]*`?
pub fn is_slug(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_print_as_written() {
        let q: Quarter = "2026-Q3".parse().unwrap();
        assert_eq!(
            q,
            Quarter {
                year: 2026,
                number: 3
            }
        );
        assert_eq!(q.to_string(), "2026-Q3");
        assert_eq!("0987-Q2".parse::<Quarter>().unwrap().to_string(), "0987-Q2");
        for bad in [
            "2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-q1", "2026-Q12", "",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn the_next_quarter_follows_q4_with_q1_of_the_next_year() {
        let next = |s: &str| s.parse::<Quarter>().unwrap().next().map(|q| q.to_string());
        assert_eq!(next("2026-Q3").as_deref(), Some("2026-Q4"));
        assert_eq!(next("2026-Q4").as_deref(), Some("2027-Q1"));
        assert_eq!(next("9999-Q3").as_deref(), Some("9999-Q4"));
        assert_eq!(next("9999-Q4"), None);
    }

    #[test]
    fn a_command_line_quarter_may_have_a_lowercase_q() {
        let q3: Quarter = "2026-Q3".parse().unwrap();
        assert_eq!(Quarter::parse_argument("2026-q3"), Ok(q3));
        assert_eq!(Quarter::parse_argument("2026-Q3"), Ok(q3));
        for bad in ["2026-q5", "2026q3", "2026-q", "q3", "2026-qq3"] {
            let refused = Quarter::parse_argument(bad).unwrap_err();
            assert!(refused.contains(&format!("`{bad}`")), "{refused}");
        }
    }

    #[test]
    fn integral_numbers_stay_integers_in_output() {
        assert_eq!(Number(2.0).to_string(), "2");
        assert_eq!(Number(99.9).to_string(), "99.9");
        assert_eq!(serde_json::to_string(&Number(4.0)).unwrap(), "4");
        assert_eq!(serde_json::to_string(&Number(0.25)).unwrap(), "0.25");
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert!(is_slug("boring-deploys"));
        assert!(is_slug("2fa"));
        assert!(!is_slug("Boring"));
        assert!(!is_slug("-x"));
        assert!(!is_slug("a b"));
        assert!(!is_slug(""));
    }
}
