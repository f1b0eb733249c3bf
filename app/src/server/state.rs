//! What every request handler can reach: the database, the key, the settings.

use super::db::Db;
use super::security::crypto::SecretKey;
use super::security::throttle::AddressLimiter;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Staff must enrol TOTP before they reach the admin area.
    pub require_staff_2fa: bool,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// The address people use to reach Roster, for links printed to the log.
    pub public_url: String,
    /// Sign-in attempts allowed per client address and minute.
    pub sign_in_per_minute: u32,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub key: SecretKey,
    pub settings: Arc<Settings>,
    pub sign_in_limiter: AddressLimiter,
}

impl AppState {
    pub fn new(db: Db, key: SecretKey, settings: Settings) -> Self {
        Self {
            db,
            key,
            sign_in_limiter: AddressLimiter::new(settings.sign_in_per_minute),
            settings: Arc::new(settings),
        }
    }
}
