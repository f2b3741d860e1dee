//! Per-call cost of `add --workdays 20` and `add --days 60`, against a naive day-by-day loop over
//! the same calendar measured in the same run (`cargo bench -p fazhi-calendar`).

use fazhi_calendar::{Calendar, Period, Unit};
use time::{Date, Duration};

fn main() {
    divan::main();
}

fn calendar() -> &'static Calendar {
    Calendar::official().unwrap_or_else(|e| panic!("{e}"))
}

/// Start dates spread over the data, so the benchmark is not one cached case.
fn starts() -> Vec<Date> {
    let first = time::macros::date!(2016 - 01 - 01);
    (0..256).map(|i| first + Duration::days(i * 13)).collect()
}

/// The naive reference: walk day by day asking whether each is a working day.
fn naive_workdays(calendar: &Calendar, start: Date, n: u32) -> Date {
    let mut day = start;
    let mut counted = 0;
    while counted < n {
        day += Duration::days(1);
        if calendar.is_working_day(day).unwrap_or(false) {
            counted += 1;
        }
    }
    day
}

/// The naive reference for 日: walk the period one day at a time (as an implementation that
/// checks every day for exclusions must), then walk forward off rest days.
fn naive_days(calendar: &Calendar, start: Date, n: u32) -> Date {
    let mut day = start;
    for _ in 0..n {
        day += Duration::days(1);
        // A day-by-day implementation looks at every day (for suspensions); so does the reference.
        let _ = calendar.is_working_day(day);
    }
    while !calendar.is_working_day(day).unwrap_or(true) {
        day += Duration::days(1);
    }
    day
}

/// Folds the due dates into a number so the work cannot be optimised away.
fn checksum(dues: impl Iterator<Item = Option<Date>>) -> i64 {
    dues.map(|due| due.map_or(0, |d| i64::from(d.ordinal())))
        .sum()
}

#[divan::bench]
fn workdays_20_precomputed(bencher: divan::Bencher) {
    let (calendar, starts) = (calendar(), starts());
    bencher.bench(|| {
        checksum(starts.iter().map(|s| {
            calendar
                .due(*s, &Period::new(20, Unit::Workdays))
                .ok()
                .map(|d| d.due)
        }))
    });
}

#[divan::bench]
fn workdays_20_naive_loop(bencher: divan::Bencher) {
    let (calendar, starts) = (calendar(), starts());
    bencher.bench(|| {
        checksum(
            starts
                .iter()
                .map(|s| Some(naive_workdays(calendar, *s, 20))),
        )
    });
}

#[divan::bench]
fn days_60_precomputed(bencher: divan::Bencher) {
    let (calendar, starts) = (calendar(), starts());
    bencher.bench(|| {
        checksum(starts.iter().map(|s| {
            calendar
                .due(*s, &Period::new(60, Unit::Days))
                .ok()
                .map(|d| d.due)
        }))
    });
}

#[divan::bench]
fn days_60_with_explanation(bencher: divan::Bencher) {
    let (calendar, starts) = (calendar(), starts());
    bencher.bench(|| {
        checksum(starts.iter().map(|s| {
            calendar
                .due(*s, &Period::new(60, Unit::Days))
                .ok()
                .map(|d| d.due)
        }))
    });
}

#[divan::bench]
fn days_60_naive_loop(bencher: divan::Bencher) {
    let (calendar, starts) = (calendar(), starts());
    bencher.bench(|| checksum(starts.iter().map(|s| Some(naive_days(calendar, *s, 60)))));
}
