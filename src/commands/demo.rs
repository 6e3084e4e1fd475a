//! `okr demo`: a real git repository holding a realistic quarter, replayed from `fixtures/demo/history.toml`
//! with gix, so a new user sees `okr history` work without preparing anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use gix::ObjectId;
use serde::Deserialize;

/// The demo's history, compiled in so `okr demo` works from any installed binary.
pub const SCRIPT: &str = include_str!("../../fixtures/demo/history.toml");

/// The quarter the demo is about.
pub const QUARTER: &str = "2026-Q3";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Script {
    commit: Vec<Step>,
}

/// One commit of the script: edits applied in the order write, rename, delete, replace.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// RFC 3339; used as author and committer date.
    pub date: String,
    /// `Name <email>`.
    pub author: String,
    pub message: String,
    #[serde(default)]
    write: BTreeMap<String, String>,
    #[serde(default)]
    rename: Vec<Rename>,
    #[serde(default)]
    delete: Vec<Delete>,
    #[serde(default)]
    replace: Vec<Replace>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Delete {
    path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Replace {
    path: String,
    from: String,
    to: String,
}

/// The files of the repository after one commit.
pub type Files = BTreeMap<String, String>;

/// Replays the script in memory: each commit with the files as they stand after it.
pub fn replay(script: &str) -> Result<Vec<(Step, Files)>> {
    let script: Script = toml::from_str(script).context("the demo script is not valid")?;
    let mut files = Files::new();
    let mut states = Vec::new();
    for (number, step) in script.commit.into_iter().enumerate() {
        let before = files.clone();
        let at = || {
            format!(
                "demo commit {} ({})",
                number + 1,
                step.message.lines().next().unwrap_or("")
            )
        };
        for (path, content) in &step.write {
            files.insert(path.clone(), content.clone());
        }
        for rename in &step.rename {
            let content = files
                .remove(&rename.from)
                .with_context(|| format!("{}: no file {}", at(), rename.from))?;
            files.insert(rename.to.clone(), content);
        }
        for delete in &step.delete {
            files
                .remove(&delete.path)
                .with_context(|| format!("{}: no file {}", at(), delete.path))?;
        }
        for replace in &step.replace {
            let content = files
                .get_mut(&replace.path)
                .with_context(|| format!("{}: no file {}", at(), replace.path))?;
            if content.matches(&replace.from).count() != 1 {
                bail!(
                    "{}: `{}` must occur exactly once in {}",
                    at(),
                    replace.from.trim(),
                    replace.path
                );
            }
            *content = content.replacen(&replace.from, &replace.to, 1);
        }
        if files == before {
            bail!("{}: changes nothing", at());
        }
        states.push((step, files.clone()));
    }
    Ok(states)
}

/// The marker every demo repository holds, at `.git/okr-demo`: inside `.git` so the checkout stays clean, and
/// what lets a later `okr demo` delete the folder knowing okr built it.
const MARKER: &str = "okr-demo";
const MARKER_TEXT: &str =
    "This repository was built by `okr demo`, which rebuilds it in place when run again.\n";

/// Where `okr demo` builds when given no folder: one folder per user, rebuilt on each run, so demos do not
/// pile up in the temporary folder. In the user's cache folder, not the shared temporary one, where another
/// user could have put a folder of their own under that name. A cache folder that is not absolute (a relative
/// `HOME`) is none: it would be wherever okr runs, maybe inside the user's repository.
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir()
        .filter(|cache| cache.is_absolute())
        .map(|cache| cache.join("okr-demo"))
}

/// Makes way for a new demo in `dir`: deletes an earlier demo there. Anything else okr did not build is left
/// alone and refused. Returns whether an earlier demo was deleted.
pub fn clear_earlier(dir: &Path) -> Result<bool> {
    let metadata = match std::fs::symlink_metadata(dir) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", dir.display())),
    };
    let refuse = || {
        anyhow::anyhow!(
            "{} exists and is not a demo built by okr, so okr demo leaves it alone; remove it yourself, \
             or build the demo elsewhere with `okr demo DIR`",
            dir.display()
        )
    };
    if !metadata.is_dir() {
        return Err(refuse());
    }
    let empty = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .next()
        .is_none();
    if empty {
        return Ok(false);
    }
    if !is_demo(dir) {
        return Err(refuse());
    }
    std::fs::remove_dir_all(dir)
        .with_context(|| format!("cannot remove the earlier demo in {}", dir.display()))?;
    Ok(true)
}

/// Whether okr built `dir` as a demo: a real `.git` folder holding okr's marker as a plain file.
fn is_demo(dir: &Path) -> bool {
    let git = dir.join(".git");
    let real_folder = std::fs::symlink_metadata(&git).is_ok_and(|m| m.is_dir());
    let marker = git.join(MARKER);
    real_folder
        && std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file())
        && std::fs::read_to_string(&marker).is_ok_and(|text| text == MARKER_TEXT)
}

/// How the user can run this same okr again, for the commands the demo suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Started by `cargo run` in okr's source folder (before okr is installed), with the profile's flag
    /// (`--release`) and the binary cargo built.
    Cargo { flags: String, binary: PathBuf },
    /// `okr` on the PATH is this binary.
    Installed,
    /// Any other binary, by its path.
    Binary(PathBuf),
}

impl Invocation {
    /// How this process was started, from its environment.
    pub fn current() -> Invocation {
        let binary = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("okr"));
        // `cargo run` gives the program its package's variables; an installed okr has none.
        let by_cargo = std::env::var_os("CARGO_PKG_NAME").is_some_and(|name| name == "okr")
            && std::env::var_os("CARGO_MANIFEST_DIR").is_some();
        if by_cargo {
            let profile = binary.parent().and_then(Path::file_name);
            let flags = match profile.and_then(|p| p.to_str()) {
                Some("debug") | None => String::new(),
                Some("release") => " --release".to_owned(),
                Some(other) => format!(" --profile {other}"),
            };
            return Invocation::Cargo { flags, binary };
        }
        let first_on_path = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(format!("okr{}", std::env::consts::EXE_SUFFIX)))
                .find(|candidate| candidate.is_file())
        });
        let same = |a: &Path, b: &Path| {
            let (a, b) = (a.canonicalize(), b.canonicalize());
            a.is_ok() && a.ok() == b.ok()
        };
        match first_on_path {
            Some(found) if same(&found, &binary) => Invocation::Installed,
            _ => Invocation::Binary(binary),
        }
    }
}

/// What to tell the user once the demo's history has scrolled by: where the repository is and how to explore
/// it, in commands that run as they are (before okr is installed, too). `rebuilt`: the folder is the default
/// one, which the next `okr demo` replaces.
pub fn explore(dir: &Path, invocation: &Invocation, rebuilt: bool) -> String {
    let dir_arg = shell_word(&dir.display().to_string());
    let command = |okr: &str| format!("{okr} -C {dir_arg} report");
    let mut text = format!("okr: the demo repository is in {}", dir.display());
    if rebuilt {
        text.push_str(" (the next `okr demo` rebuilds it)");
    }
    text.push('\n');
    match invocation {
        Invocation::Cargo { flags, binary } => {
            text.push_str(&format!(
                "     explore it from okr's source folder: {}\n     or from anywhere:                   {}\n",
                command(&format!("cargo run{flags} --")),
                command(&shell_word(&binary.display().to_string())),
            ));
        }
        Invocation::Installed => {
            text.push_str(&format!("     explore it: {}\n", command("okr")));
        }
        Invocation::Binary(binary) => {
            text.push_str(&format!(
                "     explore it: {}\n",
                command(&shell_word(&binary.display().to_string()))
            ));
        }
    }
    text.push_str(
        "     instead of `report`, try: history --format markdown, show --at 2026-07-20, diff HEAD~10, \
         report --format html -o report.html\n",
    );
    text
}

/// `word` as one word for a POSIX shell: as it is when nothing in it is special, else single-quoted.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Builds the demo repository in `dir`, which must not exist or be empty. Returns the number of commits.
pub fn build(dir: &Path) -> Result<usize> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} is not empty; okr demo builds its repository in a new folder",
            dir.display()
        );
    }
    let states = replay(SCRIPT)?;
    let repo = gix::init(dir)
        .with_context(|| format!("cannot create a git repository in {}", dir.display()))?;
    // First, so that a build cut short is still known as a demo and cleared by the next run.
    std::fs::write(repo.git_dir().join(MARKER), MARKER_TEXT)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut parent: Option<ObjectId> = None;
    let mut tree = ObjectId::empty_tree(repo.object_hash());
    for (step, files) in &states {
        tree = write_tree(&repo, files)?;
        let (name, email) = step
            .author
            .rsplit_once(" <")
            .map(|(n, e)| (n.trim(), e.trim_end_matches('>')))
            .with_context(|| format!("demo author `{}` is not `Name <email>`", step.author))?;
        let date: jiff::Timestamp = step
            .date
            .parse()
            .with_context(|| format!("demo date `{}`", step.date))?;
        let offset = jiff::fmt::temporal::DateTimeParser::new()
            .parse_pieces(&step.date)
            .ok()
            .and_then(|pieces| pieces.to_numeric_offset())
            .unwrap_or(jiff::tz::Offset::UTC);
        let signature = gix::actor::Signature {
            name: name.into(),
            email: email.into(),
            time: gix::date::Time {
                seconds: date.as_second(),
                offset: offset.seconds(),
            },
        };
        let (mut committer_time, mut author_time) = Default::default();
        let message = step.message.trim_start_matches('\n');
        let committer = signature.to_ref(&mut committer_time);
        let author = signature.to_ref(&mut author_time);
        let id = repo
            .commit_as(committer, author, "HEAD", message, tree, parent)
            .context("cannot write a demo commit")?;
        parent = Some(id.detach());
    }
    // Check the last state out, so the folder looks like any clone.
    let (_, files) = states.last().context("the demo script has no commits")?;
    for (path, content) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap_or(dir))?;
        std::fs::write(&target, content)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    let mut index = repo
        .index_from_tree(&tree)
        .context("cannot write the demo's index")?;
    index
        .write(Default::default())
        .context("cannot write the demo's index")?;
    Ok(states.len())
}

fn write_tree(repo: &gix::Repository, files: &Files) -> Result<ObjectId> {
    let mut editor = repo.edit_tree(ObjectId::empty_tree(repo.object_hash()))?;
    for (path, content) in files {
        let blob = repo.write_blob(content.as_bytes())?.detach();
        editor.upsert(path.as_str(), gix::object::tree::EntryKind::Blob, blob)?;
    }
    Ok(editor.write()?.detach())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_script_replays_into_the_demo_fixture() {
        let states = replay(SCRIPT).unwrap();
        let (_, last) = states.last().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        for entry in walkdir::WalkDir::new(fixture.join("okrs"))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                let relative = entry
                    .path()
                    .strip_prefix(&fixture)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let expected = std::fs::read_to_string(entry.path()).unwrap();
                assert_eq!(
                    last.get(&relative),
                    Some(&expected),
                    "{relative} differs from the replayed history"
                );
            }
        }
        let okr_files = last.keys().filter(|p| p.starts_with("okrs/")).count();
        assert_eq!(okr_files, 4);
        assert_eq!(
            last.get("okr.toml").unwrap(),
            &std::fs::read_to_string(fixture.join("okr.toml")).unwrap()
        );
    }

    #[test]
    fn an_earlier_demo_is_cleared_and_nothing_else_is() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("okr-demo");
        assert!(!clear_earlier(&dir).unwrap(), "nothing there");
        std::fs::create_dir(&dir).unwrap();
        assert!(
            !clear_earlier(&dir).unwrap(),
            "an empty folder is used as it is"
        );
        build(&dir).unwrap();
        assert!(clear_earlier(&dir).unwrap());
        assert!(!dir.exists());

        // Someone's own folder, a git repository of theirs, a marker that is not okr's, a plain file.
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let refused = clear_earlier(&dir).unwrap_err().to_string();
        assert!(refused.contains("is not a demo built by okr"), "{refused}");
        std::fs::write(dir.join(".git").join(MARKER), "something else").unwrap();
        assert!(clear_earlier(&dir).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "mine"
        );
        let file = root.path().join("a-file");
        std::fs::write(&file, "mine").unwrap();
        assert!(clear_earlier(&file).is_err());
        assert!(file.is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_demo_is_not_followed_into_it() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        build(&real).unwrap();
        let link = root.path().join("okr-demo");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(clear_earlier(&link).is_err());
        assert!(real.join("okr.toml").is_file());
    }

    #[test]
    fn the_closing_hint_has_commands_that_run_as_written() {
        let dir = Path::new("/home/dana/.cache/okr-demo");
        let cargo = Invocation::Cargo {
            flags: " --release".to_owned(),
            binary: PathBuf::from("/src/okr/target/release/okr"),
        };
        let text = explore(dir, &cargo, true);
        assert_eq!(
            text,
            "okr: the demo repository is in /home/dana/.cache/okr-demo (the next `okr demo` rebuilds it)\n\
             \x20    explore it from okr's source folder: cargo run --release -- -C /home/dana/.cache/okr-demo report\n\
             \x20    or from anywhere:                   /src/okr/target/release/okr -C /home/dana/.cache/okr-demo report\n\
             \x20    instead of `report`, try: history --format markdown, show --at 2026-07-20, diff HEAD~10, \
             report --format html -o report.html\n"
        );
        let installed = explore(Path::new("/tmp/my demo's"), &Invocation::Installed, false);
        assert!(
            installed.starts_with(
                "okr: the demo repository is in /tmp/my demo's\n     \
                 explore it: okr -C '/tmp/my demo'\\''s' report\n"
            ),
            "{installed}"
        );
        let binary = explore(dir, &Invocation::Binary(PathBuf::from("/opt/okr")), false);
        assert!(binary.contains("explore it: /opt/okr -C /home/dana/.cache/okr-demo report\n"));
    }

    #[test]
    fn a_replace_that_does_not_match_exactly_once_is_refused() {
        let script = "[[commit]]\ndate = \"2026-07-01T10:00:00Z\"\nauthor = \"A <a@x>\"\nmessage = \"m\"\n\
                      [commit.write]\n\"a.txt\" = \"x x\"\n\
                      [[commit]]\ndate = \"2026-07-02T10:00:00Z\"\nauthor = \"A <a@x>\"\nmessage = \"m\"\n\
                      [[commit.replace]]\npath = \"a.txt\"\nfrom = \"x\"\nto = \"y\"\n";
        assert!(
            replay(script)
                .unwrap_err()
                .to_string()
                .contains("exactly once")
        );
    }
}
