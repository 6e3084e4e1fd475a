//! The walk cache: what `okr history` remembers between runs outside the repository. A run with it must
//! say exactly what a run without it says, whatever state the cache is in, and `OKR_CACHE=off` must leave
//! no trace.

use std::path::Path;

use hmac::{KeyInit, Mac};
use okr::repo::cache_config::CacheKey;
use okr::repo::walk_cache::WalkCache;

use crate::repo::{GitRepo, company_file, team_file};
use crate::support::{Run, okr_command, suite_state_dir};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// `okr history` for 2026-Q3 as JSON with the cache in `cache` (`None`: `OKR_CACHE=off`).
fn history(repo: &GitRepo, cache: Option<&Path>) -> Run {
    history_with(repo, cache, &[])
}

/// [`history`] with `extra` arguments.
pub(crate) fn history_with(repo: &GitRepo, cache: Option<&Path>, extra: &[&str]) -> Run {
    let run = history_noting(repo, cache, extra);
    assert_eq!(run.stderr, "", "a cache never adds to what okr says");
    run
}

/// [`history_with`], whatever okr notes on stderr.
fn history_noting(repo: &GitRepo, cache: Option<&Path>, extra: &[&str]) -> Run {
    let mut command = okr_command(repo.path());
    match cache {
        Some(dir) => {
            set_history_cache_aside(dir);
            command.env("OKR_CACHE_DIR", dir)
        }
        None => command.env("OKR_CACHE", "off"),
    };
    let output = command
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .args(extra)
        .output()
        .expect("okr runs");
    let run = Run::from(output);
    assert_eq!(run.code, 0, "{run:?}");
    run
}

/// The key the suite's runs of okr sign their cache files with (see `support::okr_command`).
fn users_key() -> CacheKey {
    CacheKey::load_or_create(&suite_state_dir().join("okr/cache-key")).unwrap()
}

/// The note okr gives about a cache file it did not read.
const NOT_SIGNED: &str = "it is not signed with this user's key";

/// A quarter with a plan, a mid-quarter change, and a commit outside the quarter's folder.
fn quarter() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write(PLATFORM, &team_file("platform"));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.write("README.md", "# OKRs\n");
    repo.commit("2026-07-02T10:00:00+02:00", "Sam Roe", "Add a README");
    bump_target(&repo, "target: 2", "target: 4");
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        "Relax the deploy target\n\nReason: the new pipeline lands in Q4",
    );
    repo
}

fn bump_target(repo: &GitRepo, from: &str, to: &str) {
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &text.replacen(from, to, 1));
}

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// These tests are about the walk cache: a history kept from the run before (`history_cache.rs`) would
/// answer without walking at all, so it is removed before each run.
fn set_history_cache_aside(cache: &Path) {
    let _ = std::fs::remove_dir_all(cache.join("history-v1"));
}

/// The one walk cache file a walk of the quarter wrote.
fn the_cache_file(cache: &Path) -> std::path::PathBuf {
    let files = files_in(&cache.join("walk-v2"));
    assert_eq!(files.len(), 1, "one folder walked, one file: {files:?}");
    files[0].clone()
}

#[test]
fn a_cached_walk_gives_the_same_history_as_an_uncached_one() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let uncached = history(&repo, None);
    let first = history(&repo, Some(cache.path()));
    let file = the_cache_file(cache.path());
    let second = history(&repo, Some(cache.path()));
    assert_eq!(first.stdout, uncached.stdout);
    assert_eq!(second.stdout, uncached.stdout, "read from the cache");
    assert!(
        second.stdout.contains("\"kr_target_changed\""),
        "{}",
        second.stdout
    );
    assert!(std::fs::metadata(file).unwrap().len() > 0);
}

#[test]
fn commits_made_after_a_cached_walk_are_in_the_next_history() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let before = history(&repo, Some(cache.path()));
    bump_target(&repo, "target: 15", "target: 20");
    repo.commit("2026-08-20T10:00:00+02:00", "Sam Roe", "Aim for 20 minutes");
    let after = history(&repo, Some(cache.path()));
    assert_ne!(after.stdout, before.stdout);
    assert_eq!(after.stdout, history(&repo, None).stdout);
    assert!(
        after.stdout.contains("Aim for 20 minutes"),
        "{}",
        after.stdout
    );
}

#[test]
fn a_walk_that_knows_some_commits_reads_trees_for_the_rest() {
    // A first-parent walk leaves the branch's commits out of the cache; a full walk after it takes the
    // mainline from the cache and reads the branch, and the reverse order reads everything from the cache.
    let repo = quarter();
    repo.branch("relax").switch("relax");
    bump_target(&repo, "target: 80", "target: 70");
    repo.commit(
        "2026-08-12T10:00:00+02:00",
        "Sam Roe",
        "Lower the cache target",
    );
    repo.switch("main");
    repo.write("README.md", "# OKRs, kept in git\n");
    repo.commit("2026-08-13T10:00:00+02:00", "Ann Bo", "Docs");
    repo.merge(
        "relax",
        "2026-08-14T10:00:00+02:00",
        "Ann Bo",
        "Merge relax",
    );

    let run = |cache: Option<&Path>, extra: &[&str]| history_with(&repo, cache, extra).stdout;
    let full = run(None, &[]);
    let mainline = run(None, &["--first-parent"]);
    assert_ne!(full, mainline);
    for order in [
        [&[][..], &["--first-parent"][..]],
        [&["--first-parent"][..], &[][..]],
    ] {
        let cache = tempfile::tempdir().unwrap();
        for extra in order {
            let expected = if extra.is_empty() { &full } else { &mainline };
            assert_eq!(
                &run(Some(cache.path()), extra),
                expected,
                "{order:?}, cold then {extra:?}"
            );
            assert_eq!(
                &run(Some(cache.path()), extra),
                expected,
                "{order:?}, warm {extra:?}"
            );
        }
    }
}

#[test]
fn a_damaged_cache_file_is_ignored_and_replaced() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let expected = history(&repo, Some(cache.path())).stdout;
    let file = the_cache_file(cache.path());
    let good = std::fs::read(&file).unwrap();

    let mut flipped = good.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x01;
    for (what, damage) in [
        ("one bit flipped", flipped),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("not a cache", b"\x00\xffgarbage".to_vec()),
    ] {
        std::fs::write(&file, &damage).unwrap();
        let run = history_noting(&repo, Some(cache.path()), &[]);
        assert_eq!(run.stdout, expected, "{what}");
        assert!(run.stderr.contains(NOT_SIGNED), "{what}: {}", run.stderr);
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{what}: rewritten whole"
        );
    }
}

/// Saves, signed with `signing`, a cache of the quarter's folder in which no commit has the folder.
fn save_all_absent(repo: &GitRepo, cache: &Path, signing: &CacheKey) {
    let git_dir = repo.path().join(".git").canonicalize().unwrap();
    let commits: Vec<(gix::ObjectId, Option<gix::ObjectId>)> = repo
        .git(&["rev-list", "HEAD"])
        .lines()
        .map(|id| (id.parse().unwrap(), None))
        .collect();
    assert_eq!(commits.len(), 3);
    WalkCache::open(
        cache,
        signing,
        &git_dir,
        "okrs/2026-Q3",
        gix::hash::Kind::Sha1,
    )
    .save(&commits)
    .unwrap();
}

#[test]
fn the_walk_takes_a_commit_it_has_seen_from_the_cache() {
    // A cache okr signed with this user's key, saying that no commit has the quarter's folder, is believed:
    // proof that a warm walk reads no trees for the commits it knows, and so why only a file this user's okr
    // wrote may be read.
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    save_all_absent(&repo, cache.path(), &users_key());

    let believed = history(&repo, Some(cache.path())).json();
    assert_eq!(believed["events"].as_array().unwrap().len(), 0);
    let uncached = history(&repo, None).json();
    assert!(!uncached["events"].as_array().unwrap().is_empty());
}

/// Rewrites the cache file as someone without this user's key could: each commit's record pointing at the
/// folder tree `index`, signed again with a key of their own.
fn forge(file: &Path, index: u32) {
    let bytes = std::fs::read(file).unwrap();
    let mut body = bytes[..bytes.len() - 32].to_vec();
    // Magic (8 bytes), id width (1), the key's length and the key, the folder trees' count and ids, the
    // commits' count, then a record per commit: its id and the index of its folder tree.
    let u32_at = |at: usize| u32::from_le_bytes(body[at..at + 4].try_into().unwrap()) as usize;
    let width = usize::from(body[8]);
    let folders_at = 9 + 4 + u32_at(9);
    let commits_at = folders_at + 4 + u32_at(folders_at) * width;
    let count = u32_at(commits_at);
    assert!(count > 0);
    for n in 0..count {
        let at = commits_at + 4 + n * (width + 4) + width;
        body[at..at + 4].copy_from_slice(&index.to_le_bytes());
    }
    let theirs = hmac::Hmac::<sha2::Sha256>::new_from_slice(&[0x5a; 32]).unwrap();
    let signature = theirs.chain_update(&body).finalize().into_bytes();
    body.extend_from_slice(&signature);
    std::fs::write(file, body).unwrap();
}

/// A cache file is written where others can write too (a shared OKR_CACHE_DIR, a CI cache a pull request
/// fills). Rewriting its records, one commit mapped to another commit's folder tree or every commit to "no
/// folder", and signing them again without this user's key changes nothing okr says: the file is not read,
/// a note says so, and it is rebuilt.
#[test]
fn a_forged_cache_file_changes_no_answer_and_is_rebuilt_with_a_note() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let expected = history(&repo, None).stdout;
    assert_eq!(history(&repo, Some(cache.path())).stdout, expected);
    let file = the_cache_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    for (what, index) in [
        ("every commit at the first tree", 0),
        ("every commit without the folder", u32::MAX),
    ] {
        forge(&file, index);
        let run = history_noting(&repo, Some(cache.path()), &[]);
        assert_eq!(run.stdout, expected, "{what}");
        assert!(run.stderr.contains(NOT_SIGNED), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&file.display().to_string()),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read(&file).unwrap(), good, "{what}: rebuilt");
        assert_eq!(
            history(&repo, Some(cache.path())).stdout,
            expected,
            "{what}: then silent"
        );
    }
    // A well-formed file of the same claims, signed with another user's key, fares no better.
    save_all_absent(&repo, cache.path(), &CacheKey::from_bytes([0x5a; 32]));
    let run = history_noting(&repo, Some(cache.path()), &[]);
    assert_eq!(run.stdout, expected);
    assert!(run.stderr.contains(NOT_SIGNED), "{}", run.stderr);
}

/// In CI the job's own code (a pull request) runs as the user okr does and could read the key, so there the
/// cache is neither read nor written unless OKR_CACHE=on asks for it.
#[test]
fn in_ci_the_cache_is_off_unless_okr_cache_on_asks_for_it() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    save_all_absent(&repo, cache.path(), &users_key());
    let file = the_cache_file(cache.path());
    let written = std::fs::read(&file).unwrap();
    let in_ci = |switch: Option<&str>| {
        let mut command = okr_command(repo.path());
        command.env("OKR_CACHE_DIR", cache.path()).env("CI", "true");
        if let Some(switch) = switch {
            command.env("OKR_CACHE", switch);
        }
        let run = Run::from(
            command
                .args(["history", "--quarter", "2026-Q3", "--format", "json"])
                .output()
                .unwrap(),
        );
        assert_eq!((run.code, run.stderr.as_str()), (0, ""));
        run.json()["events"].as_array().unwrap().len()
    };
    assert_ne!(in_ci(None), 0, "the cache was not read");
    assert_eq!(std::fs::read(&file).unwrap(), written, "nor written");
    assert_eq!(in_ci(Some("on")), 0, "OKR_CACHE=on reads it");
}

/// With a relative HOME the user's cache folder would be wherever okr runs: inside the repository. Such a
/// folder is no cache folder.
#[test]
fn a_relative_home_puts_no_cache_in_the_repository() {
    let repo = quarter();
    let output = okr_command(repo.path())
        .env("HOME", ".")
        .env_remove("OKR_CACHE_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_STATE_HOME")
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, history(&repo, None).stdout);
    assert_eq!(repo.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn a_cache_folder_inside_the_repository_is_not_used_and_a_note_says_so() {
    let repo = quarter();
    let inside = repo.path().join("sub/../.okr-cache");
    let run = history_noting(&repo, Some(&inside), &[]);
    assert_eq!(run.stdout, history(&repo, None).stdout);
    assert!(
        run.stderr
            .contains("is inside the repository, where okr writes nothing"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn with_okr_cache_off_nothing_is_written() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let mut command = okr_command(repo.path());
    let output = command
        .env("OKR_CACHE_DIR", cache.path())
        .env("OKR_CACHE", "off")
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(files_in(cache.path()), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_cache_folder_that_cannot_be_written_costs_nothing_but_time() {
    let repo = quarter();
    let scratch = tempfile::tempdir().unwrap();
    let blocked = scratch.path().join("cache");
    std::fs::write(&blocked, "a file where the cache folder should be").unwrap();
    let run = history(&repo, Some(&blocked));
    assert_eq!(run.stdout, history(&repo, None).stdout);
}

#[test]
fn a_relative_cache_folder_is_taken_from_where_okr_started_not_from_dash_c() {
    let repo = quarter();
    let start = tempfile::tempdir().unwrap();
    let output = okr_command(start.path())
        .env("OKR_CACHE_DIR", "cache-here")
        .args(["-C"])
        .arg(repo.path())
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    the_cache_file(&start.path().join("cache-here"));
    assert!(
        !repo.path().join("cache-here").exists(),
        "never written into the repository"
    );
}

#[test]
fn the_demo_repository_is_throwaway_and_leaves_no_cache() {
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let output = okr_command(scratch.path())
        .env("OKR_CACHE_DIR", &cache)
        .args(["demo", "demo-repo", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!cache.exists(), "{:?}", files_in(&cache));
}

/// A FIFO where the cache file goes would block a read forever: okr opens nothing but a regular file there,
/// answers as without the cache, and puts a real cache file in its place.
#[test]
fn a_fifo_in_place_of_the_cache_file_is_no_cache_and_does_not_hang() {
    let repo = quarter();
    let cache = tempfile::tempdir().unwrap();
    let expected = history(&repo, Some(cache.path())).stdout;
    let file = the_cache_file(cache.path());
    std::fs::remove_file(&file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    set_history_cache_aside(cache.path());
    // Output to a file, not a pipe this test might not drain while it waits.
    let out = cache.path().join("out.json");
    let mut child = okr_command(repo.path())
        .env("OKR_CACHE_DIR", cache.path())
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .stdout(std::fs::File::create(&out).unwrap())
        .spawn()
        .expect("okr runs");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("okr history hangs on a FIFO in the cache folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    assert!(
        std::fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_file()
    );
}
