//! `fazhi bench`: a province of generated cases and the measurements of issue #14.
//!
//! `province` builds (or grows) a fictional province in a demo database — 示范省 (990000),
//! its cities and counties, departments, people, certificates and accounts — then writes cases
//! through the batched write path ([`fazhi_app::bulk`]: every step checked by the engine,
//! every event with its ledger leaf) until the province holds `--cases`, spread unevenly
//! (Zipf-like: the largest jurisdiction about a tenth). A stopped run resumes: each
//! jurisdiction's next case is its count of cases (scripts are a pure function of seed,
//! jurisdiction and index; each batch is one transaction).
//!
//! `measure` times, in-process (medians of several runs), the figures the issue sets goals
//! for, each beside a reference query over the same rows measured in the same run.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use fazhi_app::bulk::{self, story};
use fazhi_app::clock::{Clock, SystemClock, to_db_time};
use fazhi_app::deadlines::OfficialCalendar;
use fazhi_app::domain::{
    AccountInput, DepartmentInput, JurisdictionInput, Level, PersonInput, Role,
};
use fazhi_app::indicators::Extent;
use fazhi_app::store::{OpenMode, ROOT_JURISDICTION, Reach, Store};

use crate::server::run;

/// Bench subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Build or grow a fictional province of generated cases (a demo database only).
    Province(ProvinceArgs),
    /// Time the largest jurisdiction's indicators, the province's aggregate and the
    /// supervision page's queries, each against a plain count over the same rows.
    Measure(MeasureArgs),
}

/// `fazhi bench province`.
#[derive(Debug, clap::Args)]
pub struct ProvinceArgs {
    /// Database URL (postgres://… or sqlite://…); created if missing.
    #[arg(long)]
    url: String,
    /// The province's total of cases to reach.
    #[arg(long)]
    cases: u64,
    /// Jurisdictions: the province, its cities and their counties.
    #[arg(long, default_value_t = 100)]
    jurisdictions: usize,
    /// Seed of the generated names and cases.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Cases per transaction.
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Jurisdictions written at the same time.
    #[arg(long, default_value_t = 2)]
    workers: usize,
}

/// `fazhi bench measure`.
#[derive(Debug, clap::Args)]
pub struct MeasureArgs {
    /// Database URL.
    #[arg(long)]
    url: String,
    /// The year of the figures.
    #[arg(long, default_value_t = 2025)]
    year: i32,
    /// Runs of each measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

/// Runs a bench subcommand.
pub fn run_bench(command: BenchCommand) -> std::process::ExitCode {
    match command {
        BenchCommand::Province(args) => run(province(args)),
        BenchCommand::Measure(args) => run(measure(args)),
    }
}

/// The years cases are opened in.
const YEARS: std::ops::RangeInclusive<i32> = 2024..=2026;

const CITY_NAMES: [&str; 20] = [
    "青川", "白石", "云溪", "丰宁", "安平", "临川", "北塘", "长林", "金沙", "玉泉", "东湖", "南山",
    "西岭", "平川", "清河", "紫岩", "石门", "桃源", "望江", "松原",
];
const COUNTY_NAMES: [&str; 12] = [
    "城关区",
    "新华区",
    "河东区",
    "河西区",
    "高新区",
    "滨江区",
    "永安县",
    "太和县",
    "长宁县",
    "宝丰县",
    "兴隆县",
    "凤鸣县",
];
/// Departments of every jurisdiction: (name, kind, enforcement posts).
const DEPARTMENTS: [(&str, &str, usize); 8] = [
    ("司法局", "政府工作部门", 0),
    ("市场监督管理局", "政府工作部门", 6),
    ("城市管理综合行政执法局", "政府工作部门", 6),
    ("生态环境局", "政府工作部门", 4),
    ("交通运输局", "政府工作部门", 4),
    ("应急管理局", "政府工作部门", 3),
    ("农业农村局", "政府工作部门", 3),
    ("住房和城乡建设局", "政府工作部门", 3),
];
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 16] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
];

/// One jurisdiction of the province: (code, name, level, parent code).
fn layout(n: usize) -> Vec<(String, String, Level, Option<String>)> {
    let n = n.max(2);
    let cities = ((n - 1) * 15).div_ceil(99).clamp(1, CITY_NAMES.len());
    let counties = n - 1 - cities;
    let mut places = vec![(
        "990000".to_owned(),
        "示范省".to_owned(),
        Level::Province,
        None,
    )];
    for c in 0..cities {
        let name = format!("{}市", CITY_NAMES.get(c).copied().unwrap_or("新城"));
        places.push((
            format!("99{:02}00", c + 1),
            name,
            Level::City,
            Some("990000".to_owned()),
        ));
    }
    for k in 0..counties {
        let c = k % cities;
        let within = k / cities;
        let city = CITY_NAMES.get(c).copied().unwrap_or("新城");
        let county = COUNTY_NAMES
            .get(within % COUNTY_NAMES.len())
            .copied()
            .unwrap_or("城关区");
        places.push((
            format!("99{:02}{:02}", c + 1, within + 1),
            format!("{city}市{county}"),
            Level::County,
            Some(format!("99{:02}00", c + 1)),
        ));
    }
    places
}

/// Each jurisdiction's share (Zipf-like, exponent 0.75: the largest of a hundred has about a
/// tenth), in a seed-shuffled order so that size and place in the tree are unrelated.
fn weights(ids: &[i64], seed: u64) -> BTreeMap<i64, f64> {
    let mut order: Vec<i64> = ids.to_vec();
    let mut state = seed ^ 0x5eed;
    for i in (1..order.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    order
        .iter()
        .enumerate()
        .map(|(rank, id)| (*id, 1.0 / ((rank + 1) as f64).powf(0.75)))
        .collect()
}

fn person_name(seed: u64) -> String {
    let s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!(
        "{}{}{}",
        SURNAMES[(s % 10) as usize],
        GIVEN[((s >> 8) % 16) as usize],
        GIVEN[((s >> 16) % 16) as usize]
    )
}

/// Creates the province's jurisdictions and, for each jurisdiction without departments, its
/// departments, people, certificates and accounts (one transaction per jurisdiction).
async fn build_province(store: &Store, n: usize, seed: u64, at: &str) -> anyhow::Result<()> {
    match store.jurisdiction().await? {
        Some(existing) if !existing.is_demo => {
            return Err(anyhow!(
                "该数据库保存的是正式辖区数据（{}），不写入测试案件；请使用新的数据库",
                existing.name
            ));
        }
        Some(_) => {}
        None => {
            let province = JurisdictionInput {
                name: "示范省".to_owned(),
                level: Level::Province,
                code: "990000".to_owned(),
            };
            store
                .set_jurisdiction(None, at, &province, Some((seed as i64, 2025)))
                .await?;
        }
    }
    let mut ids: BTreeMap<String, i64> = BTreeMap::new();
    for (code, name, level, parent) in layout(n) {
        let id = match (store.jurisdiction_by_code(&code).await?, parent) {
            (Some(existing), _) => existing.id,
            (None, None) => ROOT_JURISDICTION,
            (None, Some(parent)) => {
                let parent_id = *ids
                    .get(&parent)
                    .ok_or_else(|| anyhow!("上级辖区 {parent} 缺失"))?;
                store
                    .create_jurisdiction(
                        None,
                        at,
                        parent_id,
                        &JurisdictionInput {
                            name,
                            level,
                            code: code.clone(),
                        },
                    )
                    .await?
            }
        };
        ids.insert(code, id);
    }
    for (code, jurisdiction_id) in &ids {
        let has: i64 = bulk::count_departments(store, *jurisdiction_id).await?;
        if has > 0 {
            continue;
        }
        let name = store
            .jurisdiction_by_code(code)
            .await?
            .map(|j| j.name)
            .unwrap_or_default();
        let mut tx = store.begin().await?;
        for (index, (department, kind, posts)) in DEPARTMENTS.iter().enumerate() {
            let salt = (*jurisdiction_id as u64) << 16 | (index as u64) << 8;
            let contact = person_name(seed ^ salt);
            let department_id = Store::create_department_in(
                &mut tx,
                None,
                at,
                *jurisdiction_id,
                &DepartmentInput {
                    name: format!("{name}{department}"),
                    kind: (*kind).to_owned(),
                    is_justice_bureau: *department == "司法局",
                    legal_contact_name: contact.clone(),
                    legal_contact_phone: format!("0999-8{:06}", salt % 1_000_000),
                },
            )
            .await?;
            let person = |name: String, position: &str| PersonInput {
                department_id,
                name,
                position: position.to_owned(),
                phone: format!("0999-6{:06}", salt % 1_000_000),
            };
            let head = Store::create_person_in(
                &mut tx,
                None,
                at,
                &person(person_name(seed ^ salt ^ 1), "局长"),
            )
            .await?;
            let legal =
                Store::create_person_in(&mut tx, None, at, &person(contact, "法制员")).await?;
            let account =
                |username: String, role: Role, person_id: i64, display: &str| AccountInput {
                    username,
                    role,
                    department_id: Some(department_id),
                    jurisdiction_id: *jurisdiction_id,
                    person_id: Some(person_id),
                    display_name: format!("{department}{display}"),
                };
            let prefix = format!("p{code}.d{:02}", index + 1);
            Store::create_user_in(
                &mut tx,
                None,
                at,
                &account(format!("{prefix}.head"), Role::Leader, head, "局长"),
                "!",
            )
            .await?;
            Store::create_user_in(
                &mut tx,
                None,
                at,
                &account(
                    format!("{prefix}.legal"),
                    Role::DepartmentLegal,
                    legal,
                    "法制员",
                ),
                "!",
            )
            .await?;
            if *department == "司法局" {
                let reviewer = Store::create_person_in(
                    &mut tx,
                    None,
                    at,
                    &person(person_name(seed ^ salt ^ 2), "行政复议人员"),
                )
                .await?;
                Store::create_user_in(
                    &mut tx,
                    None,
                    at,
                    &account(
                        format!("{prefix}.fy"),
                        Role::JusticeStaff,
                        reviewer,
                        "行政复议人员",
                    ),
                    "!",
                )
                .await?;
            }
            for post in 0..*posts {
                let officer = Store::create_person_in(
                    &mut tx,
                    None,
                    at,
                    &person(person_name(seed ^ salt ^ (post as u64 + 16)), "执法人员"),
                )
                .await?;
                Store::add_certificate_in(
                    &mut tx,
                    officer,
                    &format!("99{}{:02}{:02}", &code[2..], index + 1, post + 1),
                    department,
                    time::macros::date!(2022 - 01 - 01),
                    time::macros::date!(2029 - 12 - 31),
                    at,
                )
                .await?;
                if post == 0 {
                    Store::create_user_in(
                        &mut tx,
                        None,
                        at,
                        &account(
                            format!("{prefix}.officer"),
                            Role::Officer,
                            officer,
                            "执法人员",
                        ),
                        "!",
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn province(args: ProvinceArgs) -> anyhow::Result<()> {
    let store = Store::open_and_migrate(&args.url, OpenMode::CreateIfMissing).await?;
    let now = SystemClock.now();
    let at = to_db_time(now);
    build_province(&store, args.jurisdictions, args.seed, &at).await?;
    let jurisdictions: Vec<i64> = store.jurisdictions().await?.iter().map(|j| j.id).collect();
    let weights = weights(&jurisdictions, args.seed);
    let total_weight: f64 = weights.values().sum();
    let existing = bulk::cases_per_jurisdiction(&store).await?;
    let mut queue = VecDeque::new();
    let mut to_write = 0u64;
    for (id, w) in &weights {
        let target = ((args.cases as f64) * w / total_weight).round() as u64;
        let have = existing.get(id).copied().unwrap_or(0).max(0) as u64;
        if target > have {
            to_write += target - have;
            queue.push_back((*id, have, target));
        }
    }
    let already: i64 = existing.values().sum();
    eprintln!(
        "省内已有 {already} 件，目标 {}，待生成 {to_write} 件（{} 个辖区）",
        args.cases,
        queue.len()
    );
    let procedures = Arc::new(fazhi_app::procedure::load_embedded().map_err(|e| anyhow!("{e}"))?);
    let calendar = OfficialCalendar::load().map_err(|e| anyhow!("{e}"))?;
    let queue = Arc::new(Mutex::new(queue));
    let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let started = Instant::now();
    let today = fazhi_app::clock::china_date(now);
    let mut workers = Vec::new();
    for _ in 0..args.workers.max(1) {
        let (store, procedures, queue, written) = (
            store.clone(),
            procedures.clone(),
            queue.clone(),
            written.clone(),
        );
        let (seed, batch) = (args.seed, args.batch.max(1));
        workers.push(tokio::spawn(async move {
            loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                let Some((jurisdiction_id, have, target)) = next else {
                    return Ok::<(), anyhow::Error>(());
                };
                let roster = story::roster(
                    &store,
                    jurisdiction_id,
                    time::macros::date!(2024 - 01 - 01),
                    time::macros::date!(2027 - 12 - 31),
                )
                .await?;
                let mut index = have;
                while index < target {
                    let end = (index + batch as u64).min(target);
                    let scripts: Vec<_> = (index..end)
                        .filter_map(|i| story::script(&roster, &calendar, seed, i, YEARS, today))
                        .collect();
                    if scripts.len() as u64 != end - index {
                        return Err(anyhow!("辖区 {jurisdiction_id} 缺少可办案的部门"));
                    }
                    bulk::write_batch(
                        &store,
                        &procedures,
                        &calendar,
                        jurisdiction_id,
                        &scripts,
                        now,
                    )
                    .await
                    .with_context(|| format!("辖区 {jurisdiction_id}"))?;
                    written.fetch_add(end - index, std::sync::atomic::Ordering::Relaxed);
                    index = end;
                }
            }
        }));
    }
    let reporter = {
        let written = written.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let done = written.load(std::sync::atomic::Ordering::Relaxed);
                let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
                let left = to_write.saturating_sub(done) as f64 / rate.max(0.001);
                eprintln!(
                    "已生成 {done}/{to_write} 件，{rate:.0} 件/秒，预计还需 {:.0} 秒",
                    left
                );
            }
        })
    };
    let mut failure = None;
    for worker in workers {
        match worker.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => failure = Some(error),
            Err(error) => failure = Some(anyhow!("{error}")),
        }
    }
    reporter.abort();
    if let Some(error) = failure {
        return Err(error);
    }
    let done = written.load(std::sync::atomic::Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "完成：生成 {done} 件，用时 {seconds:.0} 秒（{:.0} 件/秒）",
        done as f64 / seconds.max(0.001)
    );
    Ok(())
}

/// The median of `runs` timings of `f`, in milliseconds.
async fn median_ms<F, Fut, T>(runs: usize, mut f: F) -> anyhow::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times.get(times.len() / 2).copied().unwrap_or_default())
}

async fn measure(args: MeasureArgs) -> anyhow::Result<()> {
    let store = Store::open_and_migrate(&args.url, OpenMode::MustExist).await?;
    let catalogue = crate::indicators_cmd::catalogue()?;
    let per_jurisdiction = bulk::cases_per_jurisdiction(&store).await?;
    let cases: i64 = per_jurisdiction.values().sum();
    let (largest, largest_cases) = per_jurisdiction
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(j, n)| (*j, *n))
        .ok_or_else(|| anyhow!("数据库中没有案件"))?;
    let bytes = bulk::database_bytes(&store).await?;
    let at = to_db_time(SystemClock.now());
    let year = args.year;
    let runs = args.runs;
    // Warm the cache once, as a server that has been running would be.
    fazhi_app::indicators::compute::compute(
        &store,
        &catalogue,
        Extent::with_below(ROOT_JURISDICTION),
        year,
        &at,
    )
    .await?;

    let largest_ms = median_ms(runs, || async {
        Ok(fazhi_app::indicators::compute::compute(
            &store,
            &catalogue,
            Extent::alone(largest),
            year,
            &at,
        )
        .await?)
    })
    .await?;
    let largest_ref = median_ms(runs, || async {
        Ok(bulk::count_cases(&store, Some(largest)).await?)
    })
    .await?;
    let province_ms = median_ms(runs, || async {
        Ok(fazhi_app::indicators::compute::compute(
            &store,
            &catalogue,
            Extent::with_below(ROOT_JURISDICTION),
            year,
            &at,
        )
        .await?)
    })
    .await?;
    let province_ref = median_ms(runs, || async {
        Ok(bulk::count_cases(&store, None).await?)
    })
    .await?;
    let today = fazhi_app::clock::china_date(SystemClock.now());
    let today_text = fazhi_app::store::cases::date_text(today);
    let warn = fazhi_app::store::cases::date_text(today + time::Duration::days(14));
    let supervision_ms = median_ms(runs, || async {
        let reach = Reach::EVERYTHING;
        store.deadlines_within(reach, &today_text, &warn).await?;
        store.report_progress_within(reach, year).await?;
        store.opened_within(reach, (year - 1, year)).await?;
        store.latest_witness_refusals_within(reach).await?;
        Ok(())
    })
    .await?;
    let json = serde_json::json!({
        "cases": cases,
        "jurisdictions": per_jurisdiction.len(),
        "database_bytes": bytes,
        "bytes_per_case": bytes as f64 / cases.max(1) as f64,
        "largest_jurisdiction": largest,
        "largest_cases": largest_cases,
        "largest_indicators_ms": largest_ms,
        "largest_reference_ms": largest_ref,
        "province_aggregate_ms": province_ms,
        "province_reference_ms": province_ref,
        "supervision_ms": supervision_ms,
        "year": year,
        "runs": runs,
    });
    println!("{json}");
    Ok(())
}
