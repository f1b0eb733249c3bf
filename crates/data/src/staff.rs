//! Staff members and their permissions.

use super::{now, Db, DbError, Tx};
use crate::sql::Sql;
use roster_types::staff_members::StaffRow;
use roster_types::StaffPermission;
use std::sync::LazyLock;
use uuid::Uuid;

pub struct NewStaff<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub email_norm: &'a str,
    pub password_hash: &'a str,
    pub two_factor: bool,
    pub permissions: &'a [StaffPermission],
}

/// On the pool (`&db`) or inside a transaction (`&mut tx`).
pub async fn count(on: impl Into<Sql<'_>>) -> Result<i64, DbError> {
    on.into().scalar("SELECT COUNT(*) FROM staff", ()).await
}

pub async fn insert(tx: &mut Tx, s: &NewStaff<'_>) -> Result<(), DbError> {
    let t = now();
    let sql = "INSERT INTO staff (id, email, email_norm, password_hash, two_factor, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)";
    tx.sql()
        .execute(
            sql,
            (
                s.id,
                s.email,
                s.email_norm,
                s.password_hash,
                s.two_factor,
                t,
            ),
        )
        .await
        .map_err(|e| DbError::from_unique(e, &[("email", roster_types::Taken::StaffEmail)]))?;
    for p in s.permissions {
        tx.sql()
            .execute(
                "INSERT INTO staff_permissions (staff_id, permission) VALUES ($1, $2)",
                (s.id, p.code()),
            )
            .await?;
    }
    Ok(())
}

pub async fn permissions(db: &Db, id: Uuid) -> Result<Vec<StaffPermission>, DbError> {
    let sql = format!("SELECT {}", permissions_of("$1"));
    let codes: String = db.sql().scalar(&sql, (id,)).await?;
    Ok(parse_permissions(&codes))
}

/// The permission codes of the staff member whose id is `id` (a column or a parameter),
/// joined with commas; `''` without any. `string_agg` is spelled the same on both engines
/// (SQLite 3.44+, PostgreSQL).
pub(crate) fn permissions_of(id: &str) -> String {
    format!(
        "COALESCE((SELECT string_agg(p.permission, ',') FROM staff_permissions p WHERE p.staff_id = {id}), '')"
    )
}

/// Codes as `permissions_of` joins them, sorted; codes this build does not know are dropped.
pub(crate) fn parse_permissions(codes: &str) -> Vec<StaffPermission> {
    let mut permissions: Vec<StaffPermission> =
        codes.split(',').filter_map(|c| c.parse().ok()).collect();
    permissions.sort();
    permissions
}

/// Remove a staff member (their sessions and permissions go with them).
pub async fn delete(db: &Db, id: Uuid) -> Result<bool, DbError> {
    db.sql().delete_row("staff", id).await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    email: String,
    active: bool,
    enrolled: bool,
    locked_until: Option<chrono::DateTime<chrono::Utc>>,
    lock_reason: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
    permissions: String,
}

impl From<Row> for StaffRow {
    fn from(r: Row) -> Self {
        let permissions = parse_permissions(&r.permissions);
        StaffRow {
            id: r.id,
            email: r.email,
            active: r.active,
            permissions,
            enrolled: r.enrolled,
            lock_reason: super::users::lock_reason(r.locked_until, r.lock_reason.as_deref()),
            created_at: r.created_at.into(),
            last_sign_in_at: r.last_sign_in_at.map(Into::into),
        }
    }
}

/// A staff row with its permissions.
static ROW_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.id, s.email, s.active, (s.totp_secret IS NOT NULL) AS enrolled,
            s.locked_until, s.lock_reason, s.created_at, s.last_sign_in_at,
            {} AS permissions
         FROM staff s",
        permissions_of("s.id")
    )
});

/// Every staff member, active first, then by email.
pub async fn list(db: &Db) -> Result<Vec<StaffRow>, DbError> {
    let sql = format!("{} ORDER BY s.active DESC, s.email_norm", *ROW_SQL);
    let rows: Vec<Row> = db.sql().fetch_all(&sql, ()).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// On the pool (`&db`) or inside a transaction (`&mut tx`).
pub async fn get(on: impl Into<Sql<'_>>, id: Uuid) -> Result<Option<StaffRow>, DbError> {
    let sql = format!("{} WHERE s.id = $1", *ROW_SQL);
    let row: Option<Row> = on.into().fetch_optional(&sql, (id,)).await?;
    Ok(row.map(Into::into))
}

/// Active staff-manage holders other than `except`. On PostgreSQL their rows are locked
/// until the caller's transaction ends, so two administrators demoting each other at once
/// cannot both succeed; SQLite serialises writers anyway.
pub async fn count_managers_except(tx: &mut Tx, except: Uuid) -> Result<i64, DbError> {
    let base = "SELECT s.id FROM staff s JOIN staff_permissions p ON p.staff_id = s.id
               WHERE s.active AND p.permission = 'staff-manage' AND s.id <> $1";
    let sql = match tx {
        Tx::Postgres(_) => format!("{base} FOR UPDATE OF s"),
        Tx::Sqlite(_) => base.to_string(),
    };
    let ids: Vec<Uuid> = tx.sql().scalars(&sql, (except,)).await?;
    Ok(ids.len() as i64)
}

pub async fn set_permissions(
    tx: &mut Tx,
    id: Uuid,
    permissions: &[StaffPermission],
) -> Result<(), DbError> {
    tx.sql()
        .execute("DELETE FROM staff_permissions WHERE staff_id = $1", (id,))
        .await?;
    for p in permissions {
        tx.sql()
            .execute(
                "INSERT INTO staff_permissions (staff_id, permission) VALUES ($1, $2)",
                (id, p.code()),
            )
            .await?;
    }
    touch(tx, id).await
}

pub async fn set_active(tx: &mut Tx, id: Uuid, active: bool) -> Result<(), DbError> {
    tx.sql()
        .execute("UPDATE staff SET active = $2 WHERE id = $1", (id, active))
        .await?;
    touch(tx, id).await
}

async fn touch(tx: &mut Tx, id: Uuid) -> Result<(), DbError> {
    tx.sql()
        .execute(
            "UPDATE staff SET updated_at = $2 WHERE id = $1",
            (id, now()),
        )
        .await?;
    Ok(())
}

/// The language of the member's pages (an ISO 639-1 code the caller checked).
pub async fn set_language(tx: &mut Tx, id: Uuid, code: &str) -> Result<(), DbError> {
    tx.sql()
        .execute("UPDATE staff SET language = $2 WHERE id = $1", (id, code))
        .await?;
    touch(tx, id).await
}

/// A new password hash in place of `old`: false when the hash is no longer `old` (another
/// change of it came first), and nothing is changed then.
pub async fn replace_password(
    tx: &mut Tx,
    id: Uuid,
    old: &str,
    hash: &str,
) -> Result<bool, DbError> {
    let sql = "UPDATE staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2";
    if !tx.sql().changed_one(sql, (id, old, hash)).await? {
        return Ok(false);
    }
    touch(tx, id).await?;
    Ok(true)
}
