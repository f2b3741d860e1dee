//! The official working-day calendar of the People's Republic of China and statutory period
//! arithmetic on it.
//!
//! # The data
//! `data/holidays-cn.toml` holds, for each year from 2015, the holiday periods (法定节假日, as the
//! State Council General Office's annual notice 《国务院办公厅关于某年部分节假日安排的通知》 gives
//! them) and the adjusted working days (调休上班), each year citing its notice. It is compiled into
//! the crate; adding a year is adding data. Dates past the last year with data are still
//! computed, on weekends plus the fixed-date holidays of 《全国年节及纪念日放假办法》 (元旦; 劳动节
//! 5-1 and, from 2025, 5-2; 国庆 10-1..10-3; a holiday falling on a weekend made up on the next
//! working day, Art. 6), and every result touching them is marked **provisional**.
//!
//! # The rules (see `docs/` and the statute notes for the sources)
//! - **日** (calendar days): the start day is not counted (民法典 Art. 201; 民事诉讼法 Art. 85 para 2;
//!   行诉解释 Art. 48); weekends and holidays inside the period count; if the last day is not a
//!   working day the period ends on the next working day (民法典 Art. 203; 民事诉讼法 Art. 85
//!   para 3). An adjusted working Saturday is a working day (convention: rest status follows the
//!   actual State Council arrangement).
//! - **工作日**: the due date is the N-th working day after the start day (行政复议法 Art. 88 para 2;
//!   行政处罚法 Art. 85; 政府信息公开条例 "N个工作日").
//! - **月**: the same-numbered day N months later, or that month's last day where there is none
//!   (民法典 Art. 202), then moved off a non-working day as for 日.
//! - **Extensions** of the same unit add to the original length (conservative convention).
//! - **Suspension** (中止) and time not counted: the excluded dates `[from, until)` are skipped while
//!   counting; for months the end is pushed back by the excluded calendar days, then moved off a
//!   non-working day.
//!
//! Working-day arithmetic is constant time: the calendar keeps, for every day it covers, the
//! number of working days up to it and the position of every working day.
//!
//! # What it does not do
//! No IO, no clock, no time zones: dates are civil dates in China. It does not decide which
//! statute's unit applies to a step; callers pass the unit.
#![doc = include_str!("../README.md")]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod data;

use std::sync::LazyLock;

use time::{Date, Duration, Month, Weekday};

pub use data::DataError;

/// The last day any calendar covers (provisionally past its data).
pub const LAST_COVERED: Date = time::macros::date!(2099 - 12 - 31);

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DayKind {
    /// An ordinary Monday–Friday working day (工作日).
    Workday,
    /// A Saturday or Sunday rest day (周末).
    Weekend,
    /// A day of a statutory holiday period (法定节假日), with the holiday's name.
    Holiday(String),
    /// A Saturday or Sunday made a working day by the notice (调休上班).
    AdjustedWorkday,
}

impl DayKind {
    /// Whether state organs work that day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday)
    }
}

/// A date's kind and whether it rests on provisional data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    /// The date.
    pub date: Date,
    /// Its kind.
    pub kind: DayKind,
    /// Whether its year has no official notice in the data.
    pub provisional: bool,
}

/// The unit of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Calendar days (日).
    Days,
    /// Working days (工作日).
    Workdays,
    /// Months (个月).
    Months,
}

/// One step of how a due date was reached, for showing users.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// The start day, not counted.
    StartNotCounted(Date),
    /// An extension of this many units was added.
    Extended(u32),
    /// Dates `[from, until)` were not counted (suspension or excluded time).
    NotCounted {
        /// First excluded date.
        from: Date,
        /// First date counted again.
        until: Date,
    },
    /// The raw last day before moving off rest days.
    RawEnd(Date),
    /// The last day fell on a rest day and was moved to the next working day.
    MovedOff {
        /// The rest day.
        from: Date,
        /// Why it is not a working day.
        kind: DayKind,
        /// The working day the period ends on.
        to: Date,
    },
}

/// A computed due date with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The last day of the period.
    pub due: Date,
    /// Whether a year without official data was involved.
    pub provisional: bool,
    /// How it was reached.
    pub steps: Vec<Step>,
}

/// A period to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Length.
    pub n: u32,
    /// Unit.
    pub unit: Unit,
    /// Extension of the same unit, if granted.
    pub extension: u32,
    /// Excluded date ranges `[from, until)` (suspensions, time not counted).
    pub excluded: Vec<(Date, Date)>,
}

impl Period {
    /// A plain period of `n` `unit`s.
    pub fn new(n: u32, unit: Unit) -> Self {
        Self {
            n,
            unit,
            extension: 0,
            excluded: Vec::new(),
        }
    }
}

/// A failure to count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The date is before the first year of the data.
    #[error("{date} is before the calendar's first year {first_year}")]
    BeforeData {
        /// The date asked about.
        date: Date,
        /// The first year with data.
        first_year: i32,
    },
    /// The result would lie past the last covered day.
    #[error("the period runs past {LAST_COVERED}, the last day the calendar covers")]
    OutOfRange,
    /// An excluded range ends before it starts.
    #[error("an excluded range ends before it starts")]
    BadExclusion,
}

/// The calendar: per-day kinds and the precomputed counts.
#[derive(Debug)]
pub struct Calendar {
    first_day: Date,
    last_data_year: i32,
    /// Per day from `first_day`: the kind of day.
    kinds: Vec<DayKind>,
    /// Per day from `first_day`: working days in `[first_day, day]`.
    cumulative: Vec<u32>,
    /// The offset (from `first_day`) of the k-th working day, k from 0.
    workday_offsets: Vec<u32>,
    /// The data's years and their notices.
    notices: Vec<(i32, String)>,
}

static OFFICIAL: LazyLock<Result<Calendar, DataError>> =
    LazyLock::new(|| Calendar::from_toml(include_str!("../data/holidays-cn.toml")));

impl Calendar {
    /// The official calendar shipped in the crate.
    pub fn official() -> Result<&'static Calendar, DataError> {
        OFFICIAL.as_ref().map_err(Clone::clone)
    }

    /// A calendar from data in the shipped file's format.
    pub fn from_toml(text: &str) -> Result<Calendar, DataError> {
        let parsed = data::parse(text)?;
        let first_day = Date::from_calendar_date(parsed.first_year, Month::January, 1)
            .map_err(|_| DataError::new("first_year out of range"))?;
        let n_days = usize::try_from((LAST_COVERED - first_day).whole_days() + 1).unwrap_or(0);
        let mut kinds = Vec::with_capacity(n_days);
        let mut day = first_day;
        // Years without a notice: fixed-date holidays, and for each one falling on a weekend a
        // make-up day on the next weekday that is not itself a holiday (《全国年节及纪念日放假办法》
        // Art. 6). `owed` holds the names of holidays still to be made up.
        let mut owed: std::collections::VecDeque<String> = std::collections::VecDeque::new();
        for _ in 0..n_days {
            let kind = if day.year() <= parsed.last_year {
                if let Some(name) = parsed.holidays.get(&day) {
                    DayKind::Holiday(name.clone())
                } else if parsed.workdays.contains(&day) {
                    DayKind::AdjustedWorkday
                } else if is_weekend(day) {
                    DayKind::Weekend
                } else {
                    DayKind::Workday
                }
            } else if let Some(fixed) = parsed.fixed.iter().find(|f| f.applies(day)) {
                if is_weekend(day) {
                    owed.push_back(fixed.name.clone());
                }
                DayKind::Holiday(fixed.name.clone())
            } else if is_weekend(day) {
                DayKind::Weekend
            } else if let Some(name) = owed.pop_front() {
                DayKind::Holiday(format!("{name}（补休）"))
            } else {
                DayKind::Workday
            };
            kinds.push(kind);
            day = day.next_day().unwrap_or(day);
        }
        let mut cumulative = Vec::with_capacity(n_days);
        let mut workday_offsets = Vec::new();
        let mut count = 0u32;
        for (offset, kind) in kinds.iter().enumerate() {
            if kind.is_working() {
                workday_offsets.push(u32::try_from(offset).unwrap_or(u32::MAX));
                count += 1;
            }
            cumulative.push(count);
        }
        Ok(Calendar {
            first_day,
            last_data_year: parsed.last_year,
            kinds,
            cumulative,
            workday_offsets,
            notices: parsed.notices,
        })
    }

    /// The first year with data.
    pub fn first_year(&self) -> i32 {
        self.first_day.year()
    }

    /// The last year with an official notice; later years are provisional.
    pub fn last_data_year(&self) -> i32 {
        self.last_data_year
    }

    /// The notice each year's data comes from.
    pub fn notices(&self) -> &[(i32, String)] {
        &self.notices
    }

    fn offset(&self, date: Date) -> Result<usize, Error> {
        if date < self.first_day {
            return Err(Error::BeforeData {
                date,
                first_year: self.first_year(),
            });
        }
        if date > LAST_COVERED {
            return Err(Error::OutOfRange);
        }
        usize::try_from((date - self.first_day).whole_days()).map_err(|_| Error::OutOfRange)
    }

    fn date_at(&self, offset: usize) -> Result<Date, Error> {
        let days = i64::try_from(offset).map_err(|_| Error::OutOfRange)?;
        let date = self.first_day + Duration::days(days);
        if date > LAST_COVERED {
            Err(Error::OutOfRange)
        } else {
            Ok(date)
        }
    }

    fn is_provisional(&self, date: Date) -> bool {
        date.year() > self.last_data_year
    }

    /// What kind of day `date` is.
    pub fn info(&self, date: Date) -> Result<DayInfo, Error> {
        let offset = self.offset(date)?;
        let kind = self.kinds.get(offset).cloned().ok_or(Error::OutOfRange)?;
        Ok(DayInfo {
            date,
            kind,
            provisional: self.is_provisional(date),
        })
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> Result<bool, Error> {
        Ok(self.info(date)?.kind.is_working())
    }

    fn cumulative_at(&self, date: Date) -> Result<u32, Error> {
        let offset = self.offset(date)?;
        self.cumulative
            .get(offset)
            .copied()
            .ok_or(Error::OutOfRange)
    }

    /// Working days after `from` up to and including `to`; negative when `to` is earlier.
    pub fn workdays_between(&self, from: Date, to: Date) -> Result<i64, Error> {
        Ok(i64::from(self.cumulative_at(to)?) - i64::from(self.cumulative_at(from)?))
    }

    /// The `k`-th working day after `date` (k ≥ 1), in constant time.
    fn nth_workday_after(&self, date: Date, k: u32) -> Result<Date, Error> {
        let before = self.cumulative_at(date)?;
        let index = usize::try_from(before + k - 1).map_err(|_| Error::OutOfRange)?;
        let offset = self.workday_offsets.get(index).ok_or(Error::OutOfRange)?;
        self.date_at(usize::try_from(*offset).map_err(|_| Error::OutOfRange)?)
    }

    /// The first working day on or after `date`.
    pub fn next_working_day(&self, date: Date) -> Result<Date, Error> {
        let offset = self.offset(date)?;
        if self.kinds.get(offset).is_some_and(DayKind::is_working) {
            return Ok(date);
        }
        let previous = date.previous_day().ok_or(Error::OutOfRange)?;
        if previous < self.first_day {
            // The first covered day is a rest day: count from the data's start.
            return self.nth_workday_after(date, 1);
        }
        self.nth_workday_after(previous, 1)
    }

    /// Excluded calendar days inside `(start, end]`, with ranges validated.
    fn excluded_days_within(
        excluded: &[(Date, Date)],
        start: Date,
        end: Date,
    ) -> Result<i64, Error> {
        let mut total = 0;
        for (from, until) in excluded {
            if until < from {
                return Err(Error::BadExclusion);
            }
            let lo = (*from).max(start + Duration::days(1));
            let hi = (*until - Duration::days(1)).min(end);
            if hi >= lo {
                total += (hi - lo).whole_days() + 1;
            }
        }
        Ok(total)
    }

    /// Excluded working days inside `(start, end]`.
    fn excluded_workdays_within(
        &self,
        excluded: &[(Date, Date)],
        start: Date,
        end: Date,
    ) -> Result<i64, Error> {
        let mut total = 0;
        for (from, until) in excluded {
            if until < from {
                return Err(Error::BadExclusion);
            }
            let lo = (*from).max(start + Duration::days(1));
            let hi = (*until - Duration::days(1)).min(end);
            if hi >= lo {
                let before = lo.previous_day().ok_or(Error::OutOfRange)?;
                total += self.workdays_between(before, hi)?;
            }
        }
        Ok(total)
    }

    /// The raw last day and the due date, without explanation (no allocation).
    fn compute(&self, start: Date, period: &Period) -> Result<(Date, Date), Error> {
        self.offset(start)?;
        let n = period
            .n
            .checked_add(period.extension)
            .ok_or(Error::OutOfRange)?;
        let raw_end = match period.unit {
            Unit::Days => {
                // Grow the window until the excluded days inside it are accounted for.
                let mut end = start + Duration::days(i64::from(n));
                if !period.excluded.is_empty() {
                    loop {
                        let skipped = Self::excluded_days_within(&period.excluded, start, end)?;
                        let wanted = start + Duration::days(i64::from(n) + skipped);
                        if wanted == end {
                            break;
                        }
                        end = wanted;
                    }
                }
                end
            }
            Unit::Months => {
                let plain = add_months(start, n).ok_or(Error::OutOfRange)?;
                let skipped = Self::excluded_days_within(&period.excluded, start, plain)?;
                plain + Duration::days(skipped)
            }
            Unit::Workdays => {
                if n == 0 {
                    start
                } else {
                    let mut end = self.nth_workday_after(start, n)?;
                    if !period.excluded.is_empty() {
                        loop {
                            let skipped =
                                self.excluded_workdays_within(&period.excluded, start, end)?;
                            let extra = u32::try_from(skipped).map_err(|_| Error::OutOfRange)?;
                            let wanted = self.nth_workday_after(start, n + extra)?;
                            if wanted == end {
                                break;
                            }
                            end = wanted;
                        }
                    }
                    end
                }
            }
        };
        if raw_end > LAST_COVERED {
            return Err(Error::OutOfRange);
        }
        let due = if period.unit == Unit::Workdays {
            raw_end
        } else {
            self.next_working_day(raw_end)?
        };
        Ok((raw_end, due))
    }

    /// The due date of `period` started on `start` and whether it is provisional, without the
    /// explanation: the fast path for lists and projections.
    pub fn due_date(&self, start: Date, period: &Period) -> Result<(Date, bool), Error> {
        let (_, due) = self.compute(start, period)?;
        Ok((due, self.is_provisional(due) || self.is_provisional(start)))
    }

    /// The due date of `period` started on `start` (the start day not counted), with the steps
    /// that explain it.
    pub fn due(&self, start: Date, period: &Period) -> Result<Deadline, Error> {
        let (raw_end, due) = self.compute(start, period)?;
        let mut steps = vec![Step::StartNotCounted(start)];
        if period.extension > 0 {
            steps.push(Step::Extended(period.extension));
        }
        for (from, until) in &period.excluded {
            steps.push(Step::NotCounted {
                from: *from,
                until: *until,
            });
        }
        if period.unit != Unit::Workdays {
            steps.push(Step::RawEnd(raw_end));
            if due != raw_end {
                steps.push(Step::MovedOff {
                    from: raw_end,
                    kind: self.info(raw_end)?.kind,
                    to: due,
                });
            }
        }
        Ok(Deadline {
            due,
            provisional: self.is_provisional(due) || self.is_provisional(start),
            steps,
        })
    }

    /// Shorthand: `n` calendar days after `start`.
    pub fn add_days(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::new(n, Unit::Days))
    }

    /// Shorthand: the `n`-th working day after `start`.
    pub fn add_workdays(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::new(n, Unit::Workdays))
    }

    /// Shorthand: `n` months after `start`.
    pub fn add_months(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::new(n, Unit::Months))
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The same-numbered day `n` months after `start`, or that month's last day (民法典 Art. 202).
pub fn add_months(start: Date, n: u32) -> Option<Date> {
    let month_index = i64::from(u8::from(start.month())) - 1 + i64::from(n);
    let year = i32::try_from(i64::from(start.year()) + month_index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(month_index.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, start.day().min(last)).ok()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_keep_the_day_or_take_the_month_end() {
        assert_eq!(
            add_months(date!(2024 - 01 - 31), 1),
            Some(date!(2024 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2025 - 01 - 31), 1),
            Some(date!(2025 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2025 - 08 - 31), 6),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2025 - 11 - 15), 3),
            Some(date!(2026 - 02 - 15))
        );
    }
}
