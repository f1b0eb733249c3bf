//! The command line's options (and environment) resolved into what the app needs.

use crate::cli::Options;
use anyhow::Context;
use roster_core::keys::{self, KeyError};
use roster_core::security::crypto::SecretKey;
use roster_data::Db;
use std::path::{Path, PathBuf};

impl Options {
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

    pub fn app_settings(&self) -> anyhow::Result<roster_core::state::Settings> {
        let public_url = self.public_url();
        let trusted_proxies = roster_core::request::parse_proxies(&self.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("ROSTER_TRUSTED_PROXIES: {e}"))?;
        Ok(roster_core::state::Settings {
            require_staff_2fa: self.require_staff_2fa,
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            sign_in_per_minute: self.sign_in_per_minute,
            trusted_proxies,
            mail: roster_core::mail::MailSettings {
                from: self.mail_from.clone(),
                product_name: self.product_name.clone(),
                retry_base: std::time::Duration::from_secs(self.mail_retry_secs.max(1)),
                smtp_configured: self.smtp_url.is_some(),
                ..Default::default()
            },
        })
    }

    /// The SMTP server, when one is configured (checked at start: a typo is an error, not
    /// silently kept mail).
    pub fn smtp(&self) -> anyhow::Result<Option<roster_core::mail::sender::Smtp>> {
        self.smtp_url
            .as_deref()
            .map(|url| roster_core::mail::sender::Smtp::from_url(url, &self.mail_from))
            .transpose()
            .map_err(anyhow::Error::from)
    }

    /// The state every command that touches accounts uses: the key checked against the
    /// database, and the recovery pepper stored under it.
    pub async fn app_state(&self, db: &Db) -> anyhow::Result<roster_core::state::AppState> {
        let key = self.secret_key(db).await?;
        let pepper = keys::open(db, &key).await.map_err(|e| self.key_error(e))?;
        Ok(
            roster_core::state::AppState::new(db.clone(), key, self.app_settings()?)
                .with_pepper(pepper),
        )
    }

    fn key_file(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    fn key_source(&self) -> String {
        if self.secret_key.is_some() {
            "ROSTER_SECRET_KEY".to_string()
        } else {
            self.key_file().display().to_string()
        }
    }

    fn key_error(&self, e: KeyError) -> anyhow::Error {
        match e {
            KeyError::Mismatch => anyhow::anyhow!(
                "the secret key from {} does not match this database: {e}",
                self.key_source()
            ),
            other => anyhow::anyhow!(other),
        }
    }

    /// Re-encrypt under a new key; the new key goes where the old one came from.
    pub async fn rotate_key(&self, db: &Db) -> anyhow::Result<()> {
        let old = self.secret_key(db).await?;
        let new = SecretKey::generate();
        if self.secret_key.is_some() {
            let n = keys::rotate(db, &old, &new)
                .await
                .map_err(|e| self.key_error(e))?;
            println!("Re-encrypted {n} TOTP secrets. Set ROSTER_SECRET_KEY to the new key before the next start:");
            println!("{}", new.to_hex());
            return Ok(());
        }
        // The new key is on disk before the database depends on it.
        let path = self.key_file();
        let next = path.with_extension("key.new");
        let _ = std::fs::remove_file(&next);
        write_private(&next, &new.to_hex())
            .with_context(|| format!("cannot write {}", next.display()))?;
        let n = keys::rotate(db, &old, &new)
            .await
            .map_err(|e| self.key_error(e))?;
        std::fs::rename(&path, path.with_extension("key.old"))
            .with_context(|| format!("cannot keep the old key as {}.old", path.display()))?;
        std::fs::rename(&next, &path)
            .with_context(|| format!("cannot move {} to {}", next.display(), path.display()))?;
        println!(
            "Re-encrypted {n} TOTP secrets under a new key in {} (the old key is in {}.old). Back up the new key with the database.",
            path.display(),
            path.display()
        );
        Ok(())
    }

    pub fn ensure_data_dir(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data directory {}", self.data_dir.display()))
    }

    /// The key from the setting, or from DATA_DIR/secret.key. A new key is made only for
    /// a database that has never had one: a missing file is never silently replaced.
    pub async fn secret_key(&self, db: &Db) -> anyhow::Result<SecretKey> {
        if let Some(hex) = &self.secret_key {
            return SecretKey::from_hex(hex).context("ROSTER_SECRET_KEY");
        }
        let path = self.key_file();
        if !path.exists() && keys::is_claimed(db).await? {
            anyhow::bail!(
                "{} is missing, but this database was set up with a secret key. Restore secret.key from your backup into {} (or set ROSTER_SECRET_KEY to it). A new key would leave every enrolled authenticator and recovery code unusable, so none is made.",
                path.display(),
                self.data_dir.display()
            );
        }
        load_or_create_key(&path)
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
