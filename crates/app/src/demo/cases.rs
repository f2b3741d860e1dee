//! A year of cases for the demo city and its districts, made through the engine (every step
//! checked against its procedure and journaled exactly as a user's would be), with realistic
//! volumes and mixes: about 10,000 penalty cases, 250 reconsiderations, 150 lawsuits and 150
//! disclosure requests at full scale, shared among the places as [`Place::share_percent`] says.
//! Each place's year is made by the same code, by its own accounts in its own jurisdiction.
//! Most cases finish on time; a few are left open past their periods, so the 工作台 has
//! something to warn about, and many in the district whose [`Place::stall_percent`] is high.

use std::collections::BTreeMap;

use time::Date;

use super::SplitMix64;
use super::data::{PLACES, Place};
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
    /// The department's name (without the district prefix).
    name: String,
    legal: Option<Subject>,
    officer: Option<Subject>,
    /// The head's account (局长, 大队长), on the staff-accounts registry.
    head: Option<i64>,
    certified: Vec<(i64, Date)>,
}

/// The 司法局's reconsideration office, by account id on the staff-accounts registry.
#[derive(Debug, Clone, Default)]
struct Office {
    /// Section heads (行政复议与应诉科科长): approvers, hearing hosts.
    heads: Vec<i64>,
    /// Reconsideration officers (the signed-in `sifa` account first).
    officers: Vec<i64>,
    /// Clerks (科员): hearing recorders.
    clerks: Vec<i64>,
}

struct Generator<'a> {
    store: &'a Store,
    /// The place whose cases these are: its names in the documents, how often cases stall.
    place: &'static Place,
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

    /// The last day of a period of `n` `unit`s counted from `date` (`date` not counted).
    fn due(&self, date: Date, n: u32, unit: PeriodUnit) -> Date {
        self.calendar
            .due(date, n, unit, &[])
            .map_or(date, |d| d.date)
    }

    /// The first working day after a period of `n` `unit`s from `date` has ended: the earliest
    /// day on which a guard `period_ended` holds.
    fn after(&self, date: Date, n: u32, unit: PeriodUnit) -> Date {
        let last = self.due(date, n, unit);
        self.workdays(last, 1)
    }

    /// A working day `min`..`min + spread - 1` calendar days after `date` but no later than
    /// `limit`: for acts the law wants within a period of days.
    fn within_days(&mut self, date: Date, min: i64, spread: i64, limit: Date) -> Date {
        let extra = self.rng.below(spread.max(1) as usize) as i64;
        let mut day = date + time::Duration::days(min + extra);
        // Back to a working day, not before `date`.
        while day > date && self.workdays(day - time::Duration::days(1), 1) != day {
            day -= time::Duration::days(1);
        }
        day.min(limit)
    }

    /// Attaches a (tiny, fictional) PDF to the case and returns its address for a document field.
    async fn attach(
        &mut self,
        case_id: i64,
        actor: &Subject,
        title: &str,
    ) -> Result<String, CaseError> {
        let content = format!(
            "%PDF-1.4\n% {}演示文书（虚构）：{title}，案件 {case_id}，第 {} 步\n%%EOF\n",
            self.place.name, self.counts.steps
        );
        let sha256 = crate::attachments::sha256_hex(content.as_bytes());
        let at = crate::clock::to_db_time(self.now);
        self.store
            .add_attachment(&crate::store::attachments::NewAttachment {
                case_id,
                content: content.as_bytes(),
                sha256: &sha256,
                kind: crate::attachments::DocumentKind::Pdf,
                file_name: &format!("{title}.pdf"),
                actor: actor.user_id,
                at: &at,
            })
            .await?;
        Ok(sha256)
    }

    /// A working day of the year, spread evenly.
    fn opening_date(&mut self) -> Date {
        let first = Date::from_ordinal_date(self.year, 1).unwrap_or(Date::MIN);
        let offset = self.rng.below(250) as u32;
        self.workdays(first, offset + 1)
    }

    /// A case's story may run past the demo's today (a year's cases go on into the next): the
    /// step is not taken, and [`generate_year`] leaves the case where it stands, as the real one
    /// would be today.
    fn not_after_today(&self, on: Date) -> Result<(), CaseError> {
        let today = crate::clock::china_date(self.now);
        if on > today {
            return Err(CaseError::StepDate {
                on,
                earliest: on,
                latest: today,
            });
        }
        Ok(())
    }

    async fn open(
        &mut self,
        procedure: &Procedure,
        actor: &Subject,
        department_id: i64,
        on: Date,
        fields: &[(&str, String)],
    ) -> Result<i64, CaseError> {
        self.not_after_today(on)?;
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
        .await
        .inspect_err(|error| {
            eprintln!(
                "\n演示案件立案被拒绝：{}（{}）：{error:?}",
                procedure.id,
                date_text(on)
            );
        })?;
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
        self.not_after_today(on)?;
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
        if let Err(error) = cases::act(
            self.store,
            procedure,
            self.calendar,
            case_id,
            &command,
            self.now,
        )
        .await
        {
            // The demo's sequences are meant to be lawful: a refusal is a bug, said loudly.
            eprintln!(
                "\n演示案件步骤被拒绝：{} 案件 {case_id} 步骤 {action}（{}）：{error:?}；字段 {:?}",
                procedure.id,
                date_text(on),
                command.fields
            );
            return Err(error);
        }
        // The step, and any step the law deemed taken before it (视为…), each took a version.
        let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(self.store.pool())
            .await?;
        *version = stored.unwrap_or(*version + 1);
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

/// The court of first instance for a place's administrative cases (a city's own departments'
/// cases go to the intermediate court in the demo).
fn court(place: &Place) -> String {
    if place.level == crate::domain::Level::City {
        format!("{}中级人民法院", place.name)
    } else {
        format!("{}人民法院", place.name)
    }
}

/// The public security organ a place's suspected crimes are transferred to.
fn police(place: &Place) -> String {
    let city = super::data::CITY_NAME;
    match place.name.strip_prefix(city) {
        Some(district) if !district.is_empty() => {
            // 滨河区 → 示范市公安局滨河分局.
            let stem: String = district
                .chars()
                .take(district.chars().count().saturating_sub(1))
                .collect();
            format!("{city}公安局{stem}分局")
        }
        _ => format!("{city}公安局"),
    }
}

/// The departments of jurisdiction `jurisdiction_id` with the accounts their cases are recorded
/// under (the password-less ones named with the place's prefix, not the printed logins).
async fn staff_of(
    store: &Store,
    year: i32,
    place: &Place,
    jurisdiction_id: i64,
) -> Result<Vec<Staff>, CaseError> {
    let mut staff = Vec::new();
    let mid_year = Date::from_ordinal_date(year, 182).unwrap_or(Date::MIN);
    let users = store.list_users().await?;
    let internal = format!("{}d", place.prefix);
    for department in store.active_departments(Scope::All).await? {
        if department.jurisdiction_id != jurisdiction_id {
            continue;
        }
        let subject = |role: Role| {
            users
                .iter()
                .find(|u| {
                    u.department_id == Some(department.id)
                        && u.role == role
                        && u.username.starts_with(&internal)
                })
                .map(|u| u.subject())
        };
        let certified = store
            .certified_officers(department.id, mid_year)
            .await?
            .into_iter()
            .filter_map(|o| {
                crate::engine::fields_parse_date(&o.valid_until).map(|until| (o.person_id, until))
            })
            .collect();
        let head = users
            .iter()
            .find(|u| {
                u.department_id == Some(department.id)
                    && u.role == Role::Leader
                    && u.username.ends_with(".head")
            })
            .map(|u| u.id);
        let name = department
            .name
            .strip_prefix(place.name)
            .unwrap_or(&department.name)
            .to_owned();
        staff.push(Staff {
            department_id: department.id,
            name,
            legal: subject(Role::DepartmentLegal),
            officer: subject(Role::Officer),
            head,
            certified,
        });
    }
    Ok(staff)
}

/// Makes a year of cases unless the database already has cases: each place of the demo gets
/// its share of the volumes, made by the same code for each. `scale` 1.0 gives the full volumes;
/// `progress(done, total)` is called every 250 cases and at the end.
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
    let mut plan = Vec::with_capacity(PLACES.len());
    for place in &PLACES {
        let Some(jurisdiction) = store.jurisdiction_by_code(place.code).await? else {
            continue;
        };
        let volumes: Vec<(&'static str, usize)> = VOLUMES
            .iter()
            .map(|(id, n)| {
                let n = (*n as f64) * scale * (place.share_percent as f64) / 100.0;
                (*id, n.round().max(1.0) as usize)
            })
            .collect();
        plan.push((place, jurisdiction.id, volumes));
    }
    let total: usize = plan
        .iter()
        .flat_map(|(_, _, volumes)| volumes.iter().map(|(_, n)| n))
        .sum();
    let mut counts = CaseCounts::default();
    let mut done = 0;
    for (index, (place, jurisdiction_id, volumes)) in plan.into_iter().enumerate() {
        let place_seed = (seed as u64 ^ 0x5eed_ca5e).wrapping_add((index as u64) << 40);
        let made = generate_place(
            store,
            procedures,
            calendar,
            place,
            jurisdiction_id,
            place_seed,
            year,
            &volumes,
            now,
            &mut |n| {
                done += n;
                if done % 250 == 0 || done == total {
                    progress(done, total);
                }
            },
        )
        .await?;
        for (procedure, n) in made.cases {
            *counts.cases.entry(procedure).or_default() += n;
        }
        counts.steps += made.steps;
    }
    Ok(counts)
}

/// One place's year: `volumes` cases of each procedure, recorded by the place's own accounts
/// in its jurisdiction `jurisdiction_id`. `tick(1)` is called after every case.
#[allow(clippy::too_many_arguments)]
async fn generate_place(
    store: &Store,
    procedures: &[Procedure],
    calendar: &dyn PeriodCalculator,
    place: &'static Place,
    jurisdiction_id: i64,
    seed: u64,
    year: i32,
    volumes: &[(&str, usize)],
    now: time::OffsetDateTime,
    tick: &mut dyn FnMut(usize),
) -> Result<CaseCounts, CaseError> {
    let staff = staff_of(store, year, place, jurisdiction_id).await?;
    let justice_id = staff
        .iter()
        .find(|s| s.name == "司法局")
        .map(|s| s.department_id);
    let users = store.list_users().await?;
    let justice_accounts = |wanted: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = users
            .iter()
            .filter(|u| {
                u.role == Role::JusticeStaff
                    && u.department_id == justice_id
                    && u.active
                    && u.display_name.ends_with(wanted)
            })
            .map(|u| u.id)
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut office = Office {
        heads: justice_accounts("科长"),
        officers: justice_accounts("行政复议人员"),
        clerks: justice_accounts("科员"),
    };
    // Reconsiderations are recorded by the place's signed-in 司法局 account if it has one (the
    // demo's `sifa`), else by its first reconsideration officer.
    let justice_staff = users
        .iter()
        .filter(|u| u.role == Role::JusticeStaff && u.department_id == justice_id)
        .find(|u| !u.username.starts_with(&format!("{}d", place.prefix)))
        .or_else(|| {
            users
                .iter()
                .find(|u| office.officers.first() == Some(&u.id))
        })
        .map(|u| u.subject());
    if let Some(actor) = justice_staff {
        office.officers.retain(|id| *id != actor.user_id);
        office.officers.insert(0, actor.user_id);
    }
    let mut generator = Generator {
        store,
        place,
        calendar,
        rng: SplitMix64(seed),
        year,
        now,
        counts: CaseCounts::default(),
    };
    let enforcers: Vec<&Staff> = staff
        .iter()
        .filter(|s| s.officer.is_some() && s.legal.is_some() && s.certified.len() >= 2)
        .collect();
    let with_legal: Vec<&Staff> = staff.iter().filter(|s| s.legal.is_some()).collect();
    for (procedure_id, n) in volumes.iter().copied() {
        let procedure = find(procedures, procedure_id)?;
        for index in 0..n {
            let told = match procedure_id {
                "penalty" => penalty(&mut generator, procedure, &enforcers, index).await,
                "reconsideration" => match (justice_id, justice_staff) {
                    (Some(justice), Some(actor)) => {
                        reconsideration(
                            &mut generator,
                            procedure,
                            justice,
                            &actor,
                            &office,
                            &staff,
                            index,
                        )
                        .await
                    }
                    _ => Ok(()),
                },
                "litigation" => litigation(&mut generator, procedure, &with_legal, index).await,
                _ => disclosure(&mut generator, procedure, &with_legal, index).await,
            };
            match told {
                Ok(()) => {}
                // The case's next step lies after today: it stays open where it is.
                Err(CaseError::StepDate { on, latest, .. }) if on > latest => {}
                Err(error) => return Err(error),
            }
            tick(1);
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

fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_owned()
}

/// The fields of one step, built up as the sequence decides.
type Fields = Vec<(&'static str, String)>;

/// The pieces of a penalty case the later steps need.
struct PenaltyCase {
    id: i64,
    version: i64,
    officer: Subject,
    legal: Subject,

    investigators: String,
    /// The last step's date: the next step is on or after it.
    cursor: Date,
}

impl PenaltyCase {
    async fn step(
        &mut self,
        g: &mut Generator<'_>,
        procedure: &Procedure,
        by_legal: bool,
        action: &str,
        on: Date,
        fields: &[(&str, String)],
    ) -> Result<(), CaseError> {
        let actor = if by_legal { self.legal } else { self.officer };
        g.step(
            procedure,
            self.id,
            &mut self.version,
            &actor,
            action,
            on,
            fields,
        )
        .await?;
        self.cursor = self.cursor.max(on);
        Ok(())
    }

    /// 法制审核 (行政处罚法第五十八条) by the department's legal officer; one review in twenty
    /// goes back for further investigation, which calls for a fresh notice. Returns whether it
    /// went back.
    async fn legal_review(
        &mut self,
        g: &mut Generator<'_>,
        procedure: &Procedure,
        on: Date,
        may_return: bool,
    ) -> Result<bool, CaseError> {
        self.step(g, procedure, false, "submit_legal_review", on, &[])
            .await?;
        let reviewed = g.later(on, 1, 4);
        let reviewer = self.legal.user_id.to_string();
        if may_return && g.chance(5) {
            self.step(
                g,
                procedure,
                true,
                "return_from_review",
                reviewed,
                &[
                    ("review_opinion", "主要证据不足，退回补充调查取证".into()),
                    ("reviewer", reviewer),
                ],
            )
            .await?;
            return Ok(true);
        }
        self.step(
            g,
            procedure,
            true,
            "pass_legal_review",
            reviewed,
            &[
                (
                    "review_opinion",
                    "事实清楚，证据确凿，适用法律正确，程序合法，裁量适当".into(),
                ),
                ("reviewer", reviewer),
            ],
        )
        .await?;
        Ok(false)
    }
}

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
    // Certificates valid through the whole case (行政处罚法第四十二条第一款).
    let valid: Vec<i64> = staff
        .certified
        .iter()
        .filter(|(_, until)| *until >= on + time::Duration::days(300))
        .map(|(id, _)| *id)
        .collect();
    if valid.len() < 2 {
        return Ok(());
    }
    let a = g.rng.below(valid.len());
    let b = (a + 1 + g.rng.below(valid.len() - 1)) % valid.len();
    let (Some(&first), Some(&second)) = (valid.get(a), valid.get(b)) else {
        return Ok(());
    };
    // The hearing chair: a certified officer who is not an investigator (第六十四条第四项).
    let chair = valid
        .iter()
        .copied()
        .filter(|id| *id != first && *id != second)
        .nth(g.rng.below(3))
        .or_else(|| {
            valid
                .iter()
                .copied()
                .find(|id| *id != first && *id != second)
        });
    let investigators = format!("{first},{second}");
    let cause = g.pick(CAUSES).copied().unwrap_or("违法行为");
    let surname = g.pick(SURNAMES).copied().unwrap_or("王");
    let department = staff.department_id.to_string();
    let year = g.year;
    let short = g.place.short;
    let number = |kind: &str| format!("{short}{kind}〔{year}〕{}号", index + 1);
    let discovered = on - time::Duration::days(g.rng.below(3) as i64);
    let id = g
        .open(
            procedure,
            &officer,
            staff.department_id,
            on,
            &[
                ("case_cause", cause.to_owned()),
                ("discovered_date", date_text(discovered)),
            ],
        )
        .await?;
    let mut case = PenaltyCase {
        id,
        version: 1,
        officer,
        legal,

        investigators: investigators.clone(),
        cursor: on,
    };
    if g.chance(30) {
        // 简易程序: a warning or a small fine on the spot (行政处罚法第五十一条), by two officers
        // who told the party and heard them (第四十二条、第四十四条、第四十五条、第五十二条).
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
        let (rights, statement) = if g.chance(75) {
            (
                "已告知拟处罚内容及事实、理由、依据，已听取陈述申辩并复核",
                "当事人当场陈述，经复核，陈述理由不成立",
            )
        } else {
            (
                "已告知，当事人明确放弃陈述、申辩",
                "当事人表示对违法事实无异议，放弃陈述、申辩",
            )
        };
        case.step(
            g,
            procedure,
            false,
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
                ("spot_rights", rights.into()),
                ("statement", statement.into()),
            ],
        )
        .await?;
        let reported = g.workdays(on, 1);
        return case
            .step(g, procedure, false, "report_on_the_spot", reported, &[])
            .await;
    }
    let organisation = g.chance(60);
    let party = if organisation {
        format!("{}{surname}氏商贸有限公司", g.place.name)
    } else {
        format!("{surname}某某")
    };
    let market = staff.name.contains("市场监督管理");
    let period_rule = if market {
        "市场监督管理行政处罚程序规定"
    } else {
        "行政处罚法第六十条"
    };
    let major = g.chance(12);
    let collective = (major && g.chance(50)) || g.chance(2);
    let filed = g.later(on, 0, 3);
    case.step(
        g,
        procedure,
        false,
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
            ("period_rule", period_rule.into()),
            ("major_case", flag(major)),
            ("collective_required", flag(collective)),
        ],
    )
    .await?;
    let investigated = g.later(filed, 1, 5);
    case.step(
        g,
        procedure,
        false,
        "record_investigation",
        investigated,
        &[("investigators", case.investigators.clone())],
    )
    .await?;
    // Some cases stall in investigation past their 90 days (one in a hundred, more in a place
    // that struggles, none in a model one): the 工作台 shows them.
    if g.chance(g.place.stall_percent) {
        return Ok(());
    }
    // A market-regulation case now and then needs longer (市场监督管理行政处罚程序规定第六十四条).
    if market && g.chance(4) {
        let extended = g.later(investigated, 10, 20);
        case.step(
            g,
            procedure,
            true,
            "extend_decision_period",
            extended,
            &[
                ("extension_reason", "案情复杂，需委托检验".into()),
                ("approved_by", "市场监督管理局负责人".into()),
                ("extension_days", "30".into()),
                ("extension_notice_date", date_text(extended)),
            ],
        )
        .await?;
    }
    // One in a hundred may be a crime and goes to the judicial organs (第二十七条).
    if g.chance(1) {
        let transferred = g.later(case.cursor, 2, 10);
        case.step(
            g,
            procedure,
            true,
            "transfer",
            transferred,
            &[
                ("transfer_date", date_text(transferred)),
                ("transfer_to", police(g.place)),
            ],
        )
        .await?;
        let back = g.later(transferred, 20, 40);
        if g.chance(50) {
            return case
                .step(
                    g,
                    procedure,
                    true,
                    "close_after_prosecution",
                    back,
                    &[(
                        "prosecution_note",
                        "公安机关立案侦查，当事人被追究刑事责任".into(),
                    )],
                )
                .await;
        }
        case.step(
            g,
            procedure,
            true,
            "resume_after_transfer",
            back,
            &[
                ("return_date", date_text(back)),
                ("judicial_outcome", "不予立案".into()),
            ],
        )
        .await?;
    }
    let fine = 500 * (1 + g.rng.below(40));
    // 较大数额罚款 carries the hearing right (第六十三条第一款第一项).
    let hearing_right = fine >= if organisation { 10_000 } else { 5_000 };
    // The market-regulation order: legal review before the notice, for some major cases.
    let mut reviewed = false;
    if major && market && g.chance(50) {
        let submitted = g.later(case.cursor, 2, 5);
        let returned = case.legal_review(g, procedure, submitted, false).await?;
        reviewed = !returned;
    }
    let mut notified;
    let mut waiver = None;
    let mut hearing = false;
    let mut hearing_date = None;
    loop {
        notified = g.later(case.cursor, 3, 15);
        case.step(
            g,
            procedure,
            false,
            "notify_rights",
            notified,
            &[
                ("proposed_penalty", format!("罚款{fine}元")),
                ("notice_date", date_text(notified)),
                ("hearing_right_notified", flag(hearing_right)),
            ],
        )
        .await?;
        if g.chance(20) {
            let stated = g.workdays(notified, 1);
            case.step(
                g,
                procedure,
                false,
                "record_statement",
                stated,
                &[("statement", "当事人提出陈述、申辩意见，经复核未采纳".into())],
            )
            .await?;
        }
        if hearing_right && chair.is_some() && g.chance(12) {
            // The party asks for a hearing within five working days (第六十四条第一项).
            let requested = case.cursor.max(g.later(notified, 1, 5));
            case.step(
                g,
                procedure,
                false,
                "request_hearing",
                requested,
                &[("hearing_request_date", date_text(requested))],
            )
            .await?;
            let notice = g.later(requested, 1, 3);
            let held = g.later(notice, 7, 4);
            let chair = chair.unwrap_or_default().to_string();
            let roll = g.rng.below(100);
            if roll < 8 {
                let withdrawn = g.later(requested, 1, 5).min(held);
                let document = g.attach(id, &legal, "撤回听证申请书").await?;
                case.step(
                    g,
                    procedure,
                    true,
                    "withdraw_hearing_request",
                    withdrawn,
                    &[
                        ("withdrawal_date", date_text(withdrawn)),
                        ("withdrawal_document", document),
                    ],
                )
                .await?;
            } else if roll < 14 {
                case.step(
                    g,
                    procedure,
                    true,
                    "hearing_deemed_waived",
                    held,
                    &[
                        ("hearing_notice_date", date_text(notice)),
                        ("hearing_date", date_text(held)),
                        ("hearing_chair", chair),
                        (
                            "absence_note",
                            "当事人经依法通知，无正当理由拒不出席听证".into(),
                        ),
                    ],
                )
                .await?;
            } else {
                let record = g.attach(id, &legal, "听证笔录").await?;
                case.step(
                    g,
                    procedure,
                    true,
                    "hold_hearing",
                    held,
                    &[
                        ("hearing_notice_date", date_text(notice)),
                        ("hearing_date", date_text(held)),
                        ("hearing_chair", chair),
                        ("hearing_record", record),
                    ],
                )
                .await?;
                hearing = true;
                hearing_date = Some(held);
                // A review passed before the hearing does not cover it.
                reviewed = false;
            }
            waiver = Some(requested);
        } else if hearing_right && g.chance(45) {
            // The party states in writing that it will not ask for a hearing.
            let declared = case.cursor.max(g.later(notified, 0, 4));
            let statement = g.attach(id, &officer, "不要求听证声明").await?;
            case.step(
                g,
                procedure,
                false,
                "declare_no_hearing",
                declared,
                &[
                    ("no_hearing_date", date_text(declared)),
                    ("no_hearing_statement", statement),
                ],
            )
            .await?;
            waiver = Some(declared);
        }
        // Until the party's period has ended (or it waived or used it), the agency waits.
        if hearing_right && waiver.is_none() {
            case.cursor = case.cursor.max(g.after(notified, 5, PeriodUnit::Workdays));
        }
        // 第五十八条: review for major cases and after a hearing (a review before the hearing
        // does not cover it).
        if (hearing || major) && !reviewed {
            let submitted = g.later(case.cursor, 1, 3);
            if case.legal_review(g, procedure, submitted, true).await? {
                // Back to investigation: further evidence, then a fresh notice.
                let again = g.later(case.cursor, 3, 10);
                let investigators = case.investigators.clone();
                case.step(
                    g,
                    procedure,
                    false,
                    "record_investigation",
                    again,
                    &[("investigators", investigators)],
                )
                .await?;
                // The hearing held stays on the record: a review after it is still due.
                waiver = None;
                reviewed = false;
                continue;
            }
        }
        break;
    }
    if collective {
        let discussed = g.later(case.cursor, 1, 5);
        case.step(
            g,
            procedure,
            true,
            "hold_collective_discussion",
            discussed,
            &[("discussion_date", date_text(discussed))],
        )
        .await?;
    }
    let decided = g.later(case.cursor, 1, 5);
    debug_assert!(hearing_date.is_none_or(|h| h <= decided));
    if g.chance(3) {
        return case
            .step(
                g,
                procedure,
                true,
                "decide_no_penalty",
                decided,
                &[("decision_date", date_text(decided))],
            )
            .await;
    }
    let warning = !hearing_right && g.chance(5);
    let mut fields: Fields = vec![
        ("decision_date", date_text(decided)),
        ("decision_number", number("罚")),
        ("legal_basis", "相关法律法规".into()),
    ];
    if warning {
        fields.push(("penalty_type", "警告".into()));
    } else {
        fields.push(("penalty_type", "罚款".into()));
        fields.push(("fine_amount", fine.to_string()));
    }
    case.step(g, procedure, true, "decide_penalty", decided, &fields)
        .await?;
    // Served within seven working days (第六十一条).
    let served = g.later(decided, 0, 5);
    case.step(
        g,
        procedure,
        false,
        "serve_decision",
        served,
        &[("service_date", date_text(served))],
    )
    .await?;
    after_service(g, procedure, &mut case, served, warning, decided).await
}

/// What follows service: payment mostly; a few challenges, late payers and enforcements.
async fn after_service(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    case: &mut PenaltyCase,
    served: Date,
    warning: bool,
    decided: Date,
) -> Result<(), CaseError> {
    let id = case.id;
    let year_end = Date::from_ordinal_date(g.year, 365).unwrap_or(Date::MAX);
    let roll = g.rng.below(100);
    if roll < 3 {
        // The party seeks reconsideration within 60 days (行政复议法第二十条第一款).
        let limit = g.due(served, 60, PeriodUnit::Days);
        let filed = g.within_days(served, 10, 40, limit);
        let kind = if g.chance(70) {
            "行政复议"
        } else {
            "行政诉讼"
        };
        case.step(
            g,
            procedure,
            true,
            "record_review_sought",
            filed,
            &[
                ("review_kind", kind.into()),
                ("review_filed_date", date_text(filed)),
            ],
        )
        .await?;
        let result = g.later(filed, 30, 20);
        if g.chance(80) {
            case.step(
                g,
                procedure,
                true,
                "record_review_upheld",
                result,
                &[(
                    "review_result_note",
                    if kind == "行政复议" {
                        "复议机关决定维持"
                    } else {
                        "人民法院判决驳回诉讼请求"
                    }
                    .into(),
                )],
            )
            .await?;
            let paid = g.later(result, 2, 8);
            return case
                .step(
                    g,
                    procedure,
                    false,
                    "record_execution",
                    paid,
                    &[("execution_note", "当事人已缴纳罚款".into())],
                )
                .await;
        }
        let document = g.attach(id, &case.legal, "复议决定书").await?;
        let (kind_altered, source) = if kind == "行政复议" {
            ("变更", "行政复议决定")
        } else {
            ("撤销", "人民法院生效裁判")
        };
        case.step(
            g,
            procedure,
            true,
            "record_decision_altered",
            result,
            &[
                ("alteration_kind", kind_altered.into()),
                ("alteration_source", source.into()),
                ("alteration_date", date_text(result)),
                ("alteration_reason", "原处罚决定裁量明显不当".into()),
                ("alteration_document", document),
            ],
        )
        .await?;
        // Withdrawn from publication within three working days (第四十八条第二款).
        let withdrawn = g.later(result, 1, 3);
        case.step(
            g,
            procedure,
            true,
            "withdraw_publicity",
            withdrawn,
            &[
                ("publicity_withdrawal_date", date_text(withdrawn)),
                (
                    "publicity_withdrawal_reason",
                    "原行政处罚决定已被依法变更或撤销".into(),
                ),
            ],
        )
        .await?;
        let closed = g.later(withdrawn, 1, 5);
        return case
            .step(
                g,
                procedure,
                true,
                "close_after_alteration",
                closed,
                &[("execution_note", "依变更后的决定执行完毕".into())],
            )
            .await;
    }
    let _ = decided;
    if !warning && roll < 7 {
        // Late payment: after the 15 days the agency imposes the surcharge (第七十二条).
        let surcharged = g.later(g.after(served, 15, PeriodUnit::Days), 0, 5);
        case.step(
            g,
            procedure,
            true,
            "impose_surcharge",
            surcharged,
            &[
                ("surcharge_notice_date", date_text(surcharged)),
                ("surcharge_amount", "300".into()),
            ],
        )
        .await?;
        let remedies_end = g.after(served, 6, PeriodUnit::Months);
        if g.chance(40) && g.workdays(remedies_end, 30) <= year_end {
            // Still unpaid: urge, then apply to the court once both remedy periods have
            // ended, within three months (行政强制法第五十三条、第五十四条).
            let urged = g.later(surcharged, 20, 40);
            let document = g.attach(id, &case.legal, "催告书").await?;
            case.step(
                g,
                procedure,
                false,
                "urge_performance",
                urged,
                &[
                    ("urge_service_date", date_text(urged)),
                    ("urge_document", document),
                ],
            )
            .await?;
            let applied =
                g.later(remedies_end, 0, 10)
                    .max(g.after(urged, 10, PeriodUnit::Workdays));
            case.step(
                g,
                procedure,
                true,
                "apply_enforcement",
                applied,
                &[
                    ("application_date", date_text(applied)),
                    ("court", court(g.place)),
                ],
            )
            .await?;
            let enforced = g.later(applied, 10, 20);
            return case
                .step(
                    g,
                    procedure,
                    true,
                    "close_enforcement",
                    enforced,
                    &[("execution_note", "人民法院强制执行完毕".into())],
                )
                .await;
        }
        let paid = g.later(surcharged, 1, 10);
        return case
            .step(
                g,
                procedure,
                false,
                "record_execution",
                paid,
                &[("execution_note", "当事人已缴纳罚款及加处罚款".into())],
            )
            .await;
    }
    let paid = g.later(served, 3, 8);
    case.step(
        g,
        procedure,
        false,
        "record_execution",
        paid,
        &[(
            "execution_note",
            if warning {
                "警告决定已送达，执行完毕"
            } else {
                "当事人已按期缴纳罚款"
            }
            .into(),
        )],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn reconsideration(
    g: &mut Generator<'_>,
    procedure: &Procedure,
    justice: i64,
    actor: &Subject,
    office: &Office,
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
    let channel = ["当面递交", "当面递交", "邮寄", "网络"]
        .get(g.rng.below(4))
        .copied()
        .unwrap_or("当面递交");
    let id = g
        .open(
            procedure,
            actor,
            justice,
            on,
            &[
                ("applicant", format!("{surname}某")),
                ("received_date", date_text(on)),
                ("receipt_channel", channel.into()),
                ("act_challenged", format!("{category}决定")),
                ("act_category", category.into()),
                ("claims", "请求撤销被申请人作出的行政行为".into()),
            ],
        )
        .await?;
    let mut version = 1;
    let mut received = on;
    if g.chance(5) {
        // 补正 within five working days of receipt (行政复议法第三十一条第一款).
        let notice = g.later(on, 1, 4);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "request_correction",
            notice,
            &[
                ("correction_items", "请补充提交行政行为相关材料".into()),
                ("correction_notice_date", date_text(notice)),
            ],
        )
        .await?;
        let delivered = g.later(notice, 1, 2);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "correction_notice_served",
            delivered,
            &[("correction_notice_received_date", date_text(delivered))],
        )
        .await?;
        // One applicant in ten never corrects: the application is deemed withdrawn when the
        // ten working days end (第三十一条第二款), a step the law takes.
        if g.chance(10) {
            return Ok(());
        }
        received = g.later(delivered, 1, 8);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "receive_correction",
            received,
            &[("correction_received_date", date_text(received))],
        )
        .await?;
    }
    // The review of the application takes at most five working days (第三十条第一款).
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
    // The applicant knew of the act within the 60 days before applying (第二十条第一款).
    let knew = on - time::Duration::days(5 + g.rng.below(50) as i64);
    let act_date = knew - time::Duration::days(g.rng.below(10) as i64);
    let basis = match category {
        "政府信息公开" => Some("属于政府信息公开案件"),
        "行政处罚" if g.chance(50) => Some("案件涉及款额三千元以下"),
        "行政处罚" => Some("被申请行政复议的行政行为是警告或者通报批评"),
        _ if g.chance(30) => Some("当事人各方同意适用简易程序"),
        _ => None,
    };
    let simplified = basis.is_some() && g.chance(40);
    let major = !simplified && g.chance(5);
    let mut fields: Fields = vec![
        ("acceptance_date", date_text(decided_on)),
        ("respondent", respondent.to_string()),
        ("knew_act_date", date_text(knew)),
        ("appeal_rights_told", "已告知".into()),
        ("limitation_start_date", date_text(knew)),
        ("property_related", "其他".into()),
        ("act_date", date_text(act_date)),
    ];
    if simplified {
        fields.push(("simplified_basis", basis.unwrap_or_default().into()));
    } else {
        fields.push(("major_complex", flag(major)));
    }
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
    // Copy to the respondent within 7 (simplified: 3) working days (第四十八条、第五十四条).
    let sent = g.later(decided_on, 1, if simplified { 2 } else { 5 });
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
    let mut cursor = replied;
    let mut ordinary = !simplified;
    if simplified && g.chance(8) {
        // Not suited to the simplified procedure after all (第五十五条).
        cursor = g.later(cursor, 1, 5);
        let approver = office.heads.first().copied().unwrap_or(actor.user_id);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "convert_to_ordinary",
            cursor,
            &[
                ("approved_by", approver.to_string()),
                ("conversion_reason", "案情复杂，不宜适用简易程序".into()),
            ],
        )
        .await?;
        ordinary = true;
    }
    // A few cases are suspended for a while (第三十九条) and then resumed.
    if g.chance(3) {
        cursor = g.later(cursor, 1, 5);
        let reason = if g.chance(50) {
            "案件审理需要以其他案件的审理结果为依据"
        } else {
            "因不可抗力等原因不能参加"
        };
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            if ordinary {
                "suspend"
            } else {
                "suspend_simplified"
            },
            cursor,
            &[
                ("suspension_reason", reason.into()),
                ("suspension_notice_date", date_text(cursor)),
            ],
        )
        .await?;
        cursor = g.later(cursor, 15, 20);
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            if ordinary {
                "resume"
            } else {
                "resume_simplified"
            },
            cursor,
            &[("resumption_notice_date", date_text(cursor))],
        )
        .await?;
    }
    if ordinary {
        // The office hears the parties (第四十九条); for major, complex cases it holds a hearing
        // (第五十条), notified at least five working days ahead (第五十一条).
        let heard = g.later(cursor, 1, 5);
        let method = ["当面", "当面", "电话", "互联网"]
            .get(g.rng.below(4))
            .copied()
            .unwrap_or("当面");
        g.step(
            procedure,
            id,
            &mut version,
            actor,
            "hear_views",
            heard,
            &[
                ("views_method", method.into()),
                ("views_date", date_text(heard)),
            ],
        )
        .await?;
        cursor = heard;
        if major {
            let (host, recorder) = (
                office.heads.first().copied(),
                office.clerks.first().copied(),
            );
            if let (Some(host), Some(recorder), [a, b, ..]) =
                (host, recorder, office.officers.as_slice())
            {
                let notice = g.later(cursor, 1, 3);
                let held = g.later(notice, 5, 5);
                g.step(
                    procedure,
                    id,
                    &mut version,
                    actor,
                    "hold_hearing",
                    held,
                    &[
                        ("hearing_date", date_text(held)),
                        ("hearing_notice_date", date_text(notice)),
                        ("hearing_host", host.to_string()),
                        ("hearing_officers", format!("{a},{b}")),
                        ("hearing_recorder", recorder.to_string()),
                    ],
                )
                .await?;
                cursor = held;
            }
        }
        if g.chance(5) {
            // 情况复杂: the head of the office extends the 60 days by up to 30 (第六十二条).
            cursor = g.later(cursor, 1, 3);
            let approver = office.heads.first().copied().unwrap_or(actor.user_id);
            g.step(
                procedure,
                id,
                &mut version,
                actor,
                "extend",
                cursor,
                &[
                    ("extension_reason", "案情复杂，需进一步调查核实".into()),
                    ("approved_by", approver.to_string()),
                    ("extension_days", "30".into()),
                    ("extension_notice_date", date_text(cursor)),
                ],
            )
            .await?;
        }
    }
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
    let mut action = g.pick(&outcomes).copied().unwrap_or("decide_uphold");
    // 驳回复议请求 only where the applicant says the respondent failed to act (复议法第六十九条).
    if action == "decide_reject_claim" && category != "不履行法定职责" {
        action = "decide_uphold";
    } else if category == "不履行法定职责" && action == "decide_change" {
        action = "decide_reject_claim";
    }
    let decided = g.later(cursor, 3, if simplified && !ordinary { 8 } else { 15 });
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
                format!("{}政复决〔{}〕{}号", g.place.short, g.year, index + 1),
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

const APPEARANCES: [&str; 4] = [
    "行政机关正职负责人出庭",
    "行政机关副职负责人出庭",
    "参与分管被诉行政行为实施工作的副职级别负责人出庭",
    "负责人未出庭，委托相应工作人员出庭",
];

/// Who appeared for the agency at a hearing (行政诉讼法第三条第三款；出庭规定第二条), naming the
/// head when the head appeared and has an account.
fn appearance(g: &mut Generator<'_>, staff: &Staff, fields: &mut Fields) {
    let roll = g.rng.below(100);
    let appearance = match roll {
        0..40 => APPEARANCES[0],
        40..70 => APPEARANCES[1],
        70..85 => APPEARANCES[2],
        _ => APPEARANCES[3],
    };
    fields.push(("head_appearance", appearance.to_owned()));
    if appearance == APPEARANCES[0]
        && let Some(head) = staff.head
    {
        fields.push(("appearing_head", head.to_string()));
    }
    if appearance == APPEARANCES[3] {
        fields.push(("absence_reason", "需要履行他人不能代替的公务".into()));
    }
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
                ("court", court(g.place)),
                (
                    "court_case_number",
                    format!(
                        "（{}）示01{}行初{}号",
                        g.year,
                        g.place.code.get(4..).unwrap_or("00"),
                        index + 1
                    ),
                ),
                ("cause", "不服行政处罚决定".into()),
                ("served_date", date_text(on)),
            ],
        )
        .await?;
    let mut version = 1;
    // The defence within 15 days of service (行政诉讼法第六十七条第一款).
    let defence_due = g.due(on, 15, PeriodUnit::Days);
    if g.chance(3) {
        let asked = g.within_days(on, 3, 8, defence_due);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "apply_evidence_delay",
            asked,
            &[(
                "evidence_delay_reason",
                "部分证据由其他机关保存，需调取".into(),
            )],
        )
        .await?;
    }
    let defended = g.within_days(on, 5, 9, defence_due);
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
    let mut cursor = defended;
    let mut instance = "一审";
    loop {
        if instance == "一审" && g.chance(4) {
            // 起诉不符合条件: dismissed by ruling (裁定), appeal period ten days.
            let ruled = g.later(cursor, 10, 20);
            let served = g.later(ruled, 1, 3);
            g.step(
                procedure,
                id,
                &mut version,
                &legal,
                "suit_dismissed",
                served,
                &[
                    ("decision_form", "裁定".into()),
                    ("judgment_date", date_text(ruled)),
                    ("judgment_served_date", date_text(served)),
                ],
            )
            .await?;
            let after = g.after(served, 10, PeriodUnit::Days);
            return g
                .step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    "judgment_final",
                    after,
                    &[],
                )
                .await;
        }
        let hearing = g.later(cursor, 20, 20);
        let mut fields: Fields = vec![
            ("hearing_date", date_text(hearing)),
            ("instance", instance.to_owned()),
        ];
        appearance(g, staff, &mut fields);
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
        if instance == "一审" && g.chance(2) {
            let mediated = g.later(hearing, 5, 10);
            return g
                .step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    "mediated",
                    mediated,
                    &[],
                )
                .await;
        }
        let judged = g.later(hearing, 15, 30);
        let served = g.later(judged, 1, 4);
        let won = g.chance(85);
        // Recorded once the judgment is served (it takes effect for the parties then).
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            if won {
                "first_instance_won"
            } else {
                "first_instance_lost"
            },
            served,
            &[
                ("decision_form", "判决".into()),
                ("judgment_date", date_text(judged)),
                ("judgment_served_date", date_text(served)),
            ],
        )
        .await?;
        // The losing side appeals within 15 days of service (行政诉讼法第八十五条).
        if instance == "一审" && g.chance(if won { 25 } else { 60 }) {
            let limit = g.due(served, 15, PeriodUnit::Days);
            let appealed = g.within_days(served, 3, 10, limit);
            g.step(
                procedure,
                id,
                &mut version,
                &legal,
                "appeal",
                appealed,
                &[
                    ("appellant", if won { "原告" } else { "本机关" }.into()),
                    ("appeal_date", date_text(appealed)),
                ],
            )
            .await?;
            let mut last = appealed;
            if g.chance(50) {
                let heard = g.later(appealed, 20, 20);
                let mut fields: Fields = vec![
                    ("hearing_date", date_text(heard)),
                    ("instance", "二审".to_owned()),
                ];
                appearance(g, staff, &mut fields);
                g.step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    "record_appeal_hearing",
                    heard,
                    &fields,
                )
                .await?;
                last = heard;
            }
            let decided = g.later(last, 20, 20);
            let served = g.later(decided, 1, 4);
            let roll = g.rng.below(100);
            if roll < 4 {
                // 发回重审 (第八十九条第一款第三项、第四项): back to first instance.
                g.step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    "second_instance_remanded",
                    served,
                    &[("judgment_date", date_text(decided))],
                )
                .await?;
                cursor = served;
                instance = "发回重审后一审";
                continue;
            }
            // 改判 is against the agency when the plaintiff appealed a judgment it won.
            let outcome = if roll < 88 {
                "second_instance_upheld"
            } else if won {
                "second_instance_changed"
            } else {
                "second_instance_changed_for_agency"
            };
            return g
                .step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    outcome,
                    served,
                    &[
                        ("judgment_date", date_text(decided)),
                        ("judgment_served_date", date_text(served)),
                    ],
                )
                .await;
        }
        let after = g.after(served, 15, PeriodUnit::Days);
        return g
            .step(
                procedure,
                id,
                &mut version,
                &legal,
                "judgment_final",
                after,
                &[],
            )
            .await;
    }
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
    let channel = ["互联网渠道", "互联网渠道", "当面提交", "挂号信"]
        .get(g.rng.below(4))
        .copied()
        .unwrap_or("互联网渠道");
    let id = g
        .open(
            procedure,
            &legal,
            staff.department_id,
            on,
            &[
                ("applicant", format!("{surname}某")),
                ("received_date", date_text(on)),
                ("receipt_channel", channel.into()),
                (
                    "requested_information",
                    "本单位2024年度行政执法统计数据".into(),
                ),
            ],
        )
        .await?;
    let mut version = 1;
    let mut start = on;
    let mut cursor = on;
    if g.chance(8) {
        // 补正 notice within seven working days, with a reasonable deadline (第三十条).
        let notice = g.later(on, 1, 5);
        let deadline = g.workdays(notice, 10);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "request_correction",
            notice,
            &[
                (
                    "correction_items",
                    "请明确所需政府信息的名称、文号或者便于查询的其他特征性描述".into(),
                ),
                ("correction_deadline", date_text(deadline)),
            ],
        )
        .await?;
        if g.chance(12) {
            // Not corrected in time: 视为放弃申请.
            return g
                .step(
                    procedure,
                    id,
                    &mut version,
                    &legal,
                    "correction_lapsed",
                    g.workdays(deadline, 1),
                    &[],
                )
                .await;
        }
        start = g.later(notice, 2, 6);
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
        cursor = start;
    }
    let mut objected = false;
    if g.chance(6) {
        // Consulting a third party or another agency (第三十二条、第三十四条): 15 working days
        // from their receipt; silence is deemed consent for another agency.
        let consulted = g.later(cursor, 1, 3);
        let receipt = g.workdays(consulted, 2);
        let other_agency = g.chance(40);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "consult",
            consulted,
            &[
                (
                    "third_party",
                    if other_agency {
                        format!("{}某局", g.place.name)
                    } else {
                        "某公司".into()
                    },
                ),
                (
                    "consulted_kind",
                    if other_agency {
                        "其他行政机关"
                    } else {
                        "第三方"
                    }
                    .into(),
                ),
                ("consultation_received_date", date_text(receipt)),
            ],
        )
        .await?;
        if g.chance(20) {
            // No answer: the period ends and the case goes on (视为…) without a step.
            cursor = g.after(receipt, 15, PeriodUnit::Workdays);
        } else {
            let answered = g.later(receipt, 3, 10);
            objected = !other_agency && g.chance(40);
            g.step(
                procedure,
                id,
                &mut version,
                &legal,
                "end_consultation",
                answered,
                &[("third_party_objected", flag(objected))],
            )
            .await?;
            cursor = answered;
        }
    }
    let mut extended = false;
    if g.chance(6)
        && let Some(head) = staff.head
    {
        // Extended by up to 20 working days with the head's consent (第三十三条第二款).
        let day = g.later(cursor, 3, 8);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "extend",
            day,
            &[
                ("extension_reason", "所需信息需汇总多个科室材料".into()),
                ("approved_by", head.to_string()),
                ("extension_length", "20".into()),
                ("extension_notice_date", date_text(day)),
            ],
        )
        .await?;
        cursor = day;
        extended = true;
    }
    if index % 50 == 49 {
        // Left unanswered past its period.
        return Ok(());
    }
    let _ = start;
    let replied = g.later(cursor, 3, if extended { 20 } else { 10 });
    let reason = "依据《中华人民共和国政府信息公开条例》相关规定答复".to_owned();
    if g.chance(2) {
        // A request clearly beyond a reasonable volume: reasons asked (第三十五条).
        let asked = g.later(cursor, 1, 3);
        g.step(
            procedure,
            id,
            &mut version,
            &legal,
            "ask_reasons_excessive",
            asked,
            &[(
                "excessive_request_facts",
                "申请人一个月内提出政府信息公开申请四十余件".into(),
            )],
        )
        .await?;
        let answered = g.later(asked, 5, 5).max(replied);
        return g
            .step(
                procedure,
                id,
                &mut version,
                &legal,
                "reply_excessive_not_processed",
                answered,
                &[
                    ("reply_date", date_text(answered)),
                    (
                        "reply_reason",
                        "申请人说明的理由不合理，告知不予处理".into(),
                    ),
                ],
            )
            .await;
    }
    let action = if objected {
        if g.chance(50) {
            // Disclosed anyway on public-interest grounds, the third party told (第三十二条).
            let told = g.later(cursor, 1, 3);
            g.step(
                procedure,
                id,
                &mut version,
                &legal,
                "notify_third_party",
                told,
                &[
                    (
                        "public_interest_reason",
                        "不公开可能对公共利益造成重大影响".into(),
                    ),
                    ("third_party_notice_date", date_text(told)),
                ],
            )
            .await?;
            "reply_disclosed"
        } else {
            "reply_not_disclosed"
        }
    } else {
        let replies = [
            "reply_disclosed",
            "reply_disclosed",
            "reply_disclosed",
            "reply_already_public",
            "reply_partly_disclosed",
            "reply_not_exist",
            "reply_not_ours",
            "reply_not_disclosed",
            "reply_compilation_needed",
        ];
        g.pick(&replies).copied().unwrap_or("reply_disclosed")
    };
    let replied = replied.max(g.workdays(cursor, 1));
    g.step(
        procedure,
        id,
        &mut version,
        &legal,
        action,
        replied,
        &[("reply_date", date_text(replied)), ("reply_reason", reason)],
    )
    .await
}
