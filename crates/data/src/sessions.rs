//! Server-side sessions. The cookie holds a random token; the table holds its hash.

use super::accounts::{Credentials, Principal};
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use roster_types::StaffPermission;
use std::sync::LazyLock;
use uuid::Uuid;

/// How far a session has come: `code` and `enrol` are the short-lived steps between the
/// password and the second factor, and grant nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Full,
    Code,
    Enrol,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Code => "code",
            Stage::Enrol => "enrol",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Stage::Full),
            "code" => Some(Stage::Code),
            "enrol" => Some(Stage::Enrol),
            _ => None,
        }
    }
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub principal: Principal,
    pub account_id: Uuid,
    pub stage: Stage,
    pub expires_at: DateTime<Utc>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub id: Uuid,
    pub account_id: Uuid,
    pub stage: Stage,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Option<Uuid>,
    stage: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl Row {
    /// The session, unless it has expired (or names no account of the kind asked about).
    /// Expiry is compared here, not in SQL, so both engines agree exactly.
    fn live(self) -> Option<Session> {
        Some(Session {
            id: self.id,
            account_id: self.account_id?,
            stage: Stage::parse(&self.stage)?,
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            expires_at: self.expires_at,
        })
        .filter(|s| s.expires_at > now())
    }
}

pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let t = now();
    let sql = format!(
        "INSERT INTO sessions (id, token_hash, {}, stage, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        s.principal.session_column()
    );
    tx.sql()
        .execute(
            &sql,
            (
                id,
                s.token_hash,
                s.account_id,
                s.stage.code(),
                t,
                s.expires_at,
                s.ip,
                s.user_agent,
            ),
        )
        .await?;
    Ok(id)
}

/// The unexpired session of this kind behind a token hash.
pub async fn find(db: &Db, p: Principal, token_hash: &str) -> Result<Option<Session>, DbError> {
    let sql = format!(
        "SELECT id, {} AS account_id, stage, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
        p.session_column()
    );
    let row: Option<Row> = db.sql().fetch_optional::<Row>(&sql, (token_hash,)).await?;
    Ok(row.and_then(Row::live))
}

/// Who a full session's cookie signs in: the session, its account and, for staff, their
/// permissions.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session: Session,
    pub account: Credentials,
    /// Staff permissions, sorted; empty for a user (theirs are per client).
    pub permissions: Vec<StaffPermission>,
}

#[derive(sqlx::FromRow)]
struct SignedInRow {
    session_id: Uuid,
    stage: String,
    session_created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[sqlx(flatten)]
    account: Credentials,
    permissions: String,
}

/// The session behind `token_hash` with its account and permissions, in one query: every
/// signed-in request asks this first, and each query is a round trip (on SQLite, thread
/// hand-offs to the connection's worker). Unexpired sessions of any stage; the caller
/// decides what a stage grants.
pub async fn signed_in(
    db: &Db,
    p: Principal,
    token_hash: &str,
) -> Result<Option<SignedIn>, DbError> {
    let sql = signed_in_sql(p);
    let Some(r) = db
        .sql()
        .fetch_optional::<SignedInRow>(sql, (token_hash,))
        .await?
    else {
        return Ok(None);
    };
    let session = Row {
        id: r.session_id,
        account_id: Some(r.account.id),
        stage: r.stage,
        created_at: r.session_created_at,
        last_seen_at: r.last_seen_at,
        expires_at: r.expires_at,
    };
    Ok(session.live().map(|session| SignedIn {
        session,
        account: r.account,
        permissions: super::staff::parse_permissions(&r.permissions),
    }))
}

/// The query of [`signed_in`] for a kind of account, written once: every signed-in
/// request asks it.
fn signed_in_sql(p: Principal) -> &'static str {
    static STAFF: LazyLock<String> = LazyLock::new(|| signed_in_query(Principal::Staff));
    static USER: LazyLock<String> = LazyLock::new(|| signed_in_query(Principal::User));
    match p {
        Principal::Staff => &STAFF,
        Principal::User => &USER,
    }
}

fn signed_in_query(p: Principal) -> String {
    let permissions = match p {
        Principal::Staff => super::staff::permissions_of("a.id"),
        Principal::User => "''".to_string(),
    };
    format!(
        "SELECT s.id AS session_id, s.stage, s.created_at AS session_created_at,
                s.last_seen_at, s.expires_at, a.*, {permissions} AS permissions
         FROM sessions s JOIN (SELECT {columns} FROM {table}) a ON a.id = s.{account}
         WHERE s.token_hash = $1",
        columns = p.columns(),
        table = p.table(),
        account = p.session_column(),
    )
}

pub async fn touch(db: &Db, id: Uuid, expires_at: DateTime<Utc>) -> Result<(), DbError> {
    db.sql()
        .execute(
            "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
            (now(), expires_at, id),
        )
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    let r = tx
        .sql()
        .execute("DELETE FROM sessions WHERE id = $1", (id,))
        .await?;
    Ok(r > 0)
}

/// Housekeeping: drop sessions past their expiry. Timestamps are written by one encoder
/// on each engine, so comparing them in SQL is exact on both.
pub async fn delete_expired(db: &Db) -> Result<u64, DbError> {
    let r = db
        .sql()
        .execute("DELETE FROM sessions WHERE expires_at <= $1", (now(),))
        .await?;
    Ok(r)
}

pub async fn delete_for_account(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
) -> Result<u64, DbError> {
    let sql = format!("DELETE FROM sessions WHERE {} = $1", p.session_column());
    let r = tx.sql().execute(&sql, (account_id,)).await?;
    Ok(r)
}

/// End every session of a user (deactivated, password reset, 2FA switched).
pub async fn delete_for_user(tx: &mut Tx, user_id: Uuid) -> Result<u64, DbError> {
    let r = tx
        .sql()
        .execute("DELETE FROM sessions WHERE user_id = $1", (user_id,))
        .await?;
    Ok(r)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ip: String,
    user_agent: String,
}

/// A user's signed-in sessions (not the short steps between password and code), newest
/// first.
pub async fn list_for_user(
    db: &Db,
    user_id: Uuid,
) -> Result<Vec<roster_types::account::SessionRow>, DbError> {
    list_for(db, Principal::User, user_id).await
}

/// An account's signed-in sessions, newest first.
pub async fn list_for(
    db: &Db,
    p: Principal,
    account_id: Uuid,
) -> Result<Vec<roster_types::account::SessionRow>, DbError> {
    let sql = format!(
        "SELECT id, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions
         WHERE {} = $1 AND stage = 'full' ORDER BY last_seen_at DESC",
        p.session_column()
    );
    let rows: Vec<ListRow> = db.sql().fetch_all(&sql, (account_id,)).await?;
    let t = now();
    Ok(rows
        .into_iter()
        .filter(|r| r.expires_at > t)
        .map(|r| roster_types::account::SessionRow {
            id: r.id,
            created_at: r.created_at.into(),
            last_seen_at: r.last_seen_at.into(),
            ip: r.ip,
            browser: roster_types::account::browser_name(&r.user_agent),
            current: false,
        })
        .collect())
}

/// End one of an account's sessions; false if it is not theirs (or already gone).
pub async fn delete_one_for(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
    id: Uuid,
) -> Result<bool, DbError> {
    let sql = format!(
        "DELETE FROM sessions WHERE id = $1 AND {} = $2",
        p.session_column()
    );
    tx.sql().changed_one(&sql, (id, account_id)).await
}

/// End every session of an account except `keep`.
pub async fn delete_all_but(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
    keep: Uuid,
) -> Result<u64, DbError> {
    let sql = format!(
        "DELETE FROM sessions WHERE {} = $1 AND id <> $2",
        p.session_column()
    );
    let r = tx.sql().execute(&sql, (account_id, keep)).await?;
    Ok(r)
}
