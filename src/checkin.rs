//! `okr checkin` at the command line: the arguments made into requests (or asked for on a terminal), and what
//! was done told on stdout. The work is `okr::commands::checkin`'s.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use okr::commands::checkin::{self, Answer, Ask, Briefing, Done, Files, Request, Target};
use okr::core::edit::{NumberError, Progress, parse_number};
use okr::render::escape::terminal_safe;
use okr::render::format::Format;
use okr::repo::workspace::Workspace;

use crate::cli::CheckinArgs;
use crate::output::Output;
use crate::{EXIT_FINDINGS, parse_quarter, say, warn};

/// `okr checkin`; `started_in` is the folder okr was run in, before `-C` (where the printed `git` command
/// is to be run).
pub fn checkin(args: &CheckinArgs, out: &Output, started_in: Option<&Path>) -> Result<ExitCode> {
    let workspace = Workspace::discover(&std::env::current_dir()?)?;
    let quarter = match &args.quarter {
        Some(q) => parse_quarter(q)?,
        None => workspace
            .planning()
            .calendar
            .quarter_of(okr::repo::clock::today()?),
    };
    let (requests, files) = match &args.team {
        None if args.pairs.is_empty() => bail!(
            "no key result named\nhelp: name the key results and their values (`okr checkin \
             TEAM/OBJECTIVE/KR VALUE …`), or on a terminal walk a team's key results with `okr checkin --team TEAM`"
        ),
        None => {
            let requests = requests(args)?;
            (requests, Files::load(&workspace, quarter)?)
        }
        Some(team) => {
            if !std::io::stdin().is_terminal() {
                bail!(
                    "`okr checkin --team {team}` asks on a terminal, and standard input is not one\nhelp: name \
                     the key results and their values instead: `okr checkin {team}/OBJECTIVE/KR VALUE …` (with \
                     --confidence X and --note TEXT as needed)"
                );
            }
            if !args.confidence.is_empty() || !args.note.is_empty() {
                bail!(
                    "with --team the confidences are asked for, so --confidence and --note are not taken\nhelp: \
                     give them with key results named on the command line"
                );
            }
            let files = Files::load(&workspace, quarter)?;
            let past = history(&workspace, quarter, team);
            let briefings = checkin::briefings(&files, team, past.as_ref())?;
            if briefings.is_empty() {
                say(&format!(
                    "team `{team}` has no active key result in {quarter}\n"
                ))?;
                return Ok(ExitCode::SUCCESS);
            }
            (checkin::walk(&briefings, &mut Prompt)?, files)
        }
    };
    let cwd = match started_in {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir()?,
    };
    match checkin::run(&workspace, &files, &requests, args.commit, &cwd)? {
        Done::Unchanged => {
            say("nothing to change: the key results already hold those values\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Done::Refused(validation) => {
            out.page(&validation, &[Format::Human], None)?;
            warn(
                "okr: the check-in was refused: it would make the files invalid (above); nothing was written",
            );
            Ok(ExitCode::from(EXIT_FINDINGS))
        }
        Done::Written {
            lines,
            message,
            commit,
            command,
        } => {
            let mut text = String::new();
            for line in &lines {
                text.push_str(&terminal_safe(&line.describe()));
                text.push('\n');
                if let Some(note) = &line.note {
                    text.push_str(&format!("  note: {}\n", terminal_safe(note)));
                }
            }
            match (commit, command) {
                (Some((id, identity)), _) => text.push_str(&format!(
                    "committed {} as {}: {}\n",
                    &id[..id.len().min(12)],
                    terminal_safe(&identity),
                    terminal_safe(&message)
                )),
                (None, Some(command)) => {
                    text.push_str(&format!("next: {}\n", terminal_safe(&command)));
                }
                (None, None) => {}
            }
            say(&text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `KR VALUE` pairs with their confidences and notes: each flag once for all, or once per key result.
fn requests(args: &CheckinArgs) -> Result<Vec<Request>> {
    if !args.pairs.len().is_multiple_of(2) {
        bail!(
            "`{}` has no value\nhelp: name each key result with its new value: `TEAM/OBJECTIVE/KR VALUE`",
            args.pairs.last().map_or("", String::as_str)
        );
    }
    let count = args.pairs.len() / 2;
    let each = |values: &[String], flag: &str| -> Result<Vec<Option<String>>> {
        match values.len() {
            0 => Ok(vec![None; count]),
            1 => Ok(vec![Some(values[0].clone()); count]),
            n if n == count => Ok(values.iter().cloned().map(Some).collect()),
            n => bail!(
                "`{flag}` is given {n} times for {count} key {}\nhelp: give it once for all of them, or once for \
                 each",
                if count == 1 { "result" } else { "results" }
            ),
        }
    };
    let confidences = each(&args.confidence, "--confidence")?;
    let notes = each(&args.note, "--note")?;
    args.pairs
        .chunks(2)
        .zip(confidences)
        .zip(notes)
        .map(|((pair, confidence), note)| {
            let target = Target::parse(&pair[0]).map_err(anyhow::Error::msg)?;
            let progress = Progress::parse(&pair[1])
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("the value of `{target}`"))?;
            let confidence = confidence
                .map(|c| {
                    parse_number(&c).map_err(|e| match e {
                        NumberError::NotANumber => anyhow::anyhow!(
                            "`--confidence {c}` is not a number\nhelp: write one from 0 to 1, e.g. 0.7"
                        ),
                        NumberError::Inexact => anyhow::anyhow!(e.message(&format!("--confidence {c}"))),
                    })
                })
                .transpose()?;
            Ok(Request {
                target,
                progress: Some(progress),
                confidence,
                note,
            })
        })
        .collect()
}

/// The quarter's history for the team, for each key result's trend and last check-in; `None` (with a note)
/// when it cannot be read, as in a repository with no commit yet.
fn history(
    workspace: &Workspace,
    quarter: okr::core::model::Quarter,
    team: &str,
) -> Option<okr::core::history::History> {
    let read = || -> Result<okr::core::history::History> {
        let git = okr::repo::git::Git::open(&workspace.root)?;
        let query = okr::repo::history::Query {
            quarter,
            rev: "HEAD".to_owned(),
            first_parent: false,
            team: Some(team.to_owned()),
            since: None,
            until: None,
        };
        okr::repo::history::read(workspace, &git, &query)
    };
    match read() {
        Ok(history) => Some(history),
        Err(err) => {
            warn(&format!("okr: note: no trends or check-in dates: {err:#}"));
            None
        }
    }
}

/// Asks on the terminal, through dialoguer: the briefing on stderr, then the value and the confidence, each
/// defaulting to what the file holds (Enter keeps it).
struct Prompt;

impl Ask for Prompt {
    fn ask(&mut self, briefing: &Briefing) -> Result<Answer> {
        use dialoguer::Input;
        warn("");
        for line in briefing.lines() {
            warn(&terminal_safe(&line));
        }
        let theme = dialoguer::theme::SimpleTheme;
        let value: String = Input::with_theme(&theme)
            .with_prompt("  new value (Enter keeps it)")
            .allow_empty(true)
            .validate_with(|typed: &String| briefing.value(typed).map(|_| ()))
            .interact_text()
            .context("the check-in was cancelled; nothing was written")?;
        let confidence: String = Input::with_theme(&theme)
            .with_prompt("  confidence 0-1 (Enter keeps it)")
            .allow_empty(true)
            .validate_with(|typed: &String| Briefing::confidence(typed).map(|_| ()))
            .interact_text()
            .context("the check-in was cancelled; nothing was written")?;
        Ok(Answer {
            progress: briefing.value(&value).map_err(anyhow::Error::msg)?,
            confidence: Briefing::confidence(&confidence).map_err(anyhow::Error::msg)?,
        })
    }
}
