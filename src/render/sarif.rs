//! Being written.

use crate::validate::Validation;

pub fn render(_validation: &Validation, _version: &str) -> String {
    String::new()
}
