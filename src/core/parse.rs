//! File content → a parsed OKR document with the findings of reading it (syntax and structure). Pure: the
//! bytes come from disk (the repository layer's `load`), from a git blob or from an editor.

use crate::core::decode;
use crate::core::diagnostic::Finding;
use crate::core::model::OkrFile;
use crate::core::rules::codes;
use crate::core::yaml;

/// One file read and decoded, with the findings of reading it (syntax and structure).
#[derive(Debug)]
pub struct LoadedFile {
    pub path: String,
    pub text: String,
    /// `None` when the file could not be read or parsed at all.
    pub okr: Option<OkrFile>,
    pub findings: Vec<Finding>,
}

/// Is this the name of an OKR file?
pub fn is_okr_file_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Parses file content that is already in memory (from disk or from a git blob).
pub fn parse(path: &str, bytes: Vec<u8>) -> LoadedFile {
    let parsed = yaml::parse(&bytes);
    let mut findings: Vec<Finding> = parsed
        .problems
        .into_iter()
        .map(|p| {
            let mut finding = Finding::new(codes::YAML_SYNTAX, p.pos, p.message);
            finding.help = p.help;
            finding
        })
        .collect();
    let okr = parsed.document.map(|document| {
        let (okr, decode_findings) = decode::decode(&document);
        findings.extend(decode_findings);
        okr
    });
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    };
    LoadedFile {
        path: path.to_owned(),
        text,
        okr,
        findings,
    }
}
