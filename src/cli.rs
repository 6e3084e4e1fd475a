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
