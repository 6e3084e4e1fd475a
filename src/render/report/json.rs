//! `okr report --format json`: the report page exactly as
//! [`write_document`](crate::render::json::write_document) lays it out, with its lists (teams, timeline lanes,
//! trajectories …) laid out on every core. An organisation's report is 150 MB of JSON for 10,000 teams;
//! laid out by one thread it was a fifth of the report's work while the other core waited (callgrind: 2.2 of
//! 10.6 G instructions on the main thread, 0.76 G now).
//!
//! The top level is written here field by field, in the order `Report` declares them; a test holds the bytes
//! equal to the derived layout, so a field added to `Report` and not here fails it.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::render::json::write_nested;
use crate::view::report::ReportPage;

/// Items laid out at once, in parallel, before they are written in order: enough to keep every core busy, few
/// enough that an organisation's JSON is never held whole (1,024 teams are about 15 MB of it).
const BATCH: usize = 1024;
/// Runs a batch is cut into, each laid out by one thread into one buffer: enough for the cores to share
/// the work evenly whatever the items' sizes.
const RUNS_PER_BATCH: usize = 16;
/// A run's buffer to start with, so that most runs never grow it.
const RUN_BUFFER: usize = 64 * 1024;

pub fn write(page: &ReportPage, out: &mut dyn io::Write) -> io::Result<()> {
    write_in_batches(page, out, BATCH)
}

fn write_in_batches(page: &ReportPage, out: &mut dyn io::Write, batch: usize) -> io::Result<()> {
    let r = &page.report;
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let mut object = TopLevel {
        out: &mut out,
        first: true,
    };
    object.field("quarter", &r.quarter)?;
    object.field("start", &r.start)?;
    object.field("end", &r.end)?;
    object.field("kickoff", &r.kickoff)?;
    object.field("today", &r.today)?;
    object.field("stale_after_days", &r.stale_after_days)?;
    object.field("ended", &r.ended)?;
    object.field("commit", &r.commit)?;
    object.field("date", &r.date)?;
    object.list("teams", &r.teams, batch)?;
    object.field("alignment", &r.alignment)?;
    object.list("dropped", &r.dropped, batch)?;
    object.list("pivots", &r.pivots, batch)?;
    object.field("retrospective", &r.retrospective)?;
    object.list("timeline", &r.timeline, batch)?;
    object.list("trajectories", &r.trajectories, batch)?;
    object.list("warnings", &r.warnings, batch)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// The document's top-level object, one level deep, written key by key.
struct TopLevel<'w, W: Write> {
    out: &'w mut W,
    first: bool,
}

impl<W: Write> TopLevel<'_, W> {
    fn key(&mut self, name: &str) -> io::Result<()> {
        let open = if self.first { "{\n" } else { ",\n" };
        self.first = false;
        write!(self.out, "{open}  \"{name}\": ")
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.key(name)?;
        write_nested(value, 1, self.out)
    }

    /// A list, its items two levels deep: each batch laid out on every core, then written in order.
    fn list<T: Serialize + Sync>(
        &mut self,
        name: &str,
        items: &[T],
        batch: usize,
    ) -> io::Result<()> {
        self.key(name)?;
        let out = &mut *self.out;
        if items.is_empty() {
            return out.write_all(b"[]");
        }
        out.write_all(b"[")?;
        let mut first = true;
        for batch in items.chunks(batch) {
            // Runs of items share one buffer: a buffer per item grew from nothing for each of an
            // organisation's 134,000 timeline entries (callgrind: most of the layout's reallocations).
            let run = batch.len().div_ceil(RUNS_PER_BATCH);
            let laid_out: Vec<Vec<u8>> = batch
                .par_chunks(run)
                .map(|items| {
                    let mut text = Vec::with_capacity(RUN_BUFFER);
                    for item in items {
                        text.extend_from_slice(b",\n    ");
                        write_nested(item, 2, &mut text)?;
                    }
                    Ok(text)
                })
                .collect::<io::Result<_>>()?;
            for text in laid_out {
                // Every item is written after a comma; the list's first has none.
                out.write_all(if first { &text[1..] } else { &text })?;
                first = false;
            }
        }
        out.write_all(b"\n  ]")
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::render::json::document;

    fn written(page: &ReportPage, batch: usize) -> String {
        let mut out = Vec::new();
        write_in_batches(page, &mut out, batch).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The layout serde derives for the page, byte for byte, whatever the batches: the JSON is a contract.
    pub(in crate::render::report) fn assert_laid_out_as_derived(page: &ReportPage) {
        let derived = document(page);
        for batch in [1, 2, 3, BATCH] {
            assert_eq!(written(page, batch), derived, "in batches of {batch}");
        }
    }
}
