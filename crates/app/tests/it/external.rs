//! 外部报告 through the router on both databases: real published reports uploaded and pasted,
//! read and checked; bad input refused with nothing stored; several compared with our indicators.

use crate::db_test;
use crate::support::TestApp;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reader/test_data/ok")
            .join(name),
    )
    .expect("sample report")
}

db_test!(reports_are_read_checked_and_compared, with_demo, |db| {
    let mut app = TestApp::new(&db.store);
    app.login_demo("sifa").await;
    assert_eq!(app.get("/external").await.status, 200);
    // A real report as a file.
    app.get("/external").await;
    let zhaotong = app
        .post_multipart(
            "/external/upload",
            &[],
            "file",
            "zhaotong-2020.txt",
            "text/plain",
            &sample("zhaotong-2020.txt"),
        )
        .await;
    assert_eq!(zhaotong.status, 303, "{}", zhaotong.body);
    let shown = app
        .get(zhaotong.location.as_deref().expect("location"))
        .await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("2020年"), "the year found");
    assert!(
        shown.body.contains("同比变化以本年数为基数"),
        "the wrong-base change is found"
    );
    assert!(
        shown.body.contains("收到行政复议申请") || shown.body.contains("行政复议"),
        "figures mapped to our catalogue"
    );
    // Another one pasted.
    app.get("/external").await;
    let text = String::from_utf8(sample("wuchang-2020.txt")).expect("utf-8 sample");
    let pasted = app
        .post_multipart(
            "/external/upload",
            &[("text", text.as_str())],
            "file",
            "",
            "application/octet-stream",
            b"",
        )
        .await;
    assert_eq!(pasted.status, 303, "{}", pasted.body);
    // The same bytes again are not stored twice.
    app.get("/external").await;
    app.post_multipart(
        "/external/upload",
        &[],
        "file",
        "again.txt",
        "text/plain",
        &sample("zhaotong-2020.txt"),
    )
    .await;
    let stored = db.store.external_reports().await.expect("list");
    assert_eq!(stored.len(), 2);

    // Bad input: binary, empty, not a report. Nothing stored, a Chinese reason.
    for (bytes, expected) in [
        (vec![0u8, 159, 146, 150, 0, 0, 1, 2], "无法作为文本读取"),
        (b"hello world, this is not Chinese".to_vec(), "没有中文内容"),
    ] {
        app.get("/external").await;
        let refused = app
            .post_multipart(
                "/external/upload",
                &[],
                "file",
                "x.bin",
                "application/octet-stream",
                &bytes,
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains(expected),
            "{expected}: {}",
            refused.body
        );
    }
    app.get("/external").await;
    let nothing = app
        .post_multipart(
            "/external/upload",
            &[("text", "  ")],
            "file",
            "",
            "application/octet-stream",
            b"",
        )
        .await;
    assert_eq!(nothing.status, 422);
    assert_eq!(db.store.external_reports().await.expect("list").len(), 2);

    // Side by side with our own indicators.
    let query = stored
        .iter()
        .map(|r| format!("r={}", r.id))
        .collect::<Vec<_>>()
        .join("&");
    let compared = app
        .get(&format!("/external/compare?{query}&year=2025"))
        .await;
    assert_eq!(compared.status, 200);
    assert!(compared.body.contains("本系统，2025年"));
    assert!(
        compared.body.contains("83件"),
        "zhaotong's 83 reconsiderations: {}",
        compared.body
    );
    assert_eq!(app.get("/external/compare").await.status, 400);

    // A department's legal officer and an officer may not.
    let mut legal = TestApp::new(&db.store);
    legal.login_demo("fazhi").await;
    assert_eq!(legal.get("/external").await.status, 403);
});
