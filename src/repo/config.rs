//! `okr.toml`: where OKR files live and how strict each rule is.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use gix::ObjectId;
use serde::Deserialize;

use crate::core::calendar::{Calendar, Planning};
use crate::core::diagnostic::Severity;
use crate::core::history::Warning;
use crate::core::policy::Policy;
use crate::core::rules::codes;
use crate::core::rules::{self, RULES};
use crate::core::suggest::closest;
use crate::repo::git::Git;

pub const FILE_NAME: &str = "okr.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The folder of OKR files, relative to the repository root.
    #[serde(default = "default_dir")]
    pub dir: String,
    /// Days after a quarter starts during which edits count as planning, not as mid-quarter changes.
    #[serde(default = "default_planning_window")]
    pub planning_window_days: u32,
    /// The month (1-12) a fiscal year starts in; quarters count from it.
    #[serde(default = "default_fiscal_start")]
    pub fiscal_year_start_month: u8,
    /// Severity per rule code.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Which mid-quarter changes need a reason (`okr diff --check`).
    #[serde(default)]
    pub policy: crate::core::policy::PolicyConfig,
    /// The weekly check-in: when a key result nobody updated is stale.
    #[serde(default)]
    pub checkins: Checkins,
}

/// `[checkins]` of okr.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkins {
    /// Days without a change of progress after which a key result of an active objective is stale.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
}

impl Default for Checkins {
    fn default() -> Checkins {
        Checkins {
            stale_after_days: default_stale_after_days(),
        }
    }
}

fn default_stale_after_days() -> u32 {
    14
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Error,
}

fn default_dir() -> String {
    "okrs".to_owned()
}

fn default_planning_window() -> u32 {
    14
}

fn default_fiscal_start() -> u8 {
    1
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dir: default_dir(),
            planning_window_days: default_planning_window(),
            fiscal_year_start_month: default_fiscal_start(),
            rules: BTreeMap::new(),
            policy: crate::core::policy::PolicyConfig::default(),
            checkins: Checkins::default(),
        }
    }
}

impl Config {
    /// Parses and checks an `okr.toml`. Errors name the key and say what to write instead.
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
        if !(1..=12).contains(&config.fiscal_year_start_month) {
            bail!(
                "`fiscal_year_start_month` must be a month from 1 to 12, found {}",
                config.fiscal_year_start_month
            );
        }
        if config.checkins.stale_after_days == 0 {
            bail!(
                "`[checkins] stale_after_days` must be at least 1 (days without a check-in before a key result \
                 is stale), found 0"
            );
        }
        if config.dir.trim().is_empty() {
            bail!("`dir` must name a folder, e.g. `dir = \"okrs\"`");
        }
        for code in config.rules.keys() {
            if rules::find(code).is_none() {
                let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
                let hint = closest(code, &codes).map_or_else(
                    || format!("known rules: {}", codes.join(", ")),
                    |c| format!("did you mean `{c}`?"),
                );
                bail!("[rules] names an unknown rule `{code}`; {hint}");
            }
        }
        Ok(config)
    }

    pub fn load(path: &std::path::Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Config::parse(&text).with_context(|| format!("invalid {}", path.display()))
    }

    /// When each quarter's planning ends, as this configuration counts quarters.
    pub fn planning(&self) -> Planning {
        Planning {
            calendar: Calendar::new(self.fiscal_year_start_month),
            window_days: self.planning_window_days,
        }
    }

    /// The change policy as this configuration sets it.
    pub fn policy(&self) -> Policy<'_> {
        Policy {
            config: &self.policy,
            severity: self.severity(codes::CHANGE_WITHOUT_REASON),
        }
    }

    /// Whether `other` would judge every change as this one does: the same quarters, planning window and
    /// change policy.
    pub fn judges_like(&self, other: &Config) -> bool {
        self.planning() == other.planning()
            && self.policy == other.policy
            && self.severity(codes::CHANGE_WITHOUT_REASON)
                == other.severity(codes::CHANGE_WITHOUT_REASON)
    }

    /// The severity a rule's findings get here, or `None` when the rule is turned off.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        match self.rules.get(code) {
            Some(Level::Allow) => None,
            Some(Level::Warn) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
            None => Some(rules::find(code).map_or(Severity::Error, |r| r.default_severity)),
        }
    }
}

/// The `okr.toml` of the workspace as it was at `commit` (the defaults where it had none), by which the
/// changes made from there are judged: a change cannot relax the policy that checks it. `current` is the one
/// in use now: it judges when the old one cannot be read, and a warning says when the two would judge
/// differently. The OKR folder stays `current`'s, where the files are read from.
pub fn at_commit(
    git: &Git,
    commit: ObjectId,
    current: &Config,
    warnings: &mut Vec<Warning>,
) -> Result<Config> {
    let then = match git.file_at(commit, FILE_NAME)? {
        None => Config::default(),
        Some(bytes) => match Config::parse(&String::from_utf8_lossy(&bytes)) {
            Ok(config) => config,
            Err(err) => {
                warnings.push(Warning {
                    commit: commit.to_string(),
                    path: FILE_NAME.to_owned(),
                    message: format!(
                        "cannot read the okr.toml changes were made under ({err}); the one in use now judges them"
                    ),
                });
                return Ok(current.clone());
            }
        },
    };
    if !then.judges_like(current) {
        warnings.push(Warning {
            commit: commit.to_string(),
            path: FILE_NAME.to_owned(),
            message:
                "okr.toml now has another planning window, calendar or change policy than when the \
                      range started; its changes are judged by the okr.toml they started under"
                    .to_owned(),
        });
    }
    Ok(Config {
        dir: current.dir.clone(),
        ..then
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_means_the_defaults() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.dir, "okrs");
        assert_eq!(config.planning_window_days, 14);
        assert_eq!(config.severity("kr-count"), Some(Severity::Warning));
        assert_eq!(config.checkins.stale_after_days, 14);
    }

    #[test]
    fn stale_after_days_is_read_and_must_be_a_day_or_more() {
        let config = Config::parse("[checkins]\nstale_after_days = 7\n").unwrap();
        assert_eq!(config.checkins.stale_after_days, 7);
        let err = Config::parse("[checkins]\nstale_after_days = 0\n").unwrap_err();
        assert!(err.to_string().contains("at least 1"), "{err}");
        assert!(Config::parse("[checkins]\nstale_days = 7\n").is_err());
    }

    #[test]
    fn rule_severities_can_be_changed_or_turned_off() {
        let config =
            Config::parse("[rules]\nkr-count = \"error\"\nobjective-count = \"allow\"\n").unwrap();
        assert_eq!(config.severity("kr-count"), Some(Severity::Error));
        assert_eq!(config.severity("objective-count"), None);
    }

    #[test]
    fn unknown_rules_and_keys_are_errors_that_say_what_to_write() {
        let err = Config::parse("[rules]\nkr-cout = \"warn\"\n").unwrap_err();
        assert!(
            err.to_string().contains("did you mean `kr-count`?"),
            "{err}"
        );
        assert!(Config::parse("dri = \"okrs\"\n").is_err());
        assert!(Config::parse("[rules]\nkr-count = \"loud\"\n").is_err());
        assert!(Config::parse("fiscal_year_start_month = 13\n").is_err());
    }
}
