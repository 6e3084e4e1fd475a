//! The scalar values of the format read from the tree: text, slugs, numbers, fractions, booleans, choices,
//! dates and lists, each with the finding that says what was found instead.

use super::*;

impl<'a> Decoder<'a> {
    pub(super) fn is_null(&self, node: NodeId) -> bool {
        matches!(
            self.doc.node(node).kind,
            NodeKind::Scalar {
                value: Scalar::Null,
                foreign_tag: None,
                ..
            }
        )
    }

    /// A scalar's resolved value, or an `invalid-value` finding for a foreign tag.
    pub(super) fn scalar(&mut self, node: NodeId) -> Option<&'a Scalar> {
        let doc = self.doc;
        match &doc.node(node).kind {
            NodeKind::Scalar {
                foreign_tag: Some(tag),
                ..
            } => {
                self.invalid(
                    node,
                    format!("unsupported tag `{tag}`"),
                    Some(
                        "OKR files hold plain text, numbers and booleans; remove the tag"
                            .to_owned(),
                    ),
                );
                None
            }
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub(super) fn text(&mut self, node: NodeId, name: &str) -> Option<Spanned<Text>> {
        let pos = self.doc.pos(node);
        match self.scalar(node) {
            Some(Scalar::Str(s)) if s.trim().is_empty() => {
                self.invalid(node, format!("`{name}` is empty"), None);
                None
            }
            Some(Scalar::Str(s)) => Some(Spanned::new(Text::from(s.as_str()), pos)),
            Some(_) | None if self.has_no_foreign_tag(node) => {
                let found = self.doc.describe(node);
                let help = matches!(self.doc.node(node).kind, NodeKind::Scalar { .. })
                    .then(|| "put the text in quotes".to_owned());
                self.invalid(node, format!("`{name}` must be text, found {found}"), help);
                None
            }
            _ => None,
        }
    }

    pub(super) fn has_no_foreign_tag(&self, node: NodeId) -> bool {
        !matches!(
            self.doc.node(node).kind,
            NodeKind::Scalar {
                foreign_tag: Some(_),
                ..
            }
        )
    }

    pub(super) fn slug(&mut self, node: NodeId, name: &str) -> Option<Spanned<Text>> {
        let text = self.text(node, name)?;
        if is_slug(&text.value) {
            Some(text)
        } else {
            self.invalid(
                node,
                format!(
                    "`{name}` must be a slug, found `{}`",
                    abbreviate(&text.value)
                ),
                Some(format!(
                    "use lowercase letters, digits and hyphens, e.g. `{}`",
                    slugify(&text.value)
                )),
            );
            None
        }
    }

    pub(super) fn number(&mut self, node: NodeId, name: &str) -> Option<Spanned<Number>> {
        let pos = self.doc.pos(node);
        let value = match self.scalar(node) {
            Some(Scalar::Int(i)) => *i as f64,
            Some(Scalar::Float(f)) if f.is_finite() => *f,
            Some(Scalar::Float(_)) => {
                self.invalid(node, format!("`{name}` must be a finite number"), None);
                return None;
            }
            Some(Scalar::Str(s)) => {
                let help = if s.trim().parse::<f64>().is_ok() {
                    "remove the quotes".to_owned()
                } else {
                    "write the number alone and put the unit in `unit`".to_owned()
                };
                self.invalid(
                    node,
                    format!(
                        "`{name}` must be a number, found the text `{}`",
                        abbreviate(s)
                    ),
                    Some(help),
                );
                return None;
            }
            Some(_) => {
                let found = self.doc.describe(node);
                self.invalid(
                    node,
                    format!("`{name}` must be a number, found {found}"),
                    None,
                );
                return None;
            }
            None => {
                if self.has_no_foreign_tag(node) {
                    let found = self.doc.describe(node);
                    self.invalid(
                        node,
                        format!("`{name}` must be a number, found {found}"),
                        None,
                    );
                }
                return None;
            }
        };
        Some(Spanned::new(Number(value), pos))
    }

    /// A number that must lie in 0..=1 (confidence, score).
    pub(super) fn fraction(&mut self, node: NodeId, name: &str) -> Option<Spanned<Number>> {
        let number = self.number(node, name)?;
        if (0.0..=1.0).contains(&number.value.0) {
            Some(number)
        } else {
            self.invalid(
                node,
                format!("`{name}` must be between 0 and 1, found {}", number.value),
                Some(format!("write {name} as a fraction: 0.7, not 70")),
            );
            None
        }
    }

    pub(super) fn boolean(&mut self, node: NodeId, name: &str) -> Option<Spanned<bool>> {
        let pos = self.doc.pos(node);
        match self.scalar(node) {
            Some(Scalar::Bool(b)) => Some(Spanned::new(*b, pos)),
            Some(_) => {
                let found = self.doc.describe(node);
                self.invalid(
                    node,
                    format!("`{name}` must be `true` or `false`, found {found}"),
                    Some("YAML 1.2 reads `yes`, `no`, `on` and `off` as text; write `true` or `false`".to_owned()),
                );
                None
            }
            None => {
                if self.has_no_foreign_tag(node) {
                    let found = self.doc.describe(node);
                    self.invalid(
                        node,
                        format!("`{name}` must be `true` or `false`, found {found}"),
                        None,
                    );
                }
                None
            }
        }
    }

    pub(super) fn choice<T: Copy>(
        &mut self,
        node: NodeId,
        name: &str,
        choices: &[(&'static str, T)],
    ) -> Option<Spanned<T>> {
        let text = self.text(node, name)?;
        if let Some((_, value)) = choices.iter().find(|(n, _)| *n == &*text.value) {
            return Some(Spanned::new(*value, text.pos));
        }
        let names: Vec<&'static str> = choices.iter().map(|(n, _)| *n).collect();
        // `p1` for `P1`, `Active` for `active`: only the case differs.
        let same_letters = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&text.value))
            .copied();
        let help = match same_letters.or_else(|| closest(&text.value, &names)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of {}", list(&names)),
        };
        self.invalid(
            node,
            format!(
                "`{name}` must be one of {}, found `{}`",
                list(&names),
                abbreviate(&text.value)
            ),
            Some(help),
        );
        None
    }

    pub(super) fn date(&mut self, node: NodeId, name: &str) -> Option<Spanned<jiff::civil::Date>> {
        let text = self.text(node, name)?;
        let well_formed = text.value.len() == 10
            && text.value.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        let date = well_formed
            .then(|| text.value.parse::<jiff::civil::Date>().ok())
            .flatten();
        match date {
            Some(date) => Some(Spanned::new(date, text.pos)),
            None => {
                let message = if well_formed {
                    format!("`{}` is not a date in the calendar", text.value)
                } else {
                    format!(
                        "`{name}` must be a date written YYYY-MM-DD, found `{}`",
                        abbreviate(&text.value)
                    )
                };
                self.invalid(node, message, Some("e.g. `2026-08-12`".to_owned()));
                None
            }
        }
    }

    /// `owner:` one name, or a list of at least one (format 1.1); every name non-empty text.
    pub(super) fn owners(&mut self, node: NodeId) -> Option<Spanned<Owners>> {
        let pos = self.doc.pos(node);
        let doc = self.doc;
        let NodeKind::Sequence(items) = &doc.node(node).kind else {
            let name = self.text(node, "owner")?;
            return Some(Spanned::new(Owners::new(vec![name.value]), pos));
        };
        if items.is_empty() {
            self.invalid(
                node,
                "`owner` is an empty list".to_owned(),
                Some(
                    "name one owner, or several as a list: `owner: [Dana Li, Omar Haddad]`"
                        .to_owned(),
                ),
            );
            return None;
        }
        let names: Vec<Text> = items
            .iter()
            .filter_map(|&item| self.text(item, "owner").map(|n| n.value))
            .collect();
        (names.len() == items.len()).then(|| Spanned::new(Owners::new(names), pos))
    }

    pub(super) fn list(&mut self, node: NodeId, name: &str) -> Option<&'a [NodeId]> {
        let doc = self.doc;
        match &doc.node(node).kind {
            NodeKind::Sequence(items) => Some(items),
            _ => {
                let found = self.doc.describe(node);
                self.invalid(
                    node,
                    format!("`{name}` must be a list, found {found}"),
                    None,
                );
                None
            }
        }
    }
}
