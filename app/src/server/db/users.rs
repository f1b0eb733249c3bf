//! Users: the list query behind Manage Users.

use super::{Db, DbError};
use crate::domain::users::{TwoFactorState, UserRow, UserSort, UserStatus};
use crate::on_pool;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    status: String,
    locked_until: Option<DateTime<Utc>>,
    two_factor: bool,
    enrolled: bool,
    clients: i64,
    created_at: DateTime<Utc>,
    last_sign_in_at: Option<DateTime<Utc>>,
}

impl From<Row> for UserRow {
    fn from(r: Row) -> Self {
        let two_factor = match (r.two_factor, r.enrolled) {
            (_, true) => TwoFactorState::On,
            (true, false) => TwoFactorState::Pending,
            (false, false) => TwoFactorState::Off,
        };
        UserRow {
            id: r.id,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            phone: r.phone,
            status: UserStatus::parse(&r.status).unwrap_or(UserStatus::Inactive),
            locked: r.locked_until.is_some_and(|t| t > super::now()),
            two_factor,
            clients: r.clients,
            created_at: r.created_at,
            last_sign_in_at: r.last_sign_in_at,
        }
    }
}

/// The text a search matches: lower-cased name, email, phone and UUID.
pub fn search_text(first: &str, last: &str, email: &str, phone: Option<&str>, id: Uuid) -> String {
    format!("{first} {last} {email} {} {id}", phone.unwrap_or("")).to_lowercase()
}

/// `q` as a LIKE pattern that matches it literally as a substring.
pub fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for ch in q.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn order_by(sort: UserSort, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    match sort {
        UserSort::Name => format!("u.last_name {dir}, u.first_name {dir}, u.id"),
        UserSort::Email => format!("u.email_norm {dir}, u.id"),
        UserSort::Status => format!("u.status {dir}, u.created_at DESC, u.id"),
        UserSort::Created => format!("u.created_at {dir}, u.id"),
    }
}

pub async fn list(
    db: &Db,
    q: &str,
    sort: UserSort,
    desc: bool,
    page: u32,
    per_page: u32,
) -> Result<(Vec<UserRow>, i64), DbError> {
    let filter = "($1 = '' OR u.search_text LIKE $2 ESCAPE '\\')";
    let sql = format!(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.status, u.locked_until, u.two_factor,
                (u.totp_secret IS NOT NULL) AS enrolled, u.created_at, u.last_sign_in_at,
                (SELECT COUNT(*) FROM user_clients uc WHERE uc.user_id = u.id) AS clients
         FROM users u WHERE {filter} ORDER BY {} LIMIT $3 OFFSET $4",
        order_by(sort, desc)
    );
    let pattern = like_pattern(q);
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let rows: Vec<Row> = on_pool!(db, |c| sqlx::query_as::<_, Row>(&sql)
        .bind(q)
        .bind(&pattern)
        .bind(i64::from(per_page))
        .bind(offset)
        .fetch_all(c)
        .await)?;
    let count_sql = format!("SELECT COUNT(*) FROM users u WHERE {filter}");
    let total: i64 = on_pool!(db, |c| sqlx::query_scalar(&count_sql)
        .bind(q)
        .bind(&pattern)
        .fetch_one(c)
        .await)?;
    Ok((rows.into_iter().map(UserRow::from).collect(), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_are_literal() {
        assert_eq!(like_pattern("Ann"), "%ann%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
