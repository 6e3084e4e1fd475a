//! `okr init --from QUARTER`: the next quarter's files, carried over from the files of QUARTER in the working
//! tree. Written as `okr init` writes: all or none, never over a file that exists, and only once the new files
//! are known to validate with the rest of the repository — but for errors under rules the repository's okr.toml
//! makes errors, which are reported on the files written, as `okr validate` would report them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::commands::init::check_inside;
use crate::commands::validate::{Validation, validate};
use crate::core::diagnostic::{Diagnostic, Finding, Severity};
use crate::core::model::{OkrFile, Quarter};
use crate::core::parse::{LoadedFile, parse};
use crate::core::rollover::{LeftBehind, Source, Unaligned, roll_over};
use crate::core::rules;
use crate::repo::load;
use crate::repo::new_files;
use crate::repo::workspace::Workspace;

/// The modeline of a new file when its source has none: the schema `okr init` writes, for editors.
const MODELINE: &str = "# yaml-language-server: $schema=../okr.schema.json";

/// What to carry over, and where to.
#[derive(Debug, Clone)]
pub struct Request {
    pub from: Quarter,
    /// Default: the quarter after `from`.
    pub to: Option<Quarter>,
    /// Only this team's file.
    pub team: Option<String>,
}

/// What `okr init --from` did.
#[derive(Debug)]
pub enum Rolled {
    /// The files of the quarter that ends have errors (these): nothing was written.
    Refused(Validation),
    Done(Summary),
}

#[derive(Debug)]
pub struct Summary {
    pub from: Quarter,
    pub to: Quarter,
    /// One per team, the company's first.
    pub files: Vec<FileOutcome>,
    pub left_behind: Vec<LeftBehind>,
    pub unaligned: Vec<Unaligned>,
    /// What `okr validate` finds in the new files, as it would give it: warnings (an objective left with one key
    /// result), and errors only under rules okr.toml makes errors (`kr-count = "error"`), which are the
    /// repository's own: the files are written, and the command fails.
    pub findings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Written, carrying this many objectives.
    Created { path: PathBuf, carried: usize },
    /// The next quarter has a file for the team already (this one); left exactly as it was.
    Kept(PathBuf),
}

/// A file of the quarter that ends, read from the working tree.
struct Read {
    location: PathBuf,
    loaded: LoadedFile,
}

/// Carries the files of `request.from` over to the next quarter.
pub fn roll(workspace: &Workspace, request: &Request) -> Result<Rolled> {
    let from = request.from;
    let to = match request.to {
        Some(to) => to,
        None => from.next().with_context(|| {
            format!("{from} is the last quarter a file can name; there is no quarter after it")
        })?,
    };
    if to <= from {
        bail!(
            "`--to {to}` is not after `--from {from}`: a rollover carries a quarter's objectives forward, to a \
             later quarter{}",
            match from.next() {
                Some(next) => format!(" (by default the next one, {next})"),
                None => format!(", and {from} is the last quarter a file can name"),
            }
        );
    }
    let okr_dir = workspace.okr_dir();
    let from_dir = okr_dir.join(from.to_string());
    if !from_dir.is_dir() {
        bail!(
            "no folder {} for {from}; {}",
            workspace.display_path(&from_dir),
            quarters_there_are(&okr_dir)
        );
    }
    let validation = validate(workspace, std::slice::from_ref(&from_dir), None)?;
    if validation.errors() > 0 {
        return Ok(Rolled::Refused(validation));
    }
    let read: Vec<Read> = load::discover(workspace, std::slice::from_ref(&from_dir))?
        .into_iter()
        .map(|candidate| Read {
            loaded: load::load(workspace, &candidate),
            location: candidate.location,
        })
        .collect();
    if read.is_empty() {
        bail!(
            "{} has no OKR files, so there is nothing to carry over; name the quarter whose plan goes on with \
             `--from`, or write {from}'s plan first (`okr init --team NAME --quarter {from}` starts a team's file)",
            workspace.display_path(&from_dir)
        );
    }
    let teams: Vec<&str> = read
        .iter()
        .filter_map(|r| r.loaded.okr.as_ref()?.team.as_ref())
        .map(|t| &*t.value)
        .collect();
    if let Some(team) = &request.team
        && !teams.contains(&team.as_str())
    {
        bail!(
            "no file of {from} is for team `{team}`; the teams of {from} are {}",
            list(&teams)
        );
    }

    let to_dir = okr_dir.join(to.to_string());
    let existing: Vec<Existing> = if to_dir.is_dir() {
        load::discover(workspace, std::slice::from_ref(&to_dir))?
            .into_iter()
            .map(|candidate| Existing {
                loaded: load::load(workspace, &candidate),
                location: candidate.location,
            })
            .collect()
    } else {
        Vec::new()
    };

    let mut outcomes: Vec<(String, FileOutcome)> = Vec::new();
    let mut sources: Vec<(Source<'_>, PathBuf)> = Vec::new();
    let mut in_the_way: Vec<String> = Vec::new();
    for file in &read {
        let Some(okr) = &file.loaded.okr else {
            continue;
        };
        let team = okr.team.as_ref().map_or("", |t| &*t.value);
        if request.team.as_deref().is_some_and(|wanted| wanted != team) {
            continue;
        }
        let relative = file
            .location
            .strip_prefix(&from_dir)
            .unwrap_or_else(|_| Path::new(file.location.file_name().unwrap_or_default()));
        let target = to_dir.join(relative);
        match place(&existing, (&okr_dir, &target), team, to) {
            Place::Free => {}
            Place::Kept(path) => {
                outcomes.push((team.to_owned(), FileOutcome::Kept(path.to_path_buf())));
                continue;
            }
            Place::InTheWay(why) => {
                let path = workspace.display_path(why.path.as_deref().unwrap_or(&target));
                in_the_way.push(format!("{path} {}", why.what));
                continue;
            }
        }
        let source = Source {
            okr,
            modeline: modeline(&file.loaded.text).unwrap_or(MODELINE),
        };
        sources.push((source, target));
    }
    if !in_the_way.is_empty() {
        bail!(
            "the new files of {to} cannot go where they belong, so nothing was written:\n  {}\nmove or rename \
             what is in the way (a team's file keeps its name from {from}), then run `okr init --from {from}` \
             again; or carry the other teams over alone with `okr init --from {from} --team NAME`",
            in_the_way.join("\n  ")
        );
    }
    let existing_okrs: Vec<&OkrFile> = existing
        .iter()
        .filter_map(|e| e.loaded.okr.as_ref())
        .collect();
    let just_sources: Vec<Source<'_>> = sources.iter().map(|(s, _)| *s).collect();
    let rollover = roll_over(&just_sources, from, to, &existing_okrs);
    let files: Vec<(PathBuf, String)> = rollover
        .files
        .iter()
        .map(|f| (sources[f.source].1.clone(), f.text.clone()))
        .collect();
    let findings = check_new_files(workspace, &files)?;
    for (path, _) in &files {
        if std::fs::symlink_metadata(path).is_err() {
            check_inside(&workspace.root, &workspace.config.dir, path)?;
        }
    }
    let created = new_files::write_all(&files).context("nothing was written")?;
    for ((file, (path, _)), created) in rollover.files.iter().zip(files).zip(created) {
        let outcome = if created {
            FileOutcome::Created {
                path,
                carried: file.carried,
            }
        } else {
            FileOutcome::Kept(path)
        };
        outcomes.push((file.team.clone(), outcome));
    }
    // The order the files were written in: the company's first, then as the quarter's folder lists them.
    let order: Vec<&str> = rollover.files.iter().map(|f| f.team.as_str()).collect();
    let position = |team: &str| {
        let written = order.iter().position(|t| *t == team);
        (team != "company", written.is_none(), written)
    };
    outcomes.sort_by_key(|(team, _)| position(team));
    Ok(Rolled::Done(Summary {
        from,
        to,
        files: outcomes.into_iter().map(|(_, o)| o).collect(),
        left_behind: rollover.left_behind,
        unaligned: rollover.unaligned,
        findings,
    }))
}

/// A file the next quarter has already.
struct Existing {
    location: PathBuf,
    loaded: LoadedFile,
}

/// Whether a team's new file can go at its path.
enum Place<'a> {
    Free,
    /// The team has its file for the next quarter already (here): it is kept as it is.
    Kept(&'a Path),
    /// Something else is there, or the team's file there is not the next quarter's.
    InTheWay(InTheWay),
}

struct InTheWay {
    /// What is in the way, when not the new file's own path.
    path: Option<PathBuf>,
    /// What it is, after its path: "is a folder".
    what: String,
}

/// Where the new file of `team` would go at `target`, in the OKR folder `okr_dir`, with the files `existing`
/// of quarter `to`.
fn place<'a>(
    existing: &'a [Existing],
    (okr_dir, target): (&Path, &Path),
    team: &str,
    to: Quarter,
) -> Place<'a> {
    fn team_of(e: &Existing) -> Option<&str> {
        e.loaded
            .okr
            .as_ref()
            .and_then(|o| o.team.as_ref())
            .map(|t| &*t.value)
    }
    if let Some(own) = existing.iter().find(|e| team_of(e) == Some(team)) {
        let quarter = own
            .loaded
            .okr
            .as_ref()
            .and_then(|o| o.quarter.as_ref())
            .map(|q| q.value);
        return match quarter {
            Some(quarter) if quarter == to => Place::Kept(&own.location),
            Some(quarter) => Place::InTheWay(InTheWay {
                path: Some(own.location.clone()),
                what: format!(
                    "is team `{team}`'s file but says `quarter: {quarter}`; set it to {to} to keep it"
                ),
            }),
            None => Place::InTheWay(InTheWay {
                path: Some(own.location.clone()),
                what: format!(
                    "is team `{team}`'s file but has no `quarter`; set it to {to} to keep it"
                ),
            }),
        };
    }
    let Ok(metadata) = std::fs::symlink_metadata(target) else {
        // A file where one of the folders it goes in belongs (`okrs/2026-Q4` itself).
        let file = target
            .ancestors()
            .skip(1)
            .take_while(|folder| folder.starts_with(okr_dir) && *folder != okr_dir)
            .find(|folder| std::fs::symlink_metadata(folder).is_ok() && !folder.is_dir());
        return match file {
            Some(file) => Place::InTheWay(InTheWay {
                path: Some(file.to_path_buf()),
                what: format!("is not a folder, and team `{team}`'s new file goes in it"),
            }),
            None => Place::Free,
        };
    };
    let what = if target.is_dir() || metadata.is_dir() {
        "is a folder"
    } else {
        match existing.iter().find(|e| e.location == target).map(team_of) {
            Some(Some(other)) => &format!("is team `{other}`'s file"),
            _ => "cannot be read as an OKR file (`okr validate` says why)",
        }
    };
    Place::InTheWay(InTheWay {
        path: None,
        what: format!("{what}, and team `{team}`'s new file goes there"),
    })
}

/// The first line of a file when it is the schema modeline, to keep in the next quarter's file.
fn modeline(text: &str) -> Option<&str> {
    let first = text.lines().next()?;
    first
        .starts_with("# yaml-language-server:")
        .then_some(first)
}

/// Checks the new files as `okr validate` would with them written: each on its own, and with every other
/// file of the repository (alignments, one file per team). They are okr's own output from files that validate:
/// an error okr gives by default is a bug in okr, refused before anything is written. An error under a rule
/// okr.toml makes an error (`kr-count`: an objective carried over with one key result left) is the
/// repository's own, handed back with the warnings, as `okr validate` would give it.
fn check_new_files(workspace: &Workspace, files: &[(PathBuf, String)]) -> Result<Vec<Diagnostic>> {
    let okr_dir = workspace.okr_dir();
    let others: Vec<LoadedFile> = if okr_dir.is_dir() {
        load::discover(workspace, &[okr_dir])?
            .iter()
            .map(|c| load::load(workspace, c))
            .collect()
    } else {
        Vec::new()
    };
    let new: Vec<LoadedFile> = files
        .iter()
        .map(|(path, text)| parse(&workspace.display_path(path), text.as_bytes().to_vec()))
        .collect();
    let mut findings: Vec<(usize, Finding)> = Vec::new();
    for (index, loaded) in new.iter().enumerate() {
        findings.extend(loaded.findings.iter().cloned().map(|f| (index, f)));
        if let Some(okr) = &loaded.okr {
            findings.extend(
                rules::check_file(okr, &loaded.path)
                    .into_iter()
                    .map(|f| (index, f)),
            );
        }
    }
    let repository: Vec<(&str, &OkrFile)> = new
        .iter()
        .chain(&others)
        .filter_map(|l| Some((l.path.as_str(), l.okr.as_ref()?)))
        .collect();
    for (index, finding) in rules::check_repository(&repository) {
        if let Some(at) = new.iter().position(|l| l.path == repository[index].0) {
            findings.push((at, finding));
        }
    }
    let mut diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|(index, finding)| {
            let severity = workspace.config.severity(finding.code)?;
            Some(Diagnostic::from_finding(
                &new[index].path,
                severity,
                finding,
            ))
        })
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let bugs: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !raised_by_config(d))
        .map(|d| {
            format!(
                "{}:{}:{}: {} [{}]",
                d.path, d.line, d.column, d.message, d.code
            )
        })
        .collect();
    if !bugs.is_empty() {
        bail!(
            "the files okr would write for the new quarter would not validate (a bug in okr, please report it \
             with this message); nothing was written:\n  {}",
            bugs.join("\n  ")
        );
    }
    Ok(diagnostics)
}

/// An error only because okr.toml's `[rules]` make its rule one: by default it is a warning, or not given.
fn raised_by_config(diagnostic: &Diagnostic) -> bool {
    diagnostic.severity == Severity::Error
        && rules::find(diagnostic.code).is_some_and(|r| r.default_severity != Severity::Error)
}

/// Which quarters the OKR folder has, for a message about one it has not.
fn quarters_there_are(okr_dir: &Path) -> String {
    let mut quarters: Vec<Quarter> = std::fs::read_dir(okr_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    quarters.sort();
    match quarters.as_slice() {
        [] => "the OKR folder has no quarter folders yet; `okr init --team NAME` starts one"
            .to_owned(),
        quarters => {
            let names: Vec<String> = quarters.iter().map(ToString::to_string).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("the quarters with a folder are {}", list(&names))
        }
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `okr init --from` says on stdout: each file, created or kept, then what to do next. `show` prints a
/// path.
pub fn report(summary: &Summary, show: impl Fn(&Path) -> String) -> String {
    let mut out = String::new();
    for file in &summary.files {
        match file {
            FileOutcome::Created { path, carried: 0 } => {
                let _ = writeln!(
                    out,
                    "created {}: nothing carried over (every objective of {} is finished or dropped)",
                    show(path),
                    summary.from
                );
            }
            FileOutcome::Created { path, carried } => {
                let s = if *carried == 1 { "" } else { "s" };
                let _ = writeln!(
                    out,
                    "created {}: {carried} objective{s} carried over from {}",
                    show(path),
                    summary.from
                );
            }
            FileOutcome::Kept(path) => {
                let _ = writeln!(out, "kept    {} (it exists; not changed)", show(path));
            }
        }
    }
    if summary
        .files
        .iter()
        .any(|f| matches!(f, FileOutcome::Created { .. }))
    {
        let _ = writeln!(
            out,
            "next: review the new files (set {}'s targets, add its new objectives), then run `okr validate` and \
             commit them",
            summary.to
        );
    } else {
        let _ = writeln!(
            out,
            "nothing was written: every team carried over has a file in {} already",
            summary.to
        );
    }
    out
}

/// What `okr init --from` says on stderr: what stayed behind, alignments left out, warnings on the new files.
pub fn notes(summary: &Summary) -> String {
    let mut out = String::new();
    if !summary.left_behind.is_empty() {
        let _ = writeln!(out, "left behind in {}:", summary.from);
        for left in &summary.left_behind {
            let kr = left
                .key_result
                .as_ref()
                .map_or_else(String::new, |kr| format!(" KR {kr}"));
            let _ = writeln!(
                out,
                "  {}/{}{kr}: {}",
                left.team,
                left.objective,
                left.why.as_str()
            );
        }
    }
    if !summary.unaligned.is_empty() {
        let _ = writeln!(
            out,
            "aligns_to left out in {} (no objective there has that name yet; add it back once one has):",
            summary.to
        );
        for u in &summary.unaligned {
            let _ = writeln!(
                out,
                "  {}/{}: aligns_to {}",
                u.team, u.objective, u.aligns_to
            );
        }
    }
    for d in &summary.findings {
        let _ = writeln!(
            out,
            "{}: {}:{}:{}: {} [{}]",
            d.severity.as_str(),
            d.path,
            d.line,
            d.column,
            d.message,
            d.code
        );
        if let Some(help) = d.help.as_ref().filter(|_| d.severity == Severity::Error) {
            let _ = writeln!(out, "  help: {help}");
        }
    }
    out
}

/// What to say when the new files have errors under rules okr.toml makes errors (they are written, and the
/// command fails), or `None` when they have none.
pub fn errors(summary: &Summary) -> Option<String> {
    let errors: Vec<&Diagnostic> = summary
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return None;
    }
    let mut codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let s = if errors.len() == 1 { "" } else { "s" };
    Some(format!(
        "the new files are written, but have {} error{s} under the rules okr.toml makes errors ({}); fix them \
         before you commit (the help above says how), or make those rules warnings again in okr.toml's [rules]",
        errors.len(),
        list(&codes)
    ))
}
