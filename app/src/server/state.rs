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
        // 20 sign-in attempts a minute per address: plenty for people, slow for guessing.
        Self {
            db,
            key,
            settings: Arc::new(settings),
            sign_in_limiter: AddressLimiter::new(20),
        }
    }
}
