//! Parsing submitted field text into typed values, by the field's declared kind.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::procedure::{Field, FieldKind};

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
    /// A person id from the officer registry.
    Officer(i64),
    /// Several officers.
    Officers(Vec<i64>),
    /// A stored document's SHA-256, hex.
    Document(String),
}

/// Longest text accepted in one field.
const MAX_TEXT_CHARS: usize = 4000;

/// Parses `text` as a value of `field`, or returns the problem's code.
pub fn parse_field(field: &Field, text: &str) -> Result<FieldValue, &'static str> {
    let text = text.trim();
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("control_characters");
    }
    match field.kind {
        FieldKind::Text | FieldKind::Party => {
            if text.chars().count() > MAX_TEXT_CHARS {
                Err("too_long")
            } else {
                Ok(FieldValue::Text(text.to_owned()))
            }
        }
        FieldKind::Enum => {
            if field.options.iter().any(|option| option == text) {
                Ok(FieldValue::Text(text.to_owned()))
            } else {
                Err("not_an_option")
            }
        }
        FieldKind::Date => parse_date(text).map(FieldValue::Date).ok_or("invalid_date"),
        FieldKind::Money => parse_money(text)
            .map(FieldValue::Money)
            .ok_or("invalid_money"),
        FieldKind::Number => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(FieldValue::Number)
            .ok_or("invalid_number"),
        FieldKind::Bool => match text {
            "1" | "true" | "on" | "是" => Ok(FieldValue::Bool(true)),
            "0" | "false" | "off" | "否" => Ok(FieldValue::Bool(false)),
            _ => Err("invalid_bool"),
        },
        FieldKind::Department => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(FieldValue::Department)
            .ok_or("invalid_reference"),
        FieldKind::Officer => {
            let ids: Option<Vec<i64>> = text
                .split([',', '，', ' '])
                .filter(|part| !part.is_empty())
                .map(|part| part.parse::<i64>().ok().filter(|id| *id > 0))
                .collect();
            match ids {
                Some(ids) if field.multiple && !ids.is_empty() => Ok(FieldValue::Officers(ids)),
                Some(ids) if ids.len() == 1 => Ok(FieldValue::Officer(
                    ids.first().copied().unwrap_or_default(),
                )),
                _ => Err("invalid_reference"),
            }
        }
        FieldKind::Document => {
            if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(FieldValue::Document(text.to_ascii_lowercase()))
            } else {
                Err("invalid_document")
            }
        }
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
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
}
