//! Worked cases. Each comment counts the days by hand from `data/holidays-cn.toml`.

use fazhi_calendar::{Calendar, DayKind, Error, Period, Step, Unit, parse_date};
use time::macros::date;

fn cal() -> &'static Calendar {
    Calendar::official().expect("the shipped data parses")
}

#[test]
fn the_shipped_data_covers_2015_to_2026_and_cites_every_notice() {
    let calendar = cal();
    assert_eq!(
        (calendar.first_year(), calendar.last_data_year()),
        (2015, 2026)
    );
    assert_eq!(calendar.notices().len(), 12);
    for (year, notice) in calendar.notices() {
        assert!(
            notice.contains(&format!("{year}年部分节假日安排")),
            "{year}: {notice}"
        );
        assert!(notice.contains("国办发明电"), "{year}: {notice}");
    }
}

#[test]
fn inconsistent_data_is_refused() {
    let good = include_str!("../../data/holidays-cn.toml");
    let weekday_as_workday =
        good.replace("workdays = [\"2025-01-26\"", "workdays = [\"2025-01-27\"");
    assert!(
        Calendar::from_toml(&weekday_as_workday).is_err(),
        "an adjusted working day must be a Sat/Sun"
    );
    let gap = good.replace("[years.2020]", "[years.2030]");
    assert!(
        Calendar::from_toml(&gap).is_err(),
        "years must be contiguous"
    );
}

#[test]
fn days_are_explained() {
    let calendar = cal();
    let kind = |d| calendar.info(d).expect("covered").kind;
    assert_eq!(
        kind(date!(2025 - 10 - 01)),
        DayKind::Holiday("国庆节、中秋节".into())
    );
    assert_eq!(
        kind(date!(2025 - 10 - 11)),
        DayKind::AdjustedWorkday,
        "Saturday worked after 国庆 2025"
    );
    assert_eq!(kind(date!(2025 - 10 - 12)), DayKind::Weekend);
    assert_eq!(kind(date!(2025 - 10 - 13)), DayKind::Workday);
    assert_eq!(
        kind(date!(2023 - 12 - 30)),
        DayKind::Holiday("元旦".into()),
        "2024's notice starts 元旦 in December 2023"
    );
}

/// (start, n, unit, expected due, how)
const CASES: &[(&str, u32, Unit, &str, &str)] = &[
    (
        "2025-09-30",
        5,
        Unit::Workdays,
        "2025-10-14",
        "国庆 10-01..08 off; 10-09, 10-10, 10-11 (adjusted Sat), 10-13, 10-14",
    ),
    (
        "2024-02-07",
        10,
        Unit::Days,
        "2024-02-18",
        "raw 02-17 is in 春节 (02-10..17); 02-18 is an adjusted working Sunday (statutes.md §0.7)",
    ),
    (
        "2025-04-25",
        3,
        Unit::Workdays,
        "2025-04-29",
        "04-27 (Sun) adjusted working day, 04-28, 04-29",
    ),
    (
        "2025-04-25",
        5,
        Unit::Workdays,
        "2025-05-06",
        "04-27 (Sun, adjusted), 04-28, 04-29, 04-30, 劳动节 05-01..05 off, 05-06",
    ),
    (
        "2023-12-29",
        1,
        Unit::Days,
        "2024-01-02",
        "raw 12-30 is 元旦 (2023-12-30..2024-01-01); next working day 01-02",
    ),
    (
        "2019-01-30",
        5,
        Unit::Workdays,
        "2019-02-11",
        "春节 2019 02-04..10 off; 02-02, 02-03 adjusted working weekend: 01-31, 02-01, 02-02, 02-03, 02-11",
    ),
    (
        "2026-02-10",
        5,
        Unit::Workdays,
        "2026-02-24",
        "02-11, 02-12, 02-13, 02-14 (adjusted Sat), 春节 02-15..23 off, 02-24",
    ),
    (
        "2020-09-28",
        3,
        Unit::Workdays,
        "2020-10-09",
        "09-29, 09-30, 国庆+中秋 10-01..08 off, 10-09 (Fri)",
    ),
    (
        "2024-01-31",
        1,
        Unit::Months,
        "2024-02-29",
        "leap year: Feb has a 29th; Thursday, a working day",
    ),
    (
        "2025-01-31",
        1,
        Unit::Months,
        "2025-02-28",
        "no Feb 31st: the month's last day, a Friday",
    ),
    (
        "2025-04-01",
        1,
        Unit::Months,
        "2025-05-06",
        "05-01 is 劳动节 (05-01..05); next working day 05-06",
    ),
    (
        "2025-03-03",
        60,
        Unit::Days,
        "2025-05-06",
        "raw 05-02 inside 劳动节; next working day 05-06",
    ),
    (
        "2025-12-31",
        1,
        Unit::Workdays,
        "2026-01-04",
        "2026 元旦 01-01..03 off; 01-04 is an adjusted working Sunday",
    ),
    (
        "2025-12-27",
        5,
        Unit::Days,
        "2026-01-04",
        "raw 2026-01-01 is 元旦 (01-01..03); next working day is the adjusted Sunday 01-04",
    ),
];

#[test]
fn worked_cases_across_holidays_weekends_and_year_ends() {
    let calendar = cal();
    let mut failures = Vec::new();
    for (start, n, unit, expected, how) in CASES {
        let start = parse_date(start).expect("date");
        let due = calendar
            .due(start, &Period::new(*n, *unit))
            .expect("covered")
            .due;
        let expected_date = parse_date(expected).expect("date");
        if due != expected_date {
            failures.push(format!(
                "{start} + {n} {unit:?}: got {due}, expected {expected} ({how})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_period_ending_on_a_holiday_explains_the_move() {
    let deadline = cal()
        .due(date!(2024 - 02 - 07), &Period::new(10, Unit::Days))
        .expect("covered");
    assert_eq!(deadline.due, date!(2024 - 02 - 18));
    assert!(
        deadline
            .steps
            .contains(&Step::StartNotCounted(date!(2024 - 02 - 07)))
    );
    assert!(
        deadline
            .steps
            .contains(&Step::RawEnd(date!(2024 - 02 - 17)))
    );
    assert!(deadline.steps.iter().any(|s| matches!(s, Step::MovedOff { from, kind: DayKind::Holiday(name), to } if *from == date!(2024 - 02 - 17) && name == "春节" && *to == date!(2024 - 02 - 18))));
    assert!(!deadline.provisional);
}

#[test]
fn extensions_add_to_the_original_length() {
    // GIP: 20 + 20 working days = the 40th working day after receipt (statutes.md §0.8).
    let calendar = cal();
    let extended = Period {
        n: 20,
        unit: Unit::Workdays,
        extension: 20,
        excluded: Vec::new(),
    };
    assert_eq!(
        calendar
            .due(date!(2025 - 03 - 03), &extended)
            .expect("covered")
            .due,
        calendar
            .add_workdays(date!(2025 - 03 - 03), 40)
            .expect("covered")
            .due
    );
}

#[test]
fn suspended_days_are_not_counted() {
    // 60 days from 03-03 with 03-10..03-19 excluded (10 days): raw end 05-12 (Monday, working).
    let calendar = cal();
    let suspended = Period {
        n: 60,
        unit: Unit::Days,
        extension: 0,
        excluded: vec![(date!(2025 - 03 - 10), date!(2025 - 03 - 20))],
    };
    assert_eq!(
        calendar
            .due(date!(2025 - 03 - 03), &suspended)
            .expect("covered")
            .due,
        date!(2025 - 05 - 12)
    );
    // Working days: 5 working days from Mon 2025-03-03 with Wed 03-05..Thu 03-06 excluded:
    // 03-04, (03-05, 03-06 skipped), 03-07, 03-10, 03-11, 03-12.
    let paused = Period {
        n: 5,
        unit: Unit::Workdays,
        extension: 0,
        excluded: vec![(date!(2025 - 03 - 05), date!(2025 - 03 - 07))],
    };
    assert_eq!(
        calendar
            .due(date!(2025 - 03 - 03), &paused)
            .expect("covered")
            .due,
        date!(2025 - 03 - 12)
    );
}

#[test]
fn years_without_a_notice_are_computed_provisionally() {
    let calendar = cal();
    let new_year = calendar.info(date!(2027 - 01 - 01)).expect("covered");
    assert_eq!(new_year.kind, DayKind::Holiday("元旦".into()));
    assert!(new_year.provisional);
    let into_2027 = calendar
        .add_workdays(date!(2026 - 12 - 20), 20)
        .expect("covered");
    assert!(into_2027.provisional);
    assert!(
        !calendar
            .add_workdays(date!(2026 - 11 - 02), 20)
            .expect("covered")
            .provisional
    );
    // 2028-10-01 is a Sunday: 国庆 10-01..03, one day owed, made up on Wednesday 10-04.
    assert_eq!(
        calendar.info(date!(2028 - 10 - 04)).expect("covered").kind,
        DayKind::Holiday("国庆节（补休）".into())
    );
    assert_eq!(
        calendar.info(date!(2028 - 10 - 05)).expect("covered").kind,
        DayKind::Workday
    );
}

#[test]
fn dates_before_the_data_are_refused() {
    assert!(matches!(
        cal().add_days(date!(2014 - 12 - 31), 5),
        Err(Error::BeforeData {
            first_year: 2015,
            ..
        })
    ));
    assert!(matches!(
        cal().add_days(date!(2099 - 12 - 01), 90),
        Err(Error::OutOfRange)
    ));
}

#[test]
fn working_days_between_two_dates() {
    // 2025-10-01 .. 2025-10-14: working days after 09-30 up to 10-14 are 10-09, 10, 11, 13, 14.
    assert_eq!(
        cal()
            .workdays_between(date!(2025 - 09 - 30), date!(2025 - 10 - 14))
            .expect("covered"),
        5
    );
    assert_eq!(
        cal()
            .workdays_between(date!(2025 - 10 - 14), date!(2025 - 09 - 30))
            .expect("covered"),
        -5
    );
}
