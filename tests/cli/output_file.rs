//! `-o FILE` over a file that is already there: replaced as that file, not as a new one.

use std::path::Path;

use crate::repo::planned;

fn report_to(repo: &Path, file: &str) -> crate::support::Run {
    crate::support::okr(
        repo,
        &[
            "report",
            "--quarter",
            "2026-Q3",
            "--format",
            "markdown",
            "-o",
            file,
        ],
    )
}

/// Someone who made a report private (0600) keeps it private when okr writes it again.
#[cfg(unix)]
#[test]
fn an_output_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let repo = planned();
    let file = repo.path().join("report.md");
    std::fs::write(&file, "old\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = report_to(repo.path(), "report.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&file).unwrap().contains("platform"));
    assert_eq!(format!("{:o}", crate::support::mode(&file)), "600");
}

/// A file with other hard links (a report also published from another folder) is written in place, so every
/// link reads the new text; replacing it would leave the other links with the old one.
#[cfg(unix)]
#[test]
fn an_output_file_with_other_hard_links_is_written_for_all_of_them() {
    use std::os::unix::fs::MetadataExt;
    let repo = planned();
    let file = repo.path().join("report.md");
    let published = repo.path().join("published.md");
    std::fs::write(&file, "old\n").unwrap();
    std::fs::hard_link(&file, &published).unwrap();
    let inode = std::fs::metadata(&file).unwrap().ino();
    let run = report_to(repo.path(), "report.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("platform"), "{written}");
    assert_eq!(std::fs::read_to_string(&published).unwrap(), written);
    assert_eq!(std::fs::metadata(&file).unwrap().ino(), inode);
}

/// A symbolic link is written through, as a shell's `>` does: the file it leads to gets the text and the link
/// stays a link.
#[cfg(unix)]
#[test]
fn an_output_file_that_is_a_link_is_written_through_and_stays_a_link() {
    let repo = planned();
    std::fs::create_dir(repo.path().join("site")).unwrap();
    let target = repo.path().join("site/report.md");
    std::fs::write(&target, "old\n").unwrap();
    std::os::unix::fs::symlink("site/report.md", repo.path().join("report.md")).unwrap();
    let run = report_to(repo.path(), "report.md");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = std::fs::symlink_metadata(repo.path().join("report.md")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("platform")
    );
}

/// A link that leads nowhere is refused before the work: which file was meant is not certain.
#[cfg(unix)]
#[test]
fn an_output_file_that_is_a_link_leading_nowhere_is_refused() {
    let repo = planned();
    std::os::unix::fs::symlink("site/report.md", repo.path().join("report.md")).unwrap();
    let run = report_to(repo.path(), "report.md");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`-o report.md` is a symbolic link to site/report.md, which does not exist"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("site").exists());
}

/// A new report gets the mode any new file gets: readable as the user's umask says, not a mode okr chose.
#[cfg(unix)]
#[test]
fn a_new_output_file_gets_the_mode_the_umask_gives() {
    let repo = planned();
    for (umask, expected) in [("002", "664"), ("077", "600")] {
        let file = format!("report-{umask}.md");
        let run = crate::support::okr_with_umask(
            repo.path(),
            umask,
            &[
                "report",
                "--quarter",
                "2026-Q3",
                "--format",
                "markdown",
                "-o",
                &file,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            format!("{:o}", crate::support::mode(&repo.path().join(&file))),
            expected,
            "umask {umask}"
        );
    }
}

/// Something that is not a regular file (a FIFO here; `/dev/null` alike) is opened and written, as a shell's
/// `>` does, not replaced by a regular file.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_fifo_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let repo = planned();
    let fifo = repo.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let run = report_to(repo.path(), "report.pipe");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "{kind:?}");
    // Only now is the reader sure to have met a writer, and so to end.
    assert!(reader.join().unwrap().contains("platform"));
}
