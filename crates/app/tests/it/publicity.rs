//! Personal data never reaches a public surface, free text included: two penalty decisions made
//! through the router — one on a citizen whose 案由 and 处罚依据 carry an identity number, phones,
//! a bank card and the party's name, one on a company whose 案由 carries its 统一社会信用代码 —
//! and an annual report with the same kind of text, then every page, export and response an
//! anonymous visitor can fetch.

use axum::http::StatusCode;

use crate::db_test;
use crate::support::TestApp;

/// What must not appear anywhere in a public response.
const PERSONAL: &[&str] = &[
    "张三丰",
    "110101199003071234",
    "440305198512310026",
    "13800138000",
    "138-0013-8000",
    "13912345678",
    "010-62345678",
    "6222021234567890128",
    "6228 4800 1234 5671",
];

const CREDIT_CODE: &str = "91350100M000100Y43";

/// A client with the clock after the decisions' dates.
fn app(db: &crate::support::TestDb) -> TestApp {
    let app = TestApp::new(&db.store);
    app.clock
        .set(time::macros::datetime!(2026-03-16 01:00:00 UTC));
    app
}

fn case_id(location: Option<&str>) -> i64 {
    location
        .expect("redirect")
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

/// Opens a penalty case as the officer and takes it to a decision through the case pages, the
/// department's legal officer reviewing and deciding.
async fn decide(
    db: &crate::support::TestDb,
    (party, party_kind): (&str, &str),
    cause: &str,
    legal_basis: &str,
    number: &str,
) {
    let market = db
        .store
        .active_departments(fazhi_app::authz::Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("市场监督管理局"))
        .expect("market")
        .id;
    let officers = db
        .store
        .certified_officers(market, time::macros::date!(2026 - 03 - 02))
        .await
        .expect("officers");
    let pair = format!("{},{}", officers[0].person_id, officers[1].person_id);
    let reviewer = db
        .store
        .user_by_username("fazhi")
        .await
        .expect("read")
        .expect("demo account")
        .id
        .to_string();
    let market = market.to_string();

    let mut officer = app(db);
    officer.login_demo("zhifa").await;
    let opened = officer
        .post(
            "/cases/penalty",
            &[
                ("department_id", &market),
                ("on", "2026-03-02"),
                ("case_cause", cause),
                ("discovered_date", "2026-02-27"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let id = case_id(opened.location.as_deref());
    let act = format!("/case/{id}/act");
    let mut version = 1;
    let mut step = async |app: &mut TestApp, action: &str, fields: &[(&str, &str)]| {
        let version_text = version.to_string();
        let mut pairs = vec![("action", action), ("version", version_text.as_str())];
        pairs.extend_from_slice(fields);
        let reply = app.post(&act, &pairs).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            reply.body
        );
        version += 1;
    };
    step(
        &mut officer,
        "file_case",
        &[
            ("on", "2026-03-02"),
            ("party", party),
            ("party_kind", party_kind),
            ("filing_date", "2026-03-02"),
            ("department", &market),
            ("period_rule", "行政处罚法第六十条"),
        ],
    )
    .await;
    step(
        &mut officer,
        "record_investigation",
        &[("on", "2026-03-03"), ("investigators", &pair)],
    )
    .await;
    step(
        &mut officer,
        "notify_rights",
        &[
            ("on", "2026-03-04"),
            ("proposed_penalty", "罚款500元"),
            ("notice_date", "2026-03-04"),
            ("hearing_right_notified", "0"),
        ],
    )
    .await;
    step(&mut officer, "submit_legal_review", &[("on", "2026-03-05")]).await;
    let mut legal = app(db);
    legal.login_demo("fazhi").await;
    step(
        &mut legal,
        "pass_legal_review",
        &[
            ("on", "2026-03-06"),
            ("review_opinion", "事实清楚，证据确凿"),
            ("reviewer", &reviewer),
        ],
    )
    .await;
    step(
        &mut legal,
        "decide_penalty",
        &[
            ("on", "2026-03-09"),
            ("decision_date", "2026-03-09"),
            ("decision_number", number),
            ("penalty_type", "罚款"),
            ("fine_amount", "500"),
            ("legal_basis", legal_basis),
        ],
    )
    .await;
}

fn assert_no_personal_data(path: &str, body: &str) {
    for personal in PERSONAL {
        assert!(!body.contains(personal), "{path} shows {personal}: {body}");
    }
}

db_test!(
    public_pages_print_no_personal_data_in_free_text,
    with_demo,
    |db| {
        decide(
            db,
            ("张三丰", "公民"),
            "张三丰（身份证110101199003071234，电话13800138000）销售过期食品，货款汇入银行卡6222021234567890128",
            "《食品安全法》第一百二十四条；当事人张三丰联系电话138-0013-8000、010-62345678，身份证号码440305198512310026",
            "滨市监罚〔2026〕1号",
        )
        .await;
        decide(
            db,
            ("示范市某某商贸有限公司", "法人"),
            &format!("示范市某某商贸有限公司（统一社会信用代码{CREDIT_CODE}）销售不合格产品，收款卡号6228 4800 1234 5671"),
            "《产品质量法》第四十九条，罚款5000元",
            "滨市监罚〔2026〕2号",
        )
        .await;

        let mut visitor = app(db);
        let page = visitor.get("/publicity").await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert_no_personal_data("/publicity", body);
        for kept in [
            "滨市监罚〔2026〕1号",
            "滨市监罚〔2026〕2号",
            CREDIT_CODE,
            "张**（身份证[身份证号已隐去]，电话[电话已隐去]）销售过期食品，货款汇入银行卡[银行卡号已隐去]",
            "《食品安全法》第一百二十四条；当事人张**联系电话[电话已隐去]、[电话已隐去]，身份证号码[身份证号已隐去]",
            "收款卡号[银行卡号已隐去]",
            "《产品质量法》第四十九条，罚款5000元",
            "500.00 元",
        ] {
            assert!(body.contains(kept), "/publicity lacks {kept}: {body}");
        }
        // A company's name is published (the definition's person_when masks 公民 only); its
        // credit code survives the scrubbing.
        assert!(
            body.contains(&format!(
                "示范市某某商贸有限公司（统一社会信用代码{CREDIT_CODE}）"
            )),
            "{body}"
        );

        // Everything else an anonymous visitor may fetch: the portal, the log, the API without a
        // token (refused), a case page (sign-in).
        for path in [
            "/publicity?page=1",
            "/publicity?page=2",
            "/reports",
            "/log",
            "/log/checkpoint",
            "/api/v1/cases",
            "/api/v1/cases/1",
            "/cases/penalty",
            "/case/1",
            "/login",
        ] {
            let reply = visitor.get(path).await;
            assert_no_personal_data(path, &reply.body);
        }
    }
);

/// Narrative for parts two to five that satisfies the report checks; the last part carries
/// personal data a drafter pasted in.
const NARRATIVE: &[(&str, &str)] = &[
    (
        "part.shortcomings",
        "一是部分执法人员法治意识有待增强，主要原因是培训针对性不够、考核机制不完善。\n二是行政复议纠错后的整改跟踪不到位，原因是部门之间信息共享机制尚未建立。",
    ),
    (
        "part.first_responsible",
        "区政府主要负责人认真履行推进法治建设第一责任人职责，对法治政府建设重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。\n全年主持召开区政府常务会议专题研究法治政府建设工作，坚持会前学法，带头述法，依法决策。",
    ),
    (
        "part.next_year",
        "一是针对执法人员培训不足的问题，制定全员轮训计划，年内完成轮训。\n二是建立复议纠错整改跟踪机制，逐案跟踪整改结果。\n三是推进行政执法监督平台建设。",
    ),
    (
        "part.other",
        "群众反映的问题已逐一回复（来信人手机13912345678，身份证440305198512310026）。",
    ),
];

fn textareas(body: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("<textarea name=\"") {
        let after = &rest[start + 16..];
        let name_end = after.find('"').expect("name");
        let name = after[..name_end].to_owned();
        let content_start = after.find('>').expect(">") + 1;
        let content_end = after.find("</textarea>").expect("end");
        let text = after[content_start..content_end]
            .replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        fields.push((name, text));
        rest = &after[content_end..];
    }
    fields
}

db_test!(
    a_report_with_personal_data_is_not_published_and_the_published_one_prints_none,
    with_demo,
    |db| {
        // The city's 司法局: its report is the root's, the portal's own.
        let mut staff = TestApp::new(&db.store);
        staff.login_demo("shi.sifa").await;
        let drafted = staff.post("/report/2025/draft", &[]).await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        let save = |narrative: Vec<(String, String)>, edit_body: &str| {
            let mut fields = textareas(edit_body);
            fields.retain(|(name, _)| !narrative.iter().any(|(n, _)| n == name));
            fields.extend(narrative);
            fields
        };
        let narrative = |other: &str| -> Vec<(String, String)> {
            NARRATIVE
                .iter()
                .map(|(name, text)| {
                    let text = if *name == "part.other" { other } else { *text };
                    ((*name).to_owned(), text.to_owned())
                })
                .collect()
        };
        // With a citizen's mobile and ID number in its text, the report is not published: the
        // public text and its published digest must be the same text.
        let edit = staff.get("/report/2025/edit").await;
        let fields = save(narrative(NARRATIVE[3].1), &edit.body);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved = staff.post("/report/2025/edit", &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let refused = staff.post("/report/2025/publish", &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains("个人信息"), "{}", refused.body);
        assert_eq!(
            TestApp::new(&db.store).get("/reports/2025").await.status,
            StatusCode::NOT_FOUND
        );

        // Without it, it is published, and neither the portal nor any export carries the data.
        let edit = staff.get("/report/2025/edit").await;
        let fields = save(narrative("群众反映的问题已逐一回复。"), &edit.body);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            staff.post("/report/2025/edit", &pairs).await.status,
            StatusCode::SEE_OTHER
        );
        let published = staff.post("/report/2025/publish", &[]).await;
        assert_eq!(
            published.status,
            StatusCode::SEE_OTHER,
            "{}",
            published.body
        );

        let mut visitor = TestApp::new(&db.store);
        let portal = visitor.get("/reports/2025").await;
        assert_eq!(portal.status, StatusCode::OK);
        assert_no_personal_data("/reports/2025", &portal.body);
        assert!(
            portal.body.contains("群众反映的问题已逐一回复。"),
            "{}",
            portal.body
        );
        let number = portal
            .body
            .split("/reports/2025/versions/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("a download link")
            .to_owned();
        for format in ["md", "html"] {
            let path = format!("/reports/2025/versions/{number}/{format}");
            let export = visitor.get(&path).await;
            assert_eq!(export.status, StatusCode::OK, "{path}");
            assert_no_personal_data(&path, &export.body);
        }
        let docx = visitor
            .get(&format!("/reports/2025/versions/{number}/docx"))
            .await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(docx.bytes.starts_with(b"PK"));
    }
);
