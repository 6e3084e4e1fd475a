//! `retrospective:` what the team wrote at the quarter's end, as three lists of text.

use super::*;
use crate::core::model::WrittenRetrospective;

impl<'a> Decoder<'a> {
    pub(super) fn retrospective(&mut self, node: NodeId) -> Option<WrittenRetrospective> {
        let fields = self.fields(node, RETROSPECTIVE_FIELDS, "a retrospective")?;
        let mut written = WrittenRetrospective {
            pos: self.doc.pos(node),
            ..WrittenRetrospective::default()
        };
        for (name, list) in [
            ("went_well", &mut written.went_well),
            ("to_improve", &mut written.to_improve),
            ("learnings", &mut written.learnings),
        ] {
            if let Some(node) = self.optional(&fields, name) {
                *list = self.texts(node, name);
            }
        }
        Some(written)
    }

    /// A list of text, each item one point; an item that is not text is reported and left out.
    fn texts(&mut self, node: NodeId, name: &str) -> Vec<Spanned<Text>> {
        let Some(items) = self.list(node, name) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|&item| self.text(item, name))
            .collect()
    }
}
