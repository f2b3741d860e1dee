//! 行政应诉 (`procedures/litigation.toml`) on the official 2025/2026 calendar: one test per
//! correction of the definition, named for it and citing its article. Litigation periods are
//! calendar days (行政诉讼法第一百零一条, 民事诉讼法; 行诉解释第四十八条: the start day is not counted, a
//! last day on a rest day moves to the next working day). Every due date was checked with
//! `fazhi calendar add`.

use fazhi_procedure::{Accepted, Command, GuardRefusal, Refusal, Subject, check};
use time::Date;
use time::macros::date;

use crate::support::{Driver, LEGAL, fields, guard_article, shipped};

const ART85: &str = "行政诉讼法第八十五条";

fn ymd(date: Date) -> String {
    date.to_string()
}

/// A complaint copy received (and the case registered) on `served`.
fn served(served: Date) -> Driver {
    let day = ymd(served);
    Driver::open(
        shipped("litigation"),
        LEGAL,
        served,
        &[
            ("plaintiff", "王某"),
            ("court", "某区人民法院"),
            ("court_case_number", "（2025）某0102行初1号"),
            ("cause", "不服行政处罚决定"),
            ("served_date", &day),
        ],
    )
}

/// Served 2025-03-03, defence filed 2025-03-10, heard 2025-04-10 with the head present.
fn heard() -> Driver {
    let mut case = served(date!(2025 - 03 - 03));
    case.step(
        LEGAL,
        "file_defence",
        date!(2025 - 03 - 10),
        &[("defence_filed_date", "2025-03-10")],
    );
    hearing(
        &mut case,
        date!(2025 - 04 - 10),
        "一审",
        "行政机关正职负责人出庭",
    );
    case
}

fn hearing(case: &mut Driver, on: Date, instance: &str, head: &str) {
    let day = ymd(on);
    case.step(
        LEGAL,
        "record_hearing",
        on,
        &[
            ("hearing_date", &day),
            ("instance", instance),
            ("head_appearance", head),
        ],
    );
}

fn judgment<'a>(form: &'a str, made: &'a str, served: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("decision_form", form),
        ("judgment_date", made),
        ("judgment_served_date", served),
    ]
}

fn appeal(case: &mut Driver, on: Date, appellant: &str) -> Result<(), Refusal> {
    let day = ymd(on);
    case.try_step(
        LEGAL,
        "appeal",
        on,
        &[("appellant", appellant), ("appeal_date", &day)],
    )
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

fn due(case: &Driver, timer: &str, day: Date) -> Option<Date> {
    case.timer(timer, day).and_then(|t| t.due).map(|d| d.date)
}

fn corrects(case: &Driver, outcome: Option<&str>) -> bool {
    let outcome = outcome.expect("an outcome");
    case.procedure.outcome(outcome).expect("defined").corrects
}

/// 行政诉讼法第八十九条第一款第三项、第四项: a remand sends the case back to first instance, whose
/// steps (hearing, judgment, appeal) are taken again; 第二款: a case retried after a remand is not
/// remanded a second time. A remand is not a result against the agency.
#[test]
fn litigation_remand_returns_to_first_instance_art89() {
    let mut case = heard();
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-06", "2025-05-08"),
    );
    appeal(&mut case, date!(2025 - 05 - 15), "原告").expect("in time");
    let step = accepted(
        &mut case,
        LEGAL,
        "second_instance_remanded",
        date!(2025 - 07 - 01),
        &[("judgment_date", "2025-07-01")],
    );
    assert_eq!(case.case.state, "defended", "back to first instance");
    assert_eq!(step.outcome.as_deref(), Some("remanded"));
    assert!(
        !corrects(&case, step.outcome.as_deref()),
        "a remand does not count towards 纠错率"
    );

    hearing(
        &mut case,
        date!(2025 - 08 - 01),
        "发回重审后一审",
        "行政机关副职负责人出庭",
    );
    case.step(
        LEGAL,
        "first_instance_lost",
        date!(2025 - 09 - 01),
        &judgment("判决", "2025-09-01", "2025-09-01"),
    );
    // The retried judgment can be appealed: 2025-09-01 + 15 日 = 2025-09-16.
    assert_eq!(
        due(&case, "appeal_period", date!(2025 - 09 - 01)),
        Some(date!(2025 - 09 - 16))
    );
    appeal(&mut case, date!(2025 - 09 - 10), "本机关")
        .expect("appeal against the retried judgment");
    let refusal = case.refused(
        LEGAL,
        "second_instance_remanded",
        date!(2025 - 11 - 01),
        &[("judgment_date", "2025-11-01")],
    );
    let g = guard(&refusal, "at_most_once", "行政诉讼法第八十九条第二款");
    assert!(g.text.contains("不得再次发回重审"), "{}", g.text);
    case.step(
        LEGAL,
        "second_instance_upheld",
        date!(2025 - 11 - 03),
        &[
            ("judgment_date", "2025-11-01"),
            ("judgment_served_date", "2025-11-03"),
        ],
    );
    assert_eq!(case.case.state, "closed");
    assert!(
        case.timers(date!(2025 - 12 - 01)).is_empty(),
        "no period runs on a closed case"
    );
}

/// 行政诉讼法第八十九条第一款第二项: a second-instance 改判 counts as a correction only when it goes
/// against the agency.
#[test]
fn litigation_changed_for_agency_not_correction_art89() {
    let lost = || {
        let mut case = heard();
        let step = accepted(
            &mut case,
            LEGAL,
            "first_instance_lost",
            date!(2025 - 05 - 08),
            &judgment("判决", "2025-05-06", "2025-05-08"),
        );
        assert_eq!(step.outcome.as_deref(), Some("agency_lost"));
        assert!(corrects(&case, step.outcome.as_deref()));
        appeal(&mut case, date!(2025 - 05 - 20), "本机关").expect("the agency appeals in time");
        case
    };
    let mut for_agency = lost();
    let step = accepted(
        &mut for_agency,
        LEGAL,
        "second_instance_changed_for_agency",
        date!(2025 - 08 - 01),
        &[
            ("judgment_date", "2025-08-01"),
            ("judgment_served_date", "2025-08-01"),
        ],
    );
    assert_eq!(step.outcome.as_deref(), Some("appeal_changed_for_agency"));
    assert!(
        !corrects(&for_agency, step.outcome.as_deref()),
        "reversed in the agency's favour"
    );

    let mut against = lost();
    let step = accepted(
        &mut against,
        LEGAL,
        "second_instance_changed",
        date!(2025 - 08 - 01),
        &[
            ("judgment_date", "2025-08-01"),
            ("judgment_served_date", "2025-08-01"),
        ],
    );
    assert_eq!(step.outcome.as_deref(), Some("appeal_changed"));
    assert!(
        corrects(&against, step.outcome.as_deref()),
        "changed against the agency"
    );
}

/// 行诉解释第三十四条: "被告申请延期提供证据的，应当在收到起诉状副本之日起十五日内以书面方式向人民法院提出".
#[test]
fn litigation_evidence_delay_late_refused_jieshi34() {
    let reason = [("evidence_delay_reason", "因不可抗力不能按期提供证据")];
    // 2025-03-03 + 15 日 = 2025-03-18 (Tue).
    let mut case = served(date!(2025 - 03 - 03));
    let refusal = case.refused(
        LEGAL,
        "apply_evidence_delay",
        date!(2025 - 03 - 19),
        &reason,
    );
    let g = guard(&refusal, "date_order", "行诉解释第三十四条");
    assert_eq!(g.fields, ["served_date", "step"]);
    assert_eq!(g.dates, [date!(2025 - 03 - 03), date!(2025 - 03 - 19)]);
    case.step(
        LEGAL,
        "apply_evidence_delay",
        date!(2025 - 03 - 18),
        &reason,
    );

    // 2025-09-15 + 15 日 = 2025-09-30 (Tue), a working day.
    let mut september = served(date!(2025 - 09 - 15));
    guard(
        &september.refused(
            LEGAL,
            "apply_evidence_delay",
            date!(2025 - 10 - 01),
            &reason,
        ),
        "date_order",
        "行诉解释第三十四条",
    );
    september.step(
        LEGAL,
        "apply_evidence_delay",
        date!(2025 - 09 - 30),
        &reason,
    );
    // 2025-09-16 + 15 日 = 2025-10-01 (国庆节), moved to 2025-10-09.
    let mut holiday = served(date!(2025 - 09 - 16));
    guard(
        &holiday.refused(
            LEGAL,
            "apply_evidence_delay",
            date!(2025 - 10 - 10),
            &reason,
        ),
        "date_order",
        "行诉解释第三十四条",
    );
    holiday.step(
        LEGAL,
        "apply_evidence_delay",
        date!(2025 - 10 - 09),
        &reason,
    );
}

/// 行政诉讼法第八十五条: an appeal against a judgment within 15 日 of its service; the appeal date is
/// the step's date.
#[test]
fn litigation_late_appeal_refused_art85() {
    let mut case = heard();
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-06", "2025-05-08"),
    );
    // 2025-05-08 + 15 日 = 2025-05-23 (Fri).
    assert_eq!(
        due(&case, "appeal_period", date!(2025 - 05 - 08)),
        Some(date!(2025 - 05 - 23))
    );
    let mut late = case.clone();
    let refusal = appeal(&mut late, date!(2025 - 05 - 24), "原告").expect_err("late");
    let g = guard(&refusal, "timer_running", ART85);
    assert!(g.text.contains("上诉期限已届满"), "{}", g.text);
    let refusal = late.refused(
        LEGAL,
        "appeal",
        date!(2025 - 05 - 24),
        &[("appellant", "原告"), ("appeal_date", "2025-05-20")],
    );
    guard(&refusal, "timer_running", ART85);
    let refusal = case.refused(
        LEGAL,
        "appeal",
        date!(2025 - 05 - 22),
        &[("appellant", "原告"), ("appeal_date", "2025-05-20")],
    );
    let g = guard(&refusal, "date_order", ART85);
    assert_eq!(g.fields, ["step", "appeal_date"]);
    appeal(&mut case, date!(2025 - 05 - 23), "原告").expect("on the last day");
    assert_eq!(case.case.state, "appealed");

    // 2026: served 2026-01-30, + 15 日 = 2026-02-14, a Saturday worked in lieu of the Spring
    // Festival: the period does not move.
    let mut spring = served(date!(2026 - 01 - 05));
    spring.step(
        LEGAL,
        "file_defence",
        date!(2026 - 01 - 12),
        &[("defence_filed_date", "2026-01-12")],
    );
    spring.step(
        LEGAL,
        "first_instance_lost",
        date!(2026 - 01 - 30),
        &judgment("判决", "2026-01-28", "2026-01-30"),
    );
    assert_eq!(
        due(&spring, "appeal_period", date!(2026 - 01 - 30)),
        Some(date!(2026 - 02 - 14))
    );
    guard(
        &appeal(&mut spring.clone(), date!(2026 - 02 - 15), "本机关").expect_err("late"),
        "timer_running",
        ART85,
    );
    appeal(&mut spring, date!(2026 - 02 - 14), "本机关").expect("on the last day");
}

/// 行政诉讼法第八十五条: an appeal against a ruling within 10 日 of its service.
#[test]
fn litigation_ruling_appeal_ten_days_art85() {
    let mut case = served(date!(2025 - 03 - 03));
    let refusal = case.refused(
        LEGAL,
        "suit_dismissed",
        date!(2025 - 04 - 02),
        &judgment("判决", "2025-04-01", "2025-04-02"),
    );
    guard(&refusal, "field_in", "行诉解释第六十九条、第一百零一条");
    case.step(
        LEGAL,
        "suit_dismissed",
        date!(2025 - 04 - 02),
        &judgment("裁定", "2025-04-01", "2025-04-02"),
    );
    // 2025-04-02 + 10 日 = 2025-04-12 (Sat), moved to 2025-04-14 (Mon).
    assert_eq!(
        due(&case, "appeal_period", date!(2025 - 04 - 02)),
        Some(date!(2025 - 04 - 14))
    );
    guard(
        &appeal(&mut case.clone(), date!(2025 - 04 - 15), "原告").expect_err("late"),
        "timer_running",
        ART85,
    );
    appeal(&mut case, date!(2025 - 04 - 14), "原告").expect("on the last day");
}

/// 行政诉讼法第八十五条: "逾期不提起上诉的，人民法院的第一审判决或者裁定发生法律效力" — only after the
/// appeal period has run with no appeal.
#[test]
fn litigation_final_inside_appeal_period_refused_art85() {
    let mut case = heard();
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-06", "2025-05-08"),
    );
    let refusal = case.refused(LEGAL, "judgment_final", date!(2025 - 05 - 20), &[]);
    let g = guard(&refusal, "period_ended", ART85);
    assert_eq!(g.dates, [date!(2025 - 05 - 23)]);
    guard(
        &case.refused(LEGAL, "judgment_final", date!(2025 - 05 - 23), &[]),
        "period_ended",
        ART85,
    );
    case.step(LEGAL, "judgment_final", date!(2025 - 05 - 24), &[]);
    assert_eq!(case.case.state, "closed");

    // Appealed: the judgment does not become final by the lapse.
    let mut appealed = heard();
    appealed.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-06", "2025-05-08"),
    );
    appeal(&mut appealed, date!(2025 - 05 - 15), "原告").expect("in time");
    let refusal = appealed.refused(LEGAL, "judgment_final", date!(2025 - 06 - 01), &[]);
    assert!(
        matches!(refusal, Refusal::NotAllowedInState { .. }),
        "{refusal:?}"
    );
}

/// 行政诉讼法第八十条、第八十五条: a judgment is served on or after the day it was made, and not after
/// the day its service is recorded.
#[test]
fn litigation_served_before_judgment_refused_art85() {
    let mut case = heard();
    for action in ["first_instance_won", "first_instance_lost"] {
        let refusal = case.refused(
            LEGAL,
            action,
            date!(2025 - 05 - 08),
            &judgment("判决", "2025-05-08", "2025-05-06"),
        );
        let g = guard(&refusal, "date_order", "行政诉讼法第八十条、第八十五条");
        assert_eq!(
            g.fields,
            ["judgment_date", "judgment_served_date"],
            "{action}"
        );
        assert_eq!(
            g.dates,
            [date!(2025 - 05 - 08), date!(2025 - 05 - 06)],
            "{action}"
        );
        let refusal = case.refused(
            LEGAL,
            action,
            date!(2025 - 05 - 08),
            &judgment("判决", "2025-05-06", "2025-05-12"),
        );
        let g = guard(&refusal, "date_order", ART85);
        assert_eq!(g.fields, ["judgment_served_date", "step"], "{action}");
    }
    let mut ruling = served(date!(2025 - 03 - 03));
    let refusal = ruling.refused(
        LEGAL,
        "suit_dismissed",
        date!(2025 - 04 - 02),
        &judgment("裁定", "2025-04-02", "2025-04-01"),
    );
    guard(&refusal, "date_order", ART85);
    // Pronounced and served in court on the same day.
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-08", "2025-05-08"),
    );
}

/// 出庭规定第二条第一款 (行诉解释第一百二十八条第一款): "其他参与分管的负责人" and the deputy-level head in
/// charge of the act are heads of the agency.
#[test]
fn litigation_other_head_counts_art2() {
    let mut case = served(date!(2025 - 03 - 03));
    case.step(
        LEGAL,
        "file_defence",
        date!(2025 - 03 - 10),
        &[("defence_filed_date", "2025-03-10")],
    );
    let options = case
        .procedure
        .field("head_appearance")
        .expect("field")
        .options()
        .to_vec();
    for head in [
        "其他参与分管的负责人出庭",
        "参与分管被诉行政行为实施工作的副职级别负责人出庭",
    ] {
        assert!(options.iter().any(|o| o == head), "{head} is an option");
        let step = accepted(
            &mut case,
            LEGAL,
            "record_hearing",
            date!(2025 - 04 - 10),
            &[
                ("hearing_date", "2025-04-10"),
                ("instance", "一审"),
                ("head_appearance", head),
                ("appearing_head", "20"),
            ],
        );
        assert!(
            step.article.contains("出庭规定第一条、第二条"),
            "{}",
            step.article
        );
    }
    assert_eq!(case.case.history.len(), 4);
}

/// 行政诉讼法第六十七条第一款 and 第三十四条第二款: the defence period (15 日 from receipt of the complaint
/// copy) is the agency's; its lapse makes the case overdue and says what follows.
#[test]
fn litigation_defence_expiry_cites_art67_art34() {
    let case = served(date!(2025 - 03 - 03));
    let timer = case
        .timer("defence", date!(2025 - 03 - 19))
        .expect("overdue, still listed");
    assert_eq!(timer.due.map(|d| d.date), Some(date!(2025 - 03 - 18)));
    assert_eq!(timer.article, "行政诉讼法第六十七条第一款");
    assert!(
        timer.on_expiry.contains("行政诉讼法第三十四条第二款"),
        "{}",
        timer.on_expiry
    );
    assert!(
        timer.on_expiry.contains("行诉解释第三十四条"),
        "{}",
        timer.on_expiry
    );
}

/// 出庭规定第一条、第七条: each hearing records its instance, checked against the stage of the case.
#[test]
fn litigation_hearing_instance_recorded_chuting7() {
    let mut case = served(date!(2025 - 03 - 03));
    case.step(
        LEGAL,
        "file_defence",
        date!(2025 - 03 - 10),
        &[("defence_filed_date", "2025-03-10")],
    );
    let refusal = case.refused(
        LEGAL,
        "record_hearing",
        date!(2025 - 04 - 10),
        &[
            ("hearing_date", "2025-04-10"),
            ("head_appearance", "行政机关正职负责人出庭"),
        ],
    );
    assert_eq!(
        refusal,
        Refusal::MissingFields {
            fields: vec!["instance".to_owned()]
        }
    );
    let refusal = case.refused(
        LEGAL,
        "record_hearing",
        date!(2025 - 04 - 10),
        &[
            ("hearing_date", "2025-04-10"),
            ("instance", "二审"),
            ("head_appearance", "行政机关正职负责人出庭"),
        ],
    );
    guard(&refusal, "field_in", "出庭规定第一条、第七条");
    hearing(
        &mut case,
        date!(2025 - 04 - 10),
        "一审",
        "行政机关正职负责人出庭",
    );
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 08),
        &judgment("判决", "2025-05-06", "2025-05-08"),
    );
    appeal(&mut case, date!(2025 - 05 - 15), "原告").expect("in time");
    let form = |instance: &'static str, day: &'static str| {
        [
            ("hearing_date", day),
            ("instance", instance),
            ("head_appearance", "行政机关副职负责人出庭"),
        ]
    };
    guard(
        &case.refused(
            LEGAL,
            "record_appeal_hearing",
            date!(2025 - 06 - 10),
            &form("一审", "2025-06-10"),
        ),
        "field_in",
        "出庭规定第一条、第七条",
    );
    guard(
        &case.refused(
            LEGAL,
            "record_appeal_hearing",
            date!(2025 - 06 - 10),
            &form("二审", "2025-05-14"),
        ),
        "date_order",
        "行政诉讼法第八十六条",
    );
    case.step(
        LEGAL,
        "record_appeal_hearing",
        date!(2025 - 06 - 10),
        &form("二审", "2025-06-10"),
    );
}

const MEDIATION: &str = "行政诉讼法第六十条第一款";

/// 行政诉讼法第六十条第一款: "人民法院审理行政案件，不适用调解。但是，行政赔偿、补偿以及行政机关行使法律、
/// 法规规定的自由裁量权的案件可以调解。" A mediation recorded for another matter is refused; the matter
/// is optional (existing records close by mediation without it).
#[test]
fn litigation_mediation_only_compensation_or_discretion_art60() {
    let mut case = heard();
    let refusal = case.refused(
        LEGAL,
        "mediated",
        date!(2025 - 04 - 20),
        &[("mediation_matter", "不属于以上情形")],
    );
    let g = guard(&refusal, "field_in", MEDIATION);
    assert_eq!(g.fields, ["mediation_matter"]);
    assert!(g.text.contains("不适用调解"), "{}", g.text);
    for matter in [
        "行政赔偿",
        "行政补偿",
        "行政机关行使法律、法规规定的自由裁量权",
    ] {
        let mut case = heard();
        let step = accepted(
            &mut case,
            LEGAL,
            "mediated",
            date!(2025 - 04 - 20),
            &[("mediation_matter", matter)],
        );
        assert_eq!(step.outcome.as_deref(), Some("mediated"), "{matter}");
        assert_eq!(case.case.state, "closed");
    }
    // Without the matter (older records) the mediation is still recorded.
    let mut case = heard();
    case.step(LEGAL, "mediated", date!(2025 - 04 - 20), &[]);
}

const ABSENCE: &str = "出庭规定第八条、第九条、第十二条第一款第一项；行诉解释第一百二十九条第三款";

/// 出庭规定第八条、第九条 and 行诉解释第一百二十九条第三款 (a head who cannot appear explains why, with
/// sealed proof), 出庭规定第十二条第一款第一项 (未说明理由或者理由不成立): when no head appeared, the
/// hearing record states the reason, or that none was given — at first and second instance.
#[test]
fn litigation_absent_head_needs_reason_chuting9_jieshi129() {
    let hearing_form = |day: &'static str, instance: &'static str, head: &'static str| {
        vec![
            ("hearing_date", day),
            ("instance", instance),
            ("head_appearance", head),
        ]
    };
    for head in [
        "负责人未出庭，委托相应工作人员出庭",
        "负责人和相应工作人员均未出庭",
    ] {
        let mut case = served(date!(2025 - 03 - 03));
        case.step(
            LEGAL,
            "file_defence",
            date!(2025 - 03 - 10),
            &[("defence_filed_date", "2025-03-10")],
        );
        let form = hearing_form("2025-04-10", "一审", head);
        let refusal = case.refused(LEGAL, "record_hearing", date!(2025 - 04 - 10), &form);
        let g = guard(&refusal, "field_in", ABSENCE);
        assert_eq!(g.fields, ["absence_reason"], "{head}");
        let mut form = form;
        form.push(("absence_reason", "未说明理由或者理由不成立"));
        case.step(LEGAL, "record_hearing", date!(2025 - 04 - 10), &form);
    }
    // A head who appeared needs no reason.
    let mut case = heard();
    assert_eq!(case.case.state, "defended");
    // Second instance alike.
    case.step(
        LEGAL,
        "first_instance_won",
        date!(2025 - 05 - 06),
        &judgment("判决", "2025-05-06", "2025-05-06"),
    );
    appeal(&mut case, date!(2025 - 05 - 12), "原告").expect("in time");
    let form = hearing_form("2025-06-10", "二审", "负责人未出庭，委托相应工作人员出庭");
    let refusal = case.refused(LEGAL, "record_appeal_hearing", date!(2025 - 06 - 10), &form);
    guard(&refusal, "field_in", ABSENCE);
    let mut form = form;
    form.push(("absence_reason", "需要履行他人不能代替的公务"));
    case.step(LEGAL, "record_appeal_hearing", date!(2025 - 06 - 10), &form);
}
