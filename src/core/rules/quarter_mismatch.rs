//! `quarter-mismatch`: a file under `okrs/<quarter>/` must say the same quarter.

use crate::core::diagnostic::Finding;
use crate::core::model::{OkrFile, Quarter};
use crate::core::rules::codes;

/// The quarter named by the folder holding `path`, when that folder is named like one (`okrs/2026-Q3/x.yaml`).
pub fn folder_quarter(path: &str) -> Option<(&str, Quarter)> {
    let mut parts = path.rsplit('/');
    parts.next(); // the file name
    let folder = parts.next()?;
    folder.parse().ok().map(|quarter| (folder, quarter))
}

pub fn check(file: &OkrFile, path: &str, out: &mut Vec<Finding>) {
    let Some(quarter) = &file.quarter else { return };
    let Some((folder, folder_quarter)) = folder_quarter(path) else {
        return; // not a quarter folder: nothing to compare with
    };
    if folder_quarter != quarter.value {
        out.push(
            Finding::new(
                codes::QUARTER_MISMATCH,
                quarter.pos,
                format!(
                    "`quarter` is {} but the file is in the folder `{folder}`",
                    quarter.value
                ),
            )
            .with_help(format!(
                "set `quarter: {folder}`, or move the file to the folder `{}`",
                quarter.value
            )),
        );
    }
}
