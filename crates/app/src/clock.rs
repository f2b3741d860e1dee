//! Time as a parameter: handlers and the store read the current time only through [`Clock`], so
//! tests can fix it (see `docs/ARCHITECTURE.md`, "Time is a parameter").

use std::sync::Mutex;

use time::OffsetDateTime;

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // The one place allowed to read the system clock.
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until told to move; for tests.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<OffsetDateTime>,
}

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Moves the clock forward (or back) by `by`.
    pub fn advance(&self, by: time::Duration) {
        if let Ok(mut now) = self.now.lock() {
            *now += by;
        }
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: OffsetDateTime) {
        if let Ok(mut now) = self.now.lock() {
            *now = to;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        match self.now.lock() {
            Ok(now) => *now,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

/// China Standard Time (UTC+8, no daylight saving): the time zone of every date Fazhi records.
pub const CHINA: time::UtcOffset = time::macros::offset!(+8);

/// The calendar date in China at `now`: what "today" means for a step's date and a deadline
/// (between 00:00 and 08:00 in Beijing the UTC date is still yesterday's).
pub fn china_date(now: OffsetDateTime) -> time::Date {
    now.to_offset(CHINA).date()
}

/// Formats an instant the way the store keeps it: RFC 3339 in UTC with whole seconds, so that
/// text order is time order on both databases.
pub fn to_db_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Parses a time written by [`to_db_time`].
pub fn from_db_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_in_beijing() {
        use time::macros::{date, datetime};
        assert_eq!(
            china_date(datetime!(2025-03-02 15:59:59 UTC)),
            date!(2025 - 03 - 02)
        );
        assert_eq!(
            china_date(datetime!(2025-03-02 16:00:00 UTC)),
            date!(2025 - 03 - 03)
        );
        assert_eq!(
            china_date(datetime!(2025-12-31 20:00:00 UTC)),
            date!(2026 - 01 - 01)
        );
    }

    #[test]
    fn db_time_round_trips_and_sorts_as_text() {
        let early = time::macros::datetime!(2025-01-02 03:04:05 UTC);
        let late = time::macros::datetime!(2025-11-02 03:04:05 UTC);
        assert_eq!(to_db_time(early), "2025-01-02T03:04:05Z");
        assert_eq!(from_db_time(&to_db_time(early)), Some(early));
        assert!(to_db_time(early) < to_db_time(late));
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let start = time::macros::datetime!(2025-01-02 03:04:05 UTC);
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(time::Duration::minutes(16));
        assert_eq!(clock.now(), start + time::Duration::minutes(16));
    }
}
