#!/usr/bin/env bash
# Steps per second through the engine, before and after procedures became data (issue: engine
# guards and timers as data). Runs `cargo bench -p fazhi-procedure --bench engine` (the engine
# now) and the same case through the engine as it was at commit fb910c2 (rebuilt here from git
# into a scratch crate, never committed), each with its bookkeeping-only reference, in one run.
# Prints both medians and the ratio now/before, then (when valgrind is installed) the
# instructions per step of each under callgrind, which unlike the medians do not depend on what
# else the machine is doing. Needs git history and the crates.io cache.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${BEFORE:-fb910c2}
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/procedures" "$WORK/crates/old/src/engine" "$WORK/crates/old/src/procedure" "$WORK/crates/old/benches"
for f in penalty reconsideration litigation disclosure; do
    git show "$BEFORE:procedures/$f.toml" > "$WORK/procedures/$f.toml"
done
for f in mod fields timers; do git show "$BEFORE:crates/app/src/engine/$f.rs" > "$WORK/crates/old/src/engine/$f.rs"; done
for f in mod load; do git show "$BEFORE:crates/app/src/procedure/$f.rs" > "$WORK/crates/old/src/procedure/$f.rs"; done
# The old engine's tests are not part of the measurement.
sed -i 's/^#\[cfg(test)\]$//; s/^mod tests;$//' "$WORK/crates/old/src/engine/mod.rs"
cat > "$WORK/crates/old/src/lib.rs" <<'RS'
#![allow(missing_docs, dead_code, missing_debug_implementations)]
pub mod domain { pub use fazhi_procedure::Role; }
pub mod authz { pub use fazhi_procedure::Subject; }
pub mod engine;
pub mod procedure;
RS
cat > "$WORK/crates/old/Cargo.toml" <<TOML
[package]
name = "engine-before"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
fazhi-procedure = { path = "$ROOT/crates/procedure" }
serde = { version = "1", features = ["derive"] }
thiserror = "2"
time = { version = "0.3", features = ["formatting", "parsing", "macros", "serde"] }
toml = "1"
[dev-dependencies]
divan = "0.1"
fazhi-calendar = { path = "$ROOT/crates/calendar" }
[[bench]]
name = "engine"
harness = false
[workspace]
TOML
cp "$ROOT/Cargo.lock" "$WORK/crates/old/Cargo.lock"
cat > "$WORK/crates/old/benches/engine.rs" <<'RS'
//! The same ordinary 行政处罚 case through the engine of commit fb910c2: check, then replay
//! the periods, per step.
use std::collections::BTreeMap;
use engine_before::engine::{Case, Certificate, Command, Due, FieldValue, GuardFacts, PeriodCalculator, Step, check, open_timers};
use engine_before::procedure::{PeriodUnit, Procedure, load_embedded};
use fazhi_calendar::{Calendar, Period, Unit};
use fazhi_procedure::{Role, Subject};
use time::Date;
use time::macros::date;
fn main() { divan::main(); }
#[derive(Debug)]
struct Official(&'static Calendar);
impl PeriodCalculator for Official {
    fn due(&self, start: Date, n: u32, unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due> {
        let unit = match unit { PeriodUnit::Days => Unit::Days, PeriodUnit::Workdays => Unit::Workdays, PeriodUnit::Months => Unit::Months };
        let period = Period { n, unit, extension: 0, excluded: paused.to_vec() };
        self.0.due_date(start, &period).ok().map(|(date, provisional)| Due { date, provisional })
    }
    fn workdays_between(&self, from: Date, to: Date) -> i64 { self.0.workdays_between(from, to).unwrap_or(0) }
}
const OFFICER: Subject = Subject { user_id: 10, role: Role::Officer, department_id: Some(7) };
const LEGAL: Subject = Subject { user_id: 11, role: Role::DepartmentLegal, department_id: Some(7) };
fn steps() -> Vec<(Subject, &'static str, Date, Vec<(&'static str, &'static str)>)> {
    vec![
        (OFFICER, "file_case", date!(2025 - 03 - 04), vec![("party", "某某餐饮有限公司"), ("party_kind", "法人"), ("case_cause", "未按规定公示食品经营许可证"), ("filing_date", "2025-03-04"), ("department", "7")]),
        (OFFICER, "record_investigation", date!(2025 - 03 - 06), vec![("investigators", "101,102")]),
        (OFFICER, "notify_rights", date!(2025 - 03 - 10), vec![("proposed_penalty", "警告"), ("notice_date", "2025-03-10")]),
        (OFFICER, "record_statement", date!(2025 - 03 - 11), vec![("statement", "当事人无异议")]),
        (LEGAL, "decide_penalty", date!(2025 - 03 - 14), vec![("decision_date", "2025-03-14"), ("decision_number", "滨市监罚〔2025〕1号"), ("penalty_type", "警告"), ("legal_basis", "《食品安全法》第一百四十五条")]),
        (OFFICER, "serve_decision", date!(2025 - 03 - 17), vec![("service_date", "2025-03-17")]),
        (OFFICER, "record_execution", date!(2025 - 03 - 18), vec![("execution_note", "已履行")]),
    ]
}
fn penalty() -> Procedure { load_embedded().unwrap_or_default().into_iter().find(|p| p.id == "penalty").expect("penalty") }
#[divan::bench]
fn engine_steps(bencher: divan::Bencher) {
    let procedure = penalty();
    let cert = |id| Certificate { person_id: id, number: String::new(), valid_from: date!(2020 - 01 - 01), valid_until: date!(2030 - 12 - 31), revoked: false };
    let facts = GuardFacts { certificates: vec![cert(101), cert(102)] };
    let calendar = Official(Calendar::official().expect("calendar"));
    let steps = steps();
    bencher.counter(divan::counter::ItemsCount::new(steps.len())).bench(|| {
        let on = date!(2025 - 03 - 03);
        let fields: BTreeMap<String, FieldValue> = BTreeMap::from([("case_cause".to_owned(), FieldValue::Text("未按规定公示食品经营许可证".to_owned())), ("discovered_date".to_owned(), FieldValue::Date(on))]);
        let mut case = Case { state: "registered".into(), version: 1, department_id: 7, opened_by: 10, assigned: vec![10], opened_on: on, fields: fields.clone(), history: vec![Step { action: "open".into(), on, state_after: "registered".into(), fields }] };
        for (actor, action, on, pairs) in &steps {
            let command = Command { actor: *actor, action: (*action).to_owned(), on: *on, fields: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(), expected_version: case.version };
            let accepted = check(&procedure, &case, &command, &facts).unwrap_or_else(|e| panic!("{action}: {e:?}"));
            case.state = accepted.to.clone();
            case.version += 1;
            case.fields.extend(accepted.fields.clone());
            case.history.push(Step { action: command.action, on: *on, state_after: accepted.to, fields: accepted.fields });
            divan::black_box(open_timers(&procedure, &case, &calendar));
        }
        steps.len()
    });
}
RS

echo "== engine now (fazhi-procedure)"
cargo bench -q -p fazhi-procedure --bench engine 2>&1 | tee "$WORK/now.txt"
echo "== engine at $BEFORE"
CARGO_TARGET_DIR="$ROOT/target" cargo bench -q --manifest-path "$WORK/crates/old/Cargo.toml" --bench engine 2>&1 | tee "$WORK/before.txt"
# The line after a benchmark's name holds its throughput: fastest │ slowest │ median │ mean.
median() { grep -A1 -- "$2 " "$1" | tail -1 | sed 's/^[[:space:]]*│//' | awk -F'│' '{print $3}' | awk '{print $1, $2}'; }
echo "steps/s now, corrected definition (median):      $(median "$WORK/now.txt" engine_steps)"
echo "steps/s now, definition as of $BEFORE (median):  $(median "$WORK/now.txt" engine_steps_2025_definition)"
echo "steps/s at $BEFORE, its definition (median):     $(median "$WORK/before.txt" engine_steps)"

command -v valgrind >/dev/null || { echo "valgrind not installed: no instruction counts"; exit 0; }
# Instructions per step: each case benchmark runs once under callgrind with a small and a large
# sample size; the difference over the extra iterations leaves out start-up and divan's own
# calibration. Every iteration is one whole case of seven steps (both step lists). The heap is
# not in quite the same state from run to run (divan calibrates its timer for a time, not a
# number of rounds), which moves malloc's and free's paths and a figure by a few dozen
# instructions per step: each figure is the median of RUNS differences.
SMALL=${SMALL:-100}
LARGE=${LARGE:-1100}
RUNS=${RUNS:-3}
STEPS=7
executable() { cargo bench -q "$@" --bench engine --no-run --message-format=json 2>/dev/null | grep -o '"executable":"[^"]*"' | tail -1 | cut -d'"' -f4; }
NOW_BIN=$(executable -p fazhi-procedure)
BEFORE_BIN=$(CARGO_TARGET_DIR="$ROOT/target" executable --manifest-path "$WORK/crates/old/Cargo.toml")
instructions() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" --bench --exact "engine::$2" --sample-count 1 --sample-size "$3" 2>&1 | awk '/Collected/ {print $NF}'; }
per_step() {
    for _ in $(seq "$RUNS"); do
        echo $(( ($(instructions "$1" "$2" "$LARGE") - $(instructions "$1" "$2" "$SMALL")) / ((LARGE - SMALL) * STEPS) ))
    done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
NOW_2025=$(per_step "$NOW_BIN" engine_steps_2025_definition)
NOW=$(per_step "$NOW_BIN" engine_steps)
BEFORE_I=$(per_step "$BEFORE_BIN" engine_steps)
echo "instructions/step now, corrected definition:      $NOW"
echo "instructions/step now, definition as of $BEFORE:  $NOW_2025 ($(awk "BEGIN {printf \"%.2f\", $NOW_2025 / $BEFORE_I}")× before)"
echo "instructions/step at $BEFORE, its definition:     $BEFORE_I"
