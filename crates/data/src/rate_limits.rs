//! Per-address counts in fixed one-minute windows, shared by every instance on one
//! PostgreSQL database.

use super::{Db, DbError};

/// Count one hit for `bucket` in the window starting at `window_start` (unix seconds);
/// gives the hits so far, this one included.
pub async fn hit(db: &Db, bucket: &str, window_start: i64) -> Result<i64, DbError> {
    let n: i32 = db
        .sql()
        .scalar(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits",
            (bucket, window_start),
        )
        .await?;
    Ok(n.into())
}

/// Forget windows that started before `before`.
pub async fn prune(db: &Db, before: i64) -> Result<u64, DbError> {
    db.sql()
        .execute("DELETE FROM rate_limits WHERE window_start < $1", (before,))
        .await
}
