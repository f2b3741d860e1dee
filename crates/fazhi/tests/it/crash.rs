//! Crash safety: kill -9 a process in the middle of a bulk append, at varying moments; on restart
//! `ledger verify` passes and every append acknowledged before the kill is present.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_killed_bulk_append_leaves_a_log_that_verifies_with_every_acknowledged_event() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/crash.db", dir.path().display());
    let fazhi = env!("CARGO_BIN_EXE_fazhi");
    let demo = Command::new(fazhi)
        .args(["demo", "--db", &url, "--no-serve", "--scale", "0"])
        .output()
        .expect("demo");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );

    // Kill after a different number of acknowledgements each round (deterministic, varied).
    for (round, acks_before_kill) in [1usize, 3, 7].into_iter().enumerate() {
        let mut child = Command::new(fazhi)
            .args([
                "ledger",
                "bench",
                "--db",
                &url,
                "--events",
                "200000",
                "--batch",
                "50",
                "--print-acks",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut last_ack = 0i64;
        let started = Instant::now();
        for _ in 0..acks_before_kill {
            match lines.next() {
                Some(Ok(line)) => last_ack = line.trim().parse().expect("an event id"),
                _ => break,
            }
        }
        // Let it run into the next transaction before the kill lands.
        std::thread::sleep(Duration::from_millis(5 + 7 * round as u64));
        child.kill().expect("kill -9");
        let _ = child.wait();
        assert!(
            last_ack > 0,
            "round {round}: no acknowledgement within {:?}",
            started.elapsed()
        );

        let verify = Command::new(fazhi)
            .args(["ledger", "verify", "--db", &url, "--json"])
            .output()
            .expect("verify");
        let report: serde_json::Value = serde_json::from_slice(&verify.stdout).expect("json");
        assert_eq!(report["ok"], true, "round {round}: {report}");
        let proof = Command::new(fazhi)
            .args([
                "ledger",
                "prove",
                "--db",
                &url,
                "--event",
                &last_ack.to_string(),
            ])
            .output()
            .expect("prove");
        assert!(
            proof.status.success(),
            "round {round}: acknowledged event {last_ack} is missing: {}",
            String::from_utf8_lossy(&proof.stderr)
        );
    }
}
