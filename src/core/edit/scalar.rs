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

/// A number as YAML's core schema reads it back, and as YAML 1.1 readers do too: `5`, `-3`, `0.75`; past
/// 10^16, where a float no longer holds every integer, or below 10^-6, with an exponent (`1.0e+300`,
/// `2.5e-7`) rather than hundreds of digits. Never `.inf`: the command line takes finite numbers only.
pub fn number(value: Number) -> String {
    let magnitude = value.0.abs();
    if magnitude < 1e16 && (magnitude >= 1e-6 || magnitude == 0.0) {
        return value.to_string();
    }
    // Rust's shortest digits that read back as the same float; YAML 1.1 wants a `.` and a signed exponent.
    let scientific = format!("{:e}", value.0);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let dot = if mantissa.contains('.') { "" } else { ".0" };
    let sign = if exponent.starts_with('-') { "" } else { "+" };
    format!("{mantissa}{dot}e{sign}{exponent}")
}

/// A number typed by a user, if a float holds exactly the number typed: `0.1` (which reads back as `0.1`)
/// but not `0.1000000000000000001`, nor an integer of 20 digits, which a float would silently round.
pub fn exact_number(text: &str) -> Option<Number> {
    let text = text.trim();
    let value: f64 = text.parse().ok()?;
    let digits_only = text
        .trim_start_matches(['+', '-'])
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    (value.is_finite() && digits_only && decimal(text) == decimal(&format!("{value:e}")))
        .then_some(Number(value))
}

/// The value a decimal numeral names, as its significant digits and the power of ten of the last one
/// (`-0.0750` → (true, "75", -3)); zero as (false, "", 0).
fn decimal(numeral: &str) -> (bool, String, i64) {
    let negative = numeral.starts_with('-');
    let numeral = numeral.trim_start_matches(['+', '-']);
    let (mantissa, exponent) = numeral
        .split_once(['e', 'E'])
        .map_or((numeral, 0), |(m, e)| (m, e.parse::<i64>().unwrap_or(0)));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    let significant = digits.trim_end_matches('0');
    if significant.is_empty() {
        return (false, String::new(), 0);
    }
    let power = exponent - fraction.len() as i64 + (digits.len() - significant.len()) as i64;
    (negative, significant.to_owned(), power)
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
        || crate::core::bidi::is_control(c)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
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
        assert_eq!(number(Number(0.0)), "0");
        assert_eq!(boolean(true), "true");
    }

    #[test]
    fn very_large_and_very_small_numbers_are_written_with_an_exponent_that_reads_back_equal() {
        for (value, written) in [
            (1e300, "1.0e+300"),
            (-1.5e300, "-1.5e+300"),
            (1.2345678901234568e29, "1.2345678901234568e+29"),
            (2.5e-7, "2.5e-7"),
            (1e16, "1.0e+16"),
        ] {
            assert_eq!(number(Number(value)), written);
            let read = crate::core::yaml::parse_str(&format!("v: {written}\n"));
            let doc = read.document.unwrap();
            let crate::core::yaml::NodeKind::Mapping(entries) = &doc.node(doc.root().unwrap()).kind
            else {
                panic!()
            };
            assert_eq!(
                doc.node(entries[0].value).kind,
                crate::core::yaml::NodeKind::Scalar {
                    value: crate::core::yaml::Scalar::Float(value),
                    written: Some(written.into()),
                    foreign_tag: None,
                }
            );
        }
        assert_eq!(number(Number(9_999_999_999_999_998.0)), "9999999999999998");
    }

    #[test]
    fn a_number_typed_is_taken_only_when_a_float_holds_it_exactly() {
        for (typed, value) in [
            ("5", 5.0),
            ("-0.75", -0.75),
            ("0.1", 0.1),
            (".5", 0.5),
            ("+2", 2.0),
            ("1e300", 1e300),
            ("1.50E+3", 1500.0),
            ("0.30000000000000004", 0.30000000000000004),
            ("9007199254740992", 9_007_199_254_740_992.0),
            ("-0", 0.0),
        ] {
            assert_eq!(exact_number(typed), Some(Number(value)), "{typed}");
        }
        for typed in [
            "123456789012345678901234567890",
            "9007199254740993",
            "0.1000000000000000001",
            "1e-400",
            "1e400",
            "inf",
            "NaN",
            "five",
            "",
        ] {
            assert_eq!(exact_number(typed), None, "{typed}");
        }
    }
}
