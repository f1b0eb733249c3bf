//! The PostgreSQL planner: a `pg_trgm` GIN index over `search_text`, probed with the
//! query's rarest stretch, and `strpos` to check the whole query.

use super::{index_probe, like_pattern, plan, Found, Page, Plan, Source};
use crate::sql::Record;
use crate::DbError;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool, Row};

/// PostgreSQL counts through the heap (trigram matches are rechecked row by row), so it
/// stops counting sooner than SQLite.
const COUNT_CAP: i64 = 1_000;

pub(super) async fn page<R>(c: &PgPool, s: &Source, p: &Page) -> Result<Found<R>, DbError>
where
    R: Record,
{
    let (table, a) = (s.table, s.alias);
    match plan(&p.q) {
        // An empty query is answered by `search::page`; here it would scan and match all.
        Plan::All | Plan::Scan => {
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {table} {a} WHERE strpos({a}.search_text, $1) > 0 LIMIT $2) m"
            );
            let total: i64 = sqlx::query_scalar(&sql)
                .bind(&p.q)
                .bind(COUNT_CAP)
                .fetch_one(c)
                .await?;
            let rows = walk(c, s, p).await?;
            Ok((rows, total, total >= COUNT_CAP))
        }
        Plan::Indexed => indexed(c, s, p).await,
    }
}

/// The index looks up a short, likely rare stretch of the query; every candidate is then
/// checked for the whole query. A long query's many common trigrams (".com", "example")
/// would cost more to look up than they filter. One pass finds the matches (up to the
/// cap), counts them and sorts the page.
async fn indexed<R>(c: &PgPool, s: &Source, p: &Page) -> Result<Found<R>, DbError>
where
    R: Record,
{
    let (table, a, columns) = (s.table, s.alias, s.columns);
    let order = &p.order;
    let probe = like_pattern(&index_probe(&p.q));
    let matches = format!(
        "SELECT {a}.id FROM {table} {a}
         WHERE {a}.search_text LIKE $1 ESCAPE '\\' AND strpos({a}.search_text, $2) > 0 LIMIT $3"
    );
    let sql = format!(
        "WITH m AS MATERIALIZED ({matches})
         SELECT {columns}, (SELECT COUNT(*) FROM m) AS total
         FROM {table} {a} WHERE {a}.id IN (SELECT id FROM m)
         ORDER BY {order} LIMIT $4 OFFSET $5"
    );
    let rows: Vec<Counted<R>> = sqlx::query_as(&sql)
        .bind(&probe)
        .bind(&p.q)
        .bind(COUNT_CAP)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await?;
    match rows.first().map(|r| r.total) {
        Some(total) if total < COUNT_CAP => {
            return Ok((rows.into_iter().map(|r| r.row).collect(), total, false));
        }
        // A page past the end: the matches are counted, there are just none here.
        None => {
            let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({matches}) m"))
                .bind(&probe)
                .bind(&p.q)
                .bind(COUNT_CAP)
                .fetch_one(c)
                .await?;
            if total < COUNT_CAP {
                return Ok((vec![], total, false));
            }
        }
        // Capped: those were some matches, not the first in sort order.
        Some(_) => {}
    }
    Ok((walk(c, s, p).await?, COUNT_CAP, true))
}

/// Walk the sort order and test each row: a page of a common search fills fast.
async fn walk<R>(c: &PgPool, s: &Source, p: &Page) -> Result<Vec<R>, DbError>
where
    R: Record,
{
    let (table, a, columns) = (s.table, s.alias, s.columns);
    let sql = format!(
        "SELECT {columns} FROM {table} {a} WHERE strpos({a}.search_text, $1) > 0
         ORDER BY {} LIMIT $2 OFFSET $3",
        p.order
    );
    Ok(sqlx::query_as::<_, R>(&sql)
        .bind(&p.q)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await?)
}

/// A page row with the count of all matches beside it.
struct Counted<R> {
    row: R,
    total: i64,
}

impl<'r, R: FromRow<'r, PgRow>> FromRow<'r, PgRow> for Counted<R> {
    fn from_row(row: &'r PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            row: R::from_row(row)?,
            total: row.try_get("total")?,
        })
    }
}
