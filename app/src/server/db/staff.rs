//! Staff members and their permissions.

use super::{now, Db, DbError, Tx};
use crate::domain::StaffPermission;
use crate::{on_pool, on_tx, on_tx_exec};
use uuid::Uuid;

pub struct NewStaff<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub email_norm: &'a str,
    pub password_hash: &'a str,
    pub two_factor: bool,
    pub permissions: &'a [StaffPermission],
}

pub async fn count(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM staff"
    )
    .fetch_one(c)
    .await)?)
}

pub async fn count_in(tx: &mut Tx) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM staff"
    )
    .fetch_one(c)
    .await)?)
}

pub async fn insert(tx: &mut Tx, s: &NewStaff<'_>) -> Result<(), DbError> {
    let t = now();
    on_tx_exec!(tx, |c| sqlx::query(
        "INSERT INTO staff (id, email, email_norm, password_hash, two_factor, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)"
    )
    .bind(s.id)
    .bind(s.email)
    .bind(s.email_norm)
    .bind(s.password_hash)
    .bind(s.two_factor)
    .bind(t)
    .execute(c)
    .await)
    .map_err(|e| DbError::from_unique(e, &[("email", "email")]))?;
    for p in s.permissions {
        on_tx_exec!(tx, |c| sqlx::query(
            "INSERT INTO staff_permissions (staff_id, permission) VALUES ($1, $2)"
        )
        .bind(s.id)
        .bind(p.code())
        .execute(c)
        .await)?;
    }
    Ok(())
}

pub async fn permissions(db: &Db, id: Uuid) -> Result<Vec<StaffPermission>, DbError> {
    let codes: Vec<String> = on_pool!(db, |c| sqlx::query_scalar(
        "SELECT permission FROM staff_permissions WHERE staff_id = $1"
    )
    .bind(id)
    .fetch_all(c)
    .await)?;
    let mut perms: Vec<StaffPermission> = codes.iter().filter_map(|c| c.parse().ok()).collect();
    perms.sort();
    Ok(perms)
}

/// Remove a staff member (their sessions and permissions go with them).
pub async fn delete(db: &Db, id: Uuid) -> Result<bool, DbError> {
    let n = crate::on_pool_exec!(db, |c| sqlx::query("DELETE FROM staff WHERE id = $1")
        .bind(id)
        .execute(c)
        .await)?;
    Ok(n == 1)
}
