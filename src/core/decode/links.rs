//! `links:` a list of addresses, each a plain URL or `{title, url}`. Only `http` and `https` are read: an
//! address becomes a link in HTML and Markdown pages, and no other scheme (`javascript:`, `data:`, `file:`)
//! may ever become one.

use super::*;
use crate::core::model::Link;

impl<'a> Decoder<'a> {
    pub(super) fn links(&mut self, node: NodeId) -> Vec<Link> {
        let Some(items) = self.list(node, "links") else {
            return Vec::new();
        };
        items.iter().filter_map(|&item| self.link(item)).collect()
    }

    fn link(&mut self, node: NodeId) -> Option<Link> {
        if matches!(self.doc.node(node).kind, NodeKind::Scalar { .. }) {
            let url = self.url(node)?;
            return Some(Link { title: None, url });
        }
        let fields = self.fields(node, LINK_FIELDS, "a link")?;
        let title = match self.optional(&fields, "title") {
            Some(v) => self.text(v, "title"),
            None => None,
        };
        let url = self.required(&fields, "url", "this link")?;
        Some(Link {
            title,
            url: self.url(url)?,
        })
    }

    /// An absolute `http` or `https` address of printable characters, no spaces.
    fn url(&mut self, node: NodeId) -> Option<Spanned<Text>> {
        let text = self.text(node, "url")?;
        let value: &str = &text.value;
        let scheme = value.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        let host = value.split_once("://").map_or("", |(_, rest)| rest);
        let printable = value
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '`' | '\\'));
        if matches!(scheme.as_deref(), Some("http" | "https")) && !host.is_empty() && printable {
            return Some(text);
        }
        self.invalid(
            node,
            format!("`{}` is not an http or https address", abbreviate(value)),
            Some(
                "links are web addresses like `https://example.com/dashboard`, with no spaces (write a space as \
                 `%20`); other schemes are not read, so that no link can run code"
                    .to_owned(),
            ),
        );
        None
    }
}
