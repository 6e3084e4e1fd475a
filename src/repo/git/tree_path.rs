//! What stands at a path of a commit's tree, read as a checkout would show it: a symbolic link on the way
//! (`okrs` committed as a link to `data/okrs`) is followed while it stays inside the repository, as on disk.
//! A link that leads out of the repository, a loop of links and a submodule (whose files are in another
//! repository) are refused with a note saying which; the path then counts as absent.

use std::borrow::Cow;

use anyhow::Result;
use gix::ObjectId;
use gix::bstr::ByteSlice;

use super::missing;

/// Links followed for one path before it counts as a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// What is at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AtPath {
    /// The tree or blob there.
    Entry(ObjectId),
    /// Nothing.
    Absent,
    /// Something okr does not read, and the note saying why (the same for every commit, so it is said once).
    Refused(String),
}

impl AtPath {
    /// The entry, when there is one.
    pub(crate) fn entry(&self) -> Option<ObjectId> {
        match self {
            AtPath::Entry(id) => Some(*id),
            AtPath::Absent | AtPath::Refused(_) => None,
        }
    }
}

/// A path's components as tree entries are named; split once for a whole walk rather than for every commit.
pub(crate) fn components(path: &str) -> Vec<&[u8]> {
    path.split('/')
        .filter(|part| !part.is_empty())
        .map(str::as_bytes)
        .collect()
}

/// What is at `components` under the root tree `root` of commit `commit`. Reads each tree on the way in
/// place, without copying it.
pub(crate) fn at_path(
    repo: &gix::Repository,
    commit: ObjectId,
    root: ObjectId,
    components: &[&[u8]],
) -> Result<AtPath> {
    // The names still to walk, the next one last; a link's target takes the link's place.
    let mut pending: Vec<Cow<[u8]>> = components.iter().rev().map(|c| Cow::Borrowed(*c)).collect();
    // The trees walked into, from the root, and their names.
    let mut trees = vec![root];
    let mut names: Vec<Cow<[u8]>> = Vec::new();
    let mut links = 0;
    // The last link followed and its target, for a target that climbs out of the repository.
    let mut last_link: Option<(String, String)> = None;
    while let Some(name) = pending.pop() {
        match name.as_ref() {
            b"" | b"." => continue,
            b".." => {
                if names.pop().is_none() {
                    return Ok(AtPath::Refused(match &last_link {
                        Some((link, target)) => outside(link, target),
                        None => {
                            "the OKR folder's path climbs out of the repository (`..`); okr reads \
                                 only what is inside it"
                                .to_owned()
                        }
                    }));
                }
                trees.pop();
                continue;
            }
            _ => {}
        }
        let current = *trees.last().expect("the root is never left");
        let object = repo.find_object(current).map_err(|e| {
            if current == root {
                missing(current, e)
            } else {
                anyhow::Error::new(e).context(format!(
                    "cannot read `{}` in commit {commit}",
                    shown(&names)
                ))
            }
        })?;
        if !object.kind.is_tree() {
            return Ok(AtPath::Absent);
        }
        let found = gix::objs::TreeRefIter::from_bytes(&object.data, repo.object_hash())
            .filter_map(Result::ok)
            .find(|entry| entry.filename == name.as_ref())
            .map(|entry| (entry.mode, entry.oid.to_owned()));
        let Some((mode, id)) = found else {
            return Ok(AtPath::Absent);
        };
        if mode.is_tree() {
            trees.push(id);
            names.push(name);
        } else if mode.is_link() {
            links += 1;
            let link = shown_with(&names, &name);
            if links > MAX_LINKS {
                return Ok(AtPath::Refused(format!(
                    "`{link}` is a loop of symbolic links in the commits read; okr counts the folder as \
                     absent there"
                )));
            }
            let target = repo
                .find_object(id)
                .map_err(|e| missing(id, e))?
                .detach()
                .data;
            let shown_target = target.to_str_lossy().into_owned();
            if target.starts_with(b"/") {
                return Ok(AtPath::Refused(outside(&link, &shown_target)));
            }
            last_link = Some((link, shown_target));
            pending.extend(
                target
                    .split(|b| *b == b'/')
                    .rev()
                    .map(|part| Cow::Owned(part.to_vec())),
            );
        } else if mode.is_commit() {
            return Ok(AtPath::Refused(format!(
                "`{}` is a git submodule: its files are in another repository, which \
                 okr does not read from here; run okr in the submodule's own clone",
                shown_with(&names, &name)
            )));
        } else if pending
            .iter()
            .all(|rest| matches!(rest.as_ref(), b"" | b"."))
        {
            return Ok(AtPath::Entry(id));
        } else {
            // A file where the path goes on as a folder.
            return Ok(AtPath::Absent);
        }
    }
    Ok(AtPath::Entry(
        *trees.last().expect("the root is never left"),
    ))
}

fn outside(link: &str, target: &str) -> String {
    format!(
        "`{link}` is a symbolic link to `{target}`, outside the repository, in the commits read; okr reads \
         only what is inside it, so the folder counts as absent there; commit the folder itself"
    )
}

fn shown(names: &[Cow<[u8]>]) -> String {
    names
        .iter()
        .map(|n| n.to_str_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn shown_with(names: &[Cow<[u8]>], name: &[u8]) -> String {
    let mut path = shown(names);
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(&name.to_str_lossy());
    path
}
