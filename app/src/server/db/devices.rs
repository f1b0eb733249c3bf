//! Known browsers: one row per browser that completed a sign-in for an account. The
//! cookie holds a random token, the row its hash; each row counts its own failures
//! (see `attempts`).

use super::accounts::Principal;
use super::{now, Db, DbError, Tx};
use crate::on_pool;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The known browser among `token_hashes` (the tokens the cookie holds) for this account.
pub async fn find(
    db: &Db,
    p: Principal,
    account_id: Uuid,
    token_hashes: &[String],
) -> Result<Option<Uuid>, DbError> {
    let sql = format!(
        "SELECT id FROM devices WHERE token_hash = $1 AND {} = $2",
        p.session_column()
    );
    for h in token_hashes {
        let id: Option<Uuid> = on_pool!(db, |c| sqlx::query_scalar(&sql)
            .bind(h)
            .bind(account_id)
            .fetch_optional(c)
            .await)?;
        if id.is_some() {
            return Ok(id);
        }
    }
    Ok(None)
}

pub async fn insert(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
    token_hash: &str,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let sql = format!(
        "INSERT INTO devices (id, token_hash, {}, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)",
        p.session_column()
    );
    crate::on_tx_exec!(tx, |c| sqlx::query(&sql)
        .bind(id)
        .bind(token_hash)
        .bind(account_id)
        .bind(now())
        .execute(c)
        .await)?;
    Ok(id)
}

pub async fn touch(tx: &mut Tx, id: Uuid) -> Result<(), DbError> {
    crate::on_tx_exec!(tx, |c| sqlx::query(
        "UPDATE devices SET last_used_at = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now())
    .execute(c)
    .await)?;
    Ok(())
}

/// Forget browsers not used to sign in since `before`.
pub async fn delete_unused(db: &Db, before: DateTime<Utc>) -> Result<u64, DbError> {
    Ok(crate::on_pool_exec!(db, |c| sqlx::query(
        "DELETE FROM devices WHERE last_used_at < $1"
    )
    .bind(before)
    .execute(c)
    .await)?)
}
