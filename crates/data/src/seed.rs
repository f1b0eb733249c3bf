//! Bulk writes for `roster seed`: many rows per statement, many statements per transaction,
//! so a million users take minutes. Only demo and benchmark data goes through here.

use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct SeedUser {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub language: &'static str,
    pub status: &'static str,
    pub email_verified: bool,
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

pub struct SeedClient {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub tax_id: Option<String>,
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
}

pub struct SeedLink {
    pub user_id: Uuid,
    pub client_id: Uuid,
    pub owner: bool,
    pub permissions: String,
}

/// `(n rows, k columns)` as `($1, …, $k), ($k+1, …)`.
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let ps: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", ps.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn user_count(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT n FROM row_counts WHERE name = 'users'"
    )
    .fetch_one(c)
    .await)?)
}

/// Ids of up to `limit` users, newest first (owners and members for seeded clients).
pub async fn some_user_ids(db: &Db, limit: i64) -> Result<Vec<Uuid>, DbError> {
    Ok(on_pool!(db, |c| sqlx::query_scalar::<_, Uuid>(
        "SELECT id FROM users ORDER BY created_at DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

pub async fn insert_users(
    tx: &mut Tx,
    rows: &[SeedUser],
    password_hash: &str,
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO users (id, email, email_norm, password_hash, first_name, last_name, phone, language,
            status, email_verified, two_factor, search_text, created_at, updated_at, last_sign_in_at) VALUES {}",
        placeholders(rows.len(), 15)
    );
    on_tx!(tx, rows, |c| {
        let mut q = sqlx::query(&sql);
        for u in rows {
            q = q
                .bind(u.id)
                .bind(&u.email)
                .bind(u.email.to_lowercase())
                .bind(password_hash)
                .bind(&u.first_name)
                .bind(&u.last_name)
                .bind(&u.phone)
                .bind(u.language)
                .bind(u.status)
                .bind(u.email_verified)
                .bind(u.two_factor)
                .bind(super::users::search_text(
                    &u.first_name,
                    &u.last_name,
                    &u.email,
                    u.phone.as_deref(),
                    u.id,
                ))
                .bind(u.created_at)
                .bind(u.created_at)
                .bind(u.last_sign_in_at);
        }
        q.execute(c).await
    })?;
    Ok(())
}

pub async fn insert_clients(tx: &mut Tx, rows: &[SeedClient]) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO clients (id, first_name, last_name, company_name, tax_id, status, search_text, created_at, updated_at) VALUES {}",
        placeholders(rows.len(), 9)
    );
    on_tx!(tx, rows, |c| {
        let mut q = sqlx::query(&sql);
        for r in rows {
            q = q
                .bind(r.id)
                .bind(&r.first_name)
                .bind(&r.last_name)
                .bind(&r.company_name)
                .bind(&r.tax_id)
                .bind(r.status)
                .bind(
                    format!(
                        "{} {} {} {} {}",
                        r.first_name,
                        r.last_name,
                        r.company_name,
                        r.tax_id.as_deref().unwrap_or(""),
                        r.id
                    )
                    .to_lowercase(),
                )
                .bind(r.created_at)
                .bind(r.created_at);
        }
        q.execute(c).await
    })?;
    Ok(())
}

pub async fn insert_links(tx: &mut Tx, rows: &[SeedLink]) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let t = now();
    let sql = format!(
        "INSERT INTO user_clients (user_id, client_id, is_owner, permissions, created_at) VALUES {}",
        placeholders(rows.len(), 5)
    );
    on_tx!(tx, rows, |c| {
        let mut q = sqlx::query(&sql);
        for r in rows {
            q = q
                .bind(r.user_id)
                .bind(r.client_id)
                .bind(r.owner)
                .bind(&r.permissions)
                .bind(t);
        }
        q.execute(c).await
    })?;
    Ok(())
}

/// After a bulk load: fresh planner statistics, so searches pick the right index.
pub async fn analyze(db: &Db) -> Result<(), DbError> {
    match db {
        Db::Sqlite(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
            sqlx::query("INSERT INTO users_fts (users_fts) VALUES ('optimize')")
                .execute(p)
                .await?;
        }
        Db::Postgres(p) => {
            sqlx::query("ANALYZE users, clients, user_clients")
                .execute(p)
                .await?;
        }
    }
    Ok(())
}

/// Random users' `(email, first_name, last_name, phone, id)`, for the search benchmark's
/// queries.
pub async fn samples(
    db: &Db,
    n: i64,
) -> Result<Vec<(String, String, String, Option<String>, Uuid)>, DbError> {
    Ok(on_pool!(db, |c| sqlx::query_as(
        "SELECT email, first_name, last_name, phone, id FROM users ORDER BY random() LIMIT $1"
    )
    .bind(n)
    .fetch_all(c)
    .await)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_column() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
