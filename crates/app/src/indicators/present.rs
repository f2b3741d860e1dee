//! How a figure is written: in the statistics pages and in the drafted report alike, so both say
//! the same thing. Year-on-year phrasing is `fazhi_report::phrase` (the previous year is always
//! the base; rates change in 百分点).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Compare, Indicator};

/// Amounts from this many yuan up are written in 万元, as reports do.
const WAN: i64 = 10_000;

/// The value as written in a report: "1234件", "98.64%", "356.2万元"; "—" when there is none.
pub fn display_value(indicator: &Indicator, value: Option<Decimal>) -> String {
    let Some(value) = value else {
        return "—".to_owned();
    };
    if indicator.unit == "元" && value >= Decimal::from(WAN) {
        let wan = (value / Decimal::from(WAN))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        return format!("{wan}万元");
    }
    let value = value.normalize();
    format!("{value}{}", indicator.unit)
}

/// The change from `previous` as reports phrase it ("比上年增长12.5%", "比上年提高2.3个百分点"),
/// or `None` when either year has no value or the indicator is not compared.
pub fn compare_phrase(
    indicator: &Indicator,
    current: Option<Decimal>,
    previous: Option<Decimal>,
) -> Option<String> {
    let (current, previous) = (current?, previous?);
    match indicator.compare {
        Compare::None => None,
        Compare::Points => Some(fazhi_report::phrase::points_phrase(current, previous)),
        Compare::Change => {
            // Amounts carry fen; the percentage change does not depend on the scale.
            let whole = |v: Decimal| (v * Decimal::ONE_HUNDRED).trunc().to_u64();
            Some(fazhi_report::phrase::change_phrase_in(
                whole(current)?,
                whole(previous)?,
                &indicator.unit,
            ))
            .map(|phrase| {
                // The absolute form ("比上年增加5件（上年为0）") must show the value, not fen.
                phrase.replace(
                    &format!("增加{}{}", whole(current).unwrap_or(0), indicator.unit),
                    &format!("增加{}", display_value(indicator, Some(current))),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Catalogue;

    fn catalogue() -> Catalogue {
        Catalogue::embedded(&crate::procedure::load_embedded().expect("procedures"))
            .expect("catalogue")
    }

    fn dec(text: &str) -> Decimal {
        text.parse().expect("decimal")
    }

    #[test]
    fn values_are_written_as_reports_write_them() {
        let catalogue = catalogue();
        let cases = catalogue
            .get("reconsideration.cases_received")
            .expect("indicator");
        let rate = catalogue
            .get("reconsideration.correction_rate")
            .expect("indicator");
        let fines = catalogue.get("enforcement.fines").expect("indicator");
        assert_eq!(display_value(cases, Some(dec("83"))), "83件");
        assert_eq!(display_value(rate, Some(dec("12.50"))), "12.5%");
        assert_eq!(display_value(fines, Some(dec("3562000.00"))), "356.2万元");
        assert_eq!(display_value(fines, Some(dec("850.50"))), "850.5元");
        assert_eq!(display_value(cases, None), "—");
    }

    #[test]
    fn changes_use_the_previous_year_as_base() {
        let catalogue = catalogue();
        let cases = catalogue
            .get("reconsideration.cases_received")
            .expect("indicator");
        let rate = catalogue
            .get("reconsideration.correction_rate")
            .expect("indicator");
        let fines = catalogue.get("enforcement.fines").expect("indicator");
        assert_eq!(
            compare_phrase(cases, Some(dec("83")), Some(dec("92"))).as_deref(),
            Some("比上年下降9.78%")
        );
        assert_eq!(
            compare_phrase(rate, Some(dec("14.8")), Some(dec("12.5"))).as_deref(),
            Some("比上年提高2.3个百分点")
        );
        assert_eq!(
            compare_phrase(fines, Some(dec("3562000")), Some(dec("0"))).as_deref(),
            Some("比上年增加356.2万元（上年为0）")
        );
        assert_eq!(compare_phrase(cases, Some(dec("5")), None), None);
    }
}
