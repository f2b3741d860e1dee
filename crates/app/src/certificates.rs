//! The enforcement-certificate registry, the pure part: checking one certificate's fields and
//! parsing a CSV import (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it). Every
//! bad row is reported with its row number and a stable code (the web layer says it in Chinese);
//! the store writes nothing unless every row is good. No IO.

use time::Date;

/// Longest certificate number accepted.
const MAX_NUMBER_CHARS: usize = 40;
/// Longest field of law accepted.
const MAX_FIELD_CHARS: usize = 40;
/// Most data rows one import may carry.
pub const MAX_IMPORT_ROWS: usize = 5000;
/// Largest import file, in bytes.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Who holds a certificate, as a row names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// By the person's id in the registry (人员编号).
    PersonId(i64),
    /// By name (姓名); must match exactly one active person.
    Name(String),
}

/// One certificate, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    /// The holder.
    pub holder: Holder,
    /// Certificate number (证件号), unique.
    pub number: String,
    /// Field of law (执法领域), may be empty.
    pub field_of_law: String,
    /// First day of validity.
    pub valid_from: Date,
    /// Last day of validity.
    pub valid_until: Date,
}

/// A problem with one row (or with a field of the single-certificate form, `row` 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number in the file, the header being row 1.
    pub row: usize,
    /// The column or field concerned.
    pub field: &'static str,
    /// Stable code of the problem.
    pub code: &'static str,
}

/// A checked row and its row number in the file.
pub type NumberedRow = (usize, CertificateInput);

/// Parses a date written `2025-03-01`, `2025/3/1` or `2025.03.01`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = text.split(separator);
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    // The same bounds as every date of a case record.
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day)
        .ok()
        .filter(|date| {
            (fazhi_procedure::fields::EARLIEST_DATE..=fazhi_procedure::fields::LATEST_DATE)
                .contains(date)
        })
}

fn clean(
    text: &str,
    max_chars: usize,
    field: &'static str,
    row: usize,
) -> Result<String, RowError> {
    let text = text.trim();
    if text.chars().any(char::is_control) {
        Err(RowError {
            row,
            field,
            code: "control_characters",
        })
    } else if text.chars().count() > max_chars {
        Err(RowError {
            row,
            field,
            code: "too_long",
        })
    } else {
        Ok(text.to_owned())
    }
}

/// Checks one certificate's raw fields; `row` is carried into the errors (0 for the form).
pub fn check_fields(
    row: usize,
    holder: Holder,
    number: &str,
    field_of_law: &str,
    valid_from: &str,
    valid_until: &str,
) -> Result<CertificateInput, Vec<RowError>> {
    let mut errors = Vec::new();
    let error = |field, code| RowError { row, field, code };
    match &holder {
        Holder::Name(name) if name.trim().is_empty() => errors.push(error("holder", "required")),
        Holder::Name(name) if name.chars().count() > 40 => errors.push(error("holder", "too_long")),
        Holder::PersonId(id) if *id <= 0 => errors.push(error("holder", "unknown_person")),
        _ => {}
    }
    let number = match clean(number, MAX_NUMBER_CHARS, "number", row) {
        Ok(number) if number.is_empty() => {
            errors.push(error("number", "required"));
            number
        }
        Ok(number) => number,
        Err(problem) => {
            errors.push(problem);
            String::new()
        }
    };
    let field_of_law =
        clean(field_of_law, MAX_FIELD_CHARS, "field_of_law", row).unwrap_or_else(|problem| {
            errors.push(problem);
            String::new()
        });
    let from = parse_date(valid_from);
    let until = parse_date(valid_until);
    if from.is_none() {
        errors.push(error("valid_from", "invalid_date"));
    }
    if until.is_none() {
        errors.push(error("valid_until", "invalid_date"));
    }
    match (from, until) {
        (Some(from), Some(until)) if errors.is_empty() => {
            if from > until {
                Err(vec![error("valid_until", "validity_reversed")])
            } else {
                Ok(CertificateInput {
                    holder: match holder {
                        Holder::Name(name) => Holder::Name(name.trim().to_owned()),
                        other => other,
                    },
                    number,
                    field_of_law,
                    valid_from: from,
                    valid_until: until,
                })
            }
        }
        (Some(from), Some(until)) if from > until => {
            errors.push(error("valid_until", "validity_reversed"));
            Err(errors)
        }
        _ => Err(errors),
    }
}

/// The text of an import file: UTF-8 (a BOM is dropped), else GB18030; `None` when it is neither.
pub fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_owned()),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| text.into_owned()),
    }
}

/// Column names accepted in the header row.
const NAME_COLUMNS: &[&str] = &["姓名"];
const ID_COLUMNS: &[&str] = &["人员编号", "身份id", "身份ID", "人员ID", "人员id"];
const NUMBER_COLUMNS: &[&str] = &["证件号", "证件编号", "执法证号"];
const FIELD_COLUMNS: &[&str] = &["执法领域"];
const FROM_COLUMNS: &[&str] = &["有效期起", "有效期自"];
const UNTIL_COLUMNS: &[&str] = &["有效期止", "有效期至"];

/// Parses an import file: a header row naming the columns (姓名 or 人员编号, 证件号, 执法领域,
/// 有效期起, 有效期止; any order), then one certificate per row. Returns every row's problem,
/// or every row checked; blank rows are skipped. Numbers repeated inside the file are refused.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<NumberedRow>, Vec<RowError>> {
    let (rows, errors) = parse_csv_rows(bytes)?;
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// [`parse_csv`] keeping both halves: the rows that are good on their own and every bad row's
/// problem (so the store can add what only it can check before anything is refused). `Err` is a
/// problem with the file as a whole.
pub fn parse_csv_rows(bytes: &[u8]) -> Result<(Vec<NumberedRow>, Vec<RowError>), Vec<RowError>> {
    let file_error = |code| {
        Err(vec![RowError {
            row: 0,
            field: "file",
            code,
        }])
    };
    if bytes.len() > MAX_IMPORT_BYTES {
        return file_error("file_too_large");
    }
    let Some(text) = decode(bytes) else {
        return file_error("unknown_encoding");
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(_)) => return file_error("malformed_csv"),
        None => return file_error("empty_file"),
    };
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|cell| names.contains(&cell.trim().trim_start_matches('\u{feff}')))
    };
    let name_column = column(NAME_COLUMNS);
    let id_column = column(ID_COLUMNS);
    let mut missing = Vec::new();
    if name_column.is_none() && id_column.is_none() {
        missing.push(RowError {
            row: 1,
            field: "holder",
            code: "missing_column",
        });
    }
    let mut required = |names: &[&str], field| {
        let found = column(names);
        if found.is_none() {
            missing.push(RowError {
                row: 1,
                field,
                code: "missing_column",
            });
        }
        found.unwrap_or(usize::MAX)
    };
    let number_column = required(NUMBER_COLUMNS, "number");
    let field_column = required(FIELD_COLUMNS, "field_of_law");
    let from_column = required(FROM_COLUMNS, "valid_from");
    let until_column = required(UNTIL_COLUMNS, "valid_until");
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut errors = Vec::new();
    let mut rows: Vec<(usize, CertificateInput)> = Vec::new();
    for (index, record) in records.enumerate() {
        // The line the record starts on, counted from its byte offset (the reader skips blank
        // lines without counting them).
        let position = match &record {
            Ok(record) => record.position(),
            Err(error) => error.position(),
        };
        let row = position
            .and_then(|p| usize::try_from(p.byte()).ok())
            .map(|byte| {
                let bytes = text.as_bytes();
                let blank = bytes
                    .get(byte..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                let before = bytes.get(..byte + blank).unwrap_or_default();
                before.iter().filter(|b| **b == b'\n').count() + 1
            })
            .unwrap_or(index + 2);
        if rows.len() + errors.len() >= MAX_IMPORT_ROWS {
            return file_error("too_many_rows");
        }
        let Ok(record) = record else {
            errors.push(RowError {
                row,
                field: "file",
                code: "malformed_csv",
            });
            continue;
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |column: usize| record.get(column).unwrap_or_default();
        let id_text = id_column.map(cell).unwrap_or_default().trim();
        let holder = if !id_text.is_empty() {
            match id_text.parse::<i64>() {
                Ok(id) => Holder::PersonId(id),
                Err(_) => Holder::PersonId(0),
            }
        } else {
            Holder::Name(name_column.map(cell).unwrap_or_default().to_owned())
        };
        match check_fields(
            row,
            holder,
            cell(number_column),
            cell(field_column),
            cell(from_column),
            cell(until_column),
        ) {
            Ok(input) => {
                if rows.iter().any(|(_, other)| other.number == input.number) {
                    errors.push(RowError {
                        row,
                        field: "number",
                        code: "duplicate_in_file",
                    });
                } else {
                    rows.push((row, input));
                }
            }
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        file_error("no_rows")
    } else {
        Ok((rows, errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const HEADER: &str = "姓名,证件号,执法领域,有效期起,有效期止\n";

    #[test]
    fn a_good_file_gives_every_row() {
        let text = format!(
            "{HEADER}王磊,ZF-001,市场监管,2024-01-01,2028-12-31\n\n\"李, 娜\",ZF-002,,2025/3/1,2027.02.28\n"
        );
        let rows = parse_csv(text.as_bytes()).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.holder, Holder::Name("王磊".into()));
        assert_eq!(rows[0].1.valid_until, date!(2028 - 12 - 31));
        assert_eq!(rows[1].0, 4, "the blank line still counts as a row");
        assert_eq!(rows[1].1.holder, Holder::Name("李, 娜".into()));
        assert_eq!(rows[1].1.valid_from, date!(2025 - 03 - 01));
        assert_eq!(rows[1].1.field_of_law, "");
    }

    #[test]
    fn bom_and_gb18030_files_read_the_same() {
        let text = format!("{HEADER}王磊,ZF-001,市场监管,2024-01-01,2028-12-31\n");
        let expected = parse_csv(text.as_bytes()).expect("utf-8");
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        assert_eq!(parse_csv(&with_bom).expect("bom"), expected);
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&gb).is_err(), "really not UTF-8");
        assert_eq!(parse_csv(&gb).expect("gb18030"), expected);
    }

    #[test]
    fn columns_may_come_in_any_order_and_ids_name_the_holder() {
        let text =
            "有效期止,有效期起,人员编号,证件号,执法领域\n2030-01-01,2025-01-01,17,ZF-9,城管\n";
        let rows = parse_csv(text.as_bytes()).expect("rows");
        assert_eq!(rows[0].1.holder, Holder::PersonId(17));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_number() {
        let text = format!(
            "{HEADER}王磊,ZF-001,市场监管,2024-01-01,2028-12-31\n\
             ,ZF-002,市场监管,2024-01-01,2028-12-31\n\
             李娜,,市场监管,2024-02-30,2028-12-31\n\
             张伟,ZF-004,市场监管,2029-01-01,2028-12-31\n\
             赵敏,ZF-001,市场监管,2024-01-01,2028-12-31\n"
        );
        let errors = parse_csv(text.as_bytes()).expect_err("bad rows");
        let found: Vec<(usize, &str, &str)> =
            errors.iter().map(|e| (e.row, e.field, e.code)).collect();
        assert_eq!(
            found,
            vec![
                (3, "holder", "required"),
                (4, "number", "required"),
                (4, "valid_from", "invalid_date"),
                (5, "valid_until", "validity_reversed"),
                (6, "number", "duplicate_in_file"),
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_or_rows_is_refused() {
        let errors = parse_csv("名字,号码\n王磊,1\n".as_bytes()).expect_err("columns");
        assert!(
            errors
                .iter()
                .all(|e| e.row == 1 && e.code == "missing_column")
        );
        assert_eq!(errors.len(), 5);
        assert_eq!(
            parse_csv(HEADER.as_bytes()).expect_err("no rows")[0].code,
            "no_rows"
        );
        assert_eq!(parse_csv(b"").expect_err("empty")[0].code, "empty_file");
        assert_eq!(
            parse_csv(b"\xFF\xFE\x00\x00").expect_err("binary")[0].code,
            "unknown_encoding"
        );
    }

    #[test]
    fn dates_are_real_and_in_order() {
        assert_eq!(parse_date("2024/2/29"), Some(date!(2024 - 02 - 29)));
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("2025-1"), None);
        assert_eq!(parse_date("2025-01-01-01"), None);
        let reversed = check_fields(0, Holder::PersonId(1), "A1", "", "2026-01-02", "2026-01-01")
            .expect_err("reversed");
        assert_eq!(reversed[0].code, "validity_reversed");
        assert!(
            check_fields(0, Holder::PersonId(1), "A1", "", "2026-01-01", "2026-01-01").is_ok(),
            "one day of validity is allowed"
        );
    }
}
