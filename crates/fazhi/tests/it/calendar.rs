//! `fazhi calendar` as a user runs it: due dates with their explanation, day kinds, working-day
//! counts, JSON, and bad input (exit code 2, nothing on stdout, one line on stderr).

use std::process::{Command, Output};

fn calendar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("calendar")
        .args(args)
        .output()
        .expect("run fazhi")
}

fn stdout(args: &[&str]) -> String {
    let output = calendar(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

fn json(args: &[&str]) -> serde_json::Value {
    let text = stdout(args);
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "one JSON object: {text}"
    );
    serde_json::from_str(&text).expect("json")
}

#[test]
fn add_prints_the_due_date_as_json() {
    // 国庆+中秋 2025 10-01..08 off; 10-09, 10, 11 (worked Saturday), 13, 14.
    let answer = json(&["add", "--from", "2025-09-30", "--workdays", "5", "--json"]);
    assert_eq!(answer["due"], "2025-10-14");
    assert_eq!(answer["provisional"], false);
    assert_eq!(
        (answer["unit"].as_str(), answer["n"].as_u64()),
        (Some("workdays"), Some(5))
    );
    assert!(
        answer["calendar"]
            .as_str()
            .unwrap()
            .starts_with("2015-2026/")
    );
    // Raw end 02-17 is the last day of 春节 2024; Sunday 02-18 is worked.
    let moved = json(&["add", "--from", "2024-02-07", "--days", "10", "--json"]);
    assert_eq!(moved["due"], "2024-02-18");
    let last = moved["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            last["step"].as_str(),
            last["from"].as_str(),
            last["holiday"].as_str()
        ),
        (Some("moved_off"), Some("2024-02-17"), Some("春节"))
    );
    let months = json(&["add", "--from", "2024-01-31", "--months", "1", "--json"]);
    assert_eq!(months["due"], "2024-02-29");
    let provisional = json(&["add", "--from", "2026-12-20", "--workdays", "20", "--json"]);
    assert_eq!(provisional["provisional"], true);
}

#[test]
fn add_counts_extensions_and_suspensions() {
    // 行政复议法 Art. 62: 60 + 30 days from 2025-07-01; the extension runs from the raw original
    // end 08-30: 09-29.
    let extended = json(&[
        "add",
        "--from",
        "2025-07-01",
        "--days",
        "60",
        "--extend",
        "30",
        "--json",
    ]);
    assert_eq!(
        (extended["due"].as_str(), extended["extension"].as_u64()),
        (Some("2025-09-29"), Some(30))
    );
    // Suspended 03-10, resumed 03-20: 6 days before, 54 from 03-20: 05-12.
    let suspended = json(&[
        "add",
        "--from",
        "2025-03-03",
        "--days",
        "60",
        "--suspend",
        "2025-03-10..2025-03-20",
        "--json",
    ]);
    assert_eq!(suspended["due"], "2025-05-12");
    assert_eq!(suspended["steps"][1]["skipped"], 10);
}

#[test]
fn add_explains_itself_in_chinese() {
    let text = stdout(&["add", "--from", "2024-02-07", "--days", "10"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "2024-02-07 起 10日，期间届满日：2024-02-18（星期日，调休上班）"
    );
    assert!(lines[1].contains("起算日 2024-02-07 不计入"), "{text}");
    assert!(
        lines
            .last()
            .unwrap()
            .contains("2024-02-17 为法定节假日：春节，期间顺延"),
        "{text}"
    );
    let provisional = stdout(&["add", "--from", "2026-12-20", "--workdays", "20"]);
    assert!(provisional.contains("暂定"), "{provisional}");
}

#[test]
fn info_and_between_explain_days() {
    let day = json(&["info", "2026-02-14", "--json"]);
    assert_eq!(
        (
            day["kind"].as_str(),
            day["working_day"].as_bool(),
            day["holiday"].as_str()
        ),
        (Some("adjusted_workday"), Some(true), Some("春节"))
    );
    assert_eq!(day["notice"]["year"], 2026);
    let holiday = json(&["info", "2025-10-01", "--json"]);
    assert_eq!(holiday["holiday"], "国庆节、中秋节");
    assert_eq!(holiday["notice"]["number"], "国办发明电〔2024〕12号");
    assert_eq!(
        stdout(&["info", "2025-10-14"]).trim_end(),
        "2025-10-14（星期二）  工作日"
    );
    assert!(stdout(&["info", "2025-10-12"]).contains("周末"));
    let provisional = json(&["info", "2027-01-01", "--json"]);
    assert_eq!(
        (
            provisional["holiday"].as_str(),
            provisional["provisional"].as_bool()
        ),
        (Some("元旦"), Some(true))
    );
    assert_eq!(
        json(&["between", "2025-09-30", "2025-10-14", "--json"])["workdays"],
        5
    );
    assert!(stdout(&["between", "2025-09-30", "2025-10-14"]).contains("共 5 个工作日"));
}

#[test]
fn bad_input_exits_2_with_one_line_and_nothing_on_stdout() {
    let cases: [&[&str]; 11] = [
        &["add", "--from", "2025-02-30", "--days", "3"],
        &["add", "--from", "2025-02-03", "--days", "-3"],
        &["add", "--from", "2025-02-03", "--workdays", "-1", "--json"],
        &["add", "--from", "2014-12-31", "--workdays", "3"],
        &["add", "--from", "2099-12-01", "--days", "90"],
        &["add", "--from", "2025-02-03"],
        &[
            "add",
            "--from",
            "2025-02-03",
            "--days",
            "3",
            "--months",
            "1",
        ],
        &[
            "add",
            "--from",
            "2025-03-03",
            "--days",
            "3",
            "--suspend",
            "2025-03-10..2025-03-01",
        ],
        &["info", "not-a-date"],
        &["info", "2014-12-31", "--json"],
        &["between", "2025-01-01", "2025-13-01"],
    ];
    for args in cases {
        let output = calendar(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            output.stdout.is_empty(),
            "{args:?}: stdout {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("错误："), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
    let negative = calendar(&["add", "--from", "2025-02-03", "--days", "-3"]);
    assert_eq!(
        String::from_utf8_lossy(&negative.stderr).trim_end(),
        "错误：期间长度不能为负数：-3"
    );
    let before = calendar(&["info", "2014-12-31"]);
    assert!(String::from_utf8_lossy(&before.stderr).contains("2015"));
}

#[test]
fn usage_errors_exit_2_with_nothing_on_stdout() {
    for args in [
        &["add", "--days", "3"][..],
        &["add", "--from", "2025-01-01", "--days", "x"],
        &["frobnicate"],
    ] {
        let output = calendar(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn every_subcommand_and_flag_has_help() {
    let help = stdout(&["add", "--help"]);
    for flag in [
        "--from",
        "--days",
        "--workdays",
        "--months",
        "--extend",
        "--suspend",
        "--json",
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{flag}: {help}"));
        assert!(
            line.split_whitespace().count() > 2,
            "{flag} has no help text: {line}"
        );
    }
    let top = stdout(&["--help"]);
    for sub in ["add", "info", "between"] {
        assert!(
            top.lines()
                .any(|l| l.trim_start().starts_with(sub) && l.split_whitespace().count() > 1),
            "{sub}: {top}"
        );
    }
}
