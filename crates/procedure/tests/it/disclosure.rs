//! 依申请公开 (`procedures/disclosure.toml`) on the official calendar: one test per correction of the
//! definition, named for it and citing its article of the 政府信息公开条例 (2019). Every period is
//! in working days; the due dates were checked with `fazhi calendar add`.

use fazhi_procedure::{ExtensionProblem, Period, PeriodUnit, Refusal};

use crate::support::{Driver, LEGAL, assert_guard, assert_not_in_state, d, shipped};

/// A request received and registered on 2025-03-03 (Monday): the reply is due on the 20th working
/// day, 2025-03-31.
fn request() -> Driver {
    let case = Driver::open(
        shipped("disclosure"),
        LEGAL,
        d("2025-03-03"),
        &[
            ("applicant", "李某"),
            ("applicant_contact", "13900000000"),
            ("received_date", "2025-03-03"),
            ("receipt_channel", "互联网渠道"),
            ("requested_information", "2024年某项目环境影响评价批复"),
        ],
    );
    assert_eq!(case.due("reply", d("2025-03-03")), Some(d("2025-03-31")));
    case
}

/// A reply of `action` on 2025-03-20 with a reason; returns the recorded outcome and article.
fn reply(case: &mut Driver, action: &str) -> (Option<String>, String) {
    let accepted = case.accepted(
        LEGAL,
        action,
        d("2025-03-20"),
        &[
            ("reply_date", "2025-03-20"),
            ("reply_reason", "依条例答复并说明理由"),
        ],
    );
    assert_eq!(case.state(d("2025-03-20")), "replied");
    assert!(case.timer("reply", d("2025-03-20")).is_none());
    (accepted.outcome, accepted.article)
}

fn outcome_article<'a>(case: &'a Driver, outcome: &str) -> &'a str {
    case.procedure
        .outcome(outcome)
        .map_or("", |o| o.article.as_str())
}

fn consult(case: &mut Driver, kind: &str, received: &str) -> Result<(), Refusal> {
    case.try_step(
        LEGAL,
        "consult",
        d("2025-03-10"),
        &[
            ("third_party", "某公司"),
            ("consulted_kind", kind),
            ("consultation_received_date", received),
        ],
    )
}

/// 条例第三十条: "答复期限自行政机关收到补正的申请之日起计算"; the correction is asked once, and the
/// request is deemed abandoned only after the reasonable deadline set.
#[test]
fn disclosure_correction_restarts_reply_from_receipt_art30() {
    let mut case = request();
    let mut lapsing = case.clone();
    let notice = [
        ("correction_items", "请明确所需信息的文号或者名称"),
        ("correction_deadline", "2025-03-14"),
    ];
    case.step(LEGAL, "request_correction", d("2025-03-05"), &notice);
    assert_eq!(case.state(d("2025-03-05")), "awaiting_correction");
    assert!(case.timer("correction_notice", d("2025-03-05")).is_none());
    assert!(case.due("reply", d("2025-03-05")).is_none());

    case.step(
        LEGAL,
        "receive_correction",
        d("2025-03-12"),
        &[("corrected_date", "2025-03-12")],
    );
    // 20 working days from 03-12 (清明 04-04 not counted) → 04-10.
    let reply = case.timer("reply", d("2025-03-12")).expect("reply period");
    assert_eq!(reply.started_on, d("2025-03-12"));
    assert_eq!(reply.due.map(|due| due.date), Some(d("2025-04-10")));
    assert_eq!(reply.counts_from(&case.procedure), "收到补正申请日期");
    assert!(!reply.paused);

    let refusal = case.refused(LEGAL, "request_correction", d("2025-03-13"), &notice);
    assert_guard(&refusal, "at_most_once", "政府信息公开条例第三十条");

    // Abandonment only once the deadline (Friday 03-14) is over.
    lapsing.step(LEGAL, "request_correction", d("2025-03-05"), &notice);
    let refusal = lapsing.refused(LEGAL, "correction_lapsed", d("2025-03-14"), &[]);
    assert_guard(&refusal, "date_order", "政府信息公开条例第三十条");
    let lapsed = lapsing.accepted(LEGAL, "correction_lapsed", d("2025-03-17"), &[]);
    assert_eq!(lapsed.outcome.as_deref(), Some("abandoned"));
    assert_eq!(lapsing.state(d("2025-03-17")), "abandoned");
    assert!(lapsing.timer("reply", d("2025-03-17")).is_none());
}

/// 条例第三十三条第二款: "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长
/// 不得超过20个工作日。"
#[test]
fn disclosure_extension_at_most_twenty_workdays_art33() {
    let extension = |length, notice| {
        vec![
            ("extension_reason", "信息量大，需调取档案"),
            ("approved_by", "20"),
            ("extension_length", length),
            ("extension_notice_date", notice),
        ]
    };
    let mut case = request();
    let mut shorter = case.clone();
    let mut late = case.clone();

    let refusal = case.refused(
        LEGAL,
        "extend",
        d("2025-03-25"),
        &extension("21", "2025-03-25"),
    );
    assert_eq!(
        refusal,
        Refusal::Extension {
            problem: ExtensionProblem::TooLong,
            timer: "答复期限".into(),
            article: "政府信息公开条例第三十三条第二款".into(),
            max: Some(Period {
                n: 20,
                unit: PeriodUnit::Workdays
            }),
        }
    );
    // The applicant must be told.
    let refusal = case.refused(
        LEGAL,
        "extend",
        d("2025-03-25"),
        &[
            ("extension_reason", "信息量大"),
            ("approved_by", "20"),
            ("extension_length", "20"),
        ],
    );
    assert_eq!(
        refusal,
        Refusal::MissingFields {
            fields: vec!["extension_notice_date".into()]
        }
    );

    case.step(
        LEGAL,
        "extend",
        d("2025-03-25"),
        &extension("20", "2025-03-25"),
    );
    // The 40th working day after 03-03: 清明 04-04 off, Sunday 04-27 a working day → 04-28.
    let reply = case.timer("reply", d("2025-03-25")).expect("reply period");
    assert!(reply.extended);
    assert_eq!(
        reply.period,
        Period {
            n: 40,
            unit: PeriodUnit::Workdays
        }
    );
    assert_eq!(reply.due.map(|due| due.date), Some(d("2025-04-28")));
    let refusal = case.refused(
        LEGAL,
        "extend",
        d("2025-03-28"),
        &extension("5", "2025-03-28"),
    );
    assert_eq!(refusal.code(), "extension_exhausted");

    shorter.step(
        LEGAL,
        "extend",
        d("2025-03-25"),
        &extension("10", "2025-03-25"),
    );
    assert_eq!(shorter.due("reply", d("2025-03-25")), Some(d("2025-04-15")));

    let refusal = late.refused(
        LEGAL,
        "extend",
        d("2025-04-01"),
        &extension("20", "2025-04-01"),
    );
    assert_eq!(refusal.code(), "extension_after_lapse");
}

/// 条例第三十二条 (第三方) and 第三十四条 (其他机关): 15 working days "自收到征求意见书之日起"; the time
/// of the consultation is not counted in the reply period (第三十三条第三款); on its last day the law
/// ends the consultation.
#[test]
fn disclosure_consultation_runs_from_receipt_art32_art34() {
    let mut case = request();
    let mut other_agency = case.clone();
    let mut backdated = case.clone();

    let refusal =
        consult(&mut backdated, "第三方", "2025-03-07").expect_err("received before sent");
    assert_guard(
        &refusal,
        "date_order",
        "政府信息公开条例第三十二条、第三十四条",
    );

    consult(&mut case, "第三方", "2025-03-12").expect("consultation");
    assert_eq!(case.state(d("2025-03-10")), "consulting");
    // From the receipt on 03-12, not from the sending on 03-10 (which would give 03-31).
    let answer = case
        .timer("third_party_answer", d("2025-03-10"))
        .expect("third party's period");
    assert_eq!(answer.started_on, d("2025-03-12"));
    assert_eq!(answer.due.map(|due| due.date), Some(d("2025-04-02")));
    assert_eq!(answer.article, "政府信息公开条例第三十二条");
    let reply = case.timer("reply", d("2025-03-10")).expect("reply period");
    assert!(reply.paused && reply.due.is_none());

    // Nothing received: on 04-02 the consultation ends by law and the reply period runs again,
    // 4 working days used before 03-10, the day the pause ends counted → 04-24.
    assert_eq!(case.state(d("2025-04-02")), "consulting");
    assert_eq!(case.state(d("2025-04-03")), "received");
    let lapsed = case
        .replay(d("2025-04-03"))
        .history
        .last()
        .cloned()
        .expect("deemed step");
    assert_eq!(lapsed.action, "consultation_lapsed");
    assert_eq!(lapsed.on, d("2025-04-02"));
    assert_eq!(lapsed.deemed_by.as_deref(), Some("third_party_answer"));
    assert_eq!(case.due("reply", d("2025-04-03")), Some(d("2025-04-24")));
    assert!(case.timer("third_party_answer", d("2025-04-03")).is_none());

    consult(&mut other_agency, "其他行政机关", "2025-03-12").expect("consultation");
    let answer = other_agency
        .timer("third_party_answer", d("2025-03-10"))
        .expect("agency's period");
    assert_eq!(answer.due.map(|due| due.date), Some(d("2025-04-02")));
    assert_eq!(answer.article, "政府信息公开条例第三十四条");
}

/// 条例第三十二条: "第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大
/// 影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。"
#[test]
fn disclosure_third_party_told_of_decision_to_disclose_art32() {
    let disclose = [("reply_date", "2025-03-25")];
    let mut case = request();
    let mut never_consulted = case.clone();
    consult(&mut case, "第三方", "2025-03-12").expect("consultation");
    let mut agreed = case.clone();

    case.step(
        LEGAL,
        "end_consultation",
        d("2025-03-20"),
        &[("third_party_objected", "是")],
    );
    let mut late_notice = case.clone();
    let refusal = case.refused(LEGAL, "reply_disclosed", d("2025-03-25"), &disclose);
    assert_guard(&refusal, "step_recorded", "政府信息公开条例第三十二条");
    let refusal = case.refused(
        LEGAL,
        "reply_partly_disclosed",
        d("2025-03-25"),
        &[
            ("reply_date", "2025-03-25"),
            ("reply_reason", "部分涉及商业秘密"),
        ],
    );
    assert_guard(&refusal, "step_recorded", "政府信息公开条例第三十二条");

    let interest = (
        "public_interest_reason",
        "涉及公众环境权益，不公开可能对公共利益造成重大影响",
    );
    case.step(
        LEGAL,
        "notify_third_party",
        d("2025-03-24"),
        &[interest, ("third_party_notice_date", "2025-03-24")],
    );
    let accepted = case.accepted(LEGAL, "reply_disclosed", d("2025-03-25"), &disclose);
    assert_eq!(accepted.outcome.as_deref(), Some("disclosed"));

    // The notice cannot come after the disclosure.
    late_notice.step(
        LEGAL,
        "notify_third_party",
        d("2025-03-26"),
        &[interest, ("third_party_notice_date", "2025-03-26")],
    );
    let refusal = late_notice.refused(LEGAL, "reply_disclosed", d("2025-03-26"), &disclose);
    assert_guard(&refusal, "date_order", "政府信息公开条例第三十二条");

    // The third party agreed: no notice needed.
    agreed.step(
        LEGAL,
        "end_consultation",
        d("2025-03-20"),
        &[("third_party_objected", "否")],
    );
    agreed.step(LEGAL, "reply_disclosed", d("2025-03-25"), &disclose);

    // No consultation, nothing to tell.
    let refusal = never_consulted.refused(
        LEGAL,
        "notify_third_party",
        d("2025-03-24"),
        &[interest, ("third_party_notice_date", "2025-03-24")],
    );
    assert_guard(&refusal, "step_recorded", "政府信息公开条例第三十二条");
}

/// 条例第三十五条: "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政
/// 机关认为申请理由不合理的，告知申请人不予处理；…理由合理，但是无法在本条例第三十三条规定的期限内答复申请人的，
/// 可以确定延迟答复的合理期限并告知申请人。"
#[test]
fn disclosure_excessive_request_not_processed_after_reasons_asked_art35() {
    let mut case = request();
    let refusal = case.refused(
        LEGAL,
        "reply_excessive_not_processed",
        d("2025-03-10"),
        &[
            ("reply_date", "2025-03-10"),
            ("reply_reason", "申请数量明显超过合理范围"),
        ],
    );
    assert_guard(&refusal, "step_recorded", "政府信息公开条例第三十五条");
    let refusal = case.refused(
        LEGAL,
        "set_delayed_reply",
        d("2025-03-10"),
        &[
            ("applicant_reasons", "研究需要"),
            ("delayed_reply_date", "2025-05-30"),
        ],
    );
    assert_guard(&refusal, "step_recorded", "政府信息公开条例第三十五条");

    case.step(
        LEGAL,
        "ask_reasons_excessive",
        d("2025-03-05"),
        &[("excessive_request_facts", "一个月内提出申请120件")],
    );
    let mut delayed = case.clone();
    let (outcome, article) = reply(&mut case, "reply_excessive_not_processed");
    assert_eq!(outcome.as_deref(), Some("excessive_not_processed"));
    assert_eq!(article, "政府信息公开条例第三十五条");
    assert_eq!(
        outcome_article(&case, "excessive_not_processed"),
        "政府信息公开条例第三十五条"
    );

    delayed.step(
        LEGAL,
        "set_delayed_reply",
        d("2025-03-20"),
        &[
            ("applicant_reasons", "研究需要"),
            ("delayed_reply_date", "2025-05-30"),
        ],
    );
    assert_eq!(delayed.state(d("2025-03-20")), "received");
}

/// 条例第三十八条: "需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供。"
#[test]
fn disclosure_compilation_not_provided_art38() {
    let mut case = request();
    let refusal = case.refused(
        LEGAL,
        "reply_compilation_needed",
        d("2025-03-20"),
        &[("reply_date", "2025-03-20")],
    );
    assert_eq!(
        refusal,
        Refusal::MissingFields {
            fields: vec!["reply_reason".into()]
        }
    );
    let (outcome, article) = reply(&mut case, "reply_compilation_needed");
    assert_eq!(outcome.as_deref(), Some("compilation_not_provided"));
    assert_eq!(article, "政府信息公开条例第三十八条");
    assert_eq!(
        outcome_article(&case, "compilation_not_provided"),
        "政府信息公开条例第三十八条"
    );
}

/// 条例第三十九条: 信访、投诉、举报 in the form of a request are not treated as one (第一款); for
/// 政府公报、报刊、书籍等公开出版物 the agency may tell where to obtain them (第二款).
#[test]
fn disclosure_publication_and_petition_art39() {
    let mut publication = request();
    let mut petition = publication.clone();
    let (outcome, article) = reply(&mut publication, "reply_publication");
    assert_eq!(outcome.as_deref(), Some("publication"));
    assert_eq!(article, "政府信息公开条例第三十九条第二款");
    assert_eq!(
        outcome_article(&publication, "publication"),
        "政府信息公开条例第三十九条第二款"
    );

    let (outcome, article) = reply(&mut petition, "reply_not_a_request");
    assert_eq!(outcome.as_deref(), Some("not_a_request"));
    assert_eq!(article, "政府信息公开条例第三十九条第一款");
    assert_eq!(
        outcome_article(&petition, "not_a_request"),
        "政府信息公开条例第三十九条第一款"
    );
}

/// 条例第四十一条: a record about the applicant shown to be inaccurate — corrected, forwarded to (or
/// the applicant told of) the agency competent to correct it, or not corrected.
#[test]
fn disclosure_record_correction_outcomes_art41() {
    for (action, expected) in [
        ("reply_record_corrected", "record_corrected"),
        (
            "reply_record_correction_referred",
            "record_correction_referred",
        ),
        ("reply_record_not_corrected", "record_not_corrected"),
    ] {
        let mut case = request();
        let (outcome, article) = reply(&mut case, action);
        assert_eq!(outcome.as_deref(), Some(expected), "{action}");
        assert_eq!(article, "政府信息公开条例第四十一条", "{action}");
        assert_eq!(
            outcome_article(&case, expected),
            "政府信息公开条例第四十一条"
        );
    }
    let mut case = request();
    let refusal = case.refused(
        LEGAL,
        "reply_record_correction_referred",
        d("2025-03-20"),
        &[("reply_date", "2025-03-20")],
    );
    assert_eq!(
        refusal,
        Refusal::MissingFields {
            fields: vec!["reply_reason".into()]
        }
    );
}

/// 条例第四十二条第一款: "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次
/// 明显超过合理范围的，行政机关可以收取信息处理费。"
#[test]
fn disclosure_fee_only_if_excessive_art42() {
    let mut case = request();
    let fee = |assessment| {
        vec![
            ("volume_assessment", assessment),
            ("processing_fee", "100.00"),
            ("fee_notice_date", "2025-03-10"),
        ]
    };
    let refusal = case.refused(
        LEGAL,
        "charge_processing_fee",
        d("2025-03-10"),
        &fee("未明显超过合理范围"),
    );
    assert_guard(&refusal, "field_in", "政府信息公开条例第四十二条第一款");
    case.step(
        LEGAL,
        "charge_processing_fee",
        d("2025-03-10"),
        &fee("明显超过合理范围"),
    );
    assert_eq!(case.state(d("2025-03-10")), "received");
}

/// 条例第三十一条、第三十三条: nothing before the day the request was received, and a reply ends the
/// case.
#[test]
fn disclosure_reply_not_before_receipt_art31_art33() {
    let mut case = request();
    let refusal = case.refused(
        LEGAL,
        "reply_disclosed",
        d("2025-03-20"),
        &[("reply_date", "2025-03-01")],
    );
    assert_guard(&refusal, "dates_not_before", "政府信息公开条例第三十三条");
    let refused = Driver::try_open(
        shipped("disclosure"),
        LEGAL,
        d("2025-03-03"),
        &[
            ("applicant", "李某"),
            ("received_date", "2025-03-04"),
            ("receipt_channel", "互联网渠道"),
            ("requested_information", "某信息"),
        ],
    )
    .expect_err("received after registration");
    assert_guard(&refused, "date_order", "政府信息公开条例第三十一条");
    case.step(
        LEGAL,
        "reply_disclosed",
        d("2025-03-20"),
        &[("reply_date", "2025-03-20")],
    );
    let refusal = case.refused(LEGAL, "extend", d("2025-03-21"), &[]);
    assert_not_in_state(&refusal, "replied");
}

/// 条例第三十条: "政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知
/// 申请人作出补正" — a notice after the seven working days is refused, so that a late notice cannot start the
/// 20 working days of 第三十三条第二款 afresh from the receipt of the correction.
#[test]
fn disclosure_correction_notice_only_within_seven_workdays_art30() {
    let mut case = request();
    // 7 working days from 03-03 → 03-12.
    assert_eq!(
        case.due("correction_notice", d("2025-03-03")),
        Some(d("2025-03-12"))
    );
    let notice = |deadline| {
        vec![
            ("correction_items", "请明确所需信息的文号或者名称"),
            ("correction_deadline", deadline),
        ]
    };
    let mut last_day = case.clone();
    let refusal = case.refused(
        LEGAL,
        "request_correction",
        d("2025-03-13"),
        &notice("2025-03-24"),
    );
    assert_guard(&refusal, "timer_running", "政府信息公开条例第三十条");
    // The reply period is unchanged: still 03-31.
    assert_eq!(case.due("reply", d("2025-03-13")), Some(d("2025-03-31")));

    last_day.step(
        LEGAL,
        "request_correction",
        d("2025-03-12"),
        &notice("2025-03-24"),
    );
    assert_eq!(last_day.state(d("2025-03-12")), "awaiting_correction");
}
