//! The `okr` binary: parses arguments, runs the engine, and owns stdout, colour and exit codes.

mod checkin;
mod cli;
mod output;

/// Parsing YAML allocates many small strings, which mimalloc serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser};

use cli::{
    Cli, Command, CompletionsArgs, DemoArgs, DiffArgs, DiffDriverArgs, HistoryArgs, InitArgs,
    ReportArgs, RulesArgs, ShowArgs, ValidateArgs,
};
use okr::commands::check::Check;
use okr::commands::diff as comparison;
use okr::commands::init::{self, Outcome};
use okr::commands::rollover;
use okr::core::calendar::Calendar;
use okr::core::model::{Quarter, is_slug};
use okr::core::rules;
use okr::render::escape::{Spelling, disarm_ci_commands, terminal_lines};
use okr::render::format::{self, Format};
use okr::repo::cache_config::CacheConfig;
use okr::repo::git::Git;
use okr::repo::history::{self, Query};
use okr::repo::workspace::Workspace;
use okr::view::history::HistoryPage;
use okr::view::report::ReportPage;
use output::{Output, check_output_file};

/// Exit codes, documented in docs/validate.md.
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURE: u8 = 2;
/// A bug in okr (sysexits' EX_SOFTWARE).
const EXIT_BUG: u8 = 70;

fn main() -> ExitCode {
    quiet_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    match std::panic::catch_unwind(|| run(&cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            warn(&format!("okr: error: {err:#}"));
            ExitCode::from(EXIT_FAILURE)
        }
        Err(_) => ExitCode::from(EXIT_BUG),
    }
}

/// clap's message for arguments it could not make sense of. It quotes the arguments, which may carry
/// anything, so it is written as any error is: escaped for the terminal and disarmed for CI logs.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Help is okr's own text; clap writes it where it belongs, styled for the terminal.
        let _ = err.print();
        return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_FAILURE));
    }
    warn(err.render().to_string().trim_end());
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_FAILURE))
}

/// A message for stderr (an error, a warning, a hint). It may quote user text (a path, a value of
/// okr.toml, an argument), so every line is escaped for the terminal and no line can be read by a CI runner
/// as a command.
fn warn(message: &str) {
    let safe = terminal_lines(message);
    let text = disarm_ci_commands(&safe, Spelling::Text, false);
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A panic is a bug in okr: say so in one line a CI log can carry, not a backtrace, unless asked for one.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "okr: internal error{place}; this is a bug in okr {}, please report it with the command you ran \
             (set RUST_BACKTRACE=1 for details)",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

fn run(cli: &Cli) -> Result<ExitCode> {
    // Lets the test suite (and anyone checking a CI setup) see what a crash looks like; see docs/reliability.md.
    if std::env::var_os("OKR_DEBUG_PANIC").is_some() {
        panic!("OKR_DEBUG_PANIC is set");
    }
    // Before `-C`: a relative OKR_CACHE_DIR means the folder okr was started in, never one in the repository.
    let _ = CACHE.set(CacheConfig::of_process());
    // Where the user ran okr, for commands okr prints for them to run there.
    let started_in = std::env::current_dir().ok();
    if let Some(dir) = &cli.directory {
        std::env::set_current_dir(dir)
            .with_context(|| format!("cannot change to the folder {}", dir.display()))?;
    }
    let out = Output {
        color: cli.color,
        pager: !cli.no_pager,
    };
    match &cli.command {
        Command::Validate(args) => validate(args, &out),
        Command::Init(args) => init(args, &out),
        Command::Schema => {
            emit(init::SCHEMA)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules(args) => rules(args),
        Command::History(args) => history(args, &out),
        Command::Report(args) => report(args, &out),
        Command::Diff(args) => diff(args, &out),
        Command::Show(args) => show(args, &out),
        Command::Checkin(args) => checkin::checkin(args, &out, started_in.as_deref()),
        Command::Demo(args) => demo(args, &out),
        Command::DiffDriver(args) => diff_driver(args, &out),
        Command::Completions(args) => completions(args),
        Command::Man => man(),
        Command::Lsp => lsp(),
    }
}

/// The workspace of the current folder and its git repository.
fn open_repository() -> Result<(Workspace, Git)> {
    let workspace = Workspace::discover(&std::env::current_dir()?)?;
    let git = open_git(&workspace)?;
    Ok((workspace, git))
}

fn open_git(workspace: &Workspace) -> Result<Git> {
    let mut git = Git::open(&workspace.root)?;
    if let Some(Some(config)) = CACHE.get() {
        git.cache_walks_in(config.clone());
    }
    Ok(git)
}

/// What reading the repository noticed that is no part of the answer (a cache file it did not trust).
fn print_notes(git: &Git) {
    for note in git.take_notes() {
        warn(&format!("okr: note: {note}"));
    }
}

/// Where okr keeps what it can reuse between runs (see `okr history --help`), decided once at start.
static CACHE: std::sync::OnceLock<Option<CacheConfig>> = std::sync::OnceLock::new();

fn parse_quarter(text: &str) -> Result<Quarter> {
    Quarter::parse_argument(text).map_err(anyhow::Error::msg)
}

fn parse_date(text: &str, flag: &str) -> Result<jiff::civil::Date> {
    text.parse()
        .map_err(|_| anyhow::anyhow!("`{flag} {text}` is not a date; write it as YYYY-MM-DD"))
}

fn quarter_or_default(
    workspace: &Workspace,
    git: &Git,
    quarter: Option<&str>,
    rev: &str,
) -> Result<Quarter> {
    match quarter {
        Some(q) => parse_quarter(q),
        None => history::default_quarter(workspace, git, rev, okr::repo::clock::today()?),
    }
}

fn history(args: &HistoryArgs, out: &Output) -> Result<ExitCode> {
    let since = args
        .since
        .as_deref()
        .map(|d| parse_date(d, "--since"))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|d| parse_date(d, "--until"))
        .transpose()?;
    if let (Some(since), Some(until)) = (since, until)
        && since > until
    {
        bail!("`--since {since}` is after `--until {until}`: no day is in both; swap them");
    }
    if let Some(file) = &args.output {
        check_output_file(file)?;
    }
    let (workspace, git) = open_repository()?;
    let query = Query {
        quarter: quarter_or_default(&workspace, &git, args.quarter.as_deref(), &args.rev)?,
        rev: args.rev.clone(),
        first_parent: args.first_parent,
        team: args.team.clone(),
        since,
        until,
    };
    let mut bar = progress_bar(args.format, args.output.is_some());
    let history = history::read_with_progress(&workspace, &git, &query, &mut bar)?;
    print_notes(&git);
    let page = HistoryPage::new(history, okr::repo::clock::today()?);
    out.page(&page, &[args.format], args.output.as_deref())?;
    ends_without_freeing(page);
    Ok(ExitCode::SUCCESS)
}

fn report(args: &ReportArgs, out: &Output) -> Result<ExitCode> {
    if let Some(file) = &args.output {
        check_output_file(file)?;
    }
    let (workspace, git) = open_repository()?;
    let query = okr::core::report::ReportQuery {
        quarter: quarter_or_default(&workspace, &git, args.quarter.as_deref(), &args.at)?,
        team: args.team.clone(),
        at: args.at.clone(),
        retro: args.retro,
        today: okr::repo::clock::today()?,
        stale_after_days: workspace.config.checkins.stale_after_days,
    };
    let mut bar = progress_bar(args.format, args.output.is_some());
    let report = okr::commands::report::build_with_progress(&workspace, &git, &query, &mut bar)?;
    print_notes(&git);
    let page = ReportPage::new(report);
    out.page(&page, &[args.format], args.output.as_deref())?;
    ends_without_freeing(page);
    Ok(ExitCode::SUCCESS)
}

/// A page written last, just before okr exits: its memory goes back with the process. Freeing it piece by
/// piece first took tens of milliseconds for an organisation's quarter, for nothing.
fn ends_without_freeing<P>(page: P) {
    std::mem::forget(page);
}

/// Long histories take a moment: show how far reading has come, on stderr, but only to a person watching a
/// terminal, never into a pipe, a file or JSON meant for a tool.
fn progress_bar(format: Format, to_file: bool) -> impl FnMut(history::Progress) {
    /// Below this many commits the read is too quick for a bar to help.
    const WORTH_SHOWING: usize = 300;
    let show = format != Format::Json
        && std::io::stderr().is_terminal()
        && (to_file || std::io::stdout().is_terminal());
    let mut bar: Option<indicatif::ProgressBar> = None;
    move |step| match step {
        history::Progress::Commits(total) if show && total >= WORTH_SHOWING => {
            let style =
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} commits")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> ");
            let new = indicatif::ProgressBar::new(total as u64)
                .with_style(style)
                .with_message("reading history");
            bar = Some(new);
        }
        history::Progress::Read => {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        }
        history::Progress::Done => {
            if let Some(bar) = bar.take() {
                bar.finish_and_clear();
            }
        }
        history::Progress::Commits(_) => {}
    }
}

fn diff(args: &DiffArgs, out: &Output) -> Result<ExitCode> {
    let range = comparison::Range::parse(args.from.as_deref(), args.to.as_deref())?;
    if args.check {
        let formats = match args.format {
            Some(format) => vec![format],
            // In a GitHub Actions job, refusals also become annotations on the pull request.
            None if under_github_actions() => vec![Format::Github, Format::Human],
            None => vec![Format::Human],
        };
        let (workspace, git) = open_repository()?;
        let check = okr::commands::check::check(&workspace, &git, &range)?;
        print_notes(&git);
        out.page(&check, &formats, None)?;
        return Ok(if check.failed(args.deny_warnings) {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        });
    }
    if args.deny_warnings {
        bail!("`--deny-warnings` is for `okr diff --check`; add `--check`");
    }
    let format = args.format.unwrap_or(Format::Human);
    if let Err(unsupported) = format::supports::<comparison::Comparison>(format) {
        if format::supports::<Check>(format).is_ok() {
            bail!(
                "{unsupported}; `--format {format}` reports findings, so it is for `okr diff --check`"
            );
        }
        bail!("{unsupported}");
    }
    let (workspace, git) = open_repository()?;
    let comparison = comparison::compare(&workspace, &git, &range)?;
    print_notes(&git);
    out.page(&comparison, &[format], None)?;
    Ok(ExitCode::SUCCESS)
}

fn under_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true")
}

/// Whether stdout lands in the log of a CI runner that obeys `::` and `##[` lines: GitHub Actions, and Azure
/// Pipelines (`TF_BUILD`). GitLab reads no commands from its log, so output there needs no disarming.
fn under_command_reading_ci() -> bool {
    under_github_actions() || std::env::var_os("TF_BUILD").is_some()
}

fn show(args: &ShowArgs, out: &Output) -> Result<ExitCode> {
    let (workspace, git) = open_repository()?;
    let rev = if args.at.len() == 10 && args.at.parse::<jiff::civil::Date>().is_ok() {
        "HEAD"
    } else {
        args.at.as_str()
    };
    let quarter = quarter_or_default(&workspace, &git, args.quarter.as_deref(), rev)?;
    let state = okr::repo::state::shown(&workspace, &git, quarter, &args.at, "HEAD")?;
    print_notes(&git);
    out.page(&state, &[args.format], None)?;
    Ok(ExitCode::SUCCESS)
}

fn demo(args: &DemoArgs, out: &Output) -> Result<ExitCode> {
    use okr::commands::demo;
    let default = args.dir.is_none().then(demo::default_dir).flatten();
    let (dir, replaced) = match (&args.dir, &default) {
        (Some(dir), _) => (dir.clone(), false),
        (None, Some(dir)) => (dir.clone(), demo::clear_earlier(dir)?),
        // No cache folder to keep one demo in (no home folder): a new temporary folder each time.
        (None, None) => (
            tempfile::Builder::new()
                .prefix("okr-demo-")
                .tempdir()
                .context("cannot create a temporary folder for the demo")?
                .keep(),
            false,
        ),
    };
    let commits = demo::build(&dir)?;
    // Absolute, so the commands suggested below work from wherever the user is (`-C` may have moved us).
    let dir = dir.canonicalize().unwrap_or(dir);
    let workspace = Workspace::discover(&dir)?;
    // A throwaway repository: nothing worth caching.
    let git = Git::open(&workspace.root)?;
    let query = Query {
        quarter: parse_quarter(demo::QUARTER)?,
        rev: "HEAD".to_owned(),
        first_parent: false,
        team: None,
        since: None,
        until: None,
    };
    let history = history::read(&workspace, &git, &query)?;
    warn(&format!(
        "okr: built a demo repository with {commits} commits in {}{}; its history follows",
        dir.display(),
        if replaced {
            ", replacing the earlier demo"
        } else {
            ""
        },
    ));
    let page = HistoryPage::new(history, okr::repo::clock::today()?);
    out.page(&page, &[args.format], None)?;
    // Again after the history, which scrolls the first line away.
    warn(demo::explore(&dir, &demo::Invocation::current(), default.is_some()).trim_end());
    Ok(ExitCode::SUCCESS)
}

/// The language server, on stdin and stdout until the client says `exit` (or goes away).
fn lsp() -> Result<ExitCode> {
    // Read on a thread of the server's own, so not the lock of this one.
    let input = std::io::BufReader::new(std::io::stdin());
    let output = std::io::stdout().lock();
    match okr::lsp::serve(input, output).context("the language server's connection broke")? {
        okr::lsp::Ending::Clean => Ok(ExitCode::SUCCESS),
        // The protocol asks for 1 when `exit` comes without `shutdown`.
        okr::lsp::Ending::Abrupt => Ok(ExitCode::from(1)),
    }
}

fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "okr", &mut buffer);
    emit(&String::from_utf8_lossy(&buffer))?;
    Ok(ExitCode::SUCCESS)
}

fn man() -> Result<ExitCode> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    emit(&String::from_utf8_lossy(&buffer))?;
    Ok(ExitCode::SUCCESS)
}

/// git's external diff interface: `path old-file old-hex old-mode new-file new-hex new-mode`, or `path` alone
/// for an unmerged path, about which git's own diff says one line (and prints nothing itself around a driver).
fn diff_driver(args: &DiffDriverArgs, out: &Output) -> Result<ExitCode> {
    if let [path] = args.args.as_slice() {
        say(&format!("* Unmerged path {path}\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let (path, old_file, new_file) = match args.args.as_slice() {
        [path, old_file, _, _, new_file, _, _] => (path, old_file, new_file),
        // A rename: the new path and git's similarity line follow.
        [_, old_file, _, _, new_file, _, _, new_path, _] => (new_path, old_file, new_file),
        _ => bail!(
            "git passes seven arguments to an external diff driver (nine for a rename, one for an unmerged \
             path); see docs/history.md"
        ),
    };
    let read = |file: &str| -> Result<Option<Vec<u8>>> {
        if file == "/dev/null" {
            return Ok(None);
        }
        std::fs::read(file)
            .map(Some)
            .with_context(|| format!("cannot read {file}"))
    };
    let comparison = comparison::compare_contents(path, read(old_file)?, read(new_file)?);
    // git runs its own pager around the driver.
    let out = Output {
        color: out.color,
        pager: false,
    };
    out.page(&comparison, &[Format::Human], None)?;
    Ok(ExitCode::SUCCESS)
}

fn validate(args: &ValidateArgs, out: &Output) -> Result<ExitCode> {
    let workspace = Workspace::discover(&std::env::current_dir()?)?;
    if args.explicit_type && !args.fix && !args.diff {
        bail!("`--explicit-type` says what `--fix` or `--diff` also does; give one of them");
    }
    let options = okr::core::fix::Options {
        explicit_type: args.explicit_type,
        allowed: okr::core::fix::FIXABLE
            .into_iter()
            .filter(|code| workspace.config.severity(code).is_none())
            .collect(),
    };
    if args.diff {
        let fixes = okr::commands::fix::plan(&workspace, &args.paths, &options)?;
        let diff = fixes.diff();
        let shown = if std::io::stdout().is_terminal() {
            terminal_lines(&diff)
        } else {
            diff
        };
        // The diff's bytes are what `git apply` takes; disarmed only where a runner would obey a line of it.
        let disarmed = disarm_ci_commands(&shown, Spelling::Text, false);
        let altered = disarmed != shown.as_str() && under_command_reading_ci();
        emit(if altered { &disarmed } else { &shown })?;
        if altered {
            warn(
                "okr: note: lines of the diff a CI runner would take as commands were altered for the log, so \
                  `git apply` may not take it; `--fix` writes the same fixes",
            );
        }
        warn(fixes.summary(false, &[]).trim_end());
        return Ok(if fixes.changes() {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        });
    }
    let mut unwritten = false;
    if args.fix {
        let fixes = okr::commands::fix::plan(&workspace, &args.paths, &options)?;
        let failures = fixes.write();
        let failed: Vec<String> = failures.iter().map(|(path, _)| path.clone()).collect();
        warn(fixes.summary(true, &failed).trim_end());
        for (_, failure) in &failures {
            warn(&format!("okr: {failure:#}"));
        }
        unwritten = !failures.is_empty();
    }
    let stale = if args.stale {
        let git = open_git(&workspace)?;
        let found = okr::commands::stale::find(&workspace, &git, okr::repo::clock::today()?)?;
        print_notes(&git);
        match found {
            okr::commands::stale::Outcome::Checked(stale) => Some(stale),
            okr::commands::stale::Outcome::NothingToCheck(why) => {
                warn(&format!("okr: note: {why}"));
                None
            }
        }
    } else {
        None
    };
    let validation = okr::commands::validate::validate(&workspace, &args.paths, stale.as_ref())?;
    let formats = match args.format {
        Some(format) => vec![format],
        // In a GitHub Actions job, findings also become annotations on the pull request (like yamllint does).
        None if under_github_actions() => vec![Format::Github, Format::Human],
        None => vec![Format::Human],
    };
    out.page(&validation, &formats, None)?;
    if unwritten {
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let failed = validation.errors() > 0 || (args.deny_warnings && validation.warnings() > 0);
    Ok(if failed {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

fn init(args: &InitArgs, out: &Output) -> Result<ExitCode> {
    if let Some(team) = args.team.as_deref().filter(|team| !is_slug(team)) {
        bail!(
            "`--team {team}` is not a slug; use lowercase letters, digits and hyphens, e.g. `--team platform`"
        );
    }
    let workspace = Workspace::discover(&std::env::current_dir()?)?;
    if let Some(from) = &args.from {
        return roll_over(&workspace, args, from, out);
    }
    let quarter = match &args.quarter {
        Some(q) => Quarter::parse_argument(q).map_err(anyhow::Error::msg)?,
        None => {
            let calendar = Calendar::new(workspace.config.fiscal_year_start_month);
            calendar.quarter_of(okr::repo::clock::today()?)
        }
    };
    let plan = init::Plan {
        root: workspace.root.clone(),
        dir: workspace.config.dir.clone(),
        quarter,
        team: args.team.clone(),
        ci: args.ci.map(|ci| match ci {
            cli::CiSystem::Github => init::Ci::Github,
            cli::CiSystem::Gitlab => init::Ci::Gitlab,
        }),
    };
    let mut report = String::new();
    let outcomes = init::init(&plan)?;
    for outcome in &outcomes {
        match outcome {
            Outcome::Created(path) => {
                report.push_str(&format!("created {}\n", workspace.display_path(path)))
            }
            Outcome::Kept(path) => {
                report.push_str(&format!(
                    "kept    {} (it exists; not changed)\n",
                    workspace.display_path(path)
                ));
            }
            Outcome::SkippedExample(folder) => report.push_str(&format!(
                "skipped the example file: {}/ already has OKR files (--team NAME writes one)\n",
                workspace.display_path(folder)
            )),
        }
    }
    for step in init::next_steps(&plan, &outcomes, |path| workspace.display_path(path)) {
        report.push_str(&format!("next: {step}\n"));
    }
    say(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// `okr init --from`: the next quarter's files. The files made go to stdout, what stayed behind to stderr.
fn roll_over(workspace: &Workspace, args: &InitArgs, from: &str, out: &Output) -> Result<ExitCode> {
    let request = rollover::Request {
        from: parse_quarter(from)?,
        to: args.to.as_deref().map(parse_quarter).transpose()?,
        team: args.team.clone(),
    };
    match rollover::roll(workspace, &request)? {
        rollover::Rolled::Refused(validation) => {
            out.page(&validation, &[Format::Human], None)?;
            warn(&format!(
                "okr: error: the files of {} have errors (above); fix them, then run `okr init --from {}` \
                 again; nothing was written",
                request.from, request.from
            ));
            Ok(ExitCode::from(EXIT_FINDINGS))
        }
        rollover::Rolled::Done(summary) => {
            let notes = rollover::notes(&summary);
            if !notes.is_empty() {
                warn(notes.trim_end());
            }
            say(&rollover::report(&summary, |path| {
                workspace.display_path(path)
            }))?;
            if let Some(errors) = rollover::errors(&summary) {
                warn(&format!("okr: error: {errors}"));
                return Ok(ExitCode::from(EXIT_FINDINGS));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn rules(args: &RulesArgs) -> Result<ExitCode> {
    if args.markdown {
        emit(&rules::markdown())?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(code) = &args.code else {
        emit(&rules::listing())?;
        return Ok(ExitCode::SUCCESS);
    };
    let Some(rule) = rules::find(code) else {
        bail!("no rule `{code}`; `okr rules` lists them");
    };
    emit(&rule.explained())?;
    Ok(ExitCode::SUCCESS)
}

/// A message for stdout that may quote user text (the paths `okr init` wrote): escaped for the terminal line by
/// line, and no line a CI runner would read as a command.
fn say(text: &str) -> Result<()> {
    let safe = terminal_lines(text);
    emit(&disarm_ci_commands(&safe, Spelling::Text, false))
}

/// Writes to stdout. A reader that went away (`okr validate | head`) is not an error.
fn emit(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
