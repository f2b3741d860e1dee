//! Statutory periods: 日, 工作日 and 个月 counted from a start day, with extensions and
//! suspensions, and the explanation of every result (the crate documentation gives the rules and
//! their articles).
//!
//! All counting is a handful of table lookups per suspension, never a walk over the days: a
//! calendar-day period is a date addition, a working-day period an index into the working-day
//! positions, and each suspension is crossed in one step. This module does not decide a period's
//! unit or length: the caller reads them from the statute.

use std::borrow::Cow;

use time::{Date, Duration};

use crate::{Calendar, DayKind, Error, add_months};

/// The unit of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Calendar days (日): every day counts; the end moves off a rest day.
    Days,
    /// Working days (工作日): only working days count.
    Workdays,
    /// Calendar months (个月; a year is 12 months): the same-numbered day; the end moves off a
    /// rest day.
    Months,
}

/// A period to count from a start day.
///
/// ```
/// use fazhi_calendar::{Calendar, Period};
/// use time::macros::date;
///
/// let calendar = Calendar::official().unwrap();
/// // 政府信息公开条例 Art. 33: 20 working days, extended by 20 with the office head's consent.
/// let reply = Period::workdays(20).extended(20);
/// let deadline = calendar.due(date!(2025 - 03 - 03), &reply).unwrap();
/// assert_eq!(deadline.due, calendar.add_workdays(date!(2025 - 03 - 03), 40).unwrap().due);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The length in `unit`s, as the statute gives it.
    pub n: u32,
    /// The unit.
    pub unit: Unit,
    /// An extension in the same unit, counted on from the raw end of the original period
    /// (0 when none was granted).
    pub extension: u32,
    /// Suspensions (中止) and other time not counted, each `(from, resumed)`: the days from `from`
    /// up to the day before `resumed` are not counted; `resumed` counts again. They may overlap
    /// and come in any order.
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

    /// A period from a signed length, as read from user input: [`Error::NegativePeriod`] when
    /// negative, [`Error::OutOfRange`] when it cannot be counted at all.
    pub fn try_new(n: i64, unit: Unit) -> Result<Self, Error> {
        if n < 0 {
            return Err(Error::NegativePeriod { n });
        }
        let n = u32::try_from(n).map_err(|_| Error::out_of_range())?;
        Ok(Self::new(n, unit))
    }

    /// `n` calendar days (日).
    pub fn days(n: u32) -> Self {
        Self::new(n, Unit::Days)
    }

    /// `n` working days (工作日).
    pub fn workdays(n: u32) -> Self {
        Self::new(n, Unit::Workdays)
    }

    /// `n` months (个月).
    pub fn months(n: u32) -> Self {
        Self::new(n, Unit::Months)
    }

    /// `n` years (年), counted as 12 months each (民法典 Art. 202 treats them together).
    pub fn years(n: u32) -> Self {
        Self::new(n.saturating_mul(12), Unit::Months)
    }

    /// The same period extended by `by` more units (added to any extension already granted).
    pub fn extended(mut self, by: u32) -> Self {
        self.extension = self.extension.saturating_add(by);
        self
    }

    /// The same period with a suspension from `from`, resumed on `resumed` (days `from` to
    /// `resumed` − 1 are not counted).
    pub fn suspended(mut self, from: Date, resumed: Date) -> Self {
        self.excluded.push((from, resumed));
        self
    }
}

/// One step of how a due date was reached, for showing the people who must meet it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// The start day is not counted; counting begins the next day (民法典 Art. 201).
    StartNotCounted {
        /// The start day.
        start: Date,
    },
    /// The period was extended; the extension counts on from the original period's raw end.
    Extended {
        /// The raw last day of the original period (before any move off a rest day).
        original_end: Date,
        /// The extension, in the period's unit.
        by: u32,
    },
    /// A suspension: the days from `from` to the day before `resumed` were not counted.
    Suspended {
        /// The first day not counted.
        from: Date,
        /// The day counting resumed.
        resumed: Date,
        /// How many units (calendar days, or working days for a 工作日 period) of the suspension
        /// fell inside the period and were skipped; 0 if it lay outside.
        skipped: u32,
    },
    /// A month period's final month has no day numbered like the start day, so the month's last
    /// day was taken (民法典 Art. 202).
    MonthEnd {
        /// That last day of the month.
        last_day: Date,
    },
    /// What the counting covered: `n` units after the start ran to `last` (the raw last day).
    Counted {
        /// The unit.
        unit: Unit,
        /// Units counted, extension included.
        n: u32,
        /// The raw last day of the period.
        last: Date,
        /// Days in `(start, last]` that were not working days (skipped for 工作日; counted as
        /// ordinary days for 日 and months).
        rest_days: u32,
        /// Adjusted working Saturdays and Sundays (调休上班) in `(start, last]`.
        adjusted_workdays: u32,
        /// The holidays with days in `(start, last]`, in date order.
        holidays: Vec<String>,
    },
    /// The raw last day was not a working day, so the period ends on the next working day
    /// (民法典 Art. 203; 民事诉讼法 Art. 85 para 3).
    MovedOff {
        /// The raw last day.
        from: Date,
        /// Why it is not a working day.
        kind: DayKind,
        /// The working day the period ends on.
        to: Date,
        /// Rest days from `from` to the day before `to`.
        rest_days: u32,
    },
}

/// A computed due date with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deadline {
    /// The last day of the period: things due must be done by the end of this day.
    pub due: Date,
    /// Whether the result depends on days the data does not settle yet (see
    /// [`Calendar::settled_through`]); recompute when the next notice is added.
    pub provisional: bool,
    /// The unit counted.
    pub unit: Unit,
    /// The original length, without the extension.
    pub n: u32,
    /// The extension counted, in the same unit.
    pub extension: u32,
    /// How the due date was reached, in order.
    pub steps: Vec<Step>,
}

/// The raw end of a count, before the move off a rest day.
#[derive(Debug, Clone, Copy)]
struct RawEnd {
    last: Date,
    /// For months: the last day of the month was taken because the start day's number is missing.
    month_end: Option<Date>,
}

fn to_u32(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

/// Suspensions validated, sorted and merged into disjoint `[from, resumed)` ranges; empty ones
/// dropped. Borrows when there is nothing to sort, so the common cases do not allocate.
fn merged(excluded: &[(Date, Date)]) -> Result<Cow<'_, [(Date, Date)]>, Error> {
    for (from, resumed) in excluded {
        if resumed < from {
            return Err(Error::BadSuspension {
                from: *from,
                resumed: *resumed,
            });
        }
    }
    if excluded.len() <= 1 {
        return Ok(Cow::Borrowed(excluded));
    }
    let mut ranges: Vec<(Date, Date)> = excluded.iter().copied().filter(|(a, b)| a < b).collect();
    ranges.sort();
    let mut out: Vec<(Date, Date)> = Vec::with_capacity(ranges.len());
    for (from, resumed) in ranges {
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(resumed),
            _ => out.push((from, resumed)),
        }
    }
    Ok(Cow::Owned(out))
}

fn plus_days(date: Date, days: i64) -> Result<Date, Error> {
    date.checked_add(Duration::days(days))
        .ok_or_else(Error::out_of_range)
}

/// The `length`-th calendar day after `start` that is not in a suspension: the suspensions are
/// crossed one at a time, so the cost does not depend on the length.
fn walk_days(start: Date, length: i64, excluded: &[(Date, Date)]) -> Result<Date, Error> {
    if length == 0 {
        // Nothing is counted, so a suspension that covers the start moves nothing (as for
        // working days): the period ends on the start itself.
        return Ok(start);
    }
    let (mut position, mut remaining) = (start, length);
    for &(from, resumed) in excluded {
        let Some(last_excluded) = resumed.previous_day().filter(|_| from < resumed) else {
            continue;
        };
        if last_excluded <= position {
            continue;
        }
        if from > position {
            // Days position + 1 ..= from − 1 are counted before the suspension.
            let available = (from - position).whole_days() - 1;
            if remaining <= available {
                return plus_days(position, remaining);
            }
            remaining -= available;
        }
        position = last_excluded;
    }
    plus_days(position, remaining)
}

impl Calendar {
    /// The `n`-th working day after `start` that is not in a suspension.
    fn walk_workdays(&self, start: Date, n: u64, excluded: &[(Date, Date)]) -> Result<Date, Error> {
        let to_k = |k: u64| u32::try_from(k).map_err(|_| Error::out_of_range());
        if n == 0 {
            return Ok(start);
        }
        let (mut position, mut remaining) = (start, n);
        for &(from, resumed) in excluded {
            let Some(last_excluded) = resumed.previous_day().filter(|_| from < resumed) else {
                continue;
            };
            if last_excluded <= position {
                continue;
            }
            if from > position {
                let before = from
                    .previous_day()
                    .ok_or_else(Error::out_of_range)?
                    .min(crate::LAST_COVERED);
                let available =
                    u64::try_from(self.workdays_between(position, before)?).unwrap_or(0);
                if remaining <= available {
                    return self.nth_workday_after(position, to_k(remaining)?);
                }
                remaining -= available;
            }
            position = last_excluded;
        }
        self.nth_workday_after(position, to_k(remaining)?)
    }

    /// The raw last day of `n + extension` units after `start`, skipping `excluded`.
    fn raw_end(
        &self,
        start: Date,
        unit: Unit,
        n: u32,
        extension: u32,
        excluded: &[(Date, Date)],
    ) -> Result<RawEnd, Error> {
        let total = u64::from(n) + u64::from(extension);
        match unit {
            Unit::Days => Ok(RawEnd {
                last: walk_days(
                    start,
                    i64::try_from(total).map_err(|_| Error::out_of_range())?,
                    excluded,
                )?,
                month_end: None,
            }),
            Unit::Workdays => Ok(RawEnd {
                last: self.walk_workdays(start, total, excluded)?,
                month_end: None,
            }),
            Unit::Months => {
                // The extension runs from the original period's raw end (statutes.md §0.8).
                let original = add_months(start, n).ok_or_else(Error::out_of_range)?;
                let plain = add_months(original, extension).ok_or_else(Error::out_of_range)?;
                let month_end = (plain.day() < start.day()).then_some(plain);
                // Suspended days push the last day back (statutes.md §0.9): the month period is
                // its length in calendar days, counted around the suspensions.
                let length = (plain - start).whole_days();
                Ok(RawEnd {
                    last: walk_days(start, length, excluded)?,
                    month_end,
                })
            }
        }
    }

    /// The raw end and the due date.
    fn count(
        &self,
        start: Date,
        period: &Period,
        excluded: &[(Date, Date)],
    ) -> Result<(RawEnd, Date), Error> {
        self.offset(start)?;
        let raw = self.raw_end(start, period.unit, period.n, period.extension, excluded)?;
        let due = self.next_working_day(raw.last)?;
        Ok((raw, due))
    }

    /// The due date of `period` started on `start`, and whether it is provisional, without the
    /// explanation: the fast path for lists and projections (no allocation unless several
    /// suspensions must be sorted).
    pub fn due_date(&self, start: Date, period: &Period) -> Result<(Date, bool), Error> {
        let excluded = merged(&period.excluded)?;
        let (_, due) = self.count(start, period, &excluded)?;
        Ok((due, self.is_provisional(due)))
    }

    /// The due date of `period` started on `start` (the start day not counted), with the steps
    /// that explain it.
    ///
    /// Errors: [`Error::BeforeData`] for a start before the data; [`Error::OutOfRange`] when the
    /// period ends past [`LAST_COVERED`](crate::LAST_COVERED); [`Error::BadSuspension`] for a
    /// suspension resumed before it starts.
    pub fn due(&self, start: Date, period: &Period) -> Result<Deadline, Error> {
        let excluded = merged(&period.excluded)?;
        let (raw, due) = self.count(start, period, &excluded)?;
        let last = raw.last;
        let mut steps = vec![Step::StartNotCounted { start }];
        if period.extension > 0 {
            let original = self.raw_end(start, period.unit, period.n, 0, &excluded)?;
            steps.push(Step::Extended {
                original_end: original.last,
                by: period.extension,
            });
        }
        let first_counted = plus_days(start, 1)?;
        for &(from, resumed) in excluded.iter() {
            let Some(last_excluded) = resumed.previous_day() else {
                continue;
            };
            let (low, high) = (from.max(first_counted), last_excluded.min(last));
            let skipped = if high < low {
                0
            } else if period.unit == Unit::Workdays {
                let before = low.previous_day().ok_or_else(Error::out_of_range)?;
                self.workdays_between(before, high)?
            } else {
                (high - low).whole_days() + 1
            };
            steps.push(Step::Suspended {
                from,
                resumed,
                skipped: to_u32(skipped),
            });
        }
        if let Some(last_day) = raw.month_end {
            steps.push(Step::MonthEnd { last_day });
        }
        let span = (last - start).whole_days();
        steps.push(Step::Counted {
            unit: period.unit,
            n: period.n.saturating_add(period.extension),
            last,
            rest_days: to_u32(span - self.workdays_between(start, last)?),
            adjusted_workdays: to_u32(self.adjusted_between(start, last)?),
            holidays: self.holidays_between(start, last),
        });
        if due != last {
            steps.push(Step::MovedOff {
                from: last,
                kind: self.info(last)?.kind,
                to: due,
                rest_days: to_u32((due - last).whole_days()),
            });
        }
        Ok(Deadline {
            due,
            provisional: self.is_provisional(due),
            unit: period.unit,
            n: period.n,
            extension: period.extension,
            steps,
        })
    }

    /// `n` calendar days (日) after `start`, moved off a rest day.
    pub fn add_days(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::days(n))
    }

    /// The `n`-th working day (工作日) after `start`.
    pub fn add_workdays(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::workdays(n))
    }

    /// `n` months (个月) after `start`, moved off a rest day.
    pub fn add_months(&self, start: Date, n: u32) -> Result<Deadline, Error> {
        self.due(start, &Period::months(n))
    }

    /// The latest start day whose period of `n` `unit`s is due on or before `deadline`, and
    /// whether that is provisional: for "N日前" notices (`statutes.md` §0.10), the last day a
    /// hearing notice may be served is `latest_start(hearing, N, unit)`; pass `N + 1` for the safe
    /// variant with N full days between service and hearing.
    ///
    /// A bisection over start days (due dates grow with the start day), so logarithmic time.
    /// [`Error::BeforeData`] if even the first covered day is too late.
    pub fn latest_start(&self, deadline: Date, n: u32, unit: Unit) -> Result<(Date, bool), Error> {
        let last_offset = self.offset(deadline)?;
        let period = Period::new(n, unit);
        let fits = |offset: usize| -> bool {
            i64::try_from(offset)
                .ok()
                .and_then(|days| self.first_day().checked_add(Duration::days(days)))
                .and_then(|start| self.due_date(start, &period).ok())
                .is_some_and(|(due, _)| due <= deadline)
        };
        if !fits(0) {
            return Err(Error::BeforeData {
                date: self.first_day().previous_day().unwrap_or(self.first_day()),
                first_year: self.first_year(),
            });
        }
        // Invariant: fits(low); !fits(high) or high is past the deadline.
        let (mut low, mut high) = (0usize, last_offset + 1);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if fits(middle) {
                low = middle;
            } else {
                high = middle;
            }
        }
        let start = plus_days(
            self.first_day(),
            i64::try_from(low).map_err(|_| Error::out_of_range())?,
        )?;
        Ok((start, self.is_provisional(deadline)))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn overlapping_suspensions_count_once() {
        let merged = merged(&[
            (date!(2025 - 03 - 10), date!(2025 - 03 - 20)),
            (date!(2025 - 03 - 01), date!(2025 - 03 - 05)),
            (date!(2025 - 03 - 15), date!(2025 - 03 - 25)),
            (date!(2025 - 04 - 01), date!(2025 - 04 - 01)),
        ])
        .unwrap();
        assert_eq!(
            merged.as_ref(),
            &[
                (date!(2025 - 03 - 01), date!(2025 - 03 - 05)),
                (date!(2025 - 03 - 10), date!(2025 - 03 - 25)),
            ]
        );
    }

    #[test]
    fn walking_days_crosses_each_suspension_in_one_step() {
        let excluded = [(date!(2025 - 03 - 10), date!(2025 - 03 - 20))];
        // 03-04..03-09 are 6 days; then 03-20 is the 7th.
        assert_eq!(
            walk_days(date!(2025 - 03 - 03), 7, &excluded).unwrap(),
            date!(2025 - 03 - 20)
        );
        assert_eq!(
            walk_days(date!(2025 - 03 - 03), 6, &excluded).unwrap(),
            date!(2025 - 03 - 09)
        );
        // Started inside the suspension: counting begins on the resumption day.
        assert_eq!(
            walk_days(date!(2025 - 03 - 12), 1, &excluded).unwrap(),
            date!(2025 - 03 - 20)
        );
        // A suspension wholly before the start changes nothing.
        assert_eq!(
            walk_days(date!(2025 - 03 - 25), 5, &excluded).unwrap(),
            date!(2025 - 03 - 30)
        );
        assert_eq!(
            walk_days(date!(2025 - 03 - 03), 0, &excluded).unwrap(),
            date!(2025 - 03 - 03)
        );
        // A zero-length period started inside a suspension counts nothing and ends on its start,
        // as a zero-length working-day period does (found by the day-by-day property).
        assert_eq!(
            walk_days(date!(2025 - 03 - 10), 0, &excluded).unwrap(),
            date!(2025 - 03 - 10)
        );
    }
}
