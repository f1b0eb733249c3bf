//! What every request handler can reach: the database, the key, the settings.

use super::security::crypto::SecretKey;
use super::security::throttle::AddressLimiter;
use roster_data::Db;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Staff must enrol TOTP before they reach the admin area.
    pub require_staff_2fa: bool,
    /// Mark cookies `Secure` and `__Host-` (when served over HTTPS); also sends HSTS.
    pub secure_cookies: bool,
    /// The address people use to reach Roster, for links printed to the log.
    pub public_url: String,
    /// Sign-in attempts allowed per client address and minute.
    pub sign_in_per_minute: u32,
    /// Proxies whose forwarding headers name the client (`ROSTER_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where mail goes from, and under what name.
    pub mail: crate::mail::MailSettings,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Encrypts TOTP secrets.
    pub key: SecretKey,
    /// Keys the recovery-code hashes; stored in the database under `key` (see `keys`), so
    /// rotating the key keeps recovery codes valid.
    pub pepper: SecretKey,
    pub settings: Arc<Settings>,
    pub sign_in_limiter: AddressLimiter,
    /// The mail settings (also in `settings`, here for short).
    pub mail: crate::mail::MailSettings,
}

impl AppState {
    /// A state whose recovery pepper is the key itself (what `keys::open` gives a database
    /// that predates the stored pepper).
    pub fn new(db: Db, key: SecretKey, settings: Settings) -> Self {
        Self {
            sign_in_limiter: AddressLimiter::new(settings.sign_in_per_minute, db.clone()),
            mail: settings.mail.clone(),
            db,
            pepper: key.clone(),
            key,
            settings: Arc::new(settings),
        }
    }

    pub fn with_pepper(mut self, pepper: SecretKey) -> Self {
        self.pepper = pepper;
        self
    }
}
