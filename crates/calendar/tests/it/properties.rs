//! Properties of the period arithmetic over random starts (2015–2030) and lengths.

use fazhi_calendar::{Calendar, Period, Unit};
use proptest::prelude::*;
use time::{Date, Duration};

fn cal() -> &'static Calendar {
    Calendar::official().expect("the shipped data parses")
}

fn start() -> impl Strategy<Value = Date> {
    (0i64..5800).prop_map(|offset| time::macros::date!(2015 - 01 - 01) + Duration::days(offset))
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Days), Just(Unit::Workdays), Just(Unit::Months)]
}

proptest! {
    #[test]
    fn adding_workdays_then_counting_back_gives_n(start in start(), n in 1u32..400) {
        let due = cal().add_workdays(start, n).expect("covered").due;
        prop_assert_eq!(cal().workdays_between(start, due).expect("covered"), i64::from(n));
    }

    #[test]
    fn due_dates_grow_with_n(start in start(), n in 0u32..300, unit in unit()) {
        let shorter = cal().due(start, &Period::new(n, unit)).expect("covered").due;
        let longer = cal().due(start, &Period::new(n + 1, unit)).expect("covered").due;
        prop_assert!(shorter <= longer);
    }

    #[test]
    fn a_due_date_is_a_working_day(start in start(), n in 1u32..300, unit in unit()) {
        let due = cal().due(start, &Period::new(n, unit)).expect("covered").due;
        prop_assert!(cal().is_working_day(due).expect("covered"), "{} + {} {:?} = {}", start, n, unit, due);
    }

    #[test]
    fn day_periods_never_end_early(start in start(), n in 1u32..300) {
        let due = cal().add_days(start, n).expect("covered").due;
        prop_assert!(due >= start + Duration::days(i64::from(n)));
        // and end at most at the first working day after the raw end
        let raw = start + Duration::days(i64::from(n));
        prop_assert_eq!(due, cal().next_working_day(raw).expect("covered"));
    }

    #[test]
    fn provisional_iff_past_the_data(start in start(), n in 1u32..200) {
        let deadline = cal().add_workdays(start, n).expect("covered");
        prop_assert_eq!(deadline.provisional, deadline.due.year() > 2026 || start.year() > 2026);
    }
}
