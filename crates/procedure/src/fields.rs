//! Parsing submitted field text into typed values, by the field's declared kind.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::model::{Field, FieldKind};

/// A typed field value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Text (also enum values, parties).
    Text(String),
    /// A date.
    Date(Date),
    /// Money in fen.
    Money(i64),
    /// A whole number.
    Number(i64),
    /// Yes or no.
    Bool(bool),
    /// A department id.
    Department(i64),
    /// One person from a registry (stored as `officer` before registries were named).
    #[serde(alias = "officer")]
    Person(i64),
    /// Several people from a registry.
    #[serde(alias = "officers")]
    People(Vec<i64>),
    /// A stored document's SHA-256, hex.
    Document(String),
}

impl FieldValue {
    /// The people a person field names (empty for other values).
    pub fn people(&self) -> &[i64] {
        match self {
            FieldValue::Person(id) => std::slice::from_ref(id),
            FieldValue::People(ids) => ids,
            _ => &[],
        }
    }
}

/// Why a field's text is not a value of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    /// The procedure has no such field.
    UnknownField,
    /// The step does not record this field.
    NotOffered,
    /// Control characters other than line breaks and tabs.
    ControlCharacters,
    /// Longer than [`MAX_TEXT_CHARS`].
    TooLong,
    /// Not one of the enum's options.
    NotAnOption,
    /// Not a date that exists, as YYYY-MM-DD.
    InvalidDate,
    /// A date outside [`EARLIEST_DATE`] ..= [`LATEST_DATE`].
    DateOutOfRange,
    /// Not an amount in yuan with at most two decimals, within [`MAX_MONEY_FEN`].
    InvalidMoney,
    /// Not a whole number from 0 to [`MAX_NUMBER`].
    InvalidNumber,
    /// Not 是 or 否.
    InvalidBool,
    /// Not a list of ids.
    InvalidReference,
    /// Not a document hash.
    InvalidDocument,
    /// A document not attached to the case.
    UnknownDocument,
    /// A person not on the field's registry.
    NotInRegistry,
    /// A person outside the actor's department.
    PersonOutOfScope,
    /// The same person twice.
    DuplicatePerson,
    /// No such active department.
    UnknownDepartment,
    /// A department outside the actor's scope.
    DepartmentOutOfScope,
}

impl FieldProblem {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            FieldProblem::UnknownField => "unknown_field",
            FieldProblem::NotOffered => "not_offered",
            FieldProblem::ControlCharacters => "control_characters",
            FieldProblem::TooLong => "too_long",
            FieldProblem::NotAnOption => "not_an_option",
            FieldProblem::InvalidDate => "invalid_date",
            FieldProblem::DateOutOfRange => "date_out_of_range",
            FieldProblem::InvalidMoney => "invalid_money",
            FieldProblem::InvalidNumber => "invalid_number",
            FieldProblem::InvalidBool => "invalid_bool",
            FieldProblem::InvalidReference => "invalid_reference",
            FieldProblem::InvalidDocument => "invalid_document",
            FieldProblem::UnknownDocument => "unknown_document",
            FieldProblem::NotInRegistry => "not_in_registry",
            FieldProblem::PersonOutOfScope => "person_out_of_scope",
            FieldProblem::DuplicatePerson => "duplicate_person",
            FieldProblem::UnknownDepartment => "unknown_department",
            FieldProblem::DepartmentOutOfScope => "department_out_of_scope",
        }
    }
}

/// Longest text accepted in one field.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The largest amount accepted: 1,000 亿元 in fen. Far above any fine, far below i64 overflow in
/// a year's sums.
pub const MAX_MONEY_FEN: i64 = 10_000_000_000_000;
/// The largest whole number accepted.
pub const MAX_NUMBER: i64 = 1_000_000_000;
/// The earliest date a record may carry: before the 行政诉讼法 came into force (1990-10-01) no
/// procedure Fazhi keeps existed, and a date of year 0 or 1900 is a typing error, not a record.
pub const EARLIEST_DATE: Date = time::macros::date!(1990 - 01 - 01);
/// The latest date a record may carry (a time limit or a hearing set years ahead fits; 9999
/// does not).
pub const LATEST_DATE: Date = time::macros::date!(2099 - 12 - 31);

/// Parses `text` as a value of `field`.
pub fn parse_field(field: &Field, text: &str) -> Result<FieldValue, FieldProblem> {
    parse_trimmed(field, text.trim())
}

/// [`parse_field`] on text already trimmed (the engine trims each field once, to skip empty
/// ones).
pub(crate) fn parse_trimmed(field: &Field, text: &str) -> Result<FieldValue, FieldProblem> {
    if has_control(text) {
        return Err(FieldProblem::ControlCharacters);
    }
    match &field.kind {
        FieldKind::Text | FieldKind::Party => {
            // No more characters than bytes: only long text needs counting.
            if text.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS {
                Err(FieldProblem::TooLong)
            } else {
                Ok(FieldValue::Text(text.to_owned()))
            }
        }
        FieldKind::Enum(options) => {
            if options.iter().any(|option| option == text) {
                Ok(FieldValue::Text(text.to_owned()))
            } else {
                Err(FieldProblem::NotAnOption)
            }
        }
        FieldKind::Date => match parse_date(text) {
            Some(date) if (EARLIEST_DATE..=LATEST_DATE).contains(&date) => {
                Ok(FieldValue::Date(date))
            }
            Some(_) => Err(FieldProblem::DateOutOfRange),
            None => Err(FieldProblem::InvalidDate),
        },
        FieldKind::Money => parse_money(text)
            .filter(|fen| *fen <= MAX_MONEY_FEN)
            .map(FieldValue::Money)
            .ok_or(FieldProblem::InvalidMoney),
        FieldKind::Number => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_NUMBER).contains(n))
            .map(FieldValue::Number)
            .ok_or(FieldProblem::InvalidNumber),
        FieldKind::Bool => match text {
            "1" | "true" | "on" | "是" => Ok(FieldValue::Bool(true)),
            "0" | "false" | "off" | "否" => Ok(FieldValue::Bool(false)),
            _ => Err(FieldProblem::InvalidBool),
        },
        FieldKind::Department => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(FieldValue::Department)
            .ok_or(FieldProblem::InvalidReference),
        FieldKind::Person(_) => {
            let ids: Option<Vec<i64>> = text
                .split([',', '，', ' '])
                .filter(|part| !part.is_empty())
                .map(|part| part.parse::<i64>().ok().filter(|id| *id > 0))
                .collect();
            match ids {
                Some(ids) if field.multiple && !ids.is_empty() => {
                    let mut distinct = ids.clone();
                    distinct.sort_unstable();
                    distinct.dedup();
                    if distinct.len() == ids.len() {
                        Ok(FieldValue::People(ids))
                    } else {
                        Err(FieldProblem::DuplicatePerson)
                    }
                }
                Some(ids) if ids.len() == 1 => ids
                    .first()
                    .map(|id| FieldValue::Person(*id))
                    .ok_or(FieldProblem::InvalidReference),
                _ => Err(FieldProblem::InvalidReference),
            }
        }
        FieldKind::Document => {
            if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(FieldValue::Document(text.to_ascii_lowercase()))
            } else {
                Err(FieldProblem::InvalidDocument)
            }
        }
    }
}

/// `text.trim()`, without looking for white space where there can be none.
pub(crate) fn trim(text: &str) -> &str {
    // White space is ASCII or at most U+3000 (the ideographic space). Text that begins and ends
    // with printable ASCII or a character of U+4000 or above (Chinese, nearly always: a three-
    // byte character led by 0xE4–0xEF, or a four-byte one) has none to trim; the bytes say so
    // without decoding.
    let bytes = text.as_bytes();
    let high_lead = |b: &u8| *b >= 0xe4;
    let plain_start = bytes
        .first()
        .is_some_and(|b| b.is_ascii_graphic() || high_lead(b));
    let plain_end = bytes.last().is_some_and(u8::is_ascii_graphic)
        || (bytes.len().checked_sub(3).and_then(|i| bytes.get(i)))
            .is_some_and(|b| (0xe4..=0xef).contains(b));
    if plain_start && plain_end {
        text
    } else {
        text.trim()
    }
}

/// Whether `text` holds a control character other than a line break or a tab.
fn has_control(text: &str) -> bool {
    // A control character (`char::is_control`: U+0000–U+001F, U+007F, U+0080–U+009F) is
    // encoded beginning with a byte below 0x20, 0x7F or 0xC2; text with none of these (nearly
    // all) needs no decoding. The bytes are looked at without stopping early, which the compiler
    // turns into a few wide comparisons.
    let suspect = text.bytes().fold(false, |seen, b| {
        seen | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    });
    suspect
        && text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    crate::load::parse_iso_date(text)
}

/// Parses an amount in yuan with at most two decimals (`1234`, `1,234.5`, `1234.50元`) into fen.
pub fn parse_money(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((cleaned.as_str(), ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let yuan: i64 = whole.parse().ok()?;
    let fen: i64 = format!("{fraction:0<2}").parse().ok()?;
    yuan.checked_mul(100)?.checked_add(fen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_parsed_to_fen_without_floating_point() {
        assert_eq!(parse_money("1,234.5元"), Some(123_450));
        assert_eq!(parse_money("200"), Some(20_000));
        assert_eq!(parse_money("0.07"), Some(7));
        assert_eq!(parse_money("1.234"), None);
        assert_eq!(parse_money("-5"), None);
        assert_eq!(parse_money("abc"), None);
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-2-3").is_none());
    }

    #[test]
    fn text_is_trimmed_as_str_trims_it() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            for text in [
                format!("{c}案由"),
                format!("案由{c}"),
                format!("a{c}"),
                c.to_string(),
            ] {
                assert_eq!(trim(&text), text.trim(), "{:?}", text);
            }
        }
    }

    #[test]
    fn control_characters_are_found_in_bytes_as_in_chars() {
        let by_chars = |text: &str| {
            text.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        };
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let text = format!("案由{c}x");
            assert_eq!(has_control(&text), by_chars(&text), "{:?}", text);
        }
    }

    #[test]
    fn dates_of_four_two_and_two_digits_read_as_the_time_parser_reads_them() {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        for year in [
            "0000", "0001", "1900", "2000", "2024", "2025", "2100", "9999",
        ] {
            for month in 0..100 {
                for day in 0..100 {
                    let text = format!("{year}-{month:02}-{day:02}");
                    assert_eq!(
                        parse_date(&text),
                        Date::parse(&text, &format).ok(),
                        "{text}"
                    );
                }
            }
        }
        for text in [
            "+2025-03-04",
            "-0001-01-01",
            "2025-03-4",
            "20250-03-04",
            " 2025-03-04 ",
        ] {
            assert_eq!(
                parse_date(text),
                Date::parse(text.trim(), &format).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn stored_officer_values_still_read() {
        let old: FieldValue =
            serde_json::from_str(r#"{"type":"officers","value":[3,4]}"#).expect("old tag");
        assert_eq!(old, FieldValue::People(vec![3, 4]));
    }
}
