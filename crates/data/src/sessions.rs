//! Server-side sessions. The cookie holds a random token; the table holds its hash.

use super::accounts::Principal;
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
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

pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let t = now();
    let sql = format!(
        "INSERT INTO sessions (id, token_hash, {}, stage, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        s.principal.session_column()
    );
    on_tx!(tx, rows, |c| sqlx::query(&sql)
        .bind(id)
        .bind(s.token_hash)
        .bind(s.account_id)
        .bind(s.stage.code())
        .bind(t)
        .bind(s.expires_at)
        .bind(s.ip)
        .bind(s.user_agent)
        .execute(c)
        .await)?;
    Ok(id)
}

/// The unexpired session of this kind behind a token hash.
pub async fn find(db: &Db, p: Principal, token_hash: &str) -> Result<Option<Session>, DbError> {
    let sql = format!(
        "SELECT id, {} AS account_id, stage, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
        p.session_column()
    );
    let row: Option<Row> = on_pool!(db, |c| sqlx::query_as::<_, Row>(&sql)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
    // Expiry is compared here, not in SQL, so both engines agree exactly.
    Ok(row
        .and_then(|r| {
            Some(Session {
                id: r.id,
                account_id: r.account_id?,
                stage: Stage::parse(&r.stage)?,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                expires_at: r.expires_at,
            })
        })
        .filter(|s| s.expires_at > now()))
}

pub async fn touch(db: &Db, id: Uuid, expires_at: DateTime<Utc>) -> Result<(), DbError> {
    on_pool!(db, rows, |c| sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3"
    )
    .bind(now())
    .bind(expires_at)
    .bind(id)
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    let r = on_tx!(tx, rows, |c| sqlx::query(
        "DELETE FROM sessions WHERE id = $1"
    )
    .bind(id)
    .execute(c)
    .await)?;
    Ok(r > 0)
}

/// Housekeeping: drop sessions past their expiry. Timestamps are written by one encoder
/// on each engine, so comparing them in SQL is exact on both.
pub async fn delete_expired(db: &Db) -> Result<u64, DbError> {
    let r = on_pool!(db, rows, |c| sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1"
    )
    .bind(now())
    .execute(c)
    .await)?;
    Ok(r)
}

pub async fn delete_for_account(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
) -> Result<u64, DbError> {
    let sql = format!("DELETE FROM sessions WHERE {} = $1", p.session_column());
    let r = on_tx!(tx, rows, |c| sqlx::query(&sql)
        .bind(account_id)
        .execute(c)
        .await)?;
    Ok(r)
}

/// End every session of a user (deactivated, password reset, 2FA switched).
pub async fn delete_for_user(tx: &mut Tx, user_id: Uuid) -> Result<u64, DbError> {
    let r = on_tx!(tx, rows, |c| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(c)
    .await)?;
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
    let rows: Vec<ListRow> = on_pool!(db, |c| sqlx::query_as(&sql)
        .bind(account_id)
        .fetch_all(c)
        .await)?;
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
    let r = on_tx!(tx, rows, |c| sqlx::query(&sql)
        .bind(id)
        .bind(account_id)
        .execute(c)
        .await)?;
    Ok(r == 1)
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
    let r = on_tx!(tx, rows, |c| sqlx::query(&sql)
        .bind(account_id)
        .bind(keep)
        .execute(c)
        .await)?;
    Ok(r)
}
