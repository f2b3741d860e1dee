//! The tree of jurisdictions (issue #14) through the router, on both databases: the
//! administrator builds a province's tree (省 → 市 → 区/开发区), every refusal of a code, level
//! or parent is in Chinese beside its field with nothing stored, other roles may not change the
//! tree, the tree page lists it with its departments and accounts, every change is journaled
//! and the log verifies.

use axum::http::StatusCode;
use fazhi_app::domain::{AccountInput, DepartmentInput, JurisdictionInput};
use fazhi_app::store::{ROOT_JURISDICTION, Store};
use fazhi_app::web::messages;
use fazhi_ledger::Signer;

use crate::db_test;
use crate::support::{Reply, TestApp, TestDb};

const AT: &str = "2026-03-02T01:00:00Z";
const PASSWORD: &str = "jurisdiction-test-2026";
/// One account per role, in `Role::ALL` order: 系统管理员, 司法局工作人员, 部门法制人员, 执法人员,
/// 领导.
const ACCOUNTS: [(&str, &str, &str); 5] = [
    ("admin", "admin", "周建国"),
    ("sifa", "justice_staff", "陈静"),
    ("fazhi", "department_legal", "王芳"),
    ("zhifa", "officer", "李明"),
    ("lingdao", "leader", "赵强"),
];

/// Makes the migrated database a province's: the root named 湖北省 (420000, not a demo), two
/// departments and an account per role.
async fn province(db: &TestDb) {
    let root = JurisdictionInput::parse("湖北省", "province", "420000").expect("valid");
    db.store
        .set_jurisdiction(None, AT, &root, None)
        .await
        .expect("root");
    let mut departments = Vec::new();
    for (name, justice) in [("湖北省司法厅", true), ("湖北省市场监督管理局", false)]
    {
        let input = DepartmentInput::parse(name, "政府工作部门", justice, "", "").expect("valid");
        departments.push(
            db.store
                .create_department(None, AT, fazhi_app::store::ROOT_JURISDICTION, &input)
                .await
                .expect("department"),
        );
    }
    let hash = fazhi_app::password::hash(PASSWORD).expect("hash");
    for (username, role, name) in ACCOUNTS {
        let department = match role {
            "justice_staff" => departments[0].to_string(),
            "department_legal" | "officer" => departments[1].to_string(),
            _ => String::new(),
        };
        let input =
            AccountInput::parse(username, role, &department, name, PASSWORD).expect("valid");
        db.store
            .create_user(None, AT, &input, &hash)
            .await
            .expect("account");
    }
}

async fn signed_in(db: &TestDb, username: &str) -> TestApp {
    let mut app = TestApp::new(&db.store);
    let reply = app.login(username, PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{username}: {}",
        reply.body
    );
    app.get("/").await;
    app
}

/// What a refused request must leave as it was: the tree, the journal, the log and the
/// deployment's own row.
async fn state(store: &Store) -> (i64, i64, u64, String) {
    let tree: i64 = store
        .count_raw("SELECT COUNT(*) FROM jurisdictions")
        .await
        .expect("count");
    let events = store
        .count_raw("SELECT COUNT(*) FROM events")
        .await
        .expect("count");
    let nodes = store
        .jurisdictions()
        .await
        .expect("nodes")
        .iter()
        .map(|j| format!("{}:{}:{}:{}", j.id, j.code, j.name, j.level.code()))
        .collect::<Vec<_>>()
        .join(",");
    let own = store.jurisdiction().await.expect("read").map(|j| j.name);
    (
        tree,
        events,
        store.ledger_size(ROOT_JURISDICTION).await.expect("size"),
        format!("{nodes}|{own:?}"),
    )
}

/// The id of the jurisdiction with `code`.
async fn id_of(store: &Store, code: &str) -> i64 {
    store
        .jurisdiction_by_code(code)
        .await
        .expect("read")
        .unwrap_or_else(|| panic!("a jurisdiction {code}"))
        .id
}

async fn add(app: &mut TestApp, parent: i64, name: &str, level: &str, code: &str) -> Reply {
    app.get(&format!("/jurisdictions/new?parent={parent}"))
        .await;
    app.post(
        "/jurisdictions",
        &[
            ("parent_id", &parent.to_string()),
            ("name", name),
            ("level", level),
            ("code", code),
        ],
    )
    .await
}

fn signer() -> Signer {
    Signer::from_seed("fazhi-log/420000", [42u8; 32]).expect("signer")
}

async fn assert_log_verifies(store: &Store) {
    let report = store
        .verify_ledger(ROOT_JURISDICTION, &signer().verifier())
        .await
        .expect("verify runs");
    assert_eq!(report.divergence, None, "the log verifies");
    assert_eq!(
        report.leaves,
        store.ledger_size(ROOT_JURISDICTION).await.expect("size")
    );
}

db_test!(
    the_administrator_builds_a_province_tree_and_every_step_is_journaled,
    migrated,
    |db| {
        province(db).await;
        let mut admin = signed_in(db, "admin").await;
        let admin_id = db
            .store
            .user_by_username("admin")
            .await
            .expect("read")
            .expect("admin")
            .id;

        let form = admin
            .get(&format!("/jurisdictions/new?parent={ROOT_JURISDICTION}"))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("上级辖区：湖北省（420000）"),
            "{}",
            form.body
        );
        assert!(
            form.body
                .contains(r#"<option value="city" selected>市</option>"#)
        );
        assert!(
            !form.body.contains(r#"value="province""#),
            "no 省 under a 省"
        );

        let events_before = db
            .store
            .count_raw("SELECT COUNT(*) FROM events")
            .await
            .expect("count");
        let reply = add(&mut admin, ROOT_JURISDICTION, "武汉市", "city", "420100").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            reply.location.as_deref(),
            Some("/jurisdictions?notice=jurisdiction_created")
        );
        let wuhan = id_of(&db.store, "420100").await;
        for (name, level, code) in [
            ("江岸区", "county", "420102"),
            ("洪山区", "county", "420111"),
            ("东湖新技术开发区", "development_zone", "420171"),
        ] {
            let reply = add(&mut admin, wuhan, name, level, code).await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{name}: {}",
                reply.body
            );
        }
        // 仙桃市 sits under the province directly (省直辖县级行政区划).
        let reply = add(&mut admin, ROOT_JURISDICTION, "仙桃市", "county", "429004").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let (jiangan, xiantao) = (
            id_of(&db.store, "420102").await,
            id_of(&db.store, "429004").await,
        );

        // The tree, as the store sees it.
        let node = db.store.jurisdiction_by_id(jiangan).await.expect("node");
        assert_eq!(
            (node.parent_id, node.name.as_str(), node.level.code()),
            (Some(wuhan), "江岸区", "county")
        );
        assert_eq!(
            db.store.ancestors(jiangan).await.expect("ancestors"),
            [wuhan, ROOT_JURISDICTION]
        );
        let mut below_wuhan = db.store.subtree(wuhan).await.expect("subtree");
        below_wuhan.sort_unstable();
        let mut expected = vec![
            wuhan,
            jiangan,
            id_of(&db.store, "420111").await,
            id_of(&db.store, "420171").await,
        ];
        expected.sort_unstable();
        assert_eq!(below_wuhan, expected);
        assert_eq!(
            db.store
                .subtree(ROOT_JURISDICTION)
                .await
                .expect("all")
                .len(),
            6
        );
        assert_eq!(db.store.subtree(xiantao).await.expect("leaf"), [xiantao]);
        assert!(matches!(
            db.store.subtree(999_999).await,
            Err(fazhi_app::store::StoreError::NotFound)
        ));

        // The tree page: everyone in order under their parent, with the root's departments and
        // accounts.
        let page = admin
            .get("/jurisdictions?notice=jurisdiction_created")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("下级辖区已新增"));
        let at = |text: &str| {
            page.body
                .find(text)
                .unwrap_or_else(|| panic!("{text} on the tree page"))
        };
        assert!(at("湖北省") < at("武汉市"));
        assert!(at("武汉市") < at("江岸区"));
        assert!(at("江岸区") < at("洪山区"));
        assert!(at("洪山区") < at("东湖新技术开发区"));
        assert!(at("东湖新技术开发区") < at("仙桃市"));
        for code in ["420000", "420100", "420102", "420111", "420171", "429004"] {
            assert!(page.body.contains(&format!("<td>{code}</td>")), "{code}");
        }
        let root_row = &page.body[at(r#"id="jurisdiction-1""#)..at("武汉市")];
        assert!(
            root_row.contains("<td>省</td>")
                && root_row.contains("<td>2</td>")
                && root_row.contains("<td>5</td>"),
            "the root has 2 departments and 5 accounts: {root_row}"
        );
        assert!(
            page.body
                .contains(&format!("/jurisdictions/new?parent={wuhan}"))
        );
        assert!(
            !page
                .body
                .contains(&format!("/jurisdictions/new?parent={jiangan}")),
            "nothing goes under a district"
        );
        // The closure the supervisors' queries read holds every (ancestor, descendant, depth)
        // of the tree: the province over everything, the city over its three, each itself.
        for node in db.store.jurisdictions().await.expect("nodes") {
            let below = db.store.subtree(node.id).await.expect("subtree");
            assert_eq!(
                db.store
                    .count_raw(&format!(
                        "SELECT COUNT(*) FROM jurisdiction_closure WHERE ancestor_id = {}",
                        node.id
                    ))
                    .await
                    .expect("closure"),
                i64::try_from(below.len()).expect("small"),
                "{}",
                node.code
            );
        }
        assert_eq!(
            db.store
                .count_raw(&format!(
                    "SELECT depth FROM jurisdiction_closure WHERE ancestor_id = 1 \
                     AND descendant_id = {jiangan}"
                ))
                .await
                .expect("depth"),
            2
        );
        let tree = db.store.jurisdiction_tree().await.expect("tree");
        let depths: Vec<(&str, usize, i64, i64)> = tree
            .iter()
            .map(|r| {
                (
                    r.jurisdiction.code.as_str(),
                    r.depth,
                    r.n_departments,
                    r.n_accounts,
                )
            })
            .collect();
        assert_eq!(
            depths,
            [
                ("420000", 0, 2, 5),
                ("420100", 1, 0, 0),
                ("420102", 2, 0, 0),
                ("420111", 2, 0, 0),
                ("420171", 2, 0, 0),
                ("429004", 1, 0, 0),
            ]
        );

        // Each addition journaled once, by the administrator, with the jurisdiction's own log.
        assert_eq!(
            db.store
                .count_raw("SELECT COUNT(*) FROM events")
                .await
                .expect("count"),
            events_before + 5
        );
        assert_eq!(
            db.store
                .count_raw(&format!(
                    "SELECT COUNT(*) FROM events WHERE kind = 'jurisdiction.created' \
                     AND subject = 'jurisdiction:{jiangan}' AND actor_user_id = {admin_id} \
                     AND body LIKE '%\"parent_id\":{wuhan}%'"
                ))
                .await
                .expect("count"),
            1
        );
        assert_eq!(
            db.store
                .count_raw("SELECT COUNT(*) FROM ledger_logs")
                .await
                .expect("count"),
            6
        );
        assert_log_verifies(&db.store).await;
    }
);

db_test!(
    bad_codes_levels_and_parents_are_refused_in_chinese_and_nothing_is_stored,
    migrated,
    |db| {
        province(db).await;
        let mut admin = signed_in(db, "admin").await;
        let reply = add(&mut admin, ROOT_JURISDICTION, "武汉市", "city", "420100").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let wuhan = id_of(&db.store, "420100").await;
        let root = ROOT_JURISDICTION;

        // (parent, name, level, code, the field and code of the refusal).
        let refused: [(i64, &str, &str, &str, &str, &str); 16] = [
            (
                root,
                "汉阳市",
                "city",
                "420100",
                "code",
                "duplicate_division_code",
            ),
            (
                wuhan,
                "湖北省",
                "county",
                "420000",
                "code",
                "code_level_mismatch",
            ),
            (
                wuhan,
                "江岸区",
                "county",
                "42010",
                "code",
                "invalid_division_code",
            ),
            (
                wuhan,
                "江岸区",
                "county",
                "4201021",
                "code",
                "invalid_division_code",
            ),
            (
                wuhan,
                "江岸区",
                "county",
                "42010A",
                "code",
                "invalid_division_code",
            ),
            (
                wuhan,
                "江岸区",
                "county",
                "４２０１０２",
                "code",
                "invalid_division_code",
            ),
            (
                root,
                "某省",
                "city",
                "000000",
                "code",
                "unknown_province_code",
            ),
            (
                root,
                "某市",
                "city",
                "470100",
                "code",
                "unknown_province_code",
            ),
            (
                wuhan,
                "黄石港区",
                "county",
                "420202",
                "code",
                "code_outside_parent",
            ),
            (
                root,
                "长沙市",
                "city",
                "430100",
                "code",
                "code_outside_parent",
            ),
            (
                root,
                "示范市",
                "city",
                "990100",
                "code",
                "demo_code_outside_demo",
            ),
            (
                root,
                "江岸区",
                "county",
                "420102",
                "code",
                "county_needs_city",
            ),
            (
                wuhan,
                "黄石市",
                "city",
                "420200",
                "level",
                "level_not_below_parent",
            ),
            (wuhan, "江岸区", "town", "420102", "level", "invalid_level"),
            (wuhan, "", "county", "420102", "name", "required"),
            (
                999_999,
                "江岸区",
                "county",
                "420102",
                "parent",
                "unknown_parent",
            ),
        ];
        let before = state(&db.store).await;
        for (parent, name, level, code, field, problem) in refused {
            let reply = add(&mut admin, parent, name, level, code).await;
            let what = format!("{name} {level} {code} under {parent}");
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what}: {}",
                reply.body
            );
            let message = messages::field_error(problem);
            assert!(
                reply
                    .body
                    .contains(&format!("id=\"{field}-error\">{message}</p>")),
                "{what}: {message} beside {field} in {}",
                reply.body
            );
            assert!(reply.body.contains(messages::errors::FORM), "{what}");
            assert_eq!(state(&db.store).await, before, "{what}: nothing stored");
        }
        // A parent id that is not one at all.
        let reply = admin
            .post(
                "/jurisdictions",
                &[
                    ("parent_id", "abc"),
                    ("name", "江岸区"),
                    ("level", "county"),
                    ("code", "420102"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains(messages::field_error("unknown_parent")));

        // Changing a jurisdiction is held to the same rules, and its children must still fit.
        let reply = add(&mut admin, wuhan, "江岸区", "county", "420102").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let before = state(&db.store).await;
        let edits: [(i64, &str, &str, &str, &str, &str); 6] = [
            (
                wuhan,
                "武汉市",
                "city",
                "420000",
                "code",
                "code_level_mismatch",
            ),
            (
                wuhan,
                "武汉市",
                "city",
                "42O100",
                "code",
                "invalid_division_code",
            ),
            (
                wuhan,
                "武汉市",
                "city",
                "420200",
                "code",
                "code_not_above_children",
            ),
            (
                wuhan,
                "武汉市",
                "county",
                "420101",
                "level",
                "level_not_above_children",
            ),
            (
                root,
                "湖南省",
                "province",
                "430000",
                "code",
                "code_not_above_children",
            ),
            (
                root,
                "湖北省",
                "province",
                "420100",
                "code",
                "code_level_mismatch",
            ),
        ];
        for (id, name, level, code, field, problem) in edits {
            admin.get(&format!("/jurisdictions/{id}/edit")).await;
            let reply = admin
                .post(
                    &format!("/jurisdictions/{id}"),
                    &[("name", name), ("level", level), ("code", code)],
                )
                .await;
            let what = format!("{id} as {name} {level} {code}");
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what}: {}",
                reply.body
            );
            let message = messages::field_error(problem);
            assert!(
                reply
                    .body
                    .contains(&format!("id=\"{field}-error\">{message}</p>")),
                "{what}: {message} beside {field} in {}",
                reply.body
            );
            assert_eq!(state(&db.store).await, before, "{what}: nothing stored");
        }
        // A district's code taken by another.
        let jiangan = id_of(&db.store, "420102").await;
        let reply = add(&mut admin, wuhan, "洪山区", "county", "420111").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let before = state(&db.store).await;
        let reply = admin
            .post(
                &format!("/jurisdictions/{jiangan}"),
                &[("name", "江岸区"), ("level", "county"), ("code", "420111")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply
                .body
                .contains(messages::field_error("duplicate_division_code"))
        );
        assert_eq!(state(&db.store).await, before);
        // No such jurisdiction: not found, in Chinese.
        let reply = admin
            .post(
                "/jurisdictions/999999",
                &[("name", "江岸区"), ("level", "county"), ("code", "420103")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(state(&db.store).await, before);
        assert_log_verifies(&db.store).await;
    }
);

db_test!(
    renaming_and_recoding_are_journaled_and_the_root_keeps_the_deployment_in_step,
    migrated,
    |db| {
        province(db).await;
        let mut admin = signed_in(db, "admin").await;
        add(&mut admin, ROOT_JURISDICTION, "武汉市", "city", "420100").await;
        let wuhan = id_of(&db.store, "420100").await;
        add(&mut admin, wuhan, "江岸区", "county", "420102").await;
        let jiangan = id_of(&db.store, "420102").await;

        let form = admin.get(&format!("/jurisdictions/{jiangan}/edit")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(r#"value="江岸区""#));
        assert!(form.body.contains(r#"value="420102""#));
        assert!(form.body.contains("上级辖区：武汉市（420100）"));

        // A district recoded within its city, and renamed.
        let reply = admin
            .post(
                &format!("/jurisdictions/{jiangan}"),
                &[
                    ("name", " 江岸区（新） "),
                    ("level", "county"),
                    ("code", "420103"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            reply.location.as_deref(),
            Some("/jurisdictions?notice=jurisdiction_updated")
        );
        let node = db.store.jurisdiction_by_id(jiangan).await.expect("node");
        assert_eq!(
            (node.name.as_str(), node.code.as_str()),
            ("江岸区（新）", "420103")
        );
        assert!(
            db.store
                .jurisdiction_by_code("420102")
                .await
                .expect("read")
                .is_none()
        );
        assert_eq!(
            db.store
                .count_raw(&format!(
                    "SELECT COUNT(*) FROM events WHERE kind = 'jurisdiction.updated' \
                     AND subject = 'jurisdiction:{jiangan}' AND body LIKE '%420103%'"
                ))
                .await
                .expect("count"),
            1
        );

        // The root renamed through the tree: the deployment's own row follows.
        let sets_before = db
            .store
            .count_raw("SELECT COUNT(*) FROM events WHERE kind = 'jurisdiction.set'")
            .await
            .expect("count");
        admin
            .get(&format!("/jurisdictions/{ROOT_JURISDICTION}/edit"))
            .await;
        let reply = admin
            .post(
                &format!("/jurisdictions/{ROOT_JURISDICTION}"),
                &[
                    ("name", "湖北省（试点）"),
                    ("level", "province"),
                    ("code", "420000"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let own = db.store.jurisdiction().await.expect("read").expect("set");
        assert_eq!(
            (own.name.as_str(), own.code.as_str(), own.is_demo),
            ("湖北省（试点）", "420000", false)
        );
        assert_eq!(
            db.store
                .jurisdiction_by_id(ROOT_JURISDICTION)
                .await
                .expect("root")
                .name,
            "湖北省（试点）"
        );
        assert_eq!(
            db.store
                .count_raw("SELECT COUNT(*) FROM events WHERE kind = 'jurisdiction.set'")
                .await
                .expect("count"),
            sets_before + 1
        );
        let page = admin.get("/jurisdictions").await;
        assert!(page.body.contains("湖北省（试点）") && page.body.contains("江岸区（新）"));
        assert_log_verifies(&db.store).await;
    }
);

db_test!(only_the_administrator_changes_the_tree, migrated, |db| {
    province(db).await;
    let before = state(&db.store).await;
    // (account, may see the tree).
    for (username, sees) in [
        ("sifa", true),
        ("fazhi", false),
        ("zhifa", false),
        ("lingdao", true),
    ] {
        let mut app = signed_in(db, username).await;
        let page = app.get("/jurisdictions").await;
        if sees {
            assert_eq!(page.status, StatusCode::OK, "{username}");
            assert!(page.body.contains("湖北省"));
            assert!(
                !page.body.contains("新增下级"),
                "{username} sees no add link"
            );
            assert!(!page.body.contains("/jurisdictions/1/edit"));
        } else {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{username}");
            assert!(page.body.contains("无权查看辖区层级"), "{username}");
        }
        for path in ["/jurisdictions/new?parent=1", "/jurisdictions/1/edit"] {
            let reply = app.get(path).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username} {path}");
            assert!(reply.body.contains("无权新增或修改下级辖区"), "{username}");
        }
        let reply = app
            .post(
                "/jurisdictions",
                &[
                    ("parent_id", "1"),
                    ("name", "武汉市"),
                    ("level", "city"),
                    ("code", "420100"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username}");
        let reply = app
            .post(
                "/jurisdictions/1",
                &[
                    ("name", "湖南省"),
                    ("level", "province"),
                    ("code", "430000"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(state(&db.store).await, before, "{username}: nothing stored");
    }
    // Signed out: sent to sign in.
    let mut anonymous = TestApp::new(&db.store);
    let reply = anonymous.get("/jurisdictions").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.location.unwrap_or_default().starts_with("/login"));
});

db_test!(
    the_demo_takes_demo_codes_and_nothing_goes_under_its_districts,
    with_demo,
    |db| {
        // The demo is a city over three districts; its administrator sees the whole tree.
        let mut admin = TestApp::new(&db.store);
        admin.login_demo("shi.admin").await;
        let page = admin.get("/jurisdictions").await;
        assert_eq!(page.status, StatusCode::OK);
        for (name, code) in [
            ("示范市", "999900"),
            ("示范市滨河区", "999902"),
            ("示范市临江区", "999905"),
            ("示范市云岭县", "999907"),
        ] {
            assert!(
                page.body.contains(name) && page.body.contains(&format!("<td>{code}</td>")),
                "{name}"
            );
        }
        let district = db
            .store
            .jurisdiction_by_code("999902")
            .await
            .expect("read")
            .expect("the demo's district")
            .id;

        // A district is county-level: the form says so, and an addition is refused.
        let form = admin
            .get(&format!("/jurisdictions/new?parent={district}"))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(messages::jurisdictions::NO_LEVEL_BELOW));
        let before = state(&db.store).await;
        let reply = add(&mut admin, district, "示范市滨海区", "county", "999903").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply
                .body
                .contains(messages::field_error("level_not_below_parent"))
        );
        assert_eq!(state(&db.store).await, before);

        // The (fictional) city takes another district with a demo code, not with a real one.
        let reply = add(&mut admin, 1, "示范市滨海区", "county", "999903").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let own = db.store.jurisdiction().await.expect("read").expect("set");
        assert_eq!((own.name.as_str(), own.is_demo), ("示范市", true));
        let reply = add(&mut admin, 1, "示范市东湖区", "county", "429004").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply
                .body
                .contains(messages::field_error("code_outside_parent"))
        );
        let report = db
            .store
            .verify_ledger(ROOT_JURISDICTION, &signer().verifier())
            .await
            .expect("verify runs");
        assert_eq!(report.divergence, None);
    }
);
