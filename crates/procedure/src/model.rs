//! The typed definition: what the loader produces from a procedure's TOML. Every reference in it
//! has been resolved and checked by kind (a guard's date is a date field, a timer's extension
//! action is a transition, a person field names a registry), so the engine never meets a name it
//! does not know. Ids are newtypes that only the loader can make.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use time::Date;

use crate::org::{Registry, Role};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub(crate) String);

        impl $name {
            /// The id as written in the definition.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

id_type!(
    /// A field of the procedure.
    FieldId
);
id_type!(
    /// A state of the procedure.
    StateId
);
id_type!(
    /// A step: a transition's action, or `open` for the case's opening.
    ActionId
);
id_type!(
    /// A timer (statutory period).
    TimerId
);
id_type!(
    /// An outcome.
    OutcomeId
);

/// The pseudo-action of a case's opening, as it appears in a case's history.
pub const OPEN: &str = "open";

/// A procedure definition, validated.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// Stable id, e.g. `reconsideration`.
    pub id: String,
    /// Chinese name, e.g. 行政复议.
    pub name: String,
    /// The statute and version governing it.
    pub statute: String,
    /// The date that version came into force.
    pub in_force: Date,
    /// The access roles that may open a case.
    pub opened_by: Vec<Role>,
    /// Prefix of case numbers, e.g. 罚 (numbers read 罚-2025-000123).
    pub number_prefix: String,
    /// The field whose value names a case in lists; never personal data.
    pub title_field: FieldId,
    /// The fields asked for when a case is opened.
    pub opening_fields: Vec<FieldId>,
    /// Guards checked when a case is opened.
    pub opening_guards: Vec<Guard>,
    /// One-paragraph description for the UI.
    pub description: String,
    /// Typed fields of a case.
    pub fields: Vec<Field>,
    /// States.
    pub states: Vec<State>,
    /// Transitions between states.
    pub transitions: Vec<Transition>,
    /// Statutory periods.
    pub timers: Vec<Timer>,
    /// Outcomes counted by the indicators.
    pub outcomes: Vec<Outcome>,
    /// What is published, redacted how, within which period.
    pub publicity: Option<Publicity>,
    pub(crate) index: Index,
}

/// Positions by id, for constant-time lookups.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) fields: IdMap<usize>,
    pub(crate) states: IdMap<usize>,
    pub(crate) transitions: IdMap<usize>,
    pub(crate) timers: IdMap<usize>,
    pub(crate) outcomes: IdMap<usize>,
    /// For each step, the timers it starts, restarts, stops or extends (see [`TimerEffect`]),
    /// so a replay looks a step up once instead of scanning every timer's lists.
    pub(crate) timer_effects: IdMap<Vec<(usize, u8)>>,
    /// Whether any period's lapse does something (ends it, or deems a step).
    pub(crate) watched: bool,
    /// `timer_effects` of the opening, which begins every case's history.
    pub(crate) opening_effects: Vec<(usize, u8)>,
    /// The timers that can pause (their own or a chosen rule's `paused_in` names a state), so a
    /// replay asks only them whether a step pauses or resumes them.
    pub(crate) pausable: Vec<usize>,
    /// For each transition, by position, the timers whose extension (their own or a chosen
    /// rule's) it grants, in definition order.
    pub(crate) extends: Vec<Vec<usize>>,
    /// For each transition, by position, the positions of the fields it requires and then of
    /// those it offers besides, so that a step's fields need no lookup by name.
    pub(crate) offered: Vec<Vec<usize>>,
}

/// A map keyed by the definition's ids. Its keys are few and fixed when the definition is
/// loaded, and a lookup with a key from a request costs at most a probe of that small table, so
/// the hash need not resist flooding; the default SipHash cost more than the rest of a lookup,
/// and the engine looks ids up on every step it replays.
pub(crate) type IdMap<V> = HashMap<String, V, BuildHasherDefault<IdHasher>>;

/// FxHash, as in rustc (a rotate, an xor and a multiply per word), over an id's first and last
/// eight bytes and its length only: those tell the ids of a definition apart nearly always, and
/// hashing no more keeps a lookup's cost fixed; equal hashes cost one more comparison.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let len = u64::try_from(bytes.len()).unwrap_or_default();
        match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(first), Some(last)) => {
                self.add(u64::from_le_bytes(*first) ^ len);
                self.add(u64::from_le_bytes(*last));
            }
            _ => {
                for byte in bytes {
                    self.add(u64::from(*byte));
                }
                self.add(len);
            }
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits, which the multiply leaves weakest.
        self.0.rotate_left(26)
    }
}

/// What a step does to a timer, as bits of [`Index::timer_effects`].
pub(crate) struct TimerEffect;

impl TimerEffect {
    pub(crate) const START: u8 = 1;
    pub(crate) const RESTART: u8 = 2;
    pub(crate) const STOP: u8 = 4;
    pub(crate) const EXTEND: u8 = 8;
}

/// The type of a field, with what the type needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A party's name (always personal data).
    Party,
    /// A calendar date.
    Date,
    /// An amount of money in yuan, kept in fen.
    Money,
    /// A whole number ≥ 0.
    Number,
    /// Yes or no.
    Bool,
    /// One of these options.
    Enum(Vec<String>),
    /// A department of the jurisdiction.
    Department,
    /// A person from this registry.
    Person(Registry),
    /// An attached document.
    Document,
}

impl FieldKind {
    /// The code written in definitions.
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Party => "party",
            FieldKind::Date => "date",
            FieldKind::Money => "money",
            FieldKind::Number => "number",
            FieldKind::Bool => "bool",
            FieldKind::Enum(_) => "enum",
            FieldKind::Department => "department",
            FieldKind::Person(_) => "person",
            FieldKind::Document => "document",
        }
    }
}

/// A case field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Stable id.
    pub id: FieldId,
    /// Chinese label.
    pub label: String,
    /// Its type.
    pub kind: FieldKind,
    /// Whether it holds personal data (never published, never in the public tree or logs).
    pub pii: bool,
    /// Several values (people, documents).
    pub multiple: bool,
    /// A text asked for in several lines (a statement, an opinion).
    pub multiline: bool,
}

impl Field {
    /// The options of an enum field (empty for other kinds).
    pub fn options(&self) -> &[String] {
        match &self.kind {
            FieldKind::Enum(options) => options,
            _ => &[],
        }
    }
}

/// A state of a case.
#[derive(Debug, Clone)]
pub struct State {
    /// Stable id.
    pub id: StateId,
    /// Chinese label.
    pub label: String,
    /// Whether a new case starts here.
    pub initial: bool,
    /// Whether the case is closed here.
    pub terminal: bool,
}

/// A step that moves a case from one state to another.
#[derive(Debug, Clone)]
pub struct Transition {
    /// Stable action id.
    pub action: ActionId,
    /// Chinese label (the button).
    pub label: String,
    /// States it may be taken from.
    pub from: Vec<StateId>,
    /// The state it leads to.
    pub to: StateId,
    /// Access roles that may take it (empty: only the law takes it, as a timer's deemed step).
    pub roles: Vec<Role>,
    /// Only the case's opener or people named on it may take it.
    pub assigned_only: bool,
    /// Fields that must be given (or recorded before).
    pub required: Vec<FieldId>,
    /// Fields the form offers but does not require.
    pub optional: Vec<FieldId>,
    /// Statutory gates that must hold.
    pub guards: Vec<Guard>,
    /// The outcome it records, if it decides the case.
    pub outcome: Option<OutcomeId>,
    /// The article that provides for it.
    pub article: String,
    /// The timer whose lapse takes this step, for a deemed step.
    pub deemed_by: Option<TimerId>,
}

impl Transition {
    /// Whether the step may be taken from `state`.
    pub fn allowed_from(&self, state: &str) -> bool {
        self.from.iter().any(|s| s == state)
    }

    /// Whether `role` may take the step.
    pub fn allows_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A unit of a statutory period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// Calendar days (日): start day not counted, end moved off a rest day.
    Days,
    /// Working days (工作日).
    Workdays,
    /// Months (个月).
    Months,
}

impl PeriodUnit {
    /// The code written in definitions.
    pub fn code(self) -> &'static str {
        match self {
            PeriodUnit::Days => "days",
            PeriodUnit::Workdays => "workdays",
            PeriodUnit::Months => "months",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<PeriodUnit> {
        match code {
            "days" => Some(PeriodUnit::Days),
            "workdays" => Some(PeriodUnit::Workdays),
            "months" => Some(PeriodUnit::Months),
            _ => None,
        }
    }

    /// The Chinese unit, as in "90日", "15个工作日", "3个月".
    pub fn zh(self) -> &'static str {
        match self {
            PeriodUnit::Days => "日",
            PeriodUnit::Workdays => "个工作日",
            PeriodUnit::Months => "个月",
        }
    }
}

/// A length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// How many units.
    pub n: u32,
    /// The unit.
    pub unit: PeriodUnit,
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.n, self.unit.zh())
    }
}

/// A date a guard compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateRef {
    /// The step's own date.
    Step,
    /// The case's opening date.
    Opened,
    /// A date field.
    Field(FieldId),
}

/// When a conditional guard applies: when any of the bool fields is true, any of the steps was
/// recorded, or any of the field values matches; always when all three lists are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condition {
    /// Bool fields.
    pub fields: Vec<FieldId>,
    /// Steps.
    pub steps: Vec<ActionId>,
    /// Field values.
    pub values: Vec<FieldMatch>,
}

impl Condition {
    /// Whether the guard applies always.
    pub fn is_always(&self) -> bool {
        self.fields.is_empty() && self.steps.is_empty() && self.values.is_empty()
    }
}

/// A statutory gate, with the article it enforces and the refusal it gives.
#[derive(Debug, Clone)]
pub struct Guard {
    /// What must hold.
    pub check: Check,
    /// When it applies (always, unless the definition says `when_fields`, `when_steps` or
    /// `when_values`).
    pub when: Condition,
    /// The article it enforces.
    pub article: String,
    /// The Chinese sentence shown when it fails.
    pub refusal: String,
}

/// The kinds of guard (see `docs/PROCEDURES.md`).
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// A step was recorded and not undone since.
    StepRecorded {
        /// The step.
        step: ActionId,
        /// Steps that undo it.
        undone_by: Vec<ActionId>,
    },
    /// A step was not recorded.
    StepNotRecorded {
        /// The step.
        step: ActionId,
    },
    /// A timer is not running (lapsed or stopped), or a waiver step was recorded since it began.
    PeriodEnded {
        /// The timer.
        timer: TimerId,
        /// Steps that end it early (the party's waiver).
        or_steps: Vec<ActionId>,
        /// The date the period must have ended by (the step's date by default, or the act's own
        /// date field).
        on: DateRef,
    },
    /// A timer runs and has not lapsed.
    TimerRunning {
        /// The timer.
        timer: TimerId,
        /// The date it must still run on.
        on: DateRef,
    },
    /// At least so many people named in a person field hold a valid registry entry.
    RegistryCount {
        /// The person field.
        field: FieldId,
        /// Its registry.
        registry: Registry,
        /// How many.
        at_least: u32,
        /// The date the entries must be valid on.
        valid_on: DateRef,
    },
    /// One date is not after another, optionally by at least or at most a period.
    DateOrder {
        /// The earlier date.
        earlier: DateRef,
        /// The later date.
        later: DateRef,
        /// The least gap.
        at_least: Option<Period>,
        /// The greatest gap (the later date is on or before the period's last day).
        at_most: Option<Period>,
    },
    /// Every date of the step is on or after a date.
    DatesNotBefore {
        /// The date.
        date: DateRef,
    },
    /// A money field is within a limit chosen by an enum field, or within another money field.
    AmountLimit {
        /// The money field.
        field: FieldId,
        /// The limit.
        limit: AmountBound,
    },
    /// An enum field has one of some values.
    FieldIn {
        /// The field.
        field: FieldId,
        /// The values allowed.
        values: Vec<String>,
    },
    /// A step was not recorded before (this step at most once).
    AtMostOnce {
        /// The step.
        step: ActionId,
    },
    /// No person is named in both fields.
    PeopleDistinct {
        /// One person field.
        first: FieldId,
        /// The other.
        second: FieldId,
    },
}

impl Check {
    /// The kind's code, as written in definitions.
    pub fn kind(&self) -> GuardKind {
        match self {
            Check::StepRecorded { .. } => GuardKind::StepRecorded,
            Check::StepNotRecorded { .. } => GuardKind::StepNotRecorded,
            Check::PeriodEnded { .. } => GuardKind::PeriodEnded,
            Check::TimerRunning { .. } => GuardKind::TimerRunning,
            Check::RegistryCount { .. } => GuardKind::RegistryCount,
            Check::DateOrder { .. } => GuardKind::DateOrder,
            Check::DatesNotBefore { .. } => GuardKind::DatesNotBefore,
            Check::AmountLimit { .. } => GuardKind::AmountLimit,
            Check::FieldIn { .. } => GuardKind::FieldIn,
            Check::AtMostOnce { .. } => GuardKind::AtMostOnce,
            Check::PeopleDistinct { .. } => GuardKind::PeopleDistinct,
        }
    }
}

/// The guard kinds, by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardKind {
    /// `step_recorded`.
    StepRecorded,
    /// `step_not_recorded`.
    StepNotRecorded,
    /// `period_ended`.
    PeriodEnded,
    /// `timer_running`.
    TimerRunning,
    /// `registry_count`.
    RegistryCount,
    /// `date_order`.
    DateOrder,
    /// `dates_not_before`.
    DatesNotBefore,
    /// `amount_limit`.
    AmountLimit,
    /// `field_in`.
    FieldIn,
    /// `at_most_once`.
    AtMostOnce,
    /// `people_distinct`.
    PeopleDistinct,
}

impl GuardKind {
    /// Every kind.
    pub const ALL: [GuardKind; 11] = [
        GuardKind::StepRecorded,
        GuardKind::StepNotRecorded,
        GuardKind::PeriodEnded,
        GuardKind::TimerRunning,
        GuardKind::RegistryCount,
        GuardKind::DateOrder,
        GuardKind::DatesNotBefore,
        GuardKind::AmountLimit,
        GuardKind::FieldIn,
        GuardKind::AtMostOnce,
        GuardKind::PeopleDistinct,
    ];

    /// The code written in definitions.
    pub fn code(self) -> &'static str {
        match self {
            GuardKind::StepRecorded => "step_recorded",
            GuardKind::StepNotRecorded => "step_not_recorded",
            GuardKind::PeriodEnded => "period_ended",
            GuardKind::TimerRunning => "timer_running",
            GuardKind::RegistryCount => "registry_count",
            GuardKind::DateOrder => "date_order",
            GuardKind::DatesNotBefore => "dates_not_before",
            GuardKind::AmountLimit => "amount_limit",
            GuardKind::FieldIn => "field_in",
            GuardKind::AtMostOnce => "at_most_once",
            GuardKind::PeopleDistinct => "people_distinct",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<GuardKind> {
        GuardKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The bound of an `amount_limit` guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountBound {
    /// A limit in fen for each option of an enum field.
    ByOption {
        /// The enum field.
        by: FieldId,
        /// Option and limit in fen.
        limits_fen: Vec<(String, i64)>,
    },
    /// Another money field's amount (加处罚款 ≤ 罚款).
    Field(FieldId),
}

/// What a timer's lapse means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lapse {
    /// The agency's duty: the case is overdue.
    Overdue,
    /// A period the party holds: it simply ends.
    Ends,
    /// The law deems this step taken on the period's last day.
    Deems(ActionId),
}

/// A field value that starts a timer only when it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMatch {
    /// The field (enum or bool).
    pub field: FieldId,
    /// For an enum field, the values; `None` for a bool field that must be true.
    pub values: Option<Vec<String>>,
}

/// An extension a period allows.
#[derive(Debug, Clone)]
pub struct Extension {
    /// The step that grants it.
    pub action: ActionId,
    /// The longest extension.
    pub max: Period,
    /// The number field holding the approved length (absent: `max`).
    pub length_field: Option<FieldId>,
    /// The date field recording the written notice to the parties.
    pub notice_field: Option<FieldId>,
    /// Who approves it.
    pub approver: String,
    /// The article allowing it.
    pub article: String,
    /// How many times it may be granted.
    pub times: u32,
}

/// A period chosen by an enum field's value.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value.
    pub value: String,
    /// The period.
    pub period: Period,
    /// The article setting it.
    pub article: String,
    /// States in which it does not run.
    pub paused_in: Vec<StateId>,
    /// Its extension, if the rule allows one.
    pub extension: Option<Extension>,
}

/// A statutory period running on a case.
#[derive(Debug, Clone)]
pub struct Timer {
    /// Stable id.
    pub id: TimerId,
    /// Chinese label.
    pub label: String,
    /// The article setting the period.
    pub article: String,
    /// The step that starts it (`open` for the opening).
    pub start: ActionId,
    /// The date field it counts from, if not the step's date.
    pub start_field: Option<FieldId>,
    /// It starts only when this matches.
    pub start_when: Option<FieldMatch>,
    /// Steps that start it afresh.
    pub restart: Vec<ActionId>,
    /// The date field a restart counts from, if not the step's date.
    pub restart_field: Option<FieldId>,
    /// Steps that satisfy it.
    pub stop: Vec<ActionId>,
    /// Its length.
    pub period: Period,
    /// States in which it does not run.
    pub paused_in: Vec<StateId>,
    /// The enum field choosing the period among `choices`.
    pub period_by: Option<FieldId>,
    /// Periods by value.
    pub choices: Vec<Choice>,
    /// What its lapse means.
    pub lapse: Lapse,
    /// The extension it allows.
    pub extension: Option<Extension>,
    /// What the lapse entails, for the case page.
    pub on_expiry: String,
}

/// An outcome of a case, as the indicators count it.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Stable id.
    pub id: OutcomeId,
    /// Chinese label.
    pub label: String,
    /// Whether it corrects the administrative act (counts towards 纠错率).
    pub corrects: bool,
    /// The article providing for it.
    pub article: String,
}

/// What is published about a case.
#[derive(Debug, Clone)]
pub struct Publicity {
    /// The step after which the case is published.
    pub after: ActionId,
    /// Fields published.
    pub fields: Vec<FieldId>,
    /// Fields published with personal data masked.
    pub redacted: Vec<FieldId>,
    /// Period within which it must be published.
    pub period: Period,
    /// The rule requiring publication.
    pub article: String,
    /// Steps after which the publication is withdrawn.
    pub withdrawn_by: Vec<ActionId>,
    /// The enum field whose value is published as the reason of a withdrawal (never free text).
    pub withdrawal_reason: Option<FieldId>,
    /// When the party is a natural person, whose name is masked harder (张**); absent: always.
    pub person_when: Option<FieldMatch>,
}

impl Procedure {
    /// The state new cases start in.
    pub fn initial_state(&self) -> &State {
        // The loader guarantees exactly one initial state.
        self.states
            .iter()
            .find(|state| state.initial)
            .unwrap_or_else(|| unreachable_initial())
    }

    /// The transition for `action`, if defined.
    pub fn transition(&self, action: &str) -> Option<&Transition> {
        self.index
            .transitions
            .get(action)
            .and_then(|i| self.transitions.get(*i))
    }

    /// The transition for `action` and its position in [`Procedure::transitions`].
    #[inline]
    pub(crate) fn transition_at(&self, action: &str) -> Option<(usize, &Transition)> {
        let i = *self.index.transitions.get(action)?;
        self.transitions.get(i).map(|t| (i, t))
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.index.fields.get(id).and_then(|i| self.fields.get(*i))
    }

    /// The state with this id.
    pub fn state(&self, id: &str) -> Option<&State> {
        self.index.states.get(id).and_then(|i| self.states.get(*i))
    }

    /// The timer with this id.
    pub fn timer(&self, id: &str) -> Option<&Timer> {
        self.index.timers.get(id).and_then(|i| self.timers.get(*i))
    }

    /// The outcome with this id.
    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.index
            .outcomes
            .get(id)
            .and_then(|i| self.outcomes.get(*i))
    }

    /// The Chinese label of a step (the opening is 立案/登记).
    pub fn step_label<'a>(&'a self, action: &'a str) -> &'a str {
        if action == OPEN {
            return "登记";
        }
        self.transition(action).map_or(action, |t| t.label.as_str())
    }

    /// The Chinese label of a field, or its id.
    pub fn field_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.field(id).map_or(id, |f| f.label.as_str())
    }

    /// The steps a user may take in `state` with `role` (deemed steps are never offered).
    pub fn offered<'a>(
        &'a self,
        state: &'a str,
        role: Role,
    ) -> impl Iterator<Item = &'a Transition> + 'a {
        self.transitions
            .iter()
            .filter(move |t| t.allowed_from(state) && t.allows_role(role))
    }
}

#[cold]
fn unreachable_initial() -> &'static State {
    static NONE: std::sync::OnceLock<State> = std::sync::OnceLock::new();
    NONE.get_or_init(|| State {
        id: StateId(String::new()),
        label: String::new(),
        initial: true,
        terminal: false,
    })
}
