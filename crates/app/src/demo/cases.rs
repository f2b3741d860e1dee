//! A year of cases for the demo district, made through the engine (every step checked against
//! its procedure and journaled exactly as a user's would be), with realistic volumes and mixes:
//! about 10,000 penalty cases, 250 reconsiderations, 150 lawsuits and 150 disclosure requests at
//! full scale. Most finish on time; a few are left open past their periods, so the 工作台 has
//! something to warn about.

use std::collections::BTreeMap;

use time::Date;

use super::SplitMix64;
use crate::authz::{Scope, Subject};
use crate::cases::{self, CaseError};
use crate::domain::Role;
use crate::engine::{Command, PeriodCalculator};
use crate::procedure::{PeriodUnit, Procedure};
use crate::store::cases::date_text;
use crate::store::{Store, StoreError};

/// What the generation produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseCounts {
    /// Cases opened, per procedure id.
    pub cases: BTreeMap<String, usize>,
    /// Steps taken (including openings).
    pub steps: usize,
}

/// Full-scale volumes per procedure.
const VOLUMES: [(&str, usize); 4] = [
    ("penalty", 10_000),
    ("reconsideration", 250),
    ("litigation", 150),
    ("disclosure", 150),
];

/// The accounts of one department that cases are recorded under.
#[derive(Debug, Clone)]
struct Staff {
    department_id: i64,
    legal: Option<Subject>,
    officer: Option<Subject>,
    certified: Vec<(i64, Date)>,
}

struct Generator<'a> {
    store: &'a Store,
    calendar: &'a dyn PeriodCalculator,
    rng: SplitMix64,
    year: i32,
    now: time::OffsetDateTime,
    counts: CaseCounts,
}

impl Generator<'_> {
    fn chance(&mut self, percent: u64) -> bool {
        self.rng.next() % 100 < percent
    }

    fn pick<'b, T>(&mut self, items: &'b [T]) -> Option<&'b T> {
        let index = self.rng.below(items.len());
        items.get(index)
    }

    /// The `k`-th working day after `date`.
    fn workdays(&self, date: Date, k: u32) -> Date {
        self.calendar
            .due(date, k, PeriodUnit::Workdays, &[])
            .map_or(date, |d| d.date)
    }

    /// A working day `min` to `min + spread - 1` working days after `date`.
    fn later(&mut self, date: Date, min: u32, spread: u32) -> Date {
        let extra = self.rng.below(spread as usize) as u32;
        self.workdays(date, min + extra)
    }

    /// A working day of the year, spread evenly.
    fn opening_date(&mut self) -> Date {
        let first = Date::from_ordinal_date(self.year, 1).unwrap_or(Date::MIN);
        let offset = self.rng.below(250) as u32;
        self.workdays(first, offset + 1)
    }

    async fn open(
        &mut self,
        procedure: &Procedure,
        actor: &Subject,
        department_id: i64,
        on: Date,
        fields: &[(&str, String)],
    ) -> Result<i64, CaseError> {
        let raw: BTreeMap<String, String> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let (id, _) = cases::open_case(
            self.store,
            procedure,
            self.calendar,
            actor,
            department_id,
            &raw,
            on,
            self.now,
        )
        .await?;
        *self.counts.cases.entry(procedure.id.clone()).or_default() += 1;
        self.counts.steps += 1;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn step(
        &mut self,
        procedure: &Procedure,
        case_id: i64,
        version: &mut i64,
        actor: &Subject,
        action: &str,
        on: Date,
        fields: &[(&str, String)],
    ) -> Result<(), CaseError> {
        let command = Command {
            actor: *actor,
            action: action.to_owned(),
            on,
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            expected_version: *version,
        };
        cases::act(
            self.store,
            procedure,
            self.calendar,
            case_id,
            &command,
            self.now,
        )
        .await?;
        *version += 1;
        self.counts.steps += 1;
        Ok(())
    }
}

fn find<'a>(procedures: &'a [Procedure], id: &str) -> Result<&'a Procedure, CaseError> {
    procedures
        .iter()
        .find(|p| p.id == id)
        .ok_or(CaseError::Store(StoreError::NotFound))
}

async fn staff_of(store: &Store, year: i32) -> Result<Vec<Staff>, CaseError> {
    let mut staff = Vec::new();
    let mid_year = Date::from_ordinal_date(year, 182).unwrap_or(Date::MIN);
    let users = store.list_users().await?;
    for department in store.active_departments(Scope::All).await? {
        let subject = |role: Role| {
            users
                .iter()
                .find(|u| {
                    u.department_id == Some(department.id)
                        && u.role == role
                        && u.username.starts_with('d')
                })
                .map(|u| Subject {
                    user_id: u.id,
                    role: u.role,
                    department_id: u.department_id,
                })
        };
        let certified = store
            .certified_officers(department.id, mid_year)
            .await?
            .into_iter()
            .filter_map(|o| {
                crate::engine::fields_parse_date(&o.valid_until).map(|until| (o.person_id, until))
            })
            .collect();
        staff.push(Staff {
            department_id: department.id,
            legal: subject(Role::DepartmentLegal),
            officer: subject(Role::Officer),
            certified,
        });
    }
    Ok(staff)
}

/// Makes a year of cases unless the database already has cases. `scale` 1.0 gives the full
/// volumes; `progress(done, total)` is called every 250 cases.
#[allow(clippy::too_many_arguments)]
pub async fn generate_year(
    store: &Store,
    procedures: &[Procedure],
    calendar: &dyn PeriodCalculator,
    seed: i64,
    year: i32,
    scale: f64,
    now: time::OffsetDateTime,
    progress: &dyn Fn(usize, usize),
) -> Result<CaseCounts, CaseError> {
    if store.count_cases().await? > 0 {
        return Ok(CaseCounts::default());
    }
    let staff = staff_of(store, year).await?;
    let justice_id = store
        .active_departments(Scope::All)
        .await?
        .into_iter()
        .find(|d| d.is_justice_bureau)
        .map(|d| d.id);
    let justice_staff = store
        .list_users()
        .await?
        .into_iter()
        .find(|u| u.role == Role::JusticeStaff)
        .map(|u| Subject {
            user_id: u.id,
            role: u.role,
            department_id: u.department_id,
        });
    let mut generator = Generator {
        store,
        calendar,
        rng: SplitMix64(seed as u64 ^ 0x5eed_ca5e),
        year,
        now,
        counts: CaseCounts::default(),
    };
    let volumes: Vec<(&str, usize)> = VOLUMES
        .iter()
        .map(|(id, n)| (*id, ((*n as f64) * scale).round().max(1.0) as usize))
        .collect();
    let total: usize = volumes.iter().map(|(_, n)| n).sum();
    let mut done = 0;
    let enforcers: Vec<&Staff> = staff
        .iter()
        .filter(|s| s.officer.is_some() && s.legal.is_some() && s.certified.len() >= 2)
        .collect();
    let with_legal: Vec<&Staff> = staff.iter().filter(|s| s.legal.is_some()).collect();
    for (procedure_id, n) in volumes {
        let procedure = find(procedures, procedure_id)?;
        for index in 0..n {
            match procedure_id {
                "penalty" => penalty(&mut generator, procedure, &enforcers, index).await?,
                "reconsideration" => {
                    if let (Some(justice), Some(actor)) = (justice_id, justice_staff) {
                        reconsideration(&mut generator, procedure, justice, &actor, &staff, index)
                            .await?;
                    }
                }
                "litigation" => litigation(&mut generator, procedure, &with_legal, index).await?,
                _ => disclosure(&mut generator, procedure, &with_legal, index).await?,
            }
            done += 1;
            if done % 250 == 0 || done == total {
                progress(done, total);
            }
        }
    }
    Ok(generator.counts)
}

const CAUSES: &[&str] = &[
    "销售过期食品",
    "未按规定明码标价",
    "无证经营",
    "占道经营",
    "违规排放污水",
    "超限运输",
    "未取得施工许可擅自施工",
    "虚假宣传",
    "违规使用农药",
    "安全生产隐患未整改",
    "未按规定办理营业执照变更登记",
    "露天焚烧",
    "违反烟花爆竹经营规定",
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];

async fn penalty(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    enforcers: &[&Staff],
    index: usize,
) -> Result<(), CaseError> {
    let Some(staff) = g.pick(enforcers).copied() else {
        return Ok(());
    };
    let (Some(officer), Some(legal)) = (staff.officer, staff.legal) else {
        return Ok(());
    };
    let on = g.opening_date();
    let valid: Vec<i64> = staff
        .certified
        .iter()
        .filter(|(_, until)| *until >= on + time::Duration::days(200))
        .map(|(id, _)| *id)
        .collect();
    if valid.len() < 2 {
        return Ok(());
    }
    let first = valid
        .get(g.rng.below(valid.len()))
        .copied()
        .unwrap_or_default();
    let second = valid
        .iter()
        .copied()
        .find(|id| *id != first)
        .unwrap_or_default();
    let investigators = format!("{first},{second}");
    let cause = g.pick(CAUSES).copied().unwrap_or("违法行为");
    let surname = g.pick(SURNAMES).copied().unwrap_or("王");
    let department = staff.department_id.to_string();
    let year = g.year;
    let number = |kind: &str| format!("滨{kind}〔{year}〕{}号", index + 1);
    let id = g
        .open(
            procedure,
            &officer,
            staff.department_id,
            on,
            &[
                ("case_cause", cause.to_owned()),
                ("discovered_date", date_text(on)),
            ],
        )
        .await?;
    let mut version = 1;
    if g.chance(30) {
        // 简易程序: a warning or a small fine on the spot (行政处罚法第五十一条).
        let (kind, fine) = if g.chance(30) {
            ("警告", "0")
        } else {
            (
                "罚款",
                ["50", "100", "200"]
                    .get(g.rng.below(3))
                    .copied()
                    .unwrap_or("50"),
            )
        };
        g.step(
            procedure,
            id,
            &mut version,
            &officer,
            "decide_on_the_spot",
            on,
            &[
                ("party", format!("{surname}某")),
                ("party_kind", "公民".into()),
                ("penalty_type", kind.into()),
                ("fine_amount", fine.into()),
                ("decision_date", date_text(on)),
                ("decision_number", number("当罚")),
                ("legal_basis", "相关法律法规".into()),
                ("investigators", investigators),
            ],
        )
        .await?;
        let reported = g.workdays(on, 1);
        return g
            .step(
                procedure,
                id,
                &mut version,
                &officer,
                "report_on_the_spot",
                reported,
                &[],
            )
            .await;
    }
    let organisation = g.chance(60);
    let party = if organisation {
        format!("示范市滨河区{surname}氏商贸有限公司")
    } else {
        format!("{surname}某某")
    };
    let major = g.chance(12);
    let filed = g.later(on, 0, 3);
    g.step(
        procedure,
        id,
        &mut version,
        &officer,
        "file_case",
        filed,
        &[
            ("party", party),
            (
                "party_kind",
                if organisation { "法人" } else { "公民" }.into(),
            ),
            ("filing_date", date_text(filed)),
            ("department", department),
            ("major_case", if major { "1" } else { "0" }.into()),
        ],
    )
    .await?;
    let investigated = g.later(filed, 1, 5);
    g.step(
        procedure,
        id,
        &mut version,
        &officer,
        "record_investigation",
        investigated,
        &[("investigators", investigators)],
    )
    .await?;
    // One case in a hundred stalls in investigation past its 90 days: the 工作台 shows it.
    if g.chance(1) {
        return Ok(());
    }
    let notified = g.later(investigated, 3, 15);
    let fine = 500 * (1 + g.rng.below(40));
    g.step(
        procedure,
        id,
        &mut version,
        &officer,
        "notify_rights",
        notified,
        &[
            ("proposed_penalty", format!("罚款{fine}元")),
            ("notice_date", date_text(notified)),
        ],
    )
    .await?;
    let mut last = notified;
    if g.chance(8) {
        let requested = g.later(notified, 1, 4);
        g.step(
            procedure,
            id,
            &mut version,
            &officer,
            "request_hearing",
            requested,
            &[("hearing_request_date", date_text(requested))],
        )
        .await?;
        let notice = g.workdays(requested, 2);
        let hearing = g.workdays(notice, 8);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "hold_hearing",
            hearing,
            &[
                ("hearing_notice_date", date_text(notice)),
                ("hearing_date", date_text(hearing)),
            ],
        )
        .await?;
        last = hearing;
    } else if g.chance(20) {
        g.step(
            procedure,
            id,
            &mut version,
            &officer,
            "record_statement",
            g.workdays(notified, 2),
            &[("statement", "当事人提出陈述、申辩意见，经复核未采纳".into())],
        )
        .await?;
    }
    if major {
        let submitted = g.workdays(last, 1);
        g.step(
            procedure,
            id,
            &mut version,
            &officer,
            "submit_legal_review",
            submitted,
            &[],
        )
        .await?;
        last = g.later(submitted, 2, 4);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "pass_legal_review",
            last,
            &[
                (
                    "review_opinion",
                    "事实清楚，证据确凿，适用法律正确，程序合法，裁量适当".into(),
                ),
                ("reviewer", first.to_string()),
            ],
        )
        .await?;
    }
    let earliest = last.max(g.workdays(notified, 5));
    let decided = g.later(earliest, 1, 5);
    if g.chance(3) {
        return g
            .step(
                procedure,
                id,
                &mut version,
                &legal,
                "decide_no_penalty",
                decided,
                &[("decision_date", date_text(decided))],
            )
            .await;
    }
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        "decide_penalty",
        decided,
        &[
            ("decision_date", date_text(decided)),
            ("decision_number", number("罚")),
            ("penalty_type", "罚款".into()),
            ("fine_amount", fine.to_string()),
            ("legal_basis", "相关法律法规".into()),
        ],
    )
    .await?;
    let served = g.later(decided, 0, 4);
    g.step(
        procedure,
        id,
        &mut version,
        &officer,
        "serve_decision",
        served,
        &[("service_date", date_text(served))],
    )
    .await?;
    let paid = g.later(served, 3, 8);
    g.step(
        procedure,
        id,
        &mut version,
        &officer,
        "record_execution",
        paid,
        &[("execution_note", "当事人已按期缴纳罚款".into())],
    )
    .await
}

async fn reconsideration(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    justice: i64,
    actor: &Subject,
    staff: &[Staff],
    index: usize,
) -> Result<(), CaseError> {
    let on = g.opening_date();
    let respondent = g.pick(staff).map_or(justice, |s| s.department_id);
    let surname = g.pick(SURNAMES).copied().unwrap_or("王");
    let category = [
        "行政处罚",
        "行政处罚",
        "行政处罚",
        "政府信息公开",
        "不履行法定职责",
        "行政强制",
        "工伤认定",
        "其他",
    ]
    .get(g.rng.below(8))
    .copied()
    .unwrap_or("其他");
    let id = g
        .open(
            procedure,
            actor,
            justice,
            on,
            &[
                ("applicant", format!("{surname}某")),
                ("received_date", date_text(on)),
                ("receipt_channel", "当面递交".into()),
                ("act_challenged", format!("{category}决定")),
                ("act_category", category.into()),
            ],
        )
        .await?;
    let mut version = 1;
    let mut received = on;
    if g.chance(5) {
        let notice = g.workdays(on, 2);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "request_correction",
            notice,
            &[("correction_items", "请补充提交行政行为相关材料".into())],
        )
        .await?;
        received = g.workdays(notice, 4);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "receive_correction",
            received,
            &[],
        )
        .await?;
    }
    let decided_on = g.later(received, 1, 4);
    if g.chance(7) {
        return g
            .step(
                procedure,
                id,
                &mut version,
                actor,
                "refuse_acceptance",
                decided_on,
                &[("refusal_reason", "不属于行政复议范围".into())],
            )
            .await;
    }
    let simplified = g.chance(20);
    let fields = [
        ("acceptance_date", date_text(decided_on)),
        ("respondent", respondent.to_string()),
    ];
    g.step(
        procedure,
        id,
        &mut version,
        actor,
        if simplified {
            "accept_simplified"
        } else {
            "accept"
        },
        decided_on,
        &fields,
    )
    .await?;
    let sent = g.later(decided_on, 1, 3);
    g.step(
        procedure,
        id,
        &mut version,
        actor,
        if simplified {
            "send_copy_simplified"
        } else {
            "send_copy"
        },
        sent,
        &[("copy_sent_date", date_text(sent))],
    )
    .await?;
    let replied = g.later(sent, 2, if simplified { 3 } else { 8 });
    g.step(
        procedure,
        id,
        &mut version,
        actor,
        if simplified {
            "record_reply_simplified"
        } else {
            "record_reply"
        },
        replied,
        &[("reply_received_date", date_text(replied))],
    )
    .await?;
    // A few cases are still pending past their period at the end of the demo.
    if index % 83 == 82 {
        return Ok(());
    }
    let outcomes = [
        "decide_uphold",
        "decide_uphold",
        "decide_uphold",
        "decide_uphold",
        "decide_uphold",
        "decide_uphold",
        "decide_revoke",
        "decide_revoke",
        "decide_unlawful",
        "decide_change",
        "decide_reject_claim",
        "mediate",
        "withdraw",
    ];
    let action = g.pick(&outcomes).copied().unwrap_or("decide_uphold");
    let decided = g.later(replied, 5, 20);
    if action == "withdraw" {
        return g
            .step(procedure, id, &mut version, actor, "withdraw", decided, &[])
            .await;
    }
    g.step(
        procedure,
        id,
        &mut version,
        actor,
        action,
        decided,
        &[
            ("decision_date", date_text(decided)),
            (
                "decision_number",
                format!("滨政复决〔{}〕{}号", g.year, index + 1),
            ),
        ],
    )
    .await?;
    let served = g.later(decided, 1, 3);
    g.step(
        procedure,
        id,
        &mut version,
        actor,
        "serve_decision",
        served,
        &[("service_date", date_text(served))],
    )
    .await
}

async fn litigation(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    with_legal: &[&Staff],
    index: usize,
) -> Result<(), CaseError> {
    let Some(staff) = g.pick(with_legal).copied() else {
        return Ok(());
    };
    let Some(legal) = staff.legal else {
        return Ok(());
    };
    let on = g.opening_date();
    let surname = g.pick(SURNAMES).copied().unwrap_or("王");
    let id = g
        .open(
            procedure,
            &legal,
            staff.department_id,
            on,
            &[
                ("plaintiff", format!("{surname}某")),
                ("court", "示范市滨河区人民法院".into()),
                (
                    "court_case_number",
                    format!("（{}）示0102行初{}号", g.year, index + 1),
                ),
                ("cause", "不服行政处罚决定".into()),
                ("served_date", date_text(on)),
            ],
        )
        .await?;
    let mut version = 1;
    let defended = g.later(on, 3, 7);
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        "file_defence",
        defended,
        &[("defence_filed_date", date_text(defended))],
    )
    .await?;
    if g.chance(6) {
        return g
            .step(
                procedure,
                id,
                &mut version,
                &legal,
                "plaintiff_withdrew",
                g.workdays(defended, 10),
                &[],
            )
            .await;
    }
    let hearing = g.later(defended, 20, 20);
    let appearance = if g.chance(45) {
        "行政机关正职负责人出庭"
    } else if g.chance(55) {
        "行政机关副职负责人出庭"
    } else {
        "负责人未出庭，委托相应工作人员出庭"
    };
    let mut fields = vec![
        ("hearing_date", date_text(hearing)),
        ("head_appearance", appearance.to_owned()),
    ];
    if appearance.starts_with("负责人未出庭") {
        fields.push(("absence_reason", "需要履行他人不能代替的公务".into()));
    }
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        "record_hearing",
        hearing,
        &fields,
    )
    .await?;
    let judged = g.later(hearing, 15, 30);
    let served = g.workdays(judged, 3);
    let action = if g.chance(85) {
        "first_instance_won"
    } else {
        "first_instance_lost"
    };
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        action,
        judged,
        &[
            ("judgment_date", date_text(judged)),
            ("judgment_served_date", date_text(served)),
        ],
    )
    .await?;
    if g.chance(30) {
        let appealed = g.workdays(served, 5);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "appeal",
            appealed,
            &[
                (
                    "appellant",
                    if action == "first_instance_won" {
                        "原告"
                    } else {
                        "本机关"
                    }
                    .into(),
                ),
                ("appeal_date", date_text(appealed)),
            ],
        )
        .await?;
        let decided = g.later(appealed, 40, 20);
        let outcome = if g.chance(90) {
            "second_instance_upheld"
        } else {
            "second_instance_changed"
        };
        return g
            .step(
                procedure,
                id,
                &mut version,
                &legal,
                outcome,
                decided,
                &[("judgment_date", date_text(decided))],
            )
            .await;
    }
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        "judgment_final",
        g.workdays(served, 12),
        &[],
    )
    .await
}

async fn disclosure(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    with_legal: &[&Staff],
    index: usize,
) -> Result<(), CaseError> {
    let Some(staff) = g.pick(with_legal).copied() else {
        return Ok(());
    };
    let Some(legal) = staff.legal else {
        return Ok(());
    };
    let on = g.opening_date();
    let surname = g.pick(SURNAMES).copied().unwrap_or("王");
    let id = g
        .open(
            procedure,
            &legal,
            staff.department_id,
            on,
            &[
                ("applicant", format!("{surname}某")),
                ("received_date", date_text(on)),
                ("receipt_channel", "互联网渠道".into()),
                (
                    "requested_information",
                    "本单位2024年度行政执法统计数据".into(),
                ),
            ],
        )
        .await?;
    let mut version = 1;
    let mut start = on;
    if g.chance(8) {
        let notice = g.workdays(on, 3);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "request_correction",
            notice,
            &[(
                "correction_items",
                "请明确所需政府信息的名称、文号或者便于查询的其他特征性描述".into(),
            )],
        )
        .await?;
        start = g.workdays(notice, 5);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "receive_correction",
            start,
            &[("corrected_date", date_text(start))],
        )
        .await?;
    }
    if g.chance(5) {
        let consulted = g.workdays(start, 3);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "consult",
            consulted,
            &[("third_party", "某公司".into())],
        )
        .await?;
        start = g.workdays(consulted, 10);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "end_consultation",
            start,
            &[],
        )
        .await?;
    }
    if g.chance(6) {
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "extend",
            g.workdays(start, 15),
            &[
                ("extension_reason", "所需信息需汇总多个科室材料".into()),
                ("approved_by", "政府信息公开工作机构负责人".into()),
            ],
        )
        .await?;
    }
    if index % 50 == 49 {
        // Left unanswered past its period.
        return Ok(());
    }
    let replies = [
        "reply_disclosed",
        "reply_disclosed",
        "reply_disclosed",
        "reply_already_public",
        "reply_partly_disclosed",
        "reply_not_exist",
        "reply_not_ours",
        "reply_not_disclosed",
    ];
    let action = g.pick(&replies).copied().unwrap_or("reply_disclosed");
    let replied = g.later(start, 5, 13);
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        action,
        replied,
        &[
            ("reply_date", date_text(replied)),
            (
                "reply_reason",
                "依据《中华人民共和国政府信息公开条例》相关规定答复".into(),
            ),
        ],
    )
    .await
}
