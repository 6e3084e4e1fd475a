//! A commit of a few files the user's work tree holds, made through gix as `git commit -- FILES` would make
//! it: the tree of HEAD with those files' new content, by the user's configured identity, on the current
//! branch. Nothing else of the user's — other staged or unstaged changes — goes into it or is touched. Each
//! file is stored as `git add` would store it, converted by its attributes and `core.autocrlf`.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use gix::ObjectId;
use gix::bstr::BStr;
use gix::object::tree::EntryKind;

use super::Git;

/// A file to commit: its path relative to the workspace root, where it is on disk, and its new content.
pub struct Change<'c> {
    pub path: &'c str,
    pub location: &'c std::path::Path,
    pub content: &'c [u8],
}

impl Git {
    /// Who commits, as `Name <email>`: git's configured identity (`user.name` and `user.email`, or the
    /// `GIT_AUTHOR_*`/`GIT_COMMITTER_*` variables). An error that says how to set it when there is none.
    pub fn identity(&self) -> Result<String> {
        let missing = || {
            anyhow!(
                "git has no identity to commit with\nhelp: set one (`git config --global user.name \"Your Name\"` \
                 and `git config --global user.email you@example.com`), or leave out --commit and commit yourself"
            )
        };
        let author = self.repo.author().ok_or_else(missing)?;
        let author = author.context("cannot read git's author identity")?;
        self.repo
            .committer()
            .ok_or_else(missing)?
            .context("cannot read git's committer identity")?;
        Ok(format!("{} <{}>", author.name, author.email))
    }

    /// Refuses when git would do more on `git commit` than okr can do through gix: run a hook the repository
    /// has (`pre-commit`, `prepare-commit-msg`, `commit-msg`, `post-commit`), or sign the commit
    /// (`commit.gpgsign`). A commit made without them would skip the checks or the signature the team asked
    /// for, silently.
    pub fn require_plain_commit(&self) -> Result<()> {
        let help =
            "help: leave out --commit, and run the `git` command okr prints after the check-in";
        let config = self.repo.config_snapshot();
        if config.boolean("commit.gpgSign") == Some(true) {
            bail!(
                "git is set to sign commits (`commit.gpgsign`), and okr, which commits through gix, cannot sign \
                 them\n{help}"
            );
        }
        let hooks = match config.trusted_path("core.hooksPath").ok().flatten() {
            Some(dir) if dir.is_relative() => {
                self.repo.workdir().unwrap_or(self.repo.git_dir()).join(dir)
            }
            Some(dir) => dir,
            None => self.repo.common_dir().join("hooks"),
        };
        for hook in [
            "pre-commit",
            "prepare-commit-msg",
            "commit-msg",
            "post-commit",
        ] {
            let path = hooks.join(hook);
            if is_executable(&path) {
                bail!(
                    "the repository has a `{hook}` hook ({}), which git runs when it commits and okr, which \
                     commits through gix, cannot\n{help}",
                    path.display()
                );
            }
        }
        Ok(())
    }

    /// Refuses to commit `path` unless HEAD and the index hold exactly `content` for it (the file as it was
    /// before okr edited it): a commit of the edited file would otherwise carry changes the user had not
    /// committed, or undo ones they had staged.
    pub fn require_committed(&self, path: &str, content: &[u8]) -> Result<()> {
        let tree_path = self.tree_path(path);
        let head = self.repo.head_commit().map_err(|_| {
            anyhow!("the repository has no commit yet\nhelp: commit the OKR files first")
        })?;
        let entry = head
            .tree()
            .context("cannot read HEAD's tree")?
            .lookup_entry_by_path(&tree_path)
            .with_context(|| format!("cannot read `{path}` in HEAD"))?
            .ok_or_else(|| {
                anyhow!("`{path}` is not committed yet\nhelp: commit it before checking in with --commit")
            })?;
        if !matches!(
            entry.mode().kind(),
            EntryKind::Blob | EntryKind::BlobExecutable
        ) {
            bail!(
                "`{path}` is not a plain file in git (a link?)\nhelp: leave out --commit, and run the `git` \
                 command okr prints (it names the file a link leads to)"
            );
        }
        let committed = self.blob(entry.object_id())?;
        if committed != self.to_git(path, content)? {
            bail!(
                "`{path}` has changes that are not committed, which a commit of the check-in would carry too\n\
                 help: commit or stash them first, or leave out --commit"
            );
        }
        let index = self.repo.open_index().context("cannot read git's index")?;
        match index.entry_by_path(BStr::new(tree_path.as_bytes())) {
            Some(staged) if staged.id == entry.object_id() => Ok(()),
            _ => bail!(
                "`{path}` has staged changes, which a commit of the check-in would carry too\nhelp: commit or \
                 unstage them first, or leave out --commit"
            ),
        }
    }

    /// Commits `changes` on top of HEAD with `message` and updates the index for those files alone, so the
    /// work tree shows them clean and everything else as it was. Returns the new commit's id.
    pub fn commit_files(&self, changes: &[Change<'_>], message: &str) -> Result<ObjectId> {
        let repo = &self.repo;
        let head = repo.head_commit().context("cannot read HEAD")?;
        let tree = head.tree().context("cannot read HEAD's tree")?;
        let mut editor = repo.edit_tree(tree.id).context("cannot edit HEAD's tree")?;
        let mut blobs = Vec::new();
        for change in changes {
            let tree_path = self.tree_path(change.path);
            let kind = tree
                .lookup_entry_by_path(&tree_path)
                .ok()
                .flatten()
                .map_or(EntryKind::Blob, |e| e.mode().kind());
            let content = self.to_git(change.path, change.content)?;
            let blob = repo
                .write_blob(&content)
                .with_context(|| format!("cannot store `{}` in git", change.path))?
                .detach();
            editor
                .upsert(tree_path.as_str(), kind, blob)
                .with_context(|| format!("cannot put `{}` in the new tree", change.path))?;
            blobs.push((tree_path, blob, change.location));
        }
        let new_tree = editor
            .write()
            .context("cannot write the new tree")?
            .detach();
        let id = repo
            .commit("HEAD", message, new_tree, [head.id])
            .context("cannot make the commit")?
            .detach();
        self.stage(&blobs)
            .context("the commit is made, but git's index could not be updated: run `git reset -q` to refresh it")?;
        Ok(id)
    }

    /// `content` of the work tree file at `path` as git stores it: converted as `git add` converts it, by the
    /// file's attributes and the configuration (`core.autocrlf`, `eol`, `text`, `ident`, a `filter` driver).
    fn to_git(&self, path: &str, content: &[u8]) -> Result<Vec<u8>> {
        let tree_path = self.tree_path(path);
        let converted = || -> Result<Vec<u8>> {
            let (mut pipeline, index) = self.repo.filter_pipeline(None)?;
            let mut out = pipeline.convert_to_git(content, Path::new(&tree_path), &index)?;
            let mut bytes = Vec::with_capacity(content.len());
            out.read_to_end(&mut bytes)?;
            Ok(bytes)
        };
        converted().with_context(|| {
            format!(
                "cannot convert `{path}` as git stores it (by .gitattributes and core.autocrlf)"
            )
        })
    }

    /// Points the index entries of the committed files at their new blobs, with the files' current stat, so
    /// git sees them unchanged; other entries stay as they were.
    fn stage(&self, blobs: &[(String, ObjectId, &std::path::Path)]) -> Result<()> {
        let mut index = self.repo.open_index()?;
        for (tree_path, blob, location) in blobs {
            let Ok(at) = index.entry_index_by_path(BStr::new(tree_path.as_bytes())) else {
                continue;
            };
            let metadata = gix::index::fs::Metadata::from_path_no_follow(location)?;
            let entry = &mut index.entries_mut()[at];
            entry.id = *blob;
            entry.stat = gix::index::entry::Stat::from_fs(&metadata)?;
        }
        // The cached trees of the index describe the old content; git rebuilds them when it needs them.
        index.remove_tree();
        index.write(Default::default())?;
        Ok(())
    }
}

/// Whether git would run the file at `path` as a hook: it is there and, where files have modes, executable.
fn is_executable(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}
