//! What each command computes: inputs gathered from the repository, passed through the core.

pub mod check;
pub mod checkin;
pub mod demo;
pub mod diff;
pub mod fix;
pub mod init;
pub mod report;
pub mod rollover;
pub mod stale;
pub mod validate;
