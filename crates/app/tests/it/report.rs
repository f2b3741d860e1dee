//! The annual report through the router on both databases: draft from the figures, edit,
//! check, publish, see it on the public portal with its log checkpoint, correct it as a new
//! version with its reason — the published version never changes.

use crate::db_test;
use crate::support::TestApp;

/// Narrative for parts two to five that satisfies the checks (causes, duties, concrete plans).
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
    ("part.other", "无其他需要报告的情况。"),
];

db_test!(draft_edit_check_publish_and_correct, with_demo, |db| {
    // The city's 司法局: its report is the root's, the one the portal shows without a query.
    let mut app = TestApp::new(&db.store);
    app.login_demo("shi.sifa").await;
    let empty = app.get("/report?year=2025").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("还没有报告"));
    assert_eq!(
        app.get("/reports/2025").await.status,
        404,
        "nothing published"
    );

    let drafted = app.post("/report/2025/draft", &[]).await;
    assert_eq!(drafted.status, 303, "{}", drafted.body);
    let page = app.get("/report?year=2025").await;
    assert!(page.body.contains("主要举措和成效"), "{}", page.body);
    assert!(
        page.body.contains("持有有效行政执法证件人员"),
        "a drafted figure sentence: {}",
        page.body
    );
    assert!(page.body.contains("第1版"));

    // A manual-figure line without its source: refused, nothing stored.
    let edit = app.get("/report/2025/edit").await;
    assert_eq!(edit.status, 200);
    let bad = app
        .post(
            "/report/2025/edit",
            &[
                (
                    "title",
                    "示范市滨河区人民政府关于2025年度法治政府建设情况的报告",
                ),
                ("section.functions", "全面梳理权责清单事项538项。"),
                ("manual.section.functions", "538"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("数值｜来源"));
    assert_eq!(
        db.store
            .report_versions(fazhi_app::store::ROOT_JURISDICTION, 2025)
            .await
            .expect("read")
            .len(),
        1
    );

    // Fill in the narrative; drafted figure paragraphs are resubmitted unchanged.
    let mut fields: Vec<(String, String)> = textareas(&edit.body);
    fields.retain(|(name, _)| {
        !NARRATIVE.iter().any(|(n, _)| n == name)
            && name != "section.functions"
            && name != "manual.section.functions"
    });
    for (name, text) in NARRATIVE {
        fields.push(((*name).into(), (*text).into()));
    }
    fields.push((
        "section.functions".into(),
        "全面梳理权责清单事项538项，实行动态调整。".into(),
    ));
    fields.push((
        "manual.section.functions".into(),
        "538｜区委编办权力清单".into(),
    ));
    fields.push((
        "title".into(),
        "示范市滨河区人民政府关于2025年度法治政府建设情况的报告".into(),
    ));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = app.post("/report/2025/edit", &pairs).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get("/report?year=2025").await;
    assert!(page.body.contains("第2版"));
    assert!(page.body.contains("亲自督办"));
    assert!(
        !page
            .body
            .contains("数字与系统计算的指标都不一致，也未标注为人工填写：“538"),
        "538 is declared manual"
    );

    // Publish; it appears on the portal with its checkpoint.
    let published = app.post("/report/2025/publish", &[]).await;
    assert_eq!(published.status, 303, "{}", published.body);
    let portal = TestApp::new(&db.store).get("/reports/2025").await;
    assert_eq!(portal.status, 200);
    assert!(portal.body.contains("亲自督办"));
    assert!(
        portal.body.contains("日志前"),
        "the log size its figures were computed at"
    );
    let first = db
        .store
        .published_report_versions(fazhi_app::store::ROOT_JURISDICTION, 2025)
        .await
        .expect("read");
    assert_eq!(first.len(), 1);
    let first_hash = first[0].body_sha256.clone();
    assert!(first[0].log_root.as_deref().is_some_and(|r| r.len() == 64));
    let docx = TestApp::new(&db.store)
        .get("/reports/2025/versions/3/docx")
        .await;
    assert_eq!(docx.status, 200);
    assert!(docx.bytes.starts_with(b"PK"));
    assert_eq!(
        TestApp::new(&db.store)
            .get("/reports/2025/versions/1/docx")
            .await
            .status,
        404,
        "drafts are not public"
    );

    // Publishing again without a change is refused; a correction needs a new version and a reason.
    let again = app.post("/report/2025/publish", &[]).await;
    assert_eq!(again.status, 400);
    // A version carrying personal data (a mobile number) is not published: the public text and its
    // digest must be the same text.
    let mut fields = textareas(&app.get("/report/2025/edit").await.body);
    fields.retain(|(name, _)| name != "part.other");
    fields.push((
        "part.other".into(),
        "无其他需要报告的情况。联系人：张某，电话13800138000。".into(),
    ));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(app.post("/report/2025/edit", &pairs).await.status, 303);
    let with_phone = app
        .post("/report/2025/publish", &[("reason", "补充联系人")])
        .await;
    assert_eq!(with_phone.status, 400, "{}", with_phone.body);
    assert!(with_phone.body.contains("个人信息"), "{}", with_phone.body);
    assert_eq!(
        db.store
            .published_report_versions(fazhi_app::store::ROOT_JURISDICTION, 2025)
            .await
            .expect("read")
            .len(),
        1
    );
    let mut fields = textareas(&app.get("/report/2025/edit").await.body);
    fields.retain(|(name, _)| name != "part.other");
    fields.push((
        "part.other".into(),
        "无其他需要报告的情况。本报告第一部分权责清单事项数已按编办最新公布数核对。".into(),
    ));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(app.post("/report/2025/edit", &pairs).await.status, 303);
    let no_reason = app.post("/report/2025/publish", &[]).await;
    assert_eq!(no_reason.status, 400);
    assert!(no_reason.body.contains("更正原因"));
    let corrected = app
        .post("/report/2025/publish", &[("reason", "补充核对说明")])
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let versions = db
        .store
        .published_report_versions(fazhi_app::store::ROOT_JURISDICTION, 2025)
        .await
        .expect("read");
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[1].body_sha256, first_hash,
        "the first publication is unchanged"
    );
    let portal = TestApp::new(&db.store).get("/reports/2025").await;
    assert!(portal.body.contains("更正说明：补充核对说明"));
    assert!(portal.body.contains("发布记录"));
    let list = TestApp::new(&db.store).get("/reports").await;
    assert!(list.body.contains("2025年度法治政府建设情况报告"));

    // A leader may publish but not edit; an officer sees nothing.
    let mut leader = TestApp::new(&db.store);
    leader.login_demo("lingdao").await;
    assert_eq!(leader.post("/report/2025/draft", &[]).await.status, 403);
    let mut officer = TestApp::new(&db.store);
    officer.login_demo("zhifa").await;
    assert_eq!(officer.get("/report?year=2025").await.status, 403);
});

/// The name and content of every textarea and text input of a form page.
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
