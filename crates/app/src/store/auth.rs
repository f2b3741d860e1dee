//! Staff accounts, server-side sessions and the sign-in attempt record used for throttling
//! ([`Store::admit_login_attempt`]).
//!
//! Session tokens are stored hashed (SHA-256), so a copy of the database does not let anyone
//! sign in as a user; the cookie carries the token itself.

use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::events::{self, NewEvent};
use super::{Backend, Store, StoreError};
use crate::domain::{AccountInput, Role};

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// PHC string of the Argon2id hash.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Department, for department-scoped roles.
    pub department_id: Option<i64>,
    /// The jurisdiction the account works for (its department's, for department roles).
    pub jurisdiction_id: i64,
    /// Name shown in the UI.
    pub display_name: String,
    /// Whether the account may sign in.
    pub active: bool,
}

/// A live session joined with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The signed-in user.
    pub user: User,
    /// The session's CSRF token, to be echoed by every state-changing request.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: String,
}

fn user_from_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::from_code(&role).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "role".into(),
            source: format!("unknown role {role:?}").into(),
        })?,
        department_id: row.try_get("department_id")?,
        jurisdiction_id: row.try_get("jurisdiction_id")?,
        display_name: row.try_get("display_name")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

const USER_COLUMNS: &str = "u.id, u.username, u.password_hash, u.role, u.department_id, u.jurisdiction_id, u.display_name, u.active";

/// SHA-256 of a session token, hex; what the sessions table keys on.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl User {
    /// The account as the actor of what it does.
    pub fn subject(&self) -> crate::authz::Subject {
        crate::authz::Subject {
            user_id: self.id,
            role: self.role,
            department_id: self.department_id,
            jurisdiction_id: self.jurisdiction_id,
        }
    }
}

impl Store {
    /// The account with this sign-in name, active or not.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"
        )))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    /// The accounts of the jurisdictions within `reach`, by id.
    pub async fn users_within(&self, reach: super::Reach) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE {} ORDER BY u.id",
            super::in_subtree_sql("u.jurisdiction_id", "$1")
        )))
        .bind(reach.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    /// One account within `reach`.
    pub async fn user_within(&self, reach: super::Reach, id: i64) -> Result<User, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND {}",
            super::in_subtree_sql("u.jurisdiction_id", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(user_from_row(&row)?)
    }

    /// Every account, by id.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.id"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    /// Number of active administrators.
    pub async fn count_admins(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Creates an account with an already-hashed password.
    pub async fn create_user(
        &self,
        actor: Option<i64>,
        at: &str,
        input: &AccountInput,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = Self::create_user_in(&mut tx, actor, at, input, password_hash).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::create_user`] inside the caller's transaction.
    pub async fn create_user_in(
        tx: &mut sqlx::AnyConnection,
        actor: Option<i64>,
        at: &str,
        input: &AccountInput,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        // A department role works where its department is; a jurisdiction-wide role for the
        // jurisdiction it names, which must exist.
        let jurisdiction_id = match input.department_id {
            Some(department_id) => sqlx::query_scalar::<_, i64>(
                "SELECT jurisdiction_id FROM departments WHERE id = $1 AND active = 1",
            )
            .bind(department_id)
            .fetch_optional(&mut *tx)
            .await?
            .filter(|j| *j == input.jurisdiction_id)
            .ok_or_else(|| super::invalid("department_id", "unknown_department"))?,
            None => sqlx::query_scalar::<_, i64>("SELECT id FROM jurisdictions WHERE id = $1")
                .bind(input.jurisdiction_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| super::invalid("jurisdiction_id", "unknown_jurisdiction"))?,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, person_id, department_id, \
             display_name, active, created_at, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
        )
        .bind(&input.username)
        .bind(password_hash)
        .bind(input.role.code())
        .bind(input.person_id)
        .bind(input.department_id)
        .bind(&input.display_name)
        .bind(at)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "username", "duplicate_username"))?;
        // The password hash is not journaled: the journal is for what was decided, not secrets.
        events::append(
            &mut *tx,
            jurisdiction_id,
            &NewEvent {
                kind: "account.created",
                subject: format!("account:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: json!({
                    "username": input.username,
                    "role": input.role.code(),
                    "department_id": input.department_id,
                    "person_id": input.person_id,
                }),
            },
        )
        .await?;
        Ok(id)
    }

    /// Activates or deactivates an account; deactivation also ends its sessions.
    pub async fn set_user_active(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        active: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_rows = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n_rows == 0 {
            return Err(StoreError::NotFound);
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let jurisdiction_id = super::jurisdiction_of(&mut tx, super::Record::Account(id)).await?;
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: if active {
                    "account.reactivated"
                } else {
                    "account.deactivated"
                },
                subject: format!("account:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: json!({"active": active}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a session for `user_id`, keyed by the hash of `token`.
    pub async fn create_session(
        &self,
        user_id: i64,
        token: &str,
        csrf_token: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let mut connection = self.pool().acquire().await?;
        insert_session(
            &mut connection,
            user_id,
            token,
            csrf_token,
            created_at,
            expires_at,
        )
        .await
    }

    /// The live session for `token` at time `now` (expired sessions and inactive users give
    /// `None`).
    pub async fn session(
        &self,
        token: &str,
        now: &str,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        )))
        .bind(token_hash(token))
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(SessionRecord {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    /// Ends the session for `token`, and removes every expired session.
    pub async fn delete_session(&self, token: &str, now: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash(token))
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Counts a sign-in attempt against the throttle and decides, before any password is
    /// checked, whether it may go ahead.
    ///
    /// Counting and recording happen in one transaction that holds a lock on the account and on
    /// the address (on SQLite the write lock of `BEGIN IMMEDIATE`; on PostgreSQL transaction
    /// advisory locks on both keys), so concurrent attempts are decided one after another and
    /// each sees the attempts admitted before it. An admitted attempt is recorded as failed; only
    /// [`Store::complete_login`] turns it into a success. So within the window no more than
    /// `max_per_user` passwords are checked for an account and no more than `max_per_client`
    /// from an address, however many requests arrive at once.
    pub async fn admit_login_attempt(
        &self,
        username: &str,
        client: &str,
        at: &str,
        limits: LoginLimits<'_>,
    ) -> Result<LoginAttempt, StoreError> {
        let mut tx = self.begin().await?;
        if self.backend() == Backend::Postgres {
            // Taken in ascending order, so two attempts never wait on each other's second lock.
            let mut keys = [
                advisory_key("login-user", username),
                advisory_key("login-client", client),
            ];
            keys.sort_unstable();
            for key in keys {
                // The function returns `void`, which the `Any` driver cannot decode; select a
                // constant from it instead.
                sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if failures_for_client(&mut tx, client, limits.since).await? >= limits.max_per_client {
            tx.rollback().await?;
            return Ok(LoginAttempt::ClientBlocked);
        }
        let (n_failures, latest) = failures_for_user(&mut tx, username, limits.since).await?;
        if n_failures >= limits.max_per_user {
            tx.rollback().await?;
            return Ok(LoginAttempt::AccountLocked { latest });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO login_attempts (username, client, at, succeeded) \
             VALUES ($1, $2, $3, 0) RETURNING id",
        )
        .bind(username)
        .bind(client)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(LoginAttempt::Admitted(id))
    }

    /// Marks the admitted attempt `attempt_id` succeeded and starts a session for `user_id`
    /// keyed by the hash of `token`, in one transaction.
    pub async fn complete_login(
        &self,
        attempt_id: i64,
        user_id: i64,
        token: &str,
        csrf_token: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_rows = sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1")
            .bind(attempt_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n_rows == 0 {
            return Err(StoreError::NotFound);
        }
        insert_session(&mut tx, user_id, token, csrf_token, created_at, expires_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Failed (or not yet verified) attempts for `username` after `since` and after its last
    /// success, with the time of the latest one.
    pub async fn recent_failures_for_user(
        &self,
        username: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), StoreError> {
        let mut connection = self.pool().acquire().await?;
        failures_for_user(&mut connection, username, since).await
    }

    /// Failed (or not yet verified) attempts from `client` after `since`.
    pub async fn recent_failures_for_client(
        &self,
        client: &str,
        since: &str,
    ) -> Result<i64, StoreError> {
        let mut connection = self.pool().acquire().await?;
        failures_for_client(&mut connection, client, since).await
    }
}

/// The throttle's limits, set by the web layer.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits<'a> {
    /// Start of the window: only attempts after it count.
    pub since: &'a str,
    /// Failures since the last success that lock an account.
    pub max_per_user: i64,
    /// Failures that block a client address.
    pub max_per_client: i64,
}

/// What [`Store::admit_login_attempt`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Recorded (as failed until [`Store::complete_login`]); its password may be checked once.
    Admitted(i64),
    /// The address has had too many failures in the window.
    ClientBlocked,
    /// The account has had too many failures since its last success.
    AccountLocked {
        /// When the latest of them was made.
        latest: Option<String>,
    },
}

/// A PostgreSQL advisory lock key for `value` in the namespace `kind` (64 bits of SHA-256, so
/// keys of different accounts or addresses practically never share a lock).
fn advisory_key(kind: &str, value: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update([0u8])
        .chain_update(value.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    for (byte, digest_byte) in first.iter_mut().zip(digest.iter()) {
        *byte = *digest_byte;
    }
    i64::from_be_bytes(first)
}

async fn insert_session(
    connection: &mut sqlx::AnyConnection,
    user_id: i64,
    token: &str,
    csrf_token: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(token))
    .bind(user_id)
    .bind(csrf_token)
    .bind(created_at)
    .bind(expires_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

// "Since the last success" compares ids, not times: times have whole seconds, and ids follow the
// order in which attempts were admitted under the lock.
async fn failures_for_user(
    connection: &mut sqlx::AnyConnection,
    username: &str,
    since: &str,
) -> Result<(i64, Option<String>), StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(at) AS latest FROM login_attempts \
         WHERE username = $1 AND succeeded = 0 AND at > $2 AND id > COALESCE( \
           (SELECT MAX(id) FROM login_attempts WHERE username = $1 AND succeeded = 1), 0)",
    )
    .bind(username)
    .bind(since)
    .fetch_one(&mut *connection)
    .await?;
    Ok((row.try_get("n")?, row.try_get("latest")?))
}

async fn failures_for_client(
    connection: &mut sqlx::AnyConnection,
    client: &str,
    since: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE client = $1 AND succeeded = 0 AND at > $2",
    )
    .bind(client)
    .bind(since)
    .fetch_one(&mut *connection)
    .await?)
}

impl Store {
    /// Records a personal API token for `user_id` (only its hash is kept).
    pub async fn create_api_token(
        &self,
        user_id: i64,
        token: &str,
        label: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash(token))
            .bind(user_id)
            .bind(label)
            .bind(at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The active user a token belongs to.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active = 1"
        )))
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }
}
