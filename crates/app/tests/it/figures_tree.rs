//! Figures across the tree of jurisdictions (issue #14, point 3), on both databases: a city
//! (武汉市) with two districts, cases opened and decided by each district's own accounts and
//! submissions by each district's departments. A jurisdiction's figures are taken alone or with
//! everything below it; counts are summed and rates recomputed from the summed numerator and
//! denominator (the districts are built so that averaging their rates gives another number);
//! the per-district breakdown sums to the city's figure and drills down to the records; a
//! district's staff cannot read the city's or a sibling's figures; the city's report is drafted
//! from its 全市 figures and a district's from its own, each published under its own name.

use std::collections::BTreeMap;

/// A step to take: (action, date, fields).
type Step<'a> = (&'a str, Date, Vec<(&'a str, String)>);

use axum::http::StatusCode;
use fazhi_app::authz::Subject;
use fazhi_app::cases;
use fazhi_app::domain::{AccountInput, DepartmentInput, JurisdictionInput};
use fazhi_app::engine::Command;
use fazhi_app::indicators::compute::{Computation, compute, natural_extent, records};
use fazhi_app::indicators::{Catalogue, Extent};
use fazhi_app::procedure::{Procedure, load_embedded};
use fazhi_app::reports::service;
use fazhi_app::store::ROOT_JURISDICTION;
use fazhi_app::store::reports::NewSubmission;
use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

use crate::db_test;
use crate::support::{TestApp, TestDb, test_now};

const AT: &str = "2026-03-02T01:00:00Z";
const PASSWORD: &str = "figures-tree-2026";
const YEAR: i32 = 2025;

/// The tree and who works in it.
struct City {
    city: i64,
    jiangan: i64,
    jianghan: i64,
    /// Each jurisdiction's 市场监督管理局 (city, 江岸区, 江汉区), where the lawsuits are.
    markets: [i64; 3],
    /// Their legal officers (部门法制人员), who open and decide the lawsuits.
    legal: [Subject; 3],
    procedures: Vec<Procedure>,
    calendar: fazhi_app::deadlines::OfficialCalendar,
    catalogue: Catalogue,
}

async fn department(db: &TestDb, jurisdiction: i64, name: &str, justice: bool) -> i64 {
    let input = DepartmentInput::parse(name, "政府工作部门", justice, "", "").expect("valid");
    db.store
        .create_department(None, AT, jurisdiction, &input)
        .await
        .expect("department")
}

async fn account(
    db: &TestDb,
    username: &str,
    role: &str,
    jurisdiction: i64,
    department: Option<i64>,
) -> Subject {
    let department_text = department.map(|d| d.to_string()).unwrap_or_default();
    let mut input = AccountInput::parse(username, role, &department_text, "测试人员", PASSWORD)
        .expect("valid account");
    input.jurisdiction_id = jurisdiction;
    let hash = fazhi_app::password::hash(PASSWORD).expect("hash");
    let id = db
        .store
        .create_user(None, AT, &input, &hash)
        .await
        .expect("account");
    Subject {
        user_id: id,
        role: input.role,
        department_id: department,
        jurisdiction_id: jurisdiction,
    }
}

async fn city(db: &TestDb) -> City {
    let store = &db.store;
    let root = JurisdictionInput::parse("武汉市", "city", "420100").expect("valid");
    store
        .set_jurisdiction(None, AT, &root, None)
        .await
        .expect("root");
    let district = |name: &str, code: &str| JurisdictionInput::parse(name, "county", code);
    let jiangan = store
        .create_jurisdiction(
            None,
            AT,
            ROOT_JURISDICTION,
            &district("武汉市江岸区", "420102").expect("valid"),
        )
        .await
        .expect("江岸区");
    let jianghan = store
        .create_jurisdiction(
            None,
            AT,
            ROOT_JURISDICTION,
            &district("武汉市江汉区", "420103").expect("valid"),
        )
        .await
        .expect("江汉区");
    let mut markets = [0; 3];
    let mut legal = Vec::new();
    for (index, (jurisdiction, prefix, suffix)) in [
        (ROOT_JURISDICTION, "武汉市", "city"),
        (jiangan, "武汉市江岸区", "a"),
        (jianghan, "武汉市江汉区", "b"),
    ]
    .into_iter()
    .enumerate()
    {
        let justice = department(db, jurisdiction, &format!("{prefix}司法局"), true).await;
        let market = department(db, jurisdiction, &format!("{prefix}市场监督管理局"), false).await;
        markets[index] = market;
        account(
            db,
            &format!("sifa_{suffix}"),
            "justice_staff",
            jurisdiction,
            Some(justice),
        )
        .await;
        legal.push(
            account(
                db,
                &format!("fazhi_{suffix}"),
                "department_legal",
                jurisdiction,
                Some(market),
            )
            .await,
        );
    }
    account(db, "admin_city", "admin", ROOT_JURISDICTION, None).await;
    let procedures = load_embedded().expect("definitions");
    let catalogue = Catalogue::embedded(&procedures).expect("catalogue");
    City {
        city: ROOT_JURISDICTION,
        jiangan,
        jianghan,
        markets,
        legal: [legal[0], legal[1], legal[2]],
        procedures,
        calendar: fazhi_app::deadlines::OfficialCalendar::load().expect("calendar"),
        catalogue,
    }
}

fn raw(fields: &[(&str, &str)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl City {
    /// A lawsuit against jurisdiction `which`'s 市场监督管理局 (0 the city, 1 江岸区, 2 江汉区),
    /// served on `on`, defended, and decided in first instance (`lost` or won), by its own legal
    /// officer.
    async fn lawsuit(&self, db: &TestDb, which: usize, number: usize, on: Date, lost: bool) {
        let procedure = self
            .procedures
            .iter()
            .find(|p| p.id == "litigation")
            .expect("litigation");
        let actor = self.legal[which];
        let served = on.to_string();
        let court_number = format!("（2025）鄂0102行初{number}号");
        let (id, _) = cases::open_case(
            &db.store,
            procedure,
            &self.calendar,
            &actor,
            self.markets[which],
            &raw(&[
                ("plaintiff", "王某"),
                ("court", "武汉市江岸区人民法院"),
                ("court_case_number", &court_number),
                ("cause", "不服行政处罚决定"),
                ("served_date", &served),
            ]),
            on,
            test_now(),
        )
        .await
        .expect("open");
        let defended = on + time::Duration::days(5);
        let decided = on + time::Duration::days(40);
        let steps: [Step; 2] = [
            (
                "file_defence",
                defended,
                vec![("defence_filed_date", defended.to_string())],
            ),
            (
                if lost {
                    "first_instance_lost"
                } else {
                    "first_instance_won"
                },
                decided,
                vec![
                    ("decision_form", "判决".to_owned()),
                    ("judgment_date", decided.to_string()),
                    ("judgment_served_date", decided.to_string()),
                ],
            ),
        ];
        for (action, when, fields) in steps {
            let version = db.store.engine_case(id).await.expect("case").version;
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let command = Command {
                actor,
                action: action.to_owned(),
                on: when,
                fields: raw(&fields),
                expected_version: version,
            };
            cases::act(
                &db.store,
                procedure,
                &self.calendar,
                id,
                &command,
                test_now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{action}: {e:?}"));
        }
    }

    /// A complete submission for `YEAR` by jurisdiction `which`'s 市场监督管理局: mediation
    /// cases and successful ones as given, everything else zero.
    async fn submit(&self, db: &TestDb, which: usize, cases: i64, successful: i64) {
        let values: Vec<(String, Decimal, String)> = self
            .catalogue
            .submitted()
            .map(|indicator| {
                let value = match indicator.id.as_str() {
                    "mediation.cases" => cases,
                    "mediation.cases_successful" => successful,
                    _ => 0,
                };
                (indicator.id.clone(), Decimal::from(value), String::new())
            })
            .collect();
        db.store
            .insert_submission(&NewSubmission {
                department_id: self.markets[which],
                year: YEAR,
                source: "form",
                user_id: self.legal[which].user_id,
                at: AT,
                values: &values,
            })
            .await
            .expect("submission");
    }

    async fn figures(&self, db: &TestDb, extent: Extent) -> Computation {
        compute(&db.store, &self.catalogue, extent, YEAR, AT)
            .await
            .expect("compute")
    }

    /// The city's cases and submissions: the city itself 1 lawsuit won; 江岸区 1 lost (a loss
    /// rate of 100%); 江汉区 1 lost and 3 won (25%). Pooled: 2 lost of 6, 33.33%; the mean of the
    /// districts' rates would be 62.5%, of all three 41.67%. Mediation: 江岸区 1 of 1 (100%),
    /// 江汉区 0 of 9 (0%): pooled 10%, the mean 50%.
    async fn populate(&self, db: &TestDb) {
        self.lawsuit(db, 0, 1, date!(2025 - 03 - 03), false).await;
        self.lawsuit(db, 1, 2, date!(2025 - 03 - 04), true).await;
        self.lawsuit(db, 2, 3, date!(2025 - 04 - 01), true).await;
        for (index, day) in [
            date!(2025 - 05 - 06),
            date!(2025 - 06 - 02),
            date!(2025 - 07 - 01),
        ]
        .into_iter()
        .enumerate()
        {
            self.lawsuit(db, 2, 10 + index, day, false).await;
        }
        self.submit(db, 1, 1, 1).await;
        self.submit(db, 2, 9, 0).await;
    }
}

fn value(computation: &Computation, id: &str) -> Option<Decimal> {
    computation.value(id)
}

fn records_of(computation: &Computation, id: &str) -> i64 {
    computation.figure(id).expect("figure").records
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
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

db_test!(
    alone_and_with_below_sum_counts_and_pool_rates,
    migrated,
    |db| {
        let city = city(db).await;
        city.populate(db).await;
        let whole = city.figures(db, Extent::with_below(city.city)).await;
        let own = city.figures(db, Extent::alone(city.city)).await;
        let jiangan = city.figures(db, Extent::alone(city.jiangan)).await;
        let jianghan = city.figures(db, Extent::alone(city.jianghan)).await;

        // Counts: alone, each district's own; with everything below, their sum.
        for (computation, cases, lost, concluded) in [
            (&own, 1, 0, 1),
            (&jiangan, 1, 1, 1),
            (&jianghan, 4, 1, 4),
            (&whole, 6, 2, 6),
        ] {
            assert_eq!(
                value(computation, "litigation.cases"),
                Some(Decimal::from(cases))
            );
            assert_eq!(
                value(computation, "litigation.lost"),
                Some(Decimal::from(lost))
            );
            assert_eq!(
                value(computation, "litigation.first_instance_concluded"),
                Some(Decimal::from(concluded))
            );
        }
        // A district has nothing below it: with everything below is itself alone.
        let jiangan_below = city.figures(db, Extent::with_below(city.jiangan)).await;
        assert_eq!(jiangan_below.figures, jiangan.figures);
        assert_eq!(
            natural_extent(&db.store, city.city).await.expect("extent"),
            Extent::with_below(city.city)
        );
        assert_eq!(
            natural_extent(&db.store, city.jiangan)
                .await
                .expect("extent"),
            Extent::alone(city.jiangan)
        );

        // Rates: the summed numerator over the summed denominator, never an average.
        assert_eq!(value(&jiangan, "litigation.loss_rate"), Some(dec("100.00")));
        assert_eq!(value(&jianghan, "litigation.loss_rate"), Some(dec("25.00")));
        assert_eq!(value(&own, "litigation.loss_rate"), Some(dec("0.00")));
        assert_eq!(value(&whole, "litigation.loss_rate"), Some(dec("33.33")));
        assert_eq!(records_of(&whole, "litigation.loss_rate"), 6);
        assert_eq!(
            value(&jiangan, "mediation.success_rate"),
            Some(dec("100.00"))
        );
        assert_eq!(
            value(&jianghan, "mediation.success_rate"),
            Some(dec("0.00"))
        );
        assert_eq!(value(&whole, "mediation.success_rate"), Some(dec("10.00")));
        assert_eq!(value(&whole, "mediation.cases"), Some(Decimal::from(10)));
        // The city submitted nothing itself: its own submitted figures have no value.
        assert_eq!(value(&own, "mediation.cases"), None);

        // The per-branch breakdown: the city itself and each district, summing to the whole.
        let branches: Vec<i64> = whole.by_branch.keys().copied().collect();
        assert_eq!(branches, [city.city, city.jiangan, city.jianghan]);
        for id in [
            "litigation.cases",
            "litigation.lost",
            "litigation.first_instance_concluded",
            "mediation.cases",
        ] {
            let sum: Decimal = whole
                .by_branch
                .keys()
                .filter_map(|branch| whole.branch_figure(*branch, id).and_then(|f| f.value))
                .sum();
            assert_eq!(Some(sum), value(&whole, id), "{id}");
            let records: i64 = whole
                .by_branch
                .keys()
                .filter_map(|branch| whole.branch_figure(*branch, id))
                .map(|f| f.records)
                .sum();
            assert_eq!(records, records_of(&whole, id), "{id}");
        }
        for (branch, alone) in [
            (city.city, &own),
            (city.jiangan, &jiangan),
            (city.jianghan, &jianghan),
        ] {
            for figure in &alone.figures {
                assert_eq!(
                    whole.branch_figure(branch, &figure.id),
                    Some(figure),
                    "branch {branch}, {}",
                    figure.id
                );
            }
        }
        assert!(
            own.by_branch.is_empty(),
            "a jurisdiction alone has no branches"
        );

        // Per department, inside the extent only.
        assert!(whole.by_department.contains_key(&city.markets[2]));
        assert!(!own.by_department.contains_key(&city.markets[2]));
        assert_eq!(
            whole.department_value(city.markets[2], "litigation.cases"),
            Some(Decimal::from(4))
        );

        // The records behind a figure: the extent's.
        let cases_indicator = city.catalogue.get("litigation.cases").expect("indicator");
        for (extent, total) in [
            (Extent::with_below(city.city), 6),
            (Extent::alone(city.city), 1),
            (Extent::alone(city.jianghan), 4),
        ] {
            let page = records(&db.store, cases_indicator, extent, YEAR, None, 1, 50)
                .await
                .expect("records");
            assert_eq!(page.total, total, "{extent:?}");
            assert!(page.items.iter().all(|r| r.event_id.is_some()));
        }
        let lost = city.catalogue.get("litigation.lost").expect("indicator");
        let page = records(
            &db.store,
            lost,
            Extent::with_below(city.city),
            YEAR,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        assert_eq!(page.total, 2);

        // The log sizes: each jurisdiction's own log, each grown by its own records.
        assert_eq!(
            whole.log_sizes.keys().copied().collect::<Vec<_>>(),
            [city.city, city.jiangan, city.jianghan]
        );
        for (jurisdiction, size) in &whole.log_sizes {
            assert_eq!(
                *size,
                db.store.ledger_size(*jurisdiction).await.expect("size"),
                "{jurisdiction}"
            );
        }
        assert_eq!(whole.log_size, whole.log_sizes[&city.city]);

        // The tallies rebuilt from the steps, in each case's jurisdiction, give the same figures.
        db.store.rebuild_tallies().await.expect("rebuild");
        assert!(!db.store.tallies_missing().await.expect("check"));
        assert_eq!(
            city.figures(db, Extent::with_below(city.city))
                .await
                .figures,
            whole.figures
        );
        assert_eq!(
            city.figures(db, Extent::alone(city.jiangan)).await.figures,
            jiangan.figures
        );
    }
);

db_test!(
    statistics_pages_drill_down_within_reach_only,
    migrated,
    |db| {
        let city = city(db).await;
        city.populate(db).await;
        let (c, a, b) = (city.city, city.jiangan, city.jianghan);

        // The city's justice staff: 全市 by default, broken down per district.
        let mut staff = signed_in(db, "sifa_city").await;
        let overview = staff.get("/statistics?year=2025").await;
        assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
        assert!(
            overview.body.contains("武汉市（含下级辖区）"),
            "{}",
            overview.body
        );
        assert!(overview.body.contains("statistics-jurisdiction"));
        let figure = staff
            .get(&format!(
                "/statistics/2025/litigation.loss_rate?jurisdiction={c}&breadth=below"
            ))
            .await;
        assert_eq!(figure.status, StatusCode::OK, "{}", figure.body);
        let value_at = figure.body.find("figure-value").expect("value");
        assert!(
            figure.body[value_at..].starts_with("figure-value\">33.33%"),
            "{}",
            &figure.body[value_at..value_at + 60]
        );
        let table_at = figure
            .body
            .find("figure-jurisdictions")
            .expect("per-district table");
        let table = figure.body[table_at..].replace("&#38;", "&");
        let table = &table[..table.find("</table>").expect("end")];
        for (name, shown, link) in [
            (
                "武汉市本级",
                "0%",
                format!("jurisdiction={c}&breadth=alone"),
            ),
            (
                "武汉市江岸区",
                "100%",
                format!("jurisdiction={a}&breadth=below"),
            ),
            (
                "武汉市江汉区",
                "25%",
                format!("jurisdiction={b}&breadth=below"),
            ),
        ] {
            let row = table
                .split("<tr>")
                .find(|row| row.contains(&format!(">{name}<")))
                .unwrap_or_else(|| panic!("{name}: {table}"));
            assert!(row.contains(&link), "{name}: {row}");
            assert!(row.contains(&format!("<td>{shown}</td>")), "{name}: {row}");
        }
        // A district's figure, then its department, then the records with their ledger proofs.
        let district = staff
            .get(&format!(
                "/statistics/2025/litigation.cases?jurisdiction={b}&breadth=below"
            ))
            .await;
        assert_eq!(district.status, StatusCode::OK);
        assert!(district.body.contains("figure-departments"));
        assert!(
            !district.body.contains("figure-jurisdictions"),
            "a district has no districts"
        );
        let department = staff
            .get(&format!(
                "/statistics/2025/litigation.cases?jurisdiction={b}&breadth=below&department={}",
                city.markets[2]
            ))
            .await;
        assert_eq!(department.status, StatusCode::OK);
        assert!(
            department.body.contains("所依据的记录（4）"),
            "{}",
            department.body
        );
        assert!(department.body.contains("/proof/"));
        // The city alone: its own lawsuit only.
        let own = staff
            .get(&format!(
                "/statistics/2025/litigation.cases?jurisdiction={c}&breadth=alone"
            ))
            .await;
        assert!(own.body.contains("所依据的记录（1）"), "{}", own.body);
        assert!(own.body.contains("武汉市本级"));
        // A department of a district is outside the city alone.
        let outside = staff
            .get(&format!(
                "/statistics?jurisdiction={c}&breadth=alone&department={}",
                city.markets[1]
            ))
            .await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND);
        for bad in ["jurisdiction=x", "breadth=all", "jurisdiction=99999"] {
            let reply = staff.get(&format!("/statistics?{bad}")).await;
            assert!(
                matches!(
                    reply.status,
                    StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
                ),
                "{bad}: {}",
                reply.status
            );
        }

        // A district's justice staff: its own district, not the city nor its sibling.
        let mut district_staff = signed_in(db, "sifa_a").await;
        let own = district_staff.get("/statistics?year=2025").await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("武汉市江岸区"));
        for path in [
            format!("/statistics?jurisdiction={c}"),
            format!("/statistics?jurisdiction={c}&breadth=alone"),
            format!("/statistics?jurisdiction={b}"),
            format!("/statistics/2025/litigation.cases?jurisdiction={b}"),
            format!("/statistics/2025/litigation.loss_rate?jurisdiction={c}&breadth=below"),
            format!("/statistics?department={}", city.markets[2]),
            format!("/submissions?jurisdiction={b}"),
            format!("/submissions?jurisdiction={c}"),
        ] {
            let reply = district_staff.get(&path).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
            assert!(reply.body.contains("不存在"), "{path}: a Chinese 404");
        }
        let submissions = district_staff.get("/submissions?year=2025").await;
        assert_eq!(submissions.status, StatusCode::OK);
        assert!(submissions.body.contains("武汉市江岸区市场监督管理局"));
        assert!(
            !submissions.body.contains("武汉市江汉区"),
            "only its own departments"
        );

        // A department's legal officer: its own department only.
        let mut legal = signed_in(db, "fazhi_b").await;
        let own = legal.get("/statistics/2025/litigation.cases").await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("所依据的记录（4）"), "{}", own.body);
        for path in [
            format!("/statistics?jurisdiction={c}"),
            format!("/statistics?jurisdiction={a}"),
        ] {
            assert_eq!(
                legal.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }

        // The city's overview of submissions lists its own departments; a district chosen.
        let city_submissions = staff.get("/submissions?year=2025").await;
        assert!(city_submissions.body.contains("武汉市市场监督管理局"));
        assert!(!city_submissions.body.contains("武汉市江汉区市场监督管理局"));
        let chosen = staff
            .get(&format!("/submissions?year=2025&jurisdiction={b}"))
            .await;
        assert_eq!(chosen.status, StatusCode::OK);
        assert!(chosen.body.contains("武汉市江汉区市场监督管理局"));
        assert!(chosen.body.contains("all-submitted") || chosen.body.contains("missing-count"));
    }
);

db_test!(
    reports_are_per_jurisdiction_and_a_city_drafts_from_its_whole,
    migrated,
    |db| {
        let city = city(db).await;
        city.populate(db).await;
        let (c, a) = (city.city, city.jiangan);
        let catalogue = &city.catalogue;
        service::draft(&db.store, catalogue, c, YEAR, None, AT)
            .await
            .expect("city draft");
        service::draft(&db.store, catalogue, a, YEAR, None, AT)
            .await
            .expect("district draft");
        let city_draft = service::versions(&db.store, c, YEAR)
            .await
            .expect("versions")
            .remove(0);
        let district_draft = service::versions(&db.store, a, YEAR)
            .await
            .expect("versions")
            .remove(0);
        assert_eq!(city_draft.row.number, 1);
        assert_eq!(
            district_draft.row.number, 1,
            "each jurisdiction numbers its own versions"
        );
        assert_eq!(city_draft.computation.extent, Extent::with_below(c));
        assert_eq!(district_draft.computation.extent, Extent::alone(a));
        assert!(
            city_draft.report.title.starts_with("武汉市人民政府"),
            "{}",
            city_draft.report.title
        );
        assert!(
            district_draft
                .report
                .title
                .starts_with("武汉市江岸区人民政府")
        );
        let city_text = city_draft.report.plain_text();
        assert!(city_text.contains("新收行政应诉案件6件"), "{city_text}");
        assert!(city_text.contains("33.33%"), "{city_text}");
        let district_text = district_draft.report.plain_text();
        assert!(
            district_text.contains("新收行政应诉案件1件"),
            "{district_text}"
        );
        assert!(!district_text.contains("新收行政应诉案件6件"));

        // Published, each fixed at its own log.
        for version in [&city_draft, &district_draft] {
            service::save(
                &db.store,
                &version.report,
                &version.computation,
                "发布",
                None,
                AT,
                true,
            )
            .await
            .expect("publish");
        }
        let published = service::published(&db.store, a, YEAR)
            .await
            .expect("published")
            .remove(0);
        let size = u64::try_from(published.row.log_size.expect("size")).expect("size");
        assert_eq!(size, district_draft.computation.log_size);
        assert_eq!(
            published.row.log_root.as_deref(),
            Some(
                db.store
                    .ledger_root(a, size)
                    .await
                    .expect("root")
                    .to_hex()
                    .as_str()
            )
        );
        assert!(
            service::published(&db.store, city.jianghan, YEAR)
                .await
                .expect("none")
                .is_empty()
        );

        // The portal: the root's as before, a subordinate's by its code.
        let mut public = TestApp::new(&db.store);
        let list = public.get("/reports").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("武汉市2025年度"), "{}", list.body);
        assert!(
            list.body.contains("/reports/2025?jurisdiction=420102"),
            "{}",
            list.body
        );
        let root = public.get("/reports/2025").await;
        assert_eq!(root.status, StatusCode::OK);
        assert!(root.body.contains("武汉市人民政府关于2025年度"));
        let district = public.get("/reports/2025?jurisdiction=420102").await;
        assert_eq!(district.status, StatusCode::OK);
        assert!(district.body.contains("武汉市江岸区人民政府关于2025年度"));
        assert!(district.body.contains("/j/420102/log"));
        assert!(
            district.body.contains("versions/2/md?jurisdiction=420102"),
            "{}",
            district.body
        );
        let export = public
            .get("/reports/2025/versions/2/md?jurisdiction=420102")
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.contains("武汉市江岸区人民政府"));
        for path in [
            "/reports/2025?jurisdiction=420103",
            "/reports/2025?jurisdiction=abc",
            "/reports/2025?jurisdiction=999999",
            "/reports?jurisdiction=42010",
            "/reports/2025/versions/2/md?jurisdiction=420103",
        ] {
            assert_eq!(
                public.get(path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }

        // Staff see their own jurisdiction's report.
        let mut district_staff = signed_in(db, "sifa_a").await;
        let page = district_staff.get("/report?year=2025").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("本报告为武汉市江岸区的年度报告"),
            "{}",
            page.body
        );
        assert!(page.body.contains("新收行政应诉案件1件"));
        let mut city_staff = signed_in(db, "sifa_city").await;
        let page = city_staff.get("/report?year=2025").await;
        assert!(page.body.contains("新收行政应诉案件6件"));
        assert!(page.body.contains("武汉市全域"));
    }
);
