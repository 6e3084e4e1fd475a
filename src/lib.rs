//! okr's engine: OKR files as data, the rules that check them, and the renderers that lay results out.
//! Nothing in the library writes to the terminal; the `okr` binary decides where output goes.

pub mod diagnostic;
pub mod render;
pub mod validate;
pub mod yaml;
