//! Which file of one revision a file of another is: the same team in the same quarter, from the content.

use super::SnapshotFile;

/// Which file of another revision a file corresponds to: the same team in the same quarter. Compared as
/// text (a quarter from the content equals the folder name it would be written as), and built without
/// allocating: history compares every file of every commit it reads.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Identity<'a> {
    pub(super) quarter: QuarterName<'a>,
    pub(super) team: &'a str,
}

/// A quarter's name as text: formatted into a small buffer, or as written in a folder name.
pub(super) enum QuarterName<'a> {
    Formatted([u8; 7]),
    Written(&'a [u8]),
    Other(String),
}

impl QuarterName<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            QuarterName::Formatted(name) => name,
            QuarterName::Written(name) => name,
            QuarterName::Other(name) => name.as_bytes(),
        }
    }

    pub(super) fn to_text(&self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }
}

impl PartialEq for QuarterName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for QuarterName<'_> {}

impl PartialOrd for QuarterName<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// As text is ordered (byte by byte), so files come out in the same order however their quarter is known.
impl Ord for QuarterName<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

pub(super) fn identity(file: &SnapshotFile) -> Identity<'_> {
    let quarter = match &file.okr.quarter {
        Some(q) => match q.value.name() {
            Some(name) => QuarterName::Formatted(name),
            None => QuarterName::Other(q.value.to_string()),
        },
        None => {
            let mut parts = file.path.rsplit('/');
            parts.next();
            QuarterName::Written(parts.next().unwrap_or_default().as_bytes())
        }
    };
    Identity {
        quarter,
        team: team_name(file),
    }
}

/// The team part of a file's identity: from its content, else its file name.
pub(super) fn team_name(file: &SnapshotFile) -> &str {
    match &file.okr.team {
        Some(t) => t.value.as_ref(),
        None => {
            let name = file.path.rsplit('/').next().unwrap_or_default();
            name.trim_end_matches(".yaml").trim_end_matches(".yml")
        }
    }
}

/// Which team's file, in which quarter, `file` is — as [`Change::quarter`] and [`Change::team`] name it.
pub fn team_of(file: &SnapshotFile) -> (Option<String>, String) {
    let identity = identity(file);
    let quarter = identity.quarter.to_text();
    (
        Some(quarter).filter(|q| !q.is_empty()),
        identity.team.to_owned(),
    )
}
