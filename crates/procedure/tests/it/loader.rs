//! The loader: every problem of a definition at once, each on its line; references resolved and
//! checked by kind.

use std::path::Path;

use fazhi_procedure::{DefinitionErrors, load_embedded, parse_definition};

const MINIMAL: &str = r#"
id = "mini"
name = "示例"
statute = "示例法"
in_force = "2024-01-01"
opened_by = ["justice_staff"]
number_prefix = "示"
title_field = "subject"
opening_fields = ["subject", "applicant", "received"]

[[fields]]
id = "subject"
label = "事项"
kind = "text"

[[fields]]
id = "applicant"
label = "申请人"
kind = "party"

[[fields]]
id = "received"
label = "收到日期"
kind = "date"

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

fn line_containing(text: &str, marker: &str) -> usize {
    text.lines()
        .position(|line| line.contains(marker))
        .map_or(0, |i| i + 1)
}

fn errors(text: &str) -> DefinitionErrors {
    match parse_definition(Path::new("mini.toml"), text) {
        Ok(_) => panic!("should be refused"),
        Err(errors) => errors,
    }
}

fn with_guard(guard: &str) -> String {
    MINIMAL.replace(
        "roles = [\"justice_staff\"]\narticle = \"示例法第一条\"",
        &format!("roles = [\"justice_staff\"]\narticle = \"示例法第一条\"\n\n[[transitions.guards]]\n{guard}\narticle = \"示例法第三条\"\nrefusal = \"不行。\""),
    )
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
fn a_minimal_definition_loads_with_typed_values() {
    let procedure =
        parse_definition(Path::new("mini.toml"), MINIMAL).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(procedure.initial_state().id.as_str(), "open");
    assert_eq!(procedure.in_force, time::macros::date!(2024 - 01 - 01));
    assert!(
        procedure.field("applicant").is_some_and(|f| f.pii),
        "a party is personal data"
    );
}

#[test]
fn every_problem_is_listed_each_on_its_line() {
    let text = MINIMAL
        .replace("to = \"closed\"", "to = \"limbo\"")
        .replace("unit = \"workdays\"", "unit = \"fortnights\"")
        .replace("in_force = \"2024-01-01\"", "in_force = \"2024-13-01\"")
        .replace(
            "opened_by = [\"justice_staff\"]",
            "opened_by = [\"janitor\"]",
        );
    let found = errors(&text);
    let lines: Vec<(usize, &str)> = found
        .0
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    for (marker, reason) in [
        ("limbo", "undefined state \"limbo\""),
        ("fortnights", "unknown unit \"fortnights\""),
        ("2024-13-01", "in_force is not a date"),
        ("janitor", "undefined role \"janitor\""),
    ] {
        assert!(
            lines
                .iter()
                .any(|(line, r)| *line == line_containing(&text, marker) && r.contains(reason)),
            "{reason} on the line of {marker}: {found}"
        );
    }
    assert!(
        found.to_string().contains("mini.toml:"),
        "file:line: reason"
    );
}

#[test]
fn a_guard_naming_what_does_not_exist_or_has_the_wrong_kind_is_refused() {
    let cases = [
        (
            "kind = \"step_recorded\"\nstep = \"pass_legal_review\"",
            "undefined action \"pass_legal_review\"",
        ),
        (
            "kind = \"period_ended\"\ntimer = \"hearing\"",
            "undefined timer \"hearing\"",
        ),
        (
            "kind = \"date_order\"\nearlier = \"subject\"\nlater = \"step\"",
            "field \"subject\" is a text field, not a date",
        ),
        (
            "kind = \"registry_count\"\nfield = \"applicant\"\nat_least = 2",
            "is a party field, not a person",
        ),
        (
            "kind = \"amount_limit\"\nfield = \"received\"\nby = \"subject\"\nlimits = {}",
            "not a money",
        ),
        ("kind = \"vibes\"", "unknown guard kind \"vibes\""),
        ("kind = \"step_recorded\"", "needs `step`"),
    ];
    for (guard, reason) in cases {
        let found = errors(&with_guard(guard));
        assert!(
            found.0.iter().any(|e| e.reason.contains(reason)),
            "{guard}: {found}"
        );
    }
}

#[test]
fn a_guard_without_its_article_or_refusal_is_refused() {
    let text = MINIMAL.replace(
        "roles = [\"justice_staff\"]\narticle = \"示例法第一条\"",
        "roles = [\"justice_staff\"]\narticle = \"示例法第一条\"\n\n[[transitions.guards]]\nkind = \"at_most_once\"",
    );
    let found = errors(&text);
    assert!(
        found
            .0
            .iter()
            .any(|e| e.reason.contains("cites no article")),
        "{found}"
    );
    assert!(
        found.0.iter().any(|e| e.reason.contains("no refusal text")),
        "{found}"
    );
}

#[test]
fn a_step_with_no_role_must_be_a_deemed_step() {
    let text = MINIMAL.replace("roles = [\"justice_staff\"]", "roles = []");
    assert!(
        errors(&text)
            .0
            .iter()
            .any(|e| e.reason.contains("names no role"))
    );
    let deemed = MINIMAL
        .replace("roles = [\"justice_staff\"]", "roles = []")
        .replace(
            "unit = \"workdays\"",
            "unit = \"workdays\"\nlapse = \"deems\"\ndeemed = \"close\"",
        );
    parse_definition(Path::new("mini.toml"), &deemed).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_unknown_key_is_refused_with_its_line() {
    let text = MINIMAL.replace("kind = \"party\"", "kind = \"party\"\ncolour = \"red\"");
    let found = errors(&text);
    let first = found.first().expect("one");
    assert_eq!(first.line, line_containing(&text, "colour"), "{found}");
    assert!(first.reason.contains("colour"), "{found}");
}

#[test]
fn dead_ends_and_unreachable_states_are_refused() {
    let dead_end = MINIMAL.replace("terminal = true", "terminal = false");
    assert!(
        errors(&dead_end)
            .0
            .iter()
            .any(|e| e.reason.contains("dead end"))
    );
    let island =
        format!("{MINIMAL}\n[[states]]\nid = \"island\"\nlabel = \"孤岛\"\nterminal = true\n");
    let found = errors(&island);
    assert!(
        found
            .0
            .iter()
            .any(|e| e.reason.contains("cannot be reached")
                && e.line == line_containing(&island, "island")),
        "{found}"
    );
}

#[test]
fn publishing_personal_data_unredacted_is_refused() {
    let text = format!(
        "{MINIMAL}\n[publicity]\nafter = \"close\"\nfields = [\"applicant\"]\nperiod = 7\nunit = \"workdays\"\narticle = \"示例规定\"\n"
    );
    assert!(
        errors(&text)
            .0
            .iter()
            .any(|e| e.reason.contains("unredacted"))
    );
}

#[test]
fn malformed_toml_is_refused_with_its_line() {
    let found = errors("id = \"x\"\nname = \n");
    assert_eq!(found.first().map(|e| e.line), Some(2), "{found}");
}

#[test]
fn the_benchmark_definition_loads() {
    let text = include_str!("../../benches/penalty_2025.toml");
    parse_definition(Path::new("penalty_2025.toml"), text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_field_no_step_records_is_refused_with_its_line() {
    let text = MINIMAL.replace(
        r#"opening_fields = ["subject", "applicant", "received"]"#,
        r#"opening_fields = ["subject", "applicant"]"#,
    );
    let found = errors(&text).to_string();
    let line = line_containing(&text, r#"id = "received""#);
    assert!(
        found.contains(&format!(
            "mini.toml:{line}: field \"received\" is recorded by no step and is not an opening field"
        )),
        "{found}"
    );
}

/// The engine names no field, step, state or period of any procedure: everything that decides
/// legality is in the definitions. Every quoted id of the shipped definitions is looked for in the
/// engine's source and in the application's (its demo, which writes example cases, aside).
#[test]
fn no_rust_source_names_a_field_step_state_or_period_of_a_procedure() {
    let procedures = fazhi_procedure::load_embedded().expect("definitions");
    let mut ids: Vec<String> = Vec::new();
    for p in &procedures {
        ids.extend(p.fields.iter().map(|f| f.id.as_str().to_owned()));
        ids.extend(p.transitions.iter().map(|t| t.action.as_str().to_owned()));
        ids.extend(p.states.iter().map(|s| s.id.as_str().to_owned()));
        ids.extend(p.timers.iter().map(|t| t.id.as_str().to_owned()));
    }
    ids.sort();
    ids.dedup();
    // Words of the definition language itself that a procedure also uses as an id: the opening's
    // pseudo-action, field kinds (a field called `department` of kind `department`) and the
    // catalogue's `per = "instance"`.
    let language = [
        fazhi_procedure::model::OPEN,
        "text",
        "party",
        "date",
        "money",
        "number",
        "bool",
        "enum",
        "department",
        "person",
        "document",
        "instance",
    ];
    ids.retain(|id| !language.contains(&id.as_str()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources = Vec::new();
    let mut dirs = vec![root.join("procedure/src"), root.join("app/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "demo") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs")
                // The generator's stories (`bulk/story.rs`), like the demo's, are data: cases
                // told step by step in the definitions' own words.
                && !path.ends_with("bulk/story.rs")
            {
                sources.push(path);
            }
        }
    }
    // The search means something: the ids and the sources it looks at are the real ones.
    assert!(
        ids.iter().any(|id| id == "fine_amount") && ids.iter().any(|id| id == "decide_penalty")
    );
    assert!(
        sources
            .iter()
            .any(|p| p.ends_with("procedure/src/engine.rs"))
    );
    assert!(sources.iter().any(|p| p.ends_with("app/src/cases.rs")));
    let mut found = Vec::new();
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("source");
        // Unit tests beside the code may build examples.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for id in &ids {
            if code.contains(&format!("\"{id}\"")) {
                found.push(format!("{}: \"{id}\"", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "procedure ids named in Rust:\n{}",
        found.join("\n")
    );
}
