//! `fazhi indicators`, `fazhi report build` and `fazhi report lint` as a user runs them, on a
//! small demo database: the JSON document, the department filter, the export formats, the
//! refusal to overwrite, the lint's exit codes, and usage errors with nothing on stdout.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fazhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .env_remove("FAZHI_DB")
        .env_remove("FAZHI_DEMO_DB")
        .env_remove("FAZHI_LOG_KEY")
        .output()
        .expect("run fazhi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One Chinese error line on stderr and nothing on stdout, with exit code `code`.
fn assert_fails(output: &Output, code: i32, expected: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(output.stdout.is_empty(), "stdout: {}", text(&output.stdout));
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("错误："), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
}

/// A demo database of 2025 at a fiftieth of the usual volume (about 200 penalty cases).
fn demo(dir: &Path) -> String {
    let url = format!("sqlite://{}/demo.db", dir.display());
    let output = fazhi(&[
        "demo",
        "--no-serve",
        "--scale",
        "0.02",
        "--year",
        "2025",
        "--db",
        &url,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    url
}

fn sample(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reader/test_data/ok")
        .join(name)
        .display()
        .to_string()
}

/// One database for every check that needs one: the demo takes a few seconds to make.
#[test]
fn indicators_and_report_build_on_the_demo() {
    let dir = tempfile::tempdir().expect("dir");
    let url = demo(dir.path());

    // indicators --json: every catalogue indicator, penalties counted.
    let output = fazhi(&["indicators", "--db", &url, "--year", "2025", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("indicators --json is JSON");
    assert_eq!(document["year"], 2025);
    assert!(document["department"].is_null());
    assert!(document["log_size"].as_u64().is_some_and(|n| n > 0));
    let figures = document["figures"].as_array().expect("figures");
    let procedures = fazhi_app::procedure::load_embedded().expect("procedures");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    assert_eq!(document["catalogue_version"], catalogue.version.as_str());
    let ids: Vec<&str> = figures.iter().filter_map(|f| f["id"].as_str()).collect();
    let expected: Vec<&str> = catalogue.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, expected, "every indicator, in catalogue order");
    let value = |id: &str| -> f64 {
        figures
            .iter()
            .find(|f| f["id"] == id)
            .and_then(|f| f["value"].as_str())
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    };
    for id in [
        "enforcement.penalty_cases",
        "enforcement.penalty_decisions",
        "enforcement.fines",
    ] {
        assert!(value(id) > 0.0, "{id}: {}", value(id));
    }
    for figure in figures {
        for key in [
            "label",
            "unit",
            "area",
            "value",
            "previous",
            "change",
            "records",
            "definition",
        ] {
            assert!(figure.get(key).is_some(), "{key} missing in {figure}");
        }
    }

    // The table: grouped by area, with the header line.
    let output = fazhi(&["indicators", "--db", &url, "--year", "2025"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert!(table.contains("指标体系 fazhi-"), "{table}");
    assert!(table.contains("【健全行政执法工作体系"), "{table}");
    assert!(table.contains("行政处罚立案"), "{table}");

    // --department: one department's values; a bogus id is refused in Chinese.
    let output = fazhi(&[
        "indicators",
        "--db",
        &url,
        "--year",
        "2025",
        "--department",
        "1",
        "--json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["department"]["id"], 1);
    assert!(
        document["department"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let bogus = fazhi(&[
        "indicators",
        "--db",
        &url,
        "--year",
        "2025",
        "--department",
        "999999",
    ]);
    assert_fails(&bogus, 1, "部门编号 999999 不存在");

    // report build: DOCX is a zip package, Markdown has the first part's heading.
    let docx = dir.path().join("report.docx");
    let output = fazhi(&[
        "report",
        "build",
        "--db",
        &url,
        "--year",
        "2025",
        "--format",
        "docx",
        "--out",
        docx.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains(docx.to_str().expect("path")), "{stdout}");
    assert!(stdout.contains("字节"), "{stdout}");
    let bytes = std::fs::read(&docx).expect("docx written");
    assert!(bytes.starts_with(b"PK"), "a zip package");
    assert!(stdout.contains(&bytes.len().to_string()), "{stdout}");

    let markdown = dir.path().join("report.md");
    let build_md = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "build",
            "--db",
            &url,
            "--year",
            "2025",
            "--format",
            "md",
            "--out",
            markdown.to_str().expect("path"),
        ];
        args.extend_from_slice(extra);
        fazhi(&args)
    };
    let output = build_md(&[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&markdown).expect("md written");
    assert!(written.contains("一、主要举措和成效"), "{written}");

    // It refuses to overwrite, unless --force; no temporary file is left behind.
    std::fs::write(&markdown, "kept").expect("overwrite by hand");
    assert_fails(&build_md(&[]), 1, "已存在");
    assert_eq!(std::fs::read_to_string(&markdown).expect("md"), "kept");
    let output = build_md(&["--force"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        std::fs::read_to_string(&markdown)
            .expect("md")
            .contains("一、主要举措和成效")
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("report"))
        .collect();
    names.sort();
    assert_eq!(names, ["report.docx", "report.md"]);

    // A year with no stored version: a draft made now, said so on stderr, nothing stored.
    let html = dir.path().join("2024.html");
    let output = fazhi(&[
        "report",
        "build",
        "--db",
        &url,
        "--year",
        "2024",
        "--format",
        "html",
        "--out",
        html.to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("未保存"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        std::fs::read_to_string(&html)
            .expect("html")
            .contains("2024年度法治政府建设情况")
    );
    let again = fazhi(&[
        "report",
        "build",
        "--db",
        &url,
        "--year",
        "2024",
        "--format",
        "html",
        "--out",
        dir.path().join("v1.html").to_str().expect("path"),
        "--version",
        "1",
    ]);
    assert_fails(&again, 1, "没有第 1 版");
    assert!(!dir.path().join("v1.html").exists());
}

#[test]
fn lint_exits_3_on_the_wrong_base_and_lists_it_in_json() {
    let output = fazhi(&["report", "lint", &sample("zhaotong-2020.txt")]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("[错误] 同比变化以本年数为基数"), "{stdout}");
    assert!(stdout.contains("[警告]"), "{stdout}");

    let output = fazhi(&[
        "report",
        "lint",
        &sample("zhaotong-2020.txt"),
        "--json",
        "--year",
        "2020",
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["report_year"], 2020);
    let findings = document["findings"].as_array().expect("findings");
    let wrong_base = findings
        .iter()
        .find(|f| f["check"] == "yoy_wrong_base")
        .expect("yoy_wrong_base finding");
    assert_eq!(wrong_base["severity"], "error");
    assert!(wrong_base["message"].as_str().is_some_and(|m| m.is_ascii()));
    assert!(
        wrong_base["message_zh"]
            .as_str()
            .is_some_and(|m| m.contains("以上年为基数"))
    );
    assert!(
        wrong_base["quote"]
            .as_str()
            .is_some_and(|q| q.contains("83") && q.contains("92"))
    );
    assert!(document["errors"].as_u64().is_some_and(|n| n >= 1));
}

#[test]
fn lint_of_an_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("missing.txt");
    assert_fails(
        &fazhi(&["report", "lint", missing.to_str().expect("path")]),
        2,
        "文件不存在",
    );
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    assert_fails(
        &fazhi(&["report", "lint", empty.to_str().expect("path")]),
        2,
        "文件为空",
    );
}

#[test]
fn a_bad_year_exits_2_with_one_chinese_line_and_nothing_on_stdout() {
    // No database is needed: the year is checked first.
    let url = "sqlite:///nonexistent/never.db";
    for year in ["99", "1999", "2101", "20x5", "２０２５"] {
        assert_fails(
            &fazhi(&["indicators", "--db", url, "--year", year]),
            2,
            "四位数年份",
        );
        assert_fails(
            &fazhi(&[
                "report",
                "build",
                "--db",
                url,
                "--year",
                year,
                "--format",
                "md",
                "--out",
                "/nonexistent/r.md",
            ]),
            2,
            "四位数年份",
        );
        assert_fails(
            &fazhi(&[
                "report",
                "lint",
                &sample("zhaotong-2020.txt"),
                "--year",
                year,
            ]),
            2,
            "四位数年份",
        );
    }
}

#[test]
fn an_unreachable_database_exits_1_in_the_usual_words() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = format!("sqlite://{}/missing.db", dir.path().display());
    assert_fails(
        &fazhi(&["indicators", "--db", &missing, "--year", "2025"]),
        1,
        "不存在：请先运行 fazhi init",
    );
    assert_fails(
        &fazhi(&[
            "indicators",
            "--db",
            "postgres://nobody@127.0.0.1:1/none",
            "--year",
            "2025",
        ]),
        1,
        "无法连接数据库",
    );
    assert!(!dir.path().join("missing.db").exists(), "nothing created");
}
