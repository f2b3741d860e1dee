//! `fazhi init`, `serve` and `demo` as a user runs them: exit codes, one-line errors, and nothing
//! half-created on failure.

use std::process::{Command, Output};

fn fazhi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fazhi"));
    command
        .args(args)
        .env_remove("FAZHI_DB")
        .env_remove("FAZHI_ADDR")
        .env_remove("FAZHI_ADMIN_PASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run fazhi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    for sub in [
        "init",
        "serve",
        "demo",
        "calendar",
        "ledger",
        "read",
        "token",
        "indicators",
        "report",
    ] {
        let output = fazhi(&[sub, "--help"], &[]);
        assert!(output.status.success(), "{sub} --help");
        assert!(text(&output.stdout).contains("Usage"), "{sub}");
    }
}

#[test]
fn init_twice_is_safe_and_prints_a_generated_password_once() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/f.db", dir.path().display());
    let first = fazhi(&["init", "--db", &url], &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("管理员初始密码"),
        "{}",
        text(&first.stdout)
    );
    let second = fazhi(&["init", "--db", &url], &[]);
    assert!(second.status.success());
    assert!(text(&second.stdout).contains("管理员账号已存在"));
    assert!(!text(&second.stdout).contains("管理员初始密码"));
}

#[test]
fn init_takes_the_password_from_the_environment_and_checks_its_length() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/f.db", dir.path().display());
    let short = fazhi(
        &["init", "--db", &url],
        &[("FAZHI_ADMIN_PASSWORD", "short")],
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(text(&short.stderr).starts_with("错误："));
    let ok = fazhi(
        &["init", "--db", &url],
        &[("FAZHI_ADMIN_PASSWORD", "a-long-enough-password")],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("FAZHI_ADMIN_PASSWORD"));
}

#[test]
fn bad_database_urls_give_one_clear_line() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = format!("sqlite://{}/missing.db", dir.path().display());
    let cases: [(&str, &str); 3] = [
        ("mysql://localhost/x", "不支持的数据库地址"),
        (missing.as_str(), "不存在"),
        ("postgres://nobody@127.0.0.1:1/none", "无法连接数据库"),
    ];
    for (url, expected) in cases {
        let output = fazhi(&["serve", "--db", url, "--addr", "127.0.0.1:0"], &[]);
        assert_eq!(output.status.code(), Some(1), "{url}");
        let stderr = text(&output.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.contains(expected), "{url}: {stderr}");
    }
    assert!(
        !dir.path().join("missing.db").exists(),
        "serve never creates a database"
    );
}

#[test]
fn an_occupied_port_fails_before_the_demo_writes_anything() {
    let dir = tempfile::tempdir().expect("dir");
    let holder = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = holder.local_addr().expect("addr").to_string();
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let output = fazhi(&["demo", "--db", &url, "--addr", &addr], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("端口可能已被占用"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.path().join("demo.db").exists(), "nothing half-created");
}

#[test]
fn the_demo_refuses_a_real_database() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/real.db", dir.path().display());
    let init = fazhi(
        &[
            "init",
            "--db",
            &url,
            "--jurisdiction",
            "某某县",
            "--code",
            "420102",
        ],
        &[("FAZHI_ADMIN_PASSWORD", "a-long-enough-password")],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let demo = fazhi(&["demo", "--db", &url, "--no-serve"], &[]);
    assert_eq!(demo.status.code(), Some(1));
    assert!(
        text(&demo.stderr).contains("演示程序不会写入"),
        "{}",
        text(&demo.stderr)
    );
}

#[test]
fn the_demo_prints_one_login_per_role_and_reuses_its_database() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let first = fazhi(
        &[
            "demo",
            "--db",
            &url,
            "--no-serve",
            "--scale",
            "0.01",
            "--seed",
            "3",
            "--year",
            "2025",
        ],
        &[],
    );
    assert!(first.status.success(), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    for role in [
        "系统管理员",
        "司法局工作人员",
        "部门法制人员",
        "执法人员",
        "领导",
    ] {
        assert!(stdout.contains(role), "{role} missing from:\n{stdout}");
    }
    // The city and its three districts, each place's log signed and the districts' witnessed.
    for place in ["示范市", "滨河区", "临江区", "云岭县"] {
        assert!(stdout.contains(place), "{place} missing from:\n{stdout}");
    }
    assert!(
        stdout.contains("4 个辖区的日志已签名，3 个由上级见证"),
        "{stdout}"
    );
    let second = fazhi(&["demo", "--db", &url, "--no-serve"], &[]);
    assert!(
        text(&second.stdout).contains("沿用已有的演示数据库（种子 3，年度 2025）"),
        "{}",
        text(&second.stdout)
    );
}

#[test]
fn a_bad_procedure_definition_stops_start_up_with_file_and_line() {
    let dir = tempfile::tempdir().expect("dir");
    let definitions = dir.path().join("procedures");
    std::fs::create_dir(&definitions).expect("mkdir");
    let shipped =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../procedures/disclosure.toml");
    let broken = std::fs::read_to_string(shipped).expect("read").replacen(
        "article = \"政府信息公开条例第三十条\"",
        "article = \"\"",
        1,
    );
    std::fs::write(definitions.join("disclosure.toml"), broken).expect("write");
    let url = format!("sqlite://{}/f.db", dir.path().display());
    let init = fazhi(
        &["init", "--db", &url],
        &[("FAZHI_ADMIN_PASSWORD", "a-long-enough-password")],
    );
    assert!(init.status.success());
    let output = fazhi(
        &[
            "serve",
            "--db",
            &url,
            "--addr",
            "127.0.0.1:0",
            "--procedures",
            definitions.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("disclosure.toml:"), "{stderr}");
    assert!(stderr.contains("cites no article"), "{stderr}");
}

#[test]
fn every_problem_of_a_defective_definition_is_listed_at_start_up() {
    let dir = tempfile::tempdir().expect("dir");
    let definitions = dir.path().join("procedures");
    std::fs::create_dir(&definitions).expect("mkdir");
    let shipped =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../procedures/penalty.toml");
    // Three defects in different places: a guard naming a step that does not exist, a period in
    // an unknown unit, and a transition to an undefined state.
    let broken = std::fs::read_to_string(shipped)
        .expect("read")
        .replacen("step = \"notify_rights\"", "step = \"notify_the_moon\"", 1)
        .replacen("unit = \"workdays\"", "unit = \"fortnights\"", 1)
        .replacen("to = \"closed\"", "to = \"limbo\"", 1);
    std::fs::write(definitions.join("penalty.toml"), broken).expect("write");
    let url = format!("sqlite://{}/f.db", dir.path().display());
    let init = fazhi(
        &["init", "--db", &url],
        &[("FAZHI_ADMIN_PASSWORD", "a-long-enough-password")],
    );
    assert!(init.status.success());
    let output = fazhi(
        &[
            "serve",
            "--db",
            &url,
            "--addr",
            "127.0.0.1:0",
            "--procedures",
            definitions.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    for reason in [
        "undefined action \"notify_the_moon\"",
        "unknown unit \"fortnights\"",
        "undefined state \"limbo\"",
    ] {
        assert!(stderr.contains(reason), "{reason}: {stderr}");
    }
    assert!(stderr.matches("penalty.toml:").count() >= 3, "{stderr}");
}
