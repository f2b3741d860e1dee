//! `fazhi ledger` as an auditor uses it: verify the whole log, prove one event, check the proof
//! offline with nothing but the checkpoint and the public key; a changed proof fails.

use std::process::{Command, Output};

fn fazhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .env_remove("FAZHI_LOG_KEY")
        .output()
        .expect("run fazhi")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn an_event_proof_checks_offline_and_a_changed_one_does_not() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let demo = fazhi(&["demo", "--db", &url, "--no-serve", "--scale", "0.002"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );

    let verified = fazhi(&["ledger", "verify", "--db", &url, "--json"]);
    assert!(verified.status.success(), "{}", stdout(&verified));
    let report: serde_json::Value = serde_json::from_str(&stdout(&verified)).expect("json");
    assert_eq!(report["ok"], true);

    let checkpoint = fazhi(&["ledger", "checkpoint", "--db", &url]);
    let checkpoint_file = dir.path().join("checkpoint.txt");
    std::fs::write(&checkpoint_file, stdout(&checkpoint)).expect("write");
    let key = stdout(&fazhi(&["ledger", "key", "--db", &url]))
        .trim()
        .to_owned();
    // The demo's root is its city (示范市, 999900); the first event is the city's.
    assert!(key.starts_with("fazhi-log/999900+"), "{key}");

    let proof = fazhi(&["ledger", "prove", "--db", &url, "--event", "1"]);
    assert!(
        proof.status.success(),
        "{}",
        String::from_utf8_lossy(&proof.stderr)
    );
    let proof_file = dir.path().join("proof.json");
    std::fs::write(&proof_file, stdout(&proof)).expect("write");
    let args = |file: &std::path::Path| -> Vec<String> {
        vec![
            "ledger".into(),
            "verify-proof".into(),
            "--proof".into(),
            file.display().to_string(),
            "--checkpoint".into(),
            checkpoint_file.display().to_string(),
            "--key".into(),
            key.clone(),
        ]
    };
    let ok = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args(&proof_file))
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(stdout(&ok).contains("核验通过"));

    // The party changes one character of the event's content: the proof no longer holds.
    let changed = stdout(&proof).replacen("\\\"kind\\\":\\\"", "\\\"kind\\\":\\\"x", 1);
    assert_ne!(changed, stdout(&proof));
    let changed_file = dir.path().join("changed.json");
    std::fs::write(&changed_file, changed).expect("write");
    let refused = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args(&changed_file))
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("包含证明未通过"));

    // A malformed key or checkpoint is named, never a panic.
    let bad_key = fazhi(&[
        "ledger",
        "verify-proof",
        "--proof",
        proof_file.to_str().expect("utf-8"),
        "--checkpoint",
        checkpoint_file.to_str().expect("utf-8"),
        "--key",
        "nonsense",
    ]);
    assert_eq!(bad_key.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_key.stderr).contains("公钥无效"));
}
