//! The department submission workbook (填报表): figures no case record gives, which every
//! department of a county government reports once a year (normative documents filed, law-study
//! sessions, legal advisers, mediation cases, certificate exams and the like).
//!
//! The app offers two ways to submit the same figures, and both must accept and refuse exactly the
//! same things, so the rules live in one place:
//!
//! * [`template`] writes an `.xlsx` for one department and year; [`parse`] reads it back after the
//!   department has filled it in, and names the offending cell ("E7") in every error.
//! * [`check_form`] takes the web form's text fields; [`validate`] takes figures that are already
//!   numbers (an API client, a draft saved earlier). Their errors name the item id instead of a
//!   cell.
//!
//! All three end in the same private function (`check_entries`), which applies every rule and
//! collects every error rather than stopping at the first: a department fixing a form wants the
//! whole list at once. Rule ids are stable strings in [`rule`] so the app and tests can match on
//! them while the Chinese messages stay free to improve.
//!
//! # Layout of the template (version [`TEMPLATE_VERSION`])
//!
//! | cell  | content                                                   |
//! |-------|-----------------------------------------------------------|
//! | A1    | title, e.g. "2026年度法治政府建设数据填报表" (merged A1:F1) |
//! | B2    | 辖区 (jurisdiction)                                        |
//! | D2    | 部门 (department name, merged D2:F2)                       |
//! | B3    | 部门代码 (department code, text)                           |
//! | D3    | 年度 (year, number)                                        |
//! | A4    | instructions (merged A4:F4)                                |
//! | row 5 | table header: 指标编号, 指标, 单位, 上年数值, 本年数值, 说明 |
//! | row 6…| one row per item; only columns E (本年数值) and F (说明) are unlocked |
//! | H1    | the version marker, in a hidden column                     |
//!
//! The sheet is protected without a password: protection stops accidental edits of ids and
//! header cells, it is not a security boundary — [`parse`] re-checks everything. No cell holds a
//! formula: calamine reads a formula without a cached result as 0, so every value the parser
//! reads back is a literal.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::str::FromStr;

use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, FormatBorder,
    Workbook, XlsxError,
};
use serde::{Deserialize, Serialize};

/// The marker written to the hidden cell H1. [`parse`] refuses a workbook without it ("not our
/// template") and one with another version of it ("download the template again"), so a change of
/// layout only needs a new version string here.
pub const TEMPLATE_VERSION: &str = "fazhi-submission-v1";

/// Every template version starts with this, which tells "an older or newer template of ours" from
/// "some other workbook".
const MARKER_PREFIX: &str = "fazhi-submission-";

/// The worksheet's name in the template. [`parse`] does not rely on it (a user may rename the
/// tab); it looks for the marker instead.
const SHEET_NAME: &str = "填报表";

/// Uploads larger than this are refused before unzipping: a filled template is a few tens of KiB.
const MAX_BYTES: usize = 5 * 1024 * 1024;

/// Refuses packages whose parts would unzip to more than this in total, so a small upload cannot
/// make calamine inflate gigabytes (it reads the shared strings wholly into memory). A filled
/// template unzips to well under 100 KiB.
const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;

/// Rows beyond the item table that are still read, so stray rows below the table are reported
/// as unknown items; anything further down is ignored (it cannot come from the template, whose
/// protection forbids inserting rows) and keeps the memory a hostile file can claim bounded.
const SLACK_ROWS: u32 = 200;

// Zero-based positions of the fixed cells (rust_xlsxwriter and calamine both count from 0).
const ROW_TITLE: u32 = 0;
const ROW_JURISDICTION: u32 = 1;
const ROW_CODE: u32 = 2;
const ROW_NOTE: u32 = 3;
const ROW_HEADER: u32 = 4;
const ROW_FIRST_ITEM: u32 = 5;
const COL_ID: u16 = 0;
const COL_LABEL: u16 = 1;
const COL_UNIT: u16 = 2;
const COL_PREVIOUS: u16 = 3;
const COL_VALUE: u16 = 4;
const COL_COMMENT: u16 = 5;
const COL_MARKER: u16 = 7;
/// B3 and D3, where [`parse`] reads the department code and year.
const CODE_CELL: (u32, u16) = (ROW_CODE, 1);
const YEAR_CELL: (u32, u16) = (ROW_CODE, 3);
const MARKER_CELL: (u32, u16) = (ROW_TITLE, COL_MARKER);

/// Stable ids of the rules, as found in [`CellError::rule`].
pub mod rule {
    /// The bytes are not a readable `.xlsx` workbook.
    pub const NOT_XLSX: &str = "file.not_xlsx";
    /// The upload exceeds the size limit.
    pub const TOO_LARGE: &str = "file.too_large";
    /// An `.xlsx`, but not a submission template (no marker).
    pub const NOT_TEMPLATE: &str = "file.not_template";
    /// A submission template of another version.
    pub const VERSION: &str = "file.version";
    /// The year cell (D3) differs from the year being collected.
    pub const YEAR: &str = "header.year";
    /// The department code cell (B3) differs from the submitting department's.
    pub const DEPARTMENT: &str = "header.department";
    /// A row's item id is not in this year's list (or is empty while the row has a value).
    pub const UNKNOWN_ITEM: &str = "item.unknown";
    /// An item id appears twice.
    pub const DUPLICATE_ITEM: &str = "item.duplicate";
    /// An item of this year's list has no row.
    pub const MISSING_ITEM: &str = "item.missing";
    /// The value is empty.
    pub const EMPTY: &str = "value.empty";
    /// The value is not a plain number ("约50", "50以上", "TRUE", a date).
    pub const NOT_NUMBER: &str = "value.not_number";
    /// A count is negative or has a fraction.
    pub const COUNT_NOT_WHOLE: &str = "count.not_whole";
    /// An amount is negative.
    pub const AMOUNT_NEGATIVE: &str = "amount.negative";
    /// An amount has more than two decimal places.
    pub const AMOUNT_SCALE: &str = "amount.scale";
    /// A rate is outside 0–100.
    pub const RATE_RANGE: &str = "rate.range";
    /// A count or an amount is above [`MAX_VALUE`](super::MAX_VALUE).
    pub const VALUE_TOO_LARGE: &str = "value.too_large";
    /// A part (e.g. successful mediations) exceeds its whole (mediations).
    pub const PART_EXCEEDS_WHOLE: &str = "part.exceeds_whole";
    /// The value changed by more than half against last year and the 说明 column is empty.
    pub const SWING_NEEDS_COMMENT: &str = "swing.needs_comment";
}

/// What kind of figure an item is; decides the validation rules and the template's data
/// validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A non-negative whole number (documents, sessions, people, cases).
    Count,
    /// A non-negative decimal with at most two places (e.g. 万元).
    Amount,
    /// A percentage from 0 to 100, written as the number of percent ("85" for 85%).
    Rate,
}

/// One figure a department reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id, e.g. "B03"; the template's column A and the form's field name.
    pub id: String,
    /// e.g. "调解案件数".
    pub label: String,
    /// e.g. "件", "人次", "万元", "%".
    pub unit: String,
    /// The validation rules that apply.
    pub kind: ItemKind,
    /// Id of the whole this item is a part of (调解成功数 ⊂ 调解案件数): the value must not exceed
    /// the whole's. An id not in the sheet is ignored.
    pub part_of: Option<String>,
    /// How to count, shown as the cell's input message in the template (Excel keeps 255
    /// characters of it).
    pub help: String,
}

/// What one department submits for one year: the expectation [`parse`] checks a workbook against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// 辖区, e.g. "示范市滨河区".
    pub jurisdiction: String,
    /// The department's code; a workbook bearing another code is refused.
    pub department_code: String,
    /// e.g. "区司法局".
    pub department_name: String,
    /// The year reported on.
    pub year: i32,
    /// The items, in the order of the template's rows.
    pub items: Vec<Item>,
    /// Last year's values by item id, for the swing rule and the template's 上年数值 column.
    pub previous: HashMap<String, Decimal>,
}

impl Sheet {
    /// A small sheet with one item of each kind and a part/whole pair, for documentation, tests
    /// and the `submission_workbook` fuzz target (whose seed files were made from it).
    #[must_use]
    pub fn example() -> Sheet {
        let item =
            |id: &str, label: &str, unit: &str, kind, part_of: Option<&str>, help: &str| Item {
                id: id.into(),
                label: label.into(),
                unit: unit.into(),
                kind,
                part_of: part_of.map(Into::into),
                help: help.into(),
            };
        Sheet {
            jurisdiction: "示范市滨河区".into(),
            department_code: "SFJ".into(),
            department_name: "区司法局".into(),
            year: 2026,
            items: vec![
                item(
                    "A01",
                    "制定行政规范性文件数",
                    "件",
                    ItemKind::Count,
                    None,
                    "本年度以本部门名义制定并公布的行政规范性文件。",
                ),
                item(
                    "A02",
                    "报送备案的行政规范性文件数",
                    "件",
                    ItemKind::Count,
                    Some("A01"),
                    "已按规定报送区政府备案的件数，不应超过制定数。",
                ),
                item(
                    "B01",
                    "领导干部学法次数",
                    "次",
                    ItemKind::Count,
                    None,
                    "党组（党委）理论学习中心组学法、常务会议会前学法等。",
                ),
                item(
                    "B02",
                    "学法参加人次",
                    "人次",
                    ItemKind::Count,
                    None,
                    "各次学法参加人数之和。",
                ),
                item(
                    "C01",
                    "人民调解案件数",
                    "件",
                    ItemKind::Count,
                    None,
                    "本年度受理的人民调解案件。",
                ),
                item(
                    "C02",
                    "调解成功数",
                    "件",
                    ItemKind::Count,
                    Some("C01"),
                    "达成调解协议的件数。",
                ),
                item(
                    "D01",
                    "法律顾问经费",
                    "万元",
                    ItemKind::Amount,
                    None,
                    "本年度实际支出，保留两位小数。",
                ),
                item(
                    "E01",
                    "法律职业资格考试通过率",
                    "%",
                    ItemKind::Rate,
                    None,
                    "填写百分数的数值，如 85 表示 85%。",
                ),
            ],
            previous: [
                ("A01", 12),
                ("A02", 12),
                ("B01", 4),
                ("B02", 160),
                ("C01", 300),
                ("C02", 270),
                ("D01", 20),
                ("E01", 40),
            ]
            .into_iter()
            .map(|(id, v)| (id.to_owned(), Decimal::from(v)))
            .collect(),
        }
    }
}

/// One accepted figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Value {
    /// The item's id.
    pub id: String,
    /// The figure, normalised (no trailing zeros).
    pub value: Decimal,
    /// The 说明 column, trimmed; empty when none was given.
    pub comment: String,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// Where: a cell such as "E7" for [`parse`], an item id for [`check_form`] and [`validate`],
    /// and "" for errors about the file as a whole (not an `.xlsx`, not our template).
    pub cell: String,
    /// A stable id from [`rule`].
    pub rule: &'static str,
    /// For the user, in Chinese, starting with the cell: "E7：参训人数必须是非负整数".
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One field of the web form, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// The item id.
    pub id: String,
    /// The value as typed; parsed like a text cell of the workbook.
    pub value: String,
    /// The 说明 field.
    pub comment: String,
}

/// Why [`template`] failed: only rust_xlsxwriter's own limits (e.g. an absurdly long label).
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// rust_xlsxwriter refused a cell, format or validation.
    #[error("生成填报模板失败：{0}")]
    Xlsx(#[from] XlsxError),
}

// ---------------------------------------------------------------------------------------------
// Writing the template

/// Writes the `.xlsx` template for `sheet`: header block, one row per item with last year's value,
/// the value and comment columns unlocked and everything else locked, data validation on the
/// value column, and the version marker in hidden cell H1.
///
/// # Errors
///
/// Only when rust_xlsxwriter refuses something, which the fixed layout does not provoke.
pub fn template(sheet: &Sheet) -> Result<Vec<u8>, TemplateError> {
    template_filled(sheet, &[])
}

/// [`template`] with the value and comment cells already holding `current` (e.g. the
/// department's last submission, to correct and upload again). Values of ids not in the sheet
/// are ignored.
///
/// # Errors
///
/// As [`template`].
pub fn template_filled(sheet: &Sheet, current: &[Value]) -> Result<Vec<u8>, TemplateError> {
    let mut workbook = Workbook::new();
    let title = format!("{}年度法治政府建设数据填报表", sheet.year);
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title.as_str())
            .set_subject(format!("{} {}", sheet.jurisdiction, sheet.department_name))
            .set_comment(TEMPLATE_VERSION),
    );

    let grey = Color::RGB(0xF2_F2_F2);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let label = Format::new()
        .set_bold()
        .set_background_color(grey)
        .set_border(FormatBorder::Thin);
    let fixed = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let fixed_number = fixed.clone().set_num_format("General");
    let year_format = fixed
        .clone()
        .set_num_format("0")
        .set_align(FormatAlign::Left);
    let note = Format::new()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x59_59_59))
        .set_align(FormatAlign::VerticalCenter);
    let header = label.clone().set_align(FormatAlign::Center).set_text_wrap();
    let fill = Format::new()
        .set_unlocked()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xFF_F9_E0))
        .set_align(FormatAlign::VerticalCenter);
    let fill_text = fill.clone().set_text_wrap();

    let ws = workbook.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    for (col, width) in [
        (0, 11.0),
        (1, 36.0),
        (2, 8.0),
        (3, 12.0),
        (4, 14.0),
        (5, 40.0),
    ] {
        ws.set_column_width(col, width)?;
    }
    ws.set_column_hidden(COL_MARKER)?;
    ws.set_row_height(ROW_TITLE, 30)?;

    ws.merge_range(ROW_TITLE, 0, ROW_TITLE, COL_COMMENT, &title, &title_format)?;
    ws.write_string(MARKER_CELL.0, MARKER_CELL.1, TEMPLATE_VERSION)?;

    ws.write_string_with_format(ROW_JURISDICTION, 0, "辖区", &label)?;
    ws.write_string_with_format(ROW_JURISDICTION, 1, &sheet.jurisdiction, &fixed)?;
    ws.write_string_with_format(ROW_JURISDICTION, 2, "部门", &label)?;
    ws.merge_range(
        ROW_JURISDICTION,
        3,
        ROW_JURISDICTION,
        COL_COMMENT,
        &sheet.department_name,
        &fixed,
    )?;
    ws.write_string_with_format(ROW_CODE, 0, "部门代码", &label)?;
    ws.write_string_with_format(CODE_CELL.0, CODE_CELL.1, &sheet.department_code, &fixed)?;
    ws.write_string_with_format(ROW_CODE, 2, "年度", &label)?;
    ws.write_number_with_format(
        YEAR_CELL.0,
        YEAR_CELL.1,
        f64::from(sheet.year),
        &year_format,
    )?;

    ws.set_row_height(ROW_NOTE, 48)?;
    ws.merge_range(
        ROW_NOTE,
        0,
        ROW_NOTE,
        COL_COMMENT,
        "填报说明：只需填写黄色单元格。“本年数值”填写阿拉伯数字，不加单位和文字（比率填百分数的数值，如 85 表示 85%）；\
         与上年相比增减超过50%的，请在“说明”列注明原因。请勿修改其他单元格，上传时系统将逐项校验。",
        &note,
    )?;

    for (col, text) in ["指标编号", "指标", "单位", "上年数值", "本年数值", "说明"]
        .into_iter()
        .enumerate()
    {
        ws.write_string_with_format(ROW_HEADER, col as u16, text, &header)?;
    }
    ws.set_freeze_panes(ROW_FIRST_ITEM, 0)?;

    for (row, item) in (ROW_FIRST_ITEM..).zip(&sheet.items) {
        ws.write_string_with_format(row, COL_ID, &item.id, &fixed)?;
        ws.write_string_with_format(row, COL_LABEL, &item.label, &fixed)?;
        ws.write_string_with_format(row, COL_UNIT, &item.unit, &fixed)?;
        match sheet.previous.get(&item.id).and_then(ToPrimitive::to_f64) {
            Some(previous) => {
                ws.write_number_with_format(row, COL_PREVIOUS, previous, &fixed_number)?
            }
            None => ws.write_blank(row, COL_PREVIOUS, &fixed)?,
        };
        let filled = current.iter().find(|v| v.id == item.id);
        match filled.and_then(|v| v.value.to_f64()) {
            Some(value) => ws.write_number_with_format(row, COL_VALUE, value, &fill)?,
            None => ws.write_blank(row, COL_VALUE, &fill)?,
        };
        match filled.filter(|v| !v.comment.is_empty()) {
            Some(v) => ws.write_string_with_format(row, COL_COMMENT, &v.comment, &fill_text)?,
            None => ws.write_blank(row, COL_COMMENT, &fill_text)?,
        };
        ws.add_data_validation(row, COL_VALUE, row, COL_VALUE, &validation(item)?)?;
    }
    ws.protect();
    Ok(workbook.save_to_buffer()?)
}

/// Excel's own check on the value cell: it catches most slips while typing, before the upload.
fn validation(item: &Item) -> Result<DataValidation, XlsxError> {
    let (rule, error) = match item.kind {
        ItemKind::Count => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "请填写非负整数，不加单位。",
        ),
        ItemKind::Amount => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "请填写非负数，最多两位小数，不加单位。",
        ),
        ItemKind::Rate => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "请填写0到100之间的数（85 表示 85%）。",
        ),
    };
    let mut rule = rule
        .set_error_title("数值不符合要求")?
        .set_error_message(format!("{}：{error}", truncate_utf16(&item.label, 200)))?;
    if !item.help.trim().is_empty() {
        rule = rule
            .set_input_title(truncate_utf16(&item.label, 32))?
            .set_input_message(truncate_utf16(&item.help, 255))?;
    }
    Ok(rule)
}

/// Excel limits validation titles and messages in UTF-16 code units; cut on a char boundary.
fn truncate_utf16(text: &str, limit: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= limit
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading a workbook

/// A cell's content as the rules see it, whether it came from a workbook or the form.
#[derive(Clone, Debug, PartialEq)]
enum Input {
    /// Nothing, or only whitespace.
    Blank,
    /// A numeric cell, or a figure that is a number already.
    Number(Decimal),
    /// Text to be read with [`parse_number`].
    Text(String),
    /// Something that is no number at all (TRUE, a date, #DIV/0!); the text shows it to the user.
    Other(String),
}

/// One row of figures to check, from whichever source.
#[derive(Clone, Debug)]
struct Entry {
    id: String,
    input: Input,
    comment: String,
    /// The one-based sheet row, or `None` for the form and [`validate`].
    row: Option<u32>,
}

/// The cells of one worksheet that [`parse`] looks at (columns A–H, rows up to the table's end
/// plus [`SLACK_ROWS`]), by zero-based (row, column).
type Cells = HashMap<(u32, u16), Input>;

/// Reads a filled template and checks it against `expected`.
///
/// Returns the values in the order of `expected.items`, or every error found. File-level errors
/// (not an `.xlsx`, not our template, another template version) come alone, since nothing else
/// can be read; otherwise header, row and cross-item errors are all reported together.
///
/// # Errors
///
/// The list of broken rules, each naming its cell (see [`CellError`]).
pub fn parse(bytes: &[u8], expected: &Sheet) -> Result<Vec<Value>, Vec<CellError>> {
    let file_error = |rule, message: &str| {
        vec![CellError {
            cell: String::new(),
            rule,
            message: message.into(),
        }]
    };
    if bytes.len() > MAX_BYTES {
        return Err(file_error(
            rule::TOO_LARGE,
            "文件过大：填报表一般不超过1MB，请上传下载的模板填写后的文件",
        ));
    }
    if !unzipped_size_bounded(bytes) {
        return Err(file_error(
            rule::TOO_LARGE,
            "文件解压后过大，不是正常的填报表，请上传下载的模板填写后的文件",
        ));
    }
    let not_xlsx = || {
        file_error(
            rule::NOT_XLSX,
            "文件不是有效的 Excel 工作簿（.xlsx），请上传下载的模板填写后保存的文件",
        )
    };
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(_) => return Err(not_xlsx()),
    };
    let last_row = ROW_FIRST_ITEM
        .saturating_add(u32::try_from(expected.items.len()).unwrap_or(u32::MAX))
        .saturating_add(SLACK_ROWS);

    let mut other_version = None;
    let mut ours = None;
    for name in workbook.sheet_names() {
        let cells = match read_cells(&mut workbook, &name, last_row) {
            Ok(Some(cells)) => cells,
            Ok(None) => continue,
            Err(()) => return Err(not_xlsx()),
        };
        match cells.get(&MARKER_CELL) {
            Some(Input::Text(marker)) if marker.trim() == TEMPLATE_VERSION => {
                ours = Some(cells);
                break;
            }
            Some(Input::Text(marker)) if marker.trim().starts_with(MARKER_PREFIX) => {
                other_version = Some(marker.trim().to_owned());
            }
            _ => {}
        }
    }
    let Some(cells) = ours else {
        return Err(match other_version {
            Some(version) => file_error(
                rule::VERSION,
                &format!(
                    "模板版本为“{version}”，当前版本为“{TEMPLATE_VERSION}”，请重新下载模板填写"
                ),
            ),
            None => file_error(
                rule::NOT_TEMPLATE,
                "这不是本系统的填报模板，请先下载本年度填报模板，在其中填写后上传",
            ),
        });
    };

    let mut errors = check_header(&cells, expected);
    let mut entries = Vec::new();
    for row in ROW_FIRST_ITEM..=last_row {
        let take = |col| cells.get(&(row, col)).cloned().unwrap_or(Input::Blank);
        let (id, input, comment) = (take(COL_ID), take(COL_VALUE), take(COL_COMMENT));
        if id == Input::Blank && input == Input::Blank && comment == Input::Blank {
            continue;
        }
        entries.push(Entry {
            id: text_of(&id),
            input,
            comment: text_of(&comment),
            row: Some(row + 1),
        });
    }
    match check_entries(&entries, expected, Mode::Workbook) {
        Ok(values) if errors.is_empty() => Ok(values),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Whether the sizes the package declares for its parts stay within [`MAX_UNZIPPED`].
///
/// The zip reader under calamine stops every part at its declared uncompressed size, so bounding
/// the declared sizes bounds the inflated bytes. Every central-directory record signature anywhere
/// in the bytes is counted, not only those of the directory a zip reader would pick: which one
/// that is depends on the reader's search, and over-counting can only refuse a file whose
/// compressed data happens to contain the 4-byte signature followed by absurd sizes. ZIP64 sizes
/// (a 32-bit field of all ones) are refused outright; no template needs them.
fn unzipped_size_bounded(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"PK\x01\x02";
    let mut total: u64 = 0;
    for record in bytes.windows(28).filter(|w| w.starts_with(SIGNATURE)) {
        let field = |offset: usize| {
            let mut le = [0; 4];
            le.copy_from_slice(&record[offset..offset + 4]);
            u32::from_le_bytes(le)
        };
        let (compressed, uncompressed) = (field(20), field(24));
        if compressed == u32::MAX || uncompressed == u32::MAX {
            return false;
        }
        total = total.saturating_add(u64::from(uncompressed));
        if total > MAX_UNZIPPED {
            return false;
        }
    }
    true
}

/// Streams one worksheet's cells, keeping those [`parse`] looks at.
///
/// `Ok(None)` when the sheet cannot be ours: its first cell lies below row 1, so H1 is empty (rows
/// come in order, which lets an unrelated sheet be skipped after one cell). Streaming instead of
/// `worksheet_range` matters: a range is allocated for the bounding box of all cells, so a file
/// with cells in A1 and XFD1048576 would claim gigabytes.
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    last_row: u32,
) -> Result<Option<Cells>, ()> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(|_| ())?;
    let mut cells = Cells::new();
    while let Some(cell) = reader.next_cell().map_err(|_| ())? {
        let (row, col) = cell.get_position();
        if row > ROW_TITLE && !cells.contains_key(&MARKER_CELL) {
            return Ok(None);
        }
        if row > last_row {
            break;
        }
        let Ok(col) = u16::try_from(col) else {
            continue;
        };
        if col > COL_MARKER {
            continue;
        }
        let input = input_of(cell.get_value());
        if input != Input::Blank {
            cells.insert((row, col), input);
        }
    }
    Ok(if cells.contains_key(&MARKER_CELL) {
        Some(cells)
    } else {
        None
    })
}

/// What a cell holds, for the rules. Numbers go through their shortest decimal rendering, so a
/// typed 0.1 is 0.1 and not 0.1000000000000000055…
fn input_of(data: &DataRef<'_>) -> Input {
    match data {
        DataRef::Empty => Input::Blank,
        DataRef::Int(i) => Input::Number(Decimal::from(*i)),
        DataRef::Float(f) => match decimal_of_f64(*f) {
            Some(d) => Input::Number(d),
            None => Input::Other(f.to_string()),
        },
        DataRef::String(s) => text_input(s),
        DataRef::SharedString(s) => text_input(s),
        DataRef::Bool(b) => Input::Other(if *b { "TRUE" } else { "FALSE" }.into()),
        DataRef::DateTime(dt) => Input::Other(format!("日期 {}", dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Input::Other(s.clone()),
        DataRef::Error(e) => Input::Other(e.to_string()),
    }
}

fn text_input(s: &str) -> Input {
    if is_blank(s) {
        Input::Blank
    } else {
        Input::Text(s.to_owned())
    }
}

fn decimal_of_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_str(&f.to_string()).ok()
}

/// The text of an id or comment cell; a number typed into the 说明 column is kept as written.
fn text_of(input: &Input) -> String {
    match input {
        Input::Blank => String::new(),
        Input::Number(d) => d.normalize().to_string(),
        Input::Text(s) | Input::Other(s) => trim(s).to_owned(),
    }
}

/// Department code (B3) and year (D3). Both cells are locked in the template, so a mismatch
/// means another department's or year's template was used.
fn check_header(cells: &Cells, expected: &Sheet) -> Vec<CellError> {
    let mut errors = Vec::new();
    let code = cells.get(&CODE_CELL).map(text_of).unwrap_or_default();
    if code != expected.department_code.trim() {
        let cell = cell_name(CODE_CELL.0, CODE_CELL.1);
        errors.push(CellError {
            message: format!(
                "{cell}：部门代码为“{code}”，与本部门（{}，代码{}）不符，请下载本部门的模板填写",
                expected.department_name, expected.department_code
            ),
            cell,
            rule: rule::DEPARTMENT,
        });
    }
    let year = match cells.get(&YEAR_CELL) {
        Some(Input::Number(d)) => Some(*d),
        Some(Input::Text(s)) => parse_number(trim(s).trim_end_matches('年')),
        _ => None,
    };
    if year != Some(Decimal::from(expected.year)) {
        let cell = cell_name(YEAR_CELL.0, YEAR_CELL.1);
        let shown = cells.get(&YEAR_CELL).map(text_of).unwrap_or_default();
        errors.push(CellError {
            message: format!(
                "{cell}：年度为“{shown}”，本次填报的是{}年度，请下载{}年度的模板填写",
                expected.year, expected.year
            ),
            cell,
            rule: rule::YEAR,
        });
    }
    errors
}

/// "E7" from zero-based (6, 4).
fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

// ---------------------------------------------------------------------------------------------
// The shared rules

/// Checks the web form's fields with the same rules as [`parse`]; errors name the item id.
///
/// # Errors
///
/// Every broken rule; `cell` is the item id (for a missing item, the id of the missing item).
pub fn check_form(fields: &[FormField], expected: &Sheet) -> Result<Vec<Value>, Vec<CellError>> {
    let entries: Vec<Entry> = fields
        .iter()
        .map(|f| Entry {
            id: trim(&f.id).to_owned(),
            input: text_input(&f.value),
            comment: trim(&f.comment).to_owned(),
            row: None,
        })
        .collect();
    check_entries(&entries, expected, Mode::Form)
}

/// Checks figures that are numbers already with the same rules as [`parse`] and [`check_form`];
/// errors name the item id. Empty means valid.
#[must_use]
pub fn validate(values: &[Value], expected: &Sheet) -> Vec<CellError> {
    let entries: Vec<Entry> = values
        .iter()
        .map(|v| Entry {
            id: trim(&v.id).to_owned(),
            input: Input::Number(v.value),
            comment: trim(&v.comment).to_owned(),
            row: None,
        })
        .collect();
    check_entries(&entries, expected, Mode::Form)
        .err()
        .unwrap_or_default()
}

/// Where the entries came from, which only decides how cells are named.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Workbook,
    Form,
}

/// The columns an error can point at.
#[derive(Clone, Copy)]
enum Col {
    Id,
    Value,
    Comment,
}

/// The name of a cell of an entry: "E7" in a workbook, the item id on the form.
fn place(row: Option<u32>, col: Col, id: &str) -> String {
    match row {
        Some(row) => {
            let col = match col {
                Col::Id => COL_ID,
                Col::Value => COL_VALUE,
                Col::Comment => COL_COMMENT,
            };
            cell_name(row.saturating_sub(1), col)
        }
        None => id.to_owned(),
    }
}

/// Every rule after the cells have been read: ids, each value on its own, then parts against
/// wholes and the year-on-year swing. Cross-item rules only look at values that passed on their
/// own, so one mistake is reported once.
fn check_entries(
    entries: &[Entry],
    expected: &Sheet,
    mode: Mode,
) -> Result<Vec<Value>, Vec<CellError>> {
    let items = &expected.items;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        index.entry(item.id.as_str()).or_insert(i);
    }
    let mut errors = Vec::new();
    let mut push = |cell: String, rule: &'static str, text: String| {
        errors.push(CellError {
            message: format!("{cell}：{text}"),
            cell,
            rule,
        });
    };
    // For each item: the entry that gave it, and its value if that passed the per-value rules.
    let mut seen: Vec<Option<&Entry>> = vec![None; items.len()];
    let mut values: Vec<Option<Decimal>> = vec![None; items.len()];

    for entry in entries {
        let Some(&i) = index.get(entry.id.as_str()) else {
            let text = if entry.id.is_empty() {
                "指标编号为空，但本行填写了内容；请只在模板已列出的指标行填写".to_owned()
            } else {
                format!(
                    "指标编号“{}”不在本年度的指标中，请使用本年度下载的模板",
                    entry.id
                )
            };
            push(
                place(entry.row, Col::Id, &entry.id),
                rule::UNKNOWN_ITEM,
                text,
            );
            continue;
        };
        if let Some(first) = seen[i] {
            let earlier = match first.row {
                Some(row) => format!("（第{row}行已填写）"),
                None => String::new(),
            };
            push(
                place(entry.row, Col::Id, &entry.id),
                rule::DUPLICATE_ITEM,
                format!("指标编号“{}”重复{earlier}", entry.id),
            );
            continue;
        }
        seen[i] = Some(entry);
        let item = &items[i];
        match value_of(&entry.input, item) {
            Ok(value) => values[i] = Some(value),
            Err((rule, text)) => push(place(entry.row, Col::Value, &item.id), rule, text),
        }
    }

    for (i, item) in items.iter().enumerate() {
        if seen[i].is_none() {
            let cell = match mode {
                Mode::Workbook => {
                    let row = ROW_FIRST_ITEM.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    cell_name(row, COL_ID)
                }
                Mode::Form => item.id.clone(),
            };
            push(
                cell,
                rule::MISSING_ITEM,
                format!(
                    "缺少指标“{}”（{}），请使用本年度下载的模板，不要删除或改动指标行",
                    item.id, item.label
                ),
            );
        }
    }

    for (i, item) in items.iter().enumerate() {
        let (Some(entry), Some(value)) = (seen[i], values[i]) else {
            continue;
        };
        if let Some(w) = item.part_of.as_deref().and_then(|w| index.get(w)).copied()
            && let (Some(whole), Some(whole_entry)) = (values[w], seen[w])
            && value > whole
        {
            let whole_item = &items[w];
            let whole_cell = place(whole_entry.row, Col::Value, &whole_item.id);
            push(
                place(entry.row, Col::Value, &item.id),
                rule::PART_EXCEEDS_WHOLE,
                format!(
                    "{}（{}{}）不能大于{whole_cell}“{}”（{}{}）",
                    item.label,
                    value.normalize(),
                    item.unit,
                    whole_item.label,
                    whole.normalize(),
                    whole_item.unit
                ),
            );
        }
        if let Some(&previous) = expected.previous.get(&item.id)
            && swings(item.kind, previous, value)
            && entry.comment.is_empty()
        {
            let change = if previous.is_zero() {
                "上年为0".to_owned()
            } else {
                let pct = ((value - previous) / previous.abs() * Decimal::ONE_HUNDRED).round_dp(1);
                if pct.is_sign_negative() {
                    format!("下降{}%", pct.abs().normalize())
                } else {
                    format!("增长{}%", pct.normalize())
                }
            };
            push(
                place(entry.row, Col::Comment, &item.id),
                rule::SWING_NEEDS_COMMENT,
                format!(
                    "{}本年{}{}，上年{}{}，{change}，增减超过50%，请在“说明”列注明原因",
                    item.label,
                    value.normalize(),
                    item.unit,
                    previous.normalize(),
                    item.unit
                ),
            );
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(items
        .iter()
        .zip(seen.iter().zip(&values))
        .filter_map(|(item, (entry, value))| {
            Some(Value {
                id: item.id.clone(),
                value: (*value)?.normalize(),
                comment: (*entry)?.comment.clone(),
            })
        })
        .collect())
}

/// Whether a change from last year needs an explanation: more than half up or down (any change
/// from zero), and for counts also at least 10, so 2 → 4 sessions passes without a comment.
fn swings(kind: ItemKind, previous: Decimal, value: Decimal) -> bool {
    let change = (value - previous).abs();
    let beyond = if previous.is_zero() {
        !value.is_zero()
    } else {
        change * Decimal::TWO > previous.abs()
    };
    beyond && (kind != ItemKind::Count || change >= Decimal::TEN)
}

/// The largest count or amount a department may submit: 10¹² — a count of a trillion or an
/// amount of a trillion (in the item's unit) is never a real yearly figure of one department,
/// and the bound keeps every sum of submissions far inside what the report's arithmetic holds.
pub const MAX_VALUE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// One value against the rules of its kind.
fn value_of(input: &Input, item: &Item) -> Result<Decimal, (&'static str, String)> {
    let not_number = |shown: &str| {
        (
            rule::NOT_NUMBER,
            format!(
                "{}填写的“{shown}”不是数字，请只填写阿拉伯数字（如 1234 或 1,234），不加单位和文字",
                item.label
            ),
        )
    };
    let value = match input {
        Input::Blank => return Err((rule::EMPTY, format!("本年数值未填写（{}）", item.label))),
        Input::Number(d) => *d,
        Input::Other(shown) => return Err(not_number(shown)),
        Input::Text(text) => {
            let text = trim(text);
            let number = match item.kind {
                // "85%" in a rate cell means 85, the unit the template asks for.
                ItemKind::Rate => parse_number(text.trim_end_matches(['%', '％'])),
                ItemKind::Count | ItemKind::Amount => parse_number(text),
            };
            number.ok_or_else(|| not_number(text))?
        }
    };
    let shown = value.normalize();
    match item.kind {
        ItemKind::Count if value < Decimal::ZERO || !value.fract().is_zero() => Err((
            rule::COUNT_NOT_WHOLE,
            format!("{}必须是非负整数（填写的是{shown}）", item.label),
        )),
        ItemKind::Amount if value < Decimal::ZERO => Err((
            rule::AMOUNT_NEGATIVE,
            format!("{}不能为负数（填写的是{shown}）", item.label),
        )),
        ItemKind::Amount if shown.scale() > 2 => Err((
            rule::AMOUNT_SCALE,
            format!("{}最多保留两位小数（填写的是{shown}）", item.label),
        )),
        ItemKind::Rate if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED => Err((
            rule::RATE_RANGE,
            format!(
                "{}应在0到100之间（单位为%，85 表示 85%；填写的是{shown}）",
                item.label
            ),
        )),
        ItemKind::Count | ItemKind::Amount if value > MAX_VALUE => Err((
            rule::VALUE_TOO_LARGE,
            format!(
                "{}超出可填报的上限（不超过 1,000,000,000,000；填写的是{shown}），请核对是否多填了位数",
                item.label
            ),
        )),
        _ => Ok(value),
    }
}

/// Reads a figure typed as text the way a clerk would mean it: surrounding spaces (also
/// full-width and non-breaking) ignored, full-width digits, point, comma and minus accepted,
/// commas only as thousands separators ("1,234,567"). Anything else — "约50", "50以上", "1e3",
/// "1_000", "1,23" — is `None`, because guessing would put a figure into the report nobody wrote.
#[must_use]
pub fn parse_number(text: &str) -> Option<Decimal> {
    let normal: String = trim(text)
        .chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '．' => '.',
            '，' => ',',
            '－' | '−' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect();
    let unsigned = normal.strip_prefix(['-', '+']).unwrap_or(&normal);
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let int_ok = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g))
    } else {
        digits(int)
    };
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && digits(f));
    if !int_ok || !frac_ok || (int.is_empty() && frac.is_none()) {
        return None;
    }
    Decimal::from_str(&normal.replace(',', "")).ok()
}

/// Whitespace as Excel users produce it: ASCII, full-width (U+3000) and non-breaking spaces.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{feff}')
}

fn is_blank(s: &str) -> bool {
    trim(s).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_as_clerks_type_them() {
        for (text, want) in [
            ("1234", "1234"),
            ("1,234", "1234"),
            (" 56 ", "56"),
            ("\u{3000}56\u{a0}", "56"),
            ("１２", "12"),
            ("１，２３４．５", "1234.5"),
            ("12.50", "12.5"),
            (".5", "0.5"),
            ("-3", "-3"),
            ("－3", "-3"),
            ("1,234,567.89", "1234567.89"),
        ] {
            assert_eq!(
                parse_number(text).map(|v| v.normalize()),
                Some(d(want)),
                "{text}"
            );
        }
        for text in [
            "约50", "50以上", "50人", "", " ", "1e3", "1_000", "1,23", ",123", "1,2345", "12.",
            "1.2.3", "--1", "NaN", "+", ".",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn counts_and_amounts_are_bounded() {
        assert_eq!(MAX_VALUE, d("1000000000000"));
        let item = |kind| Item {
            id: "B01".into(),
            label: "调解案件数".into(),
            unit: "件".into(),
            kind,
            part_of: None,
            help: String::new(),
        };
        for kind in [ItemKind::Count, ItemKind::Amount] {
            let at_bound = Input::Text("1000000000000".into());
            assert_eq!(value_of(&at_bound, &item(kind)), Ok(MAX_VALUE));
            for text in ["1000000000001", "12345678901234567890", "92233720368547758"] {
                let (rule, message) = value_of(&Input::Text(text.into()), &item(kind)).unwrap_err();
                assert_eq!(rule, rule::VALUE_TOO_LARGE, "{text}");
                assert!(message.contains("超出可填报的上限"), "{message}");
            }
        }
        let fine = Input::Text("92233720368547758.07".into());
        assert_eq!(
            value_of(&fine, &item(ItemKind::Amount)).unwrap_err().0,
            rule::VALUE_TOO_LARGE
        );
        // A number beyond what a decimal holds at all is refused as not a number, not a panic.
        let huge = Input::Text("1".repeat(40));
        assert_eq!(
            value_of(&huge, &item(ItemKind::Count)).unwrap_err().0,
            rule::NOT_NUMBER
        );
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 4), "E7");
        assert_eq!(cell_name(2, 25), "Z3");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn swing_spares_small_counts_but_not_rates() {
        assert!(!swings(ItemKind::Count, d("4"), d("8")));
        assert!(swings(ItemKind::Count, d("20"), d("31")));
        assert!(
            !swings(ItemKind::Count, d("20"), d("30")),
            "exactly +50% is not beyond"
        );
        assert!(!swings(ItemKind::Count, d("0"), d("9")));
        assert!(swings(ItemKind::Count, d("0"), d("10")));
        assert!(swings(ItemKind::Rate, d("40"), d("61")));
        assert!(!swings(ItemKind::Rate, d("40"), d("60")));
        assert!(swings(ItemKind::Amount, d("0"), d("0.5")));
        assert!(!swings(ItemKind::Amount, d("0"), d("0")));
    }

    #[test]
    fn utf16_truncation_keeps_whole_chars() {
        assert_eq!(truncate_utf16("调解案件数", 3), "调解案");
        assert_eq!(truncate_utf16("a😀b", 2), "a");
        assert_eq!(truncate_utf16("abc", 255), "abc");
    }

    fn good_values(sheet: &Sheet) -> Vec<Value> {
        sheet
            .items
            .iter()
            .map(|item| Value {
                id: item.id.clone(),
                value: sheet.previous[&item.id],
                comment: String::new(),
            })
            .collect()
    }

    #[test]
    fn validate_accepts_last_years_figures() {
        let sheet = Sheet::example();
        assert_eq!(validate(&good_values(&sheet), &sheet), vec![]);
    }

    #[test]
    fn form_and_validate_name_the_item() {
        let sheet = Sheet::example();
        let mut values = good_values(&sheet);
        values[5].value = d("301"); // C02 > C01
        values[0].value = d("1.5");
        let errors = validate(&values, &sheet);
        let got: Vec<_> = errors.iter().map(|e| (e.cell.as_str(), e.rule)).collect();
        assert_eq!(
            got,
            vec![
                ("A01", rule::COUNT_NOT_WHOLE),
                ("C02", rule::PART_EXCEEDS_WHOLE)
            ]
        );
        assert!(errors[1].message.contains("C01"), "{}", errors[1].message);

        let mut fields: Vec<FormField> = values
            .iter()
            .map(|v| FormField {
                id: v.id.clone(),
                value: v.value.to_string(),
                comment: String::new(),
            })
            .collect();
        fields[0].value = "约50".into();
        fields[7].value = "85%".into(); // E01: 40 → 85 needs a comment
        fields.remove(3);
        let errors = check_form(&fields, &sheet).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.cell.as_str(), e.rule)).collect();
        assert_eq!(
            got,
            vec![
                ("A01", rule::NOT_NUMBER),
                ("B02", rule::MISSING_ITEM),
                ("C02", rule::PART_EXCEEDS_WHOLE),
                ("E01", rule::SWING_NEEDS_COMMENT),
            ]
        );
        fields[6].comment = "考生增加".into();
        fields[0].value = "１２".into();
        fields[4].value = "270".into();
        assert!(
            check_form(&fields, &sheet)
                .unwrap_err()
                .iter()
                .all(|e| e.rule == rule::MISSING_ITEM)
        );
    }
}
