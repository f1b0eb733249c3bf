//! Slowing down guessing: a per-address rate limit in memory (governor) for every sign-in
//! attempt, and a per-account lockout in the database (shared by every server instance).

use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Failures in a row before an account is locked.
pub const MAX_FAILURES: i32 = 5;
/// How long a lock lasts.
pub const LOCK_FOR: Duration = Duration::from_secs(15 * 60);

/// After a failed attempt that makes `failures` in a row: until when the account is locked.
pub fn lock_after_failure(
    failures: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    (failures >= MAX_FAILURES)
        .then(|| now + chrono::Duration::from_std(LOCK_FOR).unwrap_or_default())
}

pub fn is_locked(
    locked_until: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    locked_until.is_some_and(|t| t > now)
}

#[derive(Clone)]
pub struct AddressLimiter {
    inner: Arc<RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>>,
}

impl AddressLimiter {
    /// `per_minute` attempts per address, with that many allowed in a burst.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            inner: Arc::new(RateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// Ok, or the seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.inner.check_key(&ip).map_err(|not_until| {
            let wait =
                not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
            wait.as_secs().max(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_starts_at_the_fifth_failure_and_ends() {
        let now = chrono::Utc::now();
        assert_eq!(lock_after_failure(4, now), None);
        let until = lock_after_failure(5, now).unwrap();
        assert!(is_locked(Some(until), now + chrono::Duration::minutes(14)));
        assert!(!is_locked(Some(until), now + chrono::Duration::minutes(16)));
        assert!(!is_locked(None, now));
    }

    #[test]
    fn address_limiter_refuses_past_the_quota() {
        let l = AddressLimiter::new(3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(ip).is_ok());
        }
        assert!(l.check(ip).unwrap_err() >= 1);
        // another address is unaffected
        assert!(l.check("192.0.2.2".parse().unwrap()).is_ok());
    }
}
