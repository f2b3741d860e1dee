//! The batched write path stores exactly what the case service stores for the same scripts:
//! the same scripts written both ways into two databases holding the same demo give the same
//! cases, steps, tallies, timers, assignees, counters and event bodies, row by row, and every
//! jurisdiction's log verifies; a refused script writes nothing of its batch.

use std::collections::BTreeMap;

use fazhi_app::bulk::{self, BulkError, CaseScript, story};
use fazhi_app::cases::{self, CaseError};
use fazhi_app::deadlines::OfficialCalendar;
use fazhi_app::engine::{Command, Refusal};
use fazhi_app::log_key::origin_for;
use fazhi_app::procedure::Procedure;
use fazhi_app::store::Store;
use fazhi_ledger::Signer;

use crate::db_test;
use crate::support::{TestDb, test_now};

/// Every row of `table` as text, in `order`: `columns` joined, NULL shown as ∅.
async fn rows(store: &Store, table: &str, columns: &[&str], order: &str) -> Vec<String> {
    let joined = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '∅')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    // Read in a transaction that is dropped (the store's pool is its own).
    let mut tx = store.begin().await.expect("begin");
    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!(
        "SELECT {joined} FROM {table} ORDER BY {order}"
    )))
    .fetch_all(&mut *tx)
    .await
    .expect("rows")
}

/// The records a case write touches, table by table.
async fn snapshot(store: &Store) -> BTreeMap<&'static str, Vec<String>> {
    let mut tables = BTreeMap::new();
    tables.insert(
        "cases",
        rows(
            store,
            "cases",
            &[
                "id",
                "procedure",
                "number",
                "department_id",
                "title",
                "state",
                "version",
                "opened_by",
                "opened_on",
                "closed_on",
                "outcome",
                "fields",
                "updated_at",
                "jurisdiction_id",
            ],
            "id",
        )
        .await,
    );
    tables.insert(
        "case_steps",
        rows(
            store,
            "case_steps",
            &[
                "id",
                "case_id",
                "seq",
                "action",
                "on_date",
                "state_after",
                "actor_user_id",
                "fields",
                "event_id",
                "at",
                "deemed_by",
                "jurisdiction_id",
            ],
            "case_id, seq",
        )
        .await,
    );
    tables.insert(
        "step_tallies",
        rows(
            store,
            "step_tallies",
            &[
                "jurisdiction_id",
                "year",
                "procedure",
                "action",
                "department_id",
                "steps",
                "amount_fen",
            ],
            "jurisdiction_id, year, procedure, action, department_id",
        )
        .await,
    );
    tables.insert(
        "case_timers",
        rows(
            store,
            "case_timers",
            &[
                "case_id",
                "timer_id",
                "label",
                "article",
                "started_on",
                "due_on",
                "provisional",
                "paused",
                "extended",
                "lapse",
                "unit",
            ],
            "case_id, timer_id",
        )
        .await,
    );
    tables.insert(
        "case_assignees",
        rows(
            store,
            "case_assignees",
            &["case_id", "user_id"],
            "case_id, user_id",
        )
        .await,
    );
    tables.insert(
        "number_counters",
        rows(
            store,
            "number_counters",
            &["jurisdiction_id", "scope", "last_number"],
            "jurisdiction_id, scope",
        )
        .await,
    );
    tables.insert(
        "events",
        rows(
            store,
            "events",
            &[
                "id",
                "jurisdiction_id",
                "kind",
                "subject",
                "actor_user_id",
                "at",
                "body",
            ],
            "id",
        )
        .await,
    );
    tables.insert(
        "ledger_logs",
        rows(
            store,
            "ledger_logs",
            &["jurisdiction_id", "size"],
            "jurisdiction_id",
        )
        .await,
    );
    tables
}

/// The same scripts for each jurisdiction of the demo, in the order they are written.
async fn scripts_of(store: &Store, calendar: &OfficialCalendar) -> Vec<(i64, Vec<CaseScript>)> {
    let today = fazhi_app::clock::china_date(test_now());
    let mut all = Vec::new();
    for jurisdiction in store.jurisdictions().await.expect("jurisdictions") {
        let roster = story::roster(
            store,
            jurisdiction.id,
            time::macros::date!(2025 - 01 - 01),
            time::macros::date!(2026 - 06 - 30),
        )
        .await
        .expect("roster");
        let scripts: Vec<CaseScript> = (0..120)
            .filter_map(|i| story::script(&roster, calendar, 42, i, 2025..=2025, today))
            .collect();
        all.push((jurisdiction.id, scripts));
    }
    all
}

async fn write_one_by_one(
    store: &Store,
    procedures: &[Procedure],
    calendar: &OfficialCalendar,
    script: &CaseScript,
) {
    let procedure = procedures
        .iter()
        .find(|p| p.id == script.procedure)
        .expect("procedure");
    let (case_id, _) = cases::open_case(
        store,
        procedure,
        calendar,
        &script.actor,
        script.department_id,
        &script.fields,
        script.on,
        test_now(),
    )
    .await
    .unwrap_or_else(|e| panic!("opening {}: {e:?}", script.procedure));
    for step in &script.steps {
        let version = store.engine_case(case_id).await.expect("case").version;
        let command = Command {
            actor: step.actor,
            action: step.action.clone(),
            on: step.on,
            fields: step.fields.clone(),
            expected_version: version,
        };
        cases::act(store, procedure, calendar, case_id, &command, test_now())
            .await
            .unwrap_or_else(|e| panic!("{} {}: {e:?}", script.procedure, step.action));
    }
}

db_test!(
    a_batch_stores_what_the_case_service_stores_for_the_same_scripts,
    with_demo,
    |db| {
        let other = TestDb::with_demo(db.engine).await.expect("second database");
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let calendar = OfficialCalendar::load().expect("calendar");
        let scripts = scripts_of(&db.store, &calendar).await;
        assert_eq!(
            scripts_of(&other.store, &calendar)
                .await
                .iter()
                .map(|(j, s)| (*j, s.len()))
                .collect::<Vec<_>>(),
            scripts
                .iter()
                .map(|(j, s)| (*j, s.len()))
                .collect::<Vec<_>>(),
            "both databases hold the same demo"
        );
        let n_scripts: usize = scripts.iter().map(|(_, s)| s.len()).sum();
        assert!(n_scripts > 300, "{n_scripts}");
        let mut procedures_seen = std::collections::BTreeSet::new();
        let mut n_steps = 0;
        for (jurisdiction_id, batch) in &scripts {
            // Batches of uneven sizes, so that counters and logs carry over between them.
            for chunk in batch.chunks(37) {
                let written = bulk::write_batch(
                    &db.store,
                    &procedures,
                    &calendar,
                    *jurisdiction_id,
                    chunk,
                    test_now(),
                )
                .await
                .unwrap_or_else(|e| panic!("batch: {e}"));
                assert_eq!(written.case_ids.len(), chunk.len());
                n_steps += written.steps;
            }
            for script in batch {
                procedures_seen.insert(script.procedure.clone());
                write_one_by_one(&other.store, &procedures, &calendar, script).await;
            }
        }
        assert_eq!(procedures_seen.len(), 4, "{procedures_seen:?}");
        assert!(n_steps > 4 * n_scripts, "{n_steps} steps");

        let bulk = snapshot(&db.store).await;
        let single = snapshot(&other.store).await;
        for (table, rows) in &single {
            let theirs = bulk.get(table).expect("table");
            assert_eq!(theirs.len(), rows.len(), "{table}: row count");
            for (a, b) in theirs.iter().zip(rows) {
                assert_eq!(a, b, "{table}");
            }
        }
        // Some cases are closed, some still open with periods running, some overdue.
        let cases = bulk.get("cases").expect("cases");
        assert!(cases.iter().any(|r| !r.contains("|∅|∅|")));
        assert!(!bulk.get("case_timers").expect("timers").is_empty());
        // The law's own steps (deemed on replay) are among them.
        let steps = bulk.get("case_steps").expect("steps");
        assert!(
            steps.iter().any(|r| r.contains("remedy_periods_lapsed")),
            "a deemed step"
        );

        for store in [&db.store, &other.store] {
            for jurisdiction in store.jurisdictions().await.expect("jurisdictions") {
                let signer =
                    Signer::from_seed(&origin_for(&jurisdiction.code), [7u8; 32]).expect("signer");
                let report = store
                    .verify_ledger(jurisdiction.id, &signer.verifier())
                    .await
                    .expect("verify runs");
                assert_eq!(report.divergence, None, "{}", jurisdiction.name);
            }
        }
        other.cleanup().await;
    }
);

db_test!(
    a_refused_script_is_reported_and_nothing_of_its_batch_is_written,
    with_demo,
    |db| {
        let store = &db.store;
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let calendar = OfficialCalendar::load().expect("calendar");
        let (jurisdiction_id, mut batch) = scripts_of(store, &calendar)
            .await
            .into_iter()
            .max_by_key(|(_, s)| s.len())
            .expect("scripts");
        batch.truncate(30);
        let before = snapshot(store).await;
        // The 12th case's second step is taken before its opening's state allows: refused by
        // the engine.
        let (index, script) = batch
            .iter_mut()
            .enumerate()
            .skip(11)
            .find(|(_, s)| s.steps.len() >= 3)
            .expect("a case with steps");
        script.steps.swap(0, 2);
        let action = script
            .steps
            .first()
            .map(|s| s.action.clone())
            .expect("step");
        let error = bulk::write_batch(
            store,
            &procedures,
            &calendar,
            jurisdiction_id,
            &batch,
            test_now(),
        )
        .await
        .expect_err("refused");
        match &error {
            BulkError::Refused {
                case,
                step,
                action: refused,
                error: CaseError::Refused(Refusal::NotAllowedInState { .. }),
                ..
            } => {
                assert_eq!(*case, index);
                assert_eq!(*step, Some(0));
                assert_eq!(refused, &action);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            error.to_string().contains(&format!("case {index}")),
            "{error}"
        );
        assert_eq!(snapshot(store).await, before, "nothing written");

        // A step dated after today is refused as the case service refuses it.
        let (mut late_batch, tomorrow) = (
            batch.get(..3).expect("three").to_vec(),
            fazhi_app::clock::china_date(test_now()) + time::Duration::days(1),
        );
        if let Some(last) = late_batch.get_mut(2) {
            last.on = tomorrow;
        }
        let error = bulk::write_batch(
            store,
            &procedures,
            &calendar,
            jurisdiction_id,
            &late_batch,
            test_now(),
        )
        .await
        .expect_err("refused");
        assert!(
            matches!(
                error,
                BulkError::Refused {
                    case: 2,
                    step: None,
                    error: CaseError::StepDate { .. },
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(snapshot(store).await, before, "nothing written");
    }
);
