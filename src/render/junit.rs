//! `okr validate --format junit`: JUnit XML, the test report GitLab (`artifacts:reports:junit`), Jenkins and
//! most CI dashboards read.
//!
//! One suite, `okr validate`. Each checked file with findings is a test case named by its path; each error in
//! it is a `<failure>` (so a file with three errors is one failed test with three failures), and its warnings
//! go to the case's `<system-out>` without failing it. The validation does not name files without findings,
//! so they are one passing case, `(other files)`, whose `<system-out>` says how many it stands for.
//!
//! Counts: `tests` is the number of test cases; `failures` the number of failed test cases (files with at
//! least one error), as JUnit counts them. The `<failure>` elements themselves number the errors.
//!
//! quick-xml escapes all text and attribute values. Characters XML 1.0 cannot carry at all (control
//! characters other than tab and line breaks) are shown as `\u{..}` first.

use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::escape::xml_text;
use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};

/// The test case standing for every checked file without findings.
const OTHER_FILES: &str = "(other files)";

pub fn render(validation: &Validation) -> String {
    render_suite(validation, "okr validate", "okr.validate")
}

/// The report as one suite named `suite`, its test cases of class `classname`.
pub fn render_suite(validation: &Validation, suite: &str, classname: &str) -> String {
    // Diagnostics are sorted by path, so each file's are together.
    let mut files: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &validation.diagnostics {
        match files.last_mut() {
            Some((path, list)) if *path == d.path => list.push(d),
            _ => files.push((&d.path, vec![d])),
        }
    }
    let clean = validation.files.saturating_sub(files.len());
    let tests = (files.len() + usize::from(clean > 0)).to_string();
    let failures = files
        .iter()
        .filter(|(_, list)| list.iter().any(|d| d.severity == Severity::Error))
        .count()
        .to_string();

    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write(
        &mut writer,
        (suite, classname),
        &files,
        clean,
        &tests,
        &failures,
    )
    .expect("writing to memory cannot fail");
    let mut out =
        String::from_utf8(writer.into_inner()).expect("quick-xml writes the UTF-8 it is given");
    out.push('\n');
    out
}

fn write(
    writer: &mut Writer<Vec<u8>>,
    (suite, classname): (&str, &str),
    files: &[(&str, Vec<&Diagnostic>)],
    clean: usize,
    tests: &str,
    failures: &str,
) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("testsuites")
        .with_attributes([
            ("name", suite),
            ("tests", tests),
            ("failures", failures),
            ("errors", "0"),
        ])
        .write_inner_content(|writer| {
            writer
                .create_element("testsuite")
                .with_attributes([
                    ("name", suite),
                    ("tests", tests),
                    ("failures", failures),
                    ("errors", "0"),
                    ("skipped", "0"),
                ])
                .write_inner_content(|writer| {
                    for (path, diagnostics) in files {
                        write_case(writer, classname, path, diagnostics)?;
                    }
                    if clean > 0 {
                        let note = match clean {
                            1 => "1 other file checked: no findings".to_owned(),
                            n => format!("{n} other files checked: no findings"),
                        };
                        writer
                            .create_element("testcase")
                            .with_attributes([("name", OTHER_FILES), ("classname", classname)])
                            .write_inner_content(|writer| {
                                writer
                                    .create_element("system-out")
                                    .write_text_content(BytesText::new(&note))?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

fn write_case(
    writer: &mut Writer<Vec<u8>>,
    classname: &str,
    path: &str,
    diagnostics: &[&Diagnostic],
) -> std::io::Result<()> {
    let path = xml_text(path);
    let mut warnings = String::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        let _ = writeln!(warnings, "warning[{}]: {}", d.code, details(d));
    }
    writer
        .create_element("testcase")
        .with_attributes([
            ("name", path.as_str()),
            ("classname", classname),
            ("file", path.as_str()),
        ])
        .write_inner_content(|writer| {
            for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
                let message = xml_text(&format!("{}: {}", d.code, d.message));
                writer
                    .create_element("failure")
                    .with_attributes([("message", message.as_str()), ("type", d.code)])
                    .write_text_content(BytesText::new(&xml_text(&details(d))))?;
            }
            if !warnings.is_empty() {
                writer
                    .create_element("system-out")
                    .write_text_content(BytesText::new(&xml_text(warnings.trim_end())))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// `path:line:col: message`, and `help: …` on a second line when there is help.
fn details(d: &Diagnostic) -> String {
    let mut text = format!("{}:{}:{}: {}", d.path, d.line, d.column, d.message);
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    text
}
