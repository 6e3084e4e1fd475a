//! Where output goes: stdout, coloured and paged as the reader's terminal and options say, or a file written
//! whole.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};
use okr::render::format::{self, Format, Page};

use crate::cli::ColorWhen;
use crate::emit;

/// Where pages go: stdout (coloured and paged as the reader's terminal and options say) or a file.
pub struct Output {
    pub color: ColorWhen,
    pub pager: bool,
}

impl Output {
    /// `page` in each of `formats`, one after the other, to `file` or stdout.
    pub fn page<P: Page>(
        &self,
        page: &P,
        formats: &[Format],
        file: Option<&std::path::Path>,
    ) -> Result<()> {
        let context = format::Context {
            version: env!("CARGO_PKG_VERSION"),
        };
        let mut text = String::new();
        for format in formats {
            text.push_str(&format::render(page, *format, &context)?);
        }
        // Only formats for a terminal are painted; the others go out exactly as rendered.
        let painted = formats.iter().any(|f| f.is_for_a_terminal());
        match file {
            // A file is read later, elsewhere: never coloured.
            Some(file) if painted => {
                write_file(&anstream::adapter::strip_str(&text).to_string(), file)
            }
            Some(file) => write_file(&text, file),
            None => self.stdout(&text, painted),
        }
    }

    /// Writes to stdout, through a pager when a person reads a terminal and has not said no. A reader that
    /// went away (`okr history | head`, quitting the pager) is not an error.
    fn stdout(&self, text: &str, for_a_terminal: bool) -> Result<()> {
        let stdout = std::io::stdout();
        // anstream decides, as for every tool built on it: NO_COLOR, CLICOLOR_FORCE, TERM=dumb, a pipe.
        let choice = match self.color {
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
            ColorWhen::Auto => anstream::AutoStream::choice(&stdout),
        };
        let text = match choice {
            anstream::ColorChoice::Never if for_a_terminal => {
                std::borrow::Cow::Owned(anstream::adapter::strip_str(text).to_string())
            }
            _ => std::borrow::Cow::Borrowed(text),
        };
        let pager = match pager_command() {
            Some(command) if self.pager && for_a_terminal && stdout.is_terminal() => {
                spawn_pager(&command)
            }
            _ => None,
        };
        match pager {
            Some(mut child) => {
                if let Some(mut stdin) = child.stdin.take() {
                    // Quitting the pager early closes its input: not an error.
                    let _ = stdin.write_all(text.as_bytes());
                }
                child.wait().context("the pager failed")?;
                Ok(())
            }
            None => emit(&text),
        }
    }
}

/// The pager as git chooses one: `$OKR_PAGER`, else `$PAGER`, else `less`; none when it is empty or `cat`.
fn pager_command() -> Option<String> {
    let chosen = ["OKR_PAGER", "PAGER"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok())
        .unwrap_or_else(|| "less".to_owned());
    let chosen = chosen.trim();
    (!chosen.is_empty() && chosen != "cat").then(|| chosen.to_owned())
}

/// Starts the pager through the shell, as git does, so `PAGER="less -S"` works. `less` is told (unless the
/// user set `LESS`) to quit when the text fits one screen, to pass colours, and to leave the screen as it is.
fn spawn_pager(command: &str) -> Option<std::process::Child> {
    let mut pager = if cfg!(windows) {
        let mut words = command.split_whitespace();
        let mut pager = std::process::Command::new(words.next()?);
        pager.args(words);
        pager
    } else {
        let mut pager = std::process::Command::new("sh");
        pager.arg("-c").arg(command);
        pager
    };
    if std::env::var_os("LESS").is_none() {
        pager.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        pager.env("LV", "-c");
    }
    // A pager that cannot start is no reason to lose the output: it is written directly instead.
    pager.stdin(std::process::Stdio::piped()).spawn().ok()
}

/// `-o FILE` names a file to write, checked before the work: a folder, or a path ending in `/`, is refused
/// with what to write instead.
pub fn check_output_file(file: &std::path::Path) -> Result<()> {
    let text = file.as_os_str().to_string_lossy();
    if file.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        bail!(
            "`-o {}` is a folder; name the file to write, e.g. `-o {}`",
            file.display(),
            file.join("report.html").display()
        );
    }
    Ok(())
}

/// Writes `text` to `file` whole or not at all.
fn write_file(text: &str, file: &std::path::Path) -> Result<()> {
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    // A report is for others to read (a CI artifact, a static page): readable by all, like any new file.
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut temp = builder
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    temp.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))?;
    temp.persist(file)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(())
}
