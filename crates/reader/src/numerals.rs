//! Numbers as reports write them: `1,234.5`, `117万`, `171.88亿`, `一千一百六十二`, `二〇二〇`.
//!
//! Values are [`Decimal`], never floating point, so `171.88亿` is exactly 17 188 000 000.
//! The parsers take a token that is already cut out (the figure scanner does the cutting and
//! handles 余/多/约 and units); they reject malformed forms rather than guess: `十四五` and
//! `七五` are slogans, not numbers, and parse to `None`.
//!
//! `chinese-number` was not used: it rejects the mixed forms above (see
//! `shared/docs/dependencies.md`), and the grammar here is small.

use rust_decimal::Decimal;

/// The value of a Chinese digit (`〇零一二三四五六七八九两`), if `ch` is one.
#[must_use]
pub fn chinese_digit(ch: char) -> Option<u32> {
    Some(match ch {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The value of a small Chinese unit (`十百千`), if `ch` is one.
fn small_unit(ch: char) -> Option<u64> {
    Some(match ch {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Whether `ch` can be part of a Chinese numeral.
#[must_use]
pub fn is_chinese_numeral_char(ch: char) -> bool {
    chinese_digit(ch).is_some()
        || small_unit(ch).is_some()
        || matches!(ch, '万' | '亿' | '萬' | '億')
}

/// Parses a Chinese numeral: positional (`二〇二〇`, three or more digits, or with 〇) or with
/// units (`一千一百六十二`, `十五`, `三万五千`, `一万亿`). `None` for anything malformed.
#[must_use]
pub fn parse_chinese(text: &str) -> Option<Decimal> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.len() > 24 {
        return None;
    }
    let has_units = chars.iter().any(|ch| chinese_digit(*ch).is_none());
    if !has_units {
        let positional = chars.len() >= 3 || chars.iter().any(|ch| matches!(ch, '〇' | '○' | '零'));
        if chars.len() == 1 || positional {
            let mut value: u64 = 0;
            for ch in &chars {
                value = value
                    .checked_mul(10)?
                    .checked_add(u64::from(chinese_digit(*ch)?))?;
            }
            return Some(Decimal::from(value));
        }
        return None;
    }
    // With units: sections of up to 9999 joined by 万 and 亿.
    let mut yi_part: u64 = 0;
    let mut wan_part: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    let mut last_small: u64 = 10_000;
    let mut seen_wan = false;
    let mut zero_pending = false;
    for (idx, ch) in chars.iter().enumerate() {
        if let Some(value) = chinese_digit(*ch) {
            if value == 0 {
                if digit.is_some() {
                    return None;
                }
                zero_pending = true;
                continue;
            }
            if digit.is_some() {
                return None;
            }
            digit = Some(u64::from(value));
            continue;
        }
        if let Some(unit) = small_unit(*ch) {
            if unit >= last_small {
                return None;
            }
            let multiplier = match digit.take() {
                Some(value) => value,
                // 十五 = 15, 百余 = 100+: a bare unit opens a number.
                None if section == 0 && (idx == 0 || zero_pending || last_small == 10_000) => 1,
                None => return None,
            };
            section += multiplier * unit;
            last_small = unit;
            zero_pending = false;
            continue;
        }
        match ch {
            '万' | '萬' => {
                if seen_wan {
                    return None;
                }
                let value = section + digit.take().unwrap_or(0);
                if value == 0 {
                    return None;
                }
                wan_part = value;
                seen_wan = true;
            }
            '亿' | '億' => {
                let value = wan_part * 10_000 + section + digit.take().unwrap_or(0);
                if value == 0 || yi_part != 0 {
                    return None;
                }
                yi_part = value;
                wan_part = 0;
                seen_wan = false;
            }
            _ => return None,
        }
        section = 0;
        last_small = 10_000;
        zero_pending = false;
    }
    // A trailing digit after a unit with nothing between: 三千五 = 3500, 两万五 = 25000.
    let tail = match digit {
        Some(value) if !zero_pending && last_small != 10_000 && last_small >= 10 => {
            value * (last_small / 10)
        }
        Some(value)
            if !zero_pending
                && last_small == 10_000
                && section == 0
                && (seen_wan || yi_part > 0)
                && chars.last().is_some_and(|ch| chinese_digit(*ch).is_some())
                && chars.len() >= 2
                && matches!(chars.get(chars.len() - 2), Some('万' | '亿' | '萬' | '億')) =>
        {
            value * if seen_wan { 1000 } else { 10_000_000 }
        }
        Some(value) => value,
        None => 0,
    };
    let total = yi_part
        .checked_mul(100_000_000)?
        .checked_add(wan_part.checked_mul(10_000)?)?
        .checked_add(section)?
        .checked_add(tail)?;
    Some(Decimal::from(total))
}

/// Parses Arabic digits with optional thousands separators (`1,234`, `1，234`) and decimals.
#[must_use]
pub fn parse_arabic(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .chars()
        .filter(|ch| !matches!(ch, ',' | '，'))
        .collect();
    if cleaned.is_empty()
        || cleaned.len() > 28
        || cleaned.starts_with('.')
        || cleaned.ends_with('.')
    {
        return None;
    }
    if !cleaned.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
        || cleaned.matches('.').count() > 1
    {
        return None;
    }
    cleaned.parse::<Decimal>().ok()
}

/// The multiplier a Chinese magnitude word stands for: 万, 亿, 千万, 百万, 万亿.
#[must_use]
pub fn magnitude(word: &str) -> Option<Decimal> {
    Some(Decimal::from(match word {
        "千" => 1_000_u64,
        "万" | "萬" => 10_000,
        "十万" => 100_000,
        "百万" => 1_000_000,
        "千万" => 10_000_000,
        "亿" | "億" => 100_000_000,
        "万亿" => 1_000_000_000_000,
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese(text: &str) -> Option<i64> {
        parse_chinese(text).and_then(|value| i64::try_from(value).ok())
    }

    #[test]
    fn chinese_numerals_with_units() {
        let cases = [
            ("一千一百六十二", Some(1162)),
            ("十五", Some(15)),
            ("十", Some(10)),
            ("二十", Some(20)),
            ("一百零五", Some(105)),
            ("三万五千", Some(35_000)),
            ("两万五", Some(25_000)),
            ("三千五", Some(3500)),
            ("一万亿", Some(1_000_000_000_000)),
            ("十二万三千四百五十六", Some(123_456)),
            ("五", Some(5)),
            ("两", Some(2)),
        ];
        for (text, expected) in cases {
            assert_eq!(chinese(text), expected, "{text}");
        }
    }

    #[test]
    fn positional_and_malformed_numerals() {
        assert_eq!(chinese("二〇二〇"), Some(2020));
        assert_eq!(chinese("二○二一"), Some(2021));
        assert_eq!(chinese("十四五"), None);
        assert_eq!(chinese("七五"), None);
        assert_eq!(chinese("百十"), None);
        assert_eq!(chinese(""), None);
    }

    #[test]
    fn arabic_numbers() {
        assert_eq!(parse_arabic("1,234.50"), Some(Decimal::new(123_450, 2)));
        assert_eq!(parse_arabic("171.88"), Some(Decimal::new(17_188, 2)));
        assert_eq!(parse_arabic("1.2.3"), None);
        assert_eq!(parse_arabic("."), None);
    }
}
