//! How Chinese annual reports state figures and compare them with the previous year.
//!
//! The phrasing follows what published 法治政府建设年度报告 write: "比上年增长12.5%",
//! "比上年下降9.78%", "与上年持平", rates as "98.64%" and changes of a rate as
//! "比上年提高2.3个百分点". Two rules matter more than the wording:
//!
//! - the base of a change is **always the previous year**: 83 cases against 92 the year before is
//!   a fall of (92 − 83) ÷ 92 = 9.78%, not (92 − 83) ÷ 83 = 10.84% (a published report got this
//!   wrong, and a reviewer will recompute it);
//! - a change of a rate is stated in 百分点 (percentage points), never as a percentage of a
//!   percentage.
//!
//! Percentages are computed in decimal arithmetic ([`rust_decimal`]) so that 23219 ÷ 23540 gives
//! exactly the 98.64% a calculator gives, rounded half away from zero (四舍五入) to at most two
//! decimals, with trailing zeros dropped ("12.5%", "50%").

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimals kept in every percentage and percentage-point figure.
const DECIMALS: u32 = 2;

/// Rounds half away from zero (四舍五入, what reviewers do by hand) to [`DECIMALS`] places and
/// drops trailing zeros, so 12.50 prints as 12.5 and 50.00 as 50.
fn round(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(DECIMALS, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A count as reports write it: plain digits, no thousands separator (10346, not 10,346).
#[must_use]
pub fn format_count(count: u64) -> String {
    count.to_string()
}

/// `numerator ÷ denominator` as a percentage, rounded to at most two decimals; `None` when the
/// denominator is 0 (a rate over nothing is not 0% and must not be printed as such).
#[must_use]
pub fn rate_percent(numerator: u64, denominator: u64) -> Option<Decimal> {
    if denominator == 0 {
        return None;
    }
    let ratio = Decimal::from(numerator).checked_div(Decimal::from(denominator))?;
    ratio.checked_mul(Decimal::ONE_HUNDRED).map(round)
}

/// A rate as reports write it, e.g. 23219 of 23540 → "98.64%"; `None` when the denominator is 0.
#[must_use]
pub fn format_rate(numerator: u64, denominator: u64) -> Option<String> {
    rate_percent(numerator, denominator).map(|percent| format!("{percent}%"))
}

/// The change from `previous` to `current` as a percentage of `previous` (the previous year is
/// always the base), rounded to at most two decimals; `None` when `previous` is 0.
#[must_use]
pub fn percent_change(current: u64, previous: u64) -> Option<Decimal> {
    if previous == 0 {
        return None;
    }
    let difference = Decimal::from(current) - Decimal::from(previous);
    let ratio = difference.checked_div(Decimal::from(previous))?;
    ratio.checked_mul(Decimal::ONE_HUNDRED).map(round)
}

/// A count compared with the previous year: "比上年增长12.5%", "比上年下降9.78%", "与上年持平".
///
/// When the previous year is 0 there is no percentage to state (it would divide by zero), so the
/// phrase gives the absolute increase and says so: "比上年增加5（上年为0）". A change too small
/// to show in two decimals (e.g. 100001 against 100000) is "与上年基本持平" rather than a
/// misleading "增长0%". Use [`change_phrase_in`] to name the unit.
#[must_use]
pub fn change_phrase(current: u64, previous: u64) -> String {
    change_phrase_in(current, previous, "")
}

/// [`change_phrase`] with a unit for the one case that states an absolute number, the previous
/// year being 0: `change_phrase_in(5, 0, "件")` → "比上年增加5件（上年为0）".
#[must_use]
pub fn change_phrase_in(current: u64, previous: u64, unit: &str) -> String {
    if current == previous {
        return "与上年持平".to_owned();
    }
    let Some(percent) = percent_change(current, previous) else {
        // previous == 0 and current > 0: no base for a percentage.
        return format!("比上年增加{}{unit}（上年为0）", format_count(current));
    };
    if percent.is_zero() {
        "与上年基本持平".to_owned()
    } else if percent.is_sign_positive() {
        format!("比上年增长{percent}%")
    } else {
        format!("比上年下降{}%", percent.abs())
    }
}

/// A rate compared with the previous year's, both given in percent (98.64 for 98.64%):
/// "比上年提高2.3个百分点", "比上年下降1.05个百分点", "与上年持平".
///
/// The difference is rounded to at most two decimals; one that rounds to zero is "与上年持平".
#[must_use]
pub fn points_phrase(current_rate: Decimal, previous_rate: Decimal) -> String {
    let difference = round(current_rate - previous_rate);
    if difference.is_zero() {
        "与上年持平".to_owned()
    } else if difference.is_sign_positive() {
        format!("比上年提高{difference}个百分点")
    } else {
        format!("比上年下降{}个百分点", difference.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn rates_from_real_reports() {
        assert_eq!(format_rate(23219, 23540).as_deref(), Some("98.64%"));
        assert_eq!(format_rate(1573, 2640).as_deref(), Some("59.58%"));
        assert_eq!(format_rate(1, 2).as_deref(), Some("50%"));
        assert_eq!(format_rate(1, 8).as_deref(), Some("12.5%"));
        assert_eq!(format_rate(0, 7).as_deref(), Some("0%"));
        assert_eq!(format_rate(7, 7).as_deref(), Some("100%"));
        assert_eq!(format_rate(3, 0), None);
    }

    #[test]
    fn rates_round_half_away_from_zero() {
        // 1 ÷ 8000 = 0.0125% → 0.01%; 1 ÷ 1600 = 0.0625% → 0.06%.
        assert_eq!(rate_percent(1, 8000), Some(dec("0.01")));
        assert_eq!(rate_percent(1, 1600), Some(dec("0.06")));
        // 2 ÷ 3 = 66.666…% → 66.67%.
        assert_eq!(format_rate(2, 3).as_deref(), Some("66.67%"));
        // 0.005 exactly rounds up: 1 ÷ 20000 = 0.005%.
        assert_eq!(rate_percent(1, 20000), Some(dec("0.01")));
    }

    #[test]
    fn the_base_is_always_the_previous_year() {
        // 83 against 92: (92 − 83) ÷ 92 = 9.78%; dividing by 83 would give the wrong 10.84%.
        assert_eq!(change_phrase(83, 92), "比上年下降9.78%");
        assert_eq!(percent_change(83, 92), Some(dec("-9.78")));
        // And the other way round the base is 83: (92 − 83) ÷ 83 = 10.84%.
        assert_eq!(change_phrase(92, 83), "比上年增长10.84%");
    }

    #[test]
    fn growth_fall_and_flat() {
        assert_eq!(change_phrase(90, 80), "比上年增长12.5%");
        assert_eq!(change_phrase(200, 100), "比上年增长100%");
        assert_eq!(change_phrase(0, 100), "比上年下降100%");
        assert_eq!(change_phrase(10346, 10346), "与上年持平");
        assert_eq!(change_phrase(0, 0), "与上年持平");
        assert_eq!(change_phrase(100_001, 100_000), "与上年基本持平");
    }

    #[test]
    fn previous_year_zero_never_divides() {
        assert_eq!(percent_change(5, 0), None);
        assert_eq!(change_phrase(5, 0), "比上年增加5（上年为0）");
        assert_eq!(change_phrase_in(5, 0, "件"), "比上年增加5件（上年为0）");
    }

    #[test]
    fn large_counts_do_not_overflow() {
        assert_eq!(change_phrase(u64::MAX, u64::MAX - 1), "与上年基本持平");
        assert_eq!(
            change_phrase(u64::MAX, 1),
            format!("比上年增长{}00%", u64::MAX - 1)
        );
        assert_eq!(format_rate(u64::MAX, u64::MAX).as_deref(), Some("100%"));
    }

    #[test]
    fn percentage_points() {
        assert_eq!(
            points_phrase(dec("98.64"), dec("96.34")),
            "比上年提高2.3个百分点"
        );
        assert_eq!(
            points_phrase(dec("59.58"), dec("60.63")),
            "比上年下降1.05个百分点"
        );
        assert_eq!(points_phrase(dec("59.58"), dec("59.58")), "与上年持平");
        assert_eq!(points_phrase(dec("59.581"), dec("59.58")), "与上年持平");
        assert_eq!(points_phrase(dec("100"), dec("0")), "比上年提高100个百分点");
    }

    #[test]
    fn rates_feed_points() {
        let this_year = rate_percent(23219, 23540).unwrap_or_default();
        let last_year = rate_percent(1573, 2640).unwrap_or_default();
        assert_eq!(
            points_phrase(this_year, last_year),
            "比上年提高39.06个百分点"
        );
    }

    #[test]
    fn counts_are_plain_digits() {
        assert_eq!(format_count(10346), "10346");
        assert_eq!(format_count(0), "0");
    }
}
