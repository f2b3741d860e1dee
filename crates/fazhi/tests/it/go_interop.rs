//! The served log as Go's reference implementation sees it (`interop/go/logcheck`, built on
//! `golang.org/x/mod/sumdb/note` and `.../tlog` only): the checkpoint opens with the log's key,
//! the C2SP tiles authenticate against its root, inclusion and consistency proofs computed by
//! `tlog` match the ones `/log/proof/...` serves, and the log extends a checkpoint saved before
//! it grew. A checkpoint cosigned by a `fazhi_ledger::Witness` opens in Go with the witness's key
//! and its `cosignature/v1` line verifies; a rollback, a missing witness and a changed
//! cosignature fail.
//!
//! A served database with a root and two jurisdictions below it: Go checks every jurisdiction's
//! log under `/j/<code>/log` with that log's key, and on each subordinate log the witness
//! signature of the government above (a plain Ed25519 note signature `sumdb/note` checks with the
//! witness's verifier key, and its `cosignature/v1` line). A subordinate log written again with
//! other events is refused by the witness across a restart: nothing cosigned, the refusal stored.
//!
//! Runs only with `FAZHI_TEST_GO=1` (CI sets it and installs `golang-go` and
//! `golang-golang-x-mod-dev`); with it set, a missing `go` is a failure, not a skip.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use fazhi_ledger::{Checkpoint, ConsistencyProof, Signer, Verifier, Witness, WitnessedLog};

/// Where Debian's `golang-golang-x-mod-dev` puts `golang.org/x/mod` (GOPATH mode).
const GOPATH: &str = "/usr/share/gocode";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn go(args: &[&str]) -> Output {
    Command::new("go")
        .args(args)
        .current_dir(repo_root())
        .env("GOPATH", GOPATH)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env(
            "GOCACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-build"),
        )
        .output()
        .expect("run go")
}

fn fazhi(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .env_remove("FAZHI_LOG_KEY")
        .output()
        .expect("run fazhi");
    assert!(
        output.status.success(),
        "fazhi {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The server, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A plain HTTP/1.0 GET (no chunking): the status code and the body.
fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// Whether the Go checks run (`FAZHI_TEST_GO=1`); then `go` must run.
fn go_enabled() -> bool {
    if std::env::var("FAZHI_TEST_GO").as_deref() != Ok("1") {
        eprintln!("go_interop: set FAZHI_TEST_GO=1 to check the log with Go's tlog and note");
        return false;
    }
    let version = Command::new("go").arg("version").output();
    assert!(
        version.as_ref().is_ok_and(|o| o.status.success()),
        "FAZHI_TEST_GO=1 but `go` does not run ({version:?}): \
         apt-get install golang-go golang-golang-x-mod-dev"
    );
    true
}

/// A free port on the loopback address.
fn free_addr() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    format!("127.0.0.1:{port}")
}

/// `fazhi serve` on `url` at `addr`, once it answers `/healthz`.
fn serve(url: &str, addr: &str, log: &Path) -> Server {
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .args(["serve", "--db", url, "--addr", addr])
            .env_remove("FAZHI_LOG_KEY")
            .env_remove("FAZHI_KEY_DIR")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("log file"))
            .spawn()
            .expect("serve"),
    );
    let started = Instant::now();
    while get(addr, "/healthz").is_none_or(|(status, _)| status != 200) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not answer /healthz: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// Waits (30 s at most) until `path` answers 200 with a body that satisfies `ready`.
fn wait_for(addr: &str, path: &str, ready: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        if let Some((200, body)) = get(addr, path)
            && ready(&body)
        {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{path} did not become ready: {:?}",
            get(addr, path)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Builds the checker into `dir` once it is gofmt-clean and vets, from the stdlib and Debian's
/// x/mod alone.
fn build_checker(dir: &Path) -> PathBuf {
    let unformatted = Command::new("gofmt")
        .args(["-l", "interop/go"])
        .current_dir(repo_root())
        .output()
        .expect("gofmt");
    assert!(
        unformatted.status.success() && unformatted.stdout.is_empty(),
        "gofmt -l interop/go: {}{}",
        text(&unformatted.stdout),
        text(&unformatted.stderr)
    );
    let checker = dir.join("logcheck");
    for args in [
        vec!["vet", "./interop/go/logcheck"],
        vec![
            "build",
            "-o",
            checker.to_str().expect("utf-8"),
            "./interop/go/logcheck",
        ],
    ] {
        let output = go(&args);
        assert!(
            output.status.success(),
            "go {args:?}: {}",
            text(&output.stderr)
        );
    }
    checker
}

#[test]
fn go_reference_tools_verify_the_served_log_and_a_witness_cosignature() {
    if !go_enabled() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let checker = build_checker(dir.path());

    // A small demo; its checkpoint is saved, then the log grows (past a tile boundary) and a new
    // checkpoint is signed before the server starts.
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    fazhi(&["demo", "--db", &url, "--no-serve", "--scale", "0.002"]);
    let key = text(&fazhi(&["ledger", "key", "--db", &url]).stdout)
        .trim()
        .to_owned();
    let log_key = Verifier::from_key_string(&key).expect("log key");
    let previous = text(&fazhi(&["ledger", "checkpoint", "--db", &url]).stdout);
    let previous_file = dir.path().join("previous.txt");
    std::fs::write(&previous_file, &previous).expect("write");
    let old = Checkpoint::open(&previous, &log_key).expect("previous checkpoint");
    fazhi(&[
        "ledger",
        "bench",
        "--db",
        &url,
        "--events",
        "300",
        "--batch",
        "100",
        "--ledger-only",
    ]);
    let current = text(&fazhi(&["ledger", "checkpoint", "--db", &url]).stdout);
    let new = Checkpoint::open(&current, &log_key).expect("current checkpoint");
    assert_eq!(new.size, old.size + 300);

    let addr = free_addr();
    let _server = serve(&url, &addr, &dir.path().join("serve.log"));
    let (status, served) = get(&addr, "/log/checkpoint").expect("checkpoint");
    assert_eq!((status, served.as_str()), (200, current.as_str()));

    let base = format!("http://{addr}/log");
    let logcheck = |args: &[&str]| -> Output {
        Command::new(&checker)
            .args(["-log", &base, "-key", &key])
            .args(args)
            .output()
            .expect("run logcheck")
    };
    let previous_path = previous_file.to_str().expect("utf-8");
    let checked = logcheck(&["-previous", previous_path]);
    assert!(
        checked.status.success(),
        "logcheck: {}{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
    let summary = text(&checked.stdout);
    assert!(summary.starts_with("logcheck: OK "), "{summary}");
    assert!(
        summary.contains(&format!("size={} ", new.size))
            && summary.contains(&format!("{}(previous)", old.size))
            && summary.contains("inclusion=16"),
        "{summary}"
    );

    // A witness cosigns the saved checkpoint (trust on first use), then the current one with the
    // log's consistency proof; Go opens the result with the witness's key too.
    let witness_signer = Signer::from_seed("fazhi-witness/999900", [5; 32]).expect("witness");
    let mut witness = Witness::new(witness_signer);
    witness
        .add_log(WitnessedLog {
            verifier: log_key.clone(),
            cosigned: None,
        })
        .expect("add log");
    let origin = log_key.name().to_owned();
    let (_, state) = witness
        .cosign(&origin, &previous, &[], 1_767_225_600)
        .expect("first cosignature");
    witness.add_log(state).expect("state");
    let (status, proof) = get(
        &addr,
        &format!("/log/proof/consistency?old={}&new={}", old.size, new.size),
    )
    .expect("consistency proof");
    assert_eq!(status, 200, "{proof}");
    let proof = ConsistencyProof::decode(&proof).expect("proof");
    let (cosigned, _) = witness
        .cosign(&origin, &current, &proof.hashes, 1_767_225_660)
        .expect("cosigned");
    let cosigned_file = dir.path().join("cosigned.txt");
    std::fs::write(&cosigned_file, &cosigned).expect("write");
    let witness_key = witness.verifier().to_key_string();
    let cosigner_key = witness.cosignature_verifier().to_key_string();
    let cosigned_path = cosigned_file.to_str().expect("utf-8");
    let checked = logcheck(&[
        "-checkpoint",
        cosigned_path,
        "-witness",
        &witness_key,
        "-cosigner",
        &cosigner_key,
        "-previous",
        previous_path,
    ]);
    assert!(
        checked.status.success(),
        "logcheck with the witness: {}{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
    let summary = text(&checked.stdout);
    assert!(
        summary.contains("signatures=2")
            && summary.contains("cosignatures=fazhi-witness/999900@2026-01-01T00:01:00Z"),
        "{summary}"
    );
    // The witness's note key works as a cosigner key too (same name and public key).
    assert!(
        logcheck(&["-checkpoint", cosigned_path, "-cosigner", &witness_key])
            .status
            .success()
    );

    // What Go must refuse: a witness that did not sign, a changed cosignature, a rollback.
    let stranger = Signer::from_seed("fazhi-witness/999901", [6; 32]).expect("stranger");
    let current_file = dir.path().join("current.txt");
    std::fs::write(&current_file, &current).expect("write");
    let line = cosigned.lines().last().expect("cosignature line");
    let (_, blob) = line.rsplit_once(' ').expect("blob");
    // A character inside the Ed25519 signature (after the key id and the timestamp).
    let mut changed_blob = blob.to_owned().into_bytes();
    changed_blob[40] = if changed_blob[40] == b'A' { b'B' } else { b'A' };
    let changed_blob = String::from_utf8(changed_blob).expect("base64");
    let changed_file = dir.path().join("changed.txt");
    std::fs::write(&changed_file, cosigned.replace(blob, &changed_blob)).expect("write");
    for (args, reason) in [
        (
            vec![
                "-checkpoint".to_owned(),
                current_file.display().to_string(),
                "-witness".to_owned(),
                witness_key.clone(),
            ],
            "no signature by fazhi-witness/999900",
        ),
        (
            vec![
                "-checkpoint".to_owned(),
                cosigned_path.to_owned(),
                "-witness".to_owned(),
                stranger.verifier().to_key_string(),
            ],
            "no signature by fazhi-witness/999901",
        ),
        (
            vec![
                "-checkpoint".to_owned(),
                changed_file.display().to_string(),
                "-cosigner".to_owned(),
                cosigner_key.clone(),
            ],
            "the cosignature by fazhi-witness/999900 does not verify",
        ),
        (
            vec![
                "-checkpoint".to_owned(),
                previous_path.to_owned(),
                "-previous".to_owned(),
                current_file.display().to_string(),
            ],
            "rollback",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let refused = logcheck(&args);
        let stderr = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("logcheck: FAILED: ") && stderr.contains(reason),
            "{args:?}: {stderr}"
        );
    }
}

/// Appends `count` events to the log of the jurisdiction of `code`, through the library (the
/// server is stopped meanwhile).
async fn append(store: &fazhi_app::store::Store, code: &str, label: &str, count: usize) {
    use fazhi_app::store::events::{self, NewEvent};
    let id = store
        .jurisdiction_by_code(code)
        .await
        .expect("read")
        .expect("jurisdiction")
        .id;
    let events: Vec<NewEvent<'_>> = (0..count)
        .map(|n| NewEvent {
            kind: "test.local",
            subject: format!("{label}:{n}"),
            actor_user_id: None,
            at: "2026-03-02T01:00:00Z".to_owned(),
            body: serde_json::json!({"n": n, "label": label}),
        })
        .collect();
    let mut tx = store.begin().await.expect("begin");
    events::append_many(&mut tx, id, &events)
        .await
        .expect("append");
    tx.commit().await.expect("commit");
}

#[test]
fn go_reference_tools_verify_every_jurisdictions_log_and_the_witness_above() {
    use fazhi_app::domain::JurisdictionInput;
    use fazhi_app::store::{OpenMode, ROOT_JURISDICTION, Store};
    if !go_enabled() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let checker = build_checker(dir.path());
    let url = format!("sqlite://{}/hubei.db", dir.path().display());
    let init = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(["init", "--db", &url, "--jurisdiction", "湖北省"])
        .args(["--level", "province", "--code", "420000"])
        .env("FAZHI_ADMIN_PASSWORD", "go-interop-password")
        .env_remove("FAZHI_LOG_KEY")
        .env_remove("FAZHI_KEY_DIR")
        .output()
        .expect("init");
    assert!(init.status.success(), "{}", text(&init.stderr));

    // Two cities below the province, each with its own events (武汉市's past a full tile).
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let huangshi_id = runtime.block_on(async {
        let store = Store::open(&url, OpenMode::MustExist).await.expect("open");
        let mut ids = Vec::new();
        for (name, code) in [("武汉市", "420100"), ("黄石市", "420200")] {
            let input = JurisdictionInput::parse(name, "city", code).expect("valid");
            ids.push(
                store
                    .create_jurisdiction(None, "2026-03-02T01:00:00Z", ROOT_JURISDICTION, &input)
                    .await
                    .expect("child"),
            );
        }
        append(&store, "420100", "wuhan", 300).await;
        append(&store, "420200", "huangshi", 40).await;
        store.close().await;
        ids[1]
    });

    let addr = free_addr();
    let server_log = dir.path().join("serve.log");
    let server = serve(&url, &addr, &server_log);
    for code in ["420100", "420200"] {
        wait_for(&addr, &format!("/j/{code}/log/checkpoint"), |note| {
            note.contains("fazhi-witness/420000")
        });
    }
    let key = |extra: &[&str]| {
        let mut args = vec!["ledger", "key", "--db", &url];
        args.extend_from_slice(extra);
        text(&fazhi(&args).stdout).trim().to_owned()
    };
    let witness_key = key(&["--witness"]);
    assert!(
        witness_key.starts_with("fazhi-witness/420000+"),
        "{witness_key}"
    );
    let logcheck = |base: &str, log_key: &str, extra: &[&str]| -> Output {
        Command::new(&checker)
            .args(["-log", &format!("http://{addr}{base}"), "-key", log_key])
            .args(extra)
            .output()
            .expect("run logcheck")
    };
    let root_key = key(&[]);
    assert!(root_key.starts_with("fazhi-log/420000+"), "{root_key}");
    for (base, log_key, witnessed) in [
        ("/log".to_owned(), root_key.clone(), false),
        ("/j/420000/log".to_owned(), root_key.clone(), false),
        (
            "/j/420100/log".to_owned(),
            key(&["--jurisdiction", "420100"]),
            true,
        ),
        (
            "/j/420200/log".to_owned(),
            key(&["--jurisdiction", "420200"]),
            true,
        ),
    ] {
        let extra: Vec<&str> = if witnessed {
            vec!["-witness", &witness_key, "-cosigner", &witness_key]
        } else {
            Vec::new()
        };
        let checked = logcheck(&base, &log_key, &extra);
        let summary = text(&checked.stdout);
        assert!(
            checked.status.success() && summary.starts_with("logcheck: OK "),
            "{base}: {summary}{}",
            text(&checked.stderr)
        );
        let origin = log_key.split('+').next().expect("name");
        assert!(summary.contains(&format!("origin={origin} ")), "{summary}");
        if witnessed {
            assert!(
                summary.contains("signatures=2")
                    && summary.contains("cosignatures=fazhi-witness/420000@"),
                "{summary}"
            );
        }
    }
    // The province's own log has no government above it: no witness signature.
    let refused = logcheck("/log", &root_key, &["-witness", &witness_key]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    drop(server);

    // 黄石市's log is written again with other events while the server is down; after the
    // restart the witness (its state kept in the database) refuses the new checkpoint.
    let huangshi_key = key(&["--jurisdiction", "420200"]);
    runtime.block_on(async {
        let store = Store::open(&url, OpenMode::MustExist).await.expect("open");
        for sql in [
            format!("DELETE FROM ledger_hashes WHERE jurisdiction_id = {huangshi_id}"),
            format!("DELETE FROM ledger_leaves WHERE jurisdiction_id = {huangshi_id}"),
            format!("DELETE FROM ledger_checkpoints WHERE jurisdiction_id = {huangshi_id}"),
            format!("UPDATE ledger_logs SET size = 0 WHERE jurisdiction_id = {huangshi_id}"),
        ] {
            store.execute_raw(&sql).await.expect("sabotage");
        }
        append(&store, "420200", "huangshi-rewritten", 60).await;
        store.close().await;
    });
    let restart_log = dir.path().join("restart.log");
    let server = serve(&url, &addr, &restart_log);
    let page = wait_for(&addr, "/j/420200/log", |page| page.contains("拒绝副署"));
    assert!(page.contains("规模为 60 的检查点"), "{page}");
    let (_, note) = get(&addr, "/j/420200/log/checkpoint").expect("checkpoint");
    assert!(!note.contains("fazhi-witness"), "nothing cosigned: {note}");
    // Go sees a log that is consistent in itself, signed by its key, but not by the witness.
    let alone = logcheck("/j/420200/log", &huangshi_key, &[]);
    assert!(alone.status.success(), "{}", text(&alone.stderr));
    let witnessed = logcheck("/j/420200/log", &huangshi_key, &["-witness", &witness_key]);
    assert_eq!(witnessed.status.code(), Some(1));
    assert!(
        text(&witnessed.stderr).contains("no signature by fazhi-witness/420000"),
        "{}",
        text(&witnessed.stderr)
    );
    drop(server);
    let logged = std::fs::read_to_string(&restart_log).unwrap_or_default();
    assert!(
        logged.contains("the witness refused the checkpoint"),
        "{logged}"
    );
    let refusals = runtime.block_on(async {
        let store = Store::open(&url, OpenMode::MustExist).await.expect("open");
        let refusals = store.witness_refusals(huangshi_id).await.expect("refusals");
        let state = store
            .witness_state(huangshi_id, ROOT_JURISDICTION)
            .await
            .expect("state")
            .expect("cosigned before");
        store.close().await;
        assert_eq!(
            state.tree_size, 40,
            "the witness still trusts the first history"
        );
        refusals
    });
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(
        (refusals[0].tree_size, refusals[0].kind.as_str()),
        (60, "inconsistent")
    );
}
