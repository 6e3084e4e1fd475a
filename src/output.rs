//! Where output goes: stdout, coloured and paged as the reader's terminal and options say, or a file written
//! whole.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use okr::render::format::{self, Format, Page};
use okr::repo::rewrite;

use crate::cli::ColorWhen;
use crate::emit;

/// Where pages go: stdout (coloured and paged as the reader's terminal and options say) or a file.
pub struct Output {
    pub color: ColorWhen,
    pub pager: bool,
}

impl Output {
    /// `page` in each of `formats`, one after the other, to `file` or stdout.
    pub fn page<P: Page>(&self, page: &P, formats: &[Format], file: Option<&Path>) -> Result<()> {
        let context = format::Context {
            version: env!("CARGO_PKG_VERSION"),
        };
        // One format that is not painted goes out as its renderer writes it: an organisation's JSON is a
        // hundred megabytes that need not stand whole in memory first.
        if let [format] = formats
            && !format.is_for_a_terminal()
        {
            let write = |out: &mut dyn Write| format::write(page, *format, &context, out);
            return match file {
                Some(file) => write_file(file, write),
                None => {
                    let mut stdout = std::io::stdout().lock();
                    write(&mut stdout)?;
                    Ok(())
                }
            };
        }
        let mut text = String::new();
        for format in formats {
            let rendered = format::render(page, *format, &context)?;
            // One format, the usual case, is not copied: a page of an organisation's quarter is megabytes.
            if text.is_empty() {
                text = rendered;
            } else {
                text.push_str(&rendered);
            }
        }
        // Only formats for a terminal are painted; the others go out exactly as rendered.
        let painted = formats.iter().any(|f| f.is_for_a_terminal());
        match file {
            // A file is read later, elsewhere: never coloured.
            Some(file) if painted => {
                let text = anstream::adapter::strip_str(&text).to_string();
                write_file(file, |out| out.write_all(text.as_bytes()))
            }
            Some(file) => write_file(file, |out| out.write_all(text.as_bytes())),
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
/// with what to write instead; so is a symbolic link that leads nowhere, since which file it means is not sure.
pub fn check_output_file(file: &Path) -> Result<()> {
    let text = file.as_os_str().to_string_lossy();
    if file.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        bail!(
            "`-o {}` is a folder; name the file to write, e.g. `-o {}`",
            file.display(),
            file.join("report.html").display()
        );
    }
    if let Ok(link) = std::fs::read_link(file)
        && let Err(err) = std::fs::metadata(file)
    {
        let why = match err.kind() {
            std::io::ErrorKind::NotFound => "which does not exist".to_owned(),
            _ => format!("which cannot be followed ({err})"),
        };
        bail!(
            "`-o {}` is a symbolic link to {}, {why}; create that file first to write through the link, or \
             remove the link to write a new file in its place",
            file.display(),
            link.display()
        );
    }
    Ok(())
}

/// Writes `text` to `file`, whole or not at all, and a file already there is replaced as that file:
/// - a new file gets the mode any new file gets, `0666` less the umask;
/// - an existing file keeps its permissions: the text goes to a temporary file in the same folder, given those
///   permissions before any text is in it, which is then renamed over the old one (its owner, when okr runs as
///   another user, is not kept);
/// - a symbolic link is followed, as a shell's `>` does: the file it leads to is written as above, and the link
///   stays a link (one that leads nowhere is refused by [`check_output_file`]);
/// - a file with other hard links, and anything that is not a regular file (a device such as `/dev/null`, a
///   FIFO), is opened and written in place, so every link reads the new text and a device is not replaced by a
///   file. Only this case is not whole-or-nothing: a failure midway (a full disk) leaves the file part-written.
fn write_file(
    file: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let target = match std::fs::symlink_metadata(file) {
        Ok(m) if m.file_type().is_symlink() => file
            .canonicalize()
            .with_context(|| format!("cannot follow the symbolic link {}", file.display()))?,
        _ => file.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(existing) if !existing.is_file() || rewrite::links(&existing) > 1 => {
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&target)
                .with_context(|| format!("cannot write {}", file.display()))?;
            write(&mut out).with_context(|| format!("cannot write {}", file.display()))
        }
        existing => rewrite::replace_whole(
            &target,
            file,
            existing.ok().map(|m| m.permissions()),
            write,
            || Ok(()),
        ),
    }
}
