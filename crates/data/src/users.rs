//! Users: the list and search behind Manage Users, and the rows Create, Edit and Delete
//! write.

use super::{now, Db, DbError, Tx};
use crate::search::{self, Page, Source};
use crate::sql::Sql;
use crate::user_filters;
use chrono::{DateTime, Utc};
use roster_types::page::{PageQuery, Total};
use roster_types::user_filter::{ClientsFilter, Filters};
use roster_types::users::{
    ClientStatus, TwoFactorState, UserClientRow, UserDetail, UserRow, UserSort, UserStatus,
};
use roster_types::{ClientPermission, LockReason, Taken};
use uuid::Uuid;

pub use crate::search::COUNT_CAP;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    status: String,
    locked_until: Option<DateTime<Utc>>,
    lock_reason: Option<String>,
    two_factor: bool,
    enrolled: bool,
    clients: i64,
    created_at: DateTime<Utc>,
    last_sign_in_at: Option<DateTime<Utc>>,
    last_sign_in_ip: Option<String>,
    invited_at: Option<DateTime<Utc>>,
}

fn two_factor_state(switched_on: bool, enrolled: bool) -> TwoFactorState {
    match (switched_on, enrolled) {
        (_, true) => TwoFactorState::On,
        (true, false) => TwoFactorState::Pending,
        (false, false) => TwoFactorState::Off,
    }
}

/// Why sign-in is locked, while it is.
pub(crate) fn lock_reason(
    until: Option<DateTime<Utc>>,
    reason: Option<&str>,
) -> Option<LockReason> {
    until.filter(|t| *t > now()).map(|_| {
        reason
            .and_then(LockReason::parse)
            .unwrap_or(LockReason::Password)
    })
}

fn status(s: &str) -> UserStatus {
    UserStatus::parse(s).unwrap_or(UserStatus::Inactive)
}

impl From<Row> for UserRow {
    fn from(r: Row) -> Self {
        UserRow {
            id: r.id,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            phone: r.phone,
            status: status(&r.status),
            locked: r.locked_until.is_some_and(|t| t > now()),
            lock_reason: lock_reason(r.locked_until, r.lock_reason.as_deref()),
            two_factor: two_factor_state(r.two_factor, r.enrolled),
            invited: r.invited_at.is_some(),
            clients: r.clients,
            created_at: r.created_at.into(),
            last_sign_in_at: r.last_sign_in_at.map(Into::into),
            last_sign_in_ip: r.last_sign_in_ip.filter(|ip| !ip.is_empty()),
        }
    }
}

/// The text a search matches: lower-cased name, email, phone and UUID.
pub fn search_text(first: &str, last: &str, email: &str, phone: Option<&str>, id: Uuid) -> String {
    format!("{first} {last} {email} {} {id}", phone.unwrap_or("")).to_lowercase()
}

fn order_by(db: &Db, sort: UserSort, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    match (sort, db) {
        (UserSort::Name, _) => format!("u.last_name {dir}, u.first_name {dir}, u.id {dir}"),
        (UserSort::Email, _) => format!("u.email_norm {dir}"),
        // Each order ends in a unique key: users created at the same instant (an import,
        // a seed) would otherwise come back in any order, and a page could repeat a user
        // of the page before.
        (UserSort::Status, _) => {
            let key = user_filters::key(db);
            format!("u.status {dir}, u.created_at {dir}, {key} {dir}")
        }
        // SQLite: rows are numbered in the order they were created, and the trigram index
        // can walk matches in that order, so a page of the newest matches costs the same
        // however many there are.
        (UserSort::Created, Db::Sqlite(_)) => format!("u.seq {dir}"),
        (UserSort::Created, Db::Postgres(_)) => format!("u.created_at {dir}, u.id {dir}"),
    }
}

/// A filtered list's order and, on SQLite, the index that yields it. Told nothing,
/// SQLite looks a common filter up through its own index and sorts every match (365 ms for
/// INACTIVE at a million users) where walking the order finds a page within a few rows.
/// With a creation range, rows created in it are walked through the creation index.
fn walk(db: &Db, sort: UserSort, desc: bool, f: &Filters) -> user_filters::Walk {
    let order = order_by(db, sort, desc);
    if matches!(db, Db::Postgres(_)) {
        return user_filters::Walk {
            order,
            hint: "",
            by_creation: None,
        };
    }
    let dir = if desc { "DESC" } else { "ASC" };
    let ranged = f.created_from.is_some() || f.created_to.is_some();
    let (order, hint) = match sort {
        UserSort::Created if ranged => (
            format!("u.created_at {dir}, u.seq {dir}"),
            "INDEXED BY users_created_at",
        ),
        // Owners in creation order come from their own index, however few and wherever
        // they are: a walk of the whole table could pass 800,000 others first.
        UserSort::Created if f.clients == Some(ClientsFilter::Owner) => {
            (order, "INDEXED BY users_owners")
        }
        UserSort::Created => (order, "NOT INDEXED"),
        UserSort::Name => (order, "INDEXED BY users_name"),
        UserSort::Status => (order, "INDEXED BY users_status"),
        // The index of `email_norm`'s UNIQUE constraint (the second in `users`).
        UserSort::Email => (order, "INDEXED BY sqlite_autoindex_users_2"),
    };
    user_filters::Walk {
        order,
        hint,
        by_creation: (sort == UserSort::Created && !ranged).then_some(desc),
    }
}

const ROW_COLUMNS: &str =
    "u.id, u.email, u.first_name, u.last_name, u.phone, u.status, u.locked_until, u.lock_reason, u.two_factor,
    (u.totp_secret IS NOT NULL) AS enrolled, u.created_at, u.last_sign_in_at, u.last_sign_in_ip,
    u.invited_at, u.clients";

/// The list's rows as the search reads them.
const SOURCE: Source = Source {
    table: "users",
    alias: "u",
    columns: ROW_COLUMNS,
    fts: "users_fts",
    counter: Some("users"),
    created: "u.created_at",
    months: Some("u.created_month"),
};

/// One page of users matching the query's search, and how many match (counted up to the
/// search's cap, or estimated, for a filtered list).
pub async fn list(db: &Db, query: &PageQuery) -> Result<(Vec<UserRow>, Total), DbError> {
    list_filtered(db, query, &Filters::default()).await
}

/// `list` narrowed by Manage Users' filters (see `user_filters` for how it stays fast).
pub async fn list_filtered(
    db: &Db,
    query: &PageQuery,
    filters: &Filters,
) -> Result<(Vec<UserRow>, Total), DbError> {
    let sort = UserSort::parse(&query.sort);
    if !filters.is_empty() {
        let terms = user_filters::terms(db, filters, &query.q.to_lowercase(), now());
        let per_page = i64::from(query.per_page);
        let offset = i64::from(query.page.saturating_sub(1)) * per_page;
        let walk = walk(db, sort, query.desc, filters);
        let (rows, total) =
            user_filters::page::<Row>(db, ROW_COLUMNS, &terms, &walk, per_page, offset).await?;
        return Ok((rows.into_iter().map(UserRow::from).collect(), total));
    }
    let page = Page {
        creation_order: (sort == UserSort::Created).then_some(query.desc),
        ..Page::of(query, order_by(db, sort, query.desc))
    };
    let (rows, total) = search::page::<Row>(db, &SOURCE, &page).await?;
    Ok((rows.into_iter().map(UserRow::from).collect(), total))
}

/// The same search as a plain `LIKE '%q%'` scan with an exact count: the benchmark's
/// baseline.
pub async fn list_by_scan(db: &Db, q: &str, per_page: u32) -> Result<(Vec<UserRow>, i64), DbError> {
    let pattern = search::like_pattern(q);
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM users u WHERE u.search_text LIKE $1 ESCAPE '\\'
         ORDER BY u.created_at DESC LIMIT $2"
    );
    let rows: Vec<Row> = db
        .sql()
        .fetch_all::<Row>(&sql, (&pattern, i64::from(per_page)))
        .await?;
    let total: i64 = db
        .sql()
        .scalar(
            "SELECT COUNT(*) FROM users u WHERE u.search_text LIKE $1 ESCAPE '\\'",
            (&pattern,),
        )
        .await?;
    Ok((rows.into_iter().map(UserRow::from).collect(), total))
}

/// A user as the CSV export writes them.
#[derive(Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub language: String,
    pub status: String,
    pub email_verified: bool,
    pub two_factor: bool,
    pub enrolled: bool,
    pub invited: bool,
    pub clients: i64,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl ExportRow {
    /// Off / pending / on, as the table says it.
    pub fn two_factor_state(&self) -> TwoFactorState {
        two_factor_state(self.two_factor, self.enrolled)
    }

    /// Where the next batch starts.
    pub fn cursor(&self) -> (DateTime<Utc>, Uuid) {
        (self.created_at, self.id)
    }
}

/// Up to `limit` users matching the search `q` (as the list reads it), newest first,
/// after `after` (the last row of the previous batch): the export reads every match this
/// way, a batch at a time, each batch as cheap as the first.
pub async fn export_batch(
    db: &Db,
    q: &str,
    filters: &Filters,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<ExportRow>, DbError> {
    let columns = "u.id, u.email, u.first_name, u.last_name, u.phone, u.language, u.status,
            u.email_verified, u.two_factor, (u.totp_secret IS NOT NULL) AS enrolled,
            (u.invited_at IS NOT NULL) AS invited,
            u.clients,
            u.created_at, u.last_sign_in_at";
    // The filters' tests, numbered after the five arguments below.
    let tests = user_filters::all_tests(&user_filters::terms(db, filters, "", now()));
    let filtered = if tests.sql.is_empty() {
        String::new()
    } else {
        format!("AND {}", tests.numbered(5))
    };
    let matches = "($1 = '' OR u.search_text LIKE $2 ESCAPE '\\')";
    let order = "ORDER BY u.created_at DESC, u.id DESC LIMIT $3";
    let pattern = search::like_pattern(q);
    // The first condition alone walks the creation index; the second breaks ties. Before
    // the first batch, the cursor is past the newest row.
    let end_of_time = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc());
    let (at, id) = match (after, end_of_time) {
        (Some(cursor), _) => cursor,
        // SQLite compares times as text: a year past 9999 would sort first.
        (None, Some(t)) => (t, Uuid::max()),
        (None, None) => unreachable!("9999-12-31 is a date"),
    };
    let sql = format!(
        "SELECT {columns} FROM users u
         WHERE {matches} AND u.created_at <= $4 AND (u.created_at < $4 OR u.id < $5) {filtered} {order}"
    );
    let mut args = db.sql().list();
    args.push(q)?;
    args.push(pattern)?;
    args.push(limit)?;
    args.push(at)?;
    args.push(id)?;
    tests.push_params(&mut args)?;
    db.sql().fetch_all::<ExportRow>(&sql, args).await
}

/// A user as Create writes it.
pub struct NewUser<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: Option<&'a str>,
    pub language: &'a str,
    pub admin_notes: &'a str,
    /// Who wrote `admin_notes` (at `created_at`); `None` when there are none.
    pub admin_notes_by: Option<&'a str>,
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
    /// Invited: no password (`password_hash` empty) until they choose one from the link.
    pub invited: bool,
    /// NEW, or INACTIVE for a user imported while no mail server can invite them.
    pub status: UserStatus,
}

/// Which of `email` and `phone` another user (not `except`) already has, so that both
/// can be reported at once. The unique indexes still decide races between two saves.
pub async fn taken(
    on: impl Into<Sql<'_>>,
    email: &str,
    phone: Option<&str>,
    except: Option<Uuid>,
) -> Result<Vec<Taken>, DbError> {
    let except = except.unwrap_or(Uuid::nil());
    let (email_taken, phone_taken): (bool, bool) = on
        .into()
        .fetch_one(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email_norm = $1 AND id <> $3),
                EXISTS (SELECT 1 FROM users WHERE phone = $2 AND id <> $3)",
            (email.to_lowercase(), phone, except),
        )
        .await?;
    let mut fields = Vec::new();
    if email_taken {
        fields.push(Taken::UserEmail);
    }
    if phone_taken {
        fields.push(Taken::UserPhone);
    }
    Ok(fields)
}

/// Unique indexes name the field a duplicate belongs to (messages differ per engine).
const UNIQUE_FIELDS: &[(&str, Taken)] = &[("email", Taken::UserEmail), ("phone", Taken::UserPhone)];

pub async fn insert(tx: &mut Tx, u: &NewUser<'_>) -> Result<(), DbError> {
    let search = search_text(u.first_name, u.last_name, u.email, u.phone, u.id);
    let sql = "INSERT INTO users (id, email, email_norm, password_hash, first_name, last_name, phone, language,
                            admin_notes, two_factor, search_text, created_at, updated_at, invited_at, status,
                            admin_notes_by, admin_notes_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12,
                 CASE WHEN $13 THEN $12 END, $14, $15, CASE WHEN $15 IS NOT NULL THEN $12 END)";
    tx.sql()
        .execute(
            sql,
            (
                u.id,
                u.email,
                u.email.to_lowercase(),
                u.password_hash,
                u.first_name,
                u.last_name,
                u.phone,
                u.language,
                u.admin_notes,
                u.two_factor,
                &search,
                u.created_at,
                u.invited,
                u.status.code(),
                u.admin_notes_by,
            ),
        )
        .await
        .map_err(|e| DbError::from_unique(e, UNIQUE_FIELDS))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    language: String,
    admin_notes: String,
    status: String,
    email_verified: bool,
    phone_verified: bool,
    two_factor: bool,
    enrolled: bool,
    locked_until: Option<DateTime<Utc>>,
    lock_reason: Option<String>,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_sign_in_at: Option<DateTime<Utc>>,
    admin_notes_by: Option<String>,
    admin_notes_at: Option<DateTime<Utc>>,
    invited_at: Option<DateTime<Utc>>,
}

impl From<DetailRow> for UserDetail {
    fn from(r: DetailRow) -> Self {
        UserDetail {
            id: r.id,
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            phone: r.phone,
            language: r.language,
            admin_notes: r.admin_notes,
            status: status(&r.status),
            email_verified: r.email_verified,
            phone_verified: r.phone_verified,
            two_factor: r.two_factor,
            two_factor_state: two_factor_state(r.two_factor, r.enrolled),
            locked: r.locked_until.is_some_and(|t| t > now()),
            lock_reason: lock_reason(r.locked_until, r.lock_reason.as_deref()),
            version: r.version,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
            last_sign_in_at: r.last_sign_in_at.map(Into::into),
            admin_notes_by: r.admin_notes_by,
            admin_notes_at: r.admin_notes_at.map(Into::into),
            invited_at: r.invited_at.map(Into::into),
        }
    }
}

const DETAIL_SQL: &str =
    "SELECT id, email, first_name, last_name, phone, language, admin_notes, status,
    email_verified, phone_verified, two_factor, (totp_secret IS NOT NULL) AS enrolled, locked_until, lock_reason,
    version, created_at, updated_at, last_sign_in_at, admin_notes_by, admin_notes_at, invited_at
    FROM users WHERE id = $1";

/// Admin Notes changed: remember who (their email) and when.
pub async fn note_admin_notes_change(tx: &mut Tx, id: Uuid, by: &str) -> Result<(), DbError> {
    tx.sql()
        .execute(
            "UPDATE users SET admin_notes_by = $2, admin_notes_at = $3 WHERE id = $1",
            (id, by, now()),
        )
        .await?;
    Ok(())
}

/// On the pool, or as the row stands inside a transaction (the before side of an edit).
pub async fn detail(on: impl Into<Sql<'_>>, id: Uuid) -> Result<Option<UserDetail>, DbError> {
    let r: Option<DetailRow> = on.into().fetch_optional(DETAIL_SQL, (id,)).await?;
    Ok(r.map(UserDetail::from))
}

/// What Edit writes. `password_hash: None` keeps the password.
pub struct UserUpdate<'a> {
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: Option<&'a str>,
    pub language: &'a str,
    pub admin_notes: &'a str,
    pub status: UserStatus,
    pub email_verified: bool,
    pub phone_verified: bool,
    pub two_factor: bool,
    /// Drop the TOTP enrolment and its recovery codes (2FA turned off).
    pub clear_totp: bool,
}

/// Write `u` if the row is still at `version`; false when someone saved in between (or
/// the user is gone).
pub async fn update(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    u: &UserUpdate<'_>,
) -> Result<bool, DbError> {
    let search = search_text(u.first_name, u.last_name, u.email, u.phone, id);
    let sql =
        "UPDATE users SET email = $3, email_norm = $4, password_hash = COALESCE($5, password_hash),
            first_name = $6, last_name = $7, phone = $8, language = $9, admin_notes = $10,
            status = $11, email_verified = $12, phone_verified = $13, two_factor = $14,
            totp_secret = CASE WHEN $15 THEN NULL ELSE totp_secret END,
            totp_pending = CASE WHEN $15 THEN NULL ELSE totp_pending END,
            totp_last_step = CASE WHEN $15 THEN NULL ELSE totp_last_step END,
            two_factor_by_user = CASE WHEN two_factor <> $14 THEN FALSE ELSE two_factor_by_user END,
            search_text = $16, version = version + 1, updated_at = $17
         WHERE id = $1 AND version = $2";
    let n = tx
        .sql()
        .execute(
            sql,
            (
                id,
                version,
                u.email,
                u.email.to_lowercase(),
                u.password_hash,
                u.first_name,
                u.last_name,
                u.phone,
                u.language,
                u.admin_notes,
                u.status.code(),
                u.email_verified,
                u.phone_verified,
                u.two_factor,
                u.clear_totp,
                &search,
                now(),
            ),
        )
        .await
        .map_err(|e| DbError::from_unique(e, UNIQUE_FIELDS))?;
    if n == 1 && u.clear_totp {
        super::accounts::delete_recovery_codes(tx, super::accounts::Principal::User, id).await?;
    }
    Ok(n == 1)
}

/// A bulk action's status change, if the row is still at `version`: false when someone
/// saved in between (or the user is gone).
pub async fn set_status(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    status: UserStatus,
) -> Result<bool, DbError> {
    let sql = "UPDATE users SET status = $3, version = version + 1, updated_at = $4
               WHERE id = $1 AND version = $2";
    tx.sql()
        .changed_one(sql, (id, version, status.code(), now()))
        .await
}

/// A bulk action's "Switch 2FA off", if the row is still at `version`: 2FA off as staff
/// set it, the enrolment and its recovery codes dropped (as Edit does when it is unticked).
pub async fn switch_off_two_factor(tx: &mut Tx, id: Uuid, version: i64) -> Result<bool, DbError> {
    let sql = "UPDATE users SET two_factor = FALSE, two_factor_by_user = FALSE,
                 totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL,
                 version = version + 1, updated_at = $3
               WHERE id = $1 AND version = $2";
    let done = tx.sql().changed_one(sql, (id, version, now())).await?;
    if done {
        super::accounts::delete_recovery_codes(tx, super::accounts::Principal::User, id).await?;
    }
    Ok(done)
}

/// The user turned 2FA on or off themselves (from /account).
pub async fn set_own_two_factor(tx: &mut Tx, id: Uuid, on: bool) -> Result<(), DbError> {
    let sql = "UPDATE users SET two_factor = $2, two_factor_by_user = $2, version = version + 1, updated_at = $3 WHERE id = $1";
    tx.sql().execute(sql, (id, on, now())).await?;
    Ok(())
}

/// A new password hash, chosen by the user, in place of `old`: false when the hash is no
/// longer `old` (another change of it came first), and nothing is changed then.
pub async fn replace_password(
    tx: &mut Tx,
    id: Uuid,
    old: &str,
    hash: &str,
) -> Result<bool, DbError> {
    let sql = "UPDATE users SET password_hash = $3, version = version + 1, updated_at = $4
               WHERE id = $1 AND password_hash = $2";
    tx.sql().changed_one(sql, (id, old, hash, now())).await
}

/// Names of the clients this user owns (deleting them is refused while there are any).
pub async fn owned_clients(tx: &mut Tx, id: Uuid) -> Result<Vec<String>, DbError> {
    tx.sql()
        .scalars::<String>(
            "SELECT CASE WHEN c.company_name <> '' THEN c.company_name
                     ELSE TRIM(c.first_name || ' ' || c.last_name) END
         FROM user_clients uc JOIN clients c ON c.id = uc.client_id
         WHERE uc.user_id = $1 AND uc.is_owner ORDER BY 1",
            (id,),
        )
        .await
}

/// Delete the user; associations and sessions go with it (foreign keys cascade).
pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql().delete_row("users", id).await
}

#[derive(sqlx::FromRow)]
struct ClientRow {
    client_id: Uuid,
    first_name: String,
    last_name: String,
    company_name: String,
    tax_id: Option<String>,
    status: String,
    is_owner: bool,
    permissions: String,
}

/// The clients a user is associated with, owners first.
pub async fn clients_of(db: &Db, id: Uuid) -> Result<Vec<UserClientRow>, DbError> {
    let rows: Vec<ClientRow> = db.sql().fetch_all("SELECT c.id AS client_id, c.first_name, c.last_name, c.company_name, c.tax_id, c.status,
                uc.is_owner, uc.permissions
         FROM user_clients uc JOIN clients c ON c.id = uc.client_id
         WHERE uc.user_id = $1
         ORDER BY uc.is_owner DESC, c.company_name, c.last_name, c.first_name", (id,)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = format!("{} {}", r.first_name, r.last_name)
                .trim()
                .to_string();
            UserClientRow {
                client_id: r.client_id,
                client_name: name,
                company_name: r.company_name,
                tax_id: r.tax_id,
                status: ClientStatus::parse(&r.status).unwrap_or(ClientStatus::Inactive),
                owner: r.is_owner,
                permissions: if r.is_owner {
                    ClientPermission::ALL.to_vec()
                } else {
                    r.permissions
                        .split(',')
                        .filter_map(|p| p.trim().parse().ok())
                        .collect()
                },
            }
        })
        .collect())
}

/// Email Verified set from a verification link sent to `email_norm`; false when it was
/// already on, or the user's email is no longer that one.
pub async fn mark_email_verified(tx: &mut Tx, id: Uuid, email_norm: &str) -> Result<bool, DbError> {
    let sql = "UPDATE users SET email_verified = TRUE, version = version + 1, updated_at = $2
               WHERE id = $1 AND email_verified = FALSE AND email_norm = $3";
    tx.sql().changed_one(sql, (id, now(), email_norm)).await
}
