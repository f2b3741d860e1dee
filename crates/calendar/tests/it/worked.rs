//! Worked cases. Each one counts the days by hand from `data/holidays-cn.toml` (the notice's
//! holiday runs and adjusted working days) and says how; the rules are in the crate docs.

use fazhi_calendar::{Calendar, DayKind, Error, LAST_COVERED, Period, Step, Unit, parse_date};
use time::Date;
use time::macros::date;

fn cal() -> &'static Calendar {
    Calendar::official().expect("the shipped data parses")
}

/// A case: start, length, unit, expected due date, how it was counted.
type Case = (&'static str, u32, Unit, &'static str, &'static str);

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for (start, n, unit, expected, how) in cases {
        let start = parse_date(start).expect("date");
        let deadline = cal().due(start, &Period::new(*n, *unit)).expect("covered");
        if deadline.due != parse_date(expected).expect("date") {
            failures.push(format!(
                "{start} + {n} {unit:?}: got {}, expected {expected} ({how})",
                deadline.due
            ));
        }
        if deadline.provisional {
            failures.push(format!(
                "{start} + {n} {unit:?}: provisional inside the data"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn five_working_days_after_national_day_eve_2025() {
    // The README case. 国庆+中秋 10-01..08 off; 10-09 Thu (1), 10-10 Fri (2), 10-11 Sat worked
    // (3), 10-12 Sun rest, 10-13 Mon (4), 10-14 Tue (5).
    let deadline = cal().add_workdays(date!(2025 - 09 - 30), 5).unwrap();
    assert_eq!(deadline.due, date!(2025 - 10 - 14));
    assert!(!deadline.provisional);
    assert_eq!(
        deadline.steps,
        vec![
            Step::StartNotCounted {
                start: date!(2025 - 09 - 30)
            },
            // 14 days in (09-30, 10-14]: 5 working, 9 rest (10-01..08 and Sunday 10-12).
            Step::Counted {
                unit: Unit::Workdays,
                n: 5,
                last: date!(2025 - 10 - 14),
                rest_days: 9,
                adjusted_workdays: 1,
                holidays: vec!["国庆节、中秋节".to_owned()],
            },
        ]
    );
}

#[test]
fn across_the_spring_festival() {
    check(&[
        (
            "2019-01-30",
            5,
            Unit::Workdays,
            "2019-02-11",
            "春节 02-04..10 off; 01-31 (1), 02-01 (2), Sat 02-02 and Sun 02-03 worked (3, 4), 02-11 (5)",
        ),
        (
            "2019-01-25",
            15,
            Unit::Days,
            "2019-02-11",
            "raw 02-09 (Sat) inside 春节 02-04..10; next working day Mon 02-11",
        ),
        (
            "2024-02-07",
            10,
            Unit::Days,
            "2024-02-18",
            "raw 02-17 is the last day of 春节 (02-10..17); Sunday 02-18 is worked (statutes.md §0.7)",
        ),
        (
            "2024-02-08",
            3,
            Unit::Workdays,
            "2024-02-19",
            "除夕 02-09 (Fri) is a working day in 2024 (1); 02-10..17 off; Sun 02-18 worked (2); 02-19 (3)",
        ),
        (
            "2025-01-24",
            2,
            Unit::Workdays,
            "2025-01-27",
            "Sat 01-25 rest; Sun 01-26 worked (1); Mon 01-27 (2); 春节 starts 01-28",
        ),
        (
            "2025-01-27",
            1,
            Unit::Workdays,
            "2025-02-05",
            "春节 01-28..02-04 off (除夕 included from 2025); Wed 02-05 (1)",
        ),
        (
            "2025-01-20",
            15,
            Unit::Days,
            "2025-02-05",
            "raw 02-04 is the last day of 春节; next working day 02-05",
        ),
        (
            "2026-02-10",
            5,
            Unit::Workdays,
            "2026-02-24",
            "02-11, 02-12, 02-13 (1-3), Sat 02-14 worked (4), 春节 02-15..23 off, 02-24 (5)",
        ),
        (
            "2026-02-13",
            10,
            Unit::Days,
            "2026-02-24",
            "raw 02-23 (Mon) is the last day of 春节 (02-15..23); next working day 02-24",
        ),
        (
            "2026-02-24",
            4,
            Unit::Workdays,
            "2026-02-28",
            "02-25, 02-26, 02-27 (1-3), Sat 02-28 worked (4)",
        ),
    ]);
}

#[test]
fn across_national_day_labour_day_and_adjusted_weekends() {
    check(&[
        (
            "2020-09-28",
            3,
            Unit::Workdays,
            "2020-10-09",
            "09-29 (1), 09-30 (2), 国庆+中秋 10-01..08 off, Fri 10-09 (3)",
        ),
        (
            "2020-09-25",
            2,
            Unit::Workdays,
            "2020-09-28",
            "Sat 09-26 rest, Sun 09-27 worked (1), Mon 09-28 (2)",
        ),
        (
            "2020-09-21",
            15,
            Unit::Days,
            "2020-10-09",
            "raw 10-06 inside 国庆+中秋 10-01..08; next working day 10-09",
        ),
        (
            "2020-10-01",
            7,
            Unit::Workdays,
            "2020-10-16",
            "start inside the holiday: 10-09 (1), Sat 10-10 worked (2), 10-12..16 (3-7)",
        ),
        (
            "2025-04-25",
            3,
            Unit::Workdays,
            "2025-04-29",
            "Sat 04-26 rest, Sun 04-27 worked (1), 04-28 (2), 04-29 (3)",
        ),
        (
            "2025-04-25",
            5,
            Unit::Workdays,
            "2025-05-06",
            "04-27 (1), 04-28..30 (2-4), 劳动节 05-01..05 off, 05-06 (5)",
        ),
        (
            "2025-04-17",
            10,
            Unit::Days,
            "2025-04-27",
            "raw 04-27 is a Sunday but a working one: the period ends on it (statutes.md §0.7)",
        ),
        (
            "2025-03-03",
            60,
            Unit::Days,
            "2025-05-06",
            "03-03 + 28 = 03-31, + 30 = 04-30, + 2 = 05-02, inside 劳动节 05-01..05; next working day 05-06",
        ),
        (
            "2025-04-01",
            6,
            Unit::Months,
            "2025-10-09",
            "行诉法 Art. 46's 6 个月: raw 10-01 inside 国庆+中秋 10-01..08; next working day 10-09",
        ),
    ]);
}

#[test]
fn across_year_boundaries() {
    check(&[
        (
            "2023-12-29",
            1,
            Unit::Days,
            "2024-01-02",
            "raw 12-30 is 元旦 (the 2024 notice's run 2023-12-30..2024-01-01); next working day 01-02",
        ),
        (
            "2018-12-28",
            1,
            Unit::Workdays,
            "2018-12-29",
            "Sat 2018-12-29 is worked, listed in the 2019 notice",
        ),
        (
            "2018-12-28",
            3,
            Unit::Days,
            "2019-01-02",
            "raw Mon 12-31 is 元旦 (2018-12-30..2019-01-01, 2019 notice); next working day 01-02",
        ),
        (
            "2022-12-30",
            2,
            Unit::Workdays,
            "2023-01-04",
            "元旦 2022-12-31..2023-01-02 off (2023 notice); 01-03 (1), 01-04 (2)",
        ),
        (
            "2025-12-31",
            1,
            Unit::Workdays,
            "2026-01-04",
            "2026 元旦 01-01..03 off; Sun 01-04 worked (1)",
        ),
        (
            "2025-12-27",
            5,
            Unit::Days,
            "2026-01-04",
            "raw 2026-01-01 is 元旦 (01-01..03); next working day is the worked Sunday 01-04",
        ),
    ]);
}

#[test]
fn leap_years_and_month_ends() {
    check(&[
        (
            "2024-01-31",
            1,
            Unit::Months,
            "2024-02-29",
            "leap year: February has a 29th, a Thursday",
        ),
        (
            "2020-01-31",
            1,
            Unit::Months,
            "2020-03-02",
            "raw 2020-02-29 is a Saturday (leap day); Sun 03-01; next working day Mon 03-02",
        ),
        (
            "2019-01-31",
            1,
            Unit::Months,
            "2019-02-28",
            "no 02-29 in 2019: the month's last day, a Thursday",
        ),
        (
            "2020-02-29",
            12,
            Unit::Months,
            "2021-03-01",
            "one year after a leap day: 2021 has no 02-29, so 02-28, a Sunday; next working day 03-01",
        ),
        (
            "2024-02-29",
            1,
            Unit::Months,
            "2024-03-29",
            "03-29, a Friday",
        ),
        (
            "2024-02-28",
            1,
            Unit::Days,
            "2024-02-29",
            "the leap day is an ordinary Thursday",
        ),
        (
            "2020-02-28",
            1,
            Unit::Days,
            "2020-03-02",
            "raw leap day 02-29 is a Saturday; next working day 03-02",
        ),
        (
            "2025-02-28",
            1,
            Unit::Days,
            "2025-03-03",
            "raw 03-01 is a Saturday; next working day 03-03",
        ),
        (
            "2025-01-31",
            1,
            Unit::Months,
            "2025-02-28",
            "no 02-31: the month's last day, a Friday",
        ),
        (
            "2025-08-31",
            6,
            Unit::Months,
            "2026-02-28",
            "no 02-31: 02-28, a Saturday but worked under the 2026 notice, so no move",
        ),
        (
            "2025-04-01",
            1,
            Unit::Months,
            "2025-05-06",
            "raw 05-01 is 劳动节 (05-01..05); next working day 05-06",
        ),
        (
            "2025-07-31",
            2,
            Unit::Months,
            "2025-09-30",
            "no 09-31: 09-30, a Tuesday",
        ),
        (
            "2025-08-01",
            2,
            Unit::Months,
            "2025-10-09",
            "raw 10-01 inside 国庆+中秋; next working day 10-09",
        ),
        (
            "2024-12-31",
            2,
            Unit::Months,
            "2025-02-28",
            "across the year end; no 02-31: 02-28, a Friday",
        ),
    ]);
}

#[test]
fn a_month_period_cut_to_the_month_end_says_so() {
    let deadline = cal().add_months(date!(2025 - 08 - 31), 6).unwrap();
    assert!(deadline.steps.contains(&Step::MonthEnd {
        last_day: date!(2026 - 02 - 28)
    }));
    assert!(
        !deadline
            .steps
            .iter()
            .any(|s| matches!(s, Step::MovedOff { .. }))
    );
}

#[test]
fn a_period_ending_on_a_holiday_explains_the_move() {
    let deadline = cal().add_days(date!(2024 - 02 - 07), 10).unwrap();
    assert_eq!(deadline.due, date!(2024 - 02 - 18));
    assert_eq!(
        (deadline.unit, deadline.n, deadline.extension),
        (Unit::Days, 10, 0)
    );
    assert_eq!(
        deadline.steps.last(),
        Some(&Step::MovedOff {
            from: date!(2024 - 02 - 17),
            kind: DayKind::Holiday {
                name: "春节".into(),
                in_lieu: false
            },
            to: date!(2024 - 02 - 18),
            rest_days: 1,
        })
    );
    // (02-07, 02-17]: 02-08 and 02-09 worked, 02-10..17 春节: 8 rest days, counted for 日.
    assert!(deadline.steps.contains(&Step::Counted {
        unit: Unit::Days,
        n: 10,
        last: date!(2024 - 02 - 17),
        rest_days: 8,
        adjusted_workdays: 0,
        holidays: vec!["春节".into()],
    }));
}

#[test]
fn extensions_count_on_from_the_original_raw_end() {
    // 政府信息公开条例 Art. 33: 20 + 20 working days from Mon 2025-03-03. The 20th working day is
    // 03-31 (03-04..07, 10..14, 17..21, 24..28, 31); then 04-01..03 (23), 清明 04-04..06 off,
    // 04-07..11 (28), 14..18 (33), 21..25 (38), Sun 04-27 worked (39), Mon 04-28 (40).
    let gip = cal()
        .due(date!(2025 - 03 - 03), &Period::workdays(20).extended(20))
        .unwrap();
    assert_eq!(gip.due, date!(2025 - 04 - 28));
    assert!(gip.steps.contains(&Step::Extended {
        original_end: date!(2025 - 03 - 31),
        by: 20
    }));
    // 行政复议法 Art. 62: 60 + 30 days from 2025-07-01. Raw original end 08-30 (a Saturday) is not
    // moved before the extension (statutes.md §0.8): 08-30 + 30 = 09-29, a Monday. (Moving first
    // would give 09-01 + 30 = 10-01, inside 国庆, so 10-09.)
    let review = cal()
        .due(date!(2025 - 07 - 01), &Period::days(60).extended(30))
        .unwrap();
    assert_eq!(review.due, date!(2025 - 09 - 29));
    assert!(review.steps.contains(&Step::Extended {
        original_end: date!(2025 - 08 - 30),
        by: 30
    }));
    // Months: 1 month after 01-31 is 02-28; the extension of 1 month runs from there: 03-28 (a
    // Friday), not 03-31.
    let months = cal()
        .due(date!(2025 - 01 - 31), &Period::months(1).extended(1))
        .unwrap();
    assert_eq!(months.due, date!(2025 - 03 - 28));
}

#[test]
fn suspended_time_is_not_counted_and_before_and_after_add_up() {
    // 60 days from 2025-03-03, suspended from 03-10, resumed 03-20: 03-04..09 are days 1-6;
    // 03-20 is day 7, so day 60 is 03-20 + 53 = 05-12, a Monday.
    let suspended = Period::days(60).suspended(date!(2025 - 03 - 10), date!(2025 - 03 - 20));
    let deadline = cal().due(date!(2025 - 03 - 03), &suspended).unwrap();
    assert_eq!(deadline.due, date!(2025 - 05 - 12));
    assert!(deadline.steps.contains(&Step::Suspended {
        from: date!(2025 - 03 - 10),
        resumed: date!(2025 - 03 - 20),
        skipped: 10
    }));
    // An overlapping second record of the same suspension changes nothing.
    let twice = suspended
        .clone()
        .suspended(date!(2025 - 03 - 15), date!(2025 - 03 - 20));
    assert_eq!(
        cal().due(date!(2025 - 03 - 03), &twice).unwrap().due,
        date!(2025 - 05 - 12)
    );
    // 5 working days from Mon 2025-03-03, 03-05..06 not counted (resumed 03-07): 03-04 (1),
    // 03-07 (2), 03-10, 11, 12 (3-5).
    let paused = Period::workdays(5).suspended(date!(2025 - 03 - 05), date!(2025 - 03 - 07));
    assert_eq!(
        cal().due(date!(2025 - 03 - 03), &paused).unwrap().due,
        date!(2025 - 03 - 12)
    );
    // 政府信息公开条例 Art. 33 para 3: 20 working days from Mon 2025-09-15, third-party
    // consultation from 09-22 to 10-20. Before: 09-16..19 (4). After: 10-20..24 (9), 10-27..31
    // (14), 11-03..07 (19), 11-10 (20).
    let consulted = Period::workdays(20).suspended(date!(2025 - 09 - 22), date!(2025 - 10 - 20));
    assert_eq!(
        cal().due(date!(2025 - 09 - 15), &consulted).unwrap().due,
        date!(2025 - 11 - 10)
    );
    // Months: 2 months from 2025-01-15 is 03-15; 02-01..10 suspended (10 days) pushes it to 03-25,
    // a Tuesday.
    let months = Period::months(2).suspended(date!(2025 - 02 - 01), date!(2025 - 02 - 11));
    assert_eq!(
        cal().due(date!(2025 - 01 - 15), &months).unwrap().due,
        date!(2025 - 03 - 25)
    );
    // A suspension after the period ended does not count.
    let late = Period::days(10).suspended(date!(2025 - 06 - 01), date!(2025 - 06 - 30));
    let deadline = cal().due(date!(2025 - 03 - 03), &late).unwrap();
    assert_eq!(deadline.due, date!(2025 - 03 - 13));
    assert!(
        deadline
            .steps
            .iter()
            .any(|s| matches!(s, Step::Suspended { skipped: 0, .. }))
    );
}

#[test]
fn a_suspension_resumed_before_it_starts_is_refused() {
    let backwards = Period::days(10).suspended(date!(2025 - 03 - 10), date!(2025 - 03 - 01));
    assert_eq!(
        cal().due(date!(2025 - 03 - 03), &backwards),
        Err(Error::BadSuspension {
            from: date!(2025 - 03 - 10),
            resumed: date!(2025 - 03 - 01)
        })
    );
}

#[test]
fn backward_periods_give_the_latest_service_day() {
    // 行政复议法 Art. 51: notice 5 working days before a hearing on Tue 2025-10-14. Served on
    // 10-08 (last day of 国庆), the 5 working days are 10-09, 10, 11, 13, 14; served on 10-09 the
    // 5th is 10-15. Safe variant (6): served 09-29, 09-30 (1), 10-09..14 (2-6).
    let hearing = date!(2025 - 10 - 14);
    assert_eq!(
        cal().latest_start(hearing, 5, Unit::Workdays),
        Ok((date!(2025 - 10 - 08), false))
    );
    assert_eq!(
        cal().latest_start(hearing, 6, Unit::Workdays),
        Ok((date!(2025 - 09 - 29), false))
    );
    // 2020 规定 Art. 5: served 3 days before a hearing on Tue 2025-06-10: served Sat 06-07, raw
    // end 06-10.
    assert_eq!(
        cal().latest_start(date!(2025 - 06 - 10), 3, Unit::Days),
        Ok((date!(2025 - 06 - 07), false))
    );
    assert!(matches!(
        cal().latest_start(date!(2015 - 01 - 05), 5, Unit::Workdays),
        Err(Error::BeforeData { .. })
    ));
}

#[test]
fn days_are_explained() {
    let kind = |d: Date| cal().info(d).expect("covered").kind;
    assert_eq!(
        kind(date!(2025 - 10 - 01)),
        DayKind::Holiday {
            name: "国庆节、中秋节".into(),
            in_lieu: false
        }
    );
    assert_eq!(
        kind(date!(2025 - 10 - 11)),
        DayKind::AdjustedWorkday {
            holiday: Some("国庆节、中秋节".into())
        }
    );
    // Listed under 国庆节 in the 2026 notice, though 中秋 (09-25..27) is nearer.
    assert_eq!(
        kind(date!(2026 - 09 - 20)),
        DayKind::AdjustedWorkday {
            holiday: Some("国庆节".into())
        }
    );
    assert_eq!(kind(date!(2025 - 10 - 12)), DayKind::Weekend);
    assert_eq!(kind(date!(2025 - 10 - 13)), DayKind::Workday);
    assert_eq!(
        kind(date!(2023 - 12 - 30)),
        DayKind::Holiday {
            name: "元旦".into(),
            in_lieu: false
        }
    );
}

#[test]
fn years_without_a_notice_are_computed_provisionally() {
    let info = |d: Date| cal().info(d).expect("covered");
    let holiday = |name: &str, in_lieu| DayKind::Holiday {
        name: name.into(),
        in_lieu,
    };
    let new_year = info(date!(2027 - 01 - 01));
    assert_eq!(
        (new_year.kind, new_year.provisional),
        (holiday("元旦", false), true)
    );
    // 2027-05-01 and 05-02 fall on Saturday and Sunday: made up on Mon 05-03 and Tue 05-04 (Art. 6).
    assert_eq!(info(date!(2027 - 05 - 02)).kind, holiday("劳动节", false));
    assert_eq!(info(date!(2027 - 05 - 03)).kind, holiday("劳动节", true));
    assert_eq!(info(date!(2027 - 05 - 04)).kind, holiday("劳动节", true));
    assert_eq!(info(date!(2027 - 05 - 05)).kind, DayKind::Workday);
    // 2028-10-01 is a Sunday: 国庆 10-01..03, one day owed, made up on Wed 10-04.
    assert_eq!(info(date!(2028 - 10 - 04)).kind, holiday("国庆节", true));
    assert_eq!(info(date!(2028 - 10 - 05)).kind, DayKind::Workday);
    // Before 2025 there was no 05-02 holiday; the provisional years are all after it.
    assert_eq!(info(date!(2030 - 05 - 02)).kind, holiday("劳动节", false));
}

#[test]
fn the_last_week_of_the_data_is_provisional() {
    // The 2027 notice may still join 元旦 to the last days of 2026 (as the 2019 notice did with
    // 2018-12-29..31), so results reaching past 2026-12-24 are provisional.
    assert_eq!(cal().settled_through(), date!(2026 - 12 - 24));
    assert!(!cal().info(date!(2026 - 12 - 24)).unwrap().provisional);
    assert!(cal().info(date!(2026 - 12 - 25)).unwrap().provisional);
    // Fri 2026-12-18: 4 working days end Thu 12-24, 5 end Fri 12-25.
    assert!(
        !cal()
            .add_workdays(date!(2026 - 12 - 18), 4)
            .unwrap()
            .provisional
    );
    assert!(
        cal()
            .add_workdays(date!(2026 - 12 - 18), 5)
            .unwrap()
            .provisional
    );
    // Mon 2026-11-02 + 20 working days: 11-03..06, 09..13, 16..20, 23..27, 30: not provisional.
    let november = cal().add_workdays(date!(2026 - 11 - 02), 20).unwrap();
    assert_eq!(
        (november.due, november.provisional),
        (date!(2026 - 11 - 30), false)
    );
    assert!(
        cal()
            .add_workdays(date!(2026 - 12 - 20), 20)
            .unwrap()
            .provisional
    );
}

#[test]
fn dates_outside_the_calendar_are_refused() {
    assert_eq!(
        cal().add_days(date!(2014 - 12 - 31), 5),
        Err(Error::BeforeData {
            date: date!(2014 - 12 - 31),
            first_year: 2015
        })
    );
    assert_eq!(
        cal().add_days(date!(2099 - 12 - 01), 90),
        Err(Error::OutOfRange {
            last_covered: LAST_COVERED
        })
    );
    assert_eq!(
        cal().add_days(date!(2025 - 01 - 01), u32::MAX),
        Err(Error::OutOfRange {
            last_covered: LAST_COVERED
        })
    );
    assert_eq!(
        Period::try_new(-3, Unit::Days),
        Err(Error::NegativePeriod { n: -3 })
    );
    assert_eq!(Period::try_new(3, Unit::Days), Ok(Period::days(3)));
}

#[test]
fn working_days_between_two_dates() {
    // After 09-30 up to 10-14: 10-09, 10, 11, 13, 14.
    assert_eq!(
        cal().workdays_between(date!(2025 - 09 - 30), date!(2025 - 10 - 14)),
        Ok(5)
    );
    assert_eq!(
        cal().workdays_between(date!(2025 - 10 - 14), date!(2025 - 09 - 30)),
        Ok(-5)
    );
    assert_eq!(
        cal().workdays_between(date!(2025 - 10 - 01), date!(2025 - 10 - 08)),
        Ok(0)
    );
}

#[test]
fn a_zero_length_period_ends_on_the_start_day_or_the_next_working_day() {
    assert_eq!(
        cal().add_days(date!(2025 - 10 - 14), 0).unwrap().due,
        date!(2025 - 10 - 14)
    );
    assert_eq!(
        cal().add_workdays(date!(2025 - 10 - 04), 0).unwrap().due,
        date!(2025 - 10 - 09)
    );
}
