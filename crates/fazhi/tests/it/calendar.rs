//! `fazhi calendar` as a user runs it: answers, JSON, and bad input (exit code 2, nothing on
//! stdout, one line on stderr).

use std::process::{Command, Output};

fn calendar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .arg("calendar")
        .args(args)
        .output()
        .expect("run fazhi")
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = calendar(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn add_prints_the_due_date_as_json() {
    let answer = json(&["add", "--from", "2025-09-30", "--workdays", "5", "--json"]);
    assert_eq!(answer["due"], "2025-10-14");
    assert_eq!(answer["provisional"], false);
    let moved = json(&["add", "--from", "2024-02-07", "--days", "10", "--json"]);
    assert_eq!(moved["due"], "2024-02-18");
    assert_eq!(moved["steps"][2]["step"], "moved_off");
    let months = json(&["add", "--from", "2024-01-31", "--months", "1", "--json"]);
    assert_eq!(months["due"], "2024-02-29");
    let provisional = json(&["add", "--from", "2026-12-20", "--workdays", "20", "--json"]);
    assert_eq!(provisional["provisional"], true);
}

#[test]
fn info_and_between_explain_days() {
    let day = json(&["info", "2026-02-14", "--json"]);
    assert_eq!(
        (day["kind"].as_str(), day["working_day"].as_bool()),
        (Some("adjusted_workday"), Some(true))
    );
    let holiday = json(&["info", "2025-10-01", "--json"]);
    assert_eq!(holiday["holiday"], "国庆节、中秋节");
    let text = calendar(&["info", "2025-10-12"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("周末"));
    assert_eq!(
        json(&["between", "2025-09-30", "2025-10-14", "--json"])["workdays"],
        5
    );
}

#[test]
fn bad_input_exits_2_with_nothing_on_stdout() {
    let cases: [&[&str]; 6] = [
        &["add", "--from", "2025-02-30", "--days", "3"],
        &["add", "--from", "2025-02-03", "--days", "-3"],
        &["add", "--from", "2014-12-31", "--workdays", "3"],
        &["info", "not-a-date"],
        &["between", "2025-01-01", "2025-13-01"],
        &["add", "--from", "2025-02-03"],
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
}
