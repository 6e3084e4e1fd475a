//! The command line, declared once: `--help`, and later the man page and completions, come from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "okr",
    version,
    about = "Git-native, plain-text OKRs: validate, diff and report OKR files kept in git",
    long_about = "okr checks Objectives and Key Results kept as YAML files in a git repository \
                  (okrs/<quarter>/<team>.yaml) and reports on them.\n\n\
                  Exit codes: 0 success, 1 problems found, 2 usage or I/O error.",
    after_help = "Docs: docs/format.md (the file format), docs/rules.md (rule codes), docs/validate.md"
)]
pub struct Cli {
    /// Run as if okr was started in DIR (like git -C)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,

    /// When to use colour: auto uses it on a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check OKR files against the format and the rules; report every problem with its place
    Validate(ValidateArgs),
    /// Start OKRs in this repository: okr.toml, the JSON Schema and an example file (never overwrites)
    Init(InitArgs),
    /// Print the JSON Schema of the OKR file format (for editors)
    Schema,
    /// List the rules okr checks, or explain one
    Rules(RulesArgs),
    /// Show how a quarter's OKRs changed in git: what, when, by whom, and why
    History(HistoryArgs),
    /// Show the semantic changes between two revisions (TO omitted: the working tree)
    Diff(DiffArgs),
    /// Show a quarter's OKRs as they stood at a revision or on a date
    Show(ShowArgs),
    /// Build a demo repository with a realistic quarter of history, and show that history
    Demo(DemoArgs),
    /// Git's external diff driver for OKR files (see docs/history.md); git calls it with seven arguments
    #[command(hide = true)]
    DiffDriver(DiffDriverArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people at a terminal
    Human,
    /// For wiki pages and pull request comments
    Markdown,
    /// For tools (docs/history.md)
    Json,
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision to compare from [default: HEAD]
    pub from: Option<String>,

    /// The revision to compare to [default: the working tree]
    pub to: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to build the demo repository (a new or empty folder) [default: a new temporary folder]
    pub dir: Option<PathBuf>,

    /// Format of the history shown after building
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct DiffDriverArgs {
    /// path old-file old-hex old-mode new-file new-hex new-mode, as git passes them
    #[arg(num_args = 7, required = true)]
    pub args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders to check [default: the repository's OKR folder, `dir` in okr.toml]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Exit with status 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// For people: each problem with the source line, a caret, and help
    Human,
    /// For tools: a stable JSON document (docs/validate.md)
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The team whose example file is written (a slug: lowercase letters, digits, hyphens)
    #[arg(long, default_value = "my-team")]
    pub team: String,

    /// The quarter of the example file, as YYYY-Qn [default: the current quarter]
    #[arg(long)]
    pub quarter: Option<String>,
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
