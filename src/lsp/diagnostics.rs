//! A file's findings as the protocol's diagnostics: the severity `okr.toml` gives each rule (a rule set to
//! `allow` is not shown), the rule code linked to its section of the rules reference, the help after the
//! message, and the range of the token the finding points at, in UTF-16 columns. An open file's changes
//! that the change policy refuses are shown too, under the code `okr diff --check` gives them.

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams,
    Range, Url,
};

use crate::core::diagnostic::{Finding, Severity};
use crate::core::locate::token_at;
use crate::core::rules;
use crate::lsp::history::Histories;
use crate::lsp::position::Lines;
use crate::lsp::reasons;
use crate::lsp::world::Project;

/// The diagnostics of the file at `path`, in the order `okr validate` lists them: its findings, and for an
/// open file the changes of its text the change policy refuses ([`reasons`]), as warnings.
pub fn of(project: &Project, path: &str, histories: &mut Histories) -> Vec<Diagnostic> {
    let Some(file) = project.file(path) else {
        return Vec::new();
    };
    let lines = Lines::new(file.text());
    let refusals = match file.open {
        Some(_) => reasons::of(project, path, file, histories),
        None => Vec::new(),
    };
    let mut findings: Vec<(Severity, &Finding)> = project
        .findings(path)
        .into_iter()
        .filter_map(|f| Some((project.workspace.config.severity(f.code)?, f)))
        .chain(refusals.iter().map(|r| (Severity::Warning, &r.finding)))
        .collect();
    findings
        .sort_by(|(_, a), (_, b)| (a.pos, a.code, &a.message).cmp(&(b.pos, b.code, &b.message)));
    findings
        .into_iter()
        .map(|(severity, finding)| diagnostic(&lines, severity, finding))
        .collect()
}

pub(crate) fn diagnostic(lines: &Lines<'_>, severity: Severity, finding: &Finding) -> Diagnostic {
    let span = token_at(lines.index(), finding.pos);
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    Diagnostic {
        range: Range::new(lines.position(span.start), lines.position(span.end)),
        severity: Some(match severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.code.to_owned())),
        code_description: Url::parse(&rules::docs_url(finding.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("okr".to_owned()),
        message,
        related_information: None,
        tags: None,
        data: None,
    }
}

/// The notification that replaces a document's diagnostics, found in the text of `version` (the editor's
/// version of an open document; `None` for one not open), so a client can drop findings about a text it has
/// already changed again.
pub fn publish(
    uri: Url,
    diagnostics: Vec<Diagnostic>,
    version: Option<i32>,
) -> lsp_server::Notification {
    lsp_server::Notification::new(
        "textDocument/publishDiagnostics".to_owned(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}
