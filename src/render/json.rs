//! `okr validate --format json`: a stable wire format read by other tools (see docs/validate.md).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::commands::validate::Validation;
use crate::core::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

/// Any engine data as the JSON document every `--format json` prints: pretty, ending in a newline.
pub fn document<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    write_document(value, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`document`], written to `out` as it is laid out.
pub fn write_document<T: Serialize + ?Sized>(value: &T, out: &mut dyn io::Write) -> io::Result<()> {
    // serde writes a few bytes at a time: gathered here, they cross to `out` in large pieces.
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    value
        .serialize(&mut serializer)
        .map_err(|err| match err.io_error_kind() {
            Some(kind) => io::Error::new(kind, err),
            None => panic!("plain data always serializes: {err}"),
        })?;
    out.write_all(b"\n")?;
    out.flush()
}

/// `value` laid out as [`write_document`] lays it out where it stands `depth` levels deep in a document (its
/// own lines indented to match), without the line break and indentation before it: for writing one document
/// in pieces, as the report writes its teams on every core.
pub fn write_nested<T: Serialize + ?Sized>(
    value: &T,
    depth: usize,
    out: &mut impl io::Write,
) -> io::Result<()> {
    let formatter = Pretty {
        depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    value
        .serialize(&mut serializer)
        .map_err(|err| match err.io_error_kind() {
            Some(kind) => io::Error::new(kind, err),
            None => panic!("plain data always serializes: {err}"),
        })
}

/// serde_json's `PrettyFormatter` with its two spaces, writing each line's indentation in one piece rather
/// than a level at a time: an organisation's report is millions of lines, most of them six levels deep.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn indent<W: ?Sized + io::Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut left = self.depth * 2;
        while left > 0 {
            let now = left.min(SPACES.len());
            writer.write_all(&SPACES[..now])?;
            left -= now;
        }
        Ok(())
    }

    /// `[` or `{`: what follows is a level deeper.
    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own when the list or object held anything.
    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    /// An element or a key: on a new line, after a comma unless it is the first.
    fn next_line<W: ?Sized + io::Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

pub fn render(validation: &Validation) -> String {
    let wire = Wire {
        version: 1,
        files: validation.files,
        errors: validation.errors(),
        warnings: validation.warnings(),
        diagnostics: &validation.diagnostics,
    };
    document(&wire)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_laid_out_as_serde_json_lays_them_out() {
        let mut deep = serde_json::json!({"leaf": [1, 2.5, null, "ü \"q\"\n"]});
        for n in 0..40 {
            deep =
                serde_json::json!({ format!("level-{n}"): [deep, {}, [], {"a": []}], "x": true });
        }
        let mut expected = serde_json::to_string_pretty(&deep).unwrap();
        expected.push('\n');
        assert_eq!(document(&deep), expected);
    }
}
