//! Crash safety of the ledger's bulk write path (`events::append_many`) on both databases: a
//! `fazhi ledger bench` appending batches is killed with SIGKILL at random moments, several times
//! on the same database; after each kill `fazhi ledger verify` passes and every event whose
//! batch was acknowledged (its id printed after the commit) is there with its leaf. PostgreSQL
//! runs when `FAZHI_TEST_PG_URL` is set, and fails if that URL is unusable.

use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use fazhi_app::store::{OpenMode, Store};

/// A fresh random number (std's hasher keys are random per instance).
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// The database under test: a temporary SQLite file, or a PostgreSQL schema of its own
/// (dropped at the end).
struct Db {
    url: String,
    key: PathBuf,
    _dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

impl Db {
    fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("dir");
        Db {
            url: format!("sqlite://{}/crash.db", dir.path().display()),
            key: dir.path().join("log.key"),
            _dir: dir,
            schema: None,
        }
    }

    fn postgres(base: &str) -> Db {
        let dir = tempfile::tempdir().expect("dir");
        let schema = format!("crash_{}_{}", std::process::id(), random() % 1_000_000);
        block_on(async {
            let admin = Store::open(base, OpenMode::MustExist)
                .await
                .unwrap_or_else(|e| panic!("FAZHI_TEST_PG_URL is set but unusable: {e}"));
            admin
                .execute_raw(&format!("CREATE SCHEMA {schema}"))
                .await
                .expect("create schema");
            admin.close().await;
        });
        let separator = if base.contains('?') { '&' } else { '?' };
        Db {
            url: format!("{base}{separator}options[search_path]={schema}"),
            key: dir.path().join("log.key"),
            _dir: dir,
            schema: Some((base.to_owned(), schema)),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.schema {
            block_on(async {
                if let Ok(admin) = Store::open(base, OpenMode::MustExist).await {
                    let _ = admin
                        .execute_raw(&format!("DROP SCHEMA {schema} CASCADE"))
                        .await;
                    admin.close().await;
                }
            });
        }
    }
}

/// What the database holds of the events up to `last_ack`: how many, how many with their leaf,
/// and whether `last_ack` itself has its leaf.
fn committed_up_to(db: &Db, last_ack: i64) -> (i64, i64, bool) {
    block_on(async {
        let store = Store::open(&db.url, OpenMode::MustExist)
            .await
            .expect("open");
        let events = store
            .count_raw(&format!(
                "SELECT COUNT(*) FROM events WHERE kind = 'bench.event' AND id <= {last_ack}"
            ))
            .await
            .expect("events");
        let with_leaf = store
            .count_raw(&format!(
                "SELECT COUNT(*) FROM events e JOIN ledger_leaves l ON l.event_id = e.id \
                 WHERE e.kind = 'bench.event' AND e.id <= {last_ack}"
            ))
            .await
            .expect("leaves");
        let last_has_leaf = store
            .leaf_of_event(fazhi_app::store::ROOT_JURISDICTION, last_ack)
            .await
            .expect("leaf")
            .is_some();
        store.close().await;
        (events, with_leaf, last_has_leaf)
    })
}

fn kill_and_check(db: &Db) {
    let fazhi = env!("CARGO_BIN_EXE_fazhi");
    let mut acknowledged_events = 0i64;
    let mut last_ack = 0i64;
    for round in 0..4 {
        let batch = [1u64, 13, 250, 1000][(random() % 4) as usize];
        let acks_before_kill = 1 + random() % 4;
        let delay = Duration::from_millis(random() % 60);
        let what = format!(
            "round {round}: batch {batch}, killed {delay:?} after {acks_before_kill} acknowledgements"
        );
        let mut child = Command::new(fazhi)
            .args(["ledger", "bench", "--db", &db.url, "--events", "100000000"])
            .args(["--batch", &batch.to_string(), "--print-acks"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut acks = Vec::new();
        while (acks.len() as u64) < acks_before_kill {
            match lines.next() {
                Some(Ok(line)) => acks.push(line),
                _ => break,
            }
        }
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        // Whatever it printed before dying was acknowledged too.
        acks.extend(lines.map_while(Result::ok));
        let mut stderr = String::new();
        let _ = child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr);
        assert!(
            acks.len() as u64 >= acks_before_kill,
            "{what}: the bench stopped by itself: {stderr}"
        );
        for ack in &acks {
            let id: i64 = ack
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{what}: {ack:?} is not an event id"));
            assert!(id > last_ack, "{what}: acknowledgements go up");
            last_ack = id;
        }
        // Every batch the bench acknowledged was whole (it is killed long before its end).
        acknowledged_events += acks.len() as i64 * batch as i64;

        let verify = Command::new(fazhi)
            .args(["ledger", "verify", "--db", &db.url, "--json", "--log-key"])
            .arg(&db.key)
            .output()
            .expect("verify");
        let report: serde_json::Value = serde_json::from_slice(&verify.stdout)
            .unwrap_or_else(|_| panic!("{what}: {}", String::from_utf8_lossy(&verify.stderr)));
        assert_eq!(report["ok"], true, "{what}: {report}");
        let (events, with_leaf, last_has_leaf) = committed_up_to(db, last_ack);
        assert!(
            events >= acknowledged_events,
            "{what}: {acknowledged_events} events acknowledged, {events} found up to {last_ack}"
        );
        assert_eq!(events, with_leaf, "{what}: an event without its leaf");
        assert!(
            last_has_leaf,
            "{what}: the last acknowledged event {last_ack} has no leaf"
        );
    }
}

#[test]
fn a_bulk_append_killed_at_random_on_sqlite_loses_no_acknowledged_event() {
    kill_and_check(&Db::sqlite());
}

#[test]
fn a_bulk_append_killed_at_random_on_postgres_loses_no_acknowledged_event() {
    match std::env::var("FAZHI_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(base) => kill_and_check(&Db::postgres(&base)),
        None => eprintln!("FAZHI_TEST_PG_URL not set: PostgreSQL run skipped"),
    }
}
