//! The names `aligns_to` can give in each quarter (`team/objective`, `team/objective/key-result`), among which an
//! unknown alignment's "did you mean" is chosen: gathered from the files once for `okr validate`, or kept
//! between edits by the language server, which adds and removes one file's names as the file changes instead of
//! listing a quarter's 40,000 names at each keystroke.

use std::collections::{BTreeMap, HashMap};

use crate::core::model::{OkrFile, Quarter};
use crate::core::rules::alignment::quarter_of;

/// The names files define, by quarter and kind, each with how many files define it: a name stays while any
/// file still defines it (two files may, for one team, and duplicate-id says so).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Targets {
    /// (quarter, of key results) → name → how many files define it; never a count of 0 or an empty map, so two
    /// indexes of the same names are equal.
    names: HashMap<(Quarter, bool), BTreeMap<String, usize>>,
}

impl Targets {
    /// The names every one of `files` defines.
    pub fn of_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a OkrFile)>) -> Targets {
        let mut targets = Targets::default();
        for (path, file) in files {
            targets.add(path, file);
        }
        targets
    }

    /// Counts the names the file at `path` defines. Returns whether a name new to the index came of it.
    pub fn add(&mut self, path: &str, file: &OkrFile) -> bool {
        let mut new = false;
        each_name(path, file, |key, name| {
            let count = self.names.entry(key).or_default().entry(name).or_insert(0);
            new |= *count == 0;
            *count += 1;
        });
        new
    }

    /// Uncounts what [`Targets::add`] counted for the same file. Returns whether a name left the index.
    pub fn remove(&mut self, path: &str, file: &OkrFile) -> bool {
        let mut gone = false;
        each_name(path, file, |key, name| {
            let Some(names) = self.names.get_mut(&key) else {
                return;
            };
            if let Some(count) = names.get_mut(&name) {
                *count -= 1;
                if *count == 0 {
                    names.remove(&name);
                    gone = true;
                }
            }
            if names.is_empty() {
                self.names.remove(&key);
            }
        });
        gone
    }

    /// The names of `quarter` (of key results, or of objectives), sorted.
    pub fn names(&self, quarter: Quarter, of_key_results: bool) -> Vec<&str> {
        self.names
            .get(&(quarter, of_key_results))
            .into_iter()
            .flat_map(|names| names.keys().map(String::as_str))
            .collect()
    }
}

/// Each name `aligns_to` can give that the file defines, with its quarter and kind. A key result with an empty
/// id names its objective, as the alignment rule's set of known targets counts it, so it is no name of its own.
fn each_name(path: &str, file: &OkrFile, mut found: impl FnMut((Quarter, bool), String)) {
    let (Some(quarter), Some(team)) = (quarter_of(path, file), &file.team) else {
        return;
    };
    for objective in &file.objectives {
        let Some(id) = &objective.id else { continue };
        found((quarter, false), format!("{}/{}", team.value, id.value));
        for kr in &objective.key_results {
            match kr.id.as_ref().map(|k| &*k.value) {
                Some("") | None => {}
                Some(kr) => found((quarter, true), format!("{}/{}/{kr}", team.value, id.value)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::parse;

    fn okr(text: &str) -> OkrFile {
        parse("okrs/2026-Q3/x.yaml", text.as_bytes().to_vec())
            .okr
            .unwrap()
    }

    #[test]
    fn a_name_stays_while_any_file_defines_it() {
        let a = okr(
            "quarter: 2026-Q3\nteam: a\nobjectives:\n  - id: o\n    title: T\n    key_results:\n      - {id: k, title: K, done: false}\n",
        );
        let path = "okrs/2026-Q3/a.yaml";
        let mut targets = Targets::default();
        assert!(targets.add(path, &a));
        assert!(
            !targets.add("okrs/2026-Q3/a2.yaml", &a),
            "a second file of a"
        );
        let q3 = Quarter {
            year: 2026,
            number: 3,
        };
        assert_eq!(targets.names(q3, false), ["a/o"]);
        assert_eq!(targets.names(q3, true), ["a/o/k"]);
        assert!(!targets.remove("okrs/2026-Q3/a2.yaml", &a));
        assert_eq!(targets.names(q3, true), ["a/o/k"]);
        assert!(targets.remove(path, &a));
        assert_eq!(targets, Targets::default());
    }
}
