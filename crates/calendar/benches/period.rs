//! Per-call cost of `add --workdays 20` and `add --days 60`, against a naive day-by-day loop over
//! the same calendar measured in the same run: `cargo bench -p fazhi-calendar`.
//!
//! Each benchmark computes the due dates of 256 start days spread over 2016–2025 (so that no
//! single cached case is measured) and reports items per second; the per-call cost is the time
//! divided by 256. Three variants of the library are measured: `due_date` (the fast path the app
//! uses for lists), `due` (with the explanation steps) and the reference loop.

use fazhi_calendar::{Calendar, Period};
use time::{Date, Duration};

const STARTS: usize = 256;

fn main() {
    divan::main();
}

fn calendar() -> &'static Calendar {
    Calendar::official().unwrap_or_else(|e| panic!("{e}"))
}

/// Start dates spread over the data, so the benchmark is not one cached case.
fn starts() -> Vec<Date> {
    let first = time::macros::date!(2016 - 01 - 01);
    (0..STARTS as i64)
        .map(|i| first + Duration::days(i * 13))
        .collect()
}

/// The naive reference for 工作日: walk day by day asking whether each day is a working day.
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
/// checks every day for suspensions must), then walk forward off rest days.
fn naive_days(calendar: &Calendar, start: Date, n: u32) -> Date {
    let mut day = start;
    for _ in 0..n {
        day += Duration::days(1);
        // A day-by-day implementation looks at every day; so does the reference.
        divan::black_box(calendar.is_working_day(day).ok());
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

fn run(bencher: divan::Bencher, due: impl Fn(&'static Calendar, Date) -> Option<Date> + Sync) {
    let (calendar, starts) = (calendar(), starts());
    bencher
        .counter(divan::counter::ItemsCount::new(STARTS))
        .bench(|| checksum(starts.iter().map(|s| due(calendar, divan::black_box(*s)))));
}

#[divan::bench]
fn workdays_20_due_date(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        calendar
            .due_date(start, &Period::workdays(20))
            .ok()
            .map(|(due, _)| due)
    });
}

#[divan::bench]
fn workdays_20_explained(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        calendar.add_workdays(start, 20).ok().map(|d| d.due)
    });
}

#[divan::bench]
fn workdays_20_naive_loop(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        Some(naive_workdays(calendar, start, 20))
    });
}

#[divan::bench]
fn days_60_due_date(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        calendar
            .due_date(start, &Period::days(60))
            .ok()
            .map(|(due, _)| due)
    });
}

#[divan::bench]
fn days_60_explained(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        calendar.add_days(start, 60).ok().map(|d| d.due)
    });
}

#[divan::bench]
fn days_60_naive_loop(bencher: divan::Bencher) {
    run(bencher, |calendar, start| {
        Some(naive_days(calendar, start, 60))
    });
}
