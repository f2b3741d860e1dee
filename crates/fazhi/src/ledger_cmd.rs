//! `fazhi ledger`: the tamper-evident log from the command line — print the latest checkpoint,
//! verify the whole log against the events, prove one event, check a proof offline, print the
//! public key.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use fazhi_app::clock::{Clock, SystemClock, to_db_time};
use fazhi_app::store::{OpenMode, Store};
use fazhi_ledger::{
    Checkpoint, Hash, InclusionProof, Verifier, check_record, leaf_hash, open_note,
    record_commitment,
};

use crate::server::{DbArg, jurisdiction_or_root, log_signer, run};

/// Ledger subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LedgerCommand {
    /// Print the latest signed checkpoint (signing a new one first if the log has grown), with
    /// the witness's signatures when the jurisdiction above cosigned it.
    Checkpoint {
        #[command(flatten)]
        db: DbArg,
        /// The jurisdiction's division code (default: the root's log).
        #[arg(long)]
        jurisdiction: Option<String>,
    },
    /// Recompute every leaf from the stored events and salts, rebuild the tree, and check every
    /// stored checkpoint; report the first divergence. Exit 0 only if all holds.
    Verify {
        #[command(flatten)]
        db: DbArg,
        /// The jurisdiction's division code (default: the root's log).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print an event's canonical bytes, salt, leaf index and inclusion proof against the latest
    /// checkpoint, as JSON (contains the event's content: hand it only to those entitled).
    Prove {
        #[command(flatten)]
        db: DbArg,
        /// The event's id.
        #[arg(long)]
        event: i64,
    },
    /// Check a proof printed by `prove` against a checkpoint and the log's public key, offline.
    VerifyProof {
        /// The proof file (JSON from `fazhi ledger prove`).
        #[arg(long)]
        proof: PathBuf,
        /// The signed checkpoint file (from /log/checkpoint or `fazhi ledger checkpoint`).
        #[arg(long)]
        checkpoint: PathBuf,
        /// The log's public key (note verifier key string, from `fazhi ledger key`).
        #[arg(long)]
        key: String,
    },
    /// Measure appends: write synthetic events (only on a demo or empty database) and report
    /// events per second, against the same rows (events, leaves, hashes) written as plain
    /// multi-row inserts into scratch tables with no tree, in alternate transactions of the same
    /// run, and against SHA-256 alone.
    Bench {
        #[command(flatten)]
        db: DbArg,
        /// Events to append.
        #[arg(long, default_value_t = 20_000)]
        events: u64,
        /// Events per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: u64,
        /// Print the id of the last event after each commit (acknowledgements, for the crash test).
        #[arg(long)]
        print_acks: bool,
        /// Only append through the ledger (skip the reference measurements).
        #[arg(long)]
        ledger_only: bool,
    },
    /// Print the log's public key (note verifier key string).
    Key {
        #[command(flatten)]
        db: DbArg,
        /// The jurisdiction's division code (default: the root's log).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Print the jurisdiction's witness key instead (it cosigns the logs below it).
        #[arg(long)]
        witness: bool,
    },
}

/// Runs a ledger subcommand.
pub fn run_ledger(command: LedgerCommand) -> ExitCode {
    match command {
        LedgerCommand::Checkpoint { db, jurisdiction } => run(async move {
            let store = Store::open_and_migrate(&db.url, OpenMode::MustExist).await?;
            let jurisdiction = jurisdiction_or_root(&store, jurisdiction.as_deref()).await?;
            let signer = log_signer(&db.keys(), &jurisdiction)?;
            store
                .sign_checkpoint(jurisdiction.id, &signer, &to_db_time(SystemClock.now()))
                .await?;
            let checkpoint = store
                .published_checkpoint(jurisdiction.id)
                .await?
                .ok_or_else(|| anyhow!("日志为空，尚无检查点"))?;
            print!("{}", checkpoint.note);
            Ok(())
        }),
        LedgerCommand::Verify {
            db,
            jurisdiction,
            json,
        } => {
            let mut holds = false;
            let code = run(async {
                let store = Store::open(&db.url, OpenMode::MustExist).await?;
                let jurisdiction = jurisdiction_or_root(&store, jurisdiction.as_deref()).await?;
                let signer = log_signer(&db.keys(), &jurisdiction)?;
                let started = std::time::Instant::now();
                let report = store
                    .verify_ledger(jurisdiction.id, &signer.verifier())
                    .await?;
                let seconds = started.elapsed().as_secs_f64();
                holds = report.divergence.is_none();
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"ok": holds, "report": report, "seconds": seconds})
                    );
                } else if let Some(divergence) = &report.divergence {
                    println!(
                        "日志核验未通过：{}（事件 {}，叶子 {}）。已核验 {} 条记录、{} 个检查点。",
                        divergence.what,
                        divergence
                            .event_id
                            .map_or_else(|| "—".to_owned(), |id| id.to_string()),
                        divergence
                            .leaf_index
                            .map_or_else(|| "—".to_owned(), |i| i.to_string()),
                        report.leaves,
                        report.checkpoints
                    );
                } else {
                    println!(
                        "日志核验通过：{} 条记录逐一重算一致，{} 个检查点签名有效且互相一致；用时 {:.2} 秒（{:.1} MB）。",
                        report.leaves,
                        report.checkpoints,
                        seconds,
                        report.bytes as f64 / 1e6
                    );
                }
                Ok(())
            });
            if code == ExitCode::SUCCESS && !holds {
                ExitCode::FAILURE
            } else {
                code
            }
        }
        LedgerCommand::Prove { db, event } => run(async move {
            let store = Store::open(&db.url, OpenMode::MustExist).await?;
            let missing = || anyhow!("事件 {event} 不存在或尚未写入日志");
            let jurisdiction_id = store
                .event_jurisdiction(event)
                .await
                .map_err(|_| missing())?;
            let jurisdiction = store.jurisdiction_by_id(jurisdiction_id).await?;
            let signer = log_signer(&db.keys(), &jurisdiction)?;
            store
                .sign_checkpoint(jurisdiction_id, &signer, &to_db_time(SystemClock.now()))
                .await?;
            let proof = store
                .prove_event(jurisdiction_id, event)
                .await
                .map_err(|_| missing())?;
            println!("{}", serde_json::to_string_pretty(&proof)?);
            Ok(())
        }),
        LedgerCommand::VerifyProof {
            proof,
            checkpoint,
            key,
        } => match verify_proof(&proof, &checkpoint, &key) {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("错误：{message}");
                ExitCode::FAILURE
            }
        },
        LedgerCommand::Bench {
            db,
            events,
            batch,
            print_acks,
            ledger_only,
        } => run(async move {
            use fazhi_app::store::ledger::BenchMode;
            use std::io::Write;
            let store = Store::open_and_migrate(&db.url, OpenMode::CreateIfMissing).await?;
            if store.jurisdiction().await?.is_some_and(|j| !j.is_demo) {
                return Err(anyhow!(
                    "该数据库保存的是正式辖区数据，不写入测试事件；请使用演示数据库或空数据库"
                ));
            }
            let at = to_db_time(SystemClock.now());
            let batch = batch.max(1);
            let reference = !(print_acks || ledger_only);
            if reference {
                store.bench_prepare().await?;
            }
            // Ledger and reference batches alternate, so both see the same database: its size,
            // its cache, its WAL or checkpoints.
            let mut ledger_time = std::time::Duration::ZERO;
            let mut reference_time = std::time::Duration::ZERO;
            let mut done = 0;
            while done < events {
                let n = batch.min(events - done);
                let started = std::time::Instant::now();
                let last = store.bench_batch(BenchMode::Ledger, done, n, &at).await?;
                ledger_time += started.elapsed();
                if print_acks {
                    println!("{last}");
                    let _ = std::io::stdout().flush();
                }
                if reference {
                    let started = std::time::Instant::now();
                    store
                        .bench_batch(BenchMode::Reference, done, n, &at)
                        .await?;
                    reference_time += started.elapsed();
                }
                done += n;
            }
            if !reference {
                return Ok(());
            }
            store.bench_drop().await?;
            let bodies: Vec<Vec<u8>> = (0..events)
                .map(|i| {
                    fazhi_app::store::ledger::canonical_event_bytes(
                        i as i64,
                        "bench.event",
                        &format!("bench:{i}"),
                        None,
                        &at,
                        r#"{"note":"synthetic event for measurement","sequence":0}"#,
                    )
                })
                .collect();
            let started = std::time::Instant::now();
            let mut folded = 0u8;
            for body in &bodies {
                use sha2::Digest;
                folded ^= sha2::Sha256::digest(body)[0];
            }
            let sha_seconds = started.elapsed().as_secs_f64().max(1e-9);
            let rate = |seconds: f64| events as f64 / seconds.max(1e-9);
            let ledger_seconds = ledger_time.as_secs_f64();
            let reference_seconds = reference_time.as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "backend": format!("{:?}", store.backend()),
                    "events": events, "batch": batch, "checksum": folded,
                    "ledger_events_per_second": rate(ledger_seconds),
                    "reference_events_per_second": rate(reference_seconds),
                    "sha256_only_events_per_second": rate(sha_seconds),
                    "ledger_vs_reference": reference_seconds / ledger_seconds.max(1e-9),
                    "ledger_vs_sha256": sha_seconds / ledger_seconds.max(1e-9),
                })
            );
            Ok(())
        }),
        LedgerCommand::Key {
            db,
            jurisdiction,
            witness,
        } => run(async move {
            let store = Store::open(&db.url, OpenMode::MustExist).await?;
            let jurisdiction = jurisdiction_or_root(&store, jurisdiction.as_deref()).await?;
            let keys = db.keys();
            let signer = if witness {
                keys.witness_signer(&jurisdiction)
                    .map_err(|e| anyhow!("见证密钥不可用：{e}"))?
            } else {
                log_signer(&keys, &jurisdiction)?
            };
            println!("{}", signer.verifier().to_key_string());
            Ok(())
        }),
    }
}

/// The document `prove` prints, as `verify-proof` reads it.
#[derive(Debug, serde::Deserialize)]
struct ProofDocument {
    event_id: i64,
    canonical: String,
    salt: String,
    leaf_index: u64,
    proof: serde_json::Value,
}

fn verify_proof(
    proof_file: &std::path::Path,
    checkpoint_file: &std::path::Path,
    key: &str,
) -> Result<String, String> {
    let verifier = Verifier::from_key_string(key).map_err(|e| format!("公钥无效：{e}"))?;
    let note = std::fs::read_to_string(checkpoint_file)
        .map_err(|e| format!("无法读取检查点文件 {}：{e}", checkpoint_file.display()))?;
    let (body, _) = open_note(&note, &[verifier]).map_err(|e| format!("检查点签名无效：{e}"))?;
    let checkpoint = Checkpoint::parse(&body).map_err(|e| format!("检查点格式错误：{e}"))?;
    let text = std::fs::read_to_string(proof_file)
        .map_err(|e| format!("无法读取证明文件 {}：{e}", proof_file.display()))?;
    let document: ProofDocument =
        serde_json::from_str(&text).map_err(|e| format!("证明文件格式错误：{e}"))?;
    let (inclusion, hashes) = InclusionProof::from_json(&document.proof.to_string())
        .map_err(|e| format!("包含证明格式错误：{e}"))?;
    if inclusion.tree_size != checkpoint.size || inclusion.leaf_index != document.leaf_index {
        return Err(format!(
            "证明针对的日志规模 {} 与检查点规模 {} 不一致",
            inclusion.tree_size, checkpoint.size
        ));
    }
    let salt = Hash::from_hex(&document.salt).map_err(|_| "盐值应为64位十六进制数".to_owned())?;
    let leaf = leaf_hash(&record_commitment(&salt.0, document.canonical.as_bytes()));
    check_record(
        &hashes,
        checkpoint.size,
        checkpoint.root,
        inclusion.leaf_index,
        leaf,
    )
    .map_err(|_| "包含证明未通过：记录原文、盐值或证明与签名的检查点不符".to_owned())?;
    Ok(format!(
        "核验通过：事件 {} 是日志“{}”第 {} 条记录，包含在规模为 {} 的已签名检查点中。",
        document.event_id,
        checkpoint.origin,
        document.leaf_index + 1,
        checkpoint.size
    ))
}
