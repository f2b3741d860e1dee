//! Reads published annual reports on rule-of-law government construction
//! (法治政府建设年度报告) and turns them into structured, checkable data.
//!
//! # The pipeline
//!
//! Five stages, each a pure function from one owned type to the next. None does IO, none
//! panics, and none fails: each returns its value plus [`Diagnostic`]s saying what it could not
//! do well ("parsing never fails", as rust-analyzer puts it).
//!
//! ```text
//! bytes ─decode─▶ RawText ─normalise─▶ Normalised ─structure─▶ Document ─figures─▶ Vec<Figure>
//!                                                                 └──────────lint──────────▶ Vec<Finding>
//! ```
//!
//! * [`decode()`](decode::decode) sniffs the format (plain text, HTML as saved from a site,
//!   DOCX), detects the encoding (UTF-8, GB18030/GBK, Big5, UTF-16) and strips markup and page
//!   furniture elements. [`RawText`] carries an [`OffsetMap`] back to the input bytes.
//! * [`normalise()`](normalise::normalise) converts traditional characters with OpenCC `T2s`,
//!   repairs known mis-conversions, removes inline pinyin and folds full-width digits, keeping
//!   the map: every character of [`Normalised::text`] knows the input bytes it came from.
//! * [`structure()`](structure::structure) finds the title, year, jurisdiction, publication
//!   date and source unit, and builds the section tree from the heading numbering the report
//!   uses, mapping top-level sections to the five statutory parts.
//! * [`figures()`](figures::figures) extracts every quantitative statement: subject, value
//!   ([`Decimal`](rust_decimal::Decimal), never `f64`), approximation, unit, year-on-year
//!   comparison, section, span in the text and in the input, and indicator id.
//! * [`lint()`](lint::lint) runs the checks of reporting.md §4 on any [`Document`]; the app
//!   runs the same function on its own drafts. [`lint_with`](lint::lint_with) adds, through
//!   [`CheckOptions`], the checks against the records ([`KnownFigure`]) and the deadlines; the
//!   section plan of the 纲要 of each year is [`outline_areas`], the first-responsible-person
//!   duties [`FIRST_RESPONSIBLE_DUTIES`].
//!
//! [`lint_text`] lints a plain-text draft in one call.
//!
//! [`read`] runs them all and is what the CLI (`fazhi read`) and the comparison page call. It
//! refuses only input that is not a report at all ([`NotAReport`]): empty, binary or
//! undecodable, 50 MB or more (checked before any work), or without Chinese text or report-like
//! structure. A truncated report still gives a best-effort [`Report`] with a diagnostic.
//!
//! ```
//! let text = "某市人民政府2020年法治政府建设情况报告\n一、主要举措和成效\n全年办理行政复议案件83件。\n";
//! let report = fazhi_reader::read(text.as_bytes(), None).unwrap();
//! assert_eq!(report.meta.year, Some(2020));
//! assert_eq!(report.figures[0].subject, "行政复议案件");
//! ```
//!
//! # What it does not do
//!
//! No IO, no network, no clock: callers read files and pass bytes. No PDF, no legacy `.doc`, no
//! OCR. No word segmentation (subjects come from clause boundaries and word lists), no tables as
//! tables, and no Taiwan/Hong Kong vocabulary conversion. Work is linear in the input; pathological
//! input (one enormous line, unclosed tags) is capped, never quadratic.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![warn(missing_docs)]

pub mod decode;
pub mod diagnostic;
pub mod duties;
pub mod figures;
pub mod indicators;
pub mod lint;
pub mod normalise;
pub mod numerals;
pub mod offsets;
pub mod outline;
pub mod structure;
pub mod zh;

use serde::Serialize;

pub use crate::decode::{Format, RawText};
pub use crate::diagnostic::{Diagnostic, Severity, Stage};
pub use crate::duties::{Duty, FIRST_RESPONSIBLE_DUTIES, duties_in};
pub use crate::figures::{Approx, Change, Comparison, Direction, Figure};
pub use crate::indicators::indicator_for;
pub use crate::lint::{CheckOptions, Finding, FindingSeverity, KnownFigure, LintOptions};
pub use crate::normalise::{Normalised, Script};
pub use crate::offsets::{OffsetMap, Span};
pub use crate::outline::{OutlineArea, outline_area_for, outline_areas};
pub use crate::structure::{Date, Document, Jurisdiction, Level, Meta, Section, StatutoryPart};

/// Inputs of this size or more are refused before any work (50 MB).
pub const MAX_INPUT_BYTES: usize = 50 * 1024 * 1024;

/// Fewer Han characters than this: not a report.
const MIN_HAN_CHARS: usize = 20;

/// Why an input is not read as a report. Everything else yields a [`Report`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotAReport {
    /// The input has no bytes, or only whitespace.
    #[error("the input is empty")]
    Empty,
    /// The input is 50 MB or more; refused before decoding.
    #[error("the input is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The limit, [`MAX_INPUT_BYTES`].
        limit: usize,
    },
    /// Binary data, an unsupported format, or bytes no supported encoding decodes.
    #[error("the input cannot be read as text: {reason}")]
    Undecodable {
        /// What it looks like (`a PDF file (not supported)`, `binary data (NUL bytes)`, …).
        reason: &'static str,
    },
    /// Decoded, but (almost) no Chinese text.
    #[error("the input contains no Chinese text")]
    NoChineseText,
    /// Chinese text without a report's title or structure.
    #[error("the text does not look like an annual report on rule-of-law government")]
    NotReportLike,
}

/// Where the report came from and how it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Format read.
    pub format: Format,
    /// Encoding used.
    pub encoding: &'static str,
    /// Input size in bytes.
    pub bytes: usize,
    /// Script of origin.
    pub script: Script,
    /// What normalisation changed.
    pub normalisation: normalise::NormaliseStats,
}

/// A read report: everything the pipeline found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// How it was read.
    pub source: Source,
    /// Title, year, jurisdiction, dates.
    pub meta: Meta,
    /// The section tree.
    pub sections: Vec<Section>,
    /// Quantitative statements.
    pub figures: Vec<Figure>,
    /// Lint results.
    pub findings: Vec<Finding>,
    /// What the stages noticed.
    pub diagnostics: Vec<Diagnostic>,
    /// The structured document (normalised text, lines, spans), for callers that want more.
    #[serde(skip)]
    pub document: Document,
}

/// Reads a report: decode, normalise, structure, figures, lint. `hint` forces a format;
/// `None` sniffs it.
///
/// # Errors
///
/// [`NotAReport`] for empty, too large, undecodable or non-report input; nothing else.
pub fn read(bytes: &[u8], hint: Option<Format>) -> Result<Report, NotAReport> {
    read_with(bytes, hint, &LintOptions::default())
}

/// [`read`] with lint options (e.g. the previous report for the repeated-text share).
///
/// # Errors
///
/// As [`read`].
pub fn read_with(
    bytes: &[u8],
    hint: Option<Format>,
    options: &LintOptions<'_>,
) -> Result<Report, NotAReport> {
    read_checked(bytes, hint, &CheckOptions::from(*options))
}

/// Lints a plain-text report (e.g. a draft the app wrote) in one call: [`read_checked`] with
/// [`Format::Text`]. The [`Report`] carries the findings, the figures and the document.
///
/// ```
/// use fazhi_reader::{CheckOptions, KnownFigure, lint_text};
/// use rust_decimal::Decimal;
///
/// let draft = "某县人民政府2025年法治政府建设情况报告\n一、主要举措和成效\n全年受理行政复议案件83件。\n";
/// let known = [KnownFigure {
///     indicator: "reconsideration.cases_received".into(),
///     value: Decimal::from(85),
///     label: "行政复议案件受理数".into(),
/// }];
/// let options = CheckOptions { known_figures: Some(&known), ..CheckOptions::default() };
/// let report = lint_text(draft, &options).unwrap();
/// assert!(report.findings.iter().any(|f| f.check == "figure_disagrees_with_records"));
/// ```
///
/// # Errors
///
/// As [`read`].
pub fn lint_text(text: &str, options: &CheckOptions<'_>) -> Result<Report, NotAReport> {
    read_checked(text.as_bytes(), Some(Format::Text), options)
}

/// [`read`] with [`CheckOptions`]: the previous report, the records, the deadlines.
///
/// # Errors
///
/// As [`read`].
pub fn read_checked(
    bytes: &[u8],
    hint: Option<Format>,
    options: &CheckOptions<'_>,
) -> Result<Report, NotAReport> {
    let document_and_diagnostics = read_document(bytes, hint)?;
    let (document, mut diagnostics, source) = document_and_diagnostics;
    let (figures, figure_diagnostics) = figures::figures(&document);
    diagnostics.extend(figure_diagnostics);
    let findings = lint::lint_with(&document, &figures, options);
    Ok(Report {
        source,
        meta: document.meta.clone(),
        sections: document.sections.clone(),
        figures,
        findings,
        diagnostics,
        document,
    })
}

/// The first three stages only: for callers that want the [`Document`] (e.g. a previous
/// report to compare with) without figures and lint.
///
/// # Errors
///
/// As [`read`].
pub fn read_document(
    bytes: &[u8],
    hint: Option<Format>,
) -> Result<(Document, Vec<Diagnostic>, Source), NotAReport> {
    if bytes.len() >= MAX_INPUT_BYTES {
        return Err(NotAReport::TooLarge {
            bytes: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(NotAReport::Empty);
    }
    let (raw, mut diagnostics) = decode::decode(bytes, hint);
    if let Some(reason) = raw.undecodable {
        return Err(NotAReport::Undecodable { reason });
    }
    if raw.text.trim().is_empty() {
        return Err(NotAReport::Empty);
    }
    let (normalised, normalise_diagnostics) = normalise::normalise(&raw);
    diagnostics.extend(normalise_diagnostics);
    if normalised.stats.han_chars < MIN_HAN_CHARS {
        return Err(NotAReport::NoChineseText);
    }
    let source = Source {
        format: raw.format,
        encoding: raw.encoding,
        bytes: bytes.len(),
        script: normalised.script,
        normalisation: normalised.stats,
    };
    let (document, structure_diagnostics) =
        structure::structure(normalised, raw.html_title.as_deref());
    diagnostics.extend(structure_diagnostics);
    if !looks_like_a_report(&document) {
        return Err(NotAReport::NotReportLike);
    }
    Ok((document, diagnostics, source))
}

fn looks_like_a_report(document: &Document) -> bool {
    if document.meta.title.is_some() {
        return true;
    }
    let text = document.text();
    let rule_of_law = text.matches("法治").count() + text.matches("依法行政").count();
    let parts: std::collections::HashSet<StatutoryPart> = document
        .sections
        .iter()
        .filter_map(|section| {
            section
                .part
                .filter(|part| part.confidence >= 0.5)
                .map(|part| part.part)
        })
        .collect();
    rule_of_law >= 3 && (parts.len() >= 2 || document.sections.len() >= 3)
}
