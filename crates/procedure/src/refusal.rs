//! Why the engine refused a command. Each variant is a code; the application words every one in
//! Chinese with an exhaustive match (no fallback), and shows it beside the form with the fields
//! it names.

use time::Date;

use crate::fields::FieldProblem;
use crate::model::{GuardKind, Period};
use crate::org::Role;

/// A refusal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The procedure has no such step.
    #[error("unknown action {action:?}")]
    UnknownAction {
        /// The action.
        action: String,
    },
    /// The step cannot be taken in the case's state.
    #[error("action {action:?} is not allowed in state {state:?}")]
    NotAllowedInState {
        /// The action.
        action: String,
        /// The case's state (deemed steps applied).
        state: String,
    },
    /// The actor's role may not take the step.
    #[error("role {role:?} may not take action {action:?}")]
    RoleNotAllowed {
        /// The role.
        role: Role,
        /// The action.
        action: String,
    },
    /// Only people named on the case may take the step.
    #[error("only people named on the case may take action {action:?}")]
    NotAssigned {
        /// The action.
        action: String,
    },
    /// The case is outside the actor's department or own cases.
    #[error("the case is outside the actor's scope")]
    OutOfScope,
    /// The case changed since the user loaded it.
    #[error("stale version: expected {expected}, case is at {actual}")]
    StaleVersion {
        /// The version the user saw.
        expected: i64,
        /// The case's version now.
        actual: i64,
    },
    /// Required fields are missing (all of them).
    #[error("required fields missing: {fields:?}")]
    MissingFields {
        /// The fields.
        fields: Vec<String>,
    },
    /// Fields are invalid (all of them, each with its problem).
    #[error("invalid fields: {problems:?}")]
    InvalidFields {
        /// Field and problem.
        problems: Vec<(String, FieldProblem)>,
    },
    /// A statutory gate of the definition does not hold.
    #[error("guard {} failed ({})", .0.kind.code(), .0.article)]
    Guard(GuardRefusal),
    /// An extension cannot be granted.
    #[error("extension of {timer:?} refused: {problem:?} ({article})")]
    Extension {
        /// Why.
        problem: ExtensionProblem,
        /// The period's label.
        timer: String,
        /// The article of the extension step.
        article: String,
        /// The longest extension allowed, when the problem is its length.
        max: Option<Period>,
    },
}

/// A guard that failed, with what the definition says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardRefusal {
    /// The guard's kind.
    pub kind: GuardKind,
    /// The article it enforces.
    pub article: String,
    /// The definition's Chinese refusal sentence.
    pub text: String,
    /// The fields involved (`step` and `opened` stand for the step's and the opening's dates).
    pub fields: Vec<String>,
    /// The dates involved, in the order of `fields` where they are dates (a period's last day
    /// for timer guards).
    pub dates: Vec<Date>,
}

/// Why an extension cannot be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionProblem {
    /// The period is not running.
    NotRunning,
    /// The period has already lapsed (an extension must come before).
    Lapsed,
    /// The extension was already granted as often as allowed.
    Exhausted,
    /// Longer than the maximum.
    TooLong,
    /// Of zero length.
    ZeroLength,
}

impl Refusal {
    /// A stable code, for logs and the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::UnknownAction { .. } => "unknown_action",
            Refusal::NotAllowedInState { .. } => "not_allowed_in_state",
            Refusal::RoleNotAllowed { .. } => "role_not_allowed",
            Refusal::NotAssigned { .. } => "not_assigned",
            Refusal::OutOfScope => "out_of_scope",
            Refusal::StaleVersion { .. } => "stale_version",
            Refusal::MissingFields { .. } => "missing_fields",
            Refusal::InvalidFields { .. } => "invalid_fields",
            Refusal::Guard(g) => g.kind.code(),
            Refusal::Extension { problem, .. } => match problem {
                ExtensionProblem::NotRunning => "extension_not_running",
                ExtensionProblem::Lapsed => "extension_after_lapse",
                ExtensionProblem::Exhausted => "extension_exhausted",
                ExtensionProblem::TooLong => "extension_too_long",
                ExtensionProblem::ZeroLength => "extension_zero_length",
            },
        }
    }

    /// The fields the refusal is about.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Refusal::MissingFields { fields } => fields.iter().map(String::as_str).collect(),
            Refusal::InvalidFields { problems } => {
                problems.iter().map(|(f, _)| f.as_str()).collect()
            }
            Refusal::Guard(g) => g.fields.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The article the refusal rests on, if any.
    pub fn article(&self) -> Option<&str> {
        match self {
            Refusal::Guard(g) => Some(&g.article),
            Refusal::Extension { article, .. } => Some(article),
            _ => None,
        }
    }
}
