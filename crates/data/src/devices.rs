//! Known browsers: one row per browser that completed a sign-in for an account. The
//! cookie holds a random token, the row its hash; each row counts its own failures
//! (see `attempts`).

use super::accounts::Principal;
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The known browser among `token_hashes` (the tokens the cookie holds) for this account.
pub async fn find(
    db: &Db,
    p: Principal,
    account_id: Uuid,
    token_hashes: &[String],
) -> Result<Option<Uuid>, DbError> {
    if token_hashes.is_empty() {
        return Ok(None);
    }
    // One query however many tokens the cookie holds (at most DEVICES_PER_BROWSER).
    let list: Vec<String> = (2..token_hashes.len() + 2)
        .map(|i| format!("${i}"))
        .collect();
    let sql = format!(
        "SELECT id FROM devices WHERE {} = $1 AND token_hash IN ({}) LIMIT 1",
        p.session_column(),
        list.join(", ")
    );
    let on = db.sql();
    let mut args = on.list();
    args.push(account_id)?;
    for h in token_hashes {
        args.push(h)?;
    }
    on.scalar_optional(&sql, args).await
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
    tx.sql()
        .execute(&sql, (id, token_hash, account_id, now()))
        .await?;
    Ok(id)
}

pub async fn touch(tx: &mut Tx, id: Uuid) -> Result<(), DbError> {
    tx.sql()
        .execute(
            "UPDATE devices SET last_used_at = $2 WHERE id = $1",
            (id, now()),
        )
        .await?;
    Ok(())
}

/// Forget browsers not used to sign in since `before`.
pub async fn delete_unused(db: &Db, before: DateTime<Utc>) -> Result<u64, DbError> {
    db.sql()
        .execute("DELETE FROM devices WHERE last_used_at < $1", (before,))
        .await
}
