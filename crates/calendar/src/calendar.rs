//! The calendar: the kind of every day from the data's first year to [`LAST_COVERED`], and the
//! precomputed counts that make working-day arithmetic constant time.
//!
//! The table is built once per calendar (for the official one, on first use). Per day it holds a
//! small code (kind, holiday name index, notice index); beside it, the number of working days and
//! of adjusted working days before each day, and the position of every working day. Then:
//!
//! - working days in `(a, b]` = `working_before[b + 1] - working_before[a + 1]`;
//! - the k-th working day after `a` = `workday_offsets[working_before[a + 1] + k - 1]`;
//! - the first working day on or after `d` = `workday_offsets[working_before[d]]`.
//!
//! This module answers "what is this day" and "how many working days"; the period rules are in
//! `period.rs`.

use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

use time::{Date, Duration, Month, Weekday};

use crate::data::{self, DataError, Listed, Notice};
use crate::{DayInfo, DayKind, Error, LAST_COVERED};

/// How many days before the end of the last year with data are provisional: the next year's notice
/// may still move days there (it joins 元旦 to the weekend before it; the 2019 notice made
/// 2018-12-29 a working Saturday and 2018-12-31 a holiday). A week covers every case so far.
const NEXT_NOTICE_REACH_DAYS: i64 = 7;

/// No name, no notice.
const NONE: u16 = u16::MAX;

/// The kind of a day, without its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Workday,
    Weekend,
    Holiday,
    HolidayInLieu,
    AdjustedWorkday,
}

impl Class {
    fn is_working(self) -> bool {
        matches!(self, Class::Workday | Class::AdjustedWorkday)
    }
}

/// One day of the table.
#[derive(Debug, Clone, Copy)]
struct Day {
    class: Class,
    /// Index into `names`: the holiday, or the holiday an adjusted working day serves.
    name: u16,
    /// Index into `notices`: the notice that lists this date, or that covers its year.
    notice: u16,
}

/// A run of consecutive days of one holiday, for naming the holidays inside a period quickly.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: Date,
    last: Date,
    name: u16,
}

/// The official working-day calendar and the period arithmetic on it.
///
/// Get the shipped one with [`Calendar::official`]; [`Calendar::from_toml`] builds one from other
/// data in the same format (tests, or a jurisdiction with its own arrangement).
#[derive(Debug)]
pub struct Calendar {
    first_day: Date,
    last_data_year: i32,
    settled_through: Date,
    /// Per day from `first_day` to [`LAST_COVERED`].
    days: Vec<Day>,
    /// `working_before[i]`: working days among the first `i` days; one longer than `days`.
    working_before: Vec<u32>,
    /// `adjusted_before[i]`: adjusted working days among the first `i` days.
    adjusted_before: Vec<u32>,
    /// The offset from `first_day` of the k-th working day, k from 0.
    workday_offsets: Vec<u32>,
    runs: Vec<Run>,
    names: Vec<String>,
    notices: Vec<Notice>,
    version: String,
}

static OFFICIAL: LazyLock<Result<Calendar, DataError>> =
    LazyLock::new(|| Calendar::from_toml(include_str!("../data/holidays-cn.toml")));

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// FNV-1a, 64 bits: a stable fingerprint of the data text for [`Calendar::version`].
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Interns names so that each day holds a small index.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Names {
    fn intern(&mut self, name: &str) -> Result<u16, DataError> {
        if let Some(index) = self.index.get(name) {
            return Ok(*index);
        }
        let index = u16::try_from(self.names.len())
            .ok()
            .filter(|i| *i != NONE)
            .ok_or_else(|| DataError::new("too many holiday names"))?;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), index);
        Ok(index)
    }
}

impl Calendar {
    /// The official calendar shipped in the crate, parsed on first use.
    ///
    /// The shipped data is checked by the crate's tests, so this fails only if the crate was built
    /// from a broken data file.
    pub fn official() -> Result<&'static Calendar, DataError> {
        OFFICIAL.as_ref().map_err(Clone::clone)
    }

    /// A calendar from data in the format of the shipped `data/holidays-cn.toml`.
    pub fn from_toml(text: &str) -> Result<Calendar, DataError> {
        let parsed = data::parse(text)?;
        let first_day = Date::from_calendar_date(parsed.first_year, Month::January, 1)
            .map_err(|_| DataError::new("first_year out of range"))?;
        let last_data_day = Date::from_calendar_date(parsed.last_year, Month::December, 31)
            .map_err(|_| DataError::new("last_year out of range"))?;
        let settled_through = last_data_day
            .checked_sub(Duration::days(NEXT_NOTICE_REACH_DAYS))
            .ok_or_else(|| DataError::new("last_year out of range"))?;
        let n_days = usize::try_from((LAST_COVERED - first_day).whole_days() + 1)
            .map_err(|_| DataError::new("first_year after the covered range"))?;
        let mut names = Names::default();
        let mut days = Vec::with_capacity(n_days);
        // Years without a notice: for each fixed-date holiday on a weekend, a make-up day on the
        // next weekday that is not itself a holiday (全国年节及纪念日放假办法 Art. 6).
        let mut owed: VecDeque<u16> = VecDeque::new();
        let notice_of_year = |year: i32| {
            u16::try_from(year - parsed.first_year)
                .ok()
                .filter(|_| year <= parsed.last_year)
                .unwrap_or(NONE)
        };
        let mut day = first_day;
        for _ in 0..n_days {
            let entry = if day.year() <= parsed.last_year {
                match parsed.listed.get(&day) {
                    Some((Listed::Holiday(name), notice)) => Day {
                        class: Class::Holiday,
                        name: names.intern(name)?,
                        notice: u16::try_from(*notice).unwrap_or(NONE),
                    },
                    Some((Listed::Workday(serves), notice)) => Day {
                        class: Class::AdjustedWorkday,
                        name: match serves {
                            Some(name) => names.intern(name)?,
                            None => NONE,
                        },
                        notice: u16::try_from(*notice).unwrap_or(NONE),
                    },
                    None => Day {
                        class: if is_weekend(day) {
                            Class::Weekend
                        } else {
                            Class::Workday
                        },
                        name: NONE,
                        notice: notice_of_year(day.year()),
                    },
                }
            } else {
                let (class, name) =
                    if let Some(fixed) = parsed.fixed.iter().find(|f| f.applies(day)) {
                        let name = names.intern(&fixed.name)?;
                        if is_weekend(day) {
                            owed.push_back(name);
                        }
                        (Class::Holiday, name)
                    } else if is_weekend(day) {
                        (Class::Weekend, NONE)
                    } else if let Some(name) = owed.pop_front() {
                        (Class::HolidayInLieu, name)
                    } else {
                        (Class::Workday, NONE)
                    };
                Day {
                    class,
                    name,
                    notice: NONE,
                }
            };
            days.push(entry);
            if let Some(next) = day.next_day() {
                day = next;
            }
        }
        let mut working_before = Vec::with_capacity(n_days + 1);
        let mut adjusted_before = Vec::with_capacity(n_days + 1);
        let mut workday_offsets = Vec::new();
        let (mut working, mut adjusted) = (0u32, 0u32);
        let mut runs: Vec<Run> = Vec::new();
        let mut date = first_day;
        for (offset, entry) in days.iter().enumerate() {
            working_before.push(working);
            adjusted_before.push(adjusted);
            if entry.class.is_working() {
                workday_offsets
                    .push(u32::try_from(offset).map_err(|_| DataError::new("range too long"))?);
                working += 1;
            }
            if entry.class == Class::AdjustedWorkday {
                adjusted += 1;
            }
            if matches!(entry.class, Class::Holiday | Class::HolidayInLieu) {
                match runs.last_mut() {
                    Some(run) if run.name == entry.name && run.last.next_day() == Some(date) => {
                        run.last = date
                    }
                    _ => runs.push(Run {
                        first: date,
                        last: date,
                        name: entry.name,
                    }),
                }
            }
            if let Some(next) = date.next_day() {
                date = next;
            }
        }
        working_before.push(working);
        adjusted_before.push(adjusted);
        let version = format!(
            "{}-{}/{:016x}",
            parsed.first_year,
            parsed.last_year,
            fingerprint(text)
        );
        Ok(Calendar {
            first_day,
            last_data_year: parsed.last_year,
            settled_through,
            days,
            working_before,
            adjusted_before,
            workday_offsets,
            runs,
            names: names.names,
            notices: parsed.notices,
            version,
        })
    }

    /// The first year with data; earlier dates are refused with [`Error::BeforeData`].
    pub fn first_year(&self) -> i32 {
        self.first_day.year()
    }

    /// The first day the calendar covers (1 January of [`first_year`](Self::first_year)).
    pub fn first_day(&self) -> Date {
        self.first_day
    }

    /// The last year with an official notice; later years are computed provisionally.
    pub fn last_data_year(&self) -> i32 {
        self.last_data_year
    }

    /// The last day whose status the data settles: 24 December of the last year with data.
    ///
    /// Later days are provisional: the years without a notice, and the last week of the last year
    /// with one, which the next year's notice may still change around 元旦. Any answer that
    /// depends on a later day is marked provisional.
    pub fn settled_through(&self) -> Date {
        self.settled_through
    }

    /// The notices the data comes from, one per year, in order.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// An identifier of the data this calendar was built from: its years and a fingerprint of the
    /// text, e.g. `2015-2026/89ab…`. Store it beside computed due dates to know when to recompute.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether an answer that depends on days up to `date` may still change.
    pub fn is_provisional(&self, date: Date) -> bool {
        date > self.settled_through
    }

    /// The table offset of `date`, or why it is not covered.
    pub(crate) fn offset(&self, date: Date) -> Result<usize, Error> {
        if date < self.first_day {
            return Err(Error::BeforeData {
                date,
                first_year: self.first_year(),
            });
        }
        if date > LAST_COVERED {
            return Err(Error::out_of_range());
        }
        usize::try_from((date - self.first_day).whole_days()).map_err(|_| Error::out_of_range())
    }

    fn date_at(&self, offset: u32) -> Result<Date, Error> {
        self.first_day
            .checked_add(Duration::days(i64::from(offset)))
            .filter(|date| *date <= LAST_COVERED)
            .ok_or_else(Error::out_of_range)
    }

    fn day(&self, date: Date) -> Result<Day, Error> {
        let offset = self.offset(date)?;
        self.days
            .get(offset)
            .copied()
            .ok_or_else(Error::out_of_range)
    }

    fn name(&self, index: u16) -> Option<String> {
        self.names.get(usize::from(index)).cloned()
    }

    /// What kind of day `date` is, and whether that is provisional.
    pub fn info(&self, date: Date) -> Result<DayInfo, Error> {
        let day = self.day(date)?;
        let kind = match day.class {
            Class::Workday => DayKind::Workday,
            Class::Weekend => DayKind::Weekend,
            Class::Holiday | Class::HolidayInLieu => DayKind::Holiday {
                name: self.name(day.name).unwrap_or_default(),
                in_lieu: day.class == Class::HolidayInLieu,
            },
            Class::AdjustedWorkday => DayKind::AdjustedWorkday {
                holiday: self.name(day.name),
            },
        };
        Ok(DayInfo {
            date,
            kind,
            provisional: self.is_provisional(date),
        })
    }

    /// The notice that decides `date`: the one listing it as a holiday or adjusted working day,
    /// else the one for its year. `None` for years without a notice.
    pub fn notice_for(&self, date: Date) -> Result<Option<&Notice>, Error> {
        let day = self.day(date)?;
        Ok(self.notices.get(usize::from(day.notice)))
    }

    /// Whether state organs work on `date`.
    pub fn is_working_day(&self, date: Date) -> Result<bool, Error> {
        Ok(self.day(date)?.class.is_working())
    }

    /// Working days on or before `date`, counted from the first covered day.
    fn working_through(&self, date: Date) -> Result<u32, Error> {
        let offset = self.offset(date)?;
        self.working_before
            .get(offset + 1)
            .copied()
            .ok_or_else(Error::out_of_range)
    }

    fn adjusted_through(&self, date: Date) -> Result<u32, Error> {
        let offset = self.offset(date)?;
        self.adjusted_before
            .get(offset + 1)
            .copied()
            .ok_or_else(Error::out_of_range)
    }

    /// Working days after `from` up to and including `to` (the count a 工作日 period uses);
    /// negative when `to` is earlier. Constant time.
    pub fn workdays_between(&self, from: Date, to: Date) -> Result<i64, Error> {
        Ok(i64::from(self.working_through(to)?) - i64::from(self.working_through(from)?))
    }

    /// Adjusted working days (调休上班) after `from` up to and including `to`.
    pub(crate) fn adjusted_between(&self, from: Date, to: Date) -> Result<i64, Error> {
        Ok(i64::from(self.adjusted_through(to)?) - i64::from(self.adjusted_through(from)?))
    }

    /// The `k`-th working day after `date` (k ≥ 1; for k = 0, `date` itself). Constant time.
    pub fn nth_workday_after(&self, date: Date, k: u32) -> Result<Date, Error> {
        if k == 0 {
            self.offset(date)?;
            return Ok(date);
        }
        let index = u64::from(self.working_through(date)?) + u64::from(k) - 1;
        let index = usize::try_from(index).map_err(|_| Error::out_of_range())?;
        let offset = self
            .workday_offsets
            .get(index)
            .copied()
            .ok_or_else(Error::out_of_range)?;
        self.date_at(offset)
    }

    /// The first working day on or after `date`. Constant time.
    pub fn next_working_day(&self, date: Date) -> Result<Date, Error> {
        let offset = self.offset(date)?;
        let index = self
            .working_before
            .get(offset)
            .copied()
            .ok_or_else(Error::out_of_range)?;
        let offset = usize::try_from(index)
            .ok()
            .and_then(|i| self.workday_offsets.get(i))
            .copied()
            .ok_or_else(Error::out_of_range)?;
        self.date_at(offset)
    }

    /// The names of the holidays with at least one day in `(from, to]`, in date order, each once.
    pub fn holidays_between(&self, from: Date, to: Date) -> Vec<String> {
        let first = self.runs.partition_point(|run| run.last <= from);
        let mut found: Vec<String> = Vec::new();
        for run in self
            .runs
            .iter()
            .skip(first)
            .take_while(|run| run.first <= to)
        {
            if let Some(name) = self.name(run.name)
                && !found.contains(&name)
            {
                found.push(name);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_table_agrees_with_a_day_by_day_count() {
        let calendar = Calendar::official().unwrap();
        let mut day = calendar.first_day();
        let mut count = 0i64;
        while day < date!(2030 - 01 - 01) {
            let next = day.next_day().unwrap();
            if calendar.is_working_day(next).unwrap() {
                count += 1;
                assert_eq!(
                    calendar
                        .nth_workday_after(calendar.first_day(), count as u32)
                        .unwrap(),
                    next
                );
            }
            assert_eq!(
                calendar
                    .workdays_between(calendar.first_day(), next)
                    .unwrap(),
                count
            );
            let expected_next = {
                let mut d = next;
                while !calendar.is_working_day(d).unwrap() {
                    d = d.next_day().unwrap();
                }
                d
            };
            assert_eq!(calendar.next_working_day(next).unwrap(), expected_next);
            day = next;
        }
    }

    #[test]
    fn the_last_covered_day_is_answered_and_the_next_refused() {
        let calendar = Calendar::official().unwrap();
        assert!(calendar.info(LAST_COVERED).is_ok());
        assert_eq!(
            calendar.info(date!(2100 - 01 - 01)),
            Err(Error::OutOfRange {
                last_covered: LAST_COVERED
            })
        );
        // 2099-12-31 is a Thursday; nothing after it can be counted.
        assert!(
            calendar
                .nth_workday_after(date!(2099 - 12 - 30), 2)
                .is_err()
        );
        assert!(calendar.next_working_day(date!(2099 - 12 - 31)).is_ok());
    }

    #[test]
    fn holidays_between_names_each_holiday_once() {
        let calendar = Calendar::official().unwrap();
        assert_eq!(
            calendar.holidays_between(date!(2025 - 09 - 30), date!(2025 - 10 - 14)),
            vec!["国庆节、中秋节".to_owned()]
        );
        assert_eq!(
            calendar.holidays_between(date!(2024 - 12 - 31), date!(2025 - 02 - 28)),
            vec!["元旦".to_owned(), "春节".to_owned()]
        );
        assert!(
            calendar
                .holidays_between(date!(2025 - 10 - 08), date!(2025 - 12 - 31))
                .is_empty()
        );
    }

    #[test]
    fn the_version_names_the_years_and_changes_with_the_data() {
        let calendar = Calendar::official().unwrap();
        assert!(calendar.version().starts_with("2015-2026/"));
        let text = include_str!("../data/holidays-cn.toml").replace(
            "2025-10-11\", \"国庆节、中秋节",
            "2025-10-12\", \"国庆节、中秋节",
        );
        assert_ne!(
            Calendar::from_toml(&text).unwrap().version(),
            calendar.version()
        );
    }
}
