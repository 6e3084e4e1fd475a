//! `okr init --from` where the repository is not as a rollover expects: an empty quarter, a file of another
//! team where the new one would go, rules okr.toml makes stricter, numbers at the edge of what a file holds.

use crate::repo::GitRepo;

#[test]
fn a_quarter_folder_without_okr_files_is_an_error_that_says_so() {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/README.md", "");
    let run = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "okr: error: okrs/2026-Q3 has no OKR files, so there is nothing to carry over; "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("okr init --team NAME --quarter 2026-Q3"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("okrs/2026-Q4").exists());

    // With --team, the same: the folder has no files at all, not just none of that team.
    let team = repo.okr(&["init", "--from", "2026-Q3", "--team", "web"]);
    assert_eq!(team.code, 2, "{}", team.stderr);
    assert!(
        team.stderr
            .starts_with("okr: error: okrs/2026-Q3 has no OKR files"),
        "{}",
        team.stderr
    );

    // A quarter with no folder at all says that, and which quarters have one.
    let missing = repo.okr(&["init", "--from", "2026-Q1"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.starts_with(
            "okr: error: no folder okrs/2026-Q1 for 2026-Q1; the quarters with a folder are `2026-Q3`"
        ),
        "{}",
        missing.stderr
    );
}
