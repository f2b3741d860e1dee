//! Lawful case scripts for a jurisdiction's departments, for the batched write path: the four
//! procedures with realistic mixes (a penalty on the spot or after investigation, notice,
//! decision, service and payment; disclosure requests answered; lawsuits defended; applications
//! for reconsideration accepted and decided), a few left stalled past their periods.
//!
//! A script is a pure function of (seed, jurisdiction, case index), so that a stopped run that
//! resumes at the jurisdiction's count of cases makes the same cases a full run would have.

use std::collections::BTreeMap;

use sqlx::Row;
use time::Date;

use super::{CaseScript, ScriptStep};
use crate::authz::Subject;
use crate::domain::Role;
use crate::engine::PeriodCalculator;
use crate::procedure::PeriodUnit;
use crate::store::cases::date_text;
use crate::store::{Store, StoreError};

/// A department with the accounts its cases are recorded under.
#[derive(Debug, Clone)]
pub struct DepartmentStaff {
    /// Its id.
    pub department_id: i64,
    /// Its name.
    pub name: String,
    /// An enforcement officer's account (opens penalty cases).
    pub officer: Option<Subject>,
    /// The legal officer's account (decides; records disclosure and litigation).
    pub legal: Option<Subject>,
    /// A 司法局 staff account (records reconsiderations), for the 司法局.
    pub justice_staff: Option<Subject>,
    /// People holding an enforcement certificate valid through the scripts' years.
    pub certified: Vec<i64>,
    /// Whether it is the jurisdiction's 司法局 (reconsideration office).
    pub justice_bureau: bool,
}

/// The departments of one jurisdiction that scripts are written for.
#[derive(Debug, Clone)]
pub struct Roster {
    /// The jurisdiction.
    pub jurisdiction_id: i64,
    /// Its active departments.
    pub departments: Vec<DepartmentStaff>,
}

/// The active departments of `jurisdiction_id`, their first officer and legal officer accounts
/// and the people with certificates valid from `valid_from` to `valid_until`.
pub async fn roster(
    store: &Store,
    jurisdiction_id: i64,
    valid_from: Date,
    valid_until: Date,
) -> Result<Roster, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, is_justice_bureau FROM departments \
         WHERE jurisdiction_id = $1 AND active = 1 ORDER BY id",
    )
    .bind(jurisdiction_id)
    .fetch_all(store.pool())
    .await?;
    let users: Vec<_> = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.jurisdiction_id == jurisdiction_id && u.active)
        .collect();
    let mut departments = Vec::with_capacity(rows.len());
    for row in rows {
        let department_id: i64 = row.try_get("id")?;
        let account = |role: Role| {
            users
                .iter()
                .find(|u| u.department_id == Some(department_id) && u.role == role)
                .map(|u| u.subject())
        };
        let certified = store
            .certified_officers(department_id, valid_from)
            .await?
            .into_iter()
            .filter(|o| {
                crate::engine::fields_parse_date(&o.valid_until).is_some_and(|d| d >= valid_until)
            })
            .map(|o| o.person_id)
            .collect();
        let justice_bureau = row.try_get::<i64, _>("is_justice_bureau")? != 0;
        departments.push(DepartmentStaff {
            department_id,
            name: row.try_get("name")?,
            officer: account(Role::Officer),
            legal: account(Role::DepartmentLegal),
            justice_staff: account(Role::JusticeStaff),
            certified,
            justice_bureau,
        });
    }
    Ok(Roster {
        jurisdiction_id,
        departments,
    })
}

/// SplitMix64 (its output fixed by its published algorithm).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or_default()
    }
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
    "安全生产隐患未整改",
    "露天焚烧",
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];

/// The share of each procedure among cases, per thousand (penalties dominate, as in the demo's
/// year).
const MIX: [(&str, usize); 4] = [
    ("penalty", 947),
    ("reconsideration", 24),
    ("litigation", 14),
    ("disclosure", 15),
];

/// Writes scripts one case at a time.
struct Writer<'a> {
    rng: Rng,
    calendar: &'a dyn PeriodCalculator,
    today: Date,
    steps: Vec<ScriptStep>,
    /// Whether a step fell after today: the script stops there, as the case stands today.
    stopped: bool,
}

fn fields(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

impl Writer<'_> {
    fn workdays(&self, date: Date, k: u32) -> Date {
        self.calendar
            .due(date, k, PeriodUnit::Workdays, &[])
            .map_or(date, |d| d.date)
    }

    fn later(&mut self, date: Date, min: u32, spread: u32) -> Date {
        let extra = self.rng.below(spread.max(1) as usize) as u32;
        self.workdays(date, min + extra)
    }

    fn step(&mut self, actor: Subject, action: &str, on: Date, pairs: &[(&str, String)]) -> bool {
        if self.stopped || on > self.today {
            self.stopped = true;
            return false;
        }
        self.steps.push(ScriptStep {
            actor,
            action: action.to_owned(),
            on,
            fields: fields(pairs),
        });
        true
    }
}

/// The `index`-th case script of `roster`'s jurisdiction for `seed`, opened on a working day
/// of one of `years` (not after `today`) and taken as far as `today`; `None` when the
/// jurisdiction has no department that can run the case drawn.
pub fn script(
    roster: &Roster,
    calendar: &dyn PeriodCalculator,
    seed: u64,
    index: u64,
    years: std::ops::RangeInclusive<i32>,
    today: Date,
) -> Option<CaseScript> {
    let mut rng = Rng(seed
        ^ (roster.jurisdiction_id as u64).wrapping_mul(0x1000_0000_01b3)
        ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.next();
    let n_years = (years.end() - years.start() + 1).max(1) as usize;
    let year = years.start() + rng.below(n_years) as i32;
    let mut roll = rng.below(1000);
    let mut procedure = "penalty";
    for (id, share) in MIX {
        if roll < share {
            procedure = id;
            break;
        }
        roll -= share;
    }
    let first = Date::from_ordinal_date(year, 1).ok()?;
    let mut writer = Writer {
        rng,
        calendar,
        today,
        steps: Vec::new(),
        stopped: false,
    };
    // This year's cases are opened by today (so that a case's index, not the calendar, decides
    // whether it exists: a resumed run counts cases to know where it stopped).
    let on = writer.later(first, 1, 245).min(today);
    let n = index + 1;
    let (actor, department_id, opening) = match procedure {
        "penalty" => penalty(&mut writer, roster, on, n)?,
        "reconsideration" => reconsideration(&mut writer, roster, on, n)?,
        "litigation" => litigation(&mut writer, roster, on, n)?,
        _ => disclosure(&mut writer, roster, on)?,
    };
    Some(CaseScript {
        procedure: procedure.to_owned(),
        actor,
        department_id,
        on,
        fields: fields(&opening),
        steps: writer.steps,
    })
}

type Opening = (Subject, i64, Vec<(&'static str, String)>);

fn penalty(w: &mut Writer<'_>, roster: &Roster, on: Date, n: u64) -> Option<Opening> {
    let enforcers: Vec<&DepartmentStaff> = roster
        .departments
        .iter()
        .filter(|d| d.officer.is_some() && d.legal.is_some() && d.certified.len() >= 2)
        .collect();
    let staff = *enforcers.get(w.rng.below(enforcers.len()))?;
    let (officer, legal) = (staff.officer?, staff.legal?);
    let a = w.rng.below(staff.certified.len());
    let b = (a + 1 + w.rng.below(staff.certified.len() - 1)) % staff.certified.len();
    let investigators = format!("{},{}", staff.certified.get(a)?, staff.certified.get(b)?);
    let cause = w.rng.pick(CAUSES);
    let surname = w.rng.pick(SURNAMES);
    let year = on.year();
    let discovered = on - time::Duration::days(w.rng.below(3) as i64);
    let opening = vec![
        ("case_cause", cause.to_owned()),
        ("discovered_date", date_text(discovered)),
    ];
    let done = (officer, staff.department_id, opening);
    if w.rng.chance(30) {
        // 简易程序 (行政处罚法第五十一条): a warning or a small fine on the spot.
        let (kind, fine) = if w.rng.chance(30) {
            ("警告", "0")
        } else {
            ("罚款", w.rng.pick(&["50", "100", "200"]))
        };
        w.step(
            officer,
            "decide_on_the_spot",
            on,
            &[
                ("party", format!("{surname}某")),
                ("party_kind", "公民".into()),
                ("penalty_type", kind.into()),
                ("fine_amount", fine.into()),
                ("decision_date", date_text(on)),
                ("decision_number", format!("当罚〔{year}〕{n}号")),
                ("legal_basis", "相关法律法规".into()),
                ("investigators", investigators),
                (
                    "spot_rights",
                    "已告知拟处罚内容及事实、理由、依据，已听取陈述申辩并复核".into(),
                ),
                ("statement", "当事人当场陈述，经复核，陈述理由不成立".into()),
            ],
        );
        let reported = w.workdays(on, 1);
        w.step(officer, "report_on_the_spot", reported, &[]);
        return Some(done);
    }
    let organisation = w.rng.chance(60);
    let party = if organisation {
        format!("{surname}氏商贸有限公司")
    } else {
        format!("{surname}某某")
    };
    let period_rule = if staff.name.contains("市场监督管理") {
        "市场监督管理行政处罚程序规定"
    } else {
        "行政处罚法第六十条"
    };
    let filed = w.later(on, 0, 3);
    w.step(
        officer,
        "file_case",
        filed,
        &[
            ("party", party),
            (
                "party_kind",
                if organisation { "法人" } else { "公民" }.into(),
            ),
            ("filing_date", date_text(filed)),
            ("department", staff.department_id.to_string()),
            ("period_rule", period_rule.into()),
            ("major_case", "0".into()),
            ("collective_required", "0".into()),
        ],
    );
    let investigated = w.later(filed, 1, 5);
    w.step(
        officer,
        "record_investigation",
        investigated,
        &[("investigators", investigators)],
    );
    // One in fifty stalls in investigation past its period: the 工作台 warns of it.
    if w.rng.chance(2) {
        return Some(done);
    }
    // Below the amounts that carry a hearing right (第六十三条第一款第一项).
    let fine = 500 * (1 + w.rng.below(9));
    let notified = w.later(investigated, 3, 15);
    w.step(
        officer,
        "notify_rights",
        notified,
        &[
            ("proposed_penalty", format!("罚款{fine}元")),
            ("notice_date", date_text(notified)),
            ("hearing_right_notified", "0".into()),
        ],
    );
    let mut cursor = notified;
    if w.rng.chance(20) {
        cursor = w.workdays(notified, 1);
        w.step(
            officer,
            "record_statement",
            cursor,
            &[("statement", "当事人提出陈述、申辩意见，经复核未采纳".into())],
        );
    }
    let decided = w.later(cursor, 1, 5);
    w.step(
        legal,
        "decide_penalty",
        decided,
        &[
            ("decision_date", date_text(decided)),
            ("decision_number", format!("罚〔{year}〕{n}号")),
            ("legal_basis", "相关法律法规".into()),
            ("penalty_type", "罚款".into()),
            ("fine_amount", fine.to_string()),
        ],
    );
    let served = w.later(decided, 0, 5);
    w.step(
        officer,
        "serve_decision",
        served,
        &[("service_date", date_text(served))],
    );
    // A few pay only after the six months to sue have run out: the law's step (the remedy
    // periods lapsed) is stored, on its own day, when the payment is recorded.
    let paid = if w.rng.chance(4) {
        w.later(served + time::Duration::days(200), 0, 20)
    } else {
        w.later(served, 3, 8)
    };
    w.step(
        officer,
        "record_execution",
        paid,
        &[("execution_note", "当事人已按期缴纳罚款".into())],
    );
    Some(done)
}

fn reconsideration(w: &mut Writer<'_>, roster: &Roster, on: Date, n: u64) -> Option<Opening> {
    let justice = roster.departments.iter().find(|d| d.justice_bureau)?;
    let actor = justice.justice_staff?;
    let respondent = roster
        .departments
        .get(w.rng.below(roster.departments.len()))
        .map_or(justice.department_id, |d| d.department_id);
    let surname = w.rng.pick(SURNAMES);
    let opening = vec![
        ("applicant", format!("{surname}某")),
        ("received_date", date_text(on)),
        ("receipt_channel", "当面递交".into()),
        ("act_challenged", "行政处罚决定".into()),
        ("act_category", "行政处罚".into()),
        ("claims", "请求撤销被申请人作出的行政行为".into()),
    ];
    let done = (actor, justice.department_id, opening);
    let accepted = w.later(on, 1, 4);
    let knew = on - time::Duration::days(5 + w.rng.below(50) as i64);
    let act_date = knew - time::Duration::days(w.rng.below(10) as i64);
    w.step(
        actor,
        "accept",
        accepted,
        &[
            ("acceptance_date", date_text(accepted)),
            ("respondent", respondent.to_string()),
            ("knew_act_date", date_text(knew)),
            ("appeal_rights_told", "已告知".into()),
            ("limitation_start_date", date_text(knew)),
            ("property_related", "其他".into()),
            ("act_date", date_text(act_date)),
            ("major_complex", "0".into()),
        ],
    );
    let sent = w.later(accepted, 1, 5);
    w.step(
        actor,
        "send_copy",
        sent,
        &[("copy_sent_date", date_text(sent))],
    );
    let replied = w.later(sent, 2, 8);
    w.step(
        actor,
        "record_reply",
        replied,
        &[("reply_received_date", date_text(replied))],
    );
    // A few are still pending past their period.
    if w.rng.chance(3) {
        return Some(done);
    }
    // The office hears the parties (第四十九条).
    let heard = w.later(replied, 1, 5);
    w.step(
        actor,
        "hear_views",
        heard,
        &[
            ("views_method", "当面".into()),
            ("views_date", date_text(heard)),
        ],
    );
    let decided = w.later(heard, 3, 15);
    w.step(
        actor,
        "decide_uphold",
        decided,
        &[
            ("decision_date", date_text(decided)),
            ("decision_number", format!("政复决〔{}〕{n}号", on.year())),
        ],
    );
    let served = w.later(decided, 1, 3);
    w.step(
        actor,
        "serve_decision",
        served,
        &[("service_date", date_text(served))],
    );
    Some(done)
}

fn with_legal(w: &mut Writer<'_>, roster: &Roster) -> Option<(i64, Subject)> {
    let candidates: Vec<&DepartmentStaff> = roster
        .departments
        .iter()
        .filter(|d| d.legal.is_some_and(|s| s.role == Role::DepartmentLegal))
        .collect();
    let staff = candidates.get(w.rng.below(candidates.len()))?;
    Some((staff.department_id, staff.legal?))
}

fn litigation(w: &mut Writer<'_>, roster: &Roster, on: Date, n: u64) -> Option<Opening> {
    let (department_id, legal) = with_legal(w, roster)?;
    let surname = w.rng.pick(SURNAMES);
    let opening = vec![
        ("plaintiff", format!("{surname}某")),
        ("court", "人民法院".into()),
        ("court_case_number", format!("（{}）行初{n}号", on.year())),
        ("cause", "不服行政处罚决定".into()),
        ("served_date", date_text(on)),
    ];
    // The defence within 15 days of service (行政诉讼法第六十七条第一款).
    let defended = w.later(on, 3, 5);
    w.step(
        legal,
        "file_defence",
        defended,
        &[("defence_filed_date", date_text(defended))],
    );
    if w.rng.chance(10) {
        let withdrawn = w.workdays(defended, 10);
        w.step(legal, "plaintiff_withdrew", withdrawn, &[]);
    }
    Some((legal, department_id, opening))
}

fn disclosure(w: &mut Writer<'_>, roster: &Roster, on: Date) -> Option<Opening> {
    let (department_id, legal) = with_legal(w, roster)?;
    let surname = w.rng.pick(SURNAMES);
    let opening = vec![
        ("applicant", format!("{surname}某")),
        ("received_date", date_text(on)),
        ("receipt_channel", "互联网渠道".into()),
        (
            "requested_information",
            "本单位上一年度行政执法统计数据".into(),
        ),
    ];
    // One in fifty is left unanswered past its period.
    if !w.rng.chance(2) {
        let replied = w.later(on, 3, 10);
        let action = w.rng.pick(&[
            "reply_disclosed",
            "reply_disclosed",
            "reply_already_public",
            "reply_not_exist",
        ]);
        w.step(
            legal,
            action,
            replied,
            &[
                ("reply_date", date_text(replied)),
                (
                    "reply_reason",
                    "依据《中华人民共和国政府信息公开条例》相关规定答复".into(),
                ),
            ],
        );
    }
    Some((legal, department_id, opening))
}
