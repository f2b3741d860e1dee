//! Diagnostics: what a stage noticed while it went on regardless.
//!
//! No stage fails on bad input; it returns its best result plus diagnostics saying what was
//! odd (a truncated file, a line it could map only coarsely, a missing title). Messages are
//! English and meant for developers and logs; the `code` is stable and is what a user interface
//! translates.

use serde::Serialize;

use crate::offsets::Span;

/// The pipeline stage that produced a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Bytes to text.
    Decode,
    /// Text to normalised simplified text.
    Normalise,
    /// Normalised text to title, metadata and sections.
    Structure,
    /// Sections to figures.
    Figures,
}

/// How much a diagnostic matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For the curious.
    Info,
    /// The result may be incomplete or less precise.
    Warning,
}

/// Something a stage noticed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Which stage.
    pub stage: Stage,
    /// Stable snake_case code, e.g. `truncated_utf8`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// English explanation.
    pub message: String,
    /// Where, in the stage's own text (input bytes for `decode`, normalised text after).
    pub span: Option<Span>,
}

impl Diagnostic {
    pub(crate) fn new(
        stage: Stage,
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Self {
            stage,
            code,
            severity,
            message: message.into(),
            span: None,
        }
    }

    pub(crate) fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
}
