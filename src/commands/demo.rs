//! `okr demo`: a real git repository holding a realistic quarter, replayed from `fixtures/demo/history.toml`
//! with gix, so a new user sees `okr history` work without preparing anything.

use std::collections::BTreeMap;
use std::path::Path;

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
