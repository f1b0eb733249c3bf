//! The server key and the database belong together: the database keeps a check value of
//! the key, so a start with another key (a lost `secret.key` silently regenerated, or two
//! instances with different keys) is refused instead of making every enrolled
//! authenticator unreadable. `rotate` moves everything to a new key in one transaction.

use super::security::crypto::{CryptoError, SecretKey};
use roster_data::server_key::{self, KeyRecord};
use roster_data::{Db, DbError};

const CHECK_PURPOSE: &str = "key-check";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("this database was set up with another secret key: restore the key it was set up with (DATA_DIR/secret.key or ROSTER_SECRET_KEY) from your backup. Starting with a new key would leave every enrolled authenticator and recovery code unusable")]
    Mismatch,
    #[error("the stored recovery-code key cannot be read with this key: {0}")]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Db(#[from] DbError),
}

fn check_value(key: &SecretKey) -> String {
    key.mac(CHECK_PURPOSE, b"roster")
}

/// The database now belongs to `key`, with `pepper` (kept encrypted under it) for the
/// recovery codes.
async fn claim(tx: &mut roster_data::Tx, key: &SecretKey, pepper: &[u8]) -> Result<(), DbError> {
    let record = KeyRecord {
        check_value: check_value(key),
        recovery_pepper: key.encrypt(pepper),
    };
    server_key::put(tx, &record).await
}

/// Whether the database already belongs to some key: it holds the check value, or (from
/// before the check value was kept) secrets encrypted under a key.
pub async fn is_claimed(db: &Db) -> Result<bool, DbError> {
    Ok(server_key::get(db).await?.is_some() || server_key::any_secret(db).await?.is_some())
}

/// Open the database with `key`: the first time, the database is claimed for it (the
/// recovery pepper starts as the key itself, which is what earlier versions hashed recovery
/// codes with); later, a different key is refused. Gives the recovery pepper.
pub async fn open(db: &Db, key: &SecretKey) -> Result<SecretKey, KeyError> {
    match server_key::get(db).await? {
        Some(r) if r.check_value == check_value(key) => {
            let bytes = key.decrypt(&r.recovery_pepper)?;
            Ok(SecretKey::from_bytes(&bytes)?)
        }
        Some(_) => Err(KeyError::Mismatch),
        None => {
            // No check value yet, but secrets from before: only their key may claim it.
            if let Some(secret) = server_key::any_secret(db).await? {
                key.decrypt(&secret).map_err(|_| KeyError::Mismatch)?;
            }
            let mut tx = db.begin().await?;
            claim(&mut tx, key, key.expose()).await?;
            tx.commit().await?;
            Ok(key.clone())
        }
    }
}

/// Re-encrypt every TOTP secret and the recovery pepper under `new`, in one transaction.
/// Gives how many secrets moved.
pub async fn rotate(db: &Db, old: &SecretKey, new: &SecretKey) -> Result<usize, KeyError> {
    let pepper = open(db, old).await?;
    let mut tx = db.begin().await?;
    let secrets = server_key::encrypted_secrets(&mut tx).await?;
    for (table, id, column, value) in &secrets {
        let plain = old.decrypt(value)?;
        server_key::set_secret(&mut tx, table, *id, column, &new.encrypt(&plain)).await?;
    }
    claim(&mut tx, new, pepper.expose()).await?;
    tx.commit().await?;
    Ok(secrets.len())
}
