//! Running one statement on either engine, on the pool or inside a transaction: the SQL
//! and its arguments are written once, and `Sql` picks the driver.
//!
//! `db.sql().execute("DELETE FROM sessions WHERE id = $1", (id,))` — the arguments are a
//! tuple of values both drivers can bind; rows come back as any type that both drivers
//! can build (`FromRow` for SQLite and PostgreSQL).

use crate::{Db, DbError, Tx};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Encode, FromRow, Postgres, Sqlite, Type};

/// Where a statement runs: the pool, or an open transaction.
pub enum Sql<'c> {
    Pool(&'c Db),
    Tx(&'c mut Tx),
}

impl<'c> From<&'c Db> for Sql<'c> {
    fn from(db: &'c Db) -> Self {
        Sql::Pool(db)
    }
}

impl<'c> From<&'c mut Tx> for Sql<'c> {
    fn from(tx: &'c mut Tx) -> Self {
        Sql::Tx(tx)
    }
}

impl Db {
    pub(crate) fn sql(&self) -> Sql<'_> {
        Sql::Pool(self)
    }
}

impl Tx {
    pub(crate) fn sql(&mut self) -> Sql<'_> {
        Sql::Tx(self)
    }
}

/// A value both drivers can bind.
pub trait Arg<'q>:
    'q + Send + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres>
{
}

impl<'q, T> Arg<'q> for T where
    T: 'q + Send + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres>
{
}

/// A row both drivers can build.
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A statement's arguments in order: `()`, `(a,)`, `(a, b)`, … up to eighteen.
pub trait Args<'q>: Send {
    fn sqlite(self) -> Result<SqliteArguments<'q>, DbError>;
    fn postgres(self) -> Result<PgArguments, DbError>;
}

fn add<'q, A, V>(args: &mut A, value: V) -> Result<(), DbError>
where
    A: Arguments<'q>,
    V: 'q + Encode<'q, A::Database> + Type<A::Database>,
{
    args.add(value)
        .map_err(|e| DbError::Sqlx(sqlx::Error::Encode(e)))
}

macro_rules! args_for_tuples {
    ($($v:ident)*) => {
        impl<'q, $($v: Arg<'q>),*> Args<'q> for ($($v,)*) {
            #[allow(non_snake_case, unused_mut)]
            fn sqlite(self) -> Result<SqliteArguments<'q>, DbError> {
                let ($($v,)*) = self;
                let mut args = SqliteArguments::default();
                $(add(&mut args, $v)?;)*
                Ok(args)
            }

            #[allow(non_snake_case, unused_mut)]
            fn postgres(self) -> Result<PgArguments, DbError> {
                let ($($v,)*) = self;
                let mut args = PgArguments::default();
                $(add(&mut args, $v)?;)*
                Ok(args)
            }
        }
    };
}

args_for_tuples!();
args_for_tuples!(A);
args_for_tuples!(A B);
args_for_tuples!(A B C);
args_for_tuples!(A B C D);
args_for_tuples!(A B C D E);
args_for_tuples!(A B C D E F);
args_for_tuples!(A B C D E F G);
args_for_tuples!(A B C D E F G H);
args_for_tuples!(A B C D E F G H I);
args_for_tuples!(A B C D E F G H I J);
args_for_tuples!(A B C D E F G H I J K);
args_for_tuples!(A B C D E F G H I J K L);
args_for_tuples!(A B C D E F G H I J K L M);
args_for_tuples!(A B C D E F G H I J K L M N);
args_for_tuples!(A B C D E F G H I J K L M N O);
args_for_tuples!(A B C D E F G H I J K L M N O P);
args_for_tuples!(A B C D E F G H I J K L M N O P Q);
args_for_tuples!(A B C D E F G H I J K L M N O P Q R);

/// Arguments counted at run time (a filter's, a bulk insert's), built for the engine of
/// the `Sql` that made them.
pub enum List<'q> {
    Sqlite(SqliteArguments<'q>),
    Postgres(PgArguments),
}

impl<'q> List<'q> {
    pub fn push<V: Arg<'q>>(&mut self, value: V) -> Result<(), DbError> {
        match self {
            List::Sqlite(a) => add(a, value),
            List::Postgres(a) => add(a, value),
        }
    }
}

impl<'q> Args<'q> for List<'q> {
    fn sqlite(self) -> Result<SqliteArguments<'q>, DbError> {
        match self {
            List::Sqlite(a) => Ok(a),
            List::Postgres(_) => Err(DbError::EngineMismatch),
        }
    }

    fn postgres(self) -> Result<PgArguments, DbError> {
        match self {
            List::Postgres(a) => Ok(a),
            List::Sqlite(_) => Err(DbError::EngineMismatch),
        }
    }
}

/// `$body` with `$args` built for the driver behind `$on` and `$c` its executor.
macro_rules! on_driver {
    ($on:expr, $args:expr, |$a:ident, $c:ident| $body:expr) => {
        match $on {
            Sql::Pool(Db::Sqlite($c)) => {
                let $a = $args.sqlite()?;
                $body
            }
            Sql::Pool(Db::Postgres($c)) => {
                let $a = $args.postgres()?;
                $body
            }
            Sql::Tx(Tx::Sqlite(t)) => {
                let ($a, $c) = ($args.sqlite()?, &mut **t);
                $body
            }
            Sql::Tx(Tx::Postgres(t)) => {
                let ($a, $c) = ($args.postgres()?, &mut **t);
                $body
            }
        }
    };
}

impl Sql<'_> {
    /// Empty arguments for this engine, to `push` onto.
    pub(crate) fn list<'q>(&self) -> List<'q> {
        match self {
            Sql::Pool(Db::Sqlite(_)) | Sql::Tx(Tx::Sqlite(_)) => List::Sqlite(Default::default()),
            Sql::Pool(Db::Postgres(_)) | Sql::Tx(Tx::Postgres(_)) => {
                List::Postgres(Default::default())
            }
        }
    }

    /// Run a statement; the number of rows it changed.
    pub(crate) async fn execute<'q>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<u64, DbError> {
        Ok(on_driver!(self, args, |a, c| {
            sqlx::query_with(sql, a).execute(c).await?.rows_affected()
        }))
    }

    /// Run a statement meant to change exactly one row: whether it did (false when the
    /// row was gone, or another request changed it first).
    pub(crate) async fn changed_one<'q>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<bool, DbError> {
        Ok(self.execute(sql, args).await? == 1)
    }

    /// Delete the row of `table` (a fixed name, never input) whose id is `id`: whether
    /// there was one.
    pub(crate) async fn delete_row(
        self,
        table: &'static str,
        id: uuid::Uuid,
    ) -> Result<bool, DbError> {
        let sql = format!("DELETE FROM {table} WHERE id = $1");
        self.changed_one(&sql, (id,)).await
    }

    pub(crate) async fn fetch_one<'q, R: Record>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<R, DbError> {
        Ok(on_driver!(self, args, |a, c| {
            sqlx::query_as_with(sql, a).fetch_one(c).await?
        }))
    }

    pub(crate) async fn fetch_optional<'q, R: Record>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<Option<R>, DbError> {
        Ok(on_driver!(self, args, |a, c| {
            sqlx::query_as_with(sql, a).fetch_optional(c).await?
        }))
    }

    pub(crate) async fn fetch_all<'q, R: Record>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<Vec<R>, DbError> {
        Ok(on_driver!(self, args, |a, c| {
            sqlx::query_as_with(sql, a).fetch_all(c).await?
        }))
    }

    /// The one value of the one row.
    pub(crate) async fn scalar<'q, T>(self, sql: &'q str, args: impl Args<'q>) -> Result<T, DbError>
    where
        (T,): Record,
    {
        Ok(self.fetch_one::<(T,)>(sql, args).await?.0)
    }

    pub(crate) async fn scalar_optional<'q, T>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<Option<T>, DbError>
    where
        (T,): Record,
    {
        Ok(self.fetch_optional::<(T,)>(sql, args).await?.map(|r| r.0))
    }

    /// The first value of every row.
    pub(crate) async fn scalars<'q, T>(
        self,
        sql: &'q str,
        args: impl Args<'q>,
    ) -> Result<Vec<T>, DbError>
    where
        (T,): Record,
    {
        let rows = self.fetch_all::<(T,)>(sql, args).await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
