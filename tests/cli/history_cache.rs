//! The history cache: a quarter's history as the last run computed it, read back by a run that asks the very
//! same question. A run with it must say exactly what a run without it says, in every format and whatever
//! changed in between, and a file this user's okr did not write must change nothing.

use std::path::{Path, PathBuf};

use hmac::{KeyInit, Mac};
use okr::repo::cache_config::CacheKey;
use okr::repo::history_codec;

use crate::repo::{GitRepo, company_file, team_file};
use crate::support::{Run, okr_command, suite_state_dir};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// `okr ARGS` with the cache in `cache` (`None`: `OKR_CACHE=off`); whatever it says on stderr.
fn run(repo: &GitRepo, cache: Option<&Path>, args: &[&str]) -> Run {
    let mut command = okr_command(repo.path());
    match cache {
        Some(dir) => command.env("OKR_CACHE_DIR", dir),
        None => command.env("OKR_CACHE", "off"),
    };
    let run = Run::from(command.args(args).output().expect("okr runs"));
    assert_eq!(run.code, 0, "{args:?}: {run:?}");
    run
}

/// [`run`], saying nothing on stderr: a cache never adds to what okr says.
fn quiet(repo: &GitRepo, cache: Option<&Path>, args: &[&str]) -> String {
    let run = run(repo, cache, args);
    assert_eq!(run.stderr, "", "{args:?}");
    run.stdout
}

/// The history files under `cache`.
fn history_files(cache: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(cache.join("history-v1")) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

fn the_history_file(cache: &Path) -> PathBuf {
    let files = history_files(cache);
    assert_eq!(files.len(), 1, "one quarter read, one file: {files:?}");
    files[0].clone()
}

/// A quarter with a plan, a mid-quarter change with its reason, and a key result removed mid-quarter.
fn quarter() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write(PLATFORM, &team_file("platform"));
    repo.write("okrs/2026-Q4/platform.yaml", &team_file("platform"));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.replace_once(PLATFORM, "target: 2", "target: 4");
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        "Relax the deploy target\n\nReason: the new pipeline lands in Q4",
    );
    repo
}

const HISTORY: [&str; 3] = ["history", "--quarter", "2026-Q3"];

#[test]
fn a_cached_history_is_byte_identical_to_an_uncached_one_in_every_format() {
    // The demo has every kind of change: drops, removals, rewordings, late plans, an unreadable revision.
    let repo = GitRepo::demo();
    let cache = tempfile::tempdir().unwrap();
    let commands: Vec<Vec<&str>> = ["human", "markdown", "json", "html"]
        .into_iter()
        .map(|format| vec!["history", "--format", format])
        .chain(
            ["human", "markdown", "json", "html"]
                .into_iter()
                .map(|format| vec!["report", "--format", format]),
        )
        .chain([
            vec!["history", "--team", "platform", "--format", "json"],
            vec!["history", "--since", "2026-08-01", "--format", "json"],
            vec!["history", "--first-parent", "--format", "json"],
            vec!["report", "--retro", "--format", "json"],
        ])
        .collect();
    for args in &commands {
        let uncached = run(&repo, None, args);
        let cold = run(&repo, Some(cache.path()), args);
        assert!(!history_files(cache.path()).is_empty(), "{args:?} kept it");
        let warm = run(&repo, Some(cache.path()), args);
        assert_eq!(cold.stdout, uncached.stdout, "{args:?}, cold");
        assert_eq!(warm.stdout, uncached.stdout, "{args:?}, warm");
        assert_eq!(warm.stderr, uncached.stderr, "{args:?}, warm");
    }
}

/// The kept file, its answer changed (every author renamed) and signed again with `signing`.
fn rewrite(file: &Path, signing: &[u8]) {
    let bytes = std::fs::read(file).unwrap();
    let body = &bytes[..bytes.len() - 32];
    // Magic (8 bytes), the question's length (4) and the question, then the answer.
    let length = u32::from_le_bytes(body[8..12].try_into().unwrap()) as usize;
    let (head, answer) = body.split_at(12 + length);
    let mut decoded = history_codec::decode(answer).expect("the answer reads");
    for event in &mut decoded.history.events {
        event.author = "Someone Else".into();
    }
    let mut rewritten = head.to_vec();
    rewritten.extend(history_codec::encode(&decoded.history, &decoded.refs).unwrap());
    let signer = hmac::Hmac::<sha2::Sha256>::new_from_slice(signing).unwrap();
    let signature = signer.chain_update(&rewritten).finalize().into_bytes();
    rewritten.extend_from_slice(&signature);
    std::fs::write(file, rewritten).unwrap();
}

/// The key the suite's runs of okr sign their cache files with.
fn users_key() -> Vec<u8> {
    CacheKey::load_or_create(&suite_state_dir().join("okr/cache-key"))
        .unwrap()
        .as_bytes()
        .to_vec()
}

#[test]
fn a_repeated_run_answers_from_the_kept_history() {
    // Proof that a warm run reads the file and nothing else, and so why only a file signed with this
    // user's key may be read: a changed answer, signed with it, is believed.
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let args = [&HISTORY[..], &["--format", "json"]].concat();
    let uncached = quiet(&repo, None, &args);
    assert_eq!(quiet(&repo, Some(cache.path()), &args), uncached);
    rewrite(&the_history_file(cache.path()), &users_key());
    let believed = quiet(&repo, Some(cache.path()), &args);
    assert!(believed.contains("Someone Else"), "{believed}");
    assert!(!uncached.contains("Someone Else"));
}

#[test]
fn a_damaged_or_foreign_history_file_is_ignored_and_replaced_with_a_note() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let args = [&HISTORY[..], &["--format", "json"]].concat();
    let expected = quiet(&repo, None, &args);
    assert_eq!(quiet(&repo, Some(cache.path()), &args), expected);
    let file = the_history_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x10;
    for (what, damage) in [
        ("one bit flipped", Some(flipped)),
        ("cut short", Some(good[..good.len() - 5].to_vec())),
        ("empty", Some(Vec::new())),
        ("signed with another key", None),
    ] {
        match damage {
            Some(bytes) => std::fs::write(&file, bytes).unwrap(),
            None => {
                std::fs::write(&file, &good).unwrap();
                rewrite(&file, &[0x5a; 32]);
            }
        }
        let noted = run(&repo, Some(cache.path()), &args);
        assert_eq!(noted.stdout, expected, "{what}");
        assert!(
            noted.stderr.contains("did not read the history cache file")
                && noted.stderr.contains("not signed with this user's key"),
            "{what}: {}",
            noted.stderr
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{what}: replaced whole"
        );
        assert_eq!(
            quiet(&repo, Some(cache.path()), &args),
            expected,
            "{what}: then silent"
        );
    }
}

#[test]
fn a_changed_question_gets_the_answer_a_run_without_the_cache_gives() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    fn json<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [&HISTORY[..], &["--format", "json"], extra].concat()
    }
    let same = |args: &[&str], what: &str| {
        let uncached = quiet(&repo, None, args);
        assert_eq!(
            quiet(&repo, Some(cache.path()), args),
            uncached,
            "{what}, cold"
        );
        assert_eq!(
            quiet(&repo, Some(cache.path()), args),
            uncached,
            "{what}, warm"
        );
        uncached
    };
    let before = same(&json(&[]), "first");
    // Each of these asks another question of the same history file.
    same(&json(&["--team", "platform"]), "another team");
    same(&json(&["--rev", "HEAD~1"]), "an older revision");
    same(&json(&["--until", "2026-07-01"]), "a narrower window");
    same(
        &["history", "--quarter", "2026-Q4", "--format", "json"],
        "another quarter",
    );
    // The cached answer for HEAD is there now; a commit moves HEAD on.
    assert_eq!(quiet(&repo, Some(cache.path()), &json(&[])), before);
    repo.replace_once(PLATFORM, "target: 15", "target: 20");
    repo.commit("2026-08-20T10:00:00+02:00", "Sam Roe", "Aim for 20 minutes");
    let after = same(&json(&[]), "a new commit");
    assert!(after.contains("Aim for 20 minutes"), "{after}");
    // okr.toml is read from the working tree, not from a commit: the same HEAD, another question.
    assert_eq!(quiet(&repo, Some(cache.path()), &json(&[])), after);
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\nplanning_window_days = 14\n[policy]\nmode = \"off\"\n",
    );
    let no_policy = same(&json(&[]), "the policy turned off");
    assert!(no_policy != after, "no change requires a reason now");
    repo.write("okr.toml", "dir = \"okrs\"\nplanning_window_days = 60\n");
    let later_kickoff = same(&json(&[]), "a longer planning window");
    assert!(later_kickoff != after, "the window moved the kickoff");
    // A history that reads the same folder through an amended commit (same tree, another id).
    repo.git(&["commit", "--amend", "-m", "Aim for 20 minutes, really"]);
    same(&json(&[]), "a rewritten commit");
}

#[test]
fn with_okr_cache_off_no_history_is_kept_or_read() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let args = [&HISTORY[..], &["--format", "json"]].concat();
    let mut command = okr_command(repo.path());
    command
        .env("OKR_CACHE_DIR", cache.path())
        .env("OKR_CACHE", "off")
        .args(&args);
    assert!(command.output().unwrap().status.success());
    assert_eq!(history_files(cache.path()), Vec::<PathBuf>::new());
    // Nor read: a believable rewritten file is not believed with the cache off.
    quiet(&repo, Some(cache.path()), &args);
    rewrite(&the_history_file(cache.path()), &users_key());
    let off = Run::from(
        okr_command(repo.path())
            .env("OKR_CACHE_DIR", cache.path())
            .env("OKR_CACHE", "off")
            .args(&args)
            .output()
            .unwrap(),
    );
    assert!(!off.stdout.contains("Someone Else"), "{}", off.stdout);
}

#[test]
fn a_report_reads_the_history_its_history_command_kept() {
    // `okr report` asks the same question as `okr history` with no filters: the second finds it kept.
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let report = ["report", "--quarter", "2026-Q3", "--format", "json"];
    let expected = quiet(&repo, None, &report);
    quiet(
        &repo,
        Some(cache.path()),
        &[&HISTORY[..], &["--format", "json"]].concat(),
    );
    let file = the_history_file(cache.path());
    let kept = std::fs::read(&file).unwrap();
    assert_eq!(quiet(&repo, Some(cache.path()), &report), expected);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        kept,
        "read, not written again"
    );
}
