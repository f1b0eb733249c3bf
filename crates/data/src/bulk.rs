//! Bulk writes for `roster seed`: many rows per statement, many statements per transaction,
//! so a million users take minutes. Only demo and benchmark data goes through here.

use super::sql::List;
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
    /// Enrolled in 2FA: the secret, sealed under the server key.
    pub totp_secret: Option<String>,
    /// Invited and not accepted yet: no password.
    pub invited: bool,
    /// Sign-in locked until then (after wrong passwords).
    pub locked_until: Option<DateTime<Utc>>,
}

impl SeedUser {
    /// An active, verified user without phone or 2FA, created at `created_at`: the rows a
    /// test of a large list needs.
    pub fn plain(
        email: String,
        first_name: &str,
        last_name: String,
        created_at: DateTime<Utc>,
    ) -> Self {
        SeedUser {
            id: Uuid::new_v4(),
            email,
            first_name: first_name.into(),
            last_name,
            phone: None,
            language: "en",
            status: "ACTIVE",
            email_verified: true,
            two_factor: false,
            created_at,
            last_sign_in_at: None,
            totp_secret: None,
            invited: false,
            locked_until: None,
        }
    }
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

/// `(n rows, k columns)` as `($1, …, $k), ($k+1, …)`, or with SQLite's anonymous `?`:
/// SQLite finds a numbered parameter's name by walking the list of all of them, and the
/// driver asks for each one, so 7,500 numbered parameters cost 28 million steps a
/// statement (72 % of a million-user seed, measured with perf); `?`s are bound in order.
fn placeholders(rows: usize, cols: usize, numbered: bool) -> String {
    (0..rows)
        .map(|r| {
            let ps: Vec<String> = (1..=cols)
                .map(|c| {
                    if numbered {
                        format!("${}", r * cols + c)
                    } else {
                        "?".to_string()
                    }
                })
                .collect();
            format!("({})", ps.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Settings for a bulk transaction. SQLite: a page cache of 512 MB instead of 2 MB — a
/// million rows insert at random places in the name, email and trigram indexes, and with
/// the default cache most of those pages were read from disk again for each batch.
pub async fn for_bulk(tx: &mut Tx) -> Result<(), DbError> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("PRAGMA cache_size = -524288")
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// The secondary indexes a PostgreSQL bulk load drops and builds again afterwards:
/// building a trigram index once over a million rows is much cheaper than keeping it in
/// step row by row. Their definitions are read from the catalogue, so what is built again
/// is exactly what the migrations made. In the load's transaction: a crash rolls back the
/// rows and the drop together. Unique indexes stay: they enforce rules during the load.
pub const REBUILT_USER_INDEXES: [&str; 9] = [
    "users_search_months",
    "users_name",
    "users_status",
    "users_created_at",
    "users_locked",
    "users_invited",
    "users_two_factor_on",
    "users_two_factor_pending",
    "users_last_sign_in",
];
pub const REBUILT_CLIENT_INDEXES: [&str; 3] = [
    "clients_search_trgm",
    "clients_created_at",
    "clients_company",
];

/// PostgreSQL, a load of links in one transaction: the trigger that keeps each user's
/// client counts is paused. Each link would write its user's row again, as a new version
/// through every index; a user linked a thousand times in one transaction would be
/// rewritten a thousand times, each write finding the row past the versions before it (a
/// load of 60,000 clients for 2,000 users: over nine minutes). The table lock this takes
/// holds other writers of links off until the load commits. SQLite updates rows in place
/// and keeps its triggers.
pub async fn pause_link_counts(tx: &mut Tx) -> Result<(), DbError> {
    if let Tx::Postgres(_) = tx {
        let sql = "ALTER TABLE user_clients DISABLE TRIGGER user_clients_count";
        tx.sql().execute(sql, ()).await?;
    }
    Ok(())
}

/// After `pause_link_counts`: every user whose counts differ from their links is written
/// once, and the trigger is on again (both undone with the transaction if it fails).
pub async fn resume_link_counts(tx: &mut Tx) -> Result<(), DbError> {
    if let Tx::Postgres(_) = tx {
        let recount = "UPDATE users u SET clients = c.n, clients_owned = c.owned
            FROM (SELECT user_id, COUNT(*) AS n, COUNT(*) FILTER (WHERE is_owner) AS owned
                  FROM user_clients GROUP BY user_id) c
            WHERE u.id = c.user_id AND (u.clients <> c.n OR u.clients_owned <> c.owned)";
        tx.sql().execute(recount, ()).await?;
        let sql = "ALTER TABLE user_clients ENABLE TRIGGER user_clients_count";
        tx.sql().execute(sql, ()).await?;
    }
    Ok(())
}

/// Drop `table`'s `indexes` for a bulk load (PostgreSQL; SQLite keeps them). Returns the
/// statements that build them again.
pub async fn drop_indexes(
    tx: &mut Tx,
    table: &str,
    indexes: &[&str],
) -> Result<Vec<String>, DbError> {
    let Tx::Postgres(t) = tx else {
        return Ok(vec![]);
    };
    let names: Vec<String> = indexes.iter().map(|s| s.to_string()).collect();
    let defs: Vec<(String, String)> = sqlx::query_as(
        "SELECT indexname, indexdef FROM pg_indexes
         WHERE schemaname = current_schema() AND tablename = $1 AND indexname = ANY($2)",
    )
    .bind(table)
    .bind(&names)
    .fetch_all(&mut **t)
    .await?;
    for (name, _) in &defs {
        // The names come from the catalogue and the constant lists above, not from input.
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(&mut **t)
            .await?;
    }
    Ok(defs.into_iter().map(|(_, def)| def).collect())
}

/// Build again what `drop_indexes` dropped, with memory enough to sort in one go.
pub async fn create_indexes(tx: &mut Tx, defs: &[String]) -> Result<(), DbError> {
    let Tx::Postgres(t) = tx else {
        return Ok(());
    };
    sqlx::query("SET LOCAL maintenance_work_mem = '512MB'")
        .execute(&mut **t)
        .await?;
    for def in defs {
        sqlx::query(def).execute(&mut **t).await?;
    }
    Ok(())
}

pub async fn client_count(db: &Db) -> Result<i64, DbError> {
    db.sql()
        .scalar::<i64>("SELECT COUNT(*) FROM clients", ())
        .await
}

pub async fn user_count(db: &Db) -> Result<i64, DbError> {
    db.sql()
        .scalar::<i64>("SELECT n FROM row_counts WHERE name = 'users'", ())
        .await
}

/// Ids of up to `limit` users, newest first (owners and members for seeded clients).
pub async fn some_user_ids(db: &Db, limit: i64) -> Result<Vec<Uuid>, DbError> {
    db.sql()
        .scalars::<Uuid>(
            "SELECT id FROM users ORDER BY created_at DESC LIMIT $1",
            (limit,),
        )
        .await
}

/// `rows` in one statement: `INSERT INTO {into} VALUES …` with `cols` values a row, which
/// `push` adds in column order.
async fn insert_rows<'r, R>(
    tx: &mut Tx,
    into: &str,
    cols: usize,
    rows: &'r [R],
    push: impl Fn(&mut List<'r>, &'r R) -> Result<(), DbError>,
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO {into} VALUES {}",
        placeholders(rows.len(), cols, matches!(tx, Tx::Postgres(_)))
    );
    let on = tx.sql();
    let mut args = on.list();
    for r in rows {
        push(&mut args, r)?;
    }
    on.execute(&sql, args).await?;
    Ok(())
}

pub async fn insert_users(
    tx: &mut Tx,
    rows: &[SeedUser],
    password_hash: &str,
) -> Result<(), DbError> {
    let into =
        "users (id, email, email_norm, password_hash, first_name, last_name, phone, language,
        status, email_verified, two_factor, search_text, created_at, updated_at, last_sign_in_at,
        totp_secret, invited_at, locked_until, lock_reason)";
    // Invited users have no password until they accept.
    let hash = |u: &SeedUser| if u.invited { "" } else { password_hash };
    let lock_reason = |u: &SeedUser| u.locked_until.map(|_| "password");
    if let Tx::Postgres(t) = tx {
        return copy_in(t, into, rows, |line, u| {
            let phone = u.phone.as_deref();
            let search =
                super::users::search_text(&u.first_name, &u.last_name, &u.email, phone, u.id);
            line.field(u.id)
                .field(&u.email)
                .field(u.email.to_lowercase())
                .field(hash(u))
                .field(&u.first_name)
                .field(&u.last_name)
                .opt(phone)
                .field(u.language)
                .field(u.status)
                .field(u.email_verified)
                .field(u.two_factor)
                .field(search)
                .field(u.created_at.to_rfc3339())
                .field(u.created_at.to_rfc3339())
                .opt(u.last_sign_in_at.map(|t| t.to_rfc3339()))
                .opt(u.totp_secret.as_deref())
                .opt(u.invited.then(|| u.created_at.to_rfc3339()))
                .opt(u.locked_until.map(|t| t.to_rfc3339()))
                .opt(lock_reason(u));
        })
        .await;
    }
    insert_rows(tx, into, 19, rows, |args, u| {
        let phone = u.phone.as_deref();
        let search = super::users::search_text(&u.first_name, &u.last_name, &u.email, phone, u.id);
        args.push(u.id)?;
        args.push(u.email.as_str())?;
        args.push(u.email.to_lowercase())?;
        args.push(hash(u))?;
        args.push(u.first_name.as_str())?;
        args.push(u.last_name.as_str())?;
        args.push(phone)?;
        args.push(u.language)?;
        args.push(u.status)?;
        args.push(u.email_verified)?;
        args.push(u.two_factor)?;
        args.push(search)?;
        args.push(u.created_at)?;
        args.push(u.created_at)?;
        args.push(u.last_sign_in_at)?;
        args.push(u.totp_secret.as_deref())?;
        args.push(u.invited.then_some(u.created_at))?;
        args.push(u.locked_until)?;
        args.push(lock_reason(u))
    })
    .await
}

/// PostgreSQL: `rows` through `COPY … FROM STDIN` (text format), which skips parsing and
/// planning a statement of thousands of parameters for every batch: a million users load
/// in about half the time of multi-row `INSERT`s (`docs/measurements.md`).
async fn copy_in<R>(
    t: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    into: &str,
    rows: &[R],
    write: impl Fn(&mut CopyLine, &R),
) -> Result<(), DbError> {
    let mut line = CopyLine::default();
    for r in rows {
        write(&mut line, r);
        line.end();
    }
    let mut copy = t.copy_in_raw(&format!("COPY {into} FROM STDIN")).await?;
    copy.send(line.buf).await?;
    copy.finish().await?;
    Ok(())
}

/// Lines of `COPY`'s text format: fields split by tabs, `\N` for NULL, and the four
/// characters that would end a field or a line escaped.
#[derive(Default)]
struct CopyLine {
    buf: Vec<u8>,
    fields: usize,
}

impl CopyLine {
    fn field(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let text = v.to_string();
        for b in text.bytes() {
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                _ => self.buf.push(b),
            }
        }
        self
    }

    fn opt(&mut self, v: Option<impl std::fmt::Display>) -> &mut Self {
        match v {
            Some(v) => self.field(v),
            None => {
                self.sep();
                self.buf.extend_from_slice(b"\\N");
                self
            }
        }
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.buf.push(b'\t');
        }
        self.fields += 1;
    }

    fn end(&mut self) {
        self.buf.push(b'\n');
        self.fields = 0;
    }
}

pub async fn insert_clients(tx: &mut Tx, rows: &[SeedClient]) -> Result<(), DbError> {
    let into = "clients (id, first_name, last_name, company_name, tax_id, status, search_text,
        created_at, updated_at)";
    if let Tx::Postgres(t) = tx {
        return copy_in(t, into, rows, |line, r| {
            let tax_id = r.tax_id.as_deref();
            let search = client_search(r);
            line.field(r.id)
                .field(&r.first_name)
                .field(&r.last_name)
                .field(&r.company_name)
                .opt(tax_id)
                .field(r.status)
                .field(search)
                .field(r.created_at.to_rfc3339())
                .field(r.created_at.to_rfc3339());
        })
        .await;
    }
    insert_rows(tx, into, 9, rows, |args, r| {
        let tax_id = r.tax_id.as_deref();
        let (first, last, company) = (&r.first_name, &r.last_name, &r.company_name);
        let search = client_search(r);
        args.push(r.id)?;
        args.push(first.as_str())?;
        args.push(last.as_str())?;
        args.push(company.as_str())?;
        args.push(tax_id)?;
        args.push(r.status)?;
        args.push(search)?;
        args.push(r.created_at)?;
        args.push(r.created_at)
    })
    .await
}

fn client_search(r: &SeedClient) -> String {
    let (first, last, company) = (&r.first_name, &r.last_name, &r.company_name);
    let tax_id = r.tax_id.as_deref().unwrap_or("");
    format!("{first} {last} {company} {tax_id} {}", r.id).to_lowercase()
}

pub async fn insert_links(tx: &mut Tx, rows: &[SeedLink]) -> Result<(), DbError> {
    let t = now();
    let into = "user_clients (user_id, client_id, is_owner, permissions, created_at)";
    if let Tx::Postgres(pg) = tx {
        let at = t.to_rfc3339();
        return copy_in(pg, into, rows, |line, r| {
            line.field(r.user_id)
                .field(r.client_id)
                .field(r.owner)
                .field(&r.permissions)
                .field(&at);
        })
        .await;
    }
    insert_rows(tx, into, 5, rows, |args, r| {
        args.push(r.user_id)?;
        args.push(r.client_id)?;
        args.push(r.owner)?;
        args.push(r.permissions.as_str())?;
        args.push(t)
    })
    .await
}

/// After a bulk load: fresh planner statistics, so searches pick the right index.
/// PostgreSQL also vacuums: a load leaves dead row versions (each linked user's counts
/// are written again) and an empty visibility map, and autovacuum would otherwise clean
/// them up while the first searches run (a benchmark right after a seed: 30 % slower),
/// with index-only scans visiting the table until it has.
pub async fn analyze(db: &Db) -> Result<(), DbError> {
    match db {
        Db::Sqlite(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
            // Each trigram index merged into one segment: a load leaves hundreds.
            for fts in ["users_fts", "users_inactive_fts", "users_new_fts"] {
                let sql = format!("INSERT INTO {fts} ({fts}) VALUES ('optimize')");
                sqlx::query(&sql).execute(p).await?;
            }
        }
        Db::Postgres(p) => {
            // VACUUM cannot run in a transaction: the pool's connection runs it alone.
            sqlx::query("VACUUM (ANALYZE) users, clients, user_clients")
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
    db.sql()
        .fetch_all(
            "SELECT email, first_name, last_name, phone, id FROM users ORDER BY random() LIMIT $1",
            (n,),
        )
        .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_column() {
        assert_eq!(
            super::placeholders(2, 3, true),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(super::placeholders(2, 2, false), "(?, ?), (?, ?)");
    }

    #[test]
    fn copy_lines_escape_what_would_end_a_field() {
        let mut l = super::CopyLine::default();
        l.field("a\tb").opt(None::<&str>).field("c\\d\ne\r");
        l.end();
        l.field(true);
        l.end();
        assert_eq!(l.buf, b"a\\tb\t\\N\tc\\\\d\\ne\\r\ntrue\n");
    }
}
