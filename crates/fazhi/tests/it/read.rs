//! `fazhi read` as a user runs it: a Chinese summary, JSON lines, and a clear line on stderr with
//! exit code 1 for files that are not reports (2 for usage errors).
//!
//! FIXME: until `read_cmd` is wired into `main.rs`, `fazhi read` is an unknown subcommand; each
//! test then asserts exactly that and stops, so wiring it turns the real checks on.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fazhi_read(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("read")
        .args(args)
        .output()
        .expect("run fazhi")
}

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reader/test_data")
        .join(name)
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// False (after asserting the current state) while the subcommand is not wired in.
fn wired() -> bool {
    let help = fazhi_read(&["--help"]);
    if help.status.success() {
        return true;
    }
    assert_eq!(help.status.code(), Some(2));
    assert!(
        text(&help.stderr).contains("unrecognized subcommand"),
        "{}",
        text(&help.stderr)
    );
    false
}

#[test]
fn a_sample_report_prints_a_chinese_summary() {
    if !wired() {
        return;
    }
    let output = fazhi_read(&[&sample("ok/zhaotong-2020.txt")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("报告年度：2020年"), "{stdout}");
    assert!(stdout.contains("✓ 存在的不足和原因"), "{stdout}");
    assert!(stdout.contains("同比变化以本年数为基数"), "{stdout}");
}

#[test]
fn json_prints_one_object_per_report() {
    if !wired() {
        return;
    }
    let output = fazhi_read(&[
        "--json",
        &sample("ok/wuchang-2020.txt"),
        &sample("own/donghu-2022.html"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["schema"], "fazhi-read/1");
    assert_eq!(lines[0]["meta"]["year"], 2020);
    assert_eq!(lines[1]["source"]["format"], "html");
}

#[test]
fn files_that_are_not_reports_exit_1_naming_the_file() {
    if !wired() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").expect("write");
    let missing = dir.path().join("missing.txt");
    for (path, reason) in [
        (&empty, "文件为空"),
        (&pdf, "PDF"),
        (&missing, "文件不存在"),
    ] {
        let output = fazhi_read(&[&path.display().to_string()]);
        assert_eq!(output.status.code(), Some(1), "{path:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with("错误："), "{stderr}");
        assert!(
            stderr.contains(&path.display().to_string()) && stderr.contains(reason),
            "{stderr}"
        );
    }
    // One bad file among good ones: the good one is still printed, the exit code is 1.
    let output = fazhi_read(&[
        "--json",
        &sample("ok/jingzhou-2017.txt"),
        &empty.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), 2);
    assert!(
        stdout
            .lines()
            .nth(1)
            .is_some_and(|line| line.contains("\"empty\"")),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    if !wired() {
        return;
    }
    assert_eq!(fazhi_read(&[]).status.code(), Some(2));
    assert_eq!(
        fazhi_read(&["--format", "pdf", &sample("ok/wuchang-2020.txt")])
            .status
            .code(),
        Some(2)
    );
    let output = fazhi_read(&[
        "--previous",
        "/nonexistent/previous.txt",
        &sample("ok/wuchang-2020.txt"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("错误："));
}
