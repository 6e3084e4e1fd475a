//! `okr init`: the files a repository needs to start, written all or none, without ever replacing one that
//! exists.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::core::model::Quarter;
use crate::repo::new_files;
use crate::repo::workspace::{absolute, resolve};

pub use crate::SCHEMA;

/// What `okr init` did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created(PathBuf),
    /// Already there; left exactly as it was.
    Kept(PathBuf),
    /// The example team file was not written, because the OKR folder (this path) already has OKR files and
    /// no team was named.
    SkippedExample(PathBuf),
}

/// The team of the example file when none is named.
pub const DEFAULT_TEAM: &str = "my-team";

/// The CI workflow files `okr init --ci` can write.
pub const GITHUB_WORKFLOW: &str = include_str!("../ci/github.yml");
pub const GITLAB_CI: &str = include_str!("../ci/gitlab.yml");

/// Where the CI files say okr comes from. okr cannot know where the user's copy of it is hosted, so each file
/// names a placeholder that must be edited before the job can run.
pub const GITHUB_PLACEHOLDER: &str = "OWNER/okr@main";
pub const GITLAB_PLACEHOLDER: &str = "https://github.com/OWNER/okr.git";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
}

pub struct Plan {
    pub root: PathBuf,
    pub dir: String,
    pub quarter: Quarter,
    /// The team named with `--team`. Without one, an example for [`DEFAULT_TEAM`] is written only into an OKR
    /// folder that has no OKR files yet: in a repository already set up it would be a stray team.
    pub team: Option<String>,
    pub ci: Option<Ci>,
}

/// Writes `okr.toml`, the schema for editors, an example file for the team's quarter, and the CI file asked for:
/// each that does not exist yet, and all of those or none.
pub fn init(plan: &Plan) -> Result<Vec<Outcome>> {
    let okr_dir = plan.root.join(&plan.dir);
    let mut files = vec![
        (
            plan.root.join(crate::repo::config::FILE_NAME),
            config_text(&plan.dir),
        ),
        (okr_dir.join("okr.schema.json"), SCHEMA.to_owned()),
    ];
    let skip_example = plan.team.is_none() && has_okr_files(&okr_dir);
    if !skip_example {
        let team = plan.team.as_deref().unwrap_or(DEFAULT_TEAM);
        files.push((example_path(plan), example(plan.quarter, team)));
    }
    if let Some((path, content)) = ci_file(plan) {
        files.push((path, content.to_owned()));
    }
    for (path, _) in &files {
        if std::fs::symlink_metadata(path).is_err() {
            check_inside(&plan.root, &plan.dir, path)?;
        }
    }
    let created = new_files::write_all(&files).context("nothing was written")?;
    let mut outcomes: Vec<Outcome> = files
        .into_iter()
        .zip(created)
        .map(|((path, _), created)| {
            if created {
                Outcome::Created(path)
            } else {
                Outcome::Kept(path)
            }
        })
        .collect();
    if skip_example {
        // Reported where the example would have been: after the config and the schema.
        outcomes.insert(2, Outcome::SkippedExample(okr_dir));
    }
    Ok(outcomes)
}

/// `okr validate` reads no file that resolves outside the repository, so `okr init` creates none there: the
/// setup would look done and then be refused. The error names what leads out: a symbolic link on the way
/// (`okrs`, `.github`), or the configured folder itself.
pub(crate) fn check_inside(root: &Path, dir: &str, path: &Path) -> Result<()> {
    let repository = root;
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open the folder {}", repository.display()))?;
    if resolve(path).is_ok_and(|resolved| resolved.starts_with(&root)) {
        return Ok(());
    }
    let what_to_do =
        "okr init writes only inside the repository, as okr validate reads only inside it";
    if let Ok(relative) = absolute(path).strip_prefix(&root) {
        let mut part = root.clone();
        for component in relative.components() {
            part.push(component);
            let shown = part.strip_prefix(&root).unwrap_or(&part).display();
            match resolve(&part) {
                Ok(target) if target.starts_with(&root) => {}
                Ok(target) => bail!(
                    "`{shown}` is a symbolic link to {}, outside the repository; {what_to_do}: replace the link \
                     with a folder (or point it inside the repository), then run `okr init` again",
                    target.display()
                ),
                Err(_) => bail!(
                    "`{shown}` is a symbolic link that leads nowhere (a missing target or a loop of links): \
                     replace it with a folder, or point it at one inside the repository, then run `okr init` \
                     again"
                ),
            }
        }
    }
    let folder = repository.join(dir);
    bail!(
        "`dir = {:?}` in {} is outside the repository (it leads to {}); {what_to_do}: name a folder inside \
         it, e.g. `dir = \"okrs\"`",
        dir,
        crate::repo::config::FILE_NAME,
        resolve(&folder).unwrap_or(folder).display()
    )
}

fn example_path(plan: &Plan) -> PathBuf {
    let team = plan.team.as_deref().unwrap_or(DEFAULT_TEAM);
    plan.root
        .join(&plan.dir)
        .join(plan.quarter.to_string())
        .join(format!("{team}.yaml"))
}

fn ci_file(plan: &Plan) -> Option<(PathBuf, &'static str)> {
    match plan.ci? {
        Ci::Github => Some((plan.root.join(".github/workflows/okr.yml"), GITHUB_WORKFLOW)),
        // GitLab reads one file: an existing one is kept, and docs/ci.md shows the jobs to add to it.
        Ci::Gitlab => Some((plan.root.join(".gitlab-ci.yml"), GITLAB_CI)),
    }
}

/// Whether the folder holds any OKR file, as `okr validate` finds them (hidden files and folders skipped).
fn has_okr_files(folder: &Path) -> bool {
    walkdir::WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .any(|e| {
            !e.file_type().is_dir()
                && crate::core::parse::is_okr_file_name(&e.file_name().to_string_lossy())
        })
}

/// What the user must still do after `init` did `outcomes`, one line each; `show` prints a path.
pub fn next_steps(
    plan: &Plan,
    outcomes: &[Outcome],
    show: impl Fn(&Path) -> String,
) -> Vec<String> {
    let mut steps = Vec::new();
    let skipped = outcomes
        .iter()
        .any(|o| matches!(o, Outcome::SkippedExample(_)));
    steps.push(if skipped {
        "run `okr validate`".to_owned()
    } else {
        "edit the example, then run `okr validate`".to_owned()
    });
    // A CI file kept from an earlier run may still name the placeholder: the reminder holds for it too.
    if let Some((path, _)) = ci_file(plan) {
        let content = std::fs::read_to_string(&path).unwrap_or_default();
        let (what, pin) = if content.contains(GITHUB_PLACEHOLDER) {
            (
                format!("`uses: {GITHUB_PLACEHOLDER}`"),
                " (and `main` with a tag or commit to pin a version)",
            )
        } else if content.contains(GITLAB_PLACEHOLDER) {
            (format!("OKR_GIT_URL ({GITLAB_PLACEHOLDER})"), "")
        } else {
            return steps;
        };
        steps.push(format!(
            "in {}, {what} must name where okr is installed from: replace OWNER with the account that \
             hosts okr's repository{pin}; until then the job fails (docs/ci.md in okr's repository)",
            show(&path),
        ));
    }
    steps
}

fn config_text(dir: &str) -> String {
    format!(
        "# okr configuration. Every key is optional; docs/format.md in okr's repository describes them\n\
         # (\"Configuration: okr.toml\"), and `okr --help` lists the commands.\n\
         # Where the OKR files live: <dir>/<quarter>/<team>.yaml\n\
         dir = \"{dir}\"\n\
         # Days after a quarter starts during which changes count as planning, not as mid-quarter pivots.\n\
         planning_window_days = 14\n\
         # The month (1-12) your fiscal year starts in; 1 means calendar quarters.\n\
         fiscal_year_start_month = 1\n\
         \n\
         # Rule severities: allow | warn | error. `okr rules` lists the rules, `okr rules CODE` explains one.\n\
         [rules]\n\
         # objective-count = \"warn\"\n\
         \n\
         # The weekly check-in: a key result with no progress for this many days is stale (`okr report`,\n\
         # `okr validate --stale`).\n\
         [checkins]\n\
         stale_after_days = 14\n"
    )
}

/// A valid, commented example file: a new user edits it rather than starting from nothing.
pub fn example(quarter: Quarter, team: &str) -> String {
    format!(
        "# yaml-language-server: $schema=../okr.schema.json
# The OKRs of team {team} for {quarter}. Check them with `okr validate`.
# docs/format.md in okr's repository describes the format.
quarter: {quarter}
team: {team}
objectives:
  - id: boring-deploys            # a slug; keep it stable, history follows it
    title: Make deploys boring
    type: committed               # committed (expected to reach 1.0) or aspirational (about 0.7)
    priority: P1                  # optional: P0 (first) to P3; reports list objectives by it
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12                 # where we are at kickoff
        target: 2                 # where we want to be; lower than start, so lower is better
        current: 12               # update as the quarter goes on
        unit: deploys/week
        confidence: 0.5
        health: on_track          # optional, at check-ins: on_track, at_risk, off_track, not_started
        # No measured start? Leave `start` out and say `direction: decrease` (or `increase`) instead.
      - id: availability
        title: Monthly availability stays at 99.9% or more
        target: 99.9
        direction: at_least       # a level to hold all quarter (or at_most): scored 1 while it holds
        current: 99.95
        unit: \"%\"
      - id: pipeline-migration
        title: Services deployed by the new pipeline
        progress: 0.25            # a share done, 0 to 1, for work with no start and target
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false               # a milestone: done or not
        # Optional anywhere: `links:`, where the work lives, as http(s) addresses (docs/format.md).
# At the quarter's end, the team's own look back (shown by `okr report --retro`):
# retrospective:
#   went_well: [...]
#   to_improve: [...]
#   learnings: [...]
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(root: &Path) -> Plan {
        Plan {
            root: root.to_path_buf(),
            dir: "okrs".to_owned(),
            quarter: "2026-Q4".parse().unwrap(),
            team: Some("platform".to_owned()),
            ci: None,
        }
    }

    #[test]
    fn init_creates_config_schema_and_example() {
        let dir = tempfile::tempdir().unwrap();
        let outcomes = init(&plan(dir.path())).unwrap();
        assert!(outcomes.iter().all(|o| matches!(o, Outcome::Created(_))));
        assert!(dir.path().join("okrs/2026-Q4/platform.yaml").is_file());
        assert!(dir.path().join("okrs/okr.schema.json").is_file());
        assert!(dir.path().join("okr.toml").is_file());
    }

    #[test]
    fn init_never_overwrites_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("okr.toml"), "dir = \"okrs\" # mine\n").unwrap();
        let outcomes = init(&plan(dir.path())).unwrap();
        assert_eq!(outcomes[0], Outcome::Kept(dir.path().join("okr.toml")));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("okr.toml")).unwrap(),
            "dir = \"okrs\" # mine\n"
        );
        let second = init(&plan(dir.path())).unwrap();
        assert!(second.iter().all(|o| matches!(o, Outcome::Kept(_))));
        let leftovers: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".okr-init-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn the_example_names_its_team_without_a_possessive_that_breaks_on_a_final_s() {
        let text = example("2026-Q3".parse().unwrap(), "payments");
        assert_eq!(
            text.lines().nth(1).unwrap(),
            "# The OKRs of team payments for 2026-Q3. Check them with `okr validate`."
        );
    }

    /// okr is not published anywhere a link could point at for certain, so the files `okr init` writes name
    /// okr's own documents and commands, which every copy of okr has.
    #[test]
    fn the_written_files_point_only_at_what_exists() {
        let config = config_text("okrs");
        crate::repo::config::Config::parse(&config).unwrap();
        let example = example("2026-Q3".parse().unwrap(), "payments");
        for text in [&config, &example] {
            assert!(!text.contains("://"), "{text}");
            assert!(text.contains("docs/format.md"), "{text}");
        }
        assert!(config.contains("`okr rules`"));
        let format =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
                .unwrap();
        assert!(format.contains("\n## Configuration: `okr.toml`\n"));
    }

    #[test]
    fn a_set_up_okr_folder_gets_no_example_unless_a_team_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("okrs/2026-Q3")).unwrap();
        std::fs::write(dir.path().join("okrs/2026-Q3/payments.yaml"), "x").unwrap();
        let unnamed = Plan {
            team: None,
            ..plan(dir.path())
        };
        let outcomes = init(&unnamed).unwrap();
        assert_eq!(
            outcomes.last(),
            Some(&Outcome::SkippedExample(dir.path().join("okrs")))
        );
        assert!(!dir.path().join("okrs/2026-Q4").exists());
        let steps = next_steps(&unnamed, &outcomes, |p| p.display().to_string());
        assert_eq!(steps, ["run `okr validate`"]);
        init(&plan(dir.path())).unwrap();
        assert!(dir.path().join("okrs/2026-Q4/platform.yaml").is_file());
    }

    #[test]
    fn hidden_files_do_not_make_an_okr_folder_set_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("okrs/.drafts")).unwrap();
        std::fs::write(dir.path().join("okrs/.drafts/a.yaml"), "x").unwrap();
        std::fs::write(dir.path().join("okrs/.b.yaml"), "x").unwrap();
        let unnamed = Plan {
            team: None,
            ..plan(dir.path())
        };
        init(&unnamed).unwrap();
        assert!(dir.path().join("okrs/2026-Q4/my-team.yaml").is_file());
    }

    #[test]
    fn the_next_steps_name_the_placeholder_each_ci_file_has() {
        assert!(GITHUB_WORKFLOW.contains(&format!("uses: {GITHUB_PLACEHOLDER}\n")));
        assert!(GITLAB_CI.contains(&format!(": {GITLAB_PLACEHOLDER}\n")));
        for (ci, file, named) in [
            (
                Ci::Github,
                ".github/workflows/okr.yml",
                "`uses: OWNER/okr@main`",
            ),
            (
                Ci::Gitlab,
                ".gitlab-ci.yml",
                "OKR_GIT_URL (https://github.com/OWNER/okr.git)",
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let with_ci = Plan {
                ci: Some(ci),
                ..plan(dir.path())
            };
            let outcomes = init(&with_ci).unwrap();
            let show = |p: &Path| p.strip_prefix(dir.path()).unwrap().display().to_string();
            let steps = next_steps(&with_ci, &outcomes, show);
            assert_eq!(steps.len(), 2, "{steps:#?}");
            assert!(
                steps[1].starts_with(&format!("in {file}, {named} must name")),
                "{steps:#?}"
            );
            // Once edited, the reminder goes.
            let path = dir.path().join(file);
            let edited = std::fs::read_to_string(&path)
                .unwrap()
                .replace("OWNER", "acme");
            std::fs::write(&path, edited).unwrap();
            assert_eq!(next_steps(&with_ci, &outcomes, show).len(), 1);
        }
    }

    #[test]
    fn the_example_file_is_valid() {
        let text = example("2026-Q4".parse().unwrap(), "platform");
        let loaded = crate::core::parse::parse("okrs/2026-Q4/platform.yaml", text.into_bytes());
        let okr = loaded.okr.unwrap();
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        assert!(crate::core::rules::check_file(&okr, "okrs/2026-Q4/platform.yaml").is_empty());
    }
}
