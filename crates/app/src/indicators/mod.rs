//! The indicator catalogue (`indicators/catalogue.toml`): every figure the annual report carries,
//! with its definition, loaded and checked against the procedure definitions at start-up, and
//! its computation from the records ([`compute`]).
//!
//! The catalogue is data so that a new indicator system version is an edit, not a release of
//! code; the loader refuses a catalogue that names an unknown procedure, action, field or
//! indicator, so a definition can never silently count nothing.

pub mod compute;
pub mod present;

pub use compute::{Breadth, Extent};

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::procedure::{FieldKind, Procedure};

/// The catalogue shipped with Fazhi.
pub const EMBEDDED: &str = include_str!("../../../../indicators/catalogue.toml");

/// An area of the national outline (纲要) that groups indicators and orders the report's sections.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Stable id.
    pub id: String,
    /// The outline's wording, used as the section heading.
    pub title: String,
}

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Cases of a procedure opened in the year.
    Opened,
    /// Steps of a procedure's actions dated in the year (or the money they carry).
    Steps,
    /// Steps whose field has one of some values.
    Field,
    /// People holding a valid enforcement certificate on 31 December.
    Certified,
    /// Departments' submissions.
    Submission,
    /// Numerator ÷ denominator × 100.
    Ratio,
}

/// What one counted record of a `steps` or `field` indicator is.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Every step counts once.
    #[default]
    Step,
    /// A case counts once per instance (审级, 审理程序) in which it has one of the steps dated in
    /// the year, however many such steps that instance has. The instance of a step is the value of
    /// its `instance_field` (litigation: `instance`, 一审 / 发回重审后一审 / 二审 / 再审). For a
    /// `field` source, a case's instance counts if any of its steps in that instance up to the end
    /// of the year has one of `values` (出庭规定第七条: one appearance per instance is enough).
    Instance,
}

/// How the change from last year is phrased.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// 比上年增长/下降 X%.
    Change,
    /// X 个百分点.
    Points,
    /// Not compared.
    None,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable `area.measure` id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// Unit as written after the number (件, 人, %, 元 …).
    pub unit: String,
    /// The outline area.
    pub area: String,
    /// Where the value comes from.
    pub source: Source,
    /// Procedure, for `opened`, `steps` and `field`.
    #[serde(default)]
    pub procedure: Option<String>,
    /// Actions, for `steps` and `field`.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Sum the steps' money (in fen) instead of counting them.
    #[serde(default)]
    pub amount: bool,
    /// Field, for `field`.
    #[serde(default)]
    pub field: Option<String>,
    /// Accepted values of `field`.
    #[serde(default)]
    pub values: Vec<String>,
    /// What one counted record is, for `steps` and `field` (default: a step).
    #[serde(default)]
    pub per: Per,
    /// The enum step field that names a step's instance, for `per = "instance"`.
    #[serde(default)]
    pub instance_field: Option<String>,
    /// For `steps` and `field`: a step counts only if its case took one of these actions before
    /// it (at any date), e.g. a withdrawal only after acceptance.
    #[serde(default)]
    pub only_after: Vec<String>,
    /// For `steps` and `field`: a step counts only if its case took none of these actions before
    /// it, e.g. a first-instance conclusion only before an appeal.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Numerator indicator, for `ratio`.
    #[serde(default)]
    pub numerator: Option<String>,
    /// Denominator indicator, for `ratio`.
    #[serde(default)]
    pub denominator: Option<String>,
    /// The whole this one is a part of: its value may not exceed the whole's.
    #[serde(default)]
    pub part_of: Option<String>,
    /// How the year-on-year change is phrased.
    pub compare: Compare,
    /// The definition in Chinese, with its legal basis.
    pub definition: String,
}

impl Indicator {
    /// Whether the value is a percentage.
    pub fn is_rate(&self) -> bool {
        self.source == Source::Ratio
    }

    /// Whether the value is counted from the steps themselves rather than from the step tallies:
    /// field values, per-instance counts and conditions on the case's earlier steps need each
    /// step (small procedures only).
    pub fn reads_steps(&self) -> bool {
        matches!(self.source, Source::Steps | Source::Field)
            && (self.source == Source::Field
                || self.per != Per::Step
                || !self.only_after.is_empty()
                || !self.not_after.is_empty())
    }
}

/// The whole catalogue.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Version of the indicator system.
    pub version: String,
    /// Outline areas, in report order.
    pub areas: Vec<Area>,
    /// Indicators, in report order within each area.
    pub indicators: Vec<Indicator>,
}

/// Why a catalogue was refused: the line (when known) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("indicators/catalogue.toml:{line}: {reason}")]
pub struct CatalogueError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl Catalogue {
    /// The shipped catalogue, checked against `procedures`.
    pub fn embedded(procedures: &[Procedure]) -> Result<Catalogue, CatalogueError> {
        Catalogue::parse(EMBEDDED, procedures)
    }

    /// Parses and checks a catalogue.
    pub fn parse(text: &str, procedures: &[Procedure]) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue = toml::from_str(text).map_err(|e| CatalogueError {
            line: e.span().map_or(1, |span| line_of(text, span.start)),
            reason: e.message().to_owned(),
        })?;
        catalogue
            .check(procedures)
            .map_err(|(id, reason)| CatalogueError {
                line: text
                    .find(&format!("id = \"{id}\""))
                    .map_or(1, |offset| line_of(text, offset)),
                reason: format!("indicator {id}: {reason}"),
            })?;
        Ok(catalogue)
    }

    /// The indicator with `id`.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The area with `id`.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// Indicators that departments submit.
    pub fn submitted(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(|i| i.source == Source::Submission)
    }

    fn check(&self, procedures: &[Procedure]) -> Result<(), (String, String)> {
        let mut seen = BTreeSet::new();
        let areas: BTreeSet<&str> = self.areas.iter().map(|a| a.id.as_str()).collect();
        if areas.len() != self.areas.len() {
            return Err(("(areas)".into(), "duplicate area id".into()));
        }
        let by_id: BTreeMap<&str, &Indicator> =
            self.indicators.iter().map(|i| (i.id.as_str(), i)).collect();
        for indicator in &self.indicators {
            let fail = |reason: String| Err((indicator.id.clone(), reason));
            if !seen.insert(indicator.id.as_str()) {
                return fail("duplicate id".into());
            }
            if !areas.contains(indicator.area.as_str()) {
                return fail(format!("unknown area {}", indicator.area));
            }
            if indicator.definition.trim().is_empty() || indicator.label.trim().is_empty() {
                return fail("label and definition are required".into());
            }
            let needs_procedure = matches!(
                indicator.source,
                Source::Opened | Source::Steps | Source::Field
            );
            let procedure = match (&indicator.procedure, needs_procedure) {
                (Some(id), true) => match procedures.iter().find(|p| &p.id == id) {
                    Some(p) => Some(p),
                    None => return fail(format!("unknown procedure {id}")),
                },
                (None, true) => return fail("a procedure is required".into()),
                (Some(_), false) => return fail("procedure given for a source without one".into()),
                (None, false) => None,
            };
            let needs_actions = matches!(indicator.source, Source::Steps | Source::Field);
            if needs_actions == indicator.actions.is_empty() {
                return fail("actions are required for steps and field sources, only".into());
            }
            let conditions = [&indicator.only_after, &indicator.not_after];
            if !needs_actions
                && (indicator.per != Per::Step || conditions.iter().any(|c| !c.is_empty()))
            {
                return fail(
                    "per, only_after and not_after apply to steps and field sources".into(),
                );
            }
            if let Some(procedure) = procedure {
                for action in indicator
                    .actions
                    .iter()
                    .chain(conditions.into_iter().flatten())
                {
                    if !procedure.transitions.iter().any(|t| &t.action == action) {
                        return fail(format!("unknown action {action} of {}", procedure.id));
                    }
                }
                match (indicator.per, &indicator.instance_field) {
                    (Per::Instance, _) if indicator.amount => {
                        return fail("amount is summed per step, not per instance".into());
                    }
                    (Per::Instance, Some(field)) => {
                        if !procedure
                            .field(field)
                            .is_some_and(|f| matches!(f.kind, FieldKind::Enum(_)))
                        {
                            return fail(format!(
                                "instance_field {field} is not an enum field of {}",
                                procedure.id
                            ));
                        }
                        // Every counted step names its instance.
                        for action in &indicator.actions {
                            if !procedure.transitions.iter().any(|t| {
                                &t.action == action && t.required.iter().any(|f| f == field)
                            }) {
                                return fail(format!(
                                    "instance_field {field} is not required by {action}"
                                ));
                            }
                        }
                    }
                    (Per::Instance, None) => {
                        return fail("per instance needs an instance_field".into());
                    }
                    (Per::Step, Some(_)) => {
                        return fail("instance_field belongs to per = \"instance\"".into());
                    }
                    (Per::Step, None) => {}
                }
                // A step's value of a field is the one it records or, failing that, the one its
                // case recorded before (the engine accepts a required field recorded earlier). The
                // count reads only the counted steps, so only they may record the fields it reads.
                let read = indicator
                    .field
                    .iter()
                    .filter(|_| indicator.source == Source::Field)
                    .chain(&indicator.instance_field);
                for field in read {
                    if procedure.opening_fields.iter().any(|f| f == field) {
                        return fail(format!(
                            "{field} is recorded at opening, not by the counted steps"
                        ));
                    }
                    if let Some(other) = procedure.transitions.iter().find(|t| {
                        !indicator.actions.iter().any(|a| &t.action == a)
                            && t.required.iter().chain(&t.optional).any(|f| f == field)
                    }) {
                        return fail(format!(
                            "{field} is also recorded by {}, which the count does not read",
                            other.action
                        ));
                    }
                }
            }
            match (indicator.source, &indicator.field, procedure) {
                (Source::Field, Some(field), Some(procedure)) => {
                    let Some(definition) = procedure.field(field) else {
                        return fail(format!("unknown field {field} of {}", procedure.id));
                    };
                    if !matches!(definition.kind, FieldKind::Enum(_)) || indicator.values.is_empty()
                    {
                        return fail("a field source needs an enum field and values".into());
                    }
                    if let Some(value) = indicator
                        .values
                        .iter()
                        .find(|v| !definition.options().contains(v))
                    {
                        return fail(format!("{value} is not an option of {field}"));
                    }
                }
                (Source::Field, _, _) => return fail("a field source needs a field".into()),
                (_, Some(_), _) => return fail("field given for a source without one".into()),
                _ => {}
            }
            if indicator.amount && indicator.source != Source::Steps {
                return fail("amount applies to steps sources only".into());
            }
            let ratio_parts = [&indicator.numerator, &indicator.denominator];
            if indicator.source == Source::Ratio {
                for part in ratio_parts {
                    let Some(part) = part else {
                        return fail("a ratio needs a numerator and a denominator".into());
                    };
                    match by_id.get(part.as_str()) {
                        Some(other) if other.source != Source::Ratio && !other.amount => {}
                        Some(_) => return fail(format!("{part} cannot be part of a ratio")),
                        None => return fail(format!("unknown indicator {part}")),
                    }
                }
                if indicator.unit != "%" || indicator.compare != Compare::Points {
                    return fail("a ratio is in % and compared in points".into());
                }
            } else if ratio_parts.iter().any(|p| p.is_some()) {
                return fail("numerator and denominator belong to ratios".into());
            }
            if let Some(whole) = &indicator.part_of {
                match by_id.get(whole.as_str()) {
                    Some(other)
                        if other.unit == indicator.unit || other.source == indicator.source => {}
                    Some(_) => {
                        return fail(format!("part of {whole}, which counts something else"));
                    }
                    None => return fail(format!("unknown indicator {whole}")),
                }
            }
        }
        Ok(())
    }
}

/// The 1-based line of byte offset `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedures() -> Vec<Procedure> {
        crate::procedure::load_embedded().expect("procedures")
    }

    #[test]
    fn the_shipped_catalogue_loads_and_covers_every_area() {
        let catalogue = Catalogue::embedded(&procedures()).expect("catalogue");
        assert!(catalogue.indicators.len() >= 40);
        for area in &catalogue.areas {
            if area.id == "emergencies" || area.id == "digital" {
                continue;
            }
            assert!(
                catalogue.indicators.iter().any(|i| i.area == area.id),
                "{} has no indicator",
                area.id
            );
        }
    }

    fn refused(edit: (&str, &str)) -> CatalogueError {
        let text = EMBEDDED.replacen(edit.0, edit.1, 1);
        assert_ne!(text, EMBEDDED, "edit {edit:?} did not apply");
        Catalogue::parse(&text, &procedures()).expect_err("must be refused")
    }

    #[test]
    fn unknown_references_are_refused_with_the_line() {
        let error = refused((
            "actions = [\"decide_on_the_spot\"]",
            "actions = [\"decide_on_spot\"]",
        ));
        assert!(
            error.reason.contains("unknown action decide_on_spot"),
            "{error}"
        );
        assert!(error.line > 1);
        let error = refused(("procedure = \"litigation\"", "procedure = \"lawsuits\""));
        assert!(
            error.reason.contains("unknown procedure lawsuits"),
            "{error}"
        );
        let error = refused((
            "denominator = \"mediation.cases\"",
            "denominator = \"mediation.all\"",
        ));
        assert!(
            error.reason.contains("unknown indicator mediation.all"),
            "{error}"
        );
        let error = refused(("\"其他参与分管的负责人出庭\"]", "\"分管负责人出庭\"]"));
        assert!(error.reason.contains("not an option"), "{error}");
        let error = refused(("area = \"rules\"", "area = \"laws\""));
        assert!(error.reason.contains("unknown area laws"), "{error}");
    }

    #[test]
    fn counting_refinements_are_checked_against_the_procedure() {
        let error = refused((
            "only_after = [\"accept\", \"accept_simplified\", \"deemed_accept\"]",
            "only_after = [\"acceptance\"]",
        ));
        assert!(
            error
                .reason
                .contains("unknown action acceptance of reconsideration"),
            "{error}"
        );
        let error = refused(("not_after = [\"appeal\"]", "not_after = [\"appeals\"]"));
        assert!(error.reason.contains("unknown action appeals"), "{error}");
        let error = refused((
            "source = \"opened\"\nprocedure = \"litigation\"\n",
            "source = \"opened\"\nprocedure = \"litigation\"\nper = \"instance\"\n",
        ));
        assert!(
            error.reason.contains("apply to steps and field sources"),
            "{error}"
        );
        let error = refused((
            "per = \"instance\"\ninstance_field = \"instance\"\n",
            "per = \"instance\"\n",
        ));
        assert!(error.reason.contains("needs an instance_field"), "{error}");
        let error = refused((
            "instance_field = \"instance\"",
            "instance_field = \"hearing_date\"",
        ));
        assert!(error.reason.contains("not an enum field"), "{error}");
        // Every counted step must name its instance.
        let error = refused((
            "actions = [\"record_hearing\", \"record_appeal_hearing\"]\nper = \"instance\"",
            "actions = [\"record_hearing\", \"mediated\"]\nper = \"instance\"",
        ));
        assert!(
            error
                .reason
                .contains("instance is not required by mediated"),
            "{error}"
        );
        let error = refused((
            "actions = [\"record_hearing\", \"record_appeal_hearing\"]\ncompare",
            "actions = [\"record_hearing\", \"record_appeal_hearing\"]\ninstance_field = \"instance\"\ncompare",
        ));
        assert!(error.reason.contains("belongs to per"), "{error}");
        // A field read from the counted steps must be recorded by them alone.
        let error = refused((
            "actions = [\"record_hearing\", \"record_appeal_hearing\"]\nfield",
            "actions = [\"record_hearing\"]\nfield",
        ));
        assert!(
            error
                .reason
                .contains("also recorded by record_appeal_hearing"),
            "{error}"
        );
        let error = refused(("amount = true\n", "amount = true\nper = \"instance\"\n"));
        assert!(error.reason.contains("not per instance"), "{error}");
        let error = refused(("per = \"instance\"", "per = \"case\""));
        assert!(error.reason.contains("unknown variant"), "{error}");
    }

    #[test]
    fn the_head_appearance_rate_counts_instances_and_its_base_is_heard_cases() {
        let catalogue = Catalogue::embedded(&procedures()).expect("catalogue");
        let rate = catalogue
            .get("litigation.head_appearance_rate")
            .expect("rate");
        assert_eq!(rate.denominator.as_deref(), Some("litigation.heard_cases"));
        for id in ["litigation.heard_cases", "litigation.head_appearances"] {
            let indicator = catalogue.get(id).expect("indicator");
            assert_eq!(indicator.per, Per::Instance, "{id}");
            assert_eq!(
                indicator.instance_field.as_deref(),
                Some("instance"),
                "{id}"
            );
            assert!(indicator.reads_steps());
            assert!(indicator.definition.contains("第七条"), "{id}");
        }
        let penalty_cases = catalogue.get("enforcement.penalty_cases").expect("立案");
        assert_eq!(penalty_cases.actions, ["file_case"]);
        assert!(!penalty_cases.reads_steps(), "counted from the tallies");
        let concluded = catalogue
            .get("reconsideration.cases_concluded")
            .expect("审结");
        assert!(concluded.only_after.iter().any(|a| a == "deemed_accept"));
    }

    #[test]
    fn unknown_keys_and_duplicates_are_refused() {
        let error = refused((
            "compare = \"change\"",
            "compare = \"change\"\ncolour = \"red\"",
        ));
        assert!(error.reason.contains("colour"), "{error}");
        let error = refused(("id = \"legal_aid.cases\"", "id = \"mediation.cases\""));
        assert!(error.reason.contains("duplicate id"), "{error}");
    }
}
