//! Why a revision names no commit, said with the revision as the user typed it. The git library's own
//! errors speak of its parser's internals; a user needs to know whether the name is wrong, reaches past the
//! start of history, or names something that is not a commit.

use gix::ObjectId;

/// What to run to see which names exist.
const LISTS: &str =
    "help: `git branch -a`, `git tag` and `git log --oneline` list what exists here";

/// The error for `spec`, which git's rules resolve to no commit in `repo`.
pub(super) fn explain(repo: &gix::Repository, spec: &str) -> anyhow::Error {
    let help = match not_a_commit(repo, spec) {
        Some(_) => "help: okr reads commits: name a branch, a tag of a commit or a commit id",
        None => LISTS,
    };
    anyhow::anyhow!("{}\n{help}", reason(repo, spec))
}

fn reason(repo: &gix::Repository, spec: &str) -> String {
    if let Some(kind) = not_a_commit(repo, spec) {
        return format!("`{spec}` names {kind}, not a commit");
    }
    if spec.contains("..") {
        return format!("`{spec}` is a range of commits, where one revision is wanted");
    }
    let (base, steps) = split_steps(spec);
    if steps.is_empty() {
        return unknown_name(repo, spec);
    }
    match repo.rev_parse_single(format!("{base}^{{commit}}").as_str()) {
        Ok(start) => match past_history(repo, start.detach(), base, &steps) {
            Some(why) => format!("`{spec}` names no commit: {why}"),
            None => format!("`{spec}` names no commit in this repository"),
        },
        Err(_) => format!("`{spec}` names no commit: {}", reason(repo, base)),
    }
}

/// What `spec` names when it is an object but no commit (a tree, a blob, a tag of one), as a phrase.
fn not_a_commit(repo: &gix::Repository, spec: &str) -> Option<String> {
    let object = repo.rev_parse_single(spec).ok()?.object().ok()?;
    let tagged = object.kind == gix::object::Kind::Tag;
    let kind = object.peel_tags_to_end().ok()?.kind;
    let what = match kind {
        gix::object::Kind::Tree => "a tree (a folder's listing)",
        gix::object::Kind::Blob => "a blob (a file's content)",
        gix::object::Kind::Commit | gix::object::Kind::Tag => return None,
    };
    Some(if tagged {
        format!("a tag of {what}")
    } else {
        what.to_owned()
    })
}

/// A name with no navigation after it that resolves to nothing.
fn unknown_name(repo: &gix::Repository, name: &str) -> String {
    if is_hex_prefix(name)
        && let Ok(prefix) = gix::hash::Prefix::from_hex(name)
        && let Ok(Some(Err(()))) = repo.objects.lookup_prefix(prefix, None)
    {
        return format!(
            "`{name}` is ambiguous: several objects' ids start with it; give more of the id"
        );
    }
    // Reflog entries (`@{2}`), upstreams (`@{u}`), paths (`HEAD:okrs`) and message searches (`:/text`) are
    // not names, so "no branch or tag by that name" would mislead there.
    if name.contains("@{") || name.contains(':') || name.contains("^{") {
        format!("`{name}` names no commit in this repository")
    } else {
        format!("`{name}` is not a branch, tag or commit in this repository")
    }
}

fn is_hex_prefix(name: &str) -> bool {
    name.len() >= 4 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One step of ancestry after a name: `~N` (N first parents back) or `^N` (the N-th parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Back(usize),
    Parent(usize),
}

/// `spec` split into the name it starts from and the ancestry steps after it, in order.
fn split_steps(spec: &str) -> (&str, Vec<(Step, &str)>) {
    let mut rest = spec;
    let mut steps = Vec::new();
    while let Some(at) = rest.rfind(['~', '^']) {
        let digits = &rest[at + 1..];
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        let count = if digits.is_empty() {
            1
        } else {
            match digits.parse() {
                Ok(count) => count,
                Err(_) => break,
            }
        };
        let step = if rest.as_bytes()[at] == b'~' {
            Step::Back(count)
        } else {
            Step::Parent(count)
        };
        steps.push((step, &rest[at..]));
        rest = &rest[..at];
    }
    steps.reverse();
    (rest, steps)
}

/// Follows `steps` from `start` (named `base`) and says where they run out of history.
fn past_history(
    repo: &gix::Repository,
    start: ObjectId,
    base: &str,
    steps: &[(Step, &str)],
) -> Option<String> {
    let parents = |id: ObjectId| -> Option<Vec<ObjectId>> {
        Some(
            repo.find_commit(id)
                .ok()?
                .parent_ids()
                .map(|p| p.detach())
                .collect(),
        )
    };
    let mut current = start;
    let mut named = base.to_owned();
    for (step, text) in steps {
        match *step {
            Step::Back(count) => {
                for taken in 0..count {
                    match parents(current)?.first() {
                        Some(parent) => current = *parent,
                        None if taken == 0 => {
                            return Some(format!(
                                "`{named}` is the first commit: nothing is before it"
                            ));
                        }
                        None => {
                            let commits = if taken == 1 { "commit" } else { "commits" };
                            return Some(format!(
                                "`{named}` has only {taken} {commits} before it (following first parents)"
                            ));
                        }
                    }
                }
            }
            Step::Parent(0) => {}
            Step::Parent(number) => {
                let all = parents(current)?;
                match all.get(number - 1) {
                    Some(parent) => current = *parent,
                    None if all.is_empty() => {
                        return Some(format!("`{named}` is the first commit: it has no parent"));
                    }
                    None => {
                        let count = all.len();
                        let noun = if count == 1 { "parent" } else { "parents" };
                        return Some(format!(
                            "`{named}` has {count} {noun}, so it has no `{text}`"
                        ));
                    }
                }
            }
        }
        named.push_str(text);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestry_steps_are_split_from_the_name_they_follow() {
        assert_eq!(split_steps("main"), ("main", vec![]));
        assert_eq!(
            split_steps("HEAD~99"),
            ("HEAD", vec![(Step::Back(99), "~99")])
        );
        assert_eq!(
            split_steps("v1.2^2~"),
            ("v1.2", vec![(Step::Parent(2), "^2"), (Step::Back(1), "~")])
        );
        assert_eq!(split_steps("HEAD^{tree}"), ("HEAD^{tree}", vec![]));
        assert_eq!(
            split_steps("HEAD@{2}~1"),
            ("HEAD@{2}", vec![(Step::Back(1), "~1")])
        );
    }
}
