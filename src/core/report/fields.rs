//! What the report takes from the files as they are written: text, owners and links.

use serde::Serialize;

use crate::core::model::{Link, Owners, Spanned};

/// A link of the file, an objective or a key result: always an `http` or `https` address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkReport {
    pub title: Option<String>,
    pub url: String,
}

pub(super) fn links(links: &[Link]) -> Vec<LinkReport> {
    links
        .iter()
        .map(|l| LinkReport {
            title: text(&l.title),
            url: l.url.value.to_string(),
        })
        .collect()
}

/// Each owner's name, for the report's `owners`.
pub(super) fn owners(owner: &Option<Spanned<Owners>>) -> Vec<String> {
    owner
        .as_ref()
        .map(|o| o.value.names().iter().map(|n| n.to_string()).collect())
        .unwrap_or_default()
}

pub(super) fn text<T: std::ops::Deref<Target = str>>(value: &Option<Spanned<T>>) -> Option<String> {
    value.as_ref().map(|v| v.value.to_string())
}
