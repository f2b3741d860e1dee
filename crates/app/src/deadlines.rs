//! The engine's period arithmetic on the official calendar (`fazhi-calendar`).

use fazhi_calendar::{Calendar, Period, Unit};
use time::Date;

use crate::engine::{Due, PeriodCalculator};
use crate::procedure::PeriodUnit;

/// [`PeriodCalculator`] over the official working-day calendar.
#[derive(Debug, Clone, Copy)]
pub struct OfficialCalendar(&'static Calendar);

impl OfficialCalendar {
    /// The calendar shipped with Fazhi.
    pub fn load() -> Result<Self, fazhi_calendar::DataError> {
        Ok(Self(Calendar::official()?))
    }

    /// The calendar itself, for queries the engine does not need.
    pub fn calendar(&self) -> &'static Calendar {
        self.0
    }
}

impl PeriodCalculator for OfficialCalendar {
    fn due(&self, start: Date, n: u32, unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due> {
        let unit = match unit {
            PeriodUnit::Days => Unit::Days,
            PeriodUnit::Workdays => Unit::Workdays,
            PeriodUnit::Months => Unit::Months,
        };
        let period = Period {
            n,
            unit,
            extension: 0,
            excluded: paused.to_vec(),
        };
        // The fast path: the due date without the explanation steps.
        self.0
            .due_date(start, &period)
            .ok()
            .map(|(date, provisional)| Due { date, provisional })
    }

    fn workdays_between(&self, from: Date, to: Date) -> i64 {
        self.0.workdays_between(from, to).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn periods_follow_the_official_calendar() {
        let calendar = OfficialCalendar::load().expect("data");
        let due = calendar
            .due(date!(2025 - 09 - 30), 5, PeriodUnit::Workdays, &[])
            .expect("covered");
        assert_eq!(
            due,
            Due {
                date: date!(2025 - 10 - 14),
                provisional: false
            }
        );
        assert_eq!(
            calendar.workdays_between(date!(2025 - 09 - 30), date!(2025 - 10 - 14)),
            5
        );
    }
}
