//! One-time setup links for creating the first staff member.

use super::{now, Db, DbError, Tx};

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    valid_for: chrono::Duration,
) -> Result<(), DbError> {
    let t = now();
    on_tx!(tx, rows, |c| sqlx::query(
        "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)"
    )
    .bind(token_hash)
    .bind(t)
    .bind(t + valid_for)
    .execute(c)
    .await)?;
    Ok(())
}

/// Whether the token is known and unexpired (without using it up).
pub async fn is_valid(db: &Db, token_hash: &str) -> Result<bool, DbError> {
    let exp: Option<chrono::DateTime<chrono::Utc>> = on_pool!(db, |c| sqlx::query_scalar(
        "SELECT expires_at FROM setup_tokens WHERE token_hash = $1"
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await)?;
    Ok(exp.is_some_and(|e| e > now()))
}

/// Use the token up. True when it was valid; the caller's transaction decides whether the
/// use sticks.
pub async fn take(tx: &mut Tx, token_hash: &str) -> Result<bool, DbError> {
    let exp: Option<chrono::DateTime<chrono::Utc>> = on_tx!(tx, |c| sqlx::query_scalar(
        "DELETE FROM setup_tokens WHERE token_hash = $1 RETURNING expires_at"
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await)?;
    Ok(exp.is_some_and(|e| e > now()))
}

/// Once a staff member exists, every outstanding link is void.
pub async fn clear(tx: &mut Tx) -> Result<(), DbError> {
    on_tx!(tx, rows, |c| sqlx::query("DELETE FROM setup_tokens")
        .execute(c)
        .await)?;
    Ok(())
}
