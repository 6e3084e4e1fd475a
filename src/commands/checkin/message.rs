//! How a check-in is told: one line per key result for the user, the commit message, and the `git` command
//! to run when okr does not commit.

use std::path::Path;

use super::{CheckIn, Line};
use crate::commands::demo::shell_word;

impl Line {
    /// What changed, after the key result's name: `7 → 5 (confidence 0.5 → 0.7, note)`. The note itself is
    /// not in it: it may be long, and span lines.
    fn changes(&self) -> String {
        let mut extras = Vec::new();
        if let Some((from, to)) = &self.confidence {
            match from {
                Some(from) => extras.push(format!("confidence {from} → {to}")),
                None => extras.push(format!("confidence {to}")),
            }
        }
        if self.note.is_some() {
            extras.push("note".to_owned());
        }
        let value = match (&self.from, &self.to) {
            (Some(from), Some(to)) => format!("{from} → {to}"),
            (None, Some(to)) => format!("{to}"),
            _ => String::new(),
        };
        match (value.is_empty(), extras.is_empty()) {
            (false, true) => value,
            (false, false) => format!("{value} ({})", extras.join(", ")),
            (true, _) => format!("({})", extras.join(", ")),
        }
    }

    /// The line shown for this key result: `platform/boring-deploys/failed-deploys: 7 → 5`.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.target, self.changes())
    }
}

/// `Check-in platform: failed-deploys 7 → 5, lead-time 45 → 40`; teams after the first follow a `;`.
pub fn commit_message(check_in: &CheckIn) -> String {
    let mut teams: Vec<(&str, Vec<String>)> = Vec::new();
    for line in &check_in.lines {
        let phrase = format!("{} {}", line.target.key_result, line.changes());
        match teams.iter_mut().find(|(team, _)| *team == line.target.team) {
            Some((_, phrases)) => phrases.push(phrase),
            None => teams.push((&line.target.team, vec![phrase])),
        }
    }
    let teams: Vec<String> = teams
        .into_iter()
        .map(|(team, phrases)| format!("{team}: {}", phrases.join(", ")))
        .collect();
    format!("Check-in {}", teams.join("; "))
}

/// `git add FILES && git commit -m MESSAGE`, each word quoted for a POSIX shell, the paths relative to `cwd`
/// (the files' paths are relative to `root`). A file reached through a symbolic link is named where it
/// really is, as git tracks the file there (and the link, unchanged, where it is).
pub fn shell_command(check_in: &CheckIn, root: &Path, cwd: &Path) -> String {
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let paths: Vec<String> = check_in
        .files
        .iter()
        .map(|f| {
            let real = f
                .location
                .canonicalize()
                .unwrap_or_else(|_| root.join(&f.path));
            shell_word(&relative_to(&real, &cwd))
        })
        .collect();
    format!(
        "git add -- {} && git commit -m {} -- {}",
        paths.join(" "),
        shell_word(&commit_message(check_in)),
        paths.join(" ")
    )
}

/// `path` as seen from `cwd`: relative when both are in one tree, else as it is.
fn relative_to(path: &Path, cwd: &Path) -> String {
    let path_parts: Vec<_> = path.components().collect();
    let cwd_parts: Vec<_> = cwd.components().collect();
    let common = path_parts
        .iter()
        .zip(&cwd_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); cwd_parts.len() - common];
    parts.extend(
        path_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::checkin::{EditedFile, Target};
    use crate::core::edit::Progress;
    use crate::core::model::Number;

    fn line(kr: &str, from: f64, to: f64) -> Line {
        Line {
            target: Target::parse(&format!("platform/boring-deploys/{kr}")).unwrap(),
            path: "okrs/2026-Q3/platform.yaml".to_owned(),
            from: Some(Progress::Value(Number(from))),
            to: Some(Progress::Value(Number(to))),
            confidence: None,
            note: None,
        }
    }

    fn check_in(lines: Vec<Line>) -> CheckIn {
        CheckIn {
            lines,
            files: vec![EditedFile {
                path: "okrs/2026-Q3/platform.yaml".to_owned(),
                location: "/repo/okrs/2026-Q3/platform.yaml".into(),
                before: Vec::new(),
                after: Vec::new(),
            }],
        }
    }

    #[test]
    fn the_message_lists_each_check_in_of_a_team() {
        let mut second = line("lead-time", 45.0, 40.0);
        second.confidence = Some((Some(Number(0.5)), Number(0.7)));
        second.note = Some("x".to_owned());
        let done = check_in(vec![line("failed-deploys", 7.0, 5.0), second]);
        assert_eq!(
            commit_message(&done),
            "Check-in platform: failed-deploys 7 → 5, lead-time 45 → 40 (confidence 0.5 → 0.7, note)"
        );
    }

    #[test]
    fn the_git_command_quotes_what_a_shell_would_read() {
        let done = check_in(vec![line("failed-deploys", 7.0, 5.0)]);
        assert_eq!(
            shell_command(&done, Path::new("/repo"), Path::new("/repo/okrs")),
            "git add -- 2026-Q3/platform.yaml && git commit -m 'Check-in platform: failed-deploys 7 → 5' -- \
             2026-Q3/platform.yaml"
        );
        assert_eq!(
            relative_to(Path::new("/repo/okrs/a.yaml"), Path::new("/repo/docs/x")),
            "../../okrs/a.yaml"
        );
    }
}
