//! Reading the calendar data file (`data/holidays-cn.toml`): per year, the notice it comes from,
//! the holiday periods and the adjusted working days; and the fixed-date holidays of the law for
//! years without a notice.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use time::Date;

/// The data file is malformed or inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar data: {0}")]
pub struct DataError(String);

impl DataError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DataError(message.into())
    }
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
    holidays: Vec<(String, String, String)>,
    workdays: Vec<String>,
}

/// A fixed-date statutory holiday valid between two dates.
#[derive(Debug, Clone)]
pub(crate) struct FixedHoliday {
    from: Date,
    until: Date,
    month: u8,
    day: u8,
    pub(crate) name: String,
}

impl FixedHoliday {
    pub(crate) fn applies(&self, date: Date) -> bool {
        self.from <= date
            && date <= self.until
            && u8::from(date.month()) == self.month
            && date.day() == self.day
    }
}

/// The parsed data.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) first_year: i32,
    pub(crate) last_year: i32,
    pub(crate) holidays: HashMap<Date, String>,
    pub(crate) workdays: HashSet<Date>,
    pub(crate) fixed: Vec<FixedHoliday>,
    pub(crate) notices: Vec<(i32, String)>,
}

fn date(text: &str) -> Result<Date, DataError> {
    crate::parse_date(text).ok_or_else(|| DataError::new(format!("invalid date {text:?}")))
}

pub(crate) fn parse(text: &str) -> Result<Parsed, DataError> {
    let file: File = toml::from_str(text).map_err(|e| DataError::new(e.to_string()))?;
    let mut holidays = HashMap::new();
    let mut workdays = HashSet::new();
    let mut notices = Vec::new();
    let mut expected = file.first_year;
    for (key, year) in &file.years {
        let number: i32 = key
            .parse()
            .map_err(|_| DataError::new(format!("year key {key:?}")))?;
        if number != expected {
            return Err(DataError::new(format!(
                "years must be contiguous: expected {expected}, found {number}"
            )));
        }
        expected += 1;
        if year.notice.trim().is_empty() {
            return Err(DataError::new(format!("year {number} cites no notice")));
        }
        notices.push((number, format!("{}（{}）", year.title, year.notice)));
        for (first, last, name) in &year.holidays {
            let (first, last) = (date(first)?, date(last)?);
            if last < first {
                return Err(DataError::new(format!(
                    "holiday {name} ends before it starts"
                )));
            }
            let mut day = first;
            while day <= last {
                holidays.insert(day, name.clone());
                day = day
                    .next_day()
                    .ok_or_else(|| DataError::new("date overflow"))?;
            }
        }
        for text in &year.workdays {
            let day = date(text)?;
            if !matches!(
                day.weekday(),
                time::Weekday::Saturday | time::Weekday::Sunday
            ) {
                return Err(DataError::new(format!(
                    "adjusted working day {day} is not a Saturday or Sunday"
                )));
            }
            workdays.insert(day);
        }
    }
    if expected - 1 != file.last_year {
        return Err(DataError::new(format!(
            "last_year {} does not match the years given",
            file.last_year
        )));
    }
    if let Some(both) = workdays.iter().find(|d| holidays.contains_key(d)) {
        return Err(DataError::new(format!(
            "{both} is both a holiday and a working day"
        )));
    }
    let fixed = file
        .law
        .fixed_date_statutory
        .iter()
        .map(|(from, until, month_day, name)| {
            let (month, day) = month_day
                .split_once('-')
                .ok_or_else(|| DataError::new(format!("fixed date {month_day:?}")))?;
            Ok(FixedHoliday {
                from: date(from)?,
                until: date(until).unwrap_or(crate::LAST_COVERED),
                month: month
                    .parse()
                    .map_err(|_| DataError::new(format!("fixed date {month_day:?}")))?,
                day: day
                    .parse()
                    .map_err(|_| DataError::new(format!("fixed date {month_day:?}")))?,
                name: name.clone(),
            })
        })
        .collect::<Result<Vec<_>, DataError>>()?;
    Ok(Parsed {
        first_year: file.first_year,
        last_year: file.last_year,
        holidays,
        workdays,
        fixed,
        notices,
    })
}
