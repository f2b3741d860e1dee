//! Properties: the numeral parser against a reference formatter, and the offset map (every
//! normalised character maps back to a valid, ordered range of the original).

use fazhi_reader::decode::{Format, decode};
use fazhi_reader::normalise::normalise;
use fazhi_reader::numerals::parse_chinese;
use fazhi_reader::read;
use proptest::prelude::*;
use rust_decimal::Decimal;

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Writes `n` (< 10^12) in standard Chinese numerals: 一千零五, 十二万三千, 一亿零五十万.
fn chinese(n: u64) -> String {
    fn section(n: u64, leading: bool) -> String {
        let mut out = String::new();
        let mut zero = false;
        for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
            let digit = (n / unit) % 10;
            if digit == 0 {
                zero = !out.is_empty() || !leading;
                continue;
            }
            if zero && (!out.is_empty() || !leading) {
                out.push('零');
            }
            zero = false;
            if !(digit == 1 && unit == 10 && out.is_empty() && leading) {
                out.push(DIGITS[digit as usize]);
            }
            out.push_str(name);
        }
        out
    }
    if n == 0 {
        return "零".to_owned();
    }
    let (yi, wan, rest) = (n / 100_000_000, (n / 10_000) % 10_000, n % 10_000);
    let mut out = String::new();
    if yi > 0 {
        out.push_str(&section(yi, true));
        out.push('亿');
    }
    if wan > 0 {
        out.push_str(&section(wan, out.is_empty()));
        out.push('万');
    } else if yi > 0 && rest > 0 {
        out.push('零');
    }
    if rest > 0 {
        out.push_str(&section(rest, out.is_empty()));
    }
    out
}

#[test]
fn the_reference_formatter_matches_known_numerals() {
    assert_eq!(chinese(1162), "一千一百六十二");
    assert_eq!(chinese(15), "十五");
    assert_eq!(chinese(105), "一百零五");
    assert_eq!(chinese(120_003), "十二万零三");
}

proptest! {
    #[test]
    fn chinese_numerals_round_trip(n in 1u64..1_000_000_000_000) {
        let text = chinese(n);
        prop_assert_eq!(parse_chinese(&text), Some(Decimal::from(n)), "{}", text);
    }

    #[test]
    fn positional_years_parse(year in 1990u64..2100) {
        let text: String = year.to_string().chars().map(|c| if c == '0' { '〇' } else { DIGITS[c.to_digit(10).unwrap() as usize] }).collect();
        prop_assert_eq!(parse_chinese(&text), Some(Decimal::from(year)));
    }

    #[test]
    fn every_normalised_character_maps_to_an_ordered_valid_original_range(
        pieces in proptest::collection::vec(prop_oneof![
            Just("開發區"), Just("(kāi)"), Just("（fā zhǎn）"), Just("１２３"), Just("９８．６％"), Just("\r\n"),
            Just("全麵"), Just("\u{200B}"), Just("abc"), Just("法治"), Just("(一)"), Just("著"), Just("，"),
        ], 0..40),
        gbk in any::<bool>(),
    ) {
        let text: String = pieces.concat();
        let input = if gbk { encoding_rs::GB18030.encode(&text).0.into_owned() } else { text.into_bytes() };
        let (raw, _) = decode(&input, Some(Format::Text));
        let (normalised, _) = normalise(&raw);
        let mut previous_end = 0usize;
        for (at, ch) in normalised.text.char_indices() {
            let original = normalised.original(fazhi_reader::Span::new(at, at + ch.len_utf8()));
            prop_assert!(original.start <= original.end && original.end <= input.len(), "{:?} of {}", original, input.len());
            prop_assert!(original.start >= previous_end.min(original.start), "ordered");
            prop_assert!(original.end >= previous_end || original.start >= previous_end.saturating_sub(4));
            previous_end = original.end;
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read(&input, None);
    }

    #[test]
    fn arbitrary_report_like_text_never_panics(body in "[一二三四五六七八九十百千万亿两〇0-9.,，。；、%％余多约近（）()年月日件人次个项是第“”《》\\-至 \n]{0,300}") {
        let text = format!("某县人民政府2020年法治政府建设情况报告\n一、主要举措和成效\n{body}");
        let _ = read(text.as_bytes(), None);
    }
}

#[test]
fn converting_only_trigger_lines_changes_nothing_on_the_corpus() {
    use fazhi_reader::normalise::{t2s, triggers};
    for dir in ["ok", "own"] {
        let root = crate::support::test_data(dir);
        for entry in std::fs::read_dir(root).unwrap().flatten() {
            let path = entry.path();
            if !path
                .extension()
                .is_some_and(|ext| ext == "txt" || ext == "html")
            {
                continue;
            }
            // Legacy-encoded pages (nanjiang-2021.html is GBK) are covered through `read`.
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let by_line: String = text
                .split_inclusive('\n')
                .map(|line| {
                    if triggers().any_in(line) {
                        t2s(line).unwrap()
                    } else {
                        line.to_owned()
                    }
                })
                .collect();
            assert_eq!(by_line, t2s(&text).unwrap(), "{}", path.display());
        }
    }
}

proptest! {
    #[test]
    fn lines_without_triggers_are_left_alone_by_t2s(text in "[\\x{4e00}-\\x{9fff}，。a-z0-9]{0,30}") {
        use fazhi_reader::normalise::{t2s, triggers};
        if !triggers().any_in(&text) {
            prop_assert_eq!(t2s(&text).unwrap(), text);
        }
    }
}
