//! Properties of the period arithmetic over random starts (2015–2032, so through provisional
//! years), lengths and suspensions, some against a naive day-by-day reference written here.

use fazhi_calendar::{Calendar, Period, Unit, add_months};
use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration};

fn cal() -> &'static Calendar {
    Calendar::official().expect("the shipped data parses")
}

fn date_in(first: Date, days: i64) -> impl Strategy<Value = Date> {
    (0..days).prop_map(move |offset| first + Duration::days(offset))
}

fn start() -> impl Strategy<Value = Date> {
    date_in(date!(2015 - 01 - 01), 18 * 365)
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Days), Just(Unit::Workdays), Just(Unit::Months)]
}

/// Up to three suspensions near the start, as (offset from start, length in days).
fn suspensions() -> impl Strategy<Value = Vec<(i64, i64)>> {
    proptest::collection::vec((-20i64..200, 0i64..60), 0..3)
}

fn excluded(start: Date, suspensions: &[(i64, i64)]) -> Vec<(Date, Date)> {
    suspensions
        .iter()
        .map(|(offset, length)| {
            let from = start + Duration::days(*offset);
            (from, from + Duration::days(*length))
        })
        .collect()
}

/// The naive reference: walk day by day from the start, counting the days the unit counts and
/// skipping suspended ones, then walk forward off rest days.
fn naive(start: Date, n: u32, unit: Unit, excluded: &[(Date, Date)]) -> Date {
    let suspended = |d: Date| {
        excluded
            .iter()
            .any(|(from, resumed)| *from <= d && d < *resumed)
    };
    let working = |d: Date| cal().is_working_day(d).expect("covered");
    let length = match unit {
        Unit::Months => (add_months(start, n).unwrap() - start).whole_days(),
        Unit::Days | Unit::Workdays => i64::from(n),
    };
    let mut day = start;
    let mut counted = 0;
    while counted < length {
        day += Duration::days(1);
        if !suspended(day) && (unit != Unit::Workdays || working(day)) {
            counted += 1;
        }
    }
    while !working(day) {
        day += Duration::days(1);
    }
    day
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_workdays_then_counting_back_gives_n(start in start(), n in 1u32..400) {
        let due = cal().add_workdays(start, n).unwrap().due;
        prop_assert_eq!(cal().workdays_between(start, due).unwrap(), i64::from(n));
    }

    #[test]
    fn due_dates_grow_with_n(start in start(), n in 0u32..300, unit in unit()) {
        let shorter = cal().due(start, &Period::new(n, unit)).unwrap().due;
        let longer = cal().due(start, &Period::new(n + 1, unit)).unwrap().due;
        prop_assert!(shorter <= longer, "{} + {} {:?} = {}, + 1 more = {}", start, n, unit, shorter, longer);
    }

    #[test]
    fn due_dates_grow_with_the_start(start in start(), n in 0u32..300, unit in unit()) {
        let earlier = cal().due(start, &Period::new(n, unit)).unwrap().due;
        let later = cal().due(start + Duration::days(1), &Period::new(n, unit)).unwrap().due;
        prop_assert!(earlier <= later);
    }

    #[test]
    fn a_due_date_is_a_working_day(start in start(), n in 0u32..300, unit in unit()) {
        let due = cal().due(start, &Period::new(n, unit)).unwrap().due;
        prop_assert!(cal().is_working_day(due).unwrap(), "{} + {} {:?} = {}", start, n, unit, due);
    }

    #[test]
    fn day_periods_end_on_the_first_working_day_from_start_plus_n(start in start(), n in 0u32..300) {
        let due = cal().add_days(start, n).unwrap().due;
        prop_assert_eq!(due, cal().next_working_day(start + Duration::days(i64::from(n))).unwrap());
    }

    #[test]
    fn provisional_iff_the_count_reaches_past_the_settled_data(start in start(), n in 0u32..300, unit in unit()) {
        let deadline = cal().due(start, &Period::new(n, unit)).unwrap();
        prop_assert_eq!(deadline.provisional, deadline.due > cal().settled_through());
        prop_assert_eq!(deadline.provisional, deadline.due > date!(2026 - 12 - 24));
    }

    #[test]
    fn the_fast_path_agrees_with_the_explained_one(start in start(), n in 0u32..300, unit in unit(), s in suspensions()) {
        let period = Period { n, unit, extension: 0, excluded: excluded(start, &s) };
        let deadline = cal().due(start, &period).unwrap();
        prop_assert_eq!(cal().due_date(start, &period).unwrap(), (deadline.due, deadline.provisional));
    }

    #[test]
    fn suspensions_match_a_day_by_day_count(start in start(), n in 0u32..200, unit in unit(), s in suspensions()) {
        let excluded = excluded(start, &s);
        let period = Period { n, unit, extension: 0, excluded: excluded.clone() };
        let due = cal().due(start, &period).unwrap().due;
        prop_assert_eq!(due, naive(start, n, unit, &excluded), "{} + {} {:?} excluding {:?}", start, n, unit, excluded);
    }

    #[test]
    fn an_extension_of_days_or_workdays_adds_to_the_length(start in start(), n in 0u32..200, e in 0u32..100, workdays in any::<bool>()) {
        let unit = if workdays { Unit::Workdays } else { Unit::Days };
        let extended = cal().due(start, &Period::new(n, unit).extended(e)).unwrap().due;
        prop_assert_eq!(extended, cal().due(start, &Period::new(n + e, unit)).unwrap().due);
    }

    #[test]
    fn the_latest_start_is_the_last_day_that_is_in_time(deadline in date_in(date!(2016 - 01 - 01), 16 * 365), n in 0u32..60, unit in unit()) {
        let Ok((latest, _)) = cal().latest_start(deadline, n, unit) else {
            // Only when even the first covered day is too late.
            prop_assert!(cal().due(cal().first_day(), &Period::new(n, unit)).unwrap().due > deadline);
            return Ok(());
        };
        prop_assert!(cal().due(latest, &Period::new(n, unit)).unwrap().due <= deadline);
        prop_assert!(cal().due(latest + Duration::days(1), &Period::new(n, unit)).unwrap().due > deadline);
    }
}
