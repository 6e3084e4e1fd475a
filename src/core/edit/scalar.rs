//! Values written as YAML scalars: numbers and booleans as YAML's core schema reads them, and text from users
//! (a note) quoted so that it reads back exactly as given, whatever it holds — `: `, `#`, quotes, line breaks,
//! a leading `-`, `*`, `&` or `!`, control characters, bidirectional controls.

use saphyr_parser::ScalarStyle;

use crate::core::model::Number;

/// How a note is to be written, decided by how the note it replaces was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Plain when the text allows it, else double quotes: for a new note, or one written plain.
    Plain,
    /// Single quotes when the text allows them, else double quotes.
    Single,
    Double,
}

impl Quoting {
    /// The quoting that keeps the style of a scalar written in `style`.
    pub fn keeping(style: ScalarStyle) -> Quoting {
        match style {
            ScalarStyle::Plain => Quoting::Plain,
            ScalarStyle::SingleQuoted => Quoting::Single,
            ScalarStyle::DoubleQuoted | ScalarStyle::Literal | ScalarStyle::Folded => {
                Quoting::Double
            }
        }
    }
}

/// A number as YAML's core schema reads it back: `5`, `-3`, `0.75` (never an exponent, never `.inf`).
pub fn number(value: Number) -> String {
    value.to_string()
}

pub fn boolean(value: bool) -> String {
    if value { "true" } else { "false" }.to_owned()
}

/// `text` as a scalar in `quoting`, falling back to double quotes whenever the text needs them. `in_flow`:
/// the scalar stands inside `{ … }` or `[ … ]`, where `,` and brackets end a plain scalar.
pub fn text(text: &str, quoting: Quoting, in_flow: bool) -> String {
    match quoting {
        Quoting::Plain if plain_is_safe(text, in_flow) => text.to_owned(),
        Quoting::Single | Quoting::Plain if single_is_safe(text) => {
            format!("'{}'", text.replace('\'', "''"))
        }
        _ => double_quoted(text),
    }
}

/// Whether `text` can be written as one line of content of a block scalar (`notes: >-` with the text on the
/// line below) and read back unchanged: printable, not empty, and with no space at either end.
pub fn block_line_is_safe(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && !text.starts_with('#')
        && text.chars().all(|c| is_printable(c) && c != '\t')
}

/// Characters written as escapes in double quotes: what YAML does not allow raw (C0 and C1 controls, DEL,
/// U+FFFE, U+FFFF), what it would read as a line break (NEL, line and paragraph separators), and what would
/// show the file's text in another order than it is read (bidirectional controls, the byte order mark).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{feff}'
                | '\u{fffe}'
                | '\u{ffff}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn is_printable(c: char) -> bool {
    !needs_escape(c)
}

/// Plain only when nothing in the text could be read as YAML syntax, and it reads back as text (not `true`,
/// `12`, `null` or `~`).
fn plain_is_safe(text: &str, in_flow: bool) -> bool {
    const INDICATORS: &[char] = &[
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    !INDICATORS.contains(&first)
        && text.trim() == text
        && text.chars().all(|c| is_printable(c) && c != '\t')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !(in_flow && text.contains([',', '[', ']', '{', '}']))
        && reads_as_text(text)
}

/// Single quotes keep everything but line breaks, leading or trailing spaces (folded or trimmed on reading)
/// and characters that must be escaped.
fn single_is_safe(text: &str) -> bool {
    text.trim() == text && text.chars().all(|c| is_printable(c) && c != '\t')
}

/// Whether YAML's core schema reads `text`, written plain, as text.
fn reads_as_text(text: &str) -> bool {
    matches!(
        saphyr::Scalar::parse_from_cow_and_metadata(text.into(), ScalarStyle::Plain, None),
        Some(saphyr::Scalar::String(_))
    )
}

/// Double quotes hold any text: `\` and `"` are escaped, and so is every character [`needs_escape`] names.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if needs_escape(c) && u32::from(c) <= 0xff => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What YAML reads `value: SCALAR` as.
    fn read_back(scalar: &str) -> String {
        let parsed = crate::core::yaml::parse_str(&format!("value: {scalar}\n"));
        assert!(
            parsed.problems.is_empty(),
            "{scalar}: {:?}",
            parsed.problems
        );
        let doc = parsed.document.unwrap();
        let crate::core::yaml::NodeKind::Mapping(entries) = &doc.node(doc.root().unwrap()).kind
        else {
            panic!()
        };
        match &doc.node(entries[0].value).kind {
            crate::core::yaml::NodeKind::Scalar {
                value: crate::core::yaml::Scalar::Str(s),
                ..
            } => s.clone(),
            other => panic!("{scalar} read as {other:?}"),
        }
    }

    const HOSTILE: &[&str] = &[
        "Shipped the canary",
        "deploys: 5 # fewer",
        "# not a comment",
        "- not a list",
        "* not an alias",
        "&not an anchor",
        "!not a tag",
        "'single' and \"double\" quotes",
        "two\nlines",
        "trailing space ",
        " leading space",
        "tab\there",
        "bell\u{7} escape \u{1b}[31m red",
        "bidi \u{202e}evil\u{202c} text",
        "unicode: ünïcödé ✓ 日本",
        "true",
        "12",
        "null",
        "~",
        "back\\slash",
        "ends with colon:",
        "{ flow: mapping }",
        "a, b",
        "%directive",
        "@at",
        "",
        "\u{85}next line",
        "crlf\r\nline",
    ];

    #[test]
    fn hostile_text_reads_back_exactly_in_every_quoting() {
        for text in HOSTILE {
            for quoting in [Quoting::Plain, Quoting::Single, Quoting::Double] {
                for in_flow in [false, true] {
                    let scalar = super::text(text, quoting, in_flow);
                    assert!(!scalar.contains('\n'), "{scalar}");
                    assert_eq!(&read_back(&scalar), text, "{quoting:?} {scalar}");
                }
            }
        }
    }

    #[test]
    fn plain_text_stays_plain_and_the_rest_is_quoted() {
        assert_eq!(
            text("Shipped the canary", Quoting::Plain, false),
            "Shipped the canary"
        );
        assert_eq!(text("true", Quoting::Plain, false), "'true'");
        assert_eq!(text("it's", Quoting::Single, false), "'it''s'");
        assert_eq!(text("a\nb", Quoting::Single, false), "\"a\\nb\"");
        assert_eq!(text("x", Quoting::Double, false), "\"x\"");
        assert_eq!(text("a, b", Quoting::Plain, true), "'a, b'");
        assert_eq!(
            text("bidi \u{202e}x", Quoting::Plain, false),
            "\"bidi \\u202ex\""
        );
    }

    #[test]
    fn numbers_are_written_as_yaml_reads_them() {
        assert_eq!(number(Number(5.0)), "5");
        assert_eq!(number(Number(-3.0)), "-3");
        assert_eq!(number(Number(0.75)), "0.75");
        assert_eq!(boolean(true), "true");
    }
}
