//! The official working-day calendar of the People's Republic of China, and statutory period
//! arithmetic on it: when does a period of N 日, N 工作日 or N 个月 end.
//!
//! # The data
//!
//! `data/holidays-cn.toml` holds one entry per year from 2015: the holiday periods (法定节假日) and
//! the adjusted working days (调休上班) of the State Council General Office's annual notice
//! 《国务院办公厅关于某年部分节假日安排的通知》, with any later notice that changed the year (2015's
//! 70th-anniversary day, 2019's 劳动节, 2020's extended 春节). Each year cites its notice: document
//! number, title, date of issue and address ([`Calendar::notices`]). The file is compiled into the
//! crate and parsed once; adding a year is adding data, no code.
//!
//! Dates after the data (a period running into a year whose notice is not out yet) are still
//! computed, on weekends plus the fixed-date holidays of 《全国年节及纪念日放假办法》: 元旦 (1-1),
//! 劳动节 (5-1, and 5-2 from 2025 under the 2024 revision), 国庆节 (10-1 to 10-3), each falling on a
//! Saturday or Sunday made up on the next working day (Art. 6). The lunar holidays (春节, 清明,
//! 端午, 中秋) are not guessed. Every such result is marked **provisional**; so is the last week
//! of the last year with data, because the next year's notice may still move days there (the 2019
//! notice made 2018-12-29 a working Saturday and 2018-12-31 a holiday). See
//! [`Calendar::settled_through`].
//!
//! # The rules
//!
//! From the project's statute notes (`statutes.md` §0 and §5), which quote the texts:
//!
//! - **Working day** (工作日): Monday to Friday outside the notice's holiday periods, plus the
//!   Saturdays and Sundays the notice makes working days. Saturday and Sunday are the weekly rest
//!   days of state organs (国务院关于职工工作时间的规定 1995, Art. 7); the notice moves rest days
//!   (全国年节及纪念日放假办法 2024, Art. 7).
//! - **日** (calendar days): the start day is not counted; counting begins the next day
//!   (民法典 Art. 201; 民事诉讼法 2023 Art. 85 para 2; 行诉解释 2018 Art. 48 para 2). Rest days
//!   inside the period count. The raw last day is start + N; if it is not a working day the
//!   period ends on the next working day (民法典 Art. 203 para 1, "以法定休假日结束的次日";
//!   民事诉讼法 Art. 85 para 3; 行诉解释 Art. 48 para 3). An ordinary Saturday or Sunday counts as
//!   a 法定休假日 for this rule, and an adjusted working Saturday or Sunday is a working day: a
//!   period ending on it does not move, and a period moved forward stops on it (convention,
//!   `statutes.md` §0.7: rest status follows the actual State Council arrangement).
//! - **工作日**: the due date is the N-th working day after the start day; the start day never
//!   counts, and a start on a rest day simply means the first counted day is the next working day.
//!   Which periods are in working days is the statute's choice, not this crate's:
//!   行政复议法 2023 Art. 88 para 2 ("三日、五日、七日、十日" are working days), 行政处罚法 2021
//!   Art. 85 ("二日、三日、五日、七日"), 政府信息公开条例 2019 (every period written "N个工作日").
//! - **月** (months; a year is 12 months): the last day is the day of the final month numbered
//!   like the start day, or that month's last day where there is none (民法典 Art. 202), then moved
//!   off a non-working day as for 日 (民法典 Art. 203). 2024-01-31 + 1 month = 2024-02-29.
//! - **Extensions** (延长, e.g. 行政复议法 Art. 62 +30 日, 政府信息公开条例 Art. 33 +20 工作日):
//!   the extension counts on from the raw end of the original period, in the same unit, and the
//!   result is moved off a rest day once (convention, `statutes.md` §0.8, the earlier of the two
//!   readings). For 日 and 工作日 this is N + E; for months, E months after the original
//!   (unmoved) last day.
//! - **Suspension** (中止) and time not counted (行政复议法 Art. 39; 行诉法 Art. 48; 政府信息公开
//!   条例 Art. 33 para 3; 行诉解释 Art. 50): the time before and after is added together. A
//!   suspension from A, resumed on B, excludes the days A to B − 1; day B counts again (convention,
//!   `statutes.md` §0.9: the law does not say which days; this is the conservative reading). For
//!   working days the excluded working days are skipped; for 日 and months the excluded calendar
//!   days are, and a month period's last day is pushed back by them. Overlapping suspensions
//!   count once. The move off a rest day at the end ignores suspensions.
//! - **Backward periods** ("N日前", `statutes.md` §0.10): [`Calendar::latest_start`] gives the
//!   latest service day S with `add(S, N)` on or before the hearing; pass N + 1 for the safe
//!   variant that leaves N full days between them.
//!
//! Working-day arithmetic is constant time: the calendar keeps, for every day it covers, the
//! number of working days before it and the position of every working day, from 2015 to
//! [`LAST_COVERED`].
//!
//! # What it does not do
//!
//! No IO, no clock, no time zones: dates are civil dates in China, and "today" is the caller's
//! business. It does not choose the unit of a statute's period (the caller passes 日 or 工作日 per
//! the article and the version of the law in force), does not decide whether a filing was in time
//! (the 24:00 and posting rules of 民法典 Art. 203 para 2 and 民事诉讼法 Art. 85 para 4), does not
//! know local or sector holidays, and does not treat fixed calendar dates ("每年1月31日前") as
//! periods. A restart (政府信息公开条例 Art. 30, 行政复议法 Art. 31) is a new period from a new start.
#![doc = ""]
#![doc = include_str!("../README.md")]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![warn(missing_docs)]

mod calendar;
mod data;
mod period;

use time::{Date, Month};

pub use calendar::Calendar;
pub use data::{Amendment, DataError, Notice};
pub use period::{Deadline, Period, Step, Unit};

/// The last day any calendar covers; past its data, provisionally.
pub const LAST_COVERED: Date = time::macros::date!(2099 - 12 - 31);

/// What kind of day a date is, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DayKind {
    /// An ordinary Monday–Friday working day (工作日).
    Workday,
    /// An ordinary Saturday or Sunday rest day (周末).
    Weekend,
    /// A day of a statutory holiday period (法定节假日), as the notice lists it (weekend days
    /// joined to the holiday included).
    Holiday {
        /// The holiday's name as the notice gives it, e.g. `国庆节、中秋节`.
        name: String,
        /// A make-up rest day (补休) for a holiday that fell on a weekend, in a year without a
        /// notice (全国年节及纪念日放假办法 Art. 6).
        in_lieu: bool,
    },
    /// A Saturday or Sunday the notice makes a working day (调休上班).
    AdjustedWorkday {
        /// The holiday whose paragraph of the notice names this day, where the data says.
        holiday: Option<String>,
    },
}

impl DayKind {
    /// Whether state organs work that day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday { .. })
    }

    /// The holiday's name, for a holiday or an adjusted working day serving one.
    pub fn holiday_name(&self) -> Option<&str> {
        match self {
            DayKind::Holiday { name, .. } => Some(name),
            DayKind::AdjustedWorkday { holiday } => holiday.as_deref(),
            DayKind::Workday | DayKind::Weekend => None,
        }
    }
}

/// A date's kind and whether it rests on provisional data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DayInfo {
    /// The date.
    pub date: Date,
    /// Its kind.
    pub kind: DayKind,
    /// Whether its status may still change: its year has no notice in the data, or it lies in the
    /// last week of the last year with data (see [`Calendar::settled_through`]).
    pub provisional: bool,
}

/// A failure to answer a calendar question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The date is before the first year of the data: the calendar cannot say whether it was a
    /// working day.
    #[error("{date} is before the calendar's first year {first_year}")]
    BeforeData {
        /// The date asked about (for [`Calendar::latest_start`], the day before the data).
        date: Date,
        /// The first year with data.
        first_year: i32,
    },
    /// The date, or the end of the period, lies past the last day the calendar covers.
    #[error(
        "the date or the period's end lies past {last_covered}, the last day the calendar covers"
    )]
    OutOfRange {
        /// The last covered day, [`LAST_COVERED`].
        last_covered: Date,
    },
    /// A period's length is negative.
    #[error("a period cannot be negative ({n})")]
    NegativePeriod {
        /// The length given.
        n: i64,
    },
    /// A suspension is resumed before it starts.
    #[error("a suspension from {from} cannot be resumed earlier, on {resumed}")]
    BadSuspension {
        /// The first day of the suspension.
        from: Date,
        /// The day it was resumed.
        resumed: Date,
    },
}

impl Error {
    pub(crate) fn out_of_range() -> Self {
        Error::OutOfRange {
            last_covered: LAST_COVERED,
        }
    }
}

/// The same-numbered day `n` months after `start`, or that month's last day where there is none
/// (民法典 Art. 202). `None` past the year 9999.
///
/// This is the raw last day of a month period, before it is moved off a rest day.
pub fn add_months(start: Date, n: u32) -> Option<Date> {
    let month_index = i64::from(u8::from(start.month())) - 1 + i64::from(n);
    let year = i32::try_from(i64::from(start.year()) + month_index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(month_index.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, start.day().min(last)).ok()
}

/// Parses a date written exactly `YYYY-MM-DD` (ISO 8601, as in the data and on the command line);
/// `None` for anything else, including dates that do not exist such as `2025-02-30`.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = bytes else {
        return None;
    };
    let digit = |b: &u8| b.is_ascii_digit().then(|| u32::from(*b - b'0'));
    let number = |digits: &[&u8]| {
        digits
            .iter()
            .try_fold(0u32, |value, b| Some(value * 10 + digit(b)?))
    };
    let year = i32::try_from(number(&[y1, y2, y3, y4])?).ok()?;
    let month = Month::try_from(u8::try_from(number(&[m1, m2])?).ok()?).ok()?;
    let day = u8::try_from(number(&[d1, d2])?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_keep_the_day_or_take_the_month_end() {
        // 民法典 Art. 202; statutes.md §0.5 examples.
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
            add_months(date!(2014 - 05 - 28), 3),
            Some(date!(2014 - 08 - 28))
        );
        assert_eq!(
            add_months(date!(2025 - 11 - 15), 3),
            Some(date!(2026 - 02 - 15))
        );
        assert_eq!(
            add_months(date!(2025 - 11 - 15), 0),
            Some(date!(2025 - 11 - 15))
        );
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), None);
    }

    #[test]
    fn only_real_dates_written_yyyy_mm_dd_parse() {
        assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
        for bad in [
            "2025-02-30",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "25-01-01",
            "+2025-01-01",
            " 2025-01-01",
            "2025/01/01",
            "2025-01-01x",
            "",
            "２０２５-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
