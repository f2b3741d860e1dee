//! Loading a definition in two stages: the TOML into its raw shape (`raw.rs`), then into the
//! typed [`Procedure`] (its meaning), resolving every reference and checking its kind. The second
//! stage collects every problem, each as `file:line: reason`, so a legal officer editing a
//! definition sees all that is wrong at once.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use toml::Spanned;

use crate::model::*;
use crate::org::{Registry, Role};
use crate::raw::*;

/// One problem with a definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {reason}", file.display())]
pub struct DefinitionError {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line the problem is on (1 when the problem is the whole file).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Every problem found in one or more definitions (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl std::fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

impl DefinitionErrors {
    /// The first problem (there is always one).
    pub fn first(&self) -> Option<&DefinitionError> {
        self.0.first()
    }
}

/// The definitions shipped with Fazhi, compiled in.
pub const EMBEDDED: [(&str, &str); 4] = [
    (
        "procedures/reconsideration.toml",
        include_str!("../../../procedures/reconsideration.toml"),
    ),
    (
        "procedures/litigation.toml",
        include_str!("../../../procedures/litigation.toml"),
    ),
    (
        "procedures/penalty.toml",
        include_str!("../../../procedures/penalty.toml"),
    ),
    (
        "procedures/disclosure.toml",
        include_str!("../../../procedures/disclosure.toml"),
    ),
];

/// The shipped definitions, validated.
pub fn load_embedded() -> Result<Vec<Procedure>, DefinitionErrors> {
    let files: Vec<(PathBuf, &str)> = EMBEDDED
        .iter()
        .map(|(name, text)| (PathBuf::from(name), *text))
        .collect();
    parse_all(&files)
}

/// Several definitions (e.g. every file of a directory the caller read), validated together:
/// every problem of every file, and ids unique across them.
pub fn parse_all<T: AsRef<str>>(
    files: &[(PathBuf, T)],
) -> Result<Vec<Procedure>, DefinitionErrors> {
    let mut procedures = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for (path, text) in files {
        match parse_definition(path, text.as_ref()) {
            Ok(procedure) => procedures.push(procedure),
            Err(DefinitionErrors(mut found)) => errors.append(&mut found),
        }
    }
    let mut seen = HashSet::new();
    for (procedure, (path, _)) in procedures.iter().zip(files) {
        if !seen.insert(procedure.id.clone()) {
            errors.push(DefinitionError {
                file: path.clone(),
                line: 1,
                reason: format!("procedure id {:?} is defined twice", procedure.id),
            });
        }
    }
    if errors.is_empty() {
        Ok(procedures)
    } else {
        Err(DefinitionErrors(errors))
    }
}

/// The 1-based line of byte offset `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Parses and validates one definition.
pub fn parse_definition(file: &Path, text: &str) -> Result<Procedure, DefinitionErrors> {
    let raw: RawProcedure = toml::from_str(text).map_err(|error| {
        DefinitionErrors(vec![DefinitionError {
            file: file.to_owned(),
            line: error.span().map_or(1, |span| line_of(text, span.start)),
            reason: error.message().trim().to_owned(),
        }])
    })?;
    let mut lower = Lower::new(file, text, &raw);
    let procedure = lower.procedure(&raw);
    if lower.errors.is_empty() {
        Ok(procedure)
    } else {
        lower.errors.sort_by_key(|e| e.line);
        Err(DefinitionErrors(lower.errors))
    }
}

/// A field kind a reference must have: its name for the message, and the test.
type KindCheck<'k> = Option<(&'k str, fn(&RawField) -> bool)>;

/// The second stage: raw definition to typed definition, collecting problems.
struct Lower<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<DefinitionError>,
    fields: HashMap<&'a str, &'a RawField>,
    states: HashSet<&'a str>,
    actions: HashSet<&'a str>,
    timers: HashSet<&'a str>,
    outcomes: HashSet<&'a str>,
}

impl<'a> Lower<'a> {
    fn new(file: &'a Path, text: &'a str, raw: &'a RawProcedure) -> Self {
        Lower {
            file,
            text,
            errors: Vec::new(),
            fields: raw
                .fields
                .iter()
                .map(|f| (f.get_ref().id.get_ref().as_str(), f.get_ref()))
                .collect(),
            states: raw
                .states
                .iter()
                .map(|s| s.get_ref().id.get_ref().as_str())
                .collect(),
            actions: raw
                .transitions
                .iter()
                .map(|t| t.get_ref().action.get_ref().as_str())
                .collect(),
            timers: raw
                .timers
                .iter()
                .map(|t| t.get_ref().id.get_ref().as_str())
                .collect(),
            outcomes: raw
                .outcomes
                .iter()
                .map(|o| o.get_ref().id.get_ref().as_str())
                .collect(),
        }
    }

    fn error_at(&mut self, span: std::ops::Range<usize>, reason: String) {
        self.errors.push(DefinitionError {
            file: self.file.to_owned(),
            line: line_of(self.text, span.start),
            reason,
        });
    }

    fn error<T>(&mut self, at: &Spanned<T>, reason: String) {
        self.error_at(at.span(), reason);
    }

    fn cited(&mut self, article: &S, what: &str) -> String {
        if article.get_ref().trim().is_empty() {
            self.error(article, format!("{what} cites no article"));
        }
        article.get_ref().clone()
    }

    fn unit(&mut self, unit: &S, what: &str) -> PeriodUnit {
        PeriodUnit::from_code(unit.get_ref()).unwrap_or_else(|| {
            self.error(
                unit,
                format!(
                    "{what}: unknown unit {:?} (days, workdays or months)",
                    unit.get_ref()
                ),
            );
            PeriodUnit::Days
        })
    }

    fn period(&mut self, n: u32, unit: &S, what: &str) -> Period {
        if n == 0 {
            self.error(unit, format!("{what} has a zero period"));
        }
        Period {
            n,
            unit: self.unit(unit, what),
        }
    }

    fn role(&mut self, role: &S, what: &str) -> Option<Role> {
        let found = Role::from_code(role.get_ref());
        if found.is_none() {
            self.error(
                role,
                format!("{what} names undefined role {:?}", role.get_ref()),
            );
        }
        found
    }

    fn state(&mut self, state: &S, what: &str) -> StateId {
        if !self.states.contains(state.get_ref().as_str()) {
            self.error(
                state,
                format!("{what} names undefined state {:?}", state.get_ref()),
            );
        }
        StateId(state.get_ref().clone())
    }

    /// A step: a transition's action, or `open`.
    fn step(&mut self, action: &S, what: &str) -> ActionId {
        let name = action.get_ref().as_str();
        if name != OPEN && !self.actions.contains(name) {
            self.error(action, format!("{what} names undefined action {name:?}"));
        }
        ActionId(name.to_owned())
    }

    fn transition(&mut self, action: &S, what: &str) -> ActionId {
        let name = action.get_ref().as_str();
        if !self.actions.contains(name) {
            self.error(action, format!("{what} names undefined action {name:?}"));
        }
        ActionId(name.to_owned())
    }

    fn steps(&mut self, actions: &[S], what: &str) -> Vec<ActionId> {
        actions.iter().map(|a| self.step(a, what)).collect()
    }

    fn timer(&mut self, timer: &S, what: &str) -> TimerId {
        if !self.timers.contains(timer.get_ref().as_str()) {
            self.error(
                timer,
                format!("{what} names undefined timer {:?}", timer.get_ref()),
            );
        }
        TimerId(timer.get_ref().clone())
    }

    /// A field, optionally of a kind (`expect` names the kinds for the message).
    fn field(&mut self, field: &S, what: &str, expect: KindCheck<'_>) -> FieldId {
        let name = field.get_ref().as_str();
        match (self.fields.get(name).copied(), expect) {
            (None, _) => self.error(field, format!("{what} names undefined field {name:?}")),
            (Some(raw), Some((kinds, fits))) if !fits(raw) => self.error(
                field,
                format!(
                    "{what}: field {name:?} is a {} field, not {kinds}",
                    raw.kind.get_ref()
                ),
            ),
            _ => {}
        }
        FieldId(name.to_owned())
    }

    /// The options of an enum field as written (empty for an undefined or other field).
    fn options_of(&self, field: &S) -> &'a [String] {
        self.fields
            .get(field.get_ref().as_str())
            .map_or(&[][..], |f| f.options.as_slice())
    }

    fn date_field(&mut self, field: &S, what: &str) -> FieldId {
        self.field(
            field,
            what,
            Some(("a date", |f| f.kind.get_ref() == "date")),
        )
    }

    fn date_ref(&mut self, date: &S, what: &str) -> DateRef {
        match date.get_ref().as_str() {
            "step" => DateRef::Step,
            "opened" => DateRef::Opened,
            _ => DateRef::Field(self.date_field(date, what)),
        }
    }

    fn required<T>(&mut self, value: &Option<T>, at: &Spanned<RawGuard>, key: &str, what: &str) {
        if value.is_none() {
            self.error(at, format!("{what} needs `{key}`"));
        }
    }

    fn procedure(&mut self, raw: &'a RawProcedure) -> Procedure {
        self.unique(raw);
        let in_force = parse_iso_date(raw.in_force.get_ref()).unwrap_or_else(|| {
            self.error(
                &raw.in_force,
                "in_force is not a date (YYYY-MM-DD)".to_owned(),
            );
            Date::MIN
        });
        let opened_by = raw
            .opened_by
            .iter()
            .filter_map(|r| self.role(r, "opened_by"))
            .collect();
        let title_field = self.field(&raw.title_field, "title_field", None);
        if self
            .fields
            .get(raw.title_field.get_ref().as_str())
            .is_some_and(|f| f.pii || f.kind.get_ref() == "party")
        {
            self.error(
                &raw.title_field,
                format!(
                    "title_field {:?} holds personal data",
                    raw.title_field.get_ref()
                ),
            );
        }
        let opening_fields = raw
            .opening_fields
            .iter()
            .map(|f| self.field(f, "opening_fields", None))
            .collect();
        let fields: Vec<Field> = raw.fields.iter().map(|f| self.lower_field(f)).collect();
        let states: Vec<State> = raw
            .states
            .iter()
            .map(|s| {
                let s = s.get_ref();
                State {
                    id: StateId(s.id.get_ref().clone()),
                    label: s.label.clone(),
                    initial: s.initial,
                    terminal: s.terminal,
                }
            })
            .collect();
        let opening_guards = raw
            .opening_guards
            .iter()
            .filter_map(|g| self.guard(g, "opening guard", None))
            .collect();
        let mut transitions: Vec<Transition> = raw
            .transitions
            .iter()
            .map(|t| self.lower_transition(t))
            .collect();
        let timers: Vec<Timer> = raw.timers.iter().map(|t| self.lower_timer(t)).collect();
        // A deemed step is taken by the law; only a deemed step may name no role.
        for timer in &timers {
            if let Lapse::Deems(action) = &timer.lapse
                && let Some(t) = transitions.iter_mut().find(|t| &t.action == action)
            {
                t.deemed_by = Some(timer.id.clone());
            }
        }
        for (t, raw_t) in transitions.iter().zip(&raw.transitions) {
            if t.roles.is_empty() && t.deemed_by.is_none() {
                self.error(
                    raw_t,
                    format!(
                        "action {:?} names no role (only a timer's deemed step may)",
                        t.action
                    ),
                );
            }
        }
        let outcomes = raw
            .outcomes
            .iter()
            .map(|o| {
                let o = o.get_ref();
                Outcome {
                    id: OutcomeId(o.id.get_ref().clone()),
                    label: o.label.clone(),
                    corrects: o.corrects,
                    article: self.cited(&o.article, &format!("outcome {:?}", o.id.get_ref())),
                }
            })
            .collect();
        let publicity = raw.publicity.as_ref().map(|p| self.lower_publicity(p));
        let mut procedure = Procedure {
            id: raw.id.get_ref().clone(),
            name: raw.name.clone(),
            statute: raw.statute.clone(),
            in_force,
            opened_by,
            number_prefix: raw.number_prefix.clone(),
            title_field,
            opening_fields,
            opening_guards,
            description: raw.description.clone(),
            fields,
            states,
            transitions,
            timers,
            outcomes,
            publicity,
            index: Index::default(),
        };
        procedure.index = Index {
            fields: positions(procedure.fields.iter().map(|f| f.id.as_str())),
            states: positions(procedure.states.iter().map(|s| s.id.as_str())),
            transitions: positions(procedure.transitions.iter().map(|t| t.action.as_str())),
            timers: positions(procedure.timers.iter().map(|t| t.id.as_str())),
            outcomes: positions(procedure.outcomes.iter().map(|o| o.id.as_str())),
            timer_effects: timer_effects(&procedure.timers),
            opening_effects: Vec::new(),
            watched: (procedure.timers.iter()).any(|t| t.lapse != Lapse::Overdue),
            pausable: (procedure.timers.iter().enumerate())
                .filter(|(_, t)| {
                    !t.paused_in.is_empty() || t.choices.iter().any(|c| !c.paused_in.is_empty())
                })
                .map(|(i, _)| i)
                .collect(),
            extends: Vec::new(),
            offered: Vec::new(),
        };
        let effects = &procedure.index.timer_effects;
        procedure.index.opening_effects = effects.get(OPEN).cloned().unwrap_or_default();
        procedure.index.extends = (procedure.transitions.iter())
            .map(|t| {
                (effects.get(t.action.as_str()).into_iter().flatten())
                    .filter(|(_, bits)| bits & TimerEffect::EXTEND != 0)
                    .map(|(i, _)| *i)
                    .collect()
            })
            .collect();
        let fields = &procedure.index.fields;
        procedure.index.offered = (procedure.transitions.iter())
            .map(|t| {
                (t.required.iter().chain(&t.optional))
                    .map(|f| fields.get(f.as_str()).copied().unwrap_or(usize::MAX))
                    .collect()
            })
            .collect();
        self.graph(raw, &procedure);
        procedure
    }

    fn unique(&mut self, raw: &RawProcedure) {
        let mut check = |kind: &str, ids: Vec<&S>, reserved: &[&str]| {
            let mut seen = HashSet::new();
            for id in ids {
                let name = id.get_ref().as_str();
                if reserved.contains(&name) {
                    self.error(id, format!("{kind} id {name:?} is reserved"));
                } else if name.trim().is_empty() {
                    self.error(id, format!("{kind} id is empty"));
                } else if !seen.insert(name) {
                    self.error(id, format!("{kind} {name:?} is defined twice"));
                }
            }
        };
        check(
            "field",
            raw.fields.iter().map(|f| &f.get_ref().id).collect(),
            &["step", "opened"],
        );
        check(
            "state",
            raw.states.iter().map(|s| &s.get_ref().id).collect(),
            &[],
        );
        check(
            "action",
            raw.transitions
                .iter()
                .map(|t| &t.get_ref().action)
                .collect(),
            &[OPEN],
        );
        check(
            "timer",
            raw.timers.iter().map(|t| &t.get_ref().id).collect(),
            &[],
        );
        check(
            "outcome",
            raw.outcomes.iter().map(|o| &o.get_ref().id).collect(),
            &[],
        );
    }

    fn lower_field(&mut self, spanned: &Spanned<RawField>) -> Field {
        let f = spanned.get_ref();
        let what = format!("field {:?}", f.id.get_ref());
        let kind = match f.kind.get_ref().as_str() {
            "text" => FieldKind::Text,
            "party" => FieldKind::Party,
            "date" => FieldKind::Date,
            "money" => FieldKind::Money,
            "number" => FieldKind::Number,
            "bool" => FieldKind::Bool,
            "enum" => {
                if f.options.is_empty() {
                    self.error(spanned, format!("enum {what} has no options"));
                }
                FieldKind::Enum(f.options.clone())
            }
            "department" => FieldKind::Department,
            "person" => match &f.registry {
                None => {
                    self.error(spanned, format!("person {what} names no registry"));
                    FieldKind::Person(Registry::StaffAccounts)
                }
                Some(registry) => match Registry::from_code(registry.get_ref()) {
                    Some(r) => FieldKind::Person(r),
                    None => {
                        self.error(
                            registry,
                            format!("{what} names unknown registry {:?}", registry.get_ref()),
                        );
                        FieldKind::Person(Registry::StaffAccounts)
                    }
                },
            },
            "document" => FieldKind::Document,
            other => {
                self.error(&f.kind, format!("{what} has unknown kind {other:?}"));
                FieldKind::Text
            }
        };
        if !matches!(kind, FieldKind::Enum(_)) && !f.options.is_empty() {
            self.error(spanned, format!("{what} has options but is not an enum"));
        }
        if let Some(registry) = &f.registry
            && !matches!(kind, FieldKind::Person(_))
        {
            self.error(
                registry,
                format!("{what} names a registry but is not a person field"),
            );
        }
        if f.multiline && !matches!(kind, FieldKind::Text) {
            self.error(spanned, format!("{what}: only text fields are multiline"));
        }
        if f.multiple && !matches!(kind, FieldKind::Person(_) | FieldKind::Document) {
            self.error(
                spanned,
                format!("{what}: only person and document fields take several values"),
            );
        }
        Field {
            id: FieldId(f.id.get_ref().clone()),
            label: f.label.clone(),
            pii: f.pii || kind == FieldKind::Party,
            kind,
            multiple: f.multiple,
            multiline: f.multiline,
        }
    }

    fn lower_transition(&mut self, spanned: &Spanned<RawTransition>) -> Transition {
        let t = spanned.get_ref();
        let what = format!("action {:?}", t.action.get_ref());
        let article = self.cited(&t.article, &what);
        let from = t.from.iter().map(|s| self.state(s, &what)).collect();
        let to = self.state(&t.to, &what);
        let roles = t.roles.iter().filter_map(|r| self.role(r, &what)).collect();
        let required = t
            .required
            .iter()
            .map(|f| self.field(f, &what, None))
            .collect();
        let optional = t
            .optional
            .iter()
            .map(|f| self.field(f, &what, None))
            .collect();
        let outcome = t.outcome.as_ref().map(|o| {
            if !self.outcomes.contains(o.get_ref().as_str()) {
                self.error(
                    o,
                    format!("{what} records undefined outcome {:?}", o.get_ref()),
                );
            }
            OutcomeId(o.get_ref().clone())
        });
        let own = ActionId(t.action.get_ref().clone());
        let guards = t
            .guards
            .iter()
            .filter_map(|g| self.guard(g, &what, Some(&own)))
            .collect();
        Transition {
            action: own,
            label: t.label.clone(),
            from,
            to,
            roles,
            assigned_only: t.assigned_only,
            required,
            optional,
            guards,
            outcome,
            article,
            deemed_by: None,
        }
    }

    fn condition(&mut self, g: &RawGuard, what: &str) -> Condition {
        Condition {
            fields: g
                .when_fields
                .iter()
                .map(|f| self.field(f, what, Some(("a bool", |f| f.kind.get_ref() == "bool"))))
                .collect(),
            steps: self.steps(&g.when_steps, what),
            values: g
                .when_values
                .iter()
                .map(|m| self.field_match(m, what))
                .collect(),
        }
    }

    /// `{ field = F, in = [...] }` for an enum field, `{ field = F }` for a bool field.
    fn field_match(&mut self, m: &RawMatch, what: &str) -> FieldMatch {
        let raw = self.fields.get(m.field.get_ref().as_str()).copied();
        let field = self.field(&m.field, what, None);
        match (raw.map(|f| f.kind.get_ref().as_str()), &m.values) {
            (Some("bool"), None) | (None, _) => {}
            (Some("enum"), Some(values)) => {
                let options = self.options_of(&m.field);
                for v in values {
                    if !options.contains(v) {
                        self.error(
                            &m.field,
                            format!("{what}: {v:?} is not an option of {field}"),
                        );
                    }
                }
            }
            _ => self.error(
                &m.field,
                format!("{what}: a value condition takes a bool field, or an enum field with `in`"),
            ),
        }
        FieldMatch {
            field,
            values: m.values.clone(),
        }
    }

    fn guard(
        &mut self,
        spanned: &Spanned<RawGuard>,
        owner: &str,
        own_action: Option<&ActionId>,
    ) -> Option<Guard> {
        let g = spanned.get_ref();
        let kind_name = g.kind.get_ref().as_str();
        let what = format!("{owner}: guard {kind_name:?}");
        let Some(kind) = GuardKind::from_code(kind_name) else {
            self.error(
                &g.kind,
                format!("{owner} names unknown guard kind {kind_name:?}"),
            );
            return None;
        };
        if g.article.trim().is_empty() {
            self.error(spanned, format!("{what} cites no article"));
        }
        if g.refusal.trim().is_empty() {
            self.error(spanned, format!("{what} has no refusal text"));
        }
        let check = match kind {
            GuardKind::StepRecorded | GuardKind::StepNotRecorded => {
                self.required(&g.step, spanned, "step", &what);
                let step = g.step.as_ref().map(|s| self.step(s, &what))?;
                if kind == GuardKind::StepRecorded {
                    Check::StepRecorded {
                        step,
                        undone_by: self.steps(&g.undone_by, &what),
                    }
                } else {
                    Check::StepNotRecorded { step }
                }
            }
            GuardKind::PeriodEnded | GuardKind::TimerRunning => {
                self.required(&g.timer, spanned, "timer", &what);
                let timer = g.timer.as_ref().map(|t| self.timer(t, &what))?;
                let on =
                    g.on.as_ref()
                        .map_or(DateRef::Step, |d| self.date_ref(d, &what));
                if kind == GuardKind::PeriodEnded {
                    Check::PeriodEnded {
                        timer,
                        or_steps: self.steps(&g.or_steps, &what),
                        on,
                    }
                } else {
                    Check::TimerRunning { timer, on }
                }
            }
            GuardKind::RegistryCount => {
                self.required(&g.field, spanned, "field", &what);
                let field = g.field.as_ref()?;
                let id = self.field(
                    field,
                    &what,
                    Some(("a person", |f| f.kind.get_ref() == "person")),
                );
                let registry = self
                    .fields
                    .get(field.get_ref().as_str())
                    .and_then(|f| f.registry.as_ref())
                    .and_then(|r| Registry::from_code(r.get_ref()))
                    .unwrap_or(Registry::StaffAccounts);
                let count = g
                    .at_least
                    .as_ref()
                    .and_then(|v| v.get_ref().as_integer())
                    .and_then(|n| u32::try_from(n).ok());
                let at_least = match count {
                    Some(n) if n > 0 => n,
                    _ => {
                        self.error(
                            spanned,
                            format!("{what} needs `at_least` = a number above 0"),
                        );
                        1
                    }
                };
                let valid_on = g
                    .valid_on
                    .as_ref()
                    .map_or(DateRef::Step, |d| self.date_ref(d, &what));
                Check::RegistryCount {
                    field: id,
                    registry,
                    at_least,
                    valid_on,
                }
            }
            GuardKind::DateOrder => {
                self.required(&g.earlier, spanned, "earlier", &what);
                self.required(&g.later, spanned, "later", &what);
                let earlier = g.earlier.as_ref().map(|d| self.date_ref(d, &what))?;
                let later = g.later.as_ref().map(|d| self.date_ref(d, &what))?;
                let at_least = g.at_least.as_ref().and_then(|value| {
                    let period = value.get_ref().as_table().and_then(|t| {
                        let n = t.get("period")?.as_integer().and_then(|n| u32::try_from(n).ok())?;
                        let unit = PeriodUnit::from_code(t.get("unit")?.as_str()?)?;
                        (t.len() == 2).then_some(Period { n, unit })
                    });
                    if period.is_none_or(|p| p.n == 0) {
                        self.error(
                            value,
                            format!("{what}: `at_least` is a period here: {{ period = N, unit = \"days\" | \"workdays\" | \"months\" }} with N above 0"),
                        );
                    }
                    period
                });
                let at_most = g
                    .at_most
                    .as_ref()
                    .map(|p| self.period(p.period, &p.unit, &what));
                Check::DateOrder {
                    earlier,
                    later,
                    at_least,
                    at_most,
                }
            }
            GuardKind::DatesNotBefore => {
                self.required(&g.date, spanned, "date", &what);
                Check::DatesNotBefore {
                    date: g.date.as_ref().map(|d| self.date_ref(d, &what))?,
                }
            }
            GuardKind::AmountLimit => {
                self.required(&g.field, spanned, "field", &what);
                let field = g.field.as_ref().map(|f| {
                    self.field(f, &what, Some(("a money", |f| f.kind.get_ref() == "money")))
                })?;
                let limit = match (&g.at_most_field, &g.by) {
                    (Some(other), None) if g.limits.is_empty() => AmountBound::Field(self.field(
                        other,
                        &what,
                        Some(("a money", |f| f.kind.get_ref() == "money")),
                    )),
                    (None, Some(by_raw)) => {
                        let by = self.field(
                            by_raw,
                            &what,
                            Some(("an enum", |f| f.kind.get_ref() == "enum")),
                        );
                        let options = self.options_of(by_raw);
                        let mut limits_fen = Vec::new();
                        for (option, yuan) in &g.limits {
                            if !options.contains(option) {
                                self.error(
                                    spanned,
                                    format!("{what}: {option:?} is not an option of {by}"),
                                );
                            }
                            let fen = match yuan {
                                RawYuan::Whole(y) => y.checked_mul(100),
                                RawYuan::Decimal(y) => {
                                    let fen = (y * 100.0).round();
                                    (fen.is_finite() && (0.0..9.0e15).contains(&fen))
                                        .then_some(fen as i64)
                                }
                            };
                            match fen {
                                Some(fen) if fen >= 0 => limits_fen.push((option.clone(), fen)),
                                _ => self.error(
                                    spanned,
                                    format!("{what}: the limit for {option:?} is not an amount"),
                                ),
                            }
                        }
                        for option in options {
                            if !g.limits.contains_key(option) {
                                self.error(
                                    spanned,
                                    format!("{what}: no limit for option {option:?} of {by}"),
                                );
                            }
                        }
                        AmountBound::ByOption { by, limits_fen }
                    }
                    _ => {
                        self.error(
                            spanned,
                            format!("{what} needs either `by` with `limits`, or `at_most_field`"),
                        );
                        return None;
                    }
                };
                Check::AmountLimit { field, limit }
            }
            GuardKind::FieldIn => {
                self.required(&g.field, spanned, "field", &what);
                let raw_field = g.field.as_ref()?;
                let field = self.field(
                    raw_field,
                    &what,
                    Some(("an enum or bool", |f| {
                        matches!(f.kind.get_ref().as_str(), "enum" | "bool")
                    })),
                );
                let options: Vec<String> = match self.fields.get(raw_field.get_ref().as_str()) {
                    Some(f) if f.kind.get_ref() == "bool" => vec!["是".to_owned(), "否".to_owned()],
                    Some(f) => f.options.clone(),
                    None => Vec::new(),
                };
                if g.values.is_empty() {
                    self.error(spanned, format!("{what} needs `values`"));
                }
                for value in &g.values {
                    if !options.contains(value) {
                        self.error(
                            spanned,
                            format!("{what}: {value:?} is not an option of {field}"),
                        );
                    }
                }
                Check::FieldIn {
                    field,
                    values: g.values.clone(),
                }
            }
            GuardKind::AtMostOnce => {
                let step = match (&g.step, own_action) {
                    (Some(step), _) => self.step(step, &what),
                    (None, Some(own)) => own.clone(),
                    (None, None) => {
                        self.error(spanned, format!("{what} needs `step`"));
                        return None;
                    }
                };
                Check::AtMostOnce { step }
            }
            GuardKind::PeopleDistinct => {
                let people: Vec<FieldId> = g
                    .fields
                    .iter()
                    .map(|f| {
                        self.field(
                            f,
                            &what,
                            Some(("a person", |f| f.kind.get_ref() == "person")),
                        )
                    })
                    .collect();
                let registries: HashSet<Option<&str>> = g
                    .fields
                    .iter()
                    .map(|f| {
                        self.fields
                            .get(f.get_ref().as_str())
                            .and_then(|f| f.registry.as_ref())
                            .map(|r| r.get_ref().as_str())
                    })
                    .collect();
                if registries.len() > 1 {
                    self.error(spanned, format!("{what}: the two fields name people from different registries, so their ids cannot be compared"));
                }
                match people.as_slice() {
                    [first, second] => Check::PeopleDistinct {
                        first: first.clone(),
                        second: second.clone(),
                    },
                    _ => {
                        self.error(
                            spanned,
                            format!("{what} needs `fields` = two person fields"),
                        );
                        return None;
                    }
                }
            }
        };
        let when = self.condition(g, &what);
        Some(Guard {
            check,
            when,
            article: g.article.clone(),
            refusal: g.refusal.clone(),
        })
    }

    fn extension(&mut self, spanned: &Spanned<RawExtension>, what: &str) -> Extension {
        let e = spanned.get_ref();
        let what = format!("the extension of {what}");
        let action = self.transition(&e.action, &what);
        let max = self.period(e.max, &e.unit, &what);
        let length_field = e.length_field.as_ref().map(|f| {
            self.field(
                f,
                &what,
                Some(("a number", |f| f.kind.get_ref() == "number")),
            )
        });
        let notice_field = e.notice_field.as_ref().map(|f| self.date_field(f, &what));
        let times = e.times.unwrap_or(1);
        if times == 0 {
            self.error(spanned, format!("{what} may be granted zero times"));
        }
        Extension {
            action,
            max,
            length_field,
            notice_field,
            approver: e.approver.clone(),
            article: self.cited(&e.article, &what),
            times,
        }
    }

    fn lower_timer(&mut self, spanned: &Spanned<RawTimer>) -> Timer {
        let t = spanned.get_ref();
        let what = format!("timer {:?}", t.id.get_ref());
        let article = self.cited(&t.article, &what);
        let start = self.step(&t.start, &what);
        let start_field = t.start_field.as_ref().map(|f| self.date_field(f, &what));
        let start_when = t.start_when.as_ref().map(|m| self.field_match(m, &what));
        let restart = self.steps(&t.restart, &what);
        let restart_field = t.restart_field.as_ref().map(|f| self.date_field(f, &what));
        let stop = self.steps(&t.stop, &what);
        let period = self.period(t.period, &t.unit, &what);
        let paused_in = t.paused_in.iter().map(|s| self.state(s, &what)).collect();
        let period_by = t
            .period_by
            .as_ref()
            .map(|f| self.field(f, &what, Some(("an enum", |f| f.kind.get_ref() == "enum"))));
        let by_options = t.period_by.as_ref().map_or(&[][..], |f| self.options_of(f));
        if period_by.is_none() && !t.choices.is_empty() {
            self.error(spanned, format!("{what} has choices but no period_by"));
        }
        let choices = t
            .choices
            .iter()
            .map(|c| {
                let c = c.get_ref();
                if period_by.is_some() && !by_options.contains(c.value.get_ref()) {
                    self.error(
                        &c.value,
                        format!(
                            "{what}: choice {:?} is not an option of the period_by field",
                            c.value.get_ref()
                        ),
                    );
                }
                let what = format!("{what}, choice {:?}", c.value.get_ref());
                Choice {
                    value: c.value.get_ref().clone(),
                    period: self.period(c.period, &c.unit, &what),
                    article: self.cited(&c.article, &what),
                    paused_in: c.paused_in.iter().map(|s| self.state(s, &what)).collect(),
                    extension: c.extension.as_ref().map(|e| self.extension(e, &what)),
                }
            })
            .collect();
        let lapse = match (t.lapse.as_ref().map(|l| l.get_ref().as_str()), &t.deemed) {
            (None | Some("overdue"), None) => Lapse::Overdue,
            (Some("ends"), None) => Lapse::Ends,
            (Some("deems"), Some(action)) => Lapse::Deems(self.transition(action, &what)),
            (Some("deems"), None) => {
                self.error(spanned, format!("{what}: lapse = \"deems\" needs `deemed`"));
                Lapse::Overdue
            }
            (_, Some(action)) => {
                self.error(action, format!("{what}: `deemed` needs lapse = \"deems\""));
                Lapse::Overdue
            }
            (Some(other), None) => {
                let at = t.lapse.as_ref().map_or(spanned.span(), |l| l.span());
                self.error_at(
                    at,
                    format!("{what}: unknown lapse {other:?} (overdue, ends or deems)"),
                );
                Lapse::Overdue
            }
        };
        let extension = t.extension.as_ref().map(|e| self.extension(e, &what));
        Timer {
            id: TimerId(t.id.get_ref().clone()),
            label: t.label.clone(),
            article,
            start,
            start_field,
            start_when,
            restart,
            restart_field,
            stop,
            period,
            paused_in,
            period_by,
            choices,
            lapse,
            extension,
            on_expiry: t.on_expiry.clone(),
        }
    }

    fn lower_publicity(&mut self, spanned: &Spanned<RawPublicity>) -> Publicity {
        let p = spanned.get_ref();
        let what = "publicity";
        let after = self.transition(&p.after, what);
        let fields: Vec<FieldId> = p.fields.iter().map(|f| self.field(f, what, None)).collect();
        let redacted: Vec<FieldId> = p
            .redacted
            .iter()
            .map(|f| self.field(f, what, None))
            .collect();
        for (field, raw) in fields.iter().zip(&p.fields) {
            let personal = self
                .fields
                .get(field.as_str())
                .is_some_and(|f| f.pii || f.kind.get_ref() == "party");
            if personal && !redacted.contains(field) {
                self.error(
                    raw,
                    format!("publicity would publish personal field {field:?} unredacted"),
                );
            }
        }
        Publicity {
            after,
            fields,
            redacted,
            period: self.period(p.period, &p.unit, what),
            article: self.cited(&p.article, what),
            withdrawn_by: p
                .withdrawn_by
                .iter()
                .map(|a| self.transition(a, what))
                .collect(),
            // Published, so an enum: free text may hold personal data.
            withdrawal_reason: p
                .withdrawal_reason
                .as_ref()
                .map(|f| self.field(f, what, Some(("an enum", |f| f.kind.get_ref() == "enum")))),
            person_when: p.person_when.as_ref().map(|m| self.field_match(m, what)),
        }
    }

    /// Exactly one initial state; terminal states have no way out, every other state has one;
    /// every state is reachable (deemed steps count: the law moves the case too).
    fn graph(&mut self, raw: &RawProcedure, p: &Procedure) {
        let initials: Vec<&State> = p.states.iter().filter(|s| s.initial).collect();
        if initials.len() != 1 {
            self.error(
                &raw.id,
                format!(
                    "exactly one state must be initial; found {}",
                    initials.len()
                ),
            );
        }
        let mut outgoing: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in &p.transitions {
            for from in &t.from {
                outgoing
                    .entry(from.as_str())
                    .or_default()
                    .push(t.to.as_str());
            }
        }
        let terminal: HashSet<&str> = p
            .states
            .iter()
            .filter(|s| s.terminal)
            .map(|s| s.id.as_str())
            .collect();
        for (state, raw_state) in p.states.iter().zip(&raw.states) {
            let outs = outgoing.get(state.id.as_str()).cloned().unwrap_or_default();
            let n_out = outs.len();
            // A closed case may still get records that keep it closed (a decision later changed
            // by a court, its publicity withdrawn); it never reopens.
            if state.terminal && outs.iter().any(|to| !terminal.contains(to)) {
                self.error(
                    &raw_state.get_ref().id,
                    format!(
                        "terminal state {:?} has an action leading to a state that is not terminal",
                        state.id
                    ),
                );
            }
            if !state.terminal && n_out == 0 {
                self.error(
                    &raw_state.get_ref().id,
                    format!(
                        "state {:?} is a dead end: no action leaves it and it is not terminal",
                        state.id
                    ),
                );
            }
        }
        let mut reached: HashSet<&str> = HashSet::new();
        let mut queue: VecDeque<&str> = initials.iter().map(|s| s.id.as_str()).collect();
        while let Some(state) = queue.pop_front() {
            if reached.insert(state) {
                queue.extend(outgoing.get(state).into_iter().flatten().copied());
            }
        }
        for (state, raw_state) in p.states.iter().zip(&raw.states) {
            if !initials.is_empty() && !reached.contains(state.id.as_str()) {
                self.error(
                    &raw_state.get_ref().id,
                    format!(
                        "state {:?} cannot be reached from the initial state",
                        state.id
                    ),
                );
            }
        }
        // A field no step records and the opening does not ask for could only be slipped in
        // where it does not belong; it is a mistake of the definition.
        for (field, raw_field) in p.fields.iter().zip(&raw.fields) {
            let recorded = p.opening_fields.contains(&field.id)
                || (p.transitions.iter())
                    .any(|t| t.required.contains(&field.id) || t.optional.contains(&field.id));
            if !recorded {
                self.error(
                    &raw_field.get_ref().id,
                    format!(
                        "field {:?} is recorded by no step and is not an opening field",
                        field.id.as_str()
                    ),
                );
            }
        }
    }
}

fn timer_effects(timers: &[Timer]) -> IdMap<Vec<(usize, u8)>> {
    let mut effects: IdMap<Vec<(usize, u8)>> = IdMap::default();
    let mut mark = |action: &ActionId, timer: usize, bit: u8| {
        let list = effects.entry(action.as_str().to_owned()).or_default();
        match list.iter_mut().find(|(t, _)| *t == timer) {
            Some((_, bits)) => *bits |= bit,
            None => list.push((timer, bit)),
        }
    };
    for (i, timer) in timers.iter().enumerate() {
        mark(&timer.start, i, TimerEffect::START);
        for action in &timer.restart {
            mark(action, i, TimerEffect::RESTART);
        }
        for action in &timer.stop {
            mark(action, i, TimerEffect::STOP);
        }
        let extensions = timer
            .extension
            .iter()
            .chain(timer.choices.iter().filter_map(|c| c.extension.as_ref()));
        for extension in extensions {
            mark(&extension.action, i, TimerEffect::EXTEND);
        }
    }
    effects
}

fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> IdMap<usize> {
    ids.enumerate().map(|(i, id)| (id.to_owned(), i)).collect()
}

use time::Date;

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let text = text.trim();
    // Nearly every date is exactly four, two and two digits, which `time`'s parser reads the
    // same way at several times the cost (the engine parses dates on every step); anything else
    // (a sign, a wrong length) goes to the parser, which decides.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes()
        && [y1, y2, y3, y4, m1, m2, d1, d2]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let number = |digits: &[u8]| digits.iter().fold(0, |n, d| n * 10 + u16::from(d - b'0'));
        let month = time::Month::try_from(u8::try_from(number(&[m1, m2])).ok()?).ok()?;
        let day = u8::try_from(number(&[d1, d2])).ok()?;
        return Date::from_calendar_date(i32::from(number(&[y1, y2, y3, y4])), month, day).ok();
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}
