//! The shipped data file read independently of the crate's parser (with `toml` alone): it parses,
//! is consistent, cites a notice for every year, agrees with the law's count of holidays, and the
//! calendar built from it says what the file says.

use std::collections::{BTreeMap, BTreeSet};

use fazhi_calendar::{Calendar, DayKind, parse_date};
use time::{Date, Weekday};

const DATA: &str = include_str!("../../data/holidays-cn.toml");

/// One year of the file as written.
struct Year {
    year: i32,
    table: toml::Table,
    holidays: Vec<(Date, String)>,
    workdays: Vec<(Date, Option<String>)>,
}

fn text<'a>(table: &'a toml::Table, key: &str) -> &'a str {
    table
        .get(key)
        .and_then(toml::Value::as_str)
        .unwrap_or_default()
}

fn years() -> (toml::Table, Vec<Year>) {
    let file: toml::Table = toml::from_str(DATA).expect("the data file is valid TOML");
    let years = file["years"].as_table().expect("[years]");
    let parsed = years
        .iter()
        .map(|(key, value)| {
            let table = value.as_table().expect("a table per year").clone();
            let mut holidays = Vec::new();
            for run in table["holidays"].as_array().expect("holidays") {
                let run = run.as_array().expect("[first, last, name]");
                let first = parse_date(run[0].as_str().unwrap()).expect("first");
                let last = parse_date(run[1].as_str().unwrap()).expect("last");
                let name = run[2].as_str().unwrap().to_owned();
                assert!(first <= last, "{key}: {name}");
                let mut day = first;
                while day <= last {
                    holidays.push((day, name.clone()));
                    day = day.next_day().unwrap();
                }
            }
            let workdays = table["workdays"]
                .as_array()
                .expect("workdays")
                .iter()
                .map(|entry| match entry {
                    toml::Value::String(day) => (parse_date(day).expect("date"), None),
                    toml::Value::Array(pair) => (
                        parse_date(pair[0].as_str().unwrap()).expect("date"),
                        Some(pair[1].as_str().unwrap().to_owned()),
                    ),
                    other => panic!("{key}: workday entry {other:?}"),
                })
                .collect();
            Year {
                year: key.parse().expect("year key"),
                table,
                holidays,
                workdays,
            }
        })
        .collect();
    (file, parsed)
}

#[test]
fn the_years_are_contiguous_and_each_cites_its_notice() {
    let (file, years) = years();
    let first = file["first_year"].as_integer().unwrap() as i32;
    let last = file["last_year"].as_integer().unwrap() as i32;
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        (first..=last).collect::<Vec<_>>()
    );
    for year in &years {
        let y = year.year;
        assert_eq!(
            text(&year.table, "title"),
            format!("国务院办公厅关于{y}年部分节假日安排的通知")
        );
        // Notices come out in the autumn of the year before (a late one could slip into January).
        let issued = parse_date(text(&year.table, "issued")).expect("issued date");
        assert!((y - 1..=y).contains(&issued.year()), "{y}: issued {issued}");
        assert!(text(&year.table, "official_url").starts_with("http"), "{y}");
        assert!(text(&year.table, "source").starts_with("http"), "{y}");
        // The document number may be unknown (empty); when given it has the usual form.
        let number = text(&year.table, "notice");
        assert!(
            number.is_empty() || (number.starts_with("国办发明电〔") && number.ends_with('号')),
            "{y}: {number}"
        );
    }
}

#[test]
fn adjusted_working_days_are_weekends_and_no_date_is_listed_twice() {
    let (_, years) = years();
    let mut seen = BTreeSet::new();
    for year in &years {
        for (day, name) in &year.holidays {
            assert!(seen.insert(*day), "{day} ({name}) listed twice");
        }
        let names: BTreeSet<&str> = year.holidays.iter().map(|(_, n)| n.as_str()).collect();
        for (day, serves) in &year.workdays {
            assert!(
                matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
                "{day} is not a Saturday or Sunday"
            );
            assert!(
                seen.insert(*day),
                "{day} is both a holiday and a working day, or listed twice"
            );
            if let Some(serves) = serves {
                assert!(
                    names.contains(serves.as_str()),
                    "{day} serves {serves}, not a holiday of {}",
                    year.year
                );
            }
        }
        for day in year
            .holidays
            .iter()
            .map(|(d, _)| d)
            .chain(year.workdays.iter().map(|(d, _)| d))
        {
            let previous_december =
                day.year() == year.year - 1 && day.month() == time::Month::December;
            assert!(
                day.year() == year.year || previous_december,
                "{day} outside {}",
                year.year
            );
        }
    }
}

/// Every whole-population statutory day either falls on a weekday inside a holiday period or,
/// falling on a weekend, is made up on one (全国年节及纪念日放假办法 Art. 6); every other extra
/// weekday off is paid back by an adjusted working day (Art. 7). So per notice:
/// weekday holiday dates − adjusted working days = the law's statutory days (11 through 2024, 13
/// from 2025: `[law].statutory_days_total`), except where a one-off notice added days off.
#[test]
fn each_year_gives_exactly_the_statutory_days_off() {
    let (file, years) = years();
    let totals: Vec<(i64, i64, i64)> = file["law"]["statutory_days_total"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let row = row.as_array().unwrap();
            (
                row[0].as_integer().unwrap(),
                row[1].as_integer().unwrap(),
                row[2].as_integer().unwrap(),
            )
        })
        .collect();
    // One-off days off beyond the law, each from a notice recorded in the data's `amendments`.
    let one_off: BTreeMap<i32, i64> = BTreeMap::from([
        // 国发明电〔2015〕1号: 2015-09-03 (Thu) a holiday for the 70th anniversary; 09-04 swapped
        // with Sunday 09-06.
        (2015, 1),
        // 国办发明电〔2020〕1号: 春节 extended to 02-02; Friday 01-31 off and the Saturday 02-01
        // working day cancelled.
        (2020, 2),
    ]);
    for year in &years {
        let weekday_holidays = year
            .holidays
            .iter()
            .filter(|(d, _)| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
            .count() as i64;
        let statutory = totals
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&i64::from(year.year)))
            .map(|(_, _, days)| *days)
            .unwrap();
        assert_eq!(
            weekday_holidays - year.workdays.len() as i64,
            statutory + one_off.get(&year.year).copied().unwrap_or(0),
            "{}: {weekday_holidays} weekday holiday dates, {} adjusted working days",
            year.year,
            year.workdays.len()
        );
    }
}

#[test]
fn the_calendar_says_what_the_file_says_for_every_day() {
    let (_, years) = years();
    let calendar = Calendar::official().expect("the shipped data parses");
    assert_eq!(
        (calendar.first_year(), calendar.last_data_year()),
        (2015, 2026)
    );
    let mut listed = BTreeMap::new();
    for year in &years {
        for (day, name) in &year.holidays {
            listed.insert(
                *day,
                DayKind::Holiday {
                    name: name.clone(),
                    in_lieu: false,
                },
            );
        }
        for (day, serves) in &year.workdays {
            listed.insert(
                *day,
                DayKind::AdjustedWorkday {
                    holiday: serves.clone(),
                },
            );
        }
    }
    let mut day = calendar.first_day();
    while day.year() <= 2026 {
        let expected = listed.get(&day).cloned().unwrap_or(
            if matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                DayKind::Weekend
            } else {
                DayKind::Workday
            },
        );
        assert_eq!(calendar.info(day).unwrap().kind, expected, "{day}");
        day = day.next_day().unwrap();
    }
}

#[test]
fn the_calendar_cites_the_notice_that_lists_a_date() {
    let calendar = Calendar::official().unwrap();
    assert_eq!(calendar.notices().len(), 12);
    // 2023-12-30 is in the 2024 notice's 元旦 run.
    let notice = calendar
        .notice_for(time::macros::date!(2023 - 12 - 30))
        .unwrap()
        .expect("a notice");
    assert_eq!(
        (notice.year, notice.number.as_str()),
        (2024, "国办发明电〔2023〕7号")
    );
    assert_eq!(notice.issued, time::macros::date!(2023 - 10 - 25));
    let amended = &calendar.notices()[5];
    assert_eq!(amended.year, 2020);
    assert_eq!(amended.amendments[0].number, "国办发明电〔2020〕1号");
    assert!(
        calendar
            .notice_for(time::macros::date!(2027 - 01 - 01))
            .unwrap()
            .is_none()
    );
}

#[test]
fn known_yearly_totals_of_working_days() {
    // Counted by hand from the notices: 2024 has 262 weekdays, 19 of them holidays, and 8
    // adjusted working days: 251. 2025 has 261 weekdays, 18 holidays, 5 adjusted: 248.
    let calendar = Calendar::official().unwrap();
    let year = |y: i32| {
        let before = Date::from_calendar_date(y - 1, time::Month::December, 31).unwrap();
        let last = Date::from_calendar_date(y, time::Month::December, 31).unwrap();
        calendar.workdays_between(before, last).unwrap()
    };
    assert_eq!((year(2024), year(2025)), (251, 248));
}
