//! `fazhi read FILE...`: read published annual reports (text, HTML pages, DOCX) with the
//! `fazhi-reader` library and print a Chinese summary, or with `--json` one JSON object per
//! report per line (the schema is in `docs/reader.md`).
//!
//! Exit codes: 0 when every file was read as a report; 1 when some file could not be read or is
//! not a report (one line on stderr naming the file and the reason, in Chinese); 2 for usage
//! errors (clap's own, or an unreadable `--previous` file).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use fazhi_reader::{
    Approx, Change, Direction, Figure, Finding, FindingSeverity, Format, Level, LintOptions,
    NotAReport, Report, Script, StatutoryPart, structure::DateSource,
};

/// Arguments of `fazhi read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Report files: plain text (UTF-8, GBK/GB18030, Big5), saved HTML pages or DOCX.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print one JSON object per report, one per line (schema: docs/reader.md).
    #[arg(long)]
    pub json: bool,
    /// The same reporter's previous report, to measure the share of repeated text.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Read every file as this format instead of guessing it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// A Word document.
    Docx,
}

impl From<FormatArg> for Format {
    fn from(value: FormatArg) -> Self {
        match value {
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Docx,
        }
    }
}

/// Why a file was not read, in Chinese for the user.
pub fn reason_zh(error: &NotAReport) -> String {
    fazhi_reader::zh::not_a_report(error)
}

fn error_code(error: &NotAReport) -> &'static str {
    match error {
        NotAReport::Empty => "empty",
        NotAReport::TooLarge { .. } => "too_large",
        NotAReport::Undecodable { .. } => "undecodable",
        NotAReport::NoChineseText => "no_chinese_text",
        NotAReport::NotReportLike => "not_report_like",
        _ => "not_a_report",
    }
}

/// Reads a file, refusing one of 50 MB or more before reading it; the reason in Chinese.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|error| io_zh(&error))?;
    if metadata.is_dir() {
        return Err("这是一个目录，不是文件".to_owned());
    }
    let len = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
    if len >= fazhi_reader::MAX_INPUT_BYTES {
        return Err(reason_zh(&NotAReport::TooLarge {
            bytes: len,
            limit: fazhi_reader::MAX_INPUT_BYTES,
        }));
    }
    std::fs::read(path).map_err(|error| io_zh(&error))
}

fn io_zh(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_owned(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
        _ => format!("无法读取（{error}）"),
    }
}

/// Runs `fazhi read`.
pub fn run(args: ReadArgs) -> ExitCode {
    let hint = args.format.map(Format::from);
    let previous = match &args.previous {
        None => None,
        Some(path) => {
            let document = read_bytes(path).and_then(|bytes| {
                fazhi_reader::read_document(&bytes, hint)
                    .map(|(document, _, _)| document)
                    .map_err(|error| reason_zh(&error))
            });
            match document {
                Ok(document) => Some(document),
                Err(reason) => {
                    eprintln!("错误：上一年度报告 {}：{reason}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
    };
    let options = LintOptions {
        previous: previous.as_ref(),
    };
    let mut failed = false;
    // A closed pipe (`| head`) ends the output quietly instead of panicking in println!.
    let mut stdout = std::io::stdout().lock();
    let mut out = |text: &str| writeln!(stdout, "{text}").is_ok();
    for (idx, path) in args.files.iter().enumerate() {
        let result = read_bytes(path)
            .map_err(|reason| ("unreadable", reason.clone(), reason))
            .and_then(|bytes| {
                fazhi_reader::read_with(&bytes, hint, &options)
                    .map_err(|error| (error_code(&error), error.to_string(), reason_zh(&error)))
            });
        let written = match result {
            Ok(report) if args.json => out(&report_json(path, &report).to_string()),
            Ok(report) => (idx == 0 || out("")) && out(summary(path, &report).trim_end()),
            Err((code, message, reason)) => {
                eprintln!("错误：{}：{reason}", path.display());
                failed = true;
                !args.json || out(&serde_json::json!({ "file": path.display().to_string(), "error": { "code": code, "message": message } }).to_string())
            }
        };
        if !written {
            break;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The JSON object of one report (docs/reader.md, "JSON schema").
pub fn report_json(path: &Path, report: &Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or(serde_json::Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.insert("schema".to_owned(), serde_json::Value::from("fazhi-read/1"));
        object.insert(
            "file".to_owned(),
            serde_json::Value::from(path.display().to_string()),
        );
    }
    value
}

fn level_zh(level: Level) -> &'static str {
    match level {
        Level::Province => "省级",
        Level::City => "市级",
        Level::District => "区级",
        Level::County => "县级",
        Level::DevelopmentZone => "开发区",
        Level::Township => "乡镇街道",
    }
}

fn figure_zh(figure: &Figure) -> String {
    let approx = match figure.approx {
        Approx::Exact => "",
        Approx::About => "约",
        Approx::AtLeast => "逾",
        Approx::AtMost => "近",
    };
    let value = match figure.value_max {
        Some(high) => format!("{}–{}", figure.value.normalize(), high.normalize()),
        None => figure.value.normalize().to_string(),
    };
    let action = figure
        .action
        .as_deref()
        .map(|action| format!("（{action}）"))
        .unwrap_or_default();
    let mut line = format!("{}{action}：{approx}{value}{}", figure.subject, figure.unit);
    if let Some(comparison) = &figure.comparison {
        let direction = match comparison.direction {
            Some(Direction::Up) => "增",
            Some(Direction::Down) => "减",
            _ => "",
        };
        let change = match comparison.change {
            Some(Change::Percent(value)) => format!("{direction}{}%", value.normalize()),
            Some(Change::Points(value)) => format!("{direction}{}个百分点", value.normalize()),
            Some(Change::Absolute(value)) => format!("{direction}{}", value.normalize()),
            Some(Change::Times(value)) => format!("{direction}{}倍", value.normalize()),
            None => String::new(),
        };
        let previous = comparison
            .previous
            .map(|value| format!("上期{}，", value.normalize()))
            .unwrap_or_default();
        let _ = write!(line, "（{previous}{change}）");
    }
    if let Some(indicator) = figure.indicator {
        let _ = write!(line, " [{indicator}]");
    }
    line
}

/// The readable Chinese summary of one report.
pub fn summary(path: &Path, report: &Report) -> String {
    let mut out = String::new();
    let meta = &report.meta;
    let _ = writeln!(out, "== {}", path.display());
    let _ = writeln!(
        out,
        "标题：{}",
        meta.title.as_deref().unwrap_or("（未找到）")
    );
    let year = meta
        .year
        .map_or_else(|| "（未写明）".to_owned(), |year| format!("{year}年"));
    let place = meta.jurisdiction.as_ref().map_or_else(
        || "（未写明）".to_owned(),
        |j| {
            format!(
                "{}（{}）{}",
                j.name,
                level_zh(j.level),
                j.department.as_deref().unwrap_or_default()
            )
        },
    );
    let published = meta.published.map_or_else(
        || "（未找到）".to_owned(),
        |date| {
            let from = match meta.published_from {
                Some(DateSource::Label) => "页面标注",
                Some(DateSource::Header) => "页面",
                Some(DateSource::Signature) => "落款",
                None => "",
            };
            format!("{date}（{from}）")
        },
    );
    let _ = writeln!(
        out,
        "报告年度：{year}　报告主体：{place}　发布日期：{published}"
    );
    if let Some(unit) = &meta.source_unit {
        let _ = writeln!(out, "来源：{unit}");
    }
    let script = match report.source.script {
        Script::Simplified => "简体",
        Script::Traditional => "繁体（已转为简体）",
        Script::Misconverted => "错误转换的繁体（已转回简体并修复）",
    };
    let format = match report.source.format {
        Format::Text => "文本",
        Format::Html => "网页",
        Format::Docx => "DOCX",
    };
    let _ = writeln!(out, "格式：{format}，{}，{script}", report.source.encoding);
    let _ = writeln!(out, "法定部分：");
    for part in StatutoryPart::ALL {
        let section = report.sections.iter().find(|section| {
            section
                .part
                .is_some_and(|found| found.part == part && found.confidence >= 0.5)
        });
        match section {
            Some(section) => {
                let _ = writeln!(
                    out,
                    "  ✓ {}：{}{}",
                    fazhi_reader::zh::part(part),
                    section.label,
                    section.title
                );
            }
            None => {
                let _ = writeln!(out, "  ✗ {}", fazhi_reader::zh::part(part));
            }
        }
    }
    let _ = writeln!(out, "数据：共 {} 项", report.figures.len());
    for figure in report.figures.iter().take(15) {
        let _ = writeln!(out, "  {}", figure_zh(figure));
    }
    if report.figures.len() > 15 {
        let _ = writeln!(
            out,
            "  ……（其余 {} 项见 --json）",
            report.figures.len() - 15
        );
    }
    out.push_str(&findings_zh(&report.findings));
    out
}

/// The Chinese label of a finding's severity: 错误, 警告, 提示.
pub fn severity_zh(severity: FindingSeverity) -> &'static str {
    match severity {
        FindingSeverity::Error => "错误",
        FindingSeverity::Warning => "警告",
        FindingSeverity::Info => "提示",
    }
}

/// The findings in Chinese: a count line ("检查结果：错误 1，警告 2，提示 0"), then one line per
/// finding, errors first, each with its severity label. Shared by `fazhi read` and
/// `fazhi report lint`.
pub fn findings_zh(findings: &[Finding]) -> String {
    let mut out = String::new();
    let count = |severity| {
        findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    };
    let _ = writeln!(
        out,
        "检查结果：错误 {}，警告 {}，提示 {}",
        count(FindingSeverity::Error),
        count(FindingSeverity::Warning),
        count(FindingSeverity::Info)
    );
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    for finding in sorted {
        let _ = writeln!(
            out,
            "  [{}] {}",
            severity_zh(finding.severity),
            fazhi_reader::zh::finding(finding)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reader/test_data/ok")
            .join(name)
    }

    #[test]
    fn summary_names_the_parts_and_the_wrong_base() {
        let path = sample("zhaotong-2020.txt");
        let bytes = std::fs::read(&path).expect("sample");
        let report = fazhi_reader::read(&bytes, None).expect("report");
        let text = summary(&path, &report);
        assert!(text.contains("报告年度：2020年"), "{text}");
        assert!(text.contains("✓ 存在的不足和原因"), "{text}");
        assert!(text.contains("同比变化以本年数为基数"), "{text}");
    }

    #[test]
    fn json_carries_schema_and_file() {
        let path = sample("wuchang-2020.txt");
        let bytes = std::fs::read(&path).expect("sample");
        let report = fazhi_reader::read(&bytes, None).expect("report");
        let value = report_json(&path, &report);
        assert_eq!(value["schema"], "fazhi-read/1");
        assert_eq!(value["meta"]["year"], 2020);
        assert!(
            value["figures"]
                .as_array()
                .is_some_and(|figures| !figures.is_empty())
        );
    }

    #[test]
    fn reasons_are_in_chinese() {
        assert_eq!(reason_zh(&NotAReport::Empty), "文件为空");
        assert!(
            reason_zh(&NotAReport::Undecodable {
                reason: "a PDF file (not supported)"
            })
            .contains("PDF")
        );
    }
}
