//! Markdown pages as askama templates (the `.md` files beside this module), checked when okr is compiled.
//! Every value a template shows is made inert by [`crate::render::escape::Markdown`] unless it is [`Md`]:
//! Markdown okr built itself from escaped parts (a change described for Markdown, a word diff). So text from a
//! user reaches a pull request comment escaped, whether or not a template remembers it.

pub mod changes;
pub mod check;
pub mod history;
pub mod report;
pub mod state;

use askama::Template;
use askama::filters::Safe;

/// Markdown okr built from escaped parts: the only text a Markdown template writes unescaped.
pub type Md = Safe<String>;

fn to_string(template: &impl Template) -> String {
    // Writing into a String fails only if a value's Display does, and none of okr's does.
    template.render().expect("a template renders into a String")
}
