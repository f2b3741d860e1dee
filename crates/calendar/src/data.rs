//! Reading and checking the calendar data file (`data/holidays-cn.toml`): per year, the notice it
//! comes from, the holiday periods and the adjusted working days; and, from the `[law]` table, the
//! fixed-date holidays of 《全国年节及纪念日放假办法》 used for years without a notice.
//!
//! This module only turns text into checked values. It does not decide what kind of day a date is
//! (that is `calendar.rs`), and it never reads a file: the text is compiled into the crate.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use time::{Date, Month, Weekday};

/// The calendar data is malformed or inconsistent.
///
/// The shipped data is checked by the crate's tests, so this only happens with data passed to
/// [`Calendar::from_toml`](crate::Calendar::from_toml) or after a bad edit of the data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar data: {0}")]
pub struct DataError(String);

impl DataError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DataError(message.into())
    }

    /// What is wrong, in English, naming the year or date concerned.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// The notice (通知) a year's data comes from, and the later notices that changed that year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notice {
    /// The year the notice arranges (it may also list dates in the previous December).
    pub year: i32,
    /// The document number, e.g. `国办发明电〔2024〕12号`; empty where none was found.
    pub number: String,
    /// The title, e.g. `国务院办公厅关于2025年部分节假日安排的通知`.
    pub title: String,
    /// The date the notice was issued.
    pub issued: Date,
    /// The notice's address on the central government's site.
    pub url: String,
    /// Later notices that changed this year's arrangement (already applied to the data).
    pub amendments: Vec<Amendment>,
}

/// A later notice that changed a year's arrangement (e.g. the 2020 extension of 春节).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Amendment {
    /// The document number.
    pub number: String,
    /// The title.
    pub title: String,
    /// The date it was issued.
    pub issued: Date,
    /// Its address on the central government's site.
    pub url: String,
}

#[derive(Debug, Deserialize)]
struct File {
    first_year: i32,
    last_year: i32,
    law: Law,
    years: BTreeMap<String, Year>,
}

/// The `[law]` table: the fixed-date statutory holidays used for years without a notice.
#[derive(Debug, Deserialize)]
struct Law {
    fixed_date_statutory: Vec<(String, String, String, String)>,
}

#[derive(Debug, Deserialize)]
struct Year {
    notice: String,
    title: String,
    issued: String,
    official_url: String,
    holidays: Vec<(String, String, String)>,
    workdays: Vec<WorkdayEntry>,
    #[serde(default)]
    amendments: Vec<AmendmentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum WorkdayEntry {
    /// `["2025-10-11", "国庆节、中秋节"]`: the day and the holiday it serves.
    Named((String, String)),
    /// `"2025-10-11"`: the day only.
    Plain(String),
}

#[derive(Debug, Deserialize)]
struct AmendmentEntry {
    notice: String,
    title: String,
    issued: String,
    official_url: String,
}

/// A fixed-date statutory holiday (month and day) valid between two dates.
#[derive(Debug, Clone)]
pub(crate) struct FixedHoliday {
    from: Date,
    until: Date,
    month: Month,
    day: u8,
    pub(crate) name: String,
}

impl FixedHoliday {
    pub(crate) fn applies(&self, date: Date) -> bool {
        self.from <= date
            && date <= self.until
            && date.month() == self.month
            && date.day() == self.day
    }
}

/// A date listed by a notice: a holiday or an adjusted working day.
#[derive(Debug, Clone)]
pub(crate) enum Listed {
    /// A day of a holiday period, with the holiday's name.
    Holiday(String),
    /// An adjusted working day, with the holiday it serves where the data names it.
    Workday(Option<String>),
}

/// The parsed and checked data.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) first_year: i32,
    pub(crate) last_year: i32,
    /// Every date a notice lists, with the index of that notice in `notices`.
    pub(crate) listed: HashMap<Date, (Listed, usize)>,
    pub(crate) fixed: Vec<FixedHoliday>,
    pub(crate) notices: Vec<Notice>,
}

/// The calendar cannot run past this year (see [`crate::LAST_COVERED`]); data must end before it.
const LAST_DATA_YEAR_ALLOWED: i32 = 2098;

fn date(text: &str, what: &str) -> Result<Date, DataError> {
    crate::parse_date(text).ok_or_else(|| DataError::new(format!("{what}: invalid date {text:?}")))
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Whether `date` may appear in the notice for `year`: that year, or the December before it
/// (a 元旦 run and its working day can start there, as in the 2019, 2023 and 2024 notices).
fn in_notice_window(date: Date, year: i32) -> bool {
    date.year() == year || (date.year() == year - 1 && date.month() == Month::December)
}

fn notice(number: i32, year: &Year) -> Result<Notice, DataError> {
    let what = format!("year {number}");
    if year.title.trim().is_empty() || year.official_url.trim().is_empty() {
        return Err(DataError::new(format!(
            "{what}: the notice's title and official_url are required"
        )));
    }
    let amendments = year
        .amendments
        .iter()
        .map(|a| {
            Ok(Amendment {
                number: a.notice.clone(),
                title: a.title.clone(),
                issued: date(&a.issued, &format!("{what} amendment {}", a.notice))?,
                url: a.official_url.clone(),
            })
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    Ok(Notice {
        year: number,
        number: year.notice.trim().to_owned(),
        title: year.title.clone(),
        issued: date(&year.issued, &what)?,
        url: year.official_url.clone(),
        amendments,
    })
}

fn list(
    listed: &mut HashMap<Date, (Listed, usize)>,
    day: Date,
    entry: Listed,
    notice_index: usize,
) -> Result<(), DataError> {
    if let Some((previous, _)) = listed.get(&day) {
        let both = matches!(
            (previous, &entry),
            (Listed::Holiday(_), Listed::Workday(_)) | (Listed::Workday(_), Listed::Holiday(_))
        );
        return Err(DataError::new(if both {
            format!("{day} is both a holiday and an adjusted working day")
        } else {
            format!("{day} is listed twice")
        }));
    }
    listed.insert(day, (entry, notice_index));
    Ok(())
}

pub(crate) fn parse(text: &str) -> Result<Parsed, DataError> {
    let file: File = toml::from_str(text).map_err(|e| DataError::new(e.to_string()))?;
    if file.first_year > file.last_year
        || file.last_year > LAST_DATA_YEAR_ALLOWED
        || file.first_year < 1950
    {
        return Err(DataError::new(format!(
            "first_year {} and last_year {} must be in order, from 1950 to {LAST_DATA_YEAR_ALLOWED}",
            file.first_year, file.last_year
        )));
    }
    let mut listed = HashMap::new();
    let mut notices = Vec::new();
    let mut expected = file.first_year;
    for (key, year) in &file.years {
        let number: i32 = key
            .parse()
            .map_err(|_| DataError::new(format!("year key {key:?} is not a year")))?;
        if number != expected {
            return Err(DataError::new(format!(
                "years must be contiguous: expected {expected}, found {number}"
            )));
        }
        expected += 1;
        let notice_index = notices.len();
        notices.push(notice(number, year)?);
        for (first, last, name) in &year.holidays {
            let what = format!("year {number} holiday {name}");
            let (first, last) = (date(first, &what)?, date(last, &what)?);
            if name.trim().is_empty() || last < first {
                return Err(DataError::new(format!(
                    "{what}: needs a name and must not end before it starts"
                )));
            }
            if !in_notice_window(first, number) || !in_notice_window(last, number) {
                return Err(DataError::new(format!(
                    "{what}: {first}..{last} is outside {number}"
                )));
            }
            let mut day = first;
            loop {
                list(
                    &mut listed,
                    day,
                    Listed::Holiday(name.clone()),
                    notice_index,
                )?;
                if day == last {
                    break;
                }
                day = day
                    .next_day()
                    .ok_or_else(|| DataError::new("date overflow"))?;
            }
        }
        for entry in &year.workdays {
            let (text, serves) = match entry {
                WorkdayEntry::Named((text, name)) => (text, Some(name.clone())),
                WorkdayEntry::Plain(text) => (text, None),
            };
            let day = date(text, &format!("year {number} workdays"))?;
            if !is_weekend(day) {
                return Err(DataError::new(format!(
                    "adjusted working day {day} is not a Saturday or Sunday"
                )));
            }
            if !in_notice_window(day, number) {
                return Err(DataError::new(format!(
                    "adjusted working day {day} is outside {number}"
                )));
            }
            if let Some(name) = &serves
                && !year.holidays.iter().any(|(_, _, holiday)| holiday == name)
            {
                return Err(DataError::new(format!(
                    "adjusted working day {day} serves {name:?}, which is not a holiday of {number}"
                )));
            }
            list(&mut listed, day, Listed::Workday(serves), notice_index)?;
        }
    }
    if expected - 1 != file.last_year {
        return Err(DataError::new(format!(
            "last_year {} does not match the years given (up to {})",
            file.last_year,
            expected - 1
        )));
    }
    let fixed = file
        .law
        .fixed_date_statutory
        .iter()
        .map(|(from, until, month_day, name)| fixed_holiday(from, until, month_day, name))
        .collect::<Result<Vec<_>, DataError>>()?;
    Ok(Parsed {
        first_year: file.first_year,
        last_year: file.last_year,
        listed,
        fixed,
        notices,
    })
}

fn fixed_holiday(
    from: &str,
    until: &str,
    month_day: &str,
    name: &str,
) -> Result<FixedHoliday, DataError> {
    let bad = || {
        DataError::new(format!(
            "fixed-date holiday {name}: {month_day:?} is not MM-DD"
        ))
    };
    let (month, day) = month_day.split_once('-').ok_or_else(bad)?;
    let month = Month::try_from(month.parse::<u8>().map_err(|_| bad())?).map_err(|_| bad())?;
    let day: u8 = day.parse().map_err(|_| bad())?;
    // Checked against a leap year so that a 02-29 entry would be accepted.
    Date::from_calendar_date(2000, month, day).map_err(|_| bad())?;
    let what = format!("fixed-date holiday {name}");
    let (from, until) = (date(from, &what)?, date(until, &what)?);
    if until < from {
        return Err(DataError::new(format!(
            "{what}: valid until {until}, before {from}"
        )));
    }
    Ok(FixedHoliday {
        from,
        until,
        month,
        day,
        name: name.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../data/holidays-cn.toml");

    fn refused(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.message().to_owned(),
        }
    }

    #[test]
    fn the_shipped_data_parses() {
        let parsed = parse(SHIPPED).unwrap();
        assert_eq!((parsed.first_year, parsed.last_year), (2015, 2026));
        assert_eq!(parsed.notices.len(), 12);
    }

    #[test]
    fn a_weekday_listed_as_adjusted_working_day_is_refused() {
        let text = SHIPPED.replace("[\"2025-01-26\", \"春节\"]", "[\"2025-01-27\", \"春节\"]");
        assert!(refused(&text).contains("not a Saturday or Sunday"));
    }

    #[test]
    fn a_date_both_holiday_and_working_day_is_refused() {
        let text = SHIPPED.replace(
            "[\"2025-10-11\", \"国庆节、中秋节\"]",
            "[\"2025-10-05\", \"国庆节、中秋节\"]",
        );
        assert!(refused(&text).contains("both"));
    }

    #[test]
    fn a_gap_in_the_years_is_refused() {
        assert!(refused(&SHIPPED.replace("[years.2021]", "[years.2031]")).contains("contiguous"));
    }

    #[test]
    fn a_working_day_serving_an_unknown_holiday_is_refused() {
        let text = SHIPPED.replace(
            "[\"2025-10-11\", \"国庆节、中秋节\"]",
            "[\"2025-10-11\", \"国庆\"]",
        );
        assert!(refused(&text).contains("not a holiday of 2025"));
    }

    #[test]
    fn a_date_outside_its_notice_year_is_refused() {
        let text = SHIPPED.replace(
            "[\"2025-05-31\", \"2025-06-02\", \"端午节\"]",
            "[\"2026-05-31\", \"2026-06-02\", \"端午节\"]",
        );
        assert!(refused(&text).contains("outside 2025"));
    }

    #[test]
    fn a_bare_date_is_an_adjusted_working_day_without_a_holiday() {
        let text = SHIPPED.replace("[\"2025-10-11\", \"国庆节、中秋节\"]", "\"2025-10-11\"");
        let parsed = parse(&text).unwrap();
        let day = Date::from_calendar_date(2025, Month::October, 11).unwrap();
        assert!(matches!(
            parsed.listed.get(&day),
            Some((Listed::Workday(None), _))
        ));
    }
}
