//! Being written.

use crate::validate::Validation;

pub fn render(_validation: &Validation) -> String {
    String::new()
}
