//! Settings resolved from the command line and environment into what the app needs.

use crate::cli::Settings;
use anyhow::Context;
use app::server::security::crypto::SecretKey;
use std::path::Path;

impl Settings {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("roster.db").display()))
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn app_settings(&self) -> app::server::state::Settings {
        let public_url = self.public_url();
        app::server::state::Settings {
            require_staff_2fa: self.require_staff_2fa,
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            sign_in_per_minute: self.sign_in_per_minute,
        }
    }

    pub fn ensure_data_dir(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))
    }

    /// The key from the setting, or from DATA_DIR/secret.key (created on first start).
    pub fn secret_key(&self) -> anyhow::Result<SecretKey> {
        if let Some(hex) = &self.secret_key {
            return SecretKey::from_hex(hex).context("ROSTER_SECRET_KEY");
        }
        load_or_create_key(&self.data_dir.join("secret.key"))
    }
}

fn load_or_create_key(path: &Path) -> anyhow::Result<SecretKey> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return SecretKey::from_hex(&text)
            .with_context(|| format!("{} is not a valid key", path.display()));
    }
    let key = SecretKey::generate();
    write_private(path, &key.to_hex())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new secret key; back it up with the database");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
