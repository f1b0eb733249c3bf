//! Failure counting for sign-ins and password re-checks, in two pools per account: the
//! account's own columns count browsers it does not know; each known browser (a `devices`
//! row) counts its own. Every statement is a single conditional update, so parallel
//! guesses cannot slip past the limit: a guess takes its slot *before* it is checked.

use super::accounts::Principal;
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Where an attempt is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    /// Browsers that never completed a sign-in for this account.
    Untrusted(Principal, Uuid),
    /// One browser that did (a `devices` row).
    Device(Uuid),
}

impl Pool {
    fn table(self) -> &'static str {
        match self {
            Pool::Untrusted(Principal::Staff, _) => "staff",
            Pool::Untrusted(Principal::User, _) => "users",
            Pool::Device(_) => "devices",
        }
    }

    fn id(self) -> Uuid {
        match self {
            Pool::Untrusted(_, id) | Pool::Device(id) => id,
        }
    }
}

/// A slot taken for one attempt: the failures counted so far (this one included) and how
/// many locks came before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub failures: i32,
    pub lock_count: i32,
}

/// Take a slot for an attempt, counting it as a failure until it is settled. `None` when
/// the pool is locked or its last slots are all in use.
pub async fn reserve(
    db: &Db,
    pool: Pool,
    max: i32,
    forget_before: DateTime<Utc>,
) -> Result<Option<Slot>, DbError> {
    let t = now();
    let sql = format!(
        "UPDATE {} SET
            failed_attempts = CASE WHEN last_failed_at IS NULL OR last_failed_at < $2
                                   THEN 1 ELSE failed_attempts + 1 END,
            last_failed_at = $3
         WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $3)
           AND (failed_attempts < $4 OR last_failed_at IS NULL OR last_failed_at < $2)
         RETURNING failed_attempts, lock_count",
        pool.table()
    );
    let row: Option<(i32, i32)> = db
        .sql()
        .fetch_optional(&sql, (pool.id(), forget_before, t, max))
        .await?;
    Ok(row.map(|(failures, lock_count)| Slot {
        failures,
        lock_count,
    }))
}

/// The attempt succeeded: its slot is given back (the failures before it still count).
pub async fn refund(db: &Db, pool: Pool) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE {} SET failed_attempts = CASE WHEN failed_attempts > 0 THEN failed_attempts - 1 ELSE 0 END
         WHERE id = $1",
        pool.table()
    );
    db.sql().execute(&sql, (pool.id(),)).await?;
    Ok(())
}

/// A full sign-in in this pool: its failures and lock history are forgotten.
pub async fn clear(db: &Db, pool: Pool) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE {} SET failed_attempts = 0, last_failed_at = NULL, lock_count = 0,
                       locked_until = NULL, lock_reason = NULL
         WHERE id = $1",
        pool.table()
    );
    db.sql().execute(&sql, (pool.id(),)).await?;
    Ok(())
}

/// The attempt failed and filled the pool: lock it until `until`. Only the request that
/// sees the pool still unlocked with this many locks behind it does so, so one lock is
/// recorded once however many guesses fail together.
pub async fn lock(
    db: &Db,
    pool: Pool,
    slot: Slot,
    max: i32,
    until: DateTime<Utc>,
    reason: &str,
) -> Result<bool, DbError> {
    let sql = format!(
        "UPDATE {} SET locked_until = $2, lock_count = lock_count + 1, failed_attempts = 0,
                       lock_reason = $3
         WHERE id = $1 AND failed_attempts >= $4 AND lock_count = $5",
        pool.table()
    );
    let args = (pool.id(), until, reason, max, slot.lock_count);
    db.sql().changed_one(&sql, args).await
}

/// The pool's lock, if one is in force.
pub async fn locked_until(db: &Db, pool: Pool) -> Result<Option<DateTime<Utc>>, DbError> {
    let sql = format!("SELECT locked_until FROM {} WHERE id = $1", pool.table());
    let until: Option<Option<DateTime<Utc>>> = db.sql().scalar_optional(&sql, (pool.id(),)).await?;
    Ok(until.flatten().filter(|u| *u > now()))
}

/// Staff lift every lock of an account: the untrusted pool and each known browser's,
/// in the caller's transaction (with its audit event). True when something was locked.
pub async fn lift(tx: &mut Tx, p: Principal, id: Uuid) -> Result<bool, DbError> {
    let t = now();
    let account = format!(
        "UPDATE {} SET failed_attempts = 0, last_failed_at = NULL, locked_until = NULL,
                       lock_reason = NULL
         WHERE id = $1 AND locked_until > $2",
        Pool::Untrusted(p, id).table()
    );
    let devices = format!(
        "UPDATE devices SET failed_attempts = 0, last_failed_at = NULL, locked_until = NULL,
                            lock_reason = NULL
         WHERE {} = $1 AND locked_until > $2",
        p.session_column()
    );
    let mut n = 0;
    for sql in [account, devices] {
        n += tx.sql().execute(&sql, (id, t)).await?;
    }
    Ok(n > 0)
}

/// How long the next lock lasts: 15 minutes, doubling with each lock since the last full
/// sign-in, at most a day.
pub fn lock_duration(lock_count: i32) -> Duration {
    let minutes = 15i64 << lock_count.clamp(0, 7);
    Duration::minutes(minutes.min(24 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_and_stop_at_a_day() {
        assert_eq!(lock_duration(0), Duration::minutes(15));
        assert_eq!(lock_duration(1), Duration::minutes(30));
        assert_eq!(lock_duration(3), Duration::hours(2));
        assert_eq!(lock_duration(7), Duration::hours(24));
        assert_eq!(lock_duration(1000), Duration::hours(24));
        assert_eq!(lock_duration(-1), Duration::minutes(15));
    }
}
