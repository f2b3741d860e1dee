//! `fazhi indicators`: every indicator of the catalogue computed for a year (and the year before,
//! for the change), for a jurisdiction (the root by default, `--jurisdiction CODE` another; with
//! everything below it, or `--alone`) or one department, as a Chinese table grouped by the
//! outline's areas or as a JSON document (schema in [`JSON_HELP`]).
//!
//! Also the pieces `fazhi report` shares: the `--db` and `--jurisdiction` arguments, `--year`
//! checking, opening an existing store and loading the catalogue.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::anyhow;
use fazhi_app::clock::{Clock, SystemClock, to_db_time};
use fazhi_app::indicators::compute::Computation;
use fazhi_app::indicators::present::{compare_phrase, display_value};
use fazhi_app::indicators::{Breadth, Catalogue, Extent, Indicator, Source};
use fazhi_app::store::jurisdictions::Jurisdiction;
use fazhi_app::store::{OpenMode, ROOT_JURISDICTION, Store, StoreError};
use rust_decimal::Decimal;

use crate::server::run;

/// The database argument of the reading commands (no signing key: they sign nothing).
#[derive(Debug, clap::Args)]
pub struct DbUrl {
    /// Database URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(
        long = "db",
        env = "FAZHI_DB",
        default_value = "sqlite://fazhi.db",
        value_name = "URL"
    )]
    pub url: String,
}

/// The `--help` text after the options: the JSON document and the exit codes.
pub const JSON_HELP: &str = "\
JSON (--json), one document; its keys do not change within a major version:
  {
    \"year\": 2025,                      the year computed
    \"catalogue_version\": \"fazhi-2026.2\", the indicator system's version
    \"log_size\": 1893,                  leaves in the jurisdiction's own log when computed
    \"jurisdiction\": {\"code\": \"420100\", \"name\": \"…\", \"with_below\": true},   whose figures
    \"computed_at\": \"2026-03-01T08:00:00Z\",
    \"department\": null | {\"id\": 3, \"name\": \"…\"},   with --department
    \"figures\": [                       every indicator, in catalogue order
      {
        \"id\": \"enforcement.penalty_cases\",
        \"label\": \"…\", \"unit\": \"件\", \"area\": \"enforcement\",
        \"value\": \"200\" | null,         a decimal as a string; null: no value (a rate over zero,
                                         nothing submitted)
        \"previous\": \"180\" | null,      the year before, the same way
        \"change\": \"比上年增长11.11%\" | null,   as the report phrases it; null when not compared
        \"records\": 200,                  records counted (for rates, the denominator's)
        \"definition\": \"…\"               the definition with its legal basis
      }
    ]
  }

Exit codes: 0 done; 1 the database cannot be opened, or the jurisdiction or the department does
not exist; 2 usage error (--year not a four-digit year from 2000 to 2100, --department not a
number, --jurisdiction not a six-digit code).";

/// Arguments of `fazhi indicators`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = JSON_HELP)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub db: DbUrl,
    /// The year: four digits, 2000 to 2100.
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    /// Only this department's values (its number, as in the 部门 pages' addresses).
    #[arg(long, value_name = "ID")]
    pub department: Option<String>,
    /// The jurisdiction (its six-digit GB/T 2260 code); the deployment's root by default.
    #[arg(long, value_name = "CODE")]
    pub jurisdiction: Option<String>,
    /// Only the jurisdiction's own records (本级), not those of the jurisdictions below it.
    #[arg(long)]
    pub alone: bool,
    /// Print the JSON document described below instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The year of `--year`: four ASCII digits from 2000 to 2100; the reason in Chinese otherwise.
pub fn parse_year(text: &str) -> Result<i32, String> {
    let invalid = || format!("年度“{text}”无效：应为 2000 至 2100 之间的四位数年份，例如 2025");
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match text.parse::<i32>() {
        Ok(year) if (2000..=2100).contains(&year) => Ok(year),
        _ => Err(invalid()),
    }
}

/// A usage error: one Chinese line on stderr, exit code 2, nothing on stdout.
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(2)
}

/// `--jurisdiction`'s code checked: six ASCII digits; the reason in Chinese otherwise.
pub fn parse_code(code: Option<&str>) -> Result<Option<String>, String> {
    match code {
        None => Ok(None),
        Some(code) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Some(code.to_owned()))
        }
        Some(code) => Err(format!(
            "辖区代码“{code}”无效：应为六位行政区划代码，例如 420100"
        )),
    }
}

/// The jurisdiction with `code`, or the root.
pub async fn jurisdiction(store: &Store, code: Option<&str>) -> anyhow::Result<Jurisdiction> {
    match code {
        None => Ok(store.jurisdiction_by_id(ROOT_JURISDICTION).await?),
        Some(code) => store
            .jurisdiction_by_code(code)
            .await?
            .ok_or_else(|| anyhow!("辖区代码 {code} 不存在：请在“辖区层级”页面查看各辖区的代码")),
    }
}

/// Opens an existing database, bringing its schema up to date (as `serve` does).
pub async fn open_existing(url: &str) -> anyhow::Result<Store> {
    crate::server::open_current(url, OpenMode::MustExist).await
}

/// The shipped catalogue, checked against the shipped procedure definitions.
pub fn catalogue() -> anyhow::Result<Catalogue> {
    let procedures = fazhi_app::procedure::load_embedded()
        .map_err(|error| anyhow!("程序定义文件有误：{error}"))?;
    Catalogue::embedded(&procedures).map_err(|error| anyhow!("指标目录无效：{error}"))
}

/// The current time as stored.
pub fn now() -> String {
    to_db_time(SystemClock.now())
}

/// Runs `fazhi indicators`.
pub fn run_indicators(args: IndicatorsArgs) -> ExitCode {
    let year = match parse_year(&args.year) {
        Ok(year) => year,
        Err(message) => return usage_error(&message),
    };
    let department = match args.department.as_deref().map(str::parse::<i64>) {
        None => None,
        Some(Ok(id)) if id > 0 => Some(id),
        Some(_) => {
            return usage_error(&format!(
                "部门编号“{}”无效：应为正整数",
                args.department.unwrap_or_default()
            ));
        }
    };
    let code = match parse_code(args.jurisdiction.as_deref()) {
        Ok(code) => code,
        Err(message) => return usage_error(&message),
    };
    run(async move {
        let catalogue = catalogue()?;
        let store = open_existing(&args.db.url).await?;
        let jurisdiction = jurisdiction(&store, code.as_deref()).await?;
        let extent = if args.alone {
            Extent::alone(jurisdiction.id)
        } else {
            Extent::with_below(jurisdiction.id)
        };
        let department = match department {
            None => None,
            Some(id) => match store
                .department(fazhi_app::store::Reach(jurisdiction.id), id)
                .await
            {
                Ok(found) if args.alone && found.jurisdiction_id != jurisdiction.id => {
                    return Err(anyhow!(
                        "部门编号 {id} 不属于{}本级：请去掉 --alone 或换用部门所在辖区的代码",
                        jurisdiction.name
                    ));
                }
                Ok(found) => Some((id, found.name)),
                Err(StoreError::NotFound) => {
                    return Err(anyhow!(
                        "部门编号 {id} 不存在（或不在{}辖区内）：请在“部门”页面查看部门编号",
                        jurisdiction.name
                    ));
                }
                Err(error) => return Err(error.into()),
            },
        };
        let (current, previous) =
            fazhi_app::reports::service::computations(&store, &catalogue, extent, year, &now())
                .await?;
        let has_children = store
            .jurisdictions()
            .await?
            .iter()
            .any(|j| j.parent_id == Some(jurisdiction.id));
        store.close().await;
        let scope = department.as_ref().map(|(id, _)| *id);
        let rows = rows(&catalogue, &current, &previous, scope);
        let whose = Whose {
            jurisdiction: &jurisdiction,
            with_below: extent.breadth == Breadth::WithBelow,
            has_children,
        };
        let text = if args.json {
            let document = json(&current, &whose, department.as_ref(), &rows);
            serde_json::to_string_pretty(&document)?
        } else {
            table(&catalogue, &current, &whose, department.as_ref(), &rows)
        };
        // A closed pipe (`| head`) ends the output quietly.
        let _ = writeln!(std::io::stdout().lock(), "{}", text.trim_end());
        Ok(())
    })
}

/// Whose figures: the jurisdiction, and whether with everything below it.
struct Whose<'a> {
    jurisdiction: &'a Jurisdiction,
    with_below: bool,
    has_children: bool,
}

impl Whose<'_> {
    /// "示范市（含下级辖区）", "示范市本级", or the name of a jurisdiction without any below.
    fn label(&self) -> String {
        let name = if self.jurisdiction.name.is_empty() {
            "全辖区"
        } else {
            self.jurisdiction.name.as_str()
        };
        match (self.has_children, self.with_below) {
            (false, _) => name.to_owned(),
            (true, true) => format!("{name}（含下级辖区）"),
            (true, false) => format!("{name}本级"),
        }
    }
}

/// One indicator's values in the scope asked for.
#[derive(Debug)]
struct Row<'a> {
    indicator: &'a Indicator,
    value: Option<Decimal>,
    previous: Option<Decimal>,
    records: i64,
    change: Option<String>,
}

/// `indicator`'s value and record count in `computation` for the jurisdiction or `department`.
/// A department absent from a count counted nothing (zero); a rate or a submitted figure it has
/// no record for has no value.
fn scoped(
    computation: &Computation,
    indicator: &Indicator,
    department: Option<i64>,
) -> (Option<Decimal>, i64) {
    let figure = match department {
        None => computation.figure(&indicator.id),
        Some(id) => computation
            .by_department
            .get(&id)
            .and_then(|figures| figures.iter().find(|f| f.id == indicator.id)),
    };
    match figure {
        Some(figure) => (figure.value, figure.records),
        None if matches!(indicator.source, Source::Ratio | Source::Submission) => (None, 0),
        None => (Some(Decimal::ZERO), 0),
    }
}

fn rows<'a>(
    catalogue: &'a Catalogue,
    current: &Computation,
    previous: &Computation,
    department: Option<i64>,
) -> Vec<Row<'a>> {
    catalogue
        .indicators
        .iter()
        .map(|indicator| {
            let (value, records) = scoped(current, indicator, department);
            let (before, _) = scoped(previous, indicator, department);
            Row {
                indicator,
                value,
                previous: before,
                records,
                change: compare_phrase(indicator, value, before),
            }
        })
        .collect()
}

/// The `--json` document (keys in this order; see [`JSON_HELP`]).
#[derive(Debug, serde::Serialize)]
struct Document<'a> {
    year: i32,
    catalogue_version: &'a str,
    log_size: u64,
    jurisdiction: JurisdictionJson<'a>,
    computed_at: &'a str,
    department: Option<DepartmentJson<'a>>,
    figures: Vec<FigureJson<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct JurisdictionJson<'a> {
    code: &'a str,
    name: &'a str,
    with_below: bool,
}

#[derive(Debug, serde::Serialize)]
struct DepartmentJson<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Debug, serde::Serialize)]
struct FigureJson<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    area: &'a str,
    value: Option<String>,
    previous: Option<String>,
    change: Option<&'a str>,
    records: i64,
    definition: &'a str,
}

fn json<'a>(
    current: &'a Computation,
    whose: &Whose<'a>,
    department: Option<&'a (i64, String)>,
    rows: &'a [Row<'a>],
) -> Document<'a> {
    let decimal = |value: Option<Decimal>| value.map(|v| v.normalize().to_string());
    Document {
        year: current.year,
        catalogue_version: &current.catalogue_version,
        log_size: current.log_size,
        jurisdiction: JurisdictionJson {
            code: &whose.jurisdiction.code,
            name: &whose.jurisdiction.name,
            with_below: whose.with_below,
        },
        computed_at: &current.computed_at,
        department: department.map(|(id, name)| DepartmentJson { id: *id, name }),
        figures: rows
            .iter()
            .map(|row| FigureJson {
                id: &row.indicator.id,
                label: &row.indicator.label,
                unit: &row.indicator.unit,
                area: &row.indicator.area,
                value: decimal(row.value),
                previous: decimal(row.previous),
                change: row.change.as_deref(),
                records: row.records,
                definition: &row.indicator.definition,
            })
            .collect(),
    }
}

/// Columns on a terminal: CJK characters and full-width punctuation take two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn pad(text: &str, to: usize) -> String {
    let mut padded = text.to_owned();
    padded.extend(std::iter::repeat_n(' ', to.saturating_sub(width(text))));
    padded
}

fn table(
    catalogue: &Catalogue,
    current: &Computation,
    whose: &Whose<'_>,
    department: Option<&(i64, String)>,
    rows: &[Row<'_>],
) -> String {
    let mut out = String::new();
    let scope = department.map_or_else(
        || whose.label(),
        |(id, name)| format!("部门：{name}（编号 {id}）"),
    );
    let _ = writeln!(
        out,
        "{} 年度指标（{scope}）　指标体系 {}　日志 {} 条记录　计算于 {}",
        current.year, current.catalogue_version, current.log_size, current.computed_at
    );
    let _ = writeln!(out, "上年为 {} 年；变化以上年为基数。", current.year - 1);
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                row.indicator.label.clone(),
                display_value(row.indicator, row.value),
                display_value(row.indicator, row.previous),
                row.change.clone().unwrap_or_else(|| "—".to_owned()),
                row.records.to_string(),
            ]
        })
        .collect();
    let header = ["指标", "本年", "上年", "变化", "记录数"];
    let mut widths = header.map(width);
    for cell in &cells {
        for (column, text) in cell.iter().enumerate() {
            if let Some(w) = widths.get_mut(column) {
                *w = (*w).max(width(text));
            }
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::from("  ");
        for (column, cell) in cells.iter().enumerate() {
            let w = widths.get(column).copied().unwrap_or(0);
            text.push_str(&pad(cell, w + 2));
        }
        text.trim_end().to_owned()
    };
    for area in &catalogue.areas {
        let in_area: Vec<&[String; 5]> = rows
            .iter()
            .zip(&cells)
            .filter(|(row, _)| row.indicator.area == area.id)
            .map(|(_, cell)| cell)
            .collect();
        if in_area.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n【{}】", area.title);
        let _ = writeln!(out, "{}", line(&header.map(str::to_owned)));
        for cell in in_area {
            let _ = writeln!(out, "{}", line(cell));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits_from_2000_to_2100() {
        assert_eq!(parse_year("2025"), Ok(2025));
        assert_eq!(parse_year("2000"), Ok(2000));
        assert_eq!(parse_year("2100"), Ok(2100));
        for bad in [
            "1999",
            "2101",
            "25",
            "02025",
            "２０２５",
            "20a5",
            "",
            "-2025",
            "+202",
        ] {
            let error = parse_year(bad).expect_err(bad);
            assert!(error.contains("四位数年份"), "{error}");
        }
    }

    #[test]
    fn widths_count_chinese_as_two_columns() {
        assert_eq!(width("83件"), 4);
        assert_eq!(pad("件", 4), "件  ");
        assert_eq!(pad("toolong", 3), "toolong");
    }
}
