//! Which statutory periods are running on a case and when each falls due, replayed from the
//! case's history: a timer starts at its start action (from the date in its `start_field` when
//! given), starts afresh at a restart action (补正), stops at a stop action, runs longer after its
//! extension action, and does not run while the case sits in one of its paused states (中止,
//! consultation). The day the pause begins is not counted and the day it ends is counted
//! (statutes.md §0.9, the conservative convention).

use time::Date;

use super::{Case, FieldValue};
use crate::procedure::{PeriodUnit, Procedure};

/// A due date and whether it rests on provisional calendar data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The last day of the period.
    pub date: Date,
    /// Whether a year without the State Council's notice was involved.
    pub provisional: bool,
}

/// Period arithmetic, supplied by the calendar.
pub trait PeriodCalculator: Send + Sync + std::fmt::Debug {
    /// The due date of `n` `unit`s from `start` (start day not counted), skipping the dates in
    /// `paused` (each `[from, until)`).
    fn due(&self, start: Date, n: u32, unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due>;

    /// Working days after `from` up to and including `to` (negative when `to` is earlier).
    fn workdays_between(&self, from: Date, to: Date) -> i64;
}

/// A period running on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTimer {
    /// The timer's id in the definition.
    pub id: String,
    /// Its Chinese label.
    pub label: String,
    /// The article setting it.
    pub article: String,
    /// The day the period started (not counted).
    pub started_on: Date,
    /// The due date, if computable.
    pub due: Option<Due>,
    /// Whether the extension was granted.
    pub extended: bool,
    /// Whether the period is paused now.
    pub paused: bool,
    /// What happens on expiry.
    pub on_expiry: String,
}

fn date_field(
    case: &Case,
    step_fields: &std::collections::BTreeMap<String, FieldValue>,
    id: &str,
) -> Option<Date> {
    match step_fields.get(id).or_else(|| case.fields.get(id)) {
        Some(FieldValue::Date(date)) => Some(*date),
        _ => None,
    }
}

/// The periods running on `case`, in definition order.
pub fn open_timers(
    procedure: &Procedure,
    case: &Case,
    calendar: &dyn PeriodCalculator,
) -> Vec<OpenTimer> {
    let mut open = Vec::new();
    for timer in &procedure.timers {
        let mut started: Option<Date> = None;
        let mut extended = false;
        let mut paused: Vec<(Date, Date)> = Vec::new();
        let mut pause_began: Option<Date> = None;
        for step in &case.history {
            let action = step.action.as_str();
            if action == timer.start {
                let from_field = timer
                    .start_field
                    .as_deref()
                    .and_then(|field| date_field(case, &step.fields, field));
                started = Some(from_field.unwrap_or(step.on));
                extended = false;
                paused.clear();
                pause_began = None;
            } else if started.is_some() && timer.restart.iter().any(|a| a == action) {
                started = Some(step.on);
                extended = false;
                paused.clear();
                pause_began = None;
            } else if timer.stop.iter().any(|a| a == action) {
                started = None;
            }
            if timer.extension.as_ref().is_some_and(|e| e.action == action) && started.is_some() {
                extended = true;
            }
            let in_pause_state = timer.paused_in.contains(&step.state_after);
            match (in_pause_state, pause_began) {
                (true, None) => pause_began = Some(step.on),
                (false, Some(began)) => {
                    paused.push((began, step.on));
                    pause_began = None;
                }
                _ => {}
            }
        }
        let Some(started_on) = started else { continue };
        let mut n = timer.period;
        if extended && let Some(extension) = &timer.extension {
            // Same-unit extensions run on from the original period (statutes.md §0.8).
            if extension.unit == timer.unit {
                n += extension.period;
            }
        }
        let due = if pause_began.is_some() {
            None
        } else {
            calendar.due(started_on, n, timer.unit, &paused)
        };
        open.push(OpenTimer {
            id: timer.id.clone(),
            label: timer.label.clone(),
            article: timer.article.clone(),
            started_on,
            due,
            extended,
            paused: pause_began.is_some(),
            on_expiry: timer.on_expiry.clone(),
        });
    }
    open
}
