//! 行政处罚 (`procedures/penalty.toml`) on the official 2025/2026 calendar: one test per correction
//! of the definition, named for it and citing its article, and the engine-level checks it rests on
//! (every missing field at once, date-order refusals, extensions). 行政处罚法第八十五条: "二日""三日"
//! "五日""七日" are working days, 15 日 and 90 日 calendar days; 行政强制法第六十九条: 十日 are
//! working days. Every due date was checked with `fazhi calendar add`.

use fazhi_procedure::{
    Accepted, Command, ExtensionProblem, FieldProblem, GuardRefusal, Period, PeriodUnit, Refusal,
    Registry, RegistryEntry, Subject, check, overdue_by,
};
use time::Date;
use time::macros::date;

use crate::support::{Driver, LEGAL, OFFICER, fields, guard_article, shipped};

const ART60: &str = "行政处罚法第六十条";
const MARKET: &str = "市场监督管理行政处罚程序规定";
const POLICE: &str = "治安管理处罚法";
/// A document hash (the engine checks the shape; the application checks the attachment).
const DOC: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// Officers 101 and 102 investigate; 103 is a certified officer of the department who does not;
/// 20 is a legal-staff account.
const INVESTIGATORS: &str = "101,102";
const CHAIR: &str = "103";
const REVIEWER: &str = "20";

fn ymd(date: Date) -> String {
    date.to_string()
}

/// A clue registered (and discovered) on `on`.
fn registered(on: Date) -> Driver {
    let day = ymd(on);
    Driver::open(
        shipped("penalty"),
        OFFICER,
        on,
        &[
            ("case_cause", "未取得许可从事经营活动"),
            ("discovered_date", &day),
        ],
    )
}

/// Registered on `registered`, filed on `filed` under `rule`, investigated by 101 and 102 two days
/// later.
fn filed_on(registered_on: Date, filed: Date, rule: &str, major: bool) -> Driver {
    let mut case = registered(registered_on);
    let day = ymd(filed);
    case.step(
        OFFICER,
        "file_case",
        filed,
        &[
            ("party", "某某商贸有限公司"),
            ("party_kind", "法人"),
            ("filing_date", &day),
            ("department", "7"),
            ("period_rule", rule),
            ("major_case", if major { "是" } else { "否" }),
        ],
    );
    let investigated = filed.next_day().and_then(Date::next_day).expect("a date");
    case.step(
        OFFICER,
        "record_investigation",
        investigated,
        &[("investigators", INVESTIGATORS)],
    );
    case
}

/// The usual case: registered 2025-01-02, filed 2025-01-06 under 行政处罚法第六十条, investigated
/// on 2025-01-08.
fn filed(rule: &str) -> Driver {
    filed_on(date!(2025 - 01 - 02), date!(2025 - 01 - 06), rule, false)
}

fn notify(case: &mut Driver, on: Date, hearing_right: bool) {
    let day = ymd(on);
    case.step(
        OFFICER,
        "notify_rights",
        on,
        &[
            ("proposed_penalty", "罚款五千元"),
            ("notice_date", &day),
            (
                "hearing_right_notified",
                if hearing_right { "是" } else { "否" },
            ),
        ],
    );
}

fn decide(case: &mut Driver, on: Date) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        LEGAL,
        "decide_penalty",
        on,
        &[
            ("decision_date", &day),
            ("decision_number", "某市监罚〔2025〕1号"),
            ("penalty_type", "罚款"),
            ("fine_amount", "5000"),
            ("legal_basis", "某条例第十条"),
        ],
    )
}

fn request_hearing(case: &mut Driver, on: Date) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        OFFICER,
        "request_hearing",
        on,
        &[("hearing_request_date", &day)],
    )
}

fn hearing_form<'a>(notice: &'a str, held: &'a str, chair: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("hearing_notice_date", notice),
        ("hearing_date", held),
        ("hearing_chair", chair),
        ("hearing_record", DOC),
    ]
}

fn submit_and_pass(case: &mut Driver, submitted: Date, passed: Date) {
    case.step(OFFICER, "submit_legal_review", submitted, &[]);
    case.step(
        LEGAL,
        "pass_legal_review",
        passed,
        &[
            ("review_opinion", "事实清楚，证据确凿，适用依据正确"),
            ("reviewer", REVIEWER),
        ],
    );
}

/// What the engine accepts for `action` (its outcome and article), recording the step.
fn accepted(
    case: &mut Driver,
    actor: Subject,
    action: &str,
    on: Date,
    pairs: &[(&str, &str)],
) -> Accepted {
    let command = Command {
        actor,
        action: action.to_owned(),
        on,
        fields: fields(pairs),
        expected_version: case.case.version,
    };
    let accepted = check(
        &case.procedure,
        &case.case,
        &command,
        &case.facts,
        &case.calendar,
    )
    .unwrap_or_else(|refusal| panic!("{action} on {on} refused: {refusal:?}"));
    case.step(actor, action, on, pairs);
    accepted
}

/// The guard refusal of `kind` citing exactly `article`.
#[track_caller]
fn guard<'r>(refusal: &'r Refusal, kind: &str, article: &str) -> &'r GuardRefusal {
    assert_eq!(guard_article(refusal), Some((kind, article)), "{refusal:?}");
    match refusal {
        Refusal::Guard(g) => g,
        _ => unreachable!(),
    }
}

#[track_caller]
fn missing(refusal: &Refusal) -> Vec<&str> {
    match refusal {
        Refusal::MissingFields { fields } => fields.iter().map(String::as_str).collect(),
        other => panic!("expected missing fields: {other:?}"),
    }
}

#[track_caller]
fn field_problems(refusal: &Refusal) -> Vec<(&str, FieldProblem)> {
    match refusal {
        Refusal::InvalidFields { problems } => {
            problems.iter().map(|(f, p)| (f.as_str(), *p)).collect()
        }
        other => panic!("expected invalid fields: {other:?}"),
    }
}

fn due(case: &Driver, timer: &str, day: Date) -> Option<Date> {
    case.timer(timer, day).and_then(|t| t.due).map(|d| d.date)
}

const HEARING_PERIOD: &str = "行政处罚法第六十四条第一项、第八十五条";

// ───────────────────────────── hearing-request period ─────────────────────────────

/// 行政处罚法第六十四条第一项 ("当事人要求听证的，应当在行政机关告知后五日内提出"), 第八十五条 (五日 =
/// 工作日): the period is the party's. No decision, and no agency step moving the case on, before it
/// has run, unless the party's written statement that it will not ask for a hearing is recorded.
#[test]
fn penalty_no_decision_inside_hearing_request_period_art64() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), true);
    // 2025-03-03 (Mon) + 5 working days = 2025-03-10 (Mon).
    assert_eq!(
        due(&case, "hearing_request", date!(2025 - 03 - 03)),
        Some(date!(2025 - 03 - 10))
    );

    let refusal = decide(&mut case, date!(2025 - 03 - 03)).expect_err("inside the period");
    let g = guard(&refusal, "period_ended", HEARING_PERIOD);
    assert_eq!(
        g.dates,
        [date!(2025 - 03 - 10)],
        "the refusal names the period's last day"
    );
    assert!(g.text.contains("五个工作日期限尚未届满"), "{}", g.text);
    // The last day still belongs to the party.
    let refusal = decide(&mut case, date!(2025 - 03 - 10)).expect_err("on the last day");
    guard(&refusal, "period_ended", HEARING_PERIOD);
    // Another agency step cannot cut the period short, and the period keeps running.
    let refusal = case.refused(OFFICER, "submit_legal_review", date!(2025 - 03 - 05), &[]);
    guard(&refusal, "period_ended", HEARING_PERIOD);
    let timer = case
        .timer("hearing_request", date!(2025 - 03 - 05))
        .expect("still running");
    assert_eq!(timer.due.map(|d| d.date), Some(date!(2025 - 03 - 10)));
    decide(&mut case, date!(2025 - 03 - 11)).expect("the day after the period");
    assert_eq!(case.case.state, "decided");

    // The party's written statement ends the period at once.
    let mut waived = filed(ART60);
    notify(&mut waived, date!(2025 - 03 - 03), true);
    let refusal = waived.refused(
        OFFICER,
        "declare_no_hearing",
        date!(2025 - 03 - 04),
        &[
            ("no_hearing_date", "2025-03-01"),
            ("no_hearing_statement", DOC),
        ],
    );
    let g = guard(
        &refusal,
        "date_order",
        "行政处罚法第四十四条、第六十四条第一项",
    );
    assert!(g.text.contains("不得早于告知书送达日期"), "{}", g.text);
    waived.step(
        OFFICER,
        "declare_no_hearing",
        date!(2025 - 03 - 04),
        &[
            ("no_hearing_date", "2025-03-04"),
            ("no_hearing_statement", DOC),
        ],
    );
    decide(&mut waived, date!(2025 - 03 - 04)).expect("after the written statement");

    // 2026: notice on 2026-02-10; the Spring Festival (02-15 … 02-23) is not counted, the last
    // day is 2026-02-24 (Tue).
    let mut spring = filed_on(date!(2026 - 01 - 05), date!(2026 - 01 - 06), ART60, false);
    notify(&mut spring, date!(2026 - 02 - 10), true);
    assert_eq!(
        due(&spring, "hearing_request", date!(2026 - 02 - 10)),
        Some(date!(2026 - 02 - 24))
    );
    let refusal = decide(&mut spring, date!(2026 - 02 - 24)).expect_err("on the last day");
    guard(&refusal, "period_ended", HEARING_PERIOD);
    decide(&mut spring, date!(2026 - 02 - 25)).expect("after the period");
}

/// 行政处罚法第六十三条: the hearing right, and so its period, exists only for the penalties listed
/// there. A notice without it lets the agency decide at once.
#[test]
fn penalty_hearing_period_only_for_art63_penalties_art63() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), false);
    assert!(
        case.timer("hearing_request", date!(2025 - 03 - 03))
            .is_none(),
        "no period runs"
    );
    decide(&mut case, date!(2025 - 03 - 03)).expect("no hearing period to wait for");
}

/// 行政处罚法第六十四条第一项、第八十五条: a request after the fifth working day is late.
#[test]
fn penalty_hearing_request_after_five_workdays_refused_art64() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), true);
    let refusal = request_hearing(&mut case, date!(2025 - 03 - 11)).expect_err("sixth working day");
    let g = guard(&refusal, "date_order", HEARING_PERIOD);
    assert_eq!(g.fields, ["notice_date", "hearing_request_date"]);
    assert_eq!(g.dates, [date!(2025 - 03 - 03), date!(2025 - 03 - 11)]);
    request_hearing(&mut case, date!(2025 - 03 - 10)).expect("fifth working day");
    assert_eq!(case.case.state, "hearing_requested");
}

// ───────────────────────────── simplified procedure ─────────────────────────────

fn spot_form<'a>(
    kind: &'a str,
    penalty: &'a str,
    fine: &'a str,
    investigators: &'a str,
    rights: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("party", "张某"),
        ("party_kind", kind),
        ("penalty_type", penalty),
        ("fine_amount", fine),
        ("decision_date", "2025-03-03"),
        ("decision_number", "当场〔2025〕0001号"),
        ("legal_basis", "某条例第二十条"),
        ("investigators", investigators),
        ("spot_rights", rights),
        ("statement", "当事人称初次违法，已复核"),
    ]
}

const HEARD: &str = "已告知拟处罚内容及事实、理由、依据，已听取陈述申辩并复核";
const WAIVED: &str = "已告知，当事人明确放弃陈述、申辩";
const NOT_TOLD: &str = "未告知或未听取陈述、申辩";

/// 行政处罚法第四十四条、第四十五条 (Chapter V Section 1, binding every procedure) and 第六十二条: a
/// decision on the spot too needs the notice and the party's statement, unless the party expressly
/// waived it.
#[test]
fn penalty_spot_decision_requires_notice_and_statement_art44_45_62() {
    let on = date!(2025 - 03 - 03);
    let mut case = registered(on);
    let refusal = case.refused(
        OFFICER,
        "decide_on_the_spot",
        on,
        &spot_form("公民", "罚款", "100", INVESTIGATORS, NOT_TOLD),
    );
    let g = guard(
        &refusal,
        "field_in",
        "行政处罚法第四十四条、第四十五条、第六十二条",
    );
    assert_eq!(g.fields, ["spot_rights"]);

    let without_statement: Vec<_> = spot_form("公民", "罚款", "100", INVESTIGATORS, WAIVED)
        .into_iter()
        .filter(|(k, _)| *k != "statement")
        .collect();
    let refusal = case.refused(OFFICER, "decide_on_the_spot", on, &without_statement);
    assert_eq!(missing(&refusal), ["statement"]);

    for rights in [WAIVED, HEARD] {
        let mut case = registered(on);
        let accepted = accepted(
            &mut case,
            OFFICER,
            "decide_on_the_spot",
            on,
            &spot_form("公民", "罚款", "100", INVESTIGATORS, rights),
        );
        assert_eq!(accepted.outcome.as_deref(), Some("penalised"));
        assert_eq!(case.case.state, "decided_on_spot");
    }
}

/// 行政处罚法第五十一条 (警告 or 罚款 of at most 200 元 for a citizen, 3,000 元 for an organisation) and
/// 第四十二条第一款、第五十二条 (two officers with certificates valid on the day).
#[test]
fn penalty_spot_limits_and_two_officers_art51_42() {
    let on = date!(2025 - 03 - 03);
    let limit = "行政处罚法第五十一条";
    let refuse = |form: Vec<(&str, &str)>| {
        let mut case = registered(on);
        // 105's certificate expired on 2025-03-02.
        case.facts
            .people
            .push(officer(105, 7, date!(2025 - 03 - 02)));
        case.refused(OFFICER, "decide_on_the_spot", on, &form)
    };
    let accept = |form: Vec<(&str, &str)>| {
        let mut case = registered(on);
        case.step(OFFICER, "decide_on_the_spot", on, &form);
    };
    let refusal = refuse(spot_form("公民", "罚款", "200.01", INVESTIGATORS, HEARD));
    let g = guard(&refusal, "amount_limit", limit);
    assert_eq!(g.fields, ["fine_amount", "party_kind"]);
    accept(spot_form("公民", "罚款", "200", INVESTIGATORS, HEARD));
    accept(spot_form("法人", "罚款", "3000", INVESTIGATORS, HEARD));
    guard(
        &refuse(spot_form("法人", "罚款", "3000.01", INVESTIGATORS, HEARD)),
        "amount_limit",
        limit,
    );
    guard(
        &refuse(spot_form(
            "其他组织",
            "罚款",
            "3000.01",
            INVESTIGATORS,
            HEARD,
        )),
        "amount_limit",
        limit,
    );
    guard(
        &refuse(spot_form(
            "公民",
            "没收违法所得",
            "100",
            INVESTIGATORS,
            HEARD,
        )),
        "field_in",
        limit,
    );

    let two = "行政处罚法第四十二条第一款、第五十二条第一款";
    guard(
        &refuse(spot_form("公民", "罚款", "100", "101", HEARD)),
        "registry_count",
        two,
    );
    // 105's certificate expired on 2025-03-02, the day before.
    let refusal = refuse(spot_form("公民", "罚款", "100", "101,105", HEARD));
    let g = guard(&refusal, "registry_count", two);
    assert_eq!(g.fields, ["investigators"]);
    assert_eq!(g.dates, [on]);
}

fn officer(id: i64, department: i64, valid_until: Date) -> RegistryEntry {
    RegistryEntry {
        registry: Registry::EnforcementOfficers,
        person_id: id,
        department_id: Some(department),
        valid_from: Some(date!(2020 - 01 - 01)),
        valid_until: Some(valid_until),
        revoked: false,
        number: format!("证{id}"),
    }
}

// ───────────────────────────── hearing ─────────────────────────────

const REVIEW: &str = "行政处罚法第五十八条第一款第一项至第四项";

/// 行政处罚法第五十八条第一款第二项 ("直接关系当事人或者第三人重大权益，经过听证程序的"): a case that went
/// through a hearing needs the legal review after it, even when not major; a review before the
/// hearing or one returned does not count; a withdrawn request brings in no review.
#[test]
fn penalty_hearing_brings_legal_review_art58_1_2() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), true);
    request_hearing(&mut case, date!(2025 - 03 - 05)).expect("in time");
    case.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 03 - 21),
        &hearing_form("2025-03-12", "2025-03-21", CHAIR),
    );
    let refusal =
        decide(&mut case, date!(2025 - 03 - 24)).expect_err("no review after the hearing");
    let g = guard(&refusal, "step_recorded", REVIEW);
    assert!(g.text.contains("法制审核"), "{}", g.text);
    submit_and_pass(&mut case, date!(2025 - 03 - 24), date!(2025 - 03 - 26));
    decide(&mut case, date!(2025 - 03 - 27)).expect("reviewed after the hearing");

    // A review passed before the hearing does not cover it.
    let mut early = filed_on(date!(2025 - 01 - 02), date!(2025 - 01 - 06), ART60, true);
    submit_and_pass(&mut early, date!(2025 - 02 - 20), date!(2025 - 02 - 24));
    notify(&mut early, date!(2025 - 03 - 03), true);
    request_hearing(&mut early, date!(2025 - 03 - 05)).expect("in time");
    early.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 03 - 21),
        &hearing_form("2025-03-12", "2025-03-21", CHAIR),
    );
    guard(
        &decide(&mut early, date!(2025 - 03 - 24)).expect_err("review before the hearing"),
        "step_recorded",
        REVIEW,
    );

    // A review returned for further investigation does not count either (major case).
    let mut returned = filed_on(date!(2025 - 01 - 02), date!(2025 - 01 - 06), ART60, true);
    submit_and_pass(&mut returned, date!(2025 - 02 - 20), date!(2025 - 02 - 24));
    notify(&mut returned, date!(2025 - 03 - 03), false);
    returned.step(OFFICER, "submit_legal_review", date!(2025 - 03 - 04), &[]);
    returned.step(
        LEGAL,
        "return_from_review",
        date!(2025 - 03 - 05),
        &[
            ("review_opinion", "证据不足，补充调查"),
            ("reviewer", REVIEWER),
        ],
    );
    notify(&mut returned, date!(2025 - 03 - 10), false);
    guard(
        &decide(&mut returned, date!(2025 - 03 - 10)).expect_err("review returned"),
        "step_recorded",
        REVIEW,
    );

    // A withdrawn request: no hearing was held, no review is due (not a major case).
    let mut withdrawn = filed(ART60);
    notify(&mut withdrawn, date!(2025 - 03 - 03), true);
    request_hearing(&mut withdrawn, date!(2025 - 03 - 05)).expect("in time");
    withdrawn.step(
        LEGAL,
        "withdraw_hearing_request",
        date!(2025 - 03 - 10),
        &[
            ("withdrawal_date", "2025-03-10"),
            ("withdrawal_document", DOC),
        ],
    );
    decide(&mut withdrawn, date!(2025 - 03 - 11)).expect("withdrawn: no review needed");
}

/// 行政处罚法第六十四条第二项、第八十五条: the hearing is notified seven working days before it is held
/// (the notice on 2025-03-12 allows a hearing on 2025-03-21 at the earliest); an absence counts as a
/// waiver only after such a notice (第六项).
#[test]
fn penalty_hearing_notice_seven_workdays_art64_2() {
    let requested = || {
        let mut case = filed(ART60);
        notify(&mut case, date!(2025 - 03 - 03), true);
        request_hearing(&mut case, date!(2025 - 03 - 05)).expect("in time");
        case
    };
    let mut case = requested();
    let refusal = case.refused(
        LEGAL,
        "hold_hearing",
        date!(2025 - 03 - 20),
        &hearing_form("2025-03-12", "2025-03-20", CHAIR),
    );
    let g = guard(
        &refusal,
        "date_order",
        "行政处罚法第六十四条第二项、第八十五条",
    );
    assert_eq!(g.fields, ["hearing_notice_date", "hearing_date"]);
    assert_eq!(g.dates, [date!(2025 - 03 - 12), date!(2025 - 03 - 20)]);
    case.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 03 - 21),
        &hearing_form("2025-03-12", "2025-03-21", CHAIR),
    );
    assert_eq!(case.case.state, "heard");

    let mut absent = requested();
    let mut form = hearing_form("2025-03-12", "2025-03-20", CHAIR);
    form.retain(|(field, _)| *field != "hearing_record");
    form.push(("absence_note", "当事人无正当理由拒不出席"));
    let refusal = absent.refused(LEGAL, "hearing_deemed_waived", date!(2025 - 03 - 20), &form);
    let g = guard(&refusal, "date_order", "行政处罚法第六十四条第二项、第六项");
    assert!(g.text.contains("不能视为放弃听证权利"), "{}", g.text);
}

/// 行政处罚法第六十四条第四项: "听证由行政机关指定的非本案调查人员主持".
#[test]
fn penalty_hearing_chair_not_investigator_art64_4() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), true);
    request_hearing(&mut case, date!(2025 - 03 - 05)).expect("in time");
    for action in ["hold_hearing", "hearing_deemed_waived"] {
        let mut form = hearing_form("2025-03-12", "2025-03-21", "101");
        if action == "hearing_deemed_waived" {
            // Each step records only what it offers: no hearing record when nobody came.
            form.retain(|(field, _)| *field != "hearing_record");
            form.push(("absence_note", "拒不出席"));
        }
        let refusal = case.refused(LEGAL, action, date!(2025 - 03 - 21), &form);
        let g = guard(&refusal, "people_distinct", "行政处罚法第六十四条第四项");
        assert_eq!(g.fields, ["hearing_chair", "investigators"], "{action}");
    }
    case.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 03 - 21),
        &hearing_form("2025-03-12", "2025-03-21", CHAIR),
    );
}

/// 行政处罚法第六十三条第一款 (the hearing is held because the party asked: it may withdraw), 第六十四条
/// 第六项 (deemed waiver by absence — not 第八项, which is the record), and the written statement of
/// no hearing (第六十四条第一项) are three different steps.
#[test]
fn penalty_withdrawal_statement_and_deemed_waiver_distinct_art63_64_6() {
    let requested = || {
        let mut case = filed(ART60);
        notify(&mut case, date!(2025 - 03 - 03), true);
        request_hearing(&mut case, date!(2025 - 03 - 05)).expect("in time");
        case
    };
    let mut withdrawn = requested();
    let refusal = withdrawn.refused(
        LEGAL,
        "withdraw_hearing_request",
        date!(2025 - 03 - 04),
        &[
            ("withdrawal_date", "2025-03-04"),
            ("withdrawal_document", DOC),
        ],
    );
    guard(&refusal, "dates_not_before", "行政处罚法第六十三条第一款");
    let step = accepted(
        &mut withdrawn,
        LEGAL,
        "withdraw_hearing_request",
        date!(2025 - 03 - 08),
        &[
            ("withdrawal_date", "2025-03-08"),
            ("withdrawal_document", DOC),
        ],
    );
    assert!(
        step.article.starts_with("行政处罚法第六十三条第一款"),
        "{}",
        step.article
    );
    assert_eq!(withdrawn.case.state, "heard");
    assert!(
        withdrawn
            .procedure
            .step_label("withdraw_hearing_request")
            .contains("撤回")
    );

    let mut absent = requested();
    let form = hearing_form("2025-03-12", "2025-03-21", CHAIR);
    let refusal = absent.refused(LEGAL, "hearing_deemed_waived", date!(2025 - 03 - 21), &form);
    assert_eq!(missing(&refusal), ["absence_note"]);
    let mut form = form;
    form.push(("absence_note", "当事人无正当理由拒不出席听证"));
    let step = accepted(
        &mut absent,
        LEGAL,
        "hearing_deemed_waived",
        date!(2025 - 03 - 21),
        &form,
    );
    assert_eq!(step.article, "行政处罚法第六十四条第六项");
    assert_eq!(absent.case.state, "heard");

    let mut declared = filed(ART60);
    notify(&mut declared, date!(2025 - 03 - 03), true);
    let step = accepted(
        &mut declared,
        OFFICER,
        "declare_no_hearing",
        date!(2025 - 03 - 04),
        &[
            ("no_hearing_date", "2025-03-04"),
            ("no_hearing_statement", DOC),
        ],
    );
    assert!(
        step.article.starts_with("行政处罚法第六十四条第一项"),
        "{}",
        step.article
    );
    assert_eq!(declared.case.state, "notified", "the case stays notified");
    assert!(
        declared
            .timer("hearing_request", date!(2025 - 03 - 04))
            .is_none(),
        "the period ended"
    );

    // The old undifferentiated step is gone.
    assert!(declared.procedure.transition("hearing_waived").is_none());
    let refusal = declared.refused(LEGAL, "hearing_waived", date!(2025 - 03 - 05), &[]);
    assert!(
        matches!(refusal, Refusal::UnknownAction { .. }),
        "{refusal:?}"
    );
}

// ───────────────────────────── transfer to the judicial organs ─────────────────────────────

/// 行政处罚法第二十七条第一款: a case transferred to the judicial organs comes back when no criminal
/// liability is pursued (and the administrative case resumes, with a fresh notice before a
/// decision), or is closed when it is. The decision period does not run meanwhile.
#[test]
fn penalty_transfer_returns_or_closes_art27() {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 02 - 03), false);
    // Filed 2025-01-06: 90 日 end on 2025-04-06 (清明), so 2025-04-07.
    assert_eq!(
        due(&case, "decision", date!(2025 - 02 - 03)),
        Some(date!(2025 - 04 - 07))
    );
    let step = accepted(
        &mut case,
        LEGAL,
        "transfer",
        date!(2025 - 02 - 10),
        &[
            ("transfer_date", "2025-02-10"),
            ("transfer_to", "某区公安分局"),
        ],
    );
    assert_eq!(step.outcome.as_deref(), Some("transferred"));
    assert_eq!(case.case.state, "transferred_out");
    let paused = case
        .timer("decision", date!(2025 - 03 - 01))
        .expect("still there");
    assert!(paused.paused && paused.due.is_none(), "{paused:?}");

    let refusal = case.refused(
        OFFICER,
        "resume_after_transfer",
        date!(2025 - 04 - 01),
        &[
            ("return_date", "2025-02-09"),
            ("judicial_outcome", "不起诉"),
        ],
    );
    guard(&refusal, "dates_not_before", "行政处罚法第二十七条第一款");
    case.step(
        OFFICER,
        "resume_after_transfer",
        date!(2025 - 04 - 01),
        &[
            ("return_date", "2025-04-01"),
            ("judicial_outcome", "不起诉"),
        ],
    );
    assert_eq!(case.case.state, "investigating");
    // 2025-02-10 … 2025-03-31 (50 days) are not counted: 2025-04-06 + 50 = 2025-05-26 (Mon).
    assert_eq!(
        due(&case, "decision", date!(2025 - 04 - 01)),
        Some(date!(2025 - 05 - 26))
    );

    // The notice given before the transfer does not carry the decision.
    submit_and_pass(&mut case, date!(2025 - 04 - 02), date!(2025 - 04 - 03));
    let refusal = decide(&mut case, date!(2025 - 04 - 07)).expect_err("no fresh notice");
    guard(
        &refusal,
        "step_recorded",
        "行政处罚法第四十四条、第六十二条",
    );
    notify(&mut case, date!(2025 - 04 - 08), true);
    // 2025-04-08 + 5 working days = 2025-04-15.
    guard(
        &decide(&mut case, date!(2025 - 04 - 15)).expect_err("hearing period"),
        "period_ended",
        HEARING_PERIOD,
    );
    decide(&mut case, date!(2025 - 04 - 16)).expect("after a fresh notice and its period");
    assert!(
        case.timer("decision", date!(2025 - 04 - 16)).is_none(),
        "decided in time"
    );

    let mut prosecuted = filed(ART60);
    prosecuted.step(
        LEGAL,
        "transfer",
        date!(2025 - 02 - 10),
        &[
            ("transfer_date", "2025-02-10"),
            ("transfer_to", "某区公安分局"),
        ],
    );
    prosecuted.step(
        LEGAL,
        "close_after_prosecution",
        date!(2025 - 09 - 01),
        &[("prosecution_note", "已被判处罚金")],
    );
    assert_eq!(prosecuted.case.state, "closed");
    assert!(
        prosecuted
            .timer("decision", date!(2025 - 09 - 01))
            .is_none(),
        "stopped, not overdue"
    );
}

// ───────────────────────────── alteration and publicity ─────────────────────────────

/// Decided 2025-02-05, served 2025-02-10, fine 5,000 元.
fn served() -> Driver {
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 01 - 20), false);
    decide(&mut case, date!(2025 - 02 - 05)).expect("decided");
    case.step(
        OFFICER,
        "serve_decision",
        date!(2025 - 02 - 10),
        &[("service_date", "2025-02-10")],
    );
    case
}

fn alter<'a>(kind: &'a str, on: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("alteration_kind", kind),
        ("alteration_source", "行政复议决定"),
        ("alteration_date", on),
        ("alteration_reason", "认定事实不清"),
        ("alteration_document", DOC),
    ]
}

/// 行政处罚法第四十八条第二款: "公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，行政机关应当在
/// 三日内撤回行政处罚决定信息并公开说明理由" (三日 = 工作日, 第八十五条).
#[test]
fn penalty_altered_decision_withdraws_publicity_art48_2() {
    let article = "行政处罚法第四十八条第二款";
    for kind in ["变更", "撤销", "确认违法", "确认无效"] {
        let mut case = served();
        case.step(
            LEGAL,
            "record_decision_altered",
            date!(2025 - 06 - 09),
            &alter(kind, "2025-06-09"),
        );
        assert_eq!(case.case.state, "altered", "{kind}");
        // 2025-06-09 (Mon) + 3 working days = 2025-06-12 (Thu).
        assert_eq!(
            due(&case, "publicity_withdrawal", date!(2025 - 06 - 09)),
            Some(date!(2025 - 06 - 12)),
            "{kind}"
        );
    }

    let mut case = served();
    case.step(
        LEGAL,
        "record_decision_altered",
        date!(2025 - 06 - 09),
        &alter("撤销", "2025-06-09"),
    );
    let refusal = case.refused(
        LEGAL,
        "close_after_alteration",
        date!(2025 - 06 - 10),
        &[("execution_note", "已退还罚款")],
    );
    let g = guard(&refusal, "step_recorded", article);
    assert!(
        g.text.contains("应当先撤回原处罚决定的公开信息"),
        "{}",
        g.text
    );
    let refusal = case.refused(LEGAL, "redo_after_revocation", date!(2025 - 06 - 10), &[]);
    guard(&refusal, "step_recorded", article);

    // On 2025-06-13 the duty is one working day overdue.
    let late = case
        .timer("publicity_withdrawal", date!(2025 - 06 - 13))
        .expect("running");
    let last = late.due.expect("due").date;
    assert_eq!(last, date!(2025 - 06 - 12));
    assert_eq!(
        overdue_by(
            last,
            date!(2025 - 06 - 13),
            PeriodUnit::Workdays,
            &case.calendar
        )
        .as_deref(),
        Some("1个工作日")
    );
    let refusal = case.refused(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 06 - 13),
        &[
            ("publicity_withdrawal_date", "2025-06-08"),
            ("publicity_withdrawal_reason", "原处罚决定已被撤销"),
        ],
    );
    guard(&refusal, "dates_not_before", article);
    case.step(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 06 - 13),
        &[
            ("publicity_withdrawal_date", "2025-06-13"),
            ("publicity_withdrawal_reason", "原处罚决定已被撤销"),
        ],
    );
    assert!(
        case.timer("publicity_withdrawal", date!(2025 - 06 - 13))
            .is_none()
    );
    let publicity = case.procedure.publicity.as_ref().expect("published");
    assert!(
        publicity
            .withdrawn_by
            .iter()
            .any(|a| a == "withdraw_publicity")
    );
    assert!(case.case.fields.contains_key("publicity_withdrawal_reason"));
    let refusal = case.refused(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 06 - 14),
        &[
            ("publicity_withdrawal_date", "2025-06-14"),
            ("publicity_withdrawal_reason", "再次"),
        ],
    );
    // Once per alteration.
    guard(&refusal, "step_recorded", article);
    case.step(LEGAL, "redo_after_revocation", date!(2025 - 06 - 16), &[]);
    assert_eq!(case.case.state, "investigating");

    // Only a revocation sends the case back to investigation.
    let mut unlawful = served();
    unlawful.step(
        LEGAL,
        "record_decision_altered",
        date!(2025 - 06 - 09),
        &alter("确认违法", "2025-06-09"),
    );
    unlawful.step(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 06 - 10),
        &[
            ("publicity_withdrawal_date", "2025-06-10"),
            ("publicity_withdrawal_reason", "原处罚决定被确认违法"),
        ],
    );
    let refusal = unlawful.refused(LEGAL, "redo_after_revocation", date!(2025 - 06 - 11), &[]);
    guard(
        &refusal,
        "field_in",
        "行政复议法第六十四条第一款；行政诉讼法第七十条",
    );
    unlawful.step(
        LEGAL,
        "close_after_alteration",
        date!(2025 - 06 - 11),
        &[("execution_note", "已退还罚款")],
    );
    assert_eq!(unlawful.case.state, "closed");
}

// ───────────────────────────── enforcement ─────────────────────────────

fn urge(case: &mut Driver, on: Date) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        OFFICER,
        "urge_performance",
        on,
        &[("urge_service_date", &day), ("urge_document", DOC)],
    )
}

fn apply(case: &mut Driver, on: Date) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        LEGAL,
        "apply_enforcement",
        on,
        &[("application_date", &day), ("court", "某区人民法院")],
    )
}

/// 行政强制法第五十三条 (application within three months after the remedy periods ended), 第五十四条
/// (催告 first, application ten working days after it, 第六十九条), and 行政处罚法第七十二条第一款第一项
/// (加处罚款, the agency's own step, only once the 15 日 payment period has run).
#[test]
fn penalty_enforcement_urge_and_three_months_xzqzf53_54() {
    let mut case = served();
    // Served 2025-02-10: payment by 2025-02-25, 复议 by 2025-04-11, 诉讼 (6 个月) by 2025-08-11
    // (2025-08-10 is a Sunday).
    let day = date!(2025 - 02 - 10);
    assert_eq!(due(&case, "payment", day), Some(date!(2025 - 02 - 25)));
    assert_eq!(
        due(&case, "reconsideration_period", day),
        Some(date!(2025 - 04 - 11))
    );
    assert_eq!(
        due(&case, "litigation_period", day),
        Some(date!(2025 - 08 - 11))
    );

    guard(
        &urge(&mut case, date!(2025 - 02 - 20)).expect_err("payment period runs"),
        "period_ended",
        "行政处罚法第六十七条第三款；行政强制法第五十四条",
    );
    let form = [
        ("surcharge_notice_date", "2025-02-25"),
        ("surcharge_amount", "150"),
    ];
    let refusal = case.refused(LEGAL, "impose_surcharge", date!(2025 - 02 - 25), &form);
    guard(
        &refusal,
        "period_ended",
        "行政处罚法第六十七条第三款、第七十二条第一款第一项",
    );
    let form = [
        ("surcharge_notice_date", "2025-02-26"),
        ("surcharge_amount", "150"),
    ];
    case.step(LEGAL, "impose_surcharge", date!(2025 - 02 - 26), &form);
    let refusal = case.refused(LEGAL, "impose_surcharge", date!(2025 - 03 - 10), &form);
    guard(
        &refusal,
        "at_most_once",
        "行政处罚法第七十二条第一款第一项；行政强制法第四十五条第二款",
    );

    // No application without a 催告.
    let mut unurged = served();
    let refusal = apply(&mut unurged, date!(2025 - 09 - 01)).expect_err("no 催告");
    let g = guard(&refusal, "step_recorded", "行政强制法第五十四条");
    assert!(g.text.contains("应当催告"), "{}", g.text);

    // A 催告 on 2025-07-01 (ten working days: 2025-07-15) cannot open the window before the
    // litigation period ends.
    let mut early = served();
    urge(&mut early, date!(2025 - 07 - 01)).expect("after the payment period");
    let refusal = apply(&mut early, date!(2025 - 08 - 08)).expect_err("litigation period runs");
    guard(
        &refusal,
        "period_ended",
        "行政强制法第五十三条；行政诉讼法第四十六条第一款",
    );

    // The law deems the remedy periods lapsed on 2025-08-11 (derived, not stored).
    let replay = case.replay(date!(2025 - 08 - 12));
    let deemed = replay
        .history
        .iter()
        .find(|s| s.action == "remedy_periods_lapsed")
        .expect("deemed step");
    assert_eq!(deemed.on, date!(2025 - 08 - 11));
    assert_eq!(deemed.deemed_by.as_deref(), Some("litigation_period"));
    assert!(
        case.case
            .history
            .iter()
            .all(|s| s.action != "remedy_periods_lapsed"),
        "never stored"
    );
    // The three-month window: 2025-08-11 + 3 个月 = 2025-11-11.
    assert_eq!(
        due(&case, "enforcement_application", date!(2025 - 08 - 12)),
        Some(date!(2025 - 11 - 11))
    );

    urge(&mut case, date!(2025 - 08 - 12)).expect("urged");
    // 2025-08-12 + 10 working days = 2025-08-26; the application may come the day after.
    let refusal = apply(&mut case, date!(2025 - 08 - 26)).expect_err("ten working days run");
    let g = guard(&refusal, "period_ended", "行政强制法第五十四条、第六十九条");
    assert_eq!(g.dates, [date!(2025 - 08 - 26)]);
    let mut late = case.clone();
    apply(&mut case, date!(2025 - 08 - 27)).expect("after the 催告 period, inside the window");
    assert_eq!(case.case.state, "enforcing");
    let refusal = apply(&mut late, date!(2025 - 11 - 12)).expect_err("window ended");
    let g = guard(
        &refusal,
        "timer_running",
        "行政强制法第五十三条；最高人民法院关于适用《中华人民共和国行政诉讼法》的解释第一百五十六条",
    );
    assert_eq!(g.dates, [date!(2025 - 11 - 11)]);

    // The party sought review: no deemed step, no window, no application from that state.
    let mut challenged = served();
    challenged.step(
        LEGAL,
        "record_review_sought",
        date!(2025 - 03 - 01),
        &[
            ("review_kind", "行政诉讼"),
            ("review_filed_date", "2025-03-01"),
        ],
    );
    let replay = challenged.replay(date!(2025 - 08 - 12));
    assert!(
        replay.history.iter().all(|s| s.deemed_by.is_none()),
        "no deemed step"
    );
    assert_eq!(replay.state, "challenged");
    let refusal = apply(&mut challenged, date!(2025 - 08 - 27)).expect_err("challenged");
    assert!(
        matches!(refusal, Refusal::NotAllowedInState { ref state, .. } if state == "challenged"),
        "{refusal:?}"
    );
}

// ───────────────────────────── decision period ─────────────────────────────

fn extension<'a>(days: &'a str, notice: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("extension_reason", "案情复杂，需要检验"),
        ("approved_by", "局长"),
        ("extension_days", days),
    ];
    if let Some(notice) = notice {
        form.push(("extension_notice_date", notice));
    }
    form
}

const EXTENSION_ARTICLE: &str = "行政处罚法第六十条；市场监督管理行政处罚程序规定第六十四条第一款；治安管理处罚法第九十九条第一款";

/// 行政处罚法第六十条 ("九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定"): the period
/// follows the sector rule recorded at filing; only a rule that provides an extension allows one; the
/// market-regulation rule does not count the hearing.
#[test]
fn penalty_decision_period_by_sector_rule_art60() {
    // Default: filed 2025-01-06, due 2025-04-07 (2025-04-06 is 清明); no extension.
    let mut default = filed(ART60);
    assert_eq!(
        due(&default, "decision", date!(2025 - 01 - 08)),
        Some(date!(2025 - 04 - 07))
    );
    let refusal = default.refused(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 03),
        &extension("30", Some("2025-03-03")),
    );
    assert!(
        matches!(refusal, Refusal::Guard(_) | Refusal::Extension { .. }),
        "refused either way: {refusal:?}"
    );

    // Market regulation: the hearing (request 2025-02-10 … hearing 2025-02-24, 14 days) is not
    // counted: 2025-04-06 + 14 = 2025-04-20 (Sun), so 2025-04-21.
    let mut market = filed(MARKET);
    notify(&mut market, date!(2025 - 02 - 05), true);
    request_hearing(&mut market, date!(2025 - 02 - 10))
        .expect("in time (2025-02-08 was a working day)");
    assert!(
        market
            .timer("decision", date!(2025 - 02 - 20))
            .is_some_and(|t| t.paused)
    );
    market.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 02 - 24),
        &hearing_form("2025-02-11", "2025-02-24", CHAIR),
    );
    assert_eq!(
        due(&market, "decision", date!(2025 - 02 - 24)),
        Some(date!(2025 - 04 - 21))
    );
    // Under the default rule the hearing is counted.
    let mut counted = filed(ART60);
    notify(&mut counted, date!(2025 - 02 - 05), true);
    request_hearing(&mut counted, date!(2025 - 02 - 10)).expect("in time");
    counted.step(
        LEGAL,
        "hold_hearing",
        date!(2025 - 02 - 24),
        &hearing_form("2025-02-11", "2025-02-24", CHAIR),
    );
    assert_eq!(
        due(&counted, "decision", date!(2025 - 02 - 24)),
        Some(date!(2025 - 04 - 07))
    );

    // Market regulation, extended by 30 日: 2025-01-06 + 120 日 = 2025-05-06.
    let mut extended = filed(MARKET);
    extended.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 03),
        &extension("30", Some("2025-03-03")),
    );
    let timer = extended
        .timer("decision", date!(2025 - 03 - 03))
        .expect("running");
    assert!(timer.extended);
    assert_eq!(timer.due.map(|d| d.date), Some(date!(2025 - 05 - 06)));

    // 治安管理处罚法: 30 日 from 受理 (registered and filed on 2025-01-06; due 2025-02-05), extended by
    // 30 日 with the superior organ's approval (2025-03-07).
    let mut police = filed_on(date!(2025 - 01 - 06), date!(2025 - 01 - 06), POLICE, false);
    assert_eq!(
        due(&police, "decision", date!(2025 - 01 - 08)),
        Some(date!(2025 - 02 - 05))
    );
    let mut form = extension("30", Some("2025-02-03"));
    form[1] = ("approved_by", "上一级公安机关");
    police.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 02 - 03),
        &form,
    );
    assert_eq!(
        due(&police, "decision", date!(2025 - 02 - 03)),
        Some(date!(2025 - 03 - 07))
    );
}

/// The engine reports the definition's own guard when the chosen rule (行政处罚法第六十条) provides no
/// extension, not that the period is not running: it runs.
#[test]
fn penalty_no_extension_under_art60_refused_by_its_guard_art60() {
    let mut case = filed(ART60);
    assert!(
        case.timer("decision", date!(2025 - 03 - 03)).is_some(),
        "the period runs"
    );
    let refusal = case.refused(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 03),
        &extension("30", Some("2025-03-03")),
    );
    let g = guard(&refusal, "field_in", ART60);
    assert!(g.text.contains("未规定延长"), "{}", g.text);
}

// ───────────────────────────── registration and filing ─────────────────────────────

/// 行政处罚法第五十四条: the conduct is discovered before (or when) the clue is registered, and the case
/// is filed on or after registration; the investigation (第四十二条第一款、第五十五条) by two certified
/// officers of the actor's own department, not before filing.
#[test]
fn penalty_registration_and_filing_dates_art54() {
    let refusal = Driver::try_open(
        shipped("penalty"),
        OFFICER,
        date!(2025 - 01 - 02),
        &[
            ("case_cause", "无证经营"),
            ("discovered_date", "2025-01-03"),
        ],
    )
    .expect_err("discovered after registration");
    let g = guard(&refusal, "date_order", "行政处罚法第五十四条");
    assert!(
        g.text.contains("发现违法行为日期不得晚于线索登记日期"),
        "{}",
        g.text
    );

    let mut case = registered(date!(2025 - 01 - 02));
    let file = |on: &'static str| {
        vec![
            ("party", "某某商贸有限公司"),
            ("party_kind", "法人"),
            ("filing_date", on),
            ("department", "7"),
            ("period_rule", ART60),
        ]
    };
    let refusal = case.refused(
        OFFICER,
        "file_case",
        date!(2025 - 01 - 06),
        &file("2025-01-01"),
    );
    let g = guard(&refusal, "date_order", "行政处罚法第五十四条第二款");
    assert_eq!(g.fields, ["opened", "filing_date"]);
    assert_eq!(g.dates, [date!(2025 - 01 - 02), date!(2025 - 01 - 01)]);
    case.step(
        OFFICER,
        "file_case",
        date!(2025 - 01 - 06),
        &file("2025-01-06"),
    );

    let refusal = case.refused(
        OFFICER,
        "record_investigation",
        date!(2025 - 01 - 05),
        &[("investigators", INVESTIGATORS)],
    );
    guard(
        &refusal,
        "dates_not_before",
        "行政处罚法第五十四条第二款、第五十五条",
    );

    let two = "行政处罚法第四十二条第一款、第五十五条第一款";
    let on = date!(2025 - 01 - 08);
    guard(
        &case.refused(
            OFFICER,
            "record_investigation",
            on,
            &[("investigators", "101")],
        ),
        "registry_count",
        two,
    );
    // Officers 201 and 202 belong to department 5; the actor to department 7.
    case.facts
        .people
        .push(officer(202, 5, date!(2030 - 12 - 31)));
    let refusal = case.refused(
        OFFICER,
        "record_investigation",
        on,
        &[("investigators", "201,202")],
    );
    assert_eq!(
        field_problems(&refusal),
        [("investigators", FieldProblem::PersonOutOfScope)]
    );
    let refusal = case.refused(
        OFFICER,
        "record_investigation",
        on,
        &[("investigators", "101,201")],
    );
    assert_eq!(
        field_problems(&refusal),
        [("investigators", FieldProblem::PersonOutOfScope)]
    );
    let refusal = case.refused(
        OFFICER,
        "record_investigation",
        on,
        &[("investigators", "101,999")],
    );
    assert_eq!(
        field_problems(&refusal),
        [("investigators", FieldProblem::NotInRegistry)]
    );
    case.step(
        OFFICER,
        "record_investigation",
        on,
        &[("investigators", INVESTIGATORS)],
    );
}

// ───────────────────────────── the engine on this definition ─────────────────────────────

/// Every missing required field is reported at once (docs/PROCEDURES.md, Transitions), in the
/// definition's order; a field recorded by an earlier step (the cause, at registration) is not
/// missing. Filing: 行政处罚法第五十四条第二款.
#[test]
fn engine_reports_every_missing_field_at_once_art54() {
    let mut case = registered(date!(2025 - 01 - 02));
    let refusal = case.refused(OFFICER, "file_case", date!(2025 - 01 - 06), &[]);
    assert_eq!(
        missing(&refusal),
        [
            "party",
            "party_kind",
            "filing_date",
            "department",
            "period_rule"
        ]
    );
    assert_eq!(
        refusal.fields(),
        [
            "party",
            "party_kind",
            "filing_date",
            "department",
            "period_rule"
        ]
    );
    let refusal = case.refused(
        OFFICER,
        "file_case",
        date!(2025 - 01 - 06),
        &[("party", "某公司"), ("period_rule", ART60)],
    );
    assert_eq!(
        missing(&refusal),
        ["party_kind", "filing_date", "department"]
    );
}

/// A date-order refusal names both fields and both dates, and the guard's article and text
/// (行政处罚法第五十四条: discovery not after registration; the opening date is `opened`).
#[test]
fn engine_date_order_refusal_names_both_fields_and_dates_art54() {
    let refusal = Driver::try_open(
        shipped("penalty"),
        OFFICER,
        date!(2025 - 01 - 02),
        &[
            ("case_cause", "无证经营"),
            ("discovered_date", "2025-01-03"),
        ],
    )
    .expect_err("discovered after registration");
    let g = guard(&refusal, "date_order", "行政处罚法第五十四条");
    assert_eq!(g.fields, ["discovered_date", "opened"]);
    assert_eq!(g.dates, [date!(2025 - 01 - 03), date!(2025 - 01 - 02)]);
    assert_eq!(g.text, "发现违法行为日期不得晚于线索登记日期。");
    assert_eq!(refusal.article(), Some("行政处罚法第五十四条"));
    Driver::try_open(
        shipped("penalty"),
        OFFICER,
        date!(2025 - 01 - 02),
        &[
            ("case_cause", "无证经营"),
            ("discovered_date", "2025-01-02"),
        ],
    )
    .expect("the same day");
}

/// An extension beyond its maximum, after the period lapsed, a second time, or of zero length is
/// refused (Refusal::Extension, citing the extension step's article); without the written notice to
/// the party it is incomplete (市场监督管理行政处罚程序规定第六十四条第一款, cited by the definition).
#[test]
fn engine_extension_beyond_max_after_lapse_or_twice_refused_art60() {
    let thirty = Some(Period {
        n: 30,
        unit: PeriodUnit::Days,
    });
    let on = date!(2025 - 03 - 03);
    let mut case = filed(MARKET);
    let refusal = case.refused(
        LEGAL,
        "extend_decision_period",
        on,
        &extension("31", Some("2025-03-03")),
    );
    assert_eq!(
        refusal,
        Refusal::Extension {
            problem: ExtensionProblem::TooLong,
            timer: "作出行政处罚决定期限".to_owned(),
            article: EXTENSION_ARTICLE.to_owned(),
            max: thirty,
        }
    );
    assert_eq!(refusal.article(), Some(EXTENSION_ARTICLE));
    let refusal = case.refused(
        LEGAL,
        "extend_decision_period",
        on,
        &extension("0", Some("2025-03-03")),
    );
    assert!(
        matches!(
            refusal,
            Refusal::Extension {
                problem: ExtensionProblem::ZeroLength,
                ..
            }
        ),
        "{refusal:?}"
    );
    let refusal = case.refused(LEGAL, "extend_decision_period", on, &extension("30", None));
    assert_eq!(missing(&refusal), ["extension_notice_date"]);

    case.step(
        LEGAL,
        "extend_decision_period",
        on,
        &extension("30", Some("2025-03-03")),
    );
    let refusal = case.refused(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 10),
        &extension("10", Some("2025-03-10")),
    );
    // The definition's own guard speaks before the engine's extension rules: a market-regulation
    // case may be extended again only after the heads' collective discussion.
    guard(
        &refusal,
        "step_recorded",
        "市场监督管理行政处罚程序规定第六十四条第一款",
    );

    // Due 2025-04-07: on 2025-04-08 it is too late to extend.
    let mut lapsed = filed(MARKET);
    let refusal = lapsed.refused(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 04 - 08),
        &extension("30", Some("2025-04-08")),
    );
    assert!(
        matches!(
            refusal,
            Refusal::Extension {
                problem: ExtensionProblem::Lapsed,
                ..
            }
        ),
        "{refusal:?}"
    );
    lapsed.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 04 - 07),
        &extension("30", Some("2025-04-07")),
    );
}

// ───────────────────────────── corrections after the 2025 legal review ─────────────────────────────

/// Registered 2025-01-02, filed 2025-01-06 (行政处罚法第六十条) as a major case that calls for the heads'
/// collective discussion, investigated 2025-01-08.
fn filed_major_collective() -> Driver {
    let mut case = registered(date!(2025 - 01 - 02));
    case.step(
        OFFICER,
        "file_case",
        date!(2025 - 01 - 06),
        &[
            ("party", "某某商贸有限公司"),
            ("party_kind", "法人"),
            ("filing_date", "2025-01-06"),
            ("department", "7"),
            ("period_rule", ART60),
            ("major_case", "是"),
            ("collective_required", "是"),
        ],
    );
    case.step(
        OFFICER,
        "record_investigation",
        date!(2025 - 01 - 08),
        &[("investigators", INVESTIGATORS)],
    );
    case
}

fn discuss(case: &mut Driver, on: Date) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        LEGAL,
        "hold_collective_discussion",
        on,
        &[("discussion_date", &day)],
    )
}

/// 行政处罚法第四十四条、第六十二条 (no decision without the notice), 第五十八条 (review before the
/// decision), 第五十七条第二款 (collective discussion), 第六十条 (the period): a decision revoked with an
/// order to redo it (行政复议法第六十四条第一款; 行政诉讼法第七十条) needs a fresh notice, review and
/// discussion, and the decision period runs again from the redo.
#[test]
fn penalty_redo_after_revocation_needs_fresh_notice_review_discussion_art44_62() {
    let mut case = filed_major_collective();
    notify(&mut case, date!(2025 - 01 - 20), false);
    submit_and_pass(&mut case, date!(2025 - 01 - 21), date!(2025 - 01 - 22));
    discuss(&mut case, date!(2025 - 01 - 23)).expect("discussed");
    decide(&mut case, date!(2025 - 02 - 05)).expect("decided");
    case.step(
        OFFICER,
        "serve_decision",
        date!(2025 - 02 - 10),
        &[("service_date", "2025-02-10")],
    );
    case.step(
        LEGAL,
        "record_decision_altered",
        date!(2025 - 06 - 09),
        &alter("撤销", "2025-06-09"),
    );
    case.step(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 06 - 10),
        &[
            ("publicity_withdrawal_date", "2025-06-10"),
            ("publicity_withdrawal_reason", "原处罚决定已被撤销"),
        ],
    );
    assert!(case.timer("redecision", date!(2025 - 06 - 10)).is_none());
    case.step(LEGAL, "redo_after_revocation", date!(2025 - 06 - 16), &[]);
    // 2025-06-16 + 90 日 = 2025-09-14 (Sun), so 2025-09-15.
    let timer = case
        .timer("redecision", date!(2025 - 06 - 16))
        .expect("the period runs again");
    assert_eq!(timer.due.map(|d| d.date), Some(date!(2025 - 09 - 15)));
    assert!(
        timer.article.contains("行政处罚法第六十条"),
        "{}",
        timer.article
    );

    // The old notice does not carry the new decision; nor the old review (major case).
    notify(&mut case, date!(2025 - 06 - 20), false);
    let refusal = discuss(&mut case, date!(2025 - 06 - 23)).expect_err("old review");
    guard(&refusal, "step_recorded", REVIEW);
    submit_and_pass(&mut case, date!(2025 - 06 - 23), date!(2025 - 06 - 24));
    // Nor the old discussion.
    let refusal = decide(&mut case, date!(2025 - 06 - 25)).expect_err("old discussion");
    let g = guard(&refusal, "step_recorded", "行政处罚法第五十七条第二款");
    assert!(g.text.contains("集体讨论"), "{}", g.text);
    discuss(&mut case, date!(2025 - 06 - 25)).expect("discussed anew");
    decide(&mut case, date!(2025 - 06 - 26)).expect("after a fresh notice, review and discussion");
    assert!(
        case.timer("redecision", date!(2025 - 06 - 26)).is_none(),
        "decided in time"
    );

    // Without a fresh notice: refused however the case reached "reviewed".
    let mut stale = filed_major_collective();
    notify(&mut stale, date!(2025 - 01 - 20), false);
    submit_and_pass(&mut stale, date!(2025 - 01 - 21), date!(2025 - 01 - 22));
    discuss(&mut stale, date!(2025 - 01 - 23)).expect("discussed");
    decide(&mut stale, date!(2025 - 02 - 05)).expect("decided");
    stale.step(
        LEGAL,
        "record_decision_altered",
        date!(2025 - 03 - 03),
        &alter("撤销", "2025-03-03"),
    );
    stale.step(
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 03 - 04),
        &[
            ("publicity_withdrawal_date", "2025-03-04"),
            ("publicity_withdrawal_reason", "原处罚决定已被撤销"),
        ],
    );
    stale.step(LEGAL, "redo_after_revocation", date!(2025 - 03 - 05), &[]);
    submit_and_pass(&mut stale, date!(2025 - 03 - 06), date!(2025 - 03 - 07));
    guard(
        &discuss(&mut stale, date!(2025 - 03 - 10)).expect_err("old notice"),
        "step_recorded",
        "行政处罚法第四十四条、第五十七条",
    );
    guard(
        &decide(&mut stale, date!(2025 - 03 - 10)).expect_err("old notice"),
        "step_recorded",
        "行政处罚法第四十四条、第六十二条",
    );
}

fn decide_as(
    case: &mut Driver,
    on: Date,
    penalty: &str,
    large: Option<&str>,
) -> Result<(), Refusal> {
    let day = ymd(on);
    let mut form = vec![
        ("decision_date", day.as_str()),
        ("decision_number", "某市监罚〔2025〕2号"),
        ("penalty_type", penalty),
        ("legal_basis", "某条例第十条"),
    ];
    if let Some(large) = large {
        form.push(("large_amount", large));
        form.push(("fine_amount", "200000"));
    }
    case.try_step(LEGAL, "decide_penalty", on, &form)
}

const ART63: &str = "行政处罚法第六十三条第一款";

/// 行政处罚法第六十三条第一款: 降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业 and 较大数额罚款
/// or confiscation carry the right to a hearing; such a decision after a notice that did not tell the
/// party of it is refused.
#[test]
fn penalty_art63_penalties_need_hearing_right_notified_art63() {
    for penalty in [
        "降低资质等级",
        "吊销许可证件",
        "责令停产停业",
        "责令关闭",
        "限制从业",
    ] {
        let mut case = filed(ART60);
        notify(&mut case, date!(2025 - 03 - 03), false);
        let refusal = decide_as(&mut case, date!(2025 - 03 - 04), penalty, None)
            .expect_err("no hearing right told");
        let g = guard(&refusal, "field_in", ART63);
        assert_eq!(g.fields, ["hearing_right_notified"], "{penalty}");
        // Told of the right: after its five working days the decision may be made.
        let mut told = filed(ART60);
        notify(&mut told, date!(2025 - 03 - 03), true);
        decide_as(&mut told, date!(2025 - 03 - 11), penalty, None).expect("hearing right told");
    }
    // A 较大数额 fine, as the deciding officer states it.
    let mut large = filed(ART60);
    notify(&mut large, date!(2025 - 03 - 03), false);
    guard(
        &decide_as(&mut large, date!(2025 - 03 - 04), "罚款", Some("是")).expect_err("large fine"),
        "field_in",
        ART63,
    );
    decide_as(&mut large, date!(2025 - 03 - 04), "罚款", Some("否")).expect("not large");
    // A warning needs no hearing.
    let mut warning = filed(ART60);
    notify(&mut warning, date!(2025 - 03 - 03), false);
    decide_as(&mut warning, date!(2025 - 03 - 04), "警告", None).expect("a warning");
}

/// 行政处罚法第六十四条第一项、第八十五条 and 第五十九条第一款第六项: the hearing-request period is checked on
/// the decision's (or the discussion's) own date, which must be the step's date, so a decision
/// back-dated into the party's five working days is refused even when recorded after them. (A
/// replay ends the party's period once it has lapsed before the step's date, so `on` alone would
/// let it through.)
#[test]
fn penalty_backdated_decision_inside_hearing_period_refused_art64_1() {
    let decision = |dated: &'static str| {
        vec![
            ("decision_date", dated),
            ("decision_number", "某市监罚〔2025〕1号"),
            ("penalty_type", "罚款"),
            ("fine_amount", "5000"),
            ("legal_basis", "某条例第十条"),
        ]
    };
    let mut case = filed(ART60);
    notify(&mut case, date!(2025 - 03 - 03), true);
    // The period ends on 2025-03-10; recorded on 2025-03-11 but dated 2025-03-05: the guard reads
    // the decision's own date, and the party's period that had lapsed by the step's date is still
    // seen as running on that day.
    let refusal = case.refused(
        LEGAL,
        "decide_penalty",
        date!(2025 - 03 - 11),
        &decision("2025-03-05"),
    );
    let g = guard(
        &refusal,
        "period_ended",
        "行政处罚法第六十四条第一项、第八十五条",
    );
    assert_eq!(g.dates, [date!(2025 - 03 - 10)]);
    // Dated after the period, recorded later still: accepted (staff may record a step later).
    let mut later = case.clone();
    later.step(
        LEGAL,
        "decide_penalty",
        date!(2025 - 03 - 14),
        &decision("2025-03-11"),
    );
    // Dated after the period but recorded inside it: refused too.
    let refusal = case.refused(
        LEGAL,
        "decide_penalty",
        date!(2025 - 03 - 05),
        &decision("2025-03-11"),
    );
    assert!(matches!(refusal, Refusal::Guard(_)), "{refusal:?}");
    // The collective discussion alike.
    let refusal = case.refused(
        LEGAL,
        "hold_collective_discussion",
        date!(2025 - 03 - 11),
        &[("discussion_date", "2025-03-05")],
    );
    guard(
        &refusal,
        "period_ended",
        "行政处罚法第六十四条第一项、第八十五条",
    );
    decide(&mut case, date!(2025 - 03 - 11)).expect("dated and recorded after the period");
}

/// 行政处罚法第七十二条第一款第一项 ("加处罚款的数额不得超出罚款的数额") and 行政强制法第四十五条第二款: the
/// surcharge is capped by the fine.
#[test]
fn penalty_surcharge_capped_by_fine_art72_xzqzf45() {
    let cap = "行政处罚法第七十二条第一款第一项；行政强制法第四十五条第二款";
    let mut case = served();
    let refusal = case.refused(
        LEGAL,
        "impose_surcharge",
        date!(2025 - 02 - 26),
        &[
            ("surcharge_notice_date", "2025-02-26"),
            ("surcharge_amount", "5000.01"),
        ],
    );
    let g = guard(&refusal, "amount_limit", cap);
    assert_eq!(g.fields, ["surcharge_amount", "fine_amount"]);
    case.step(
        LEGAL,
        "impose_surcharge",
        date!(2025 - 02 - 26),
        &[
            ("surcharge_notice_date", "2025-02-26"),
            ("surcharge_amount", "5000"),
        ],
    );
}

/// 行政诉讼法第四十五条 (15 日 to sue from receipt of the 复议决定) and 行诉解释第一百五十六条 (three months
/// from the end of the time to sue): after a 复议 decision upholding the penalty, the application to
/// the court opens once those 15 days have passed — not six months after the penalty's service.
#[test]
fn penalty_enforcement_after_review_upheld_art45_jieshi156() {
    let review = |kind: &str| {
        let mut case = served();
        // 催告 after the payment period (2025-02-25): ten working days end on 2025-03-12.
        urge(&mut case, date!(2025 - 02 - 26)).expect("urged");
        case.step(
            LEGAL,
            "record_review_sought",
            date!(2025 - 03 - 03),
            &[("review_kind", kind), ("review_filed_date", "2025-03-03")],
        );
        case
    };
    let mut case = review("行政复议");
    let refusal = case.refused(
        LEGAL,
        "record_review_upheld",
        date!(2025 - 04 - 22),
        &[
            ("review_result_note", "复议机关决定维持"),
            ("review_result_service_date", "2025-03-01"),
        ],
    );
    guard(&refusal, "date_order", "行政诉讼法第四十五条");
    case.step(
        LEGAL,
        "record_review_upheld",
        date!(2025 - 04 - 22),
        &[
            ("review_result_note", "复议机关决定维持"),
            ("review_result_service_date", "2025-04-21"),
        ],
    );
    assert_eq!(case.case.state, "served");
    // 2025-04-21 + 15 日 = 2025-05-06; the six months from the penalty's service no longer run.
    assert_eq!(
        due(
            &case,
            "post_review_litigation_period",
            date!(2025 - 04 - 22)
        ),
        Some(date!(2025 - 05 - 06))
    );
    assert!(
        case.timer("litigation_period", date!(2025 - 04 - 22))
            .is_none()
    );
    assert!(
        case.timer("reconsideration_period", date!(2025 - 04 - 22))
            .is_none()
    );
    let refusal = apply(&mut case, date!(2025 - 05 - 06)).expect_err("the party may still sue");
    guard(
        &refusal,
        "period_ended",
        "行政强制法第五十三条；行政诉讼法第四十五条",
    );
    // Deemed on 2025-05-06; the window runs to 2025-08-06.
    assert_eq!(
        due(&case, "enforcement_application", date!(2025 - 05 - 07)),
        Some(date!(2025 - 08 - 06))
    );
    apply(&mut case, date!(2025 - 05 - 07)).expect("after the 15 days, inside the window");
    assert_eq!(case.case.state, "enforcing");

    // The party sues within the 15 days: no window opens.
    let mut sued = review("行政复议");
    sued.step(
        LEGAL,
        "record_review_upheld",
        date!(2025 - 04 - 22),
        &[
            ("review_result_note", "复议机关决定维持"),
            ("review_result_service_date", "2025-04-21"),
        ],
    );
    sued.step(
        LEGAL,
        "record_review_sought",
        date!(2025 - 04 - 30),
        &[
            ("review_kind", "行政诉讼"),
            ("review_filed_date", "2025-04-30"),
        ],
    );
    assert!(
        sued.replay(date!(2025 - 06 - 01))
            .history
            .iter()
            .all(|s| s.deemed_by.is_none()),
        "no deemed step"
    );

    // After a judgment the decision is enforced under 行政诉讼法第九十五条: no application window here.
    let mut judged = review("行政诉讼");
    judged.step(
        LEGAL,
        "record_review_upheld",
        date!(2025 - 06 - 02),
        &[("review_result_note", "人民法院判决驳回诉讼请求")],
    );
    assert!(
        judged
            .timer("post_review_litigation_period", date!(2025 - 06 - 02))
            .is_none()
    );
    let refusal = apply(&mut judged, date!(2025 - 09 - 01)).expect_err("no window");
    guard(
        &refusal,
        "timer_running",
        "行政强制法第五十三条；最高人民法院关于适用《中华人民共和国行政诉讼法》的解释第一百五十六条",
    );
}

fn closed_alteration<'a>(
    kind: &'a str,
    on: &'a str,
    published: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut form = alter(kind, on);
    form.push(("decision_published", published));
    form
}

/// 行政处罚法第四十八条第二款: a decision revoked after the case was closed (the fine paid) is still
/// recorded, and a published one withdrawn within three working days; the case stays closed
/// (terminal state closed_altered).
#[test]
fn penalty_closed_case_alteration_and_withdrawal_art48_2() {
    let article = "行政处罚法第四十八条第二款";
    let paid = || {
        let mut case = served();
        case.step(
            OFFICER,
            "record_execution",
            date!(2025 - 02 - 20),
            &[("execution_note", "当事人已缴纳罚款")],
        );
        assert_eq!(case.case.state, "closed");
        case
    };
    let mut case = paid();
    let refusal = case.refused(
        LEGAL,
        "record_decision_altered",
        date!(2025 - 06 - 09),
        &alter("撤销", "2025-06-09"),
    );
    assert!(
        matches!(refusal, Refusal::NotAllowedInState { ref state, .. } if state == "closed"),
        "{refusal:?}"
    );
    case.step(
        LEGAL,
        "record_closed_decision_altered",
        date!(2025 - 06 - 09),
        &closed_alteration("撤销", "2025-06-09", "是"),
    );
    assert_eq!(case.case.state, "closed_altered");
    assert!(
        case.procedure
            .state("closed_altered")
            .is_some_and(|s| s.terminal)
    );
    // 2025-06-09 + 3 working days = 2025-06-12.
    assert_eq!(
        due(
            &case,
            "publicity_withdrawal_after_closure",
            date!(2025 - 06 - 09)
        ),
        Some(date!(2025 - 06 - 12))
    );
    let form = [
        ("publicity_withdrawal_date", "2025-06-10"),
        ("publicity_withdrawal_reason", "原处罚决定已被撤销"),
    ];
    case.step(
        LEGAL,
        "withdraw_publicity_after_closure",
        date!(2025 - 06 - 10),
        &form,
    );
    assert!(
        case.timer("publicity_withdrawal_after_closure", date!(2025 - 06 - 10))
            .is_none()
    );
    let publicity = case.procedure.publicity.as_ref().expect("published");
    assert!(
        publicity
            .withdrawn_by
            .iter()
            .any(|a| a == "withdraw_publicity_after_closure")
    );
    let refusal = case.refused(
        LEGAL,
        "withdraw_publicity_after_closure",
        date!(2025 - 06 - 11),
        &form,
    );
    guard(&refusal, "step_recorded", article);

    // Not published: nothing to withdraw, no period.
    let mut unpublished = paid();
    unpublished.step(
        LEGAL,
        "record_closed_decision_altered",
        date!(2025 - 06 - 09),
        &closed_alteration("确认违法", "2025-06-09", "否"),
    );
    assert!(
        unpublished
            .timer("publicity_withdrawal_after_closure", date!(2025 - 06 - 09))
            .is_none()
    );
    guard(
        &unpublished.refused(
            LEGAL,
            "withdraw_publicity_after_closure",
            date!(2025 - 06 - 10),
            &form,
        ),
        "field_in",
        article,
    );

    // A case closed because criminal liability was pursued has no decision to alter.
    let mut prosecuted = filed(ART60);
    prosecuted.step(
        LEGAL,
        "transfer",
        date!(2025 - 02 - 10),
        &[
            ("transfer_date", "2025-02-10"),
            ("transfer_to", "某区公安分局"),
        ],
    );
    prosecuted.step(
        LEGAL,
        "close_after_prosecution",
        date!(2025 - 09 - 01),
        &[("prosecution_note", "已被判处罚金")],
    );
    guard(
        &prosecuted.refused(
            LEGAL,
            "record_closed_decision_altered",
            date!(2025 - 09 - 05),
            &closed_alteration("撤销", "2025-09-05", "否"),
        ),
        "step_not_recorded",
        "行政处罚法第二十七条第一款、第四十八条第二款",
    );
}

/// 市场监督管理行政处罚程序规定第六十四条第一款 ("经延期仍不能作出处理决定的，应当由市场监督管理部门负责人
/// 集体讨论决定是否继续延期"): a second extension after the heads' collective discussion; 治安管理处罚法
/// （2012年修正）第九十九条第一款: one. (An extension from "notified" cannot be expressed: see the
/// definition.)
#[test]
fn penalty_market_second_extension_after_collective_discussion_market64() {
    let market = "市场监督管理行政处罚程序规定第六十四条第一款";
    let mut case = filed(MARKET);
    case.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 03),
        &extension("30", Some("2025-03-03")),
    );
    guard(
        &case.refused(
            LEGAL,
            "extend_decision_period",
            date!(2025 - 03 - 10),
            &extension("30", Some("2025-03-10")),
        ),
        "step_recorded",
        market,
    );
    notify(&mut case, date!(2025 - 03 - 12), false);
    let refusal = case.refused(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 12),
        &extension("30", Some("2025-03-12")),
    );
    assert!(
        matches!(refusal, Refusal::NotAllowedInState { ref state, .. } if state == "notified"),
        "{refusal:?}"
    );
    discuss(&mut case, date!(2025 - 03 - 13)).expect("the heads discuss continuing");
    case.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 14),
        &extension("30", Some("2025-03-14")),
    );
    assert_eq!(case.case.state, "investigating");
    // 2025-01-06 + 90 + 30 + 30 日 = 2025-06-05.
    assert_eq!(
        due(&case, "decision", date!(2025 - 03 - 14)),
        Some(date!(2025 - 06 - 05))
    );
    guard(
        &case.refused(
            LEGAL,
            "extend_decision_period",
            date!(2025 - 03 - 17),
            &extension("10", Some("2025-03-17")),
        ),
        "step_recorded",
        market,
    );

    let mut police = filed_on(date!(2025 - 03 - 03), date!(2025 - 03 - 03), POLICE, false);
    let mut form = extension("30", Some("2025-03-20"));
    form[1] = ("approved_by", "上一级公安机关");
    police.step(
        LEGAL,
        "extend_decision_period",
        date!(2025 - 03 - 20),
        &form,
    );
    guard(
        &police.refused(
            LEGAL,
            "extend_decision_period",
            date!(2025 - 03 - 21),
            &form,
        ),
        "at_most_once",
        "治安管理处罚法（2012年修正）第九十九条第一款",
    );
}

/// 治安管理处罚法（2012年修正）第九十九条第一款 ("自受理之日起不得超过三十日"): the police period runs from
/// 受理, the case's opening; a filing date later than it is refused for that rule. (The 2025 revision,
/// in force 2026-01-01, is not verified.)
#[test]
fn penalty_police_period_from_acceptance_zhian99() {
    let mut case = registered(date!(2025 - 03 - 03));
    let file = |on: &'static str| {
        vec![
            ("party", "张某"),
            ("party_kind", "公民"),
            ("filing_date", on),
            ("department", "7"),
            ("period_rule", POLICE),
        ]
    };
    let refusal = case.refused(
        OFFICER,
        "file_case",
        date!(2025 - 03 - 05),
        &file("2025-03-05"),
    );
    let g = guard(
        &refusal,
        "date_order",
        "治安管理处罚法（2012年修正）第九十九条第一款",
    );
    assert_eq!(g.fields, ["filing_date", "opened"]);
    case.step(
        OFFICER,
        "file_case",
        date!(2025 - 03 - 05),
        &file("2025-03-03"),
    );
    // 2025-03-03 + 30 日 = 2025-04-02.
    assert_eq!(
        due(&case, "decision", date!(2025 - 03 - 05)),
        Some(date!(2025 - 04 - 02))
    );
    // Other rules still count from filing.
    let mut other = registered(date!(2025 - 03 - 03));
    other.step(
        OFFICER,
        "file_case",
        date!(2025 - 03 - 05),
        &[
            ("party", "张某"),
            ("party_kind", "公民"),
            ("filing_date", "2025-03-05"),
            ("department", "7"),
            ("period_rule", ART60),
        ],
    );
}

/// Citations: 行政处罚法第七条第一款 (the right to seek review; 第二款 is compensation); 第四十八条第一款
/// (decisions 具有一定社会影响) with the 7 working days from the 国务院办公厅 opinion (policy); the hearing
/// chair's registry, stricter than 第六十四条第四项 (非本案调查人员).
#[test]
fn penalty_citations_art7_1_art48_publicity_art64_4() {
    let procedure = shipped("penalty");
    let sought = procedure
        .transition("record_review_sought")
        .expect("defined");
    assert!(
        sought.article.contains("行政处罚法第七条第一款"),
        "{}",
        sought.article
    );
    assert!(
        !sought.article.contains("第七条第二款"),
        "{}",
        sought.article
    );
    let publicity = procedure.publicity.as_ref().expect("published");
    assert!(
        publicity.article.contains("第四十八条第一款"),
        "{}",
        publicity.article
    );
    assert!(
        publicity.article.contains("具有一定社会影响"),
        "{}",
        publicity.article
    );
    assert!(
        publicity.article.contains("国务院办公厅"),
        "{}",
        publicity.article
    );
    assert!(
        publicity.article.contains("政策文件"),
        "{}",
        publicity.article
    );
    let chair = procedure.field("hearing_chair").expect("defined");
    assert_eq!(
        chair.kind,
        fazhi_procedure::FieldKind::Person(Registry::EnforcementOfficers)
    );
    let text = include_str!("../../../../procedures/penalty.toml");
    assert!(text.contains("STRICTER THAN THE LAW"));
    assert!(text.contains("IN FORCE FROM 2026-01-01"));
}

/// The opening records the definition's opening fields only: a fine or a decision number sent
/// at registration (as an API client could) would skip the checks of the step that records them.
#[test]
fn the_opening_records_only_its_opening_fields() {
    let opening = [
        ("case_cause", "销售过期食品"),
        ("discovered_date", "2025-03-01"),
    ];
    for (extra, value) in [
        ("fine_amount", "5000"),
        ("decision_number", "滨市监罚〔2025〕1号"),
        ("investigators", "101"),
    ] {
        let mut fields = opening.to_vec();
        fields.push((extra, value));
        let refused = Driver::try_open(shipped("penalty"), OFFICER, date!(2025 - 03 - 03), &fields)
            .map(|_| ())
            .unwrap_err();
        match refused {
            Refusal::InvalidFields { problems } => {
                assert_eq!(problems, vec![(extra.to_owned(), FieldProblem::NotOffered)]);
            }
            other => panic!("{extra}: {other:?}"),
        }
    }
    Driver::open(shipped("penalty"), OFFICER, date!(2025 - 03 - 03), &opening);
}

/// Dates outside 1990-01-01 ..= 2099-12-31 are refused as out of range, not stored.
#[test]
fn dates_of_a_record_are_bounded() {
    for (discovered, problem) in [
        ("0000-01-01", Some(FieldProblem::DateOutOfRange)),
        ("1900-01-01", Some(FieldProblem::DateOutOfRange)),
        ("1989-12-31", Some(FieldProblem::DateOutOfRange)),
        ("9999-12-31", Some(FieldProblem::DateOutOfRange)),
        ("2025-02-30", Some(FieldProblem::InvalidDate)),
        ("1990-01-01", None),
    ] {
        let result = Driver::try_open(
            shipped("penalty"),
            OFFICER,
            date!(2025 - 03 - 03),
            &[
                ("case_cause", "销售过期食品"),
                ("discovered_date", discovered),
            ],
        );
        match (result, problem) {
            (Ok(_), None) => {}
            (Err(Refusal::InvalidFields { problems }), Some(problem)) => {
                assert_eq!(
                    problems,
                    vec![("discovered_date".to_owned(), problem)],
                    "{discovered}"
                );
            }
            (other, _) => panic!("{discovered}: {:?}", other.map(|_| ())),
        }
    }
}
