//! Case attachments through the router: stored once by content with the hash in the journal
//! event, refused when oversize or of a kind the sniffer does not accept (nothing written), and
//! downloadable only by staff who may see the case.

use axum::http::{StatusCode, header};
use fazhi_app::attachments::{MAX_ATTACHMENT_BYTES, sha256_hex};
use fazhi_app::authz::Scope;

use crate::db_test;
use crate::support::{TestApp, TestDb};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn market(db: &TestDb) -> i64 {
    db.store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("市场监督管理局"))
        .expect("market regulation")
        .id
}

/// Opens a penalty case as the signed-in officer and returns its id.
async fn open_case(app: &mut TestApp, department: i64) -> i64 {
    let opened = app
        .post(
            "/cases/penalty",
            &[
                ("department_id", &department.to_string()),
                ("on", "2026-03-02"),
                ("case_cause", "销售不合格产品"),
                ("discovered_date", "2026-02-27"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    opened
        .location
        .expect("redirect")
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

/// What an attempt may have written: stored documents, journal events.
async fn written(db: &TestDb) -> (i64, i64) {
    (
        db.store.count_blobs().await.expect("blobs"),
        db.store.count_events().await.expect("events"),
    )
}

db_test!(
    an_upload_is_stored_once_and_its_event_carries_the_hash,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let department = market(db).await;
        app.login_demo("zhifa").await;
        let first = open_case(&mut app, department).await;
        let second = open_case(&mut app, department).await;
        let blobs_before = db.store.count_blobs().await.expect("blobs");
        let hash = sha256_hex(PDF);

        for case in [first, second] {
            // The client's claimed type is ignored: the bytes say PDF.
            let reply = app
                .post_multipart(
                    &format!("/case/{case}/attachments"),
                    &[],
                    "file",
                    "询问笔录.pdf",
                    "application/octet-stream",
                    PDF,
                )
                .await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
            let page = app
                .get(&format!("/case/{case}?notice=attachment_added"))
                .await;
            assert!(page.body.contains("询问笔录.pdf"), "{}", page.body);
            assert!(page.body.contains(&hash[..16]));
            let events = db
                .store
                .events_of(&format!("case:{case}"))
                .await
                .expect("events");
            let event = events
                .iter()
                .find(|e| e.kind == "case.attachment_added")
                .expect("attachment event");
            let body: serde_json::Value = serde_json::from_str(&event.body).expect("json");
            assert_eq!(body["sha256"], hash);
            assert_eq!(body["media_type"], "application/pdf");
            assert_eq!(body["size"], PDF.len());
            assert!(
                !event.body.contains("询问笔录"),
                "the file name stays out of the journal: {}",
                event.body
            );
        }
        assert_eq!(
            db.store.count_blobs().await.expect("blobs"),
            blobs_before + 1,
            "the same content on two cases is stored once"
        );

        // The same document twice on one case: refused, nothing written.
        let before = written(db).await;
        let again = app
            .post_multipart(
                &format!("/case/{first}/attachments"),
                &[],
                "file",
                "again.pdf",
                "application/pdf",
                PDF,
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("已是本案附件"));
        assert_eq!(written(db).await, before);

        // A document field of a step names an attachment of this case, never another hash.
        let department_text = department.to_string();
        let filed = app
            .post(
                &format!("/case/{first}/act"),
                &[
                    ("action", "file_case"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                    ("party", "某公司"),
                    ("party_kind", "法人"),
                    ("filing_date", "2026-03-02"),
                    ("department", department_text.as_str()),
                    ("period_rule", "行政处罚法第六十条"),
                ],
            )
            .await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
        let officers = db
            .store
            .certified_officers(department, time::macros::date!(2026 - 03 - 02))
            .await
            .expect("officers");
        let investigators = officers
            .iter()
            .take(2)
            .map(|o| o.person_id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let foreign = "0".repeat(64);
        let before = written(db).await;
        for (evidence, expected) in [
            (foreign.as_str(), StatusCode::UNPROCESSABLE_ENTITY),
            (hash.as_str(), StatusCode::SEE_OTHER),
        ] {
            let reply = app
                .post(
                    &format!("/case/{first}/act"),
                    &[
                        ("action", "record_investigation"),
                        ("version", "2"),
                        ("on", "2026-03-02"),
                        ("investigators", investigators.as_str()),
                        ("evidence", evidence),
                    ],
                )
                .await;
            assert_eq!(reply.status, expected, "{}", reply.body);
            if expected != StatusCode::SEE_OTHER {
                assert!(reply.body.contains("不是本案附件"), "{}", reply.body);
                assert_eq!(written(db).await, before);
            }
        }
        let page = app.get(&format!("/case/{first}")).await;
        assert!(
            page.body
                .contains(&format!("询问笔录.pdf（{}…）", &hash[..12])),
            "the step shows the document by its file name: {}",
            page.body
        );

        // Downloaded as stored, named, never sniffed.
        let download = app.get(&format!("/case/{first}/attachments/{hash}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.bytes, PDF);
        assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(download.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let disposition = download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("%E8%AF%A2%E9%97%AE%E7%AC%94%E5%BD%95.pdf"),
            "{disposition}"
        );
    }
);

db_test!(
    oversize_and_mistyped_uploads_are_refused_with_nothing_written,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let department = market(db).await;
        app.login_demo("zhifa").await;
        let case = open_case(&mut app, department).await;
        let path = format!("/case/{case}/attachments");
        let before = written(db).await;

        let mut big = PDF.to_vec();
        big.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        let oversize = app
            .post_multipart(&path, &[], "file", "big.pdf", "application/pdf", &big)
            .await;
        assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            oversize.body.contains("不得超过 20 MiB"),
            "{}",
            oversize.body
        );
        assert_eq!(written(db).await, before);

        // An executable claiming to be a PDF.
        let mistyped = app
            .post_multipart(
                &path,
                &[],
                "file",
                "决定书.pdf",
                "application/pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            )
            .await;
        assert_eq!(mistyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(
            mistyped.body.contains("仅接受 PDF、OFD"),
            "{}",
            mistyped.body
        );
        assert_eq!(written(db).await, before);

        let empty = app
            .post_multipart(&path, &[], "file", "empty.txt", "text/plain", b"")
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(written(db).await, before);

        // Without a session the server buffers no more than an ordinary form.
        let mut stranger = TestApp::new(&db.store);
        stranger.get("/login").await;
        let anonymous = stranger
            .post_multipart(
                &path,
                &[],
                "file",
                "a.pdf",
                "application/pdf",
                &big[..1024 * 1024],
            )
            .await;
        assert_eq!(anonymous.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(written(db).await, before);

        // Without the CSRF token nothing is even read.
        app.csrf = "wrong".into();
        let forged = app
            .post_multipart(&path, &[], "file", "a.pdf", "application/pdf", PDF)
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(written(db).await, before);
    }
);

db_test!(
    attachments_outside_ones_scope_cannot_be_downloaded_or_added,
    with_demo,
    |db| {
        let department = market(db).await;
        let justice_bureau = db
            .store
            .active_departments(Scope::All)
            .await
            .expect("departments")
            .into_iter()
            .find(|d| d.is_justice_bureau)
            .expect("justice bureau")
            .id;
        assert_ne!(justice_bureau, department);
        let mut sifa = TestApp::new(&db.store);
        sifa.login_demo("sifa").await;
        let opened = sifa
            .post(
                "/cases/litigation",
                &[
                    ("department_id", &justice_bureau.to_string()),
                    ("on", "2026-03-02"),
                    ("cause", "政府信息公开答复"),
                ],
            )
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let elsewhere: i64 = opened
            .location
            .expect("redirect")
            .trim_start_matches("/case/")
            .split('?')
            .next()
            .expect("id")
            .parse()
            .expect("id");
        let reply = sifa
            .post_multipart(
                &format!("/case/{elsewhere}/attachments"),
                &[],
                "file",
                "note.txt",
                "text/plain",
                "现场检查笔录".as_bytes(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let hash = sha256_hex("现场检查笔录".as_bytes());
        let url = format!("/case/{elsewhere}/attachments/{hash}");
        assert_eq!(sifa.get(&url).await.status, StatusCode::OK);

        // The market-regulation legal officer may not see that case, nor its documents.
        let mut fazhi = TestApp::new(&db.store);
        fazhi.login_demo("fazhi").await;
        let refused = fazhi.get(&url).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert!(!refused.body.contains("现场检查笔录"));
        let before = written(db).await;
        let upload = fazhi
            .post_multipart(
                &format!("/case/{elsewhere}/attachments"),
                &[],
                "file",
                "x.pdf",
                "application/pdf",
                PDF,
            )
            .await;
        assert_eq!(upload.status, StatusCode::NOT_FOUND);
        assert_eq!(written(db).await, before);

        // A leader may read the document but not attach one.
        let mut leader = TestApp::new(&db.store);
        leader.login_demo("lingdao").await;
        assert_eq!(leader.get(&url).await.status, StatusCode::OK);
        let page = leader.get(&format!("/case/{elsewhere}")).await;
        assert!(!page.body.contains("id=\"upload-form\""));
        let upload = leader
            .post_multipart(
                &format!("/case/{elsewhere}/attachments"),
                &[],
                "file",
                "x.pdf",
                "application/pdf",
                PDF,
            )
            .await;
        assert_eq!(upload.status, StatusCode::FORBIDDEN);
        assert_eq!(written(db).await, before);
    }
);
