//! The command line, declared once: `--help`, and later the man page and completions, come from here.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use okr::commands::check::Check;
use okr::commands::diff::Comparison;
use okr::commands::validate::Validation;
use okr::core::state::QuarterState;
use okr::render::format::{Format, Page, formats};
use okr::view::history::HistoryPage;
use okr::view::report::ReportPage;

/// `--format`'s values for a command: the formats of the pages it shows, each with its help line, so `--help`
/// and the error for a wrong value list exactly what the command writes.
fn formats_of(formats: Vec<Format>) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        formats
            .into_iter()
            .map(|f| PossibleValue::new(f.name()).help(f.help())),
    )
    .try_map(|name| name.parse::<Format>())
}

fn format_of<P: Page>() -> impl TypedValueParser<Value = Format> {
    formats_of(formats::<P>())
}

/// `okr diff` shows a comparison, and with `--check` the policy's findings.
fn diff_formats() -> impl TypedValueParser<Value = Format> {
    let (changes, findings) = (formats::<Comparison>(), formats::<Check>());
    let all = Format::ALL
        .into_iter()
        .filter(|f| changes.contains(f) || findings.contains(f))
        .collect();
    formats_of(all)
}

#[derive(Debug, Parser)]
#[command(
    name = "okr",
    version,
    about = "Git-native, plain-text OKRs: validate, diff and report OKR files kept in git",
    long_about = "okr checks Objectives and Key Results kept as YAML files in a git repository \
                  (okrs/<quarter>/<team>.yaml) and reports on them.\n\n\
                  Exit codes: 0 success, 1 problems found, 2 usage or I/O error.\n\n\
                  Environment: NO_COLOR turns colour off, CLICOLOR_FORCE on. Long human output on a terminal \
                  goes through a pager: OKR_PAGER, else PAGER, else `less -FRX` (`--no-pager` to turn it \
                  off). `history` and `report` remember which \
                  commits touched a quarter's folder, keyed by commit id, in okr's cache folder (never in the \
                  repository): OKR_CACHE_DIR sets it (default: okr/ in the user's cache folder, e.g. \
                  ~/.cache/okr); OKR_CACHE=off turns the cache off. In CI (CI set) it is off unless \
                  OKR_CACHE=on. See docs/history.md. OKR_TODAY=YYYY-MM-DD \
                  pins the day reports are made on, so one made again later says the same.",
    after_help = "Docs: docs/format.md (the file format), docs/rules.md (rule codes), docs/validate.md"
)]
pub struct Cli {
    /// Run as if okr was started in DIR (like git -C)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,

    /// When to use colour: auto uses it on a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// Never send long output to a pager (by default human output to a terminal goes through
    /// $OKR_PAGER, else $PAGER, else `less -FRX`, as git does)
    #[arg(long, global = true)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check OKR files against the format and the rules; report every problem with its place
    Validate(ValidateArgs),
    /// Start OKRs in this repository: okr.toml, the JSON Schema and an example file; or, with --from, start
    /// the next quarter from the unfinished objectives of one (never overwrites)
    Init(InitArgs),
    /// Print the JSON Schema of the OKR file format (for editors)
    Schema,
    /// List the rules okr checks, or explain one
    Rules(RulesArgs),
    /// Show how a quarter's OKRs changed in git: what, when, by whom, and why
    History(HistoryArgs),
    /// Report where a quarter stands: scores, alignment, drops, pivots, and the retrospective
    Report(ReportArgs),
    /// Show the semantic changes between two revisions (TO omitted: the working tree)
    Diff(DiffArgs),
    /// Show a quarter's OKRs as they stood at a revision or on a date
    Show(ShowArgs),
    /// Record new values of key results (and confidences, notes) in the team files, edited in place
    Checkin(CheckinArgs),
    /// Build a demo repository with a realistic quarter of history, and show that history
    Demo(DemoArgs),
    /// Print a shell completion script (e.g. `okr completions bash > ~/.local/share/bash-completion/completions/okr`)
    Completions(CompletionsArgs),
    /// Print the man page (e.g. `okr man > ~/.local/share/man/man1/okr.1`)
    Man,
    /// Run a language server for editors over stdin and stdout (diagnostics while typing, outline, hover, go
    /// to definition, quick fixes); see docs/editors.md
    #[command(
        long_about = "Run a Language Server Protocol server for editors, speaking JSON-RPC over stdin and \
                      stdout. Editors start it themselves; docs/editors.md shows the setup for Neovim, Helix, \
                      VS Code and JetBrains IDEs.\n\n\
                      It serves diagnostics for OKR files (okr validate's rules, the cross-file ones included, \
                      with okr.toml's severities) from the unsaved text on every change; the document outline \
                      (objectives and key results); workspace symbols; go to definition on aligns_to; and \
                      hover on an objective or key result id (title, owner, progress, score); and quick fixes \
                      (what okr validate --fix makes, and a reason to fill in for a dropped objective). The \
                      workspace is found from the editor's folder as okr finds it from the current one; files \
                      outside its OKR folder get nothing. It never writes a file: the editor applies a fix.\n\n\
                      Exit codes: 0 after the client's shutdown and exit, 1 when the client exits without \
                      shutdown or closes the stream, 2 when the stream breaks mid-message."
    )]
    Lsp,
    /// Git's external diff driver for OKR files (see docs/history.md); git calls it with seven arguments, or
    /// with one (the path) for a path left unmerged by a conflict
    #[command(hide = true)]
    DiffDriver(DiffDriverArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The quarter, as YYYY-Qn [default: the current quarter if the repository has it, else the latest]
    #[arg(long)]
    pub quarter: Option<String>,

    /// Only this team
    #[arg(long)]
    pub team: Option<String>,

    /// Report the state at this revision
    #[arg(long, default_value = "HEAD")]
    pub at: String,

    /// Include the retrospective before the quarter has ended: what was met, missed and dropped, the
    /// learnings, and each team's own `retrospective:`
    #[arg(long)]
    pub retro: bool,

    /// Output format
    #[arg(long, value_parser = format_of::<ReportPage>(), default_value = "human")]
    pub format: Format,

    /// Write to FILE instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The quarter, as YYYY-Qn [default: the current quarter if the repository has it, else the latest]
    #[arg(long)]
    pub quarter: Option<String>,

    /// Only this team's changes
    #[arg(long)]
    pub team: Option<String>,

    /// Only changes committed on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only changes committed on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Read history back from this revision
    #[arg(long, default_value = "HEAD")]
    pub rev: String,

    /// Follow only first parents: the mainline view, where a merged branch counts as one change
    #[arg(long)]
    pub first_parent: bool,

    /// Output format
    #[arg(long, value_parser = format_of::<HistoryPage>(), default_value = "human")]
    pub format: Format,

    /// Write to FILE instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Revisions are anything git understands (a branch, a tag, HEAD~3, a commit id). FROM may \
                  also be a range: `A..B` compares A with B, `A...B` compares from where A and B meet (their \
                  merge base) to B, the changes of B since it branched off A."
)]
pub struct DiffArgs {
    /// The revision to compare from, or a range `FROM..TO` / `FROM...TO` [default: HEAD]
    pub from: Option<String>,

    /// The revision to compare to [default: the working tree]
    pub to: Option<String>,

    /// Check the change policy instead: exit 1 when a mid-quarter change that needs a reason has none, or a
    /// file of TO does not parse (docs/ci.md)
    #[arg(long)]
    pub check: bool,

    /// Output format [default: human; with --check under GitHub Actions, human plus workflow annotations].
    /// github, sarif, junit, gitlab and rdjson report findings, so they are for --check
    #[arg(long, value_parser = diff_formats())]
    pub format: Option<Format>,

    /// With --check: exit with status 1 on warnings too (a `change-without-reason` set to warn)
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A revision, or a day (YYYY-MM-DD): the last commit on or before it
    #[arg(long, default_value = "HEAD")]
    pub at: String,

    /// The quarter, as YYYY-Qn [default: the current quarter if the repository has it, else the latest]
    #[arg(long)]
    pub quarter: Option<String>,

    /// Output format
    #[arg(long, value_parser = format_of::<QuarterState>(), default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
                  okr checkin platform/boring-deploys/failed-deploys 5\n  \
                  okr checkin platform/boring-deploys/failed-deploys 5 platform/boring-deploys/lead-time 40\n  \
                  okr checkin platform/boring-deploys/rollback-runbook done --note 'Tested on all services'\n  \
                  okr checkin platform/boring-deploys/failed-deploys 5 --confidence 0.7 --commit\n  \
                  okr checkin --team platform        # on a terminal: each active key result in turn\n\n\
                  --confidence and --note given once apply to every key result named; given once per key \
                  result, the first goes with the first key result, the second with the second, and so on.\n\n\
                  Without --commit, okr prints the git command that commits the check-in. With it, okr commits \
                  the edited files alone (other staged or unstaged changes stay as they are) as git's \
                  configured user, with a message such as `Check-in platform: failed-deploys 7 → 5`; a file \
                  with changes not committed yet is refused, so the commit holds the check-in and nothing else. \
                  okr runs no git hooks and signs nothing, so where git would (a pre-commit or commit-msg hook, \
                  commit.gpgsign) --commit is refused: run the printed git command instead. See \
                  docs/checkin.md.\n\n\
                  Only the changed values' characters change; comments, key order, quoting, blank lines, \
                  indentation and line endings stay as they are. A field a key result lacks (`current`, \
                  `confidence`, `notes`) is added under the fields it follows, in the key result's indentation. \
                  The edited files are checked as `okr validate` checks them, with every other OKR file of the \
                  repository, before anything is written: a check-in that would add an error is refused with \
                  that error, and nothing is written. Files are written whole and keep their permissions.\n\n\
                  Exit codes: 0 done (or nothing to change), 1 refused because the files would be invalid, 2 \
                  usage or other errors (an unknown key result, a value of the wrong kind, no git identity for \
                  --commit, a hook or signing --commit cannot do, no terminal for --team).")]
pub struct CheckinArgs {
    /// Key results and their new values, in pairs: TEAM/OBJECTIVE/KR VALUE. VALUE is a number for a metric,
    /// `done` or `not-done` for a milestone
    #[arg(value_name = "KR VALUE", num_args = 0.., allow_negative_numbers = true)]
    pub pairs: Vec<String>,

    /// With no key result named, on a terminal: walk the team's active key results one by one, asking for
    /// each new value and confidence (Enter keeps them)
    #[arg(long, conflicts_with = "pairs")]
    pub team: Option<String>,

    /// The confidence (0 to 1): once for every key result named, or once per key result, in their order
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub confidence: Vec<String>,

    /// A note for the key result (its `notes`): once for every key result named, or once per key result
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Vec<String>,

    /// The quarter, as YYYY-Qn [default: the quarter today is in, by okr.toml's calendar]
    #[arg(long)]
    pub quarter: Option<String>,

    /// Commit the edited files (only those) as git's configured user
    #[arg(long)]
    pub commit: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to build the demo repository (a new or empty folder) [default: okr-demo in the user's cache
    /// folder, e.g. ~/.cache/okr-demo, which each run rebuilds]
    pub dir: Option<PathBuf>,

    /// Format of the history shown after building
    #[arg(long, value_parser = format_of::<HistoryPage>(), default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffDriverArgs {
    /// path old-file old-hex old-mode new-file new-hex new-mode, as git passes them (for a rename git adds the
    /// new path and a similarity line); for an unmerged path git passes the path alone, and the driver prints
    /// `* Unmerged path PATH` as git's own diff does
    #[arg(num_args = 1..=9, required = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders to check [default: the repository's OKR folder, `dir` in okr.toml]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: human; under GitHub Actions, human plus workflow annotations]
    #[arg(long, value_parser = format_of::<Validation>())]
    pub format: Option<Format>,

    /// Exit with status 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,

    /// Also warn at each key result of the quarter running today that has had no progress recorded in git for
    /// `stale_after_days` ([checkins] in okr.toml, default 14): rule stale-key-result. Reads the git history;
    /// for a scheduled CI job (see docs/ci.md)
    #[arg(long)]
    pub stale: bool,

    /// Make the safe fixes in place (`okr rules` says which rules have one), then check again and report
    /// what remains; the exit code is for what remains. Only files a fix changes are written
    #[arg(long)]
    pub fix: bool,

    /// Print the safe fixes as a unified diff and write nothing; exit 1 when there is a fix to make, else 0
    #[arg(long, conflicts_with_all = ["fix", "format", "stale"])]
    pub diff: bool,

    /// With --fix or --diff: also write `type: aspirational` into each objective that has no `type` (what it
    /// is read as, made explicit)
    #[arg(long)]
    pub explicit_type: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiSystem {
    /// .github/workflows/okr.yml
    Github,
    /// .gitlab-ci.yml (only when the repository has none)
    Gitlab,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Starting the next quarter: `okr init --from 2026-Q3` writes a file in okrs/2026-Q4/ for every \
team of 2026-Q3, named as its file there. Active objectives carry over with their ids and `carried_from: 2026-Q3`; each metric key result \
starts where it ended (its last `current`), without current, confidence, score or notes. Done and dropped \
objectives, done milestones and metrics that reached their target stay behind, listed on stderr. The files of \
2026-Q3 in the working tree are read, and must validate; a team that already has a file in the new quarter keeps \
it."
)]
pub struct InitArgs {
    /// The team whose example file is written (a slug: lowercase letters, digits, hyphens) [default: my-team,
    /// and no example when the OKR folder already has OKR files]; with --from, the one team to carry over
    /// [default: every team]
    #[arg(long)]
    pub team: Option<String>,

    /// The quarter of the example file, as YYYY-Qn [default: the current quarter]
    #[arg(long)]
    pub quarter: Option<String>,

    /// Also write a CI workflow that validates OKRs and checks changes in pull requests
    #[arg(long, value_enum)]
    pub ci: Option<CiSystem>,

    /// Start the next quarter from this one (YYYY-Qn): carry its unfinished objectives over, instead of
    /// writing an example
    #[arg(long, value_name = "QUARTER", conflicts_with_all = ["quarter", "ci"])]
    pub from: Option<String>,

    /// The quarter to carry over to, as YYYY-Qn, later than --from [default: the quarter after --from]
    #[arg(long, value_name = "QUARTER", requires = "from")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code, e.g. unknown-field, to explain in full
    pub code: Option<String>,

    /// Print the full rules reference as Markdown (docs/rules.md is generated from it)
    #[arg(long, conflicts_with = "code")]
    pub markdown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}
