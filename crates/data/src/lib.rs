//! One data layer over SQLite and PostgreSQL. SQL is written once with `$1` placeholders
//! (both engines accept them) and run on whichever pool is configured; the two macros
//! below expand a query for each engine so that types are checked for both.

pub mod accounts;
pub mod attempts;
pub mod audit;
pub mod bulk;
pub mod clients;
pub mod devices;
pub mod invitations;
pub mod locks;
pub mod mail;
pub mod mail_tokens;
pub mod rate_limits;
pub mod search;
pub mod server_key;
pub mod sessions;
pub mod setup_tokens;
pub mod sql;
pub mod staff;
mod user_filters;
pub mod users;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("taken: {0:?}")]
    Duplicate(roster_types::Taken),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Arguments built for one engine sent to the other: a bug in this crate.
    #[error("arguments built for the other database engine")]
    EngineMismatch,
}

/// The data layer's errors as the API answers them. Contention (SQLite busy past its
/// timeout, a PostgreSQL serialization failure or deadlock, no free connection) is a
/// "try again" 503, not a 500; a uniqueness race is the field's error.
impl From<DbError> for roster_types::AppError {
    fn from(e: DbError) -> Self {
        use roster_types::AppError;
        if e.is_contention() {
            tracing::warn!(error = %e, "database contention");
            return AppError::Busy {
                retry_after_secs: 1,
            };
        }
        match e {
            DbError::Duplicate(taken) => taken.into(),
            other => AppError::internal(other),
        }
    }
}

impl DbError {
    /// Another transaction was in the way: worth trying again, not a fault.
    pub fn is_contention(&self) -> bool {
        match self {
            DbError::Sqlx(sqlx::Error::PoolTimedOut) => true,
            DbError::Sqlx(sqlx::Error::Database(d)) => matches!(
                d.code().as_deref(),
                // SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
                Some("5" | "6" | "261" | "262" | "517" | "773")
                // serialization_failure, deadlock_detected, lock_not_available
                | Some("40001" | "40P01" | "55P03")
            ),
            _ => false,
        }
    }

    /// Map a unique-constraint failure to what it protects (by the index or column named in
    /// the engine's message), so that a race between two creators ends in a field error.
    pub fn from_unique(e: DbError, map: &[(&str, roster_types::Taken)]) -> Self {
        if let DbError::Sqlx(sqlx::Error::Database(d)) = &e {
            if d.is_unique_violation() {
                let text = format!("{} {}", d.message(), d.constraint().unwrap_or(""));
                for (needle, taken) in map {
                    if text.contains(needle) {
                        return DbError::Duplicate(*taken);
                    }
                }
            }
        }
        e
    }
}

impl Db {
    /// Open (creating a SQLite file when needed) and migrate.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(SqliteConnectOptions::from_str(url)?).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::connect_postgres(PgConnectOptions::from_str(url)?).await
        } else {
            Err(DbError::UnsupportedUrl(redact_url(url)))
        }
    }

    pub async fn connect_sqlite(opts: SqliteConnectOptions) -> Result<Self, DbError> {
        let opts = opts
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            // Pages read through a shared memory map rather than copied into each
            // connection's own 2 MB cache: a filter that looks up a few thousand rows all
            // over the table reads them at memory speed (2 µs a row at a million users,
            // against 6 µs with only the first 256 MB mapped). The map is the file's,
            // backed by the OS page cache and given back under pressure: it bounds address
            // space, not memory in use, though RSS counts its pages once per connection.
            // 2 GB is SQLite's own ceiling for it.
            .pragma("mmap_size", "2147418112");
        let db = Db::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(8)
                // No ping before each use: a connection to a file in this process cannot
                // go stale, and the pool already pings it when it comes back (which also
                // rolls back anything a dropped request left open). One round trip to the
                // connection's thread fewer per query.
                .test_before_acquire(false)
                .connect_with(opts)
                .await?,
        );
        db.migrate().await?;
        Ok(db)
    }

    pub async fn connect_postgres(opts: PgConnectOptions) -> Result<Self, DbError> {
        // Plan each search for its own pattern: a generic plan cannot tell a rare
        // substring from a common one, and picks badly for one of them. No parallel
        // workers: a request's query is small, and starting two workers cost more than
        // they saved (the 2,900 LOCKED users sorted for a page: 114 ms with them, 34
        // without), taking the cores other requests were waiting for.
        let opts = opts.options([
            ("plan_cache_mode", "force_custom_plan"),
            ("max_parallel_workers_per_gather", "0"),
        ]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        let db = Db::Postgres(pool);
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads first and writes later fails with "database is
    /// locked" when another writer got in between, where an immediate one waits its turn
    /// (up to the busy timeout).
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// For `/healthz`: a round trip to the database.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.sql().execute("SELECT 1", ()).await?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    /// A point this transaction can go back to (`undo_to`) and go on: one row of a batch
    /// that fails leaves the others (savepoints, the same on both engines).
    pub async fn mark(&mut self, name: &'static str) -> Result<(), DbError> {
        self.sql().execute(&format!("SAVEPOINT {name}"), ()).await?;
        Ok(())
    }

    /// Keep what was done since `mark(name)`.
    pub async fn keep(&mut self, name: &'static str) -> Result<(), DbError> {
        self.sql()
            .execute(&format!("RELEASE SAVEPOINT {name}"), ())
            .await?;
        Ok(())
    }

    /// Undo what was done since `mark(name)`; the transaction goes on.
    pub async fn undo_to(&mut self, name: &'static str) -> Result<(), DbError> {
        self.sql()
            .execute(&format!("ROLLBACK TO SAVEPOINT {name}"), ())
            .await?;
        self.keep(name).await
    }

    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Undo everything, now (a dropped transaction is rolled back only when its connection
    /// is next used).
    pub async fn rollback(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

/// The URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Now, at the precision both engines keep (microseconds), so what is written reads back equal.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let n = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(
            super::redact_url("postgres://roster:s3cret@db/roster"),
            "postgres://roster:***@db/roster"
        );
        assert_eq!(
            super::redact_url("sqlite://data/roster.db"),
            "sqlite://data/roster.db"
        );
    }
}
