//! Procedures as data: each statute-backed procedure (行政复议, 行政应诉, 行政处罚, 依申请公开) is a
//! TOML file under `procedures/` that legal staff can read next to the statute. This module holds
//! the model and its loader; the loader refuses, with file, line and reason, any definition that
//! has unknown keys, undefined states, roles, fields or guards, unreachable or dead-end states, or
//! a timer, transition or outcome that does not cite its article.
//!
//! What it does not do: run cases (that is the engine's job) or count days (the calendar's).

mod load;

pub use load::{DefinitionError, load_dir, load_embedded, parse_definition};

use serde::Deserialize;

/// The guards a transition may name; the engine implements each, and the loader refuses others.
pub const KNOWN_GUARDS: &[(&str, &str)] = &[
    (
        "two_certified_officers",
        "at least two officers holding enforcement certificates valid on the action's date (行政处罚法 Arts. 42, 55)",
    ),
    (
        "legal_review_passed",
        "the legal review (法制审核) passed before a decision in a case that requires it (行政处罚法 Art. 58)",
    ),
    (
        "collective_discussion_held",
        "the agency heads discussed the case collectively where required (行政处罚法 Art. 57 para 2)",
    ),
    (
        "rights_notified",
        "the party was told the facts, reasons, basis and rights before the decision (行政处罚法 Arts. 44, 62)",
    ),
    (
        "hearing_settled",
        "a requested hearing was held or waived before the decision (行政处罚法 Arts. 63-65)",
    ),
    (
        "dates_not_before_filing",
        "no date recorded in the action is earlier than the case's filing date",
    ),
    (
        "simplified_penalty_limits",
        "a simplified (on-the-spot) penalty is a warning or a fine of at most 200 yuan for a citizen or 3,000 yuan for an organisation (行政处罚法 Art. 51)",
    ),
    (
        "extension_not_used",
        "the period has not already been extended (one extension per period)",
    ),
];

/// A procedure definition, validated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Stable id, e.g. `reconsideration`.
    pub id: String,
    /// Chinese name, e.g. 行政复议.
    pub name: String,
    /// The statute and version governing it.
    pub statute: String,
    /// The date that version came into force (YYYY-MM-DD).
    pub in_force: String,
    /// The roles that may open a case.
    pub opened_by: Vec<String>,
    /// Prefix of case numbers, e.g. 罚 (numbers read 罚-2025-000123).
    pub number_prefix: String,
    /// The field whose value names a case in lists; it must not hold personal data.
    pub title_field: String,
    /// The fields asked for when a case is opened.
    #[serde(default)]
    pub opening_fields: Vec<String>,
    /// One-paragraph description for the UI.
    #[serde(default)]
    pub description: String,
    /// Typed fields of a case.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// States.
    pub states: Vec<State>,
    /// Transitions between states.
    pub transitions: Vec<Transition>,
    /// Statutory periods.
    #[serde(default)]
    pub timers: Vec<Timer>,
    /// Outcomes counted by the indicators.
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    /// What is published, redacted how, within which period.
    #[serde(default)]
    pub publicity: Option<Publicity>,
}

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A calendar date.
    Date,
    /// An amount of money in yuan (stored in fen).
    Money,
    /// A whole number.
    Number,
    /// Yes or no.
    Bool,
    /// One of `options`.
    Enum,
    /// A party (person or organisation).
    Party,
    /// A department of the jurisdiction.
    Department,
    /// An enforcement officer from the registry.
    Officer,
    /// An attached document.
    Document,
}

/// A case field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Stable id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// Its type.
    pub kind: FieldKind,
    /// Whether it holds personal data (never published, never in the public tree or logs).
    #[serde(default)]
    pub pii: bool,
    /// Allowed values, for `enum` fields.
    #[serde(default)]
    pub options: Vec<String>,
    /// Several values (e.g. the investigating officers).
    #[serde(default)]
    pub multiple: bool,
}

/// A state of a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Stable id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// Whether a new case starts here (exactly one state).
    #[serde(default)]
    pub initial: bool,
    /// Whether the case is closed here (no way out).
    #[serde(default)]
    pub terminal: bool,
}

/// An action that moves a case from one state to another.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// Stable action id.
    pub action: String,
    /// Chinese label (the button).
    pub label: String,
    /// States it may be taken from.
    pub from: Vec<String>,
    /// The state it leads to.
    pub to: String,
    /// Roles that may take it.
    pub roles: Vec<String>,
    /// Fields that must be given.
    #[serde(default)]
    pub required: Vec<String>,
    /// Fields the form offers but does not require (e.g. whether a decision is major, which
    /// brings in the legal review and collective discussion guards).
    #[serde(default)]
    pub optional: Vec<String>,
    /// Statutory gates that must hold (see [`KNOWN_GUARDS`]).
    #[serde(default)]
    pub guards: Vec<String>,
    /// The outcome it records, if it decides the case.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The article that provides for it.
    pub article: String,
}

/// A unit of a statutory period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// Calendar days (日): start day not counted, end moved off a rest day.
    Days,
    /// Working days (工作日).
    Workdays,
    /// Months (个月).
    Months,
}

/// An extension a period allows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Length of the extension.
    pub period: u32,
    /// Its unit.
    pub unit: PeriodUnit,
    /// The action that grants it.
    pub action: String,
    /// Who approves it (as a description of the office, e.g. 行政复议机构负责人).
    pub approver: String,
    /// The article allowing it.
    pub article: String,
}

/// A statutory period running on a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timer {
    /// Stable id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// The action that starts it (`open` for the case's opening).
    pub start: String,
    /// The field holding the start date, if not the action's own date.
    #[serde(default)]
    pub start_field: Option<String>,
    /// Actions that stop it (satisfied).
    pub stop: Vec<String>,
    /// Actions that start it again from zero (e.g. a corrected application).
    #[serde(default)]
    pub restart: Vec<String>,
    /// Length.
    pub period: u32,
    /// Unit.
    pub unit: PeriodUnit,
    /// States in which the period does not run (time not counted).
    #[serde(default)]
    pub paused_in: Vec<String>,
    /// The extension it allows.
    #[serde(default)]
    pub extension: Option<Extension>,
    /// What happens if it lapses, for the UI.
    #[serde(default)]
    pub on_expiry: String,
    /// The article setting the period.
    pub article: String,
}

/// An outcome of a case, as the indicators count it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Stable id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// Whether it corrects the administrative act (counts towards 纠错率).
    #[serde(default)]
    pub corrects: bool,
    /// The article providing for it.
    pub article: String,
}

/// What is published about a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publicity {
    /// The action after which the case is published.
    pub after: String,
    /// Fields published.
    pub fields: Vec<String>,
    /// Fields published with personal data masked (e.g. 张** ).
    #[serde(default)]
    pub redacted: Vec<String>,
    /// Period within which it must be published.
    pub period: u32,
    /// Unit of that period.
    pub unit: PeriodUnit,
    /// The rule requiring publication.
    pub article: String,
}

impl Procedure {
    /// The state new cases start in.
    pub fn initial_state(&self) -> Option<&State> {
        self.states.iter().find(|state| state.initial)
    }

    /// The transition for `action`, if defined.
    pub fn transition(&self, action: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.action == action)
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The state with this id.
    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }
}
