//! Single-use links sent by mail. Only the SHA-256 of a token is stored; using one is a
//! conditional update, so two requests with the same link cannot both succeed.

use super::accounts::Principal;
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    PasswordReset,
    EmailVerify,
    Invitation,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailVerify => "email_verify",
            Purpose::Invitation => "invitation",
        }
    }
}

fn principal_code(p: Principal) -> &'static str {
    match p {
        Principal::Staff => "staff",
        Principal::User => "user",
    }
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub purpose: Purpose,
    pub principal: Principal,
    pub account_id: Uuid,
    pub email_norm: &'a str,
    pub valid_for: Duration,
}

pub async fn insert(tx: &mut Tx, t: &NewToken<'_>) -> Result<(), DbError> {
    let at = now();
    tx.sql()
        .execute(
            "INSERT INTO mail_tokens (token_hash, purpose, principal, account_id, email_norm,
                 created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            (
                t.token_hash,
                t.purpose.code(),
                principal_code(t.principal),
                t.account_id,
                t.email_norm,
                at,
                at + t.valid_for,
            ),
        )
        .await?;
    Ok(())
}

/// Insert the link unless the account was issued `limit` of this purpose since `since`;
/// whether it was. Requests at the same moment are counted one after another: SQLite's
/// write transaction is already exclusive, PostgreSQL locks the account's row first.
pub async fn insert_within(
    tx: &mut Tx,
    t: &NewToken<'_>,
    limit: i64,
    since: DateTime<Utc>,
) -> Result<bool, DbError> {
    if let Tx::Postgres(_) = tx {
        let sql = format!(
            "SELECT 1 FROM {} WHERE id = $1 FOR UPDATE",
            t.principal.table()
        );
        tx.sql().execute(&sql, (t.account_id,)).await?;
    }
    let issued: i64 = tx
        .sql()
        .scalar(
            "SELECT COUNT(*) FROM mail_tokens
             WHERE principal = $1 AND account_id = $2 AND purpose = $3 AND created_at >= $4",
            (
                principal_code(t.principal),
                t.account_id,
                t.purpose.code(),
                since,
            ),
        )
        .await?;
    if issued >= limit {
        return Ok(false);
    }
    insert(tx, t).await?;
    Ok(true)
}

/// Whom a valid link is for.
#[derive(Debug, sqlx::FromRow)]
pub struct Holder {
    pub account_id: Uuid,
    pub email_norm: String,
}

const VALID: &str = "token_hash = $1 AND purpose = $2 AND principal = $3
                     AND used_at IS NULL AND expires_at > $4";

/// The holder of a link that is unused and unexpired, without using it up.
pub async fn find(
    db: &Db,
    token_hash: &str,
    purpose: Purpose,
    p: Principal,
) -> Result<Option<Holder>, DbError> {
    let sql = format!("SELECT account_id, email_norm FROM mail_tokens WHERE {VALID}");
    db.sql()
        .fetch_optional::<Holder>(&sql, (token_hash, purpose.code(), principal_code(p), now()))
        .await
}

/// Use the link up: its holder when it was still valid. The caller's transaction decides
/// whether the use sticks.
pub async fn take(
    tx: &mut Tx,
    token_hash: &str,
    purpose: Purpose,
    p: Principal,
) -> Result<Option<Holder>, DbError> {
    let sql = format!(
        "UPDATE mail_tokens SET used_at = $4 WHERE {VALID} RETURNING account_id, email_norm"
    );
    tx.sql()
        .fetch_optional::<Holder>(&sql, (token_hash, purpose.code(), principal_code(p), now()))
        .await
}

/// Every other outstanding link of this purpose for the account is void (a reset used one).
pub async fn void_for_account(
    tx: &mut Tx,
    purpose: Purpose,
    p: Principal,
    account_id: Uuid,
) -> Result<u64, DbError> {
    tx.sql()
        .execute(
            "UPDATE mail_tokens SET used_at = $4
             WHERE principal = $1 AND account_id = $2 AND purpose = $3 AND used_at IS NULL",
            (principal_code(p), account_id, purpose.code(), now()),
        )
        .await
}
