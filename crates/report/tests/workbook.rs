//! The department submission workbook end to end: the template as written, filled the way a
//! spreadsheet program saves it, read back; every rule with a failing example naming its cell;
//! foreign files refused; mutated bytes never panic the parser.
//!
//! "Filling" re-creates the workbook from the template's cells with rust_xlsxwriter (it cannot
//! edit a file in place), which is also what Excel or WPS do on save: same sheet, same cells, new
//! package.

use std::collections::HashMap;
use std::io::Cursor;
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx};
use fazhi_report::workbook::{
    self, CellError, FormField, ItemKind, Sheet, TEMPLATE_VERSION, Value, check_form, parse,
    template, validate,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

/// A cell's new content.
#[derive(Clone, Debug)]
enum Put {
    Num(f64),
    Text(&'static str),
    Blank,
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// "E7" → zero-based (6, 4).
fn position(cell: &str) -> (u32, u16) {
    let split = cell.find(|c: char| c.is_ascii_digit()).unwrap();
    let (letters, digits) = cell.split_at(split);
    let col = letters
        .bytes()
        .fold(0u16, |n, b| n * 26 + u16::from(b - b'A' + 1))
        - 1;
    (digits.parse::<u32>().unwrap() - 1, col)
}

/// A worksheet's non-empty cells by zero-based (row, column).
type Cells = HashMap<(u32, u16), Data>;

/// Every cell of every sheet of `bytes`, by sheet name, in sheet order.
fn cells(bytes: &[u8]) -> Vec<(String, Cells)> {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .cells()
            .filter(|(_, _, data)| **data != Data::Empty)
            .map(|(r, c, data)| ((r0 + r as u32, (c0 + c as u32) as u16), data.clone()))
            .collect();
        sheets.push((name, cells));
    }
    sheets
}

/// The template with `edits` applied to its first sheet, saved anew.
fn edit(template: &[u8], edits: &[(&str, Put)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (index, (name, mut cells)) in cells(template).into_iter().enumerate() {
        if index == 0 {
            for (cell, put) in edits {
                let at = position(cell);
                match put {
                    Put::Num(n) => cells.insert(at, Data::Float(*n)),
                    Put::Text(t) => cells.insert(at, Data::String((*t).to_owned())),
                    Put::Blank => cells.remove(&at),
                };
            }
        }
        let ws = book.add_worksheet();
        ws.set_name(&name).unwrap();
        for ((row, col), data) in cells {
            match data {
                Data::Float(n) => ws.write_number(row, col, n).unwrap(),
                Data::Int(n) => ws.write_number(row, col, n as f64).unwrap(),
                Data::String(s) => ws.write_string(row, col, s).unwrap(),
                Data::Bool(b) => ws.write_boolean(row, col, b).unwrap(),
                other => panic!("unexpected cell {other:?}"),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

/// The example sheet's template, row of item `i` (zero-based) is `i + 6`.
fn row(i: usize) -> usize {
    i + 6
}

/// A valid filling of the example sheet: last year's figures with small changes, a mix of
/// numeric and text cells.
fn good_edits() -> Vec<(String, Put)> {
    [
        Put::Num(14.0),      // A01 制定行政规范性文件数 (last year 12)
        Put::Text(" 13 "),   // A02 报送备案数, part of A01 (12)
        Put::Text("５"),     // B01 学法次数 (4)
        Put::Text("１７０"), // B02 学法人次 (160)
        Put::Num(320.0),     // C01 调解案件数 (300)
        Put::Text("290"),    // C02 调解成功数, part of C01 (270)
        Put::Num(21.35),     // D01 法律顾问经费 (20)
        Put::Text("45.5"),   // E01 通过率 (40)
    ]
    .into_iter()
    .enumerate()
    .map(|(i, p)| (format!("E{}", row(i)), p))
    .collect()
}

fn fill(sheet: &Sheet, edits: &[(String, Put)]) -> Vec<u8> {
    let template = template(sheet).unwrap();
    let edits: Vec<(&str, Put)> = edits.iter().map(|(c, p)| (c.as_str(), p.clone())).collect();
    edit(&template, &edits)
}

/// `good_edits` with some cells changed.
fn with(changes: &[(&str, Put)]) -> Vec<(String, Put)> {
    let mut edits = good_edits();
    for (cell, put) in changes {
        match edits.iter_mut().find(|(c, _)| c == cell) {
            Some(slot) => slot.1 = put.clone(),
            None => edits.push(((*cell).to_owned(), put.clone())),
        }
    }
    edits
}

fn refused(bytes: &[u8], sheet: &Sheet) -> Vec<CellError> {
    match parse(bytes, sheet) {
        Ok(values) => panic!("expected errors, got {values:?}"),
        Err(errors) => errors,
    }
}

fn cells_and_rules(errors: &[CellError]) -> Vec<(&str, &str)> {
    errors.iter().map(|e| (e.cell.as_str(), e.rule)).collect()
}

/// Asserts exactly one error, at `cell` for `rule`, whose message starts with the cell.
fn assert_one(bytes: &[u8], sheet: &Sheet, cell: &str, rule: &str) -> CellError {
    let errors = refused(bytes, sheet);
    assert_eq!(cells_and_rules(&errors), vec![(cell, rule)], "{errors:#?}");
    let error = errors.into_iter().next().unwrap();
    assert!(
        error.message.starts_with(&format!("{cell}：")),
        "{}",
        error.message
    );
    error
}

#[test]
fn template_layout() {
    let sheet = Sheet::example();
    let bytes = template(&sheet).unwrap();
    let sheets = cells(&bytes);
    assert_eq!(sheets.len(), 1);
    let (name, cells) = &sheets[0];
    assert_eq!(name, "填报表");
    let text = |cell: &str| match cells.get(&position(cell)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(text("A1"), "2026年度法治政府建设数据填报表");
    assert_eq!(text("H1"), TEMPLATE_VERSION);
    assert_eq!(
        [text("A2"), text("B2"), text("C2"), text("D2")],
        ["辖区", "示范市滨河区", "部门", "区司法局"].map(String::from)
    );
    assert_eq!(
        [text("A3"), text("B3"), text("C3"), text("D3")],
        ["部门代码", "SFJ", "年度", "2026"].map(String::from)
    );
    assert_eq!(
        ["A5", "B5", "C5", "D5", "E5", "F5"].map(text),
        ["指标编号", "指标", "单位", "上年数值", "本年数值", "说明"].map(String::from)
    );
    for (i, item) in sheet.items.iter().enumerate() {
        let r = row(i);
        assert_eq!(text(&format!("A{r}")), item.id);
        assert_eq!(text(&format!("B{r}")), item.label);
        assert_eq!(text(&format!("C{r}")), item.unit);
        assert_eq!(text(&format!("D{r}")), sheet.previous[&item.id].to_string());
        assert!(
            !cells.contains_key(&position(&format!("E{r}"))),
            "value cells start empty"
        );
    }
    assert!(
        !cells.contains_key(&(row(sheet.items.len()) as u32 - 1, 0)),
        "nothing below the table"
    );

    // Only the value and comment columns of the item rows are unlocked.
    let mut book = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
    let styles = book.worksheet_style("填报表").unwrap();
    let locked = |cell: &str| {
        let (r, c) = position(cell);
        styles
            .get((r, u32::from(c)))
            .and_then(|s| s.protection.as_ref())
            .is_none_or(|p| p.locked)
    };
    for cell in ["A6", "B6", "D6", "B3", "D3", "A13"] {
        assert!(locked(cell), "{cell} should be locked");
    }
    for cell in ["E6", "F6", "E13", "F13"] {
        assert!(!locked(cell), "{cell} should be unlocked");
    }
}

/// The sheet XML of the template: protection, data validation and the hidden marker column are
/// not visible through calamine.
#[test]
fn template_protection_validation_and_hidden_marker() {
    use std::io::Read;
    let bytes = template(&Sheet::example()).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("<sheetProtection"), "sheet protected");
    assert!(
        !xml.contains("password="),
        "no password: protection guides, parse() guards"
    );
    // Counts: whole ≥ 0 on E6 (A01); amounts: decimal ≥ 0 on E12; rates: decimal 0–100 on E13.
    let validation = |cell: &str| {
        let at = xml
            .find(&format!("sqref=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell} has no validation"));
        let start = xml[..at].rfind("<dataValidation ").unwrap();
        let end = at + xml[at..].find("</dataValidation>").unwrap();
        xml[start..end].to_owned()
    };
    let e6 = validation("E6");
    assert!(
        e6.contains(r#"type="whole""#) && e6.contains(r#"operator="greaterThanOrEqual""#),
        "{e6}"
    );
    assert!(e6.contains("<formula1>0</formula1>"), "{e6}");
    let e12 = validation("E12");
    assert!(
        e12.contains(r#"type="decimal""#) && e12.contains(r#"operator="greaterThanOrEqual""#),
        "{e12}"
    );
    let e13 = validation("E13");
    assert!(
        e13.contains(r#"type="decimal""#) && !e13.contains("operator="),
        "between is the default: {e13}"
    );
    assert!(
        e13.contains("<formula1>0</formula1>") && e13.contains("<formula2>100</formula2>"),
        "{e13}"
    );
    // Column H (the 8th) is hidden.
    assert!(
        xml.contains(r#"<col min="8" max="8""#) && xml.contains(r#"hidden="1""#),
        "{xml}"
    );
    // No formulas anywhere: calamine would read them as 0.
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "no formulas");
}

#[test]
fn round_trip() {
    let sheet = Sheet::example();
    let mut edits = good_edits();
    edits.push(("F6".into(), Put::Text("  新增两件  ")));
    let values = parse(&fill(&sheet, &edits), &sheet).unwrap();
    let want = [
        ("A01", "14", "新增两件"),
        ("A02", "13", ""),
        ("B01", "5", ""),
        ("B02", "170", ""),
        ("C01", "320", ""),
        ("C02", "290", ""),
        ("D01", "21.35", ""),
        ("E01", "45.5", ""),
    ]
    .map(|(id, v, c)| Value {
        id: id.into(),
        value: d(v),
        comment: c.into(),
    });
    assert_eq!(values, want);
    // The figures the workbook gave pass the decimal-level rules too: same rules on both paths.
    assert_eq!(validate(&values, &sheet), vec![]);
    let fields: Vec<FormField> = values
        .iter()
        .map(|v| FormField {
            id: v.id.clone(),
            value: v.value.to_string(),
            comment: v.comment.clone(),
        })
        .collect();
    assert_eq!(check_form(&fields, &sheet).unwrap(), values);
}

#[test]
fn the_template_itself_reads_back_as_all_empty() {
    let sheet = Sheet::example();
    let errors = refused(&template(&sheet).unwrap(), &sheet);
    let want: Vec<(String, &str)> = (0..sheet.items.len())
        .map(|i| (format!("E{}", row(i)), workbook::rule::EMPTY))
        .collect();
    let got: Vec<(String, &str)> = errors.iter().map(|e| (e.cell.clone(), e.rule)).collect();
    assert_eq!(got, want);
    assert!(
        errors[0].message.starts_with("E6：本年数值未填写"),
        "{}",
        errors[0].message
    );
}

#[test]
fn foreign_files_are_refused_clearly() {
    use workbook::rule;
    let sheet = Sheet::example();
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for bytes in [
        &random[..],
        b"",
        b"PK\x03\x04 not really a zip",
        "姓名,人数\n张三,5\n".as_bytes(),
    ] {
        let errors = refused(bytes, &sheet);
        assert_eq!(cells_and_rules(&errors), vec![("", rule::NOT_XLSX)]);
        assert!(errors[0].message.contains(".xlsx"), "{}", errors[0].message);
    }

    // An unrelated workbook, even one that looks like a table of figures.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "指标编号").unwrap();
    ws.write_string(5, 0, "A01").unwrap();
    ws.write_number(5, 4, 12).unwrap();
    book.add_worksheet().write_string(3, 3, "x").unwrap();
    let errors = refused(&book.save_to_buffer().unwrap(), &sheet);
    assert_eq!(cells_and_rules(&errors), vec![("", rule::NOT_TEMPLATE)]);
    assert!(errors[0].message.contains("模板"), "{}", errors[0].message);

    // An empty workbook.
    let mut book = Workbook::new();
    book.add_worksheet();
    assert_eq!(
        cells_and_rules(&refused(&book.save_to_buffer().unwrap(), &sheet)),
        vec![("", rule::NOT_TEMPLATE)]
    );
}

#[test]
fn oversized_uploads_are_refused_before_unzipping() {
    use workbook::rule;
    let sheet = Sheet::example();
    let huge = vec![b'x'; 6 * 1024 * 1024];
    assert_eq!(
        cells_and_rules(&refused(&huge, &sheet)),
        vec![("", rule::TOO_LARGE)]
    );

    // A package declaring a part of 1.75 GiB (a zip bomb's shape) is refused unread.
    let mut bomb = fill(&sheet, &good_edits());
    let at = bomb.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bomb[at + 24..at + 28].copy_from_slice(&0x7000_0000u32.to_le_bytes());
    assert_eq!(
        cells_and_rules(&refused(&bomb, &sheet)),
        vec![("", rule::TOO_LARGE)]
    );
    // ZIP64 sizes too.
    bomb[at + 24..at + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        cells_and_rules(&refused(&bomb, &sheet)),
        vec![("", rule::TOO_LARGE)]
    );
}

#[test]
fn another_template_version() {
    let sheet = Sheet::example();
    let bytes = fill(&sheet, &with(&[("H1", Put::Text("fazhi-submission-v0"))]));
    let errors = refused(&bytes, &sheet);
    assert_eq!(
        cells_and_rules(&errors),
        vec![("", workbook::rule::VERSION)]
    );
    assert!(
        errors[0].message.contains("重新下载"),
        "{}",
        errors[0].message
    );

    let bytes = fill(&sheet, &with(&[("H1", Put::Text("something else"))]));
    assert_eq!(
        cells_and_rules(&refused(&bytes, &sheet)),
        vec![("", workbook::rule::NOT_TEMPLATE)]
    );
}

#[test]
fn a_renamed_tab_is_still_read() {
    let sheet = Sheet::example();
    let filled = fill(&sheet, &good_edits());
    // Rebuild with a renamed sheet and a foreign sheet in front.
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "随便写的")
        .unwrap();
    let ws = book.add_worksheet();
    ws.set_name("司法局2026").unwrap();
    for ((r, c), data) in cells(&filled).remove(0).1 {
        match data {
            Data::Float(n) => ws.write_number(r, c, n).unwrap(),
            Data::String(s) => ws.write_string(r, c, s).unwrap(),
            other => panic!("{other:?}"),
        };
    }
    assert_eq!(
        parse(&book.save_to_buffer().unwrap(), &sheet)
            .unwrap()
            .len(),
        sheet.items.len()
    );
}

#[test]
fn wrong_year_and_department_name_the_header_cells() {
    use workbook::rule;
    let sheet = Sheet::example();
    let bytes = fill(&sheet, &good_edits());
    let mut other_year = sheet.clone();
    other_year.year = 2027;
    let error = assert_one(&bytes, &other_year, "D3", rule::YEAR);
    assert!(error.message.contains("2027"), "{}", error.message);

    let mut other_department = sheet.clone();
    other_department.department_code = "GAJ".into();
    other_department.department_name = "区公安分局".into();
    let error = assert_one(&bytes, &other_department, "B3", rule::DEPARTMENT);
    assert!(
        error.message.contains("SFJ") && error.message.contains("区公安分局"),
        "{}",
        error.message
    );

    // Header errors are collected together with row errors.
    let bytes = fill(
        &sheet,
        &with(&[("D3", Put::Text("2025")), ("E6", Put::Blank)]),
    );
    assert_eq!(
        cells_and_rules(&refused(&bytes, &sheet)),
        vec![("D3", rule::YEAR), ("E6", rule::EMPTY)]
    );
    // The year typed as text "2026年" is still 2026.
    let bytes = fill(&sheet, &with(&[("D3", Put::Text("2026年"))]));
    assert!(parse(&bytes, &sheet).is_ok());
}

#[test]
fn item_ids_unknown_duplicated_missing() {
    use workbook::rule;
    let sheet = Sheet::example();
    let bytes = fill(&sheet, &with(&[("A7", Put::Text("Z99"))]));
    // A02 is then missing; its row was A7.
    assert_eq!(
        cells_and_rules(&refused(&bytes, &sheet)),
        vec![("A7", rule::UNKNOWN_ITEM), ("A7", rule::MISSING_ITEM)]
    );

    let bytes = fill(&sheet, &with(&[("A7", Put::Text("A01"))]));
    let errors = refused(&bytes, &sheet);
    assert_eq!(
        cells_and_rules(&errors),
        vec![("A7", rule::DUPLICATE_ITEM), ("A7", rule::MISSING_ITEM)]
    );
    assert!(errors[0].message.contains("第6行"), "{}", errors[0].message);

    // A stray row below the table.
    let bytes = fill(&sheet, &with(&[("E15", Put::Num(3.0))]));
    assert_one(&bytes, &sheet, "A15", rule::UNKNOWN_ITEM);

    // A sheet with an item the workbook lacks (the list grew after the download).
    let mut grown = sheet.clone();
    let mut extra = grown.items[0].clone();
    extra.id = "F01".into();
    grown.items.push(extra);
    let bytes = fill(&sheet, &good_edits());
    let error = assert_one(&bytes, &grown, "A14", rule::MISSING_ITEM);
    assert!(error.message.contains("F01"), "{}", error.message);
}

#[test]
fn each_value_rule_names_its_cell() {
    use workbook::rule;
    let sheet = Sheet::example();
    let cases: [(&str, Put, &str, &str); 14] = [
        ("E6", Put::Blank, rule::EMPTY, "E6：本年数值未填写"),
        ("E6", Put::Text("  "), rule::EMPTY, "未填写"),
        ("E6", Put::Text("约50"), rule::NOT_NUMBER, "约50"),
        ("E6", Put::Text("50以上"), rule::NOT_NUMBER, "不是数字"),
        ("E6", Put::Text("12件"), rule::NOT_NUMBER, "不是数字"),
        (
            "E8",
            Put::Num(2.5),
            rule::COUNT_NOT_WHOLE,
            "E8：领导干部学法次数必须是非负整数",
        ),
        ("E8", Put::Num(-1.0), rule::COUNT_NOT_WHOLE, "非负整数"),
        ("E8", Put::Text("-1"), rule::COUNT_NOT_WHOLE, "非负整数"),
        ("E12", Put::Num(-0.5), rule::AMOUNT_NEGATIVE, "负数"),
        ("E12", Put::Text("20.125"), rule::AMOUNT_SCALE, "两位小数"),
        ("E13", Put::Num(100.5), rule::RATE_RANGE, "0到100"),
        ("E13", Put::Text("-1"), rule::RATE_RANGE, "0到100"),
        ("E13", Put::Text("0.5%"), rule::SWING_NEEDS_COMMENT, "F13"),
        ("E6", Put::Text("1,2345"), rule::NOT_NUMBER, "1,2345"),
    ];
    for (cell, put, rule, text) in cases {
        let bytes = fill(&sheet, &with(&[(cell, put.clone())]));
        let errors = refused(&bytes, &sheet);
        let want_cell = if rule == rule::SWING_NEEDS_COMMENT {
            "F13"
        } else {
            cell
        };
        assert_eq!(
            cells_and_rules(&errors),
            vec![(want_cell, rule)],
            "{cell} {put:?}: {errors:#?}"
        );
        assert!(
            errors[0].message.contains(text),
            "{cell} {put:?}: {}",
            errors[0].message
        );
    }
}

#[test]
fn rate_accepts_a_percent_sign_and_text_numbers_are_read_sensibly() {
    let sheet = Sheet::example();
    let bytes = fill(
        &sheet,
        &with(&[
            ("E13", Put::Text("45%")),
            ("E10", Put::Text("３２０")),
            ("E6", Put::Text("\u{3000}14\u{a0}")),
        ]),
    );
    let values = parse(&bytes, &sheet).unwrap();
    assert_eq!(values[7].value, d("45"));
    assert_eq!(values[4].value, d("320"));
    assert_eq!(values[0].value, d("14"));
    // A percent sign on a count is not a number.
    let bytes = fill(&sheet, &with(&[("E6", Put::Text("14%"))]));
    assert_one(&bytes, &sheet, "E6", workbook::rule::NOT_NUMBER);
}

#[test]
fn a_part_exceeding_its_whole_names_both_cells() {
    let sheet = Sheet::example();
    let bytes = fill(&sheet, &with(&[("E11", Put::Num(321.0))])); // C02 > C01 (320)
    let error = assert_one(&bytes, &sheet, "E11", workbook::rule::PART_EXCEEDS_WHOLE);
    assert!(
        error.message.contains("E10") && error.message.contains("人民调解案件数"),
        "{}",
        error.message
    );
    // Equal is fine.
    assert!(parse(&fill(&sheet, &with(&[("E11", Put::Num(320.0))])), &sheet).is_ok());
    // No cross check against a whole that is itself wrong: one mistake, one error.
    let bytes = fill(&sheet, &with(&[("E10", Put::Text("很多"))]));
    assert_one(&bytes, &sheet, "E10", workbook::rule::NOT_NUMBER);
}

#[test]
fn a_large_swing_needs_a_comment() {
    use workbook::rule;
    let sheet = Sheet::example();
    // C01: 300 → 460 is +53%; the comment goes in F10.
    let bytes = fill(&sheet, &with(&[("E10", Put::Num(460.0))]));
    let error = assert_one(&bytes, &sheet, "F10", rule::SWING_NEEDS_COMMENT);
    assert!(
        error.message.contains("增长53.3%") && error.message.contains("说明"),
        "{}",
        error.message
    );
    let bytes = fill(
        &sheet,
        &with(&[
            ("E10", Put::Num(460.0)),
            ("F10", Put::Text("新设调解室三个")),
        ]),
    );
    assert_eq!(parse(&bytes, &sheet).unwrap()[4].comment, "新设调解室三个");
    // A whitespace-only comment is no comment.
    let bytes = fill(
        &sheet,
        &with(&[("E10", Put::Num(460.0)), ("F10", Put::Text(" \u{3000} "))]),
    );
    assert_one(&bytes, &sheet, "F10", rule::SWING_NEEDS_COMMENT);
    // Down by more than half.
    let bytes = fill(&sheet, &with(&[("E9", Put::Num(60.0))]));
    let error = assert_one(&bytes, &sheet, "F9", rule::SWING_NEEDS_COMMENT);
    assert!(error.message.contains("下降62.5%"), "{}", error.message);
    // Small counts are spared: B01 4 → 8 is +100% but only 4 more sessions.
    assert!(parse(&fill(&sheet, &with(&[("E8", Put::Num(8.0))])), &sheet).is_ok());
    // No previous value, no swing rule.
    let mut fresh = sheet.clone();
    fresh.previous.clear();
    assert!(parse(&fill(&fresh, &with(&[("E10", Put::Num(4600.0))])), &fresh).is_ok());
}

#[test]
fn every_error_is_collected() {
    use workbook::rule;
    let sheet = Sheet::example();
    let bytes = fill(
        &sheet,
        &with(&[
            ("B3", Put::Text("GAJ")),
            ("E6", Put::Blank),
            ("E8", Put::Num(1.5)),
            ("E10", Put::Num(1000.0)),
            ("E11", Put::Num(1001.0)),
            ("E13", Put::Num(101.0)),
        ]),
    );
    assert_eq!(
        cells_and_rules(&refused(&bytes, &sheet)),
        vec![
            ("B3", rule::DEPARTMENT),
            ("E6", rule::EMPTY),
            ("E8", rule::COUNT_NOT_WHOLE),
            ("E13", rule::RATE_RANGE),
            ("F10", rule::SWING_NEEDS_COMMENT),
            ("E11", rule::PART_EXCEEDS_WHOLE),
            ("F11", rule::SWING_NEEDS_COMMENT),
        ]
    );
}

#[test]
fn the_form_applies_the_same_rules() {
    use workbook::rule;
    let sheet = Sheet::example();
    let field = |id: &str, value: &str, comment: &str| FormField {
        id: id.into(),
        value: value.into(),
        comment: comment.into(),
    };
    let fields = vec![
        field("A01", "14", ""),
        field("A02", "15", ""), // > A01
        field("B01", "", ""),
        field("B02", "１７０", ""),
        field("C01", "460", ""), // swing
        field("C02", "290", ""),
        field("D01", "20.125", ""),
        field("E01", "45%", ""),
        field("X", "1", ""),
    ];
    let errors = check_form(&fields, &sheet).unwrap_err();
    assert_eq!(
        cells_and_rules(&errors),
        vec![
            ("B01", rule::EMPTY),
            ("D01", rule::AMOUNT_SCALE),
            ("X", rule::UNKNOWN_ITEM),
            ("A02", rule::PART_EXCEEDS_WHOLE),
            ("C01", rule::SWING_NEEDS_COMMENT),
        ]
    );
    assert!(errors[3].message.contains("A01"), "{}", errors[3].message);
    // The kinds the example uses are all exercised.
    assert!(
        [ItemKind::Count, ItemKind::Amount, ItemKind::Rate]
            .iter()
            .all(|k| sheet.items.iter().any(|i| i.kind == *k))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Flipped, overwritten, truncated or spliced bytes of a filled template never panic the
    /// parser; whatever it accepts passes the shared rules.
    #[test]
    fn parse_never_panics_on_mutated_bytes(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let sheet = Sheet::example();
        let mut bytes = FILLED.with(Clone::clone);
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok(values) = parse(&bytes, &sheet) {
            prop_assert_eq!(validate(&values, &sheet), vec![]);
        }
    }
}

thread_local! {
    static FILLED: Vec<u8> = fill(&Sheet::example(), &good_edits());
}

/// Writes the fuzz target's seeds (a template, a filled one, garbage) next to the fuzz crate:
/// `cargo test -p fazhi-report --test workbook -- --ignored write_fuzz_seeds`.
#[test]
#[ignore = "writes fuzz/seeds/submission_workbook/"]
fn write_fuzz_seeds() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/seeds/submission_workbook"
    );
    std::fs::create_dir_all(dir).unwrap();
    let sheet = Sheet::example();
    std::fs::write(format!("{dir}/template.xlsx"), template(&sheet).unwrap()).unwrap();
    std::fs::write(format!("{dir}/filled.xlsx"), fill(&sheet, &good_edits())).unwrap();
    std::fs::write(
        format!("{dir}/not-xlsx.txt"),
        "指标编号,本年数值\nA01,约50\n",
    )
    .unwrap();
}

#[test]
fn a_prefilled_template_reads_back_as_its_values() {
    let sheet = Sheet::example();
    let values: Vec<fazhi_report::workbook::Value> = sheet
        .items
        .iter()
        .map(|item| fazhi_report::workbook::Value {
            id: item.id.clone(),
            value: sheet.previous.get(&item.id).copied().unwrap_or_default(),
            comment: "按上年口径".into(),
        })
        .collect();
    let bytes = fazhi_report::workbook::template_filled(&sheet, &values).unwrap();
    assert_eq!(parse(&bytes, &sheet).unwrap(), values);
}
