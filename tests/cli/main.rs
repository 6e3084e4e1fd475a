//! Integration tests: the real `okr` binary, run the way a user or a CI step runs it.
//! One test binary with modules, so the suite links once.

mod corpus;
mod fixtures;
mod hostile;
mod init;
mod rules_docs;
mod schema;
mod support;
mod validate;
