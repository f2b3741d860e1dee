//! The one store API over SQLite (the default, a file) and PostgreSQL, through sqlx's `Any`
//! driver so that one binary and one set of queries serve both.
//!
//! Contract: every method that changes a record runs in one transaction that also appends an
//! [`events`] row describing the change; after `Ok` both are durable, after `Err` neither is.
//! Queries use `$N` placeholders, which both SQLite and PostgreSQL accept. Values cross the
//! driver as the `Any` value set allows (see `dependencies.md`): times are RFC 3339 `TEXT`,
//! booleans `INTEGER` 0/1, integers `BIGINT`.
//!
//! Handlers never run SQL; they call the functions of this module's submodules.

pub mod attachments;
pub mod auth;
pub mod cases;
pub mod certificates;
pub mod events;
pub mod external;
pub mod jurisdictions;
pub mod ledger;
pub mod org;
pub mod registries;
pub mod reports;
pub mod statistics;
pub mod supervision;
pub mod witness;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::domain::FieldErrors;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (embedded).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// How [`Store::open`] treats a database that does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create an SQLite file if missing (`init`, `demo`).
    CreateIfMissing,
    /// Refuse a missing SQLite file (`serve`, `ledger`): a typo in the path must not silently
    /// start an empty system.
    MustExist,
}

/// Where the schema stands relative to this program's migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaStatus {
    /// No migration has run.
    Empty,
    /// Some but not all of this program's migrations have run.
    Behind,
    /// All of this program's migrations, and no others, have run.
    Current,
}

/// A failure of the store, by kind. The CLI and the web layer turn these into one clear line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The URL names neither `sqlite:` nor `postgres:`/`postgresql:`.
    #[error("unsupported database URL scheme in {0:?}: use sqlite://FILE or postgres://…")]
    UnknownScheme(String),
    /// The SQLite file does not exist and the mode forbids creating it.
    #[error("database file {0} does not exist; run `fazhi init` first")]
    MissingFile(String),
    /// The database could not be reached or opened.
    #[error("cannot open database {url}: {reason}")]
    Unreachable {
        /// The URL with any password removed.
        url: String,
        /// The driver's reason.
        reason: String,
    },
    /// The database carries migrations this program does not know: it was written by a newer
    /// version of Fazhi.
    #[error("database schema version {found} is newer than this program's {known}; upgrade fazhi")]
    NewerSchema {
        /// The highest migration version found in the database.
        found: i64,
        /// The highest migration version this program has.
        known: i64,
    },
    /// The schema has not been created (`fazhi init` has not run).
    #[error("database is not initialised; run `fazhi init` first")]
    NotInitialised,
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A record asked for does not exist.
    #[error("record not found")]
    NotFound,
    /// Submitted values break a rule only the store can check (e.g. a duplicate name).
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// A stored value could not be read back (a JSON column that does not decode).
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
    /// A running total (a year's tally of fines) would exceed what it may hold
    /// ([`statistics::MAX_TALLY_FEN`]); nothing was written.
    #[error("a running total would exceed its bound")]
    TotalOutOfRange,
    /// Any other database error.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

/// The jurisdiction a database starts with: the root of its tree, the one every row belonged to
/// before jurisdictions formed a tree (migration 0011).
pub const ROOT_JURISDICTION: i64 = 1;

/// How far up the tree a lookup by id may reach: the subtree of one jurisdiction. A request
/// looks up the records it names within the signed-in account's [`Reach::of`] (a record of a
/// sibling jurisdiction is not found); the system itself ([`Reach::EVERYTHING`]) reaches all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach(pub i64);

impl Reach {
    /// Every jurisdiction of the deployment (the root's subtree).
    pub const EVERYTHING: Reach = Reach(ROOT_JURISDICTION);

    /// What `subject` may reach: its jurisdiction and everything below it. Within that, `authz`
    /// decides what its role may see and do.
    pub fn of(subject: &crate::authz::Subject) -> Reach {
        Reach(subject.jurisdiction_id)
    }
}

/// The jurisdiction a record belongs to, read inside the caller's transaction: whose log its
/// events go to and whose registries, numbering and tallies it takes part in.
pub(crate) async fn jurisdiction_of(
    tx: &mut sqlx::AnyConnection,
    record: Record,
) -> Result<i64, StoreError> {
    let (sql, id) = match record {
        Record::Department(id) => ("SELECT jurisdiction_id FROM departments WHERE id = $1", id),
        Record::Person(id) => (
            "SELECT d.jurisdiction_id FROM people p JOIN departments d ON d.id = p.department_id \
             WHERE p.id = $1",
            id,
        ),
        Record::Case(id) => ("SELECT jurisdiction_id FROM cases WHERE id = $1", id),
        Record::Account(id) => ("SELECT jurisdiction_id FROM users WHERE id = $1", id),
    };
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A record whose jurisdiction [`jurisdiction_of`] reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Record {
    Department(i64),
    Person(i64),
    Case(i64),
    Account(i64),
}

/// A refusal of one field's value, with its message code.
pub(crate) fn invalid(field: &'static str, code: &'static str) -> StoreError {
    StoreError::Invalid(crate::domain::FieldErrors(vec![
        crate::domain::FieldError { field, code },
    ]))
}

/// SQL: `column` (a jurisdiction id) lies in the subtree of the jurisdiction bound at
/// `placeholder` (migration 0012: one indexed lookup). Every supervisor's query, and every lookup
/// by id for a jurisdiction-wide scope, goes through it or [`department_in_scope_sql`].
pub(crate) fn in_subtree_sql(column: &str, placeholder: &str) -> String {
    format!(
        "{column} IN (SELECT descendant_id FROM jurisdiction_closure WHERE ancestor_id = {placeholder})"
    )
}

/// SQL: `column` (a department id) lies inside the [`scope_binds`] bound at `$k` and `$k+1`:
/// a department of the subtree of jurisdiction `$k`, or department `$k+1` itself.
pub(crate) fn department_in_scope_sql(column: &str, k: usize) -> String {
    let subtree = in_subtree_sql("jurisdiction_id", &format!("${k}"));
    format!(
        "({column} IN (SELECT id FROM departments WHERE {subtree}) OR {column} = ${})",
        k + 1
    )
}

/// `(subtree root, department)` bind values for [`department_in_scope_sql`]: a jurisdiction-wide
/// scope binds its subtree's root (no jurisdiction has id 0, so 0 is an empty subtree), a
/// department scope its department (-1: none).
pub(crate) fn scope_binds(scope: crate::authz::Scope) -> (i64, i64) {
    use crate::authz::Scope;
    match scope {
        Scope::All | Scope::Subtree(_) => (scope.subtree_root().unwrap_or(0), 0),
        Scope::Department(id) => (0, id),
        Scope::Nothing => (0, -1),
    }
}

/// A handle on the database; cheap to clone (a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The URL with its password (if any) replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = url.get(scheme_end + 3..at).unwrap_or_default();
            match credentials.split_once(':') {
                Some((user, _)) => format!(
                    "{}://{}:***@{}",
                    url.get(..scheme_end).unwrap_or_default(),
                    user,
                    url.get(at + 1..).unwrap_or_default()
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The backend a URL selects, or an error for an unknown scheme.
pub fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::UnknownScheme(redact_url(url)))
    }
}

/// The file path inside an SQLite URL (`sqlite://fazhi.db`, `sqlite:fazhi.db?mode=rwc`).
fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

impl Store {
    /// Opens the database at `url` (without migrating it).
    pub async fn open(url: &str, mode: OpenMode) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let unreachable = |error: sqlx::Error| StoreError::Unreachable {
            url: redact_url(url),
            reason: error.to_string(),
        };
        let connect_url = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url);
                if path.is_empty() || path == ":memory:" {
                    return Err(StoreError::Unreachable {
                        url: redact_url(url),
                        reason:
                            "an in-memory database would vanish between connections; give a file"
                                .into(),
                    });
                }
                let exists = std::path::Path::new(path).exists();
                if !exists && mode == OpenMode::MustExist {
                    return Err(StoreError::MissingFile(path.to_owned()));
                }
                format!("sqlite://{path}?mode=rwc")
            }
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&connect_url).map_err(unreachable)?;
        let max_connections = match backend {
            // SQLite has one writer at a time; a few readers keep pages responsive.
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        connection
                            .execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                            )
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        Ok(Store { pool, backend })
    }

    /// Opens the database and brings its schema up to date, refusing one from a newer Fazhi.
    pub async fn open_and_migrate(url: &str, mode: OpenMode) -> Result<Store, StoreError> {
        let store = Store::open(url, mode).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads and then writes fails with "database is
    /// locked" when another writer got in between, instead of waiting its turn and then seeing
    /// the other's result (which is what the version gate of the case service relies on).
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// The connection pool, for the store's submodules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Where the schema stands; an error if the database is from a newer Fazhi.
    pub async fn schema_status(&self) -> Result<SchemaStatus, StoreError> {
        let table_exists: i64 = match self.backend {
            Backend::Sqlite => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_one(&self.pool)
                .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
                )
                .fetch_one(&self.pool)
                .await?
            }
        };
        if table_exists == 0 {
            return Ok(SchemaStatus::Empty);
        }
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&self.pool)
            .await?;
        let migrator = self.migrator();
        let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        if let Some(unknown) = applied
            .iter()
            .copied()
            .find(|v| !migrator.version_exists(*v))
        {
            return Err(StoreError::NewerSchema {
                found: applied.iter().copied().max().unwrap_or(unknown),
                known,
            });
        }
        if applied.is_empty() {
            Ok(SchemaStatus::Empty)
        } else if migrator.iter().all(|m| applied.contains(&m.version)) {
            Ok(SchemaStatus::Current)
        } else {
            Ok(SchemaStatus::Behind)
        }
    }

    /// Runs the migrations found in `dir` only (tests: a database as an earlier Fazhi left it,
    /// migrated to an older version, then brought up to date by [`Store::migrate`]).
    #[doc(hidden)]
    pub async fn migrate_from_dir(&self, dir: &std::path::Path) -> Result<(), StoreError> {
        Migrator::new(dir)
            .await
            .map_err(|error| StoreError::Migration(error.to_string()))?
            .run(&self.pool)
            .await
            .map_err(|error| StoreError::Migration(error.to_string()))
    }

    /// Runs the migrations this database has not had. Safe to call repeatedly.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.schema_status().await? == SchemaStatus::Current {
            return Ok(());
        }
        self.migrator()
            .run(&self.pool)
            .await
            .map_err(|error| StoreError::Migration(error.to_string()))?;
        // Events journaled before the log existed get their leaves now, in order.
        self.backfill_ledgers().await?;
        // Steps recorded before the step tallies existed are counted now.
        let untallied: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM case_steps) AND NOT EXISTS (SELECT 1 FROM step_tallies) \
             THEN 1 ELSE 0 END",
        )
        .fetch_one(&self.pool)
        .await?;
        if untallied == 1 {
            self.rebuild_tallies().await?;
        }
        Ok(())
    }

    /// Runs one statement with no parameters (administration: schemas, tests' sabotage).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// Runs one counting query with no parameters (administration, tests' recounts).
    pub async fn count_raw(&self, sql: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&self.pool)
            .await?)
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }
}

/// Turns a unique-constraint violation into a field error; other errors pass through.
pub(crate) fn unique_violation_as(
    error: sqlx::Error,
    field: &'static str,
    code: &'static str,
) -> StoreError {
    match &error {
        sqlx::Error::Database(database_error) if database_error.is_unique_violation() => {
            StoreError::Invalid(FieldErrors(vec![crate::domain::FieldError { field, code }]))
        }
        _ => StoreError::Sql(error),
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows on this page.
    pub items: Vec<T>,
    /// Rows matching the filter, over all pages.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// The number of pages (at least 1).
    pub fn n_pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern and wraps it in `%…%`.
pub(crate) fn like_pattern(query: &str) -> String {
    let mut pattern = String::with_capacity(query.len() + 2);
    pattern.push('%');
    for c in query.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted_and_classified() {
        assert_eq!(
            redact_url("postgres://fazhi:secret@db:5432/fazhi"),
            "postgres://fazhi:***@db:5432/fazhi"
        );
        assert_eq!(redact_url("sqlite://fazhi.db"), "sqlite://fazhi.db");
        assert_eq!(backend_of("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            backend_of("postgresql://h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(matches!(
            backend_of("mysql://h/db"),
            Err(StoreError::UnknownScheme(_))
        ));
        assert_eq!(
            sqlite_path("sqlite://data/fazhi.db?mode=rwc"),
            "data/fazhi.db"
        );
        assert_eq!(sqlite_path("sqlite:fazhi.db"), "fazhi.db");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" 100%_x "), "%100\\%\\_x%");
    }
}
