//! Credentials shared by every kind of account that signs in (staff and users): the same
//! columns in each table, so the sign-in machinery is written once.

use super::{now, Db, DbError, Tx};
use crate::sql::Sql;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    Staff,
    User,
}

impl Principal {
    /// A fixed table name, never user input.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Principal::Staff => "staff",
            Principal::User => "users",
        }
    }

    pub fn session_column(self) -> &'static str {
        match self {
            Principal::Staff => "staff_id",
            Principal::User => "user_id",
        }
    }
}

#[derive(Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    /// Staff: not deactivated; users: not INACTIVE.
    pub active: bool,
    /// Always true for staff.
    pub email_verified: bool,
    pub two_factor: bool,
    /// Users only: 2FA the user turned on themselves, which they may turn off.
    pub two_factor_by_user: bool,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: Option<i64>,
    /// The language the account's pages are shown in (an ISO 639-1 code).
    pub language: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl Principal {
    /// The credential columns, the same names for every table.
    pub(crate) fn columns(self) -> &'static str {
        match self {
            Principal::Staff => "id, email, password_hash, active, TRUE AS email_verified, two_factor, FALSE AS two_factor_by_user, totp_secret, totp_pending, totp_last_step, language",
            Principal::User => "id, email, password_hash, (status <> 'INACTIVE') AS active, email_verified, two_factor, two_factor_by_user, totp_secret, totp_pending, totp_last_step, language",
        }
    }
}

pub async fn by_email(
    db: &Db,
    p: Principal,
    email_norm: &str,
) -> Result<Option<Credentials>, DbError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE email_norm = $1",
        p.columns(),
        p.table()
    );
    db.sql()
        .fetch_optional::<Credentials>(&sql, (email_norm,))
        .await
}

pub async fn by_id(db: &Db, p: Principal, id: Uuid) -> Result<Option<Credentials>, DbError> {
    let sql = format!("SELECT {} FROM {} WHERE id = $1", p.columns(), p.table());
    db.sql().fetch_optional::<Credentials>(&sql, (id,)).await
}

/// Whether the account completed a sign-in before (read before `record_success`).
pub async fn signed_in_before(tx: &mut Tx, p: Principal, id: Uuid) -> Result<bool, DbError> {
    let sql = format!(
        "SELECT last_sign_in_at IS NOT NULL FROM {} WHERE id = $1",
        p.table()
    );
    Ok(tx
        .sql()
        .scalar_optional::<bool>(&sql, (id,))
        .await?
        .unwrap_or(false))
}

/// A full sign-in: the time (and for users the address) kept, and a NEW user becomes
/// ACTIVE. Failures are the business of `attempts` (per pool).
pub async fn record_success(tx: &mut Tx, p: Principal, id: Uuid, ip: &str) -> Result<(), DbError> {
    let sql = match p {
        Principal::Staff => "UPDATE staff SET last_sign_in_at = $1 WHERE id = $2",
        Principal::User => {
            "UPDATE users SET last_sign_in_at = $1, last_sign_in_ip = $3,
                status = CASE WHEN status = 'NEW' THEN 'ACTIVE' ELSE status END
             WHERE id = $2"
        }
    };
    // SQLite and PostgreSQL both accept a statement that leaves an argument unused ($3).
    tx.sql().execute(sql, (now(), id, ip)).await?;
    Ok(())
}

pub async fn set_pending_totp(
    db: &Db,
    p: Principal,
    id: Uuid,
    encrypted: &str,
) -> Result<(), DbError> {
    let sql = format!("UPDATE {} SET totp_pending = $1 WHERE id = $2", p.table());
    db.sql().execute(&sql, (encrypted, id)).await?;
    Ok(())
}

/// Store `step` as the newest accepted code, only if it is newer than the stored one.
/// False means another request used this step first: a replay.
pub async fn claim_totp_step(
    tx: &mut Tx,
    p: Principal,
    id: Uuid,
    step: i64,
) -> Result<bool, DbError> {
    let sql = format!(
        "UPDATE {} SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        p.table()
    );
    tx.sql().changed_one(&sql, (step, id)).await
}

/// The pending secret becomes the enrolled one.
pub async fn confirm_totp(tx: &mut Tx, p: Principal, id: Uuid) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE {} SET totp_secret = totp_pending, totp_pending = NULL WHERE id = $1 AND totp_pending IS NOT NULL",
        p.table()
    );
    tx.sql().execute(&sql, (id,)).await?;
    Ok(())
}

/// A new set of recovery codes (hashes) replaces the old one.
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    p: Principal,
    id: Uuid,
    hashes: &[String],
) -> Result<(), DbError> {
    delete_recovery_codes(tx, p, id).await?;
    let sql = format!(
        "INSERT INTO recovery_codes ({}, code_hash) VALUES ($1, $2)",
        p.session_column()
    );
    for h in hashes {
        tx.sql().execute(&sql, (id, h)).await?;
    }
    Ok(())
}

pub async fn delete_recovery_codes(tx: &mut Tx, p: Principal, id: Uuid) -> Result<(), DbError> {
    let sql = format!(
        "DELETE FROM recovery_codes WHERE {} = $1",
        p.session_column()
    );
    tx.sql().execute(&sql, (id,)).await?;
    Ok(())
}

/// Spend a recovery code. False when it is not one of the account's unused codes; the
/// database decides a race between two requests with the same code.
pub async fn use_recovery_code(
    tx: &mut Tx,
    p: Principal,
    id: Uuid,
    hash: &str,
) -> Result<bool, DbError> {
    let sql = format!(
        "UPDATE recovery_codes SET used_at = $3 WHERE {} = $1 AND code_hash = $2 AND used_at IS NULL",
        p.session_column()
    );
    tx.sql().changed_one(&sql, (id, hash, now())).await
}

/// On the pool (`&db`) or inside a transaction (`&mut tx`).
pub async fn recovery_codes_left(
    on: impl Into<Sql<'_>>,
    p: Principal,
    id: Uuid,
) -> Result<i64, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM recovery_codes WHERE {} = $1 AND used_at IS NULL",
        p.session_column()
    );
    on.into().scalar(&sql, (id,)).await
}

/// Enrolment removed (a user turning their own 2FA off): secret, pending secret, replay
/// step and recovery codes go.
pub async fn remove_totp(tx: &mut Tx, p: Principal, id: Uuid) -> Result<(), DbError> {
    let sql = format!(
        "UPDATE {} SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
        p.table()
    );
    tx.sql().execute(&sql, (id,)).await?;
    delete_recovery_codes(tx, p, id).await
}
