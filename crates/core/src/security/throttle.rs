//! Slowing down guessing: a per-address rate limit for every sign-in attempt (in memory
//! for one instance; in the database when instances share PostgreSQL, so the limit holds
//! across them), and the per-account lock rules (the counting is in `db::attempts`).

use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use roster_data::{rate_limits, Db};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// Failures in a pool before it is locked.
pub const MAX_FAILURES: i32 = 5;
/// Failures older than this are forgotten (a typo last week does not count today).
pub const FORGET_AFTER: chrono::Duration = chrono::Duration::days(1);

#[derive(Clone)]
pub struct AddressLimiter {
    memory: Arc<RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>>,
    per_minute: u32,
    /// Set when instances may share the database (PostgreSQL).
    shared: Option<Db>,
}

impl AddressLimiter {
    /// `per_minute` attempts per address, with that many allowed in a burst.
    pub fn new(per_minute: u32, db: Db) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            memory: Arc::new(RateLimiter::keyed(Quota::per_minute(n))),
            per_minute: n.get(),
            shared: matches!(db, Db::Postgres(_)).then_some(db),
        }
    }

    /// Ok, or the seconds to wait.
    pub async fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if let Some(db) = &self.shared {
            let now = chrono::Utc::now().timestamp();
            let window = now - now.rem_euclid(60);
            match rate_limits::hit(db, &format!("sign-in:{ip}"), window).await {
                Ok(hits) if hits > i64::from(self.per_minute) => {
                    return Err((window + 60 - now).max(1) as u64)
                }
                Ok(_) => return Ok(()),
                // The database is unreachable: fall back to this instance's own count.
                Err(e) => tracing::warn!(error = %e, "shared rate limit unavailable"),
            }
        }
        self.memory.check_key(&ip).map_err(|not_until| {
            let wait =
                not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
            wait.as_secs().max(1)
        })
    }

    /// Forget addresses whose limit has recovered, so that a flood from many addresses
    /// does not keep memory (or rows) forever.
    pub async fn prune(&self) {
        self.memory.retain_recent();
        self.memory.shrink_to_fit();
        if let Some(db) = &self.shared {
            let before = chrono::Utc::now().timestamp() - 120;
            if let Err(e) = rate_limits::prune(db, before).await {
                tracing::warn!(error = %e, "could not prune the shared rate limit");
            }
        }
    }

    /// Addresses held in memory (for tests and diagnostics).
    pub fn tracked(&self) -> usize {
        self.memory.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn address_limiter_refuses_past_the_quota_and_forgets() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let l = AddressLimiter::new(3, db);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(ip).await.is_ok());
        }
        assert!(l.check(ip).await.unwrap_err() >= 1);
        // another address is unaffected
        assert!(l.check("192.0.2.2".parse().unwrap()).await.is_ok());
        assert_eq!(l.tracked(), 2);
        // a flood of addresses is pruned once their quota has recovered
        let l = AddressLimiter::new(60_000, Db::connect("sqlite::memory:").await.unwrap());
        for i in 0..1000u32 {
            l.check(IpAddr::from(i.to_be_bytes())).await.unwrap();
        }
        assert_eq!(l.tracked(), 1000);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        l.prune().await;
        assert!(l.tracked() < 1000, "{} addresses kept", l.tracked());
    }
}
