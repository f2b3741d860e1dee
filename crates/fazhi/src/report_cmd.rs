//! `fazhi report build` (export a year's annual report as DOCX, HTML or Markdown, written
//! atomically) and `fazhi report lint` (check any report file with the reader's lint and print
//! the findings in Chinese, or as JSON).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use fazhi_app::clock::{Clock, SystemClock};
use fazhi_app::reports::{self, service};
use fazhi_reader::{CheckOptions, FindingSeverity};

use crate::indicators_cmd::{
    DbUrl, catalogue, jurisdiction, now, open_existing, parse_code, parse_year, usage_error,
};
use crate::read_cmd::{findings_zh, read_bytes, reason_zh};
use crate::server::run;

/// `fazhi report` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Export the year's annual report (the latest version, or --version N) as DOCX, HTML or
    /// Markdown; with no stored version, a draft made now from the indicators (not stored).
    #[command(after_long_help = BUILD_HELP)]
    Build(BuildArgs),
    /// Check a report file (text, HTML or DOCX) with the reader's lint and print the findings.
    #[command(after_long_help = LINT_HELP)]
    Lint(LintArgs),
}

const BUILD_HELP: &str = "\
The file is written to a temporary file in the same directory and renamed into place, so a
reader never sees half a report; an existing file is kept unless --force is given.

Exit codes: 0 written; 1 the database cannot be opened, the jurisdiction or the version does not
exist, or the file exists or cannot be written; 2 usage error (--year not a four-digit year from
2000 to 2100, --jurisdiction not a six-digit code).";

const LINT_HELP: &str = "\
Findings are printed in Chinese with their severity (错误, 警告, 提示). The deadline checks use
today's date.

JSON (--json), one document:
  {\"file\": \"…\", \"report_year\": 2020 | null, \"errors\": 1, \"warnings\": 2, \"infos\": 0,
   \"findings\": [{\"check\": \"yoy_wrong_base\", \"severity\": \"error\" | \"warning\" | \"info\",
                 \"message\": \"English\", \"message_zh\": \"中文\", \"quote\": \"the report's words\" | null}]}

Exit codes: 0 no finding of severity error; 3 at least one error; 2 the file cannot be read or
is not a report, or usage error (--year not a four-digit year from 2000 to 2100).";

/// Formats of `report build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BuildFormat {
    /// Word document in the official layout (GB/T 9704-2012).
    Docx,
    /// A standalone HTML page.
    Html,
    /// Markdown.
    Md,
}

/// Arguments of `fazhi report build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub db: DbUrl,
    /// The year reported on: four digits, 2000 to 2100.
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    /// The file format.
    #[arg(long, value_enum)]
    pub format: BuildFormat,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The jurisdiction whose report (its six-digit GB/T 2260 code); the deployment's root by
    /// default.
    #[arg(long, value_name = "CODE")]
    pub jurisdiction: Option<String>,
    /// Export this version (1, 2, …) instead of the latest.
    #[arg(long, value_name = "N")]
    pub version: Option<i64>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `fazhi report lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The report: plain text (UTF-8, GBK/GB18030, Big5), a saved HTML page or DOCX.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the JSON document described below.
    #[arg(long)]
    pub json: bool,
    /// The year reported on (default: the year the report states).
    #[arg(long, value_name = "YYYY")]
    pub year: Option<String>,
}

/// Runs a `fazhi report` subcommand.
pub fn run_report(command: ReportCommand) -> ExitCode {
    match command {
        ReportCommand::Build(args) => {
            match (
                parse_year(&args.year),
                parse_code(args.jurisdiction.as_deref()),
            ) {
                (Ok(year), Ok(_)) => run(build(args, year)),
                (Err(message), _) | (_, Err(message)) => usage_error(&message),
            }
        }
        ReportCommand::Lint(args) => lint(&args),
    }
}

/// `fazhi report build`.
async fn build(args: BuildArgs, year: i32) -> anyhow::Result<()> {
    if !args.force && std::fs::symlink_metadata(&args.out).is_ok() {
        return Err(exists(&args.out));
    }
    let store = open_existing(&args.db.url).await?;
    let jurisdiction = jurisdiction(&store, args.jurisdiction.as_deref()).await?;
    let versions = service::versions(&store, jurisdiction.id, year).await?;
    let (report, which) = match (args.version, versions.first()) {
        (Some(number), _) => {
            let version = versions
                .iter()
                .find(|v| v.row.number == number)
                .ok_or_else(|| {
                    let mut numbers: Vec<String> =
                        versions.iter().map(|v| v.row.number.to_string()).collect();
                    numbers.reverse();
                    if numbers.is_empty() {
                        anyhow!("{year} 年度报告没有第 {number} 版：尚无保存的版本")
                    } else {
                        anyhow!(
                            "{year} 年度报告没有第 {number} 版（现有：第 {} 版）",
                            numbers.join("、")
                        )
                    }
                })?;
            (version.report.clone(), version_label(&version.row))
        }
        (None, Some(latest)) => (latest.report.clone(), version_label(&latest.row)),
        (None, None) => {
            let catalogue = catalogue()?;
            // As the service drafts it: a city's from its 全市 figures.
            let extent =
                fazhi_app::indicators::compute::natural_extent(&store, jurisdiction.id).await?;
            let (current, previous) =
                service::computations(&store, &catalogue, extent, year, &now()).await?;
            eprintln!(
                "提示：{year} 年度报告尚无保存的版本，现由统计数据临时起草导出；该草稿未保存到数据库。"
            );
            (
                reports::draft(&catalogue, &jurisdiction.name, year, &current, &previous),
                "临时草稿，未保存".to_owned(),
            )
        }
    };
    store.close().await;
    let bytes = match args.format {
        BuildFormat::Docx => fazhi_report::docx::to_docx(&report)
            .map_err(|error| anyhow!("生成 DOCX 失败：{error}"))?,
        BuildFormat::Html => fazhi_report::html::to_html(&report).into_bytes(),
        BuildFormat::Md => fazhi_report::markdown::to_markdown(&report).into_bytes(),
    };
    write_atomically(&args.out, &bytes, args.force)?;
    println!(
        "已导出 {year} 年度报告（{which}）：{}，{} 字节。",
        args.out.display(),
        bytes.len()
    );
    Ok(())
}

/// "第 2 版" or "第 3 版，已发布".
fn version_label(row: &fazhi_app::store::reports::ReportVersionRow) -> String {
    match row.published_at {
        Some(_) => format!("第 {} 版，已发布", row.number),
        None => format!("第 {} 版", row.number),
    }
}

fn exists(path: &Path) -> anyhow::Error {
    anyhow!(
        "文件 {} 已存在，未覆盖：如需覆盖请加 --force",
        path.display()
    )
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place: `path` is either
/// untouched or complete. Without `force` an existing `path` is kept (checked by the rename
/// itself, so a file created meanwhile is not replaced either).
fn write_atomically(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let cannot = |error: &std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => anyhow!("无法写入 {}：目录不存在", path.display()),
        std::io::ErrorKind::PermissionDenied => {
            anyhow!("无法写入 {}：没有写入权限", path.display())
        }
        _ => anyhow!("无法写入 {}：{error}", path.display()),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".fazhi-report-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|error| cannot(&error))?;
    file.write_all(bytes).map_err(|error| cannot(&error))?;
    file.as_file().sync_all().map_err(|error| cannot(&error))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // A report is for handing out: readable by all, like a file the user saved.
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|error| cannot(&error))?;
    }
    let persisted = if force {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    // On failure the temporary file is dropped with the error, which removes it.
    persisted.map_err(|error| match error.error.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => cannot(&error.error),
    })?;
    // The rename is durable once the directory is.
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// The `--json` document of `report lint` (keys in this order; see [`LINT_HELP`]).
#[derive(Debug, serde::Serialize)]
struct LintJson<'a> {
    file: String,
    report_year: Option<i32>,
    errors: usize,
    warnings: usize,
    infos: usize,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct FindingJson<'a> {
    check: &'a str,
    severity: FindingSeverity,
    message: &'a str,
    message_zh: String,
    quote: Option<&'a str>,
}

/// `fazhi report lint`.
fn lint(args: &LintArgs) -> ExitCode {
    let year = match args.year.as_deref().map(parse_year) {
        None => None,
        Some(Ok(year)) => Some(year),
        Some(Err(message)) => return usage_error(&message),
    };
    let path = &args.file;
    let bytes = match read_bytes(path) {
        Ok(bytes) => bytes,
        Err(reason) => return usage_error(&format!("{}：{reason}", path.display())),
    };
    let options = CheckOptions {
        report_year: year,
        as_of: Some(SystemClock.now().date()),
        ..CheckOptions::default()
    };
    let report = match fazhi_reader::read_checked(&bytes, None, &options) {
        Ok(report) => report,
        Err(error) => {
            return usage_error(&format!("{}：{}", path.display(), reason_zh(&error)));
        }
    };
    let count = |severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    };
    let errors = count(FindingSeverity::Error);
    let text = if args.json {
        let document = LintJson {
            file: path.display().to_string(),
            report_year: year.or(report.meta.year),
            errors,
            warnings: count(FindingSeverity::Warning),
            infos: count(FindingSeverity::Info),
            findings: report
                .findings
                .iter()
                .map(|finding| FindingJson {
                    check: finding.check,
                    severity: finding.severity,
                    message: &finding.message,
                    message_zh: fazhi_reader::zh::finding(finding),
                    quote: finding.quote.as_deref(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&document).unwrap_or_default()
    } else {
        format!("== {}\n{}", path.display(), findings_zh(&report.findings))
    };
    // A closed pipe (`| head`) ends the output quietly; the exit code still tells the result.
    let _ = writeln!(std::io::stdout().lock(), "{}", text.trim_end());
    if errors > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_refuses_an_existing_file_unless_forced_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.md");
        write_atomically(&path, b"one", false).expect("first write");
        let error = write_atomically(&path, b"two", false).expect_err("kept");
        assert!(error.to_string().contains("已存在"), "{error}");
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        write_atomically(&path, b"three", true).expect("forced");
        assert_eq!(std::fs::read(&path).expect("read"), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.md")]);
        let error = write_atomically(&dir.path().join("no/such/r.md"), b"x", false)
            .expect_err("no directory");
        assert!(error.to_string().contains("目录不存在"), "{error}");
    }
}
