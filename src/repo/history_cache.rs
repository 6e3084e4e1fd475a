//! A quarter's history as the last run computed it, kept between runs beside the walk cache: a repeated
//! `okr history` (or `okr report`, or the language server's hover) on a history that has not moved reads one
//! file instead of reading, parsing and comparing every revision again.
//!
//! Unlike the walk cache's entries, a history can go stale: it is the answer to one question, asked of one
//! state of everything it depends on. So the file holds one answer and the whole question it answers, and
//! is read only when every part of the question is the same ([`Question`]):
//!
//! - this build of okr (`OKR_BUILD_ID`, a hash of the sources okr was built from, see `build.rs`): a history
//!   computed by other logic is another answer;
//! - the repository (its git folder), where the workspace sits in it, the followed folder, and the object
//!   replacements in force;
//! - the commit the walk starts from (`HEAD` or `--rev` resolved: a new commit or a moved branch is a new
//!   question), and everything else of the query: quarter, `--first-parent`, `--team`, `--since`, `--until`;
//! - the workspace's whole `okr.toml` as read (the calendar, the planning window, the policy, the folder).
//!
//! Commits are fixed by their ids, so nothing else the read looks at can change under the same question. No
//! clock is asked: what depends on today is decided after the read, by each page.
//!
//! The file is signed with this user's key like the walk cache's ([`walk_cache::read_signed`]), replaced whole
//! by a rename, and kept one per repository and folder: a new answer replaces the old one, so the cache never
//! holds more than one history per quarter read. A read that noted something for stderr (a link it would not
//! follow, a cache file it did not trust) is not kept: a cached answer would not say it again.

use std::path::PathBuf;
use std::sync::Arc;

use gix::ObjectId;

use crate::core::compare::SnapshotFile;
use crate::core::history::{History, RemovedKeyResult};
use crate::repo::cache_config::CacheKey;
use crate::repo::git::Git;
use crate::repo::history::Query;
use crate::repo::history_codec::{self, Refs};
use crate::repo::revisions::Revisions;
use crate::repo::walk_cache::{self, Rejected};
use crate::repo::workspace::Workspace;

/// Names the format; a file of any other is ignored. Change it with the format.
const MAGIC: &[u8; 8] = b"okrhist1";
/// The folder of this format's files, under the cache folder.
const FOLDER: &str = "history-v1";

/// The history kept for one folder of one repository, and the question the next read asks.
pub struct HistoryCache {
    file: PathBuf,
    question: Vec<u8>,
    signing: CacheKey,
}

/// Everything a history read depends on, written out: equal questions have equal answers.
fn question(
    workspace: &Workspace,
    git: &Git,
    folder: &str,
    query: &Query,
    tip: ObjectId,
) -> Vec<u8> {
    let Query {
        quarter,
        rev: _,
        first_parent,
        team,
        since,
        until,
    } = query;
    // The revision as named is not asked: only the commit it names now matters.
    format!(
        "build {}\nrepository {}\nworkspace {}\nfolder {folder}\nreplacements {:?}\ntip {tip}\n\
         quarter {quarter}\nfirst-parent {first_parent}\nteam {team:?}\nsince {since:?}\nuntil {until:?}\n\
         config {:?}\n",
        env!("OKR_BUILD_ID"),
        git.cache_identity().display(),
        workspace.root.display(),
        git.replacements_digest(),
        workspace.config,
    )
    .into_bytes()
}

impl HistoryCache {
    /// The cache for reading `folder` as `query` asks, from `tip`; `None` when walks are not cached (the
    /// cache is off, or there is no key to sign with).
    pub fn open(
        workspace: &Workspace,
        git: &Git,
        folder: &str,
        query: &Query,
        tip: ObjectId,
    ) -> Option<HistoryCache> {
        let config = git.cache_config()?;
        let signing = CacheKey::load_or_create(&config.key_file).ok()?;
        let mut place = git.cache_identity().as_os_str().as_encoded_bytes().to_vec();
        for part in [
            workspace.root.as_os_str().as_encoded_bytes(),
            folder.as_bytes(),
        ] {
            place.push(b'\n');
            place.extend_from_slice(part);
        }
        Some(HistoryCache {
            file: config.dir.join(FOLDER).join(walk_cache::file_name(&place)),
            question: question(workspace, git, folder, query, tip),
            signing,
        })
    }

    /// The history kept for this very question, its parsed files read again from `git`; `None` when there is
    /// none (a note says so when a file was there that could not be trusted).
    pub fn load(&self, git: &Git) -> Option<History> {
        let body = match walk_cache::read_signed(&self.file, &self.signing) {
            Ok(body) => body?,
            Err(rejected) => {
                let why = match rejected {
                    Rejected::NotAFile => "it is not a regular file",
                    Rejected::NotSigned => {
                        "it is not signed with this user's key (written by another user or machine, \
                         edited or damaged); a new file replaces it"
                    }
                };
                git.note(format!(
                    "did not read the history cache file {}: {why}",
                    self.file.display()
                ));
                return None;
            }
        };
        let rest = body.strip_prefix(MAGIC.as_slice())?;
        let (length, rest) = rest.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_le_bytes(*length)).ok()?;
        if rest.get(..length)? != self.question.as_slice() {
            // Another question's answer: an older commit, another team, an edited okr.toml.
            return None;
        }
        let decoded = history_codec::decode(&rest[length..])?;
        drop(body);
        let mut history = decoded.history;
        // The parsed files, parsed again from the blobs they were parsed from.
        let mut revisions = Revisions::new(git);
        let mut parse = |(path, blob): &(Arc<str>, ObjectId)| -> Option<SnapshotFile> {
            Some(SnapshotFile {
                path: path.clone(),
                okr: revisions.revision(path, *blob).ok()??,
            })
        };
        history.kickoff_state = decoded
            .refs
            .kickoff_state
            .iter()
            .map(&mut parse)
            .collect::<Option<_>>()?;
        history.late_plans = decoded
            .refs
            .late_plans
            .iter()
            .map(&mut parse)
            .collect::<Option<_>>()?;
        history.removed_key_results = decoded
            .removed
            .into_iter()
            .zip(&decoded.refs.removed)
            .map(|((team, objective, event), (file, at, kr_at))| {
                let file = parse(file)?;
                Some(RemovedKeyResult {
                    team,
                    objective,
                    key_result: file
                        .okr
                        .objectives
                        .get(*at)?
                        .key_results
                        .get(*kr_at)?
                        .clone(),
                    event,
                })
            })
            .collect::<Option<_>>()?;
        Some(history)
    }

    /// Keeps `history`, whose parsed files came from `refs`, as the answer to this question. A history that
    /// has no layout is not kept; a file that cannot be written costs the next run time, never this one its
    /// answer.
    pub fn save(&self, history: &History, refs: &Refs) {
        let Some(answer) = history_codec::encode(history, refs) else {
            return;
        };
        let mut body =
            Vec::with_capacity(MAGIC.len() + 4 + self.question.len() + answer.len() + 32);
        body.extend_from_slice(MAGIC);
        let Ok(length) = u32::try_from(self.question.len()) else {
            return;
        };
        body.extend_from_slice(&length.to_le_bytes());
        body.extend_from_slice(&self.question);
        body.extend_from_slice(&answer);
        drop(answer);
        let _ = walk_cache::replace_whole(&self.file, &walk_cache::sign(body, &self.signing));
    }

    /// Where this cache is kept.
    pub fn file(&self) -> &std::path::Path {
        &self.file
    }
}
