//! Replaying a case's history against its definition's timers: which periods run, from when,
//! how long, paused or not, and what their lapse did. A timer starts at its start step (from its
//! `start_field` when given, and only when `start_when` matches), starts afresh at a restart
//! step (from `restart_field`), stops at a stop step, runs longer after its extension step, and
//! does not run while the case sits in one of its paused states (the day the pause begins is not
//! counted and the day it ends is: statutes.md §0.9, the conservative convention).
//!
//! A period the party holds (`lapse = "ends"`) simply ends when it lapses. A period whose lapse
//! deems a step (`lapse = "deems"`: 复议法第三十条第三款 "视为受理") puts that step into the history
//! on the period's last day, before any later step — derived here on every replay, so no
//! background job is needed; the case service stores it when someone next acts on the case.

use std::borrow::Cow;
use std::collections::BTreeMap;

use time::Date;

use crate::engine::{Case, Step};
use crate::fields::FieldValue;
use crate::model::{Choice, Extension, Lapse, Period, PeriodUnit, Procedure, Timer, TimerEffect};

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

/// What a timer's lapse means, without its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LapseKind {
    /// The agency's duty: overdue after the last day.
    Overdue,
    /// The party's period: it ends.
    Ends,
    /// The law deems a step taken.
    Deems,
}

/// A period running on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTimer {
    /// The timer's id in the definition.
    pub id: String,
    /// Its Chinese label.
    pub label: String,
    /// The article setting it (the chosen rule's, for a period chosen by a field).
    pub article: String,
    /// The day the period started (not counted).
    pub started_on: Date,
    /// The due date, if computable (not while paused).
    pub due: Option<Due>,
    /// Whether an extension was granted.
    pub extended: bool,
    /// Whether the period is paused now.
    pub paused: bool,
    /// What happens on expiry.
    pub on_expiry: String,
    /// What its lapse means.
    pub lapse: LapseKind,
    /// The period as it runs now (the chosen rule's, with granted extensions in the same unit).
    pub period: Period,
    /// Whether it was started afresh (补正), so that it counts from the restart's date.
    pub restarted: bool,
}

impl OpenTimer {
    /// What it counts from, in words: the start field's label or the start step's.
    pub fn counts_from(&self, procedure: &Procedure) -> String {
        procedure
            .timer(&self.id)
            .map(|t| counts_from(procedure, t, self.restarted))
            .unwrap_or_default()
    }

    /// The steps that satisfy it, by label (what the period awaits).
    pub fn awaits<'p>(&self, procedure: &'p Procedure) -> Vec<&'p str> {
        procedure
            .timer(&self.id)
            .map(|t| {
                t.stop
                    .iter()
                    .map(|a| procedure.step_label(a.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One timer's run during the replay.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub started_on: Date,
    /// The position in the (replayed) history of the step that started it.
    pub since: usize,
    pub extended_by: u32,
    pub extensions: u32,
    pub paused: Vec<(Date, Date)>,
    pub pause_began: Option<Date>,
    pub restarted: bool,
    /// A party's period that lapsed: no longer running, but kept so that guards can still ask
    /// whether it had ended by an earlier date (a decision dated inside it, entered later).
    pub ended: bool,
}

/// A case replayed: its effective state and history (with deemed steps) and each timer's run.
/// It borrows the case's stored steps; only deemed steps are made here.
#[derive(Debug, Clone)]
pub struct Replay<'a> {
    /// The state the case is in, deemed steps applied.
    pub state: String,
    /// Every step, oldest first, deemed steps included (marked by `deemed_by`).
    pub history: Vec<Cow<'a, Step>>,
    /// Every field's latest value (deemed steps record none).
    pub fields: &'a BTreeMap<String, FieldValue>,
    pub(crate) runs: Vec<Option<Run>>,
    /// The position of a step [`Replay::record`]ed after the case's own, whose fields come first.
    recorded: Option<usize>,
    /// Whether any period's lapse does something (ends it, or deems a step): otherwise nothing
    /// happens between steps and lapses need no looking for.
    watched: bool,
}

/// Until when to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// As the case stands on this day: deemed steps whose period lapsed before it are applied,
    /// and the party's periods that lapsed before it have ended.
    Day(Date),
    /// As it will stand if nobody acts: every deemed step is applied; the party's periods stay
    /// listed with their last day (for the projection of deadlines).
    Projected,
}

impl<'a> Replay<'a> {
    /// Replays `case` under `procedure`.
    pub fn of(
        procedure: &Procedure,
        case: &'a Case,
        as_of: AsOf,
        calendar: &dyn PeriodCalculator,
    ) -> Replay<'a> {
        let mut replay = Replay {
            state: String::new(),
            history: Vec::with_capacity(case.history.len() + 1),
            fields: &case.fields,
            runs: std::iter::repeat_with(|| None)
                .take(procedure.timers.len())
                .collect(),
            recorded: None,
            watched: procedure.index.watched,
        };
        for step in &case.history {
            replay.lapse_before(procedure, Some(step.on), calendar);
            replay.apply(procedure, Cow::Borrowed(step));
        }
        match as_of {
            AsOf::Day(day) => replay.lapse_before(procedure, Some(day), calendar),
            AsOf::Projected => replay.lapse_before(procedure, None, calendar),
        }
        replay.settle_state(procedure);
        replay
    }

    /// The state after the last step replayed (the initial state before any). Steps do not
    /// copy their state into [`Replay::state`] one by one; the public calls settle it once.
    fn state_now<'s>(&'s self, procedure: &'s Procedure) -> &'s str {
        self.history.last().map_or_else(
            || procedure.initial_state().id.as_str(),
            |step| step.state_after.as_str(),
        )
    }

    #[inline]
    fn settle_state(&mut self, procedure: &Procedure) {
        let now = self.history.last().map_or_else(
            || procedure.initial_state().id.as_str(),
            |step| step.state_after.as_str(),
        );
        if self.state.is_empty() {
            // A new replay's: a copy of the right size at once.
            self.state = now.to_owned();
        } else {
            now.clone_into(&mut self.state);
        }
    }

    /// Records a new step after the replay (as the case service does once the engine accepted
    /// it): the periods that lapsed before its date first, then the step.
    pub fn record(
        &mut self,
        procedure: &Procedure,
        step: Cow<'a, Step>,
        calendar: &dyn PeriodCalculator,
    ) {
        self.lapse_before(procedure, Some(step.on), calendar);
        self.recorded = Some(self.history.len());
        self.apply(procedure, step);
        self.settle_state(procedure);
    }

    /// A field's latest value: the recorded step's, else the case's.
    fn value(&self, id: &str) -> Option<&FieldValue> {
        self.recorded
            .and_then(|i| self.history.get(i))
            .and_then(|step| step.fields.get(id))
            .or_else(|| self.fields.get(id))
    }

    /// Goes on as if nobody acts again: every deemed step is taken (for the projection of
    /// deadlines after a step).
    pub fn project(&mut self, procedure: &Procedure, calendar: &dyn PeriodCalculator) {
        let steps = self.history.len();
        self.lapse_before(procedure, None, calendar);
        // Only a deemed step changes the state.
        if self.history.len() != steps {
            self.settle_state(procedure);
        }
    }

    /// The deemed steps after the last stored one: what the law did since anyone last acted.
    #[inline]
    pub fn deemed_since_last_stored(&self) -> Vec<Step> {
        // Usually the law did nothing since: the last step is a stored one.
        if self.history.last().is_none_or(|s| s.deemed_by.is_none()) {
            return Vec::new();
        }
        let last_stored = self
            .history
            .iter()
            .rposition(|s| s.deemed_by.is_none())
            .unwrap_or(0);
        self.history
            .iter()
            .skip(last_stored + 1)
            .filter(|s| s.deemed_by.is_some())
            .map(|s| s.as_ref().clone())
            .collect()
    }

    /// The run of the timer with this id.
    pub(crate) fn run<'p>(
        &'p self,
        procedure: &'p Procedure,
        timer: &str,
    ) -> Option<(&'p Timer, &'p Run)> {
        procedure
            .timers
            .iter()
            .zip(&self.runs)
            .find(|(t, _)| t.id == *timer)
            .and_then(|(t, run)| run.as_ref().map(|r| (t, r)))
    }

    /// Whether `action` is in the history at or after position `since`.
    pub(crate) fn recorded_since(&self, action: &str, since: usize) -> bool {
        self.history.iter().skip(since).any(|s| s.action == action)
    }

    /// The position of the last `action`, if recorded.
    pub(crate) fn last(&self, action: &str) -> Option<usize> {
        self.history.iter().rposition(|s| s.action == action)
    }

    /// The running periods, in definition order.
    pub fn open_timers(
        &self,
        procedure: &Procedure,
        calendar: &dyn PeriodCalculator,
    ) -> Vec<OpenTimer> {
        procedure
            .timers
            .iter()
            .zip(&self.runs)
            .filter_map(|(timer, run)| {
                let run = run.as_ref().filter(|r| !r.ended)?;
                let (choice, extension, period) = self.period_of(timer, run);
                Some(OpenTimer {
                    id: timer.id.as_str().to_owned(),
                    label: timer.label.clone(),
                    article: choice.map_or(&timer.article, |c| &c.article).clone(),
                    started_on: run.started_on,
                    due: due_of(run, extension, period, calendar),
                    extended: run.extensions > 0,
                    paused: run.pause_began.is_some(),
                    on_expiry: timer.on_expiry.clone(),
                    lapse: match timer.lapse {
                        Lapse::Overdue => LapseKind::Overdue,
                        Lapse::Ends => LapseKind::Ends,
                        Lapse::Deems(_) => LapseKind::Deems,
                    },
                    period,
                    restarted: run.restarted,
                })
            })
            .collect()
    }

    /// The chosen rule (if the period is chosen by a field), the extension it allows and the
    /// period as it runs now.
    fn period_of<'t>(
        &self,
        timer: &'t Timer,
        run: &Run,
    ) -> (Option<&'t Choice>, Option<&'t Extension>, Period) {
        let choice = self.choice(timer);
        let base = choice.map_or(timer.period, |c| c.period);
        // As `extension_of`, without looking for the choice again.
        let extension = choice.map_or(timer.extension.as_ref(), |c| c.extension.as_ref());
        let n = match extension {
            Some(e) if e.max.unit == base.unit => base.n.saturating_add(run.extended_by),
            _ => base.n,
        };
        (choice, extension, Period { n, unit: base.unit })
    }

    #[inline]
    pub(crate) fn choice<'t>(&self, timer: &'t Timer) -> Option<&'t Choice> {
        // Most periods are not chosen by a field: for them, no call and no lookup.
        let by = timer.period_by.as_ref()?;
        self.chosen(timer, by)
    }

    fn chosen<'t>(&self, timer: &'t Timer, by: &crate::model::FieldId) -> Option<&'t Choice> {
        match self.value(by.as_str()) {
            Some(FieldValue::Text(value)) => timer.choices.iter().find(|c| &c.value == value),
            _ => None,
        }
    }

    pub(crate) fn extension_of<'t>(&self, timer: &'t Timer) -> Option<&'t Extension> {
        match self.choice(timer) {
            Some(choice) => choice.extension.as_ref(),
            None => timer.extension.as_ref(),
        }
    }

    fn paused_in<'t>(&self, timer: &'t Timer) -> &'t [crate::model::StateId] {
        self.choice(timer)
            .map_or(&timer.paused_in, |c| &c.paused_in)
    }

    /// The last day of a run, if it is not paused.
    pub(crate) fn due(
        &self,
        timer: &Timer,
        run: &Run,
        calendar: &dyn PeriodCalculator,
    ) -> Option<Due> {
        let (_, extension, period) = self.period_of(timer, run);
        due_of(run, extension, period, calendar)
    }

    /// Ends the party's periods and takes the deemed steps whose last day is before `day`
    /// (`None`: whatever their last day).
    #[inline]
    fn lapse_before(
        &mut self,
        procedure: &Procedure,
        day: Option<Date>,
        calendar: &dyn PeriodCalculator,
    ) {
        // Called before every step replayed: for the many definitions whose periods only fall
        // overdue, it does nothing and costs no call.
        if self.watched {
            self.lapse_watched(procedure, day, calendar);
        }
    }

    fn lapse_watched(
        &mut self,
        procedure: &Procedure,
        day: Option<Date>,
        calendar: &dyn PeriodCalculator,
    ) {
        loop {
            let mut earliest: Option<(Date, usize)> = None;
            for (i, (timer, run)) in procedure.timers.iter().zip(&self.runs).enumerate() {
                let Some(run) = run else { continue };
                if timer.lapse == Lapse::Overdue || run.ended {
                    continue;
                }
                let Some(due) = self.due(timer, run, calendar) else {
                    continue;
                };
                if day.is_some_and(|d| due.date >= d) {
                    continue;
                }
                let lapses = match &timer.lapse {
                    Lapse::Overdue => false,
                    Lapse::Ends => day.is_some(),
                    Lapse::Deems(action) => procedure
                        .transition(action.as_str())
                        .is_some_and(|t| t.allowed_from(self.state_now(procedure))),
                };
                if lapses && earliest.is_none_or(|(d, _)| due.date < d) {
                    earliest = Some((due.date, i));
                }
            }
            let Some((due, i)) = earliest else { return };
            let Some(timer) = procedure.timers.get(i) else {
                return;
            };
            if let Some(slot) = self.runs.get_mut(i) {
                match (&timer.lapse, slot.as_mut()) {
                    (Lapse::Ends, Some(run)) => run.ended = true,
                    _ => *slot = None,
                }
            }
            if let Lapse::Deems(action) = &timer.lapse
                && let Some(t) = procedure.transition(action.as_str())
            {
                self.apply(
                    procedure,
                    Cow::Owned(Step {
                        action: action.as_str().to_owned(),
                        on: due,
                        state_after: t.to.as_str().to_owned(),
                        fields: BTreeMap::new(),
                        deemed_by: Some(timer.id.as_str().to_owned()),
                    }),
                );
            }
        }
    }

    fn date_value(&self, step: &Step, field: Option<&crate::model::FieldId>) -> Option<Date> {
        let field = field?;
        // A step records a handful of fields: looking through them comparing lengths first is
        // cheaper than the map's ordered search, which compares every key's bytes.
        let own = (step.fields.iter()).find(|(id, _)| id.as_str() == field.as_str());
        let own = own.map(|(_, value)| value);
        match own.or_else(|| self.value(field.as_str())) {
            Some(FieldValue::Date(date)) => Some(*date),
            _ => None,
        }
    }

    /// Whether `start_when` matches, on the start step's values and then what the case recorded
    /// before (a start step recorded again starts the period afresh).
    fn starts(&self, timer: &Timer, step: &Step) -> bool {
        let Some(rule) = &timer.start_when else {
            return true;
        };
        let value = step
            .fields
            .get(rule.field.as_str())
            .or_else(|| self.value(rule.field.as_str()));
        match (value, &rule.values) {
            (Some(FieldValue::Bool(true)), None) => true,
            (Some(FieldValue::Text(value)), Some(values)) => values.contains(value),
            _ => false,
        }
    }

    fn apply(&mut self, procedure: &Procedure, step: Cow<'a, Step>) {
        let position = self.history.len();
        let action = step.action.as_str();
        // A deemed step (derived, or stored once someone acted after it) ends its period.
        if let Some(&i) = step
            .deemed_by
            .as_deref()
            .and_then(|timer| procedure.index.timers.get(timer))
            && let Some(slot) = self.runs.get_mut(i)
        {
            *slot = None;
        }
        // Only the timers the step starts, restarts, stops or extends change here (timers do
        // not depend on one another); every running one may pause or resume below.
        let effects = if action == crate::model::OPEN {
            &procedure.index.opening_effects
        } else {
            (procedure.index.timer_effects.get(action)).map_or(&[][..], Vec::as_slice)
        };
        for &(i, bits) in effects {
            let Some(timer) = procedure.timers.get(i) else {
                continue;
            };
            let running = self.runs.get(i).is_some_and(Option::is_some);
            let starts = bits & TimerEffect::START != 0 && self.starts(timer, &step);
            let restarts = !starts && bits & TimerEffect::RESTART != 0 && running;
            let new_run = if starts || restarts {
                let field = if starts {
                    timer.start_field.as_ref()
                } else {
                    timer.restart_field.as_ref()
                };
                Some(Run {
                    started_on: self.date_value(&step, field).unwrap_or(step.on),
                    since: position,
                    extended_by: 0,
                    extensions: 0,
                    paused: Vec::new(),
                    pause_began: None,
                    restarted: restarts,
                    ended: false,
                })
            } else {
                None
            };
            let stops = !starts && !restarts && bits & TimerEffect::STOP != 0;
            let extension = if bits & TimerEffect::EXTEND != 0 {
                self.extension_of(timer)
            } else {
                None
            };
            let Some(slot) = self.runs.get_mut(i) else {
                continue;
            };
            if let Some(run) = new_run {
                *slot = Some(run);
            } else if stops {
                *slot = None;
            }
            let Some(run) = slot.as_mut() else { continue };
            if let Some(extension) = extension
                && extension.action == *action
            {
                let length = match extension
                    .length_field
                    .as_ref()
                    .and_then(|f| step.fields.get(f.as_str()))
                {
                    Some(FieldValue::Number(n)) => u32::try_from(*n).unwrap_or(u32::MAX),
                    _ => extension.max.n,
                };
                run.extended_by = run.extended_by.saturating_add(length.min(extension.max.n));
                run.extensions += 1;
            }
        }
        // A timer that never pauses is never paused: nothing to do for it.
        for &i in &procedure.index.pausable {
            let Some(timer) = procedure.timers.get(i) else {
                continue;
            };
            if !self.runs.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let pauses = self.paused_in(timer).iter().any(|s| *s == step.state_after);
            let Some(Some(run)) = self.runs.get_mut(i) else {
                continue;
            };
            match (pauses, run.pause_began) {
                (true, None) => run.pause_began = Some(step.on),
                (false, Some(began)) => {
                    run.paused.push((began, step.on));
                    run.pause_began = None;
                }
                _ => {}
            }
        }
        self.history.push(step);
    }
}

/// The last day of a run that runs `period` and allows `extension`, if it is not paused.
fn due_of(
    run: &Run,
    extension: Option<&Extension>,
    period: Period,
    calendar: &dyn PeriodCalculator,
) -> Option<Due> {
    if run.pause_began.is_some() {
        return None;
    }
    let due = calendar.due(run.started_on, period.n, period.unit, &run.paused)?;
    match extension {
        // An extension in another unit runs on from the original last day.
        Some(e) if e.max.unit != period.unit && run.extended_by > 0 => {
            let extended = calendar.due(due.date, run.extended_by, e.max.unit, &[])?;
            Some(Due {
                date: extended.date,
                provisional: due.provisional || extended.provisional,
            })
        }
        _ => Some(due),
    }
}

fn counts_from(procedure: &Procedure, timer: &Timer, restarted: bool) -> String {
    let field = if restarted {
        timer.restart_field.as_ref()
    } else {
        timer.start_field.as_ref()
    };
    match field {
        Some(field) => procedure.field_label(field.as_str()).to_owned(),
        None if restarted => {
            timer
                .restart
                .first()
                .map_or("", |a| procedure.step_label(a.as_str()))
                .to_owned()
                + "之日"
        }
        None => procedure.step_label(timer.start.as_str()).to_owned() + "之日",
    }
}

/// How far past its last day a period is on `today`, in the period's own unit ("3日",
/// "2个工作日"; months are counted in 日). `None` when it is not overdue.
pub fn overdue_by(
    due: Date,
    today: Date,
    unit: PeriodUnit,
    calendar: &dyn PeriodCalculator,
) -> Option<String> {
    if today <= due {
        return None;
    }
    Some(match unit {
        PeriodUnit::Workdays => format!("{}个工作日", calendar.workdays_between(due, today).max(1)),
        PeriodUnit::Days | PeriodUnit::Months => format!("{}日", (today - due).whole_days()),
    })
}

/// The period explained in words, e.g. "90日，自立案日期起计算；依据行政处罚法第六十条".
pub fn explain(procedure: &Procedure, timer: &OpenTimer) -> String {
    let mut text = format!("{}，自{}起计算", timer.period, timer.counts_from(procedure));
    if timer.extended {
        text.push_str("（已延长）");
    }
    text.push_str("；依据");
    text.push_str(&timer.article);
    text
}
