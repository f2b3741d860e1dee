//! Reading and validating procedure definitions. Every refusal names the file, the line and the
//! reason, so a legal officer editing a definition can find the mistake.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use super::{KNOWN_GUARDS, Procedure};
use crate::domain::Role;

/// A definition that cannot be used.
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

/// The definitions shipped with Fazhi, compiled in.
const EMBEDDED: [(&str, &str); 4] = [
    (
        "procedures/reconsideration.toml",
        include_str!("../../../../procedures/reconsideration.toml"),
    ),
    (
        "procedures/litigation.toml",
        include_str!("../../../../procedures/litigation.toml"),
    ),
    (
        "procedures/penalty.toml",
        include_str!("../../../../procedures/penalty.toml"),
    ),
    (
        "procedures/disclosure.toml",
        include_str!("../../../../procedures/disclosure.toml"),
    ),
];

/// The shipped definitions, validated.
pub fn load_embedded() -> Result<Vec<Procedure>, DefinitionError> {
    let procedures = EMBEDDED
        .iter()
        .map(|(name, text)| parse_definition(Path::new(name), text))
        .collect::<Result<Vec<_>, _>>()?;
    check_unique_ids(&procedures)?;
    Ok(procedures)
}

/// Every `*.toml` in `dir`, validated (sorted by file name).
pub fn load_dir(dir: &Path) -> Result<Vec<Procedure>, DefinitionError> {
    let whole = |reason: String| DefinitionError {
        file: dir.to_owned(),
        line: 1,
        reason,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| whole(format!("cannot read the directory: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut procedures = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| DefinitionError {
            file: path.clone(),
            line: 1,
            reason: format!("cannot read the file: {e}"),
        })?;
        procedures.push(parse_definition(&path, &text)?);
    }
    check_unique_ids(&procedures)?;
    Ok(procedures)
}

fn check_unique_ids(procedures: &[Procedure]) -> Result<(), DefinitionError> {
    let mut seen = HashSet::new();
    for procedure in procedures {
        if !seen.insert(procedure.id.as_str()) {
            return Err(DefinitionError {
                file: PathBuf::from(&procedure.id),
                line: 1,
                reason: format!("procedure id {:?} is defined twice", procedure.id),
            });
        }
    }
    Ok(())
}

/// The 1-based line of byte offset `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The line of the first occurrence of `"needle"` at or after the item whose `key = "value"`
/// line comes first: good enough to point at the offending reference in a definition.
fn locate(text: &str, key: &str, value: &str, needle: Option<&str>) -> usize {
    let anchor = format!("{key} = \"{value}\"");
    let start = text.find(&anchor).unwrap_or(0);
    let offset = match needle {
        Some(needle) => text
            .get(start..)
            .and_then(|rest| rest.find(&format!("\"{needle}\"")))
            .map_or(start, |found| start + found),
        None => start,
    };
    line_of(text, offset)
}

/// Parses and validates one definition.
pub fn parse_definition(file: &Path, text: &str) -> Result<Procedure, DefinitionError> {
    let procedure: Procedure = toml::from_str(text).map_err(|error| DefinitionError {
        file: file.to_owned(),
        line: error.span().map_or(1, |span| line_of(text, span.start)),
        reason: error.message().trim().to_owned(),
    })?;
    validate(&procedure, text).map_err(|(line, reason)| DefinitionError {
        file: file.to_owned(),
        line,
        reason,
    })?;
    Ok(procedure)
}

/// The semantic rules; returns the line and reason of the first problem.
fn validate(p: &Procedure, text: &str) -> Result<(), (usize, String)> {
    let fail = |line: usize, reason: String| Err((line, reason));
    let ids_unique = |kind: &str, key: &str, ids: Vec<&str>| -> Result<(), (usize, String)> {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                return Err((
                    locate(text, key, id, None),
                    format!("{kind} {id:?} is defined twice"),
                ));
            }
        }
        Ok(())
    };
    ids_unique(
        "field",
        "id",
        p.fields.iter().map(|f| f.id.as_str()).collect(),
    )?;
    ids_unique(
        "state",
        "id",
        p.states.iter().map(|s| s.id.as_str()).collect(),
    )?;
    ids_unique(
        "action",
        "action",
        p.transitions.iter().map(|t| t.action.as_str()).collect(),
    )?;
    ids_unique(
        "timer",
        "id",
        p.timers.iter().map(|t| t.id.as_str()).collect(),
    )?;
    ids_unique(
        "outcome",
        "id",
        p.outcomes.iter().map(|o| o.id.as_str()).collect(),
    )?;

    let roles: HashSet<&str> = Role::ALL.iter().map(|r| r.code()).collect();
    let states: HashSet<&str> = p.states.iter().map(|s| s.id.as_str()).collect();
    let fields: HashSet<&str> = p.fields.iter().map(|f| f.id.as_str()).collect();
    let actions: HashSet<&str> = p.transitions.iter().map(|t| t.action.as_str()).collect();
    let outcomes: HashSet<&str> = p.outcomes.iter().map(|o| o.id.as_str()).collect();
    let guards: HashSet<&str> = KNOWN_GUARDS.iter().map(|(g, _)| *g).collect();

    for role in &p.opened_by {
        if !roles.contains(role.as_str()) {
            return fail(
                locate(text, "id", &p.id, Some(role)),
                format!("undefined role {role:?} in opened_by"),
            );
        }
    }
    match p.field(&p.title_field) {
        None => {
            return fail(
                locate(text, "title_field", &p.title_field, None),
                format!("title_field {:?} is not a defined field", p.title_field),
            );
        }
        Some(field) if field.pii => {
            return fail(
                locate(text, "title_field", &p.title_field, None),
                format!("title_field {:?} holds personal data", p.title_field),
            );
        }
        Some(_) => {}
    }
    for field in &p.opening_fields {
        if !fields.contains(field.as_str()) {
            return fail(
                locate(text, "id", &p.id, Some(field)),
                format!("opening field {field:?} is not defined"),
            );
        }
    }
    for field in &p.fields {
        if field.kind == super::FieldKind::Enum && field.options.is_empty() {
            return fail(
                locate(text, "id", &field.id, None),
                format!("enum field {:?} has no options", field.id),
            );
        }
    }
    let initials: Vec<&str> = p
        .states
        .iter()
        .filter(|s| s.initial)
        .map(|s| s.id.as_str())
        .collect();
    if initials.len() != 1 {
        return fail(
            1,
            format!(
                "exactly one state must be initial; found {}",
                initials.len()
            ),
        );
    }
    for t in &p.transitions {
        let at = |needle: &str| locate(text, "action", &t.action, Some(needle));
        if t.article.trim().is_empty() {
            return fail(at(""), format!("action {:?} cites no article", t.action));
        }
        for state in t.from.iter().chain(std::iter::once(&t.to)) {
            if !states.contains(state.as_str()) {
                return fail(
                    at(state),
                    format!("action {:?} names undefined state {state:?}", t.action),
                );
            }
        }
        for role in &t.roles {
            if !roles.contains(role.as_str()) {
                return fail(
                    at(role),
                    format!("action {:?} names undefined role {role:?}", t.action),
                );
            }
        }
        for field in t.required.iter().chain(&t.optional) {
            if !fields.contains(field.as_str()) {
                return fail(
                    at(field),
                    format!("action {:?} names undefined field {field:?}", t.action),
                );
            }
        }
        for guard in &t.guards {
            if !guards.contains(guard.as_str()) {
                return fail(
                    at(guard),
                    format!("action {:?} names unknown guard {guard:?}", t.action),
                );
            }
        }
        if let Some(outcome) = &t.outcome
            && !outcomes.contains(outcome.as_str())
        {
            return fail(
                at(outcome),
                format!(
                    "action {:?} records undefined outcome {outcome:?}",
                    t.action
                ),
            );
        }
        if t.roles.is_empty() {
            return fail(
                at(&t.action),
                format!("action {:?} names no role", t.action),
            );
        }
    }
    // Terminal states have no way out; every other state has one.
    let mut outgoing: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in &p.transitions {
        for from in &t.from {
            outgoing
                .entry(from.as_str())
                .or_default()
                .push(t.to.as_str());
        }
    }
    for state in &p.states {
        let n_out = outgoing.get(state.id.as_str()).map_or(0, Vec::len);
        if state.terminal && n_out > 0 {
            return fail(
                locate(text, "id", &state.id, None),
                format!("terminal state {:?} has outgoing actions", state.id),
            );
        }
        if !state.terminal && n_out == 0 {
            return fail(
                locate(text, "id", &state.id, None),
                format!(
                    "state {:?} is a dead end: no action leaves it and it is not terminal",
                    state.id
                ),
            );
        }
    }
    // Every state is reachable from the initial one.
    let mut reached: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = initials.iter().copied().collect();
    while let Some(state) = queue.pop_front() {
        if reached.insert(state) {
            queue.extend(outgoing.get(state).into_iter().flatten().copied());
        }
    }
    if let Some(unreached) = p.states.iter().find(|s| !reached.contains(s.id.as_str())) {
        return fail(
            locate(text, "id", &unreached.id, None),
            format!(
                "state {:?} cannot be reached from the initial state",
                unreached.id
            ),
        );
    }
    for timer in &p.timers {
        let at = |needle: &str| locate(text, "id", &timer.id, Some(needle));
        if timer.article.trim().is_empty() {
            return fail(at(""), format!("timer {:?} cites no article", timer.id));
        }
        if timer.period == 0 {
            return fail(
                locate(text, "id", &timer.id, None),
                format!("timer {:?} has a zero period", timer.id),
            );
        }
        let known_action = |a: &str| a == "open" || actions.contains(a);
        for action in std::iter::once(&timer.start)
            .chain(&timer.stop)
            .chain(&timer.restart)
        {
            if !known_action(action) {
                return fail(
                    at(action),
                    format!("timer {:?} names undefined action {action:?}", timer.id),
                );
            }
        }
        if let Some(field) = &timer.start_field
            && !fields.contains(field.as_str())
        {
            return fail(
                at(field),
                format!("timer {:?} starts from undefined field {field:?}", timer.id),
            );
        }
        for state in &timer.paused_in {
            if !states.contains(state.as_str()) {
                return fail(
                    at(state),
                    format!("timer {:?} pauses in undefined state {state:?}", timer.id),
                );
            }
        }
        if let Some(extension) = &timer.extension {
            if extension.article.trim().is_empty() {
                return fail(
                    at(&extension.action),
                    format!("the extension of timer {:?} cites no article", timer.id),
                );
            }
            if !actions.contains(extension.action.as_str()) {
                return fail(
                    at(&extension.action),
                    format!(
                        "timer {:?} is extended by undefined action {:?}",
                        timer.id, extension.action
                    ),
                );
            }
        }
    }
    for outcome in &p.outcomes {
        if outcome.article.trim().is_empty() {
            return fail(
                locate(text, "id", &outcome.id, None),
                format!("outcome {:?} cites no article", outcome.id),
            );
        }
    }
    if let Some(publicity) = &p.publicity {
        let at = |needle: &str| locate(text, "after", &publicity.after, Some(needle));
        if !actions.contains(publicity.after.as_str()) {
            return fail(
                at(&publicity.after),
                format!("publicity follows undefined action {:?}", publicity.after),
            );
        }
        for field in publicity.fields.iter().chain(&publicity.redacted) {
            if !fields.contains(field.as_str()) {
                return fail(
                    at(field),
                    format!("publicity names undefined field {field:?}"),
                );
            }
        }
        for field in &publicity.fields {
            if p.field(field).is_some_and(|f| f.pii) && !publicity.redacted.contains(field) {
                return fail(
                    at(field),
                    format!("publicity would publish personal field {field:?} unredacted"),
                );
            }
        }
        if publicity.article.trim().is_empty() {
            return fail(at(&publicity.after), "publicity cites no rule".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "mini"
name = "示例"
statute = "示例法"
in_force = "2024-01-01"
opened_by = ["justice_staff"]
number_prefix = "示"
title_field = "subject"

[[fields]]
id = "subject"
label = "事项"
kind = "text"

[[fields]]
id = "applicant"
label = "申请人"
kind = "party"
pii = true

[[states]]
id = "open"
label = "办理中"
initial = true

[[states]]
id = "closed"
label = "已办结"
terminal = true

[[transitions]]
action = "close"
label = "办结"
from = ["open"]
to = "closed"
roles = ["justice_staff"]
article = "示例法第一条"

[[timers]]
id = "reply"
label = "答复期限"
start = "open"
stop = ["close"]
period = 20
unit = "workdays"
article = "示例法第二条"
"#;

    /// The 1-based line of the first line of `text` containing `marker`.
    fn line_containing(text: &str, marker: &str) -> usize {
        text.lines()
            .position(|line| line.contains(marker))
            .map_or(0, |i| i + 1)
    }

    fn error(text: &str) -> DefinitionError {
        parse_definition(Path::new("mini.toml"), text).expect_err("should be refused")
    }

    #[test]
    fn the_shipped_definitions_load() {
        let procedures = load_embedded().unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = procedures.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["reconsideration", "litigation", "penalty", "disclosure"]
        );
    }

    #[test]
    fn a_minimal_definition_loads() {
        let procedure =
            parse_definition(Path::new("mini.toml"), MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            procedure.initial_state().map(|s| s.id.as_str()),
            Some("open")
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = MINIMAL.replace("pii = true", "pii = true\ncolour = \"red\"");
        let refused = error(&text);
        assert_eq!(refused.line, line_containing(&text, "colour"), "{refused}");
        assert!(refused.reason.contains("colour"), "{refused}");
    }

    #[test]
    fn a_timer_without_an_article_is_refused() {
        let text = MINIMAL.replace("article = \"示例法第二条\"", "article = \"\"");
        let refused = error(&text);
        assert!(
            refused.reason.contains("timer \"reply\" cites no article"),
            "{refused}"
        );
        assert_eq!(refused.line, line_containing(&text, "article = \"\""));
    }

    #[test]
    fn an_undefined_role_state_field_or_guard_is_refused_on_its_line() {
        let cases = [
            (
                MINIMAL.replace(
                    "roles = [\"justice_staff\"]\narticle",
                    "roles = [\"janitor\"]\narticle",
                ),
                "undefined role \"janitor\"",
                "janitor",
            ),
            (
                MINIMAL.replace("to = \"closed\"", "to = \"limbo\""),
                "undefined state \"limbo\"",
                "limbo",
            ),
            (
                MINIMAL.replace(
                    "roles = [\"justice_staff\"]\narticle",
                    "roles = [\"justice_staff\"]\nrequired = [\"colour\"]\narticle",
                ),
                "undefined field \"colour\"",
                "colour",
            ),
            (
                MINIMAL.replace(
                    "roles = [\"justice_staff\"]\narticle",
                    "roles = [\"justice_staff\"]\nguards = [\"vibes\"]\narticle",
                ),
                "unknown guard \"vibes\"",
                "vibes",
            ),
        ];
        for (text, reason, marker) in cases {
            let refused = error(&text);
            assert!(refused.reason.contains(reason), "{refused}");
            assert_eq!(refused.line, line_containing(&text, marker), "{refused}");
        }
    }

    #[test]
    fn dead_ends_and_unreachable_states_are_refused() {
        let dead_end = MINIMAL.replace("terminal = true", "terminal = false");
        assert!(error(&dead_end).reason.contains("dead end"));
        let island =
            format!("{MINIMAL}\n[[states]]\nid = \"island\"\nlabel = \"孤岛\"\nterminal = true\n");
        let refused = error(&island);
        assert!(refused.reason.contains("cannot be reached"), "{refused}");
        assert_eq!(refused.line, line_containing(&island, "island"));
    }

    #[test]
    fn publishing_personal_data_unredacted_is_refused() {
        let text = format!(
            "{MINIMAL}\n[publicity]\nafter = \"close\"\nfields = [\"applicant\"]\nperiod = 7\nunit = \"workdays\"\narticle = \"示例规定\"\n"
        );
        assert!(error(&text).reason.contains("unredacted"));
    }

    #[test]
    fn malformed_toml_is_refused_with_its_line() {
        let refused = error("id = \"x\"\nname = \n");
        assert_eq!(refused.line, 2, "{refused}");
    }
}
