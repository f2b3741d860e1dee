//! `fazhi init`, `fazhi serve` and `fazhi demo`: opening the store, binding the port, and
//! explaining failures in one line.

use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, anyhow};
use fazhi_app::clock::{Clock, SystemClock, to_db_time};
use fazhi_app::demo::{self, DemoError, DemoOutcome};
use fazhi_app::domain::{AccountInput, JurisdictionInput, Role};
use fazhi_app::log_key::KeyDir;
use fazhi_app::store::jurisdictions::Jurisdiction;
use fazhi_app::store::{OpenMode, ROOT_JURISDICTION, SchemaStatus, Store, StoreError};
use fazhi_app::web::{self, AppState, WebConfig};

/// Database URL argument shared by the subcommands.
#[derive(Debug, clap::Args)]
pub struct DbArg {
    /// Database URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(long = "db", env = "FAZHI_DB", default_value = "sqlite://fazhi.db")]
    pub url: String,
    /// The root jurisdiction's log signing key file (mode 0600; created on first use). Default:
    /// beside the SQLite file (FILE.log-key), or fazhi-log.key in the current directory for
    /// PostgreSQL.
    #[arg(long = "log-key", env = "FAZHI_LOG_KEY")]
    pub log_key: Option<std::path::PathBuf>,
    /// The directory of the other jurisdictions' log keys and of the witness keys (mode 0700;
    /// created on first use). Default: beside the SQLite file (FILE.keys), or fazhi-keys in the
    /// current directory for PostgreSQL.
    #[arg(long = "key-dir", env = "FAZHI_KEY_DIR")]
    pub key_dir: Option<std::path::PathBuf>,
}

impl DbArg {
    /// Every jurisdiction's keys, where this database keeps them.
    pub fn keys(&self) -> KeyDir {
        key_dir(&self.url, self.log_key.as_deref(), self.key_dir.as_deref())
    }
}

/// The SQLite file of `url`, if it is one.
fn sqlite_file(url: &str) -> Option<&str> {
    url.strip_prefix("sqlite:").map(|rest| {
        rest.trim_start_matches("//")
            .split('?')
            .next()
            .unwrap_or("fazhi.db")
    })
}

/// Where the log's signing key lives for `url`, unless given.
pub fn key_path(url: &str, explicit: Option<&std::path::Path>) -> std::path::PathBuf {
    if let Some(path) = explicit {
        return path.to_owned();
    }
    match sqlite_file(url) {
        Some(file) => std::path::PathBuf::from(format!("{file}.log-key")),
        None => std::path::PathBuf::from("fazhi-log.key"),
    }
}

/// Every jurisdiction's keys for `url`: the root's log key at [`key_path`], the others in the
/// key directory (given, or beside the SQLite file, or `fazhi-keys` for PostgreSQL).
pub fn key_dir(
    url: &str,
    log_key: Option<&std::path::Path>,
    explicit: Option<&std::path::Path>,
) -> KeyDir {
    let dir = match (explicit, sqlite_file(url)) {
        (Some(dir), _) => dir.to_owned(),
        (None, Some(file)) => std::path::PathBuf::from(format!("{file}.keys")),
        (None, None) => std::path::PathBuf::from("fazhi-keys"),
    };
    KeyDir::new(dir, key_path(url, log_key))
}

/// The jurisdiction of `code`, or the root when none is given.
pub async fn jurisdiction_or_root(
    store: &Store,
    code: Option<&str>,
) -> anyhow::Result<Jurisdiction> {
    match code {
        Some(code) => store
            .jurisdiction_by_code(code)
            .await?
            .ok_or_else(|| anyhow!("辖区代码“{code}”不存在")),
        None => Ok(store.jurisdiction_by_id(ROOT_JURISDICTION).await?),
    }
}

/// Loads (or creates) the signing key of `jurisdiction`'s log, named after its log.
pub fn log_signer(
    keys: &KeyDir,
    jurisdiction: &Jurisdiction,
) -> anyhow::Result<fazhi_ledger::Signer> {
    keys.log_signer(jurisdiction)
        .map_err(|e| anyhow!("日志签名密钥不可用：{e}"))
}

/// Loads (or creates) the root's log signing key.
pub async fn root_signer(store: &Store, keys: &KeyDir) -> anyhow::Result<fazhi_ledger::Signer> {
    log_signer(keys, &jurisdiction_or_root(store, None).await?)
}

/// `fazhi init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    db: DbArg,
    /// The jurisdiction's name, e.g. 示范市滨河区 (can also be set later on the 辖区设置 page).
    #[arg(long)]
    jurisdiction: Option<String>,
    /// The jurisdiction's level: province, city, county or development_zone.
    #[arg(long, default_value = "county")]
    level: String,
    /// The jurisdiction's six-digit GB/T 2260 division code.
    #[arg(long)]
    code: Option<String>,
}

/// `fazhi serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    db: DbArg,
    /// Address to listen on.
    #[arg(long, env = "FAZHI_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Mark cookies Secure: set this when users reach Fazhi over HTTPS (e.g. behind a proxy).
    #[arg(long, env = "FAZHI_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Directory of procedure definitions (*.toml) replacing the built-in ones.
    #[arg(long, env = "FAZHI_PROCEDURES")]
    procedures: Option<std::path::PathBuf>,
}

/// `fazhi demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Database URL for the demo (a separate file by default, never your real database).
    #[arg(
        long = "db",
        env = "FAZHI_DEMO_DB",
        default_value = "sqlite://fazhi-demo.db"
    )]
    url: String,
    /// The log's signing key file (default: beside the demo database).
    #[arg(long = "log-key", env = "FAZHI_LOG_KEY")]
    log_key: Option<std::path::PathBuf>,
    /// The directory of the other keys (default: beside the demo database).
    #[arg(long = "key-dir", env = "FAZHI_KEY_DIR")]
    key_dir: Option<std::path::PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "FAZHI_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Seed of the demo's generated names: the same seed gives the same demo.
    #[arg(long, default_value_t = 2026)]
    seed: i64,
    /// The demo's year (default: last year).
    #[arg(long)]
    year: Option<i64>,
    /// Create the demo and exit without serving.
    #[arg(long)]
    no_serve: bool,
    /// Volume of the demo's year of cases: 1.0 is about 10,000 penalty cases, 250
    /// reconsiderations, 150 lawsuits and 150 disclosure requests; 0 makes none.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
}

/// Runs an async command on a fresh runtime and turns its error into one line and exit code 1.
pub fn run(command: impl Future<Output = anyhow::Result<()>>) -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("错误：无法启动运行时：{error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("错误：{}", explain(&error));
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let level = match std::env::var("FAZHI_LOG").as_deref() {
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        Ok("warn") => tracing::Level::WARN,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// One Chinese line for the failures a user can act on; the chain for the rest.
fn explain(error: &anyhow::Error) -> String {
    if let Some(store_error) = error.downcast_ref::<StoreError>() {
        return match store_error {
            StoreError::UnknownScheme(url) => format!(
                "不支持的数据库地址“{url}”：请使用 sqlite://文件名 或 postgres://用户@主机/数据库"
            ),
            StoreError::MissingFile(path) => {
                format!("数据库文件 {path} 不存在：请先运行 fazhi init --db sqlite://{path}")
            }
            StoreError::Unreachable { url, reason } => {
                format!("无法连接数据库 {url}：{reason}")
            }
            StoreError::NewerSchema { found, known } => format!(
                "数据库结构版本 {found} 比本程序支持的版本 {known} 新：请升级 fazhi 后再使用该数据库"
            ),
            StoreError::NotInitialised => "数据库尚未初始化：请先运行 fazhi init".to_owned(),
            other => format!("{error:#}: {other}"),
        };
    }
    if let Some(DemoError::NotADemoDatabase(name)) = error.downcast_ref::<DemoError>() {
        return format!(
            "该数据库保存的是“{name}”的正式数据，演示程序不会写入；请用 --db 指定新的演示数据库"
        );
    }
    if let Some(DemoError::NotEmpty) = error.downcast_ref::<DemoError>() {
        return "该数据库已有部门数据，演示程序不会写入；请用 --db 指定新的演示数据库".to_owned();
    }
    format!("{error:#}")
}

/// Binds the listening socket first, so an occupied port fails before anything is written.
async fn bind(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    let socket: SocketAddr = addr
        .parse()
        .map_err(|_| anyhow!("监听地址“{addr}”格式不正确，应为 主机:端口，例如 127.0.0.1:8080"))?;
    tokio::net::TcpListener::bind(socket)
        .await
        .map_err(|error| anyhow!("无法监听 {socket}（端口可能已被占用）：{error}"))
}

/// Opens the store and brings the schema up to date (refusing a newer one).
pub(crate) async fn open_current(url: &str, mode: OpenMode) -> anyhow::Result<Store> {
    let store = Store::open(url, mode).await?;
    match store.schema_status().await? {
        SchemaStatus::Empty if mode == OpenMode::MustExist => {
            return Err(StoreError::NotInitialised.into());
        }
        SchemaStatus::Current => {}
        _ => store.migrate().await?,
    }
    Ok(store)
}

/// `fazhi init`.
pub async fn init(args: InitArgs) -> anyhow::Result<()> {
    let clock = SystemClock;
    let jurisdiction = match (&args.jurisdiction, &args.code) {
        (Some(name), Some(code)) => Some(
            JurisdictionInput::parse(name, &args.level, code)
                .map_err(|errors| anyhow!("辖区信息有误：{errors:?}"))?,
        ),
        (None, None) => None,
        _ => return Err(anyhow!("--jurisdiction 与 --code 须同时给出")),
    };
    let store = open_current(&args.db.url, OpenMode::CreateIfMissing).await?;
    if let Some(jurisdiction) = &jurisdiction {
        store
            .set_jurisdiction(None, &to_db_time(clock.now()), jurisdiction, None)
            .await?;
    }
    if store.count_admins().await? > 0 {
        println!("数据库结构已是最新；管理员账号已存在，未作更改。");
        return Ok(());
    }
    let (password, generated) = match std::env::var("FAZHI_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => (password, false),
        _ => (fazhi_app::password::generate_password()?, true),
    };
    let input = AccountInput::parse("admin", Role::Admin.code(), "", "系统管理员", &password)
        .map_err(|_| anyhow!("FAZHI_ADMIN_PASSWORD 长度应为10至128个字符"))?;
    let hash = fazhi_app::password::hash(&password)?;
    store
        .create_user(None, &to_db_time(clock.now()), &input, &hash)
        .await
        .context("创建管理员账号失败")?;
    let signer = root_signer(&store, &args.db.keys()).await?;
    store
        .sign_checkpoint(ROOT_JURISDICTION, &signer, &to_db_time(clock.now()))
        .await?;
    println!("数据库已初始化。管理员账号：admin");
    println!(
        "日志签名密钥：{}（请妥善保管，勿放入数据库备份）",
        key_path(&args.db.url, args.db.log_key.as_deref()).display()
    );
    if generated {
        println!("管理员初始密码（仅显示这一次，请妥善保存）：{password}");
    } else {
        println!("管理员密码取自环境变量 FAZHI_ADMIN_PASSWORD。");
    }
    Ok(())
}

/// Serves `store` on `listener` until Ctrl-C.
async fn serve_on(
    listener: tokio::net::TcpListener,
    store: Store,
    secure_cookies: bool,
    procedures: Vec<fazhi_app::procedure::Procedure>,
    keys: KeyDir,
) -> anyhow::Result<()> {
    // Every key is loaded before serving, so the 日志验证 pages show them all; a key that cannot
    // be read stops start-up with its file and reason.
    fazhi_app::log_signing::load_keys(&store, &keys)
        .await
        .map_err(|e| anyhow!("日志密钥不可用：{e}"))?;
    let public_keys = keys.public_keys();
    // Checkpoints are signed and witnessed after commits, never inside a request: at start and
    // then every few seconds, for every log that has grown (and the keys of jurisdictions added
    // meanwhile are loaded).
    {
        let store = store.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                ticker.tick().await;
                if let Err(error) = fazhi_app::log_signing::load_keys(&store, &keys).await {
                    tracing::warn!(%error, "log keys not loaded");
                }
                if let Err(error) =
                    fazhi_app::log_signing::sign_and_witness(&store, &keys, SystemClock.now()).await
                {
                    tracing::warn!(%error, "checkpoints not signed");
                }
            }
        });
    }
    let calendar = fazhi_app::deadlines::OfficialCalendar::load()
        .map_err(|e| anyhow!("日历数据无法读取：{e}"))?;
    let state = AppState::new(
        store.clone(),
        Arc::new(SystemClock),
        WebConfig { secure_cookies },
        procedures,
        Arc::new(calendar),
        None,
    )
    .map_err(|e| anyhow!("指标目录无效：{e}"))?
    .with_public_keys(public_keys);
    let app = web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let addr = listener.local_addr()?;
    println!("Fazhi 已启动：http://{addr}  （按 Ctrl-C 停止）");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("服务异常退出")?;
    store.close().await;
    Ok(())
}

/// Loads and validates the procedure definitions; a bad definition stops start-up with its file,
/// line and reason.
fn load_procedures(
    dir: Option<&std::path::Path>,
) -> anyhow::Result<Vec<fazhi_app::procedure::Procedure>> {
    let loaded = match dir {
        Some(dir) => fazhi_app::procedure::load_dir(dir),
        None => fazhi_app::procedure::load_embedded(),
    };
    loaded.map_err(|errors| {
        anyhow!(
            "程序定义文件有误（共{}处），无法启动：\n{errors}",
            errors.0.len()
        )
    })
}

/// `fazhi serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let procedures = load_procedures(args.procedures.as_deref())?;
    tracing::debug!(
        n_procedures = procedures.len(),
        "procedure definitions loaded"
    );
    let listener = bind(&args.addr).await?;
    let store = open_current(&args.db.url, OpenMode::MustExist).await?;
    if store.count_admins().await? == 0 {
        return Err(StoreError::NotInitialised.into());
    }
    serve_on(
        listener,
        store,
        args.secure_cookies,
        procedures,
        args.db.keys(),
    )
    .await
}

/// `fazhi demo`.
pub async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let clock = SystemClock;
    let year = args
        .year
        .unwrap_or_else(|| i64::from(clock.now().year()) - 1);
    if !(2015..=2100).contains(&year) {
        return Err(anyhow!("--year 应在 2015 至 2100 之间"));
    }
    let procedures = load_procedures(None)?;
    let listener = if args.no_serve {
        None
    } else {
        Some(bind(&args.addr).await?)
    };
    let store = open_current(&args.url, OpenMode::CreateIfMissing).await?;
    match demo::ensure_demo(&store, args.seed, year, clock.now()).await? {
        DemoOutcome::Created {
            n_departments,
            n_people,
        } => println!(
            "已创建演示辖区 示范市（虚构）及其滨河区、临江区、云岭县：{n_departments} 个部门，{n_people} 名人员，年度 {year}，种子 {}；用时 {:.1} 秒。",
            args.seed,
            started.elapsed().as_secs_f64()
        ),
        DemoOutcome::Reused { seed, year } => {
            println!("沿用已有的演示数据库（种子 {seed}，年度 {year}）。")
        }
    }
    if args.scale > 0.0 {
        let procedures_ref = &procedures;
        let calendar = fazhi_app::deadlines::OfficialCalendar::load()
            .map_err(|e| anyhow!("日历数据无法读取：{e}"))?;
        let started = Instant::now();
        let progress = |done: usize, total: usize| {
            eprint!("\r正在通过办案引擎生成演示年度案件：{done}/{total}");
            if done == total {
                eprintln!();
            }
        };
        let year_i32 = i32::try_from(year).unwrap_or(2025);
        let counts = fazhi_app::demo::cases::generate_year(
            &store,
            procedures_ref,
            &calendar,
            args.seed,
            year_i32,
            args.scale.min(10.0),
            clock.now(),
            &progress,
        )
        .await
        .map_err(|e| anyhow!("生成演示案件失败：{e}"))?;
        if counts.steps > 0 {
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "已生成 {year} 年度案件：行政处罚 {} 件、行政复议 {} 件、行政应诉 {} 件、依申请公开 {} 件；共 {} 个办理步骤，用时 {:.1} 秒（{:.0} 步/秒）。",
                counts.cases.get("penalty").unwrap_or(&0),
                counts.cases.get("reconsideration").unwrap_or(&0),
                counts.cases.get("litigation").unwrap_or(&0),
                counts.cases.get("disclosure").unwrap_or(&0),
                counts.steps,
                seconds,
                counts.steps as f64 / seconds.max(0.001)
            );
        }
    }
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures)
        .map_err(|e| anyhow!("指标目录无效：{e}"))?;
    let made = fazhi_app::demo::report::ensure_report(
        &store,
        &catalogue,
        args.seed,
        i32::try_from(year).unwrap_or(2025),
        &to_db_time(clock.now()),
    )
    .await?;
    if made.published > 0 {
        println!(
            "已生成 {year} 年度部门填报 {} 份（{} 个部门尚未填报），由统计数据起草并发布 {} 个辖区的年度报告；{} 逾期未报。",
            made.submissions,
            made.unsubmitted,
            made.published,
            made.late.join("、")
        );
    }
    let keys = key_dir(&args.url, args.log_key.as_deref(), args.key_dir.as_deref());
    let signer = root_signer(&store, &keys).await?;
    // Every place's log is signed by its own key and witnessed by the city, as the server's
    // background round does, so that each log's checkpoint exists before anyone asks for a
    // proof.
    fazhi_app::log_signing::load_keys(&store, &keys)
        .await
        .map_err(|e| anyhow!("日志密钥无法读取：{e}"))?;
    let round = fazhi_app::log_signing::sign_and_witness(&store, &keys, clock.now())
        .await
        .map_err(|e| anyhow!("日志检查点未能签名：{e}"))?;
    if let Some(checkpoint) = store.latest_checkpoint(ROOT_JURISDICTION).await? {
        println!(
            "日志检查点：{} 个辖区的日志已签名，{} 个由上级见证；示范市日志 {} 条记录（公钥 {}）。",
            round.signed.len(),
            round.cosigned.len(),
            checkpoint.tree_size,
            signer.verifier().to_key_string()
        );
    }
    println!("演示账号（滨河区每个角色一个，另有示范市的管理员和司法局）：");
    for (username, password, role, _, name) in demo::DEMO_ACCOUNTS {
        let place = demo::PLACES
            .get(demo::place_of_account(username))
            .map_or("", |p| p.name);
        println!(
            "  {:<10} 密码 {:<20} {}（{}，{}）",
            username,
            password,
            fazhi_app::web::messages::role_label(role),
            name,
            place
        );
    }
    match listener {
        Some(listener) => serve_on(listener, store, false, procedures, keys).await,
        None => {
            store.close().await;
            Ok(())
        }
    }
}

/// `fazhi token`.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for an account; it is printed once and stored only hashed.
    Create {
        #[command(flatten)]
        db: DbArg,
        /// The account's sign-in name.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "API")]
        label: String,
    },
}

/// `fazhi token create`.
pub async fn create_token(db: DbArg, user: String, label: String) -> anyhow::Result<()> {
    let store = Store::open_and_migrate(&db.url, OpenMode::MustExist).await?;
    let account = store
        .user_by_username(&user)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| anyhow!("账号“{user}”不存在或已停用"))?;
    let token = fazhi_app::password::random_token(32)?;
    store
        .create_api_token(account.id, &token, &label, &to_db_time(SystemClock.now()))
        .await?;
    println!("{token}");
    eprintln!("已为账号 {user} 创建 API 令牌（仅显示这一次）。用法：Authorization: Bearer <令牌>");
    Ok(())
}
