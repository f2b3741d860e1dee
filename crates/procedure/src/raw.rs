//! The first stage of loading: the TOML as written, with the position of everything the second
//! stage may need to point at. Kinds, units and references stay text here so that the second
//! stage can report every bad one, not just the first.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// Text with its position.
pub(crate) type S = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProcedure {
    pub id: S,
    pub name: String,
    pub statute: String,
    pub in_force: S,
    pub opened_by: Vec<S>,
    pub number_prefix: String,
    pub title_field: S,
    #[serde(default)]
    pub opening_fields: Vec<S>,
    #[serde(default)]
    pub opening_guards: Vec<Spanned<RawGuard>>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub fields: Vec<Spanned<RawField>>,
    pub states: Vec<Spanned<RawState>>,
    pub transitions: Vec<Spanned<RawTransition>>,
    #[serde(default)]
    pub timers: Vec<Spanned<RawTimer>>,
    #[serde(default)]
    pub outcomes: Vec<Spanned<RawOutcome>>,
    #[serde(default)]
    pub publicity: Option<Spanned<RawPublicity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub id: S,
    pub label: String,
    pub kind: S,
    #[serde(default)]
    pub pii: bool,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub registry: Option<S>,
    #[serde(default)]
    pub multiline: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawState {
    pub id: S,
    pub label: String,
    #[serde(default)]
    pub initial: bool,
    #[serde(default)]
    pub terminal: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTransition {
    pub action: S,
    pub label: String,
    pub from: Vec<S>,
    pub to: S,
    pub roles: Vec<S>,
    #[serde(default)]
    pub assigned_only: bool,
    #[serde(default)]
    pub required: Vec<S>,
    #[serde(default)]
    pub optional: Vec<S>,
    #[serde(default)]
    pub guards: Vec<Spanned<RawGuard>>,
    #[serde(default)]
    pub outcome: Option<S>,
    pub article: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPeriod {
    pub period: u32,
    pub unit: S,
}

/// A limit in yuan: whole or with decimals.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawYuan {
    Whole(i64),
    Decimal(f64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGuard {
    pub kind: S,
    #[serde(default)]
    pub article: String,
    #[serde(default)]
    pub refusal: String,
    pub step: Option<S>,
    #[serde(default)]
    pub undone_by: Vec<S>,
    #[serde(default)]
    pub when_fields: Vec<S>,
    #[serde(default)]
    pub when_steps: Vec<S>,
    #[serde(default)]
    pub when_values: Vec<RawMatch>,
    pub on: Option<S>,
    pub at_most_field: Option<S>,
    pub timer: Option<S>,
    #[serde(default)]
    pub or_steps: Vec<S>,
    pub field: Option<S>,
    /// A count (`registry_count`) or a period table (`date_order`), told apart in the second stage.
    pub at_least: Option<Spanned<toml::Value>>,
    pub at_most: Option<RawPeriod>,
    pub valid_on: Option<S>,
    pub earlier: Option<S>,
    pub later: Option<S>,
    pub date: Option<S>,
    pub by: Option<S>,
    #[serde(default)]
    pub limits: BTreeMap<String, RawYuan>,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub fields: Vec<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatch {
    pub field: S,
    #[serde(rename = "in")]
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExtension {
    pub action: S,
    pub max: u32,
    pub unit: S,
    pub length_field: Option<S>,
    pub notice_field: Option<S>,
    #[serde(default)]
    pub approver: String,
    pub article: S,
    pub times: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub value: S,
    pub period: u32,
    pub unit: S,
    pub article: S,
    #[serde(default)]
    pub paused_in: Vec<S>,
    pub extension: Option<Spanned<RawExtension>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimer {
    pub id: S,
    pub label: String,
    pub start: S,
    pub start_field: Option<S>,
    pub start_when: Option<RawMatch>,
    #[serde(default)]
    pub stop: Vec<S>,
    #[serde(default)]
    pub restart: Vec<S>,
    pub restart_field: Option<S>,
    pub period: u32,
    pub unit: S,
    #[serde(default)]
    pub paused_in: Vec<S>,
    pub period_by: Option<S>,
    #[serde(default)]
    pub choices: Vec<Spanned<RawChoice>>,
    pub lapse: Option<S>,
    pub deemed: Option<S>,
    pub extension: Option<Spanned<RawExtension>>,
    #[serde(default)]
    pub on_expiry: String,
    pub article: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutcome {
    pub id: S,
    pub label: String,
    #[serde(default)]
    pub corrects: bool,
    pub article: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPublicity {
    pub after: S,
    pub fields: Vec<S>,
    #[serde(default)]
    pub redacted: Vec<S>,
    pub period: u32,
    pub unit: S,
    pub article: S,
    #[serde(default)]
    pub withdrawn_by: Vec<S>,
    pub withdrawal_reason: Option<S>,
    pub person_when: Option<RawMatch>,
}
