//! One-time setup links for creating the first staff member.

use super::sql::Sql;
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    valid_for: chrono::Duration,
) -> Result<(), DbError> {
    let t = now();
    tx.sql()
        .execute(
            "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)",
            (token_hash, t, t + valid_for),
        )
        .await?;
    Ok(())
}

/// Whether the token is known and unexpired (without using it up).
pub async fn is_valid(db: &Db, token_hash: &str) -> Result<bool, DbError> {
    let sql = "SELECT expires_at FROM setup_tokens WHERE token_hash = $1";
    unexpired(db.sql(), sql, token_hash).await
}

/// Use the token up. True when it was valid; the caller's transaction decides whether the
/// use sticks.
pub async fn take(tx: &mut Tx, token_hash: &str) -> Result<bool, DbError> {
    let sql = "DELETE FROM setup_tokens WHERE token_hash = $1 RETURNING expires_at";
    unexpired(tx.sql(), sql, token_hash).await
}

/// Whether `sql` finds the token's expiry, and it is still ahead.
async fn unexpired(on: Sql<'_>, sql: &str, token_hash: &str) -> Result<bool, DbError> {
    let expires: Option<DateTime<Utc>> = on.scalar_optional(sql, (token_hash,)).await?;
    Ok(expires.is_some_and(|e| e > now()))
}

/// Once a staff member exists, every outstanding link is void.
pub async fn clear(tx: &mut Tx) -> Result<(), DbError> {
    tx.sql().execute("DELETE FROM setup_tokens", ()).await?;
    Ok(())
}
