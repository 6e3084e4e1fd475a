//! Why a change was made: the one place that decides which text is a change's reason.
//!
//! The precedence (docs/history.md, "Why: how reasons are found"):
//! 1. the YAML, written in the same change: an objective's `dropped.reason`, or `notes` of the changed
//!    objective or key result edited along with it;
//! 2. a `Reason:` trailer of the commit that made the change;
//! 3. that commit's message body (the message after its subject, trailers left out).
//!
//! Text that is only whitespace is no reason. A reason always belongs to the commit that made the change:
//! nothing here looks at any other commit. Over a range of commits ([`of_net`]) the one exception is a
//! dropped objective's `dropped.reason`: it is part of the objective in the newer revision, so it explains the
//! drop whichever commit wrote it.

use serde::Serialize;

use crate::core::change::{Change, YamlReason};

/// Where a reason was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReasonSource {
    Yaml,
    Trailer,
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub text: String,
    pub source: ReasonSource,
}

/// What a commit message says, in the parts reasons are taken from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// The first line.
    pub subject: String,
    /// The message after the subject, without trailers; `None` when empty.
    pub body: Option<String>,
    /// The value of a `Reason:` trailer.
    pub trailer: Option<String>,
}

/// The reason for `change`, made in a commit with `message` (`None`: not committed, as in the working tree or
/// two files compared directly, where only the YAML can say why).
pub fn of(change: &Change, message: Option<&Message>) -> Option<Reason> {
    let candidates = [
        (
            change.yaml_reason.as_ref().map(YamlReason::text),
            ReasonSource::Yaml,
        ),
        (
            message.and_then(|m| m.trailer.as_deref()),
            ReasonSource::Trailer,
        ),
        (
            message
                .and_then(|m| m.body.as_deref())
                .filter(|body| !written_by_git(body)),
            ReasonSource::Body,
        ),
    ];
    candidates.into_iter().find_map(|(text, source)| {
        text.filter(|t| !t.trim().is_empty()).map(|t| Reason {
            text: t.to_owned(),
            source,
        })
    })
}

/// A body git writes itself says nothing about why: `git revert`'s "This reverts commit 1a2b3c4…".
fn written_by_git(body: &str) -> bool {
    let text = body.trim();
    text.strip_prefix("This reverts commit ")
        .map(|rest| rest.trim_end_matches('.'))
        .is_some_and(|id| id.len() >= 7 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The reason for a net change of a range: the dropped objective's own `dropped.reason` in the newer revision,
/// else the reason of the change as the commit that made it (`made`) wrote it — its own YAML, its trailer,
/// its body. Nothing else: notes another commit edited, or another commit's message, explain nothing here.
pub fn of_net(net: &Change, made: Option<(&Change, Option<&Message>)>) -> Option<Reason> {
    if let Some(YamlReason::Dropped(text)) = &net.yaml_reason
        && !text.trim().is_empty()
    {
        return Some(Reason {
            text: text.clone(),
            source: ReasonSource::Yaml,
        });
    }
    made.and_then(|(change, message)| of(change, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{ChangeKind, Context, Value};
    use crate::core::diagnostic::Pos;

    fn change(yaml: Option<&str>) -> Change {
        Change {
            kind: ChangeKind::KrTargetChanged,
            path: "okrs/2026-Q3/platform.yaml".to_owned(),
            quarter: Some("2026-Q3".to_owned()),
            team: "platform".to_owned(),
            objective: Some("boring-deploys".to_owned()),
            key_result: Some("failed-deploys".to_owned()),
            from: Value::None,
            to: Value::None,
            direction: None,
            words: None,
            previous_id: None,
            yaml_reason: yaml.map(|y| YamlReason::Notes(y.to_owned())),
            pos: Pos::START,
            context: Context::Edit,
        }
    }

    fn message(trailer: Option<&str>, body: Option<&str>) -> Message {
        Message {
            subject: "Ease the target".to_owned(),
            body: body.map(str::to_owned),
            trailer: trailer.map(str::to_owned),
        }
    }

    #[test]
    fn the_yaml_comes_first_then_the_trailer_then_the_body() {
        let full = message(Some("trailer"), Some("body"));
        assert_eq!(
            of(&change(Some("notes")), Some(&full)).map(|r| r.source),
            Some(ReasonSource::Yaml)
        );
        assert_eq!(
            of(&change(None), Some(&full)).map(|r| (r.text, r.source)),
            Some(("trailer".to_owned(), ReasonSource::Trailer))
        );
        assert_eq!(
            of(&change(None), Some(&message(None, Some("body")))).map(|r| r.source),
            Some(ReasonSource::Body)
        );
        assert_eq!(of(&change(None), Some(&message(None, None))), None);
    }

    #[test]
    fn over_a_range_only_the_maker_speaks_but_a_dropped_reason_stays_with_its_objective() {
        let net = change(Some("notes edited by a check-in"));
        let silent = change(None);
        assert_eq!(
            of_net(&net, Some((&silent, Some(&message(None, None))))),
            None
        );
        assert_eq!(of_net(&net, None), None);
        let mut dropped = change(None);
        dropped.yaml_reason = Some(YamlReason::Dropped("Vendor covers it".to_owned()));
        assert_eq!(
            of_net(&dropped, Some((&silent, None))).map(|r| r.text),
            Some("Vendor covers it".to_owned())
        );
    }

    #[test]
    fn the_body_git_revert_writes_is_no_reason_but_words_added_to_it_are() {
        let revert = message(
            None,
            Some("This reverts commit 9eec0651b0e2a2c3d4e5f60718293a4b5c6d7e8f."),
        );
        assert_eq!(of(&change(None), Some(&revert)), None);
        let explained = message(
            None,
            Some("This reverts commit 9eec065.\n\nThe raise came before the budget cut."),
        );
        assert_eq!(
            of(&change(None), Some(&explained)).map(|r| r.source),
            Some(ReasonSource::Body)
        );
    }

    #[test]
    fn blank_text_is_no_reason_and_without_a_commit_only_the_yaml_counts() {
        assert_eq!(
            of(&change(Some("  \n")), Some(&message(None, Some("body")))).map(|r| r.source),
            Some(ReasonSource::Body)
        );
        assert_eq!(of(&change(None), None), None);
        assert_eq!(
            of(&change(Some("why")), None).map(|r| r.source),
            Some(ReasonSource::Yaml)
        );
    }
}
