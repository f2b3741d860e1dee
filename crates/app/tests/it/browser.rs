//! End-to-end tests in headless Chromium (Debian's `chromium` + `chromium-driver`) against a
//! real server on a loopback port. They run when `FAZHI_TEST_BROWSER=1` (CI sets it); then a
//! missing browser or driver fails the run instead of skipping.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use fazhi_app::clock::FixedClock;
use fazhi_app::web;

use crate::support::{Engine, TestDb, test_now, test_state};

fn enabled() -> bool {
    std::env::var("FAZHI_TEST_BROWSER").is_ok_and(|v| v == "1")
}

/// A chromedriver child process, killed on drop.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("FAZHI_TEST_BROWSER=1 but chromedriver could not be started (apt-get install chromium-driver)");
    // Owned by the guard at once, so every path below kills and waits for it.
    let driver = Driver(child, port);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start listening");
}

async fn browser(driver: &Driver, profile: &std::path::Path, width: u32) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", format!("--window-size={width},900"),
                     format!("--user-data-dir={}", profile.display())]
        }),
    );
    ClientBuilder::rustls()
        .expect("tls roots")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("connect to chromedriver")
}

async fn serve_demo() -> (TestDb, SocketAddr) {
    let (db, addr, _) = serve_demo_with_clock().await;
    (db, addr)
}

/// The demo served with a clock the test moves: a step is recorded on or before today, so a
/// story that runs over weeks moves today along (and signs in again: sessions last hours).
async fn serve_demo_with_clock() -> (TestDb, SocketAddr, Arc<FixedClock>) {
    let db = TestDb::with_demo(Engine::Sqlite).await.expect("sqlite");
    let clock = Arc::new(FixedClock::new(test_now()));
    let state = test_state(&db.store, clock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (db, addr, clock)
}

/// Sets today to `date`, 09:00 in Beijing.
fn today_is(clock: &FixedClock, date: time::Date) {
    clock.set(date.with_hms(1, 0, 0).expect("time").assume_utc());
}

async fn sign_in(client: &Client, addr: SocketAddr, username: &str, password: &str) {
    submit_sign_in(client, addr, username, password).await;
    // The click only starts the sign-in: wait until the browser has left the sign-in page, or a
    // navigation right after would race the session cookie (and land on the 工作台 instead).
    for _ in 0..100 {
        let url = client.current_url().await.expect("url");
        if !url.path().starts_with("/login") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let source = client.source().await.unwrap_or_default();
    panic!("sign-in of {username} did not leave the sign-in page:\n{source}");
}

/// Fills in and submits the sign-in form (without waiting for where it leads).
async fn submit_sign_in(client: &Client, addr: SocketAddr, username: &str, password: &str) {
    client
        .goto(&format!("http://{addr}/login"))
        .await
        .expect("goto login");
    client
        .find(Locator::Id("username"))
        .await
        .expect("username")
        .send_keys(username)
        .await
        .expect("type");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(password)
        .await
        .expect("type");
    client
        .find(Locator::Id("login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
}

/// The text of the element, waiting for it to appear (a click's navigation may still be
/// loading) and looking again if the page changed under it; on failure the page source is
/// printed to explain what the browser shows.
async fn text_of(client: &Client, locator: Locator<'_>) -> String {
    let mut last_error = String::new();
    for _ in 0..50 {
        match client.find(locator).await {
            Ok(element) => match element.text().await {
                Ok(text) => return text,
                Err(error) => last_error = error.to_string(),
            },
            Err(error) => last_error = error.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let source = client.source().await.unwrap_or_default();
    panic!("{locator:?} not readable ({last_error}); page was:\n{source}");
}

/// Saves a PNG of the page when `FAZHI_SCREENSHOT_DIR` is set (for looking at the UI).
async fn save_screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("FAZHI_SCREENSHOT_DIR") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).expect("write");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_works_in_a_real_browser_for_every_role() {
    if !enabled() {
        eprintln!("FAZHI_TEST_BROWSER not set: browser tests skipped");
        return;
    }
    let driver = start_driver().await;
    let (_db, addr) = serve_demo().await;
    let profiles = tempfile::tempdir().expect("temp dir");

    // Each demo role signs in and sees its own 工作台 scope.
    let expected_scope = [
        ("admin", "全部部门"),
        ("sifa", "全部部门"),
        ("fazhi", "本部门：示范市滨河区市场监督管理局"),
        ("zhifa", "本人承办的案件（示范市滨河区市场监督管理局）"),
        ("lingdao", "全部部门"),
    ];
    for (index, (username, scope)) in expected_scope.iter().enumerate() {
        let client = browser(&driver, &profiles.path().join(format!("p{index}")), 1280).await;
        let password = fazhi_app::demo::DEMO_ACCOUNTS
            .iter()
            .find(|a| a.0 == *username)
            .expect("account")
            .1;
        sign_in(&client, addr, username, password).await;
        assert_eq!(
            text_of(&client, Locator::Id("scope")).await,
            *scope,
            "{username}"
        );
        assert!(
            text_of(&client, Locator::Css("header"))
                .await
                .contains("示范市滨河区")
        );

        if *username == "admin" {
            save_screenshot(&client, "dashboard-1280").await;
            client
                .goto(&format!("http://{addr}/people"))
                .await
                .expect("goto");
            save_screenshot(&client, "people-1280").await;
            // Create a department through the form and find it in the list.
            client
                .goto(&format!("http://{addr}/departments/new"))
                .await
                .expect("goto");
            client
                .find(Locator::Id("name"))
                .await
                .expect("name")
                .send_keys("示范市滨河区林业局")
                .await
                .expect("type");
            client
                .find(Locator::Id("legal_contact_name"))
                .await
                .expect("contact")
                .send_keys("林木")
                .await
                .expect("type");
            client
                .find(Locator::Id("save"))
                .await
                .expect("save")
                .click()
                .await
                .expect("click");
            assert!(
                text_of(&client, Locator::Css("main"))
                    .await
                    .contains("部门已新增")
            );
            client
                .goto(&format!("http://{addr}/departments?q=林业"))
                .await
                .expect("goto");
            assert!(
                text_of(&client, Locator::Id("departments"))
                    .await
                    .contains("示范市滨河区林业局")
            );
        }
        if *username == "zhifa" {
            client
                .goto(&format!("http://{addr}/departments"))
                .await
                .expect("goto");
            let message = text_of(&client, Locator::Css("main")).await;
            assert!(
                message.contains("您的角色为“执法人员”，无权查看部门管理页面"),
                "{message}"
            );
        }
        client.close().await.expect("close");
    }

    // A department legal officer's people list on a phone.
    let phone = browser(&driver, &profiles.path().join("phone"), 390).await;
    sign_in(&phone, addr, "fazhi", "demo-fazhi-2026").await;
    phone
        .goto(&format!("http://{addr}/people"))
        .await
        .expect("goto");
    assert!(
        text_of(&phone, Locator::Id("people"))
            .await
            .contains("示范市滨河区市场监督管理局")
    );
    save_screenshot(&phone, "people-390").await;
    phone.close().await.expect("close");

    // A wrong password shows an error and does not sign in.
    let client = browser(&driver, &profiles.path().join("wrong"), 390).await;
    submit_sign_in(&client, addr, "admin", "definitely-wrong").await;
    assert_eq!(
        text_of(&client, Locator::Id("login-error")).await,
        "账号或密码错误。"
    );
    client.goto(&format!("http://{addr}/")).await.expect("goto");
    assert!(
        client
            .current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/login")
    );
    // The sign-in page fits a phone's width without horizontal scrolling.
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(overflow, serde_json::Value::Bool(true));
    client.close().await.expect("close");
}

/// Fills the named fields of the form inside `container` (a CSS selector) and submits it, the way
/// a user's clicks would (JavaScript only drives the test; the page needs none).
async fn fill_and_submit(client: &Client, container: &str, fields: &[(&str, &str)]) {
    let values: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let script = r#"
        const form = document.querySelector(arguments[0] + ' form') || document.querySelector(arguments[0]);
        if (!form) { return 'no form in ' + arguments[0]; }
        for (const [name, value] of Object.entries(arguments[1])) {
            const inputs = form.querySelectorAll('[name="' + name + '"]');
            if (inputs.length === 0) { return 'no field ' + name; }
            for (const input of inputs) {
                if (input.type === 'checkbox') { input.checked = value.split(',').includes(input.value); }
                else { input.value = value; }
            }
        }
        form.requestSubmit();
        return 'ok';
    "#;
    let result = client
        .execute(
            script,
            vec![
                serde_json::Value::from(container),
                serde_json::Value::Object(values),
            ],
        )
        .await
        .expect("script");
    assert_eq!(result, serde_json::Value::from("ok"), "{container}");
}

/// Waits for the notice after a redirect and returns the page's main text. The page before the
/// submission may still be showing (with its own notice) while the form's request runs, so the
/// notice is read until it is the expected one or the wait runs out.
async fn after_submit(client: &Client, expected_notice: &str) -> String {
    let mut notice = String::new();
    for _ in 0..50 {
        notice = text_of(client, Locator::Css(".alert.ok")).await;
        if notice == expected_notice {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    if notice != expected_notice {
        let main = text_of(client, Locator::Css("main")).await;
        panic!("expected the notice {expected_notice:?}, the page shows {notice:?}:\n{main}");
    }
    text_of(client, Locator::Css("main")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_penalty_case_and_a_reconsideration_run_through_the_browser() {
    if !enabled() {
        eprintln!("FAZHI_TEST_BROWSER not set: browser tests skipped");
        return;
    }
    let driver = start_driver().await;
    let (db, addr, clock) = serve_demo_with_clock().await;
    // The penalty case's steps run to 03-09: that is today while it is handled.
    today_is(&clock, time::macros::date!(2026 - 03 - 09));
    let profiles = tempfile::tempdir().expect("temp dir");
    let market = db
        .store
        .active_departments(fazhi_app::authz::Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("市场监督管理局"))
        .expect("market")
        .id
        .to_string();
    let officers = db
        .store
        .certified_officers(
            market.parse().expect("id"),
            time::macros::date!(2026 - 03 - 02),
        )
        .await
        .expect("officers");
    let pair = format!("{},{}", officers[0].person_id, officers[1].person_id);

    // An officer files a penalty case, two certified officers investigate, the rights are notified.
    let officer = browser(&driver, &profiles.path().join("officer"), 1280).await;
    sign_in(&officer, addr, "zhifa", "demo-zhifa-2026").await;
    officer
        .goto(&format!("http://{addr}/cases/penalty/new"))
        .await
        .expect("goto");
    fill_and_submit(
        &officer,
        "main",
        &[
            ("department_id", &market),
            ("on", "2026-03-02"),
            ("case_cause", "销售过期食品"),
            ("discovered_date", "2026-02-27"),
        ],
    )
    .await;
    after_submit(&officer, "案件已登记。").await;
    let case_url = officer.current_url().await.expect("url").to_string();
    fill_and_submit(
        &officer,
        "#action-file_case",
        &[
            ("on", "2026-03-02"),
            ("party", "张三丰"),
            ("party_kind", "公民"),
            ("filing_date", "2026-03-02"),
            ("department", &market),
            ("period_rule", "行政处罚法第六十条"),
        ],
    )
    .await;
    after_submit(&officer, "办理步骤已记录。").await;
    fill_and_submit(
        &officer,
        "#action-record_investigation",
        &[("on", "2026-03-03"), ("investigators", &pair)],
    )
    .await;
    after_submit(&officer, "办理步骤已记录。").await;
    fill_and_submit(
        &officer,
        "#action-notify_rights",
        &[
            ("on", "2026-03-04"),
            ("proposed_penalty", "罚款500元"),
            ("notice_date", "2026-03-04"),
            ("hearing_right_notified", "0"),
        ],
    )
    .await;
    after_submit(&officer, "办理步骤已记录。").await;
    fill_and_submit(
        &officer,
        "#action-submit_legal_review",
        &[("on", "2026-03-05")],
    )
    .await;
    after_submit(&officer, "办理步骤已记录。").await;
    officer.close().await.expect("close");

    // The department's legal officer passes the review and decides; the decision is public, redacted.
    // The reviewer is a staff account of the department (行政处罚法第五十八条 asks no 执法证).
    let reviewer = db
        .store
        .user_by_username("fazhi")
        .await
        .expect("read")
        .expect("demo account")
        .id
        .to_string();
    let legal = browser(&driver, &profiles.path().join("legal"), 1280).await;
    sign_in(&legal, addr, "fazhi", "demo-fazhi-2026").await;
    legal.goto(&case_url).await.expect("goto case");
    fill_and_submit(
        &legal,
        "#action-pass_legal_review",
        &[
            ("on", "2026-03-06"),
            ("review_opinion", "事实清楚，证据确凿"),
            ("reviewer", &reviewer),
        ],
    )
    .await;
    after_submit(&legal, "办理步骤已记录。").await;
    fill_and_submit(
        &legal,
        "#action-decide_penalty",
        &[
            ("on", "2026-03-09"),
            ("decision_date", "2026-03-09"),
            ("decision_number", "滨市监罚〔2026〕1号"),
            ("penalty_type", "罚款"),
            ("legal_basis", "《食品安全法》第一百二十四条"),
        ],
    )
    .await;
    let page = after_submit(&legal, "办理步骤已记录。").await;
    assert!(page.contains("已作出决定，待送达"), "{page}");
    assert!(page.contains("防篡改证明"), "each step links to its proof");
    legal
        .goto(&format!("http://{addr}/publicity"))
        .await
        .expect("goto");
    let public = text_of(&legal, Locator::Id("publicity")).await;
    assert!(
        public.contains("滨市监罚〔2026〕1号")
            && public.contains("张**")
            && !public.contains("张三丰"),
        "{public}"
    );
    legal.close().await.expect("close");

    // The justice bureau accepts and decides a reconsideration; a near deadline shows on the 工作台.
    // It is registered on 03-02, while its review period (to 03-05) still runs.
    today_is(&clock, time::macros::date!(2026 - 03 - 02));
    let justice = browser(&driver, &profiles.path().join("justice"), 1280).await;
    sign_in(&justice, addr, "sifa", "demo-sifa-2026").await;
    let justice_id = db
        .store
        .active_departments(fazhi_app::authz::Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.is_justice_bureau)
        .expect("justice")
        .id
        .to_string();
    justice
        .goto(&format!("http://{addr}/cases/reconsideration/new"))
        .await
        .expect("goto");
    fill_and_submit(
        &justice,
        "main",
        &[
            ("department_id", &justice_id),
            ("on", "2026-02-27"),
            ("received_date", "2026-02-27"),
            ("applicant", "李某"),
            ("act_challenged", "罚款决定"),
        ],
    )
    .await;
    after_submit(&justice, "案件已登记。").await;
    let reconsideration_url = justice.current_url().await.expect("url").to_string();
    justice
        .goto(&format!("http://{addr}/"))
        .await
        .expect("dashboard");
    let warnings = text_of(&justice, Locator::Id("warnings")).await;
    assert!(
        warnings.contains("受理审查期限") && warnings.contains("2026-03-05"),
        "{warnings}"
    );
    justice.goto(&reconsideration_url).await.expect("goto");
    fill_and_submit(
        &justice,
        "#action-accept",
        &[
            ("on", "2026-03-02"),
            ("acceptance_date", "2026-03-02"),
            ("respondent", &market),
            ("knew_act_date", "2026-02-20"),
            ("appeal_rights_told", "已告知"),
            ("limitation_start_date", "2026-02-20"),
            ("property_related", "其他"),
        ],
    )
    .await;
    after_submit(&justice, "办理步骤已记录。").await;
    // The copy goes to the respondent, which replies (行政复议法第四十八条；第七十条: upholding
    // needs the reply). Today moves to the reply's day.
    today_is(&clock, time::macros::date!(2026 - 03 - 13));
    sign_in(&justice, addr, "sifa", "demo-sifa-2026").await;
    justice.goto(&reconsideration_url).await.expect("goto");
    fill_and_submit(
        &justice,
        "#action-send_copy",
        &[("on", "2026-03-04"), ("copy_sent_date", "2026-03-04")],
    )
    .await;
    after_submit(&justice, "办理步骤已记录。").await;
    fill_and_submit(
        &justice,
        "#action-record_reply",
        &[("on", "2026-03-13"), ("reply_received_date", "2026-03-13")],
    )
    .await;
    after_submit(&justice, "办理步骤已记录。").await;
    // The ordinary procedure hears the parties before deciding (行政复议法第四十九条); today
    // moves to the decision's day.
    today_is(&clock, time::macros::date!(2026 - 04 - 10));
    sign_in(&justice, addr, "sifa", "demo-sifa-2026").await;
    justice.goto(&reconsideration_url).await.expect("goto");
    fill_and_submit(
        &justice,
        "#action-hear_views",
        &[
            ("on", "2026-03-20"),
            ("views_method", "电话"),
            ("views_date", "2026-03-20"),
        ],
    )
    .await;
    after_submit(&justice, "办理步骤已记录。").await;
    fill_and_submit(
        &justice,
        "#action-decide_uphold",
        &[
            ("on", "2026-04-10"),
            ("decision_date", "2026-04-10"),
            ("decision_number", "滨政复决〔2026〕1号"),
        ],
    )
    .await;
    let decided = after_submit(&justice, "办理步骤已记录。").await;
    assert!(decided.contains("维持"), "{decided}");
    justice.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annual_report_is_drafted_edited_checked_and_published_through_the_browser() {
    if !enabled() {
        eprintln!("FAZHI_TEST_BROWSER not set: browser tests skipped");
        return;
    }
    let driver = start_driver().await;
    let (db, addr) = serve_demo().await;
    let profiles = tempfile::tempdir().expect("temp dir");
    // A department's submission, so the draft has figures of both kinds.
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    fazhi_app::demo::report::ensure_report(&db.store, &catalogue, 7, 2025, "2026-01-05T09:00:00Z")
        .await
        .expect("demo figures");

    let client = browser(&driver, profiles.path(), 1280).await;
    sign_in(&client, addr, "sifa", "demo-sifa-2026").await;
    client
        .goto(&format!("http://{addr}/report?year=2025"))
        .await
        .expect("goto report");
    let main = text_of(&client, Locator::Css("main")).await;
    assert!(
        main.contains("调解矛盾纠纷"),
        "drafted figure sentences: {main}"
    );
    assert!(main.contains("检查结果"));

    // Redraft with the button: a new version, staff narrative kept.
    fill_and_submit(&client, "#report-actions", &[]).await;
    let main = after_submit(&client, "已按最新统计数据起草报告，并保存为新版本。").await;
    assert!(main.contains("第3版"), "{main}");
    assert!(
        main.contains("亲自督办"),
        "the narrative survived the redraft"
    );

    // Edit: a manual figure without its source is refused, then fixed.
    client
        .goto(&format!("http://{addr}/report/2025/edit"))
        .await
        .expect("goto edit");
    fill_and_submit(
        &client,
        "#report-edit",
        &[
            (
                "section.digital",
                "全区行政执法监督平台接入部门28个，实现执法全过程网上留痕。",
            ),
            ("manual.section.digital", "28"),
        ],
    )
    .await;
    let errors = text_of(&client, Locator::Id("edit-errors")).await;
    assert!(errors.contains("数值｜来源"), "{errors}");
    fill_and_submit(
        &client,
        "#report-edit",
        &[
            (
                "section.digital",
                "全区行政执法监督平台接入部门28个，实现执法全过程网上留痕。",
            ),
            ("manual.section.digital", "28｜区司法局平台接入台账"),
            ("note", "补充数字法治政府部分"),
        ],
    )
    .await;
    let main = after_submit(&client, "报告已保存为新版本。").await;
    assert!(main.contains("执法监督平台接入部门28个"));
    assert!(main.contains("补充数字法治政府部分"));
    let checks = text_of(&client, Locator::Id("report-checks")).await;
    assert!(!checks.contains("[错误]"), "no blocking error: {checks}");
    save_screenshot(&client, "report").await;

    // Publish (a correction: the demo published 滨河区's report already), then find it on the
    // public portal with its checkpoint.
    fill_and_submit(
        &client,
        "#publish-form",
        &[("reason", "补充数字法治政府部分")],
    )
    .await;
    after_submit(&client, "报告已发布到门户网站，并记入日志。").await;
    // The district's own portal page (the demo's root is its city).
    client
        .goto(&format!("http://{addr}/reports?jurisdiction=999902"))
        .await
        .expect("goto portal");
    client
        .find(Locator::LinkText(
            "示范市滨河区2025年度法治政府建设情况报告",
        ))
        .await
        .expect("portal link")
        .click()
        .await
        .expect("click");
    let portal = text_of(&client, Locator::Css("main")).await;
    assert!(portal.contains("执法监督平台接入部门28个"));
    assert!(portal.contains("日志前"), "{portal}");
    save_screenshot(&client, "portal-report").await;

    // The 统计 page: figures by area, a chart, a click down to the records.
    client
        .goto(&format!("http://{addr}/statistics?year=2025"))
        .await
        .expect("goto statistics");
    let statistics = text_of(&client, Locator::Css("main")).await;
    assert!(statistics.contains("调解成功率"), "{statistics}");
    save_screenshot(&client, "statistics").await;
    client
        .find(Locator::Css("#indicator-mediation\\.success_rate a"))
        .await
        .expect("figure link")
        .click()
        .await
        .expect("click");
    let figure = text_of(&client, Locator::Id("figure-definition")).await;
    assert!(figure.contains("调解成功数"), "{figure}");
    save_screenshot(&client, "statistics-figure").await;
    client.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_city_supervises_its_districts_and_a_district_answers_its_notice_in_the_browser() {
    if !enabled() {
        eprintln!("FAZHI_TEST_BROWSER not set: browser tests skipped");
        return;
    }
    let driver = start_driver().await;
    let (_db, addr) = serve_demo().await;
    let profiles = tempfile::tempdir().expect("temp dir");

    // The city's 司法局: every district with its deadlines and its report.
    let city = browser(&driver, &profiles.path().join("city"), 1280).await;
    sign_in(&city, addr, "shi.sifa", "demo-shi-sifa-2026").await;
    city.goto(&format!("http://{addr}/supervision?year=2025"))
        .await
        .expect("goto supervision");
    let table = text_of(&city, Locator::Id("supervision")).await;
    for district in ["滨河区", "临江区", "云岭县"] {
        assert!(table.contains(district), "{district} in {table}");
    }
    let late_row = table
        .lines()
        .find(|line| line.contains("云岭县"))
        .unwrap_or_default()
        .to_owned();
    assert!(late_row.contains("未起草"), "the late district: {late_row}");
    save_screenshot(&city, "supervision").await;

    // A 督办 on 滨河区's report, from its page.
    city.find(Locator::XPath(
        "//table[@id='supervision']//a[contains(text(), '滨河区')]",
    ))
    .await
    .expect("link")
    .click()
    .await
    .expect("click");
    text_of(&city, Locator::Id("report-progress")).await;
    fill_and_submit(
        &city,
        "#issue-notice",
        &[
            ("target", "report"),
            ("title", "请按期报送2025年度法治政府建设年度报告"),
            ("body", "请于答复期限内报告起草、审核和报送安排。"),
            ("reply_workdays", "5"),
        ],
    )
    .await;
    let issued = after_submit(&city, "督办已发出并记入日志，已列入被督办单位的待办事项。").await;
    assert!(issued.contains("5 个工作日"), "{issued}");

    // 滨河区's 司法局 finds it on its 工作台 and answers it.
    let district = browser(&driver, &profiles.path().join("district"), 1280).await;
    sign_in(&district, addr, "sifa", "demo-sifa-2026").await;
    let todo = text_of(&district, Locator::Id("open-notices")).await;
    assert!(todo.contains("请按期报送2025年度"), "{todo}");
    district
        .find(Locator::LinkText("请按期报送2025年度法治政府建设年度报告"))
        .await
        .expect("link")
        .click()
        .await
        .expect("click");
    text_of(&district, Locator::Id("reply-form")).await;
    fill_and_submit(
        &district,
        "#reply-form",
        &[("answer", "已完成起草，将于3月20日前报送。")],
    )
    .await;
    let answered = after_submit(&district, "督办答复已提交并记入日志。").await;
    assert!(answered.contains("已答复"), "{answered}");

    // The city sees the answer.
    city.goto(&format!("http://{addr}/supervision/notices"))
        .await
        .expect("goto notices");
    let issued_list = text_of(&city, Locator::Id("issued")).await;
    assert!(issued_list.contains("已答复"), "{issued_list}");
    city.close().await.expect("close");
    district.close().await.expect("close");
}
