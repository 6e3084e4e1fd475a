//! Renderers: each lays out the same engine data in one format. They compute nothing.

pub mod human;
pub mod json;
