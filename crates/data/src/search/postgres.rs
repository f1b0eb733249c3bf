//! The PostgreSQL planner: a `pg_trgm` GIN index over `search_text`, probed with the
//! query's rarest stretch, and `strpos` to check the whole query.
//!
//! A trigram index cannot yield matches in a list's order: it collects every candidate
//! before the first page can be chosen, which for a common search ("vel", four phone
//! digits) is tens of thousands of rows. So the planner first tests a sample of the rows a
//! walk would start with: when the search is common there, walking the list's order and
//! testing each row fills a page within a few thousand rows, and the total is estimated
//! from a sample spread over the table ("about 29,000"); when it is rare there, the index
//! counts the matches (to a cap of 250). A search whose matches lie elsewhere (four digits
//! of the old rows' email numbers) is paged, in creation order, one creation month at a
//! time; a sample of blocks spread over the table, read beside the first, says whether it
//! is common enough not to count at all.

use super::{
    capped, index_probe, key_pattern, plan, Counted, Found, Page, Plan, Source, COUNTER, PROBE_LEN,
};
use crate::sql::Record;
use crate::DbError;
use roster_types::page::Total;
use sqlx::PgPool;

/// PostgreSQL counts through the heap (trigram matches are rechecked row by row, each in
/// its own block: about 10 µs a match at a million users), so it stops counting sooner
/// than SQLite; beyond this the total is estimated.
const COUNT_CAP: i64 = 250;

/// An estimate this high is over `COUNT_CAP` for sure (eight or more hits in the sample
/// spread over a million rows), so counting to the cap would only confirm it.
const COMMON: i64 = 2_000;

/// How many of the newest rows the density sample tests: about a millisecond's reading.
const SAMPLE: i64 = 4_000;

/// A search this common in the sample (0.1 % of rows) is walked, not looked up: a page of
/// 25 then fills within about 25,000 rows (a few milliseconds, read in order), where the
/// index would fetch its matches from all over the table first.
const DENSE_HITS: i64 = 4;

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
            Ok((rows, capped(total, COUNT_CAP)))
        }
        // A query as long as the index's probe is nearly always rare, and the index looks
        // up its rarest stretch: the sample would only add its millisecond.
        Plan::Indexed if p.q.chars().count() >= PROBE_LEN => indexed(c, s, p, None).await,
        // Both samples at once, each on its own connection: a millisecond of reading each.
        Plan::Indexed => match tokio::try_join!(sample(c, s, p), spread(c, s, &p.q))? {
            (Start::Whole(n), _) => Ok((walk(c, s, p).await?, Total::Exact(n))),
            (Start::Dense(hits), spread) => {
                let rows = match months(s, p) {
                    Some((desc, month)) if !walk_is_short(hits, p) => {
                        by_month(c, s, month, p, desc).await?
                    }
                    _ => walk(c, s, p).await?,
                };
                Ok((rows, Total::about(spread.about(hits))))
            }
            (Start::Rare, spread) => rare(c, s, p, spread.about(0)).await,
        },
    }
}

/// Rare among the rows the list starts with. When the sample spread over the table still
/// finds the search common (its matches lie elsewhere: four digits of the old rows' email
/// numbers), counting to the cap would read its matches from all over the table, and a
/// weak trigram probe ("o.70") many more candidates; the page is looked up month by month
/// instead and the total estimated. Otherwise the index finds and counts the matches.
async fn rare<R>(c: &PgPool, s: &Source, p: &Page, about: i64) -> Result<Found<R>, DbError>
where
    R: Record,
{
    match months(s, p) {
        Some((desc, month)) if about >= COMMON => {
            let rows = by_month(c, s, month, p, desc).await?;
            Ok((rows, Total::about(about)))
        }
        _ => indexed(c, s, p, Some(about)).await,
    }
}

/// What the sample of the rows a walk starts with says about a search.
#[derive(Debug, PartialEq, Eq)]
enum Start {
    /// The sample was the whole table: exactly this many match.
    Whole(i64),
    /// Common there: this many of the sample's rows match.
    Dense(i64),
    Rare,
}

/// Test `q` against the first `SAMPLE` rows of the walk (the oldest when the list runs
/// oldest first, else the newest): they decide whether walking finds a page soon. Users'
/// creation index holds their search text, so either end costs a millisecond's reading
/// there; read from the table, the newest rows cost three times that and more, since every
/// update writes a row's new version wherever there is room.
async fn sample(c: &PgPool, s: &Source, p: &Page) -> Result<Start, DbError> {
    let (table, a, created, q) = (s.table, s.alias, s.created, &p.q);
    let first = match p.creation_order {
        Some(false) => "ASC",
        _ => "DESC",
    };
    let sql = format!(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE strpos(search_text, $1) > 0)
         FROM (SELECT {a}.search_text FROM {table} {a} ORDER BY {created} {first} LIMIT $2) sample"
    );
    let (read, hits): (i64, i64) = sqlx::query_as(&sql)
        .bind(q)
        .bind(SAMPLE)
        .fetch_one(c)
        .await?;
    Ok(if read < SAMPLE {
        Start::Whole(hits)
    } else if hits < DENSE_HITS {
        Start::Rare
    } else {
        Start::Dense(hits)
    })
}

/// A sample of about `SAMPLE` rows in blocks spread over the table (the newest rows need
/// not be like the rest): `hits` of its `read` rows match, in a table of about `rows`.
struct Spread {
    hits: i64,
    read: i64,
    rows: i64,
}

impl Spread {
    /// About how many rows match in the whole table. Should the blocks hold no rows, the
    /// `start_hits` of the walk's first `SAMPLE` rows are scaled instead.
    fn about(&self, start_hits: i64) -> i64 {
        match self.read {
            0 => scale(start_hits, SAMPLE, self.rows),
            read => scale(self.hits, read, self.rows),
        }
    }
}

/// Sample the table for `q`. The same blocks every time, so a list's pages agree on the
/// estimate.
async fn spread(c: &PgPool, s: &Source, q: &str) -> Result<Spread, DbError> {
    let (table, a) = (s.table, s.alias);
    let rows: i64 = match s.counter {
        Some(name) => sqlx::query_scalar(COUNTER).bind(name).fetch_one(c).await?,
        // The planner's row estimate: this is an estimate anyway (-1 if never analysed).
        None => {
            sqlx::query_scalar::<_, f32>("SELECT reltuples FROM pg_class WHERE oid = $1::regclass")
                .bind(table)
                .fetch_one(c)
                .await? as i64
        }
    };
    let rows = rows.max(SAMPLE);
    let sql = format!(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE strpos({a}.search_text, $1) > 0)
         FROM {table} {a} TABLESAMPLE SYSTEM ($2) REPEATABLE (0)"
    );
    let (read, hits): (i64, i64) = sqlx::query_as(&sql)
        .bind(q)
        .bind(sample_percent(rows))
        .fetch_one(c)
        .await?;
    Ok(Spread { hits, read, rows })
}

/// The share of a table of `rows` rows that holds about `SAMPLE` of them.
fn sample_percent(rows: i64) -> f32 {
    (100.0 * SAMPLE as f64 / rows.max(1) as f64).min(100.0) as f32
}

/// `hits` of `read` sampled rows, scaled to a table of `rows`.
fn scale(hits: i64, read: i64, rows: i64) -> i64 {
    i64::try_from(i128::from(hits) * i128::from(rows) / i128::from(read.max(1))).unwrap_or(i64::MAX)
}

/// The index looks up a short, likely rare stretch of the query; every candidate is then
/// checked for the whole query. A long query's many common trigrams (".com", "example")
/// would cost more to look up than they filter. One pass finds the matches (up to the
/// cap), counts them and sorts the page; the page's own columns are read last. `about` is
/// the table's estimate when it was already taken.
async fn indexed<R>(
    c: &PgPool,
    s: &Source,
    p: &Page,
    about: Option<i64>,
) -> Result<Found<R>, DbError>
where
    R: Record,
{
    let (table, a, columns) = (s.table, s.alias, s.columns);
    let order = &p.order;
    let probe = key_pattern(&index_probe(&p.q));
    let matches = format!(
        "SELECT * FROM {table} {a}
         WHERE {a}.search_key LIKE $1 AND strpos({a}.search_text, $2) > 0 LIMIT $3"
    );
    let sql = format!(
        "SELECT {columns}, COUNT(*) OVER () AS total FROM ({matches}) {a}
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
            return Ok((
                rows.into_iter().map(|r| r.row).collect(),
                Total::Exact(total),
            ));
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
                return Ok((vec![], Total::Exact(total)));
            }
        }
        // Capped: those were some matches, not the first in sort order.
        Some(_) => {}
    }
    let Some((desc, month)) = months(s, p) else {
        return Ok((walk(c, s, p).await?, Total::AtLeast(COUNT_CAP)));
    };
    // Common, yet not among the rows the list starts with (the sample said rare): walking
    // the creation order would read tens of thousands of rows before the first match.
    let rows = by_month(c, s, month, p, desc).await?;
    let about = match about {
        Some(about) => about,
        None => spread(c, s, &p.q).await?.about(0),
    };
    let total = if about > COUNT_CAP {
        Total::about(about)
    } else {
        Total::AtLeast(COUNT_CAP)
    };
    Ok((rows, total))
}

/// Whether a page in creation order can be looked up month by month: on a list with a
/// creation month column, sorted by creation; the direction and the column.
fn months<'s>(s: &'s Source, p: &Page) -> Option<(bool, &'s str)> {
    Some((p.creation_order?, s.months?))
}

/// Whether walking the list's order fills the page within about as many rows as the
/// sample read, where `hits` of the sample's rows matched.
fn walk_is_short(hits: i64, p: &Page) -> bool {
    p.offset.saturating_add(p.limit) <= hits
}

/// A page in creation order, looked up one creation month at a time from the newest (or
/// the oldest) month: the index keys each row by its month and trigrams, so each month
/// costs its own matches only, and the query stops at the month that fills the page.
async fn by_month<R>(
    c: &PgPool,
    s: &Source,
    month: &str,
    p: &Page,
    desc: bool,
) -> Result<Vec<R>, DbError>
where
    R: Record,
{
    let (table, a, columns) = (s.table, s.alias, s.columns);
    let (created, order) = (s.created, &p.order);
    // Months from the first row's to the last row's in the list's direction.
    let (dir, step, last) = match desc {
        true => ("DESC", -1, "ASC"),
        false => ("ASC", 1, "DESC"),
    };
    let sql = format!(
        "WITH page AS (
             SELECT hit.id FROM generate_series(
                 (SELECT {month} FROM {table} {a} ORDER BY {created} {dir} LIMIT 1),
                 (SELECT {month} FROM {table} {a} ORDER BY {created} {last} LIMIT 1), {step}) AS m(month)
             CROSS JOIN LATERAL (
                 SELECT {a}.id FROM {table} {a}
                 WHERE {month} = m.month AND {a}.search_key LIKE $1
                   AND strpos({a}.search_text, $2) > 0
                 ORDER BY {created} {dir}, {a}.id {dir}
             ) hit
             LIMIT $3 OFFSET $4
         )
         SELECT {columns} FROM page JOIN {table} {a} ON {a}.id = page.id ORDER BY {order}"
    );
    Ok(sqlx::query_as::<_, R>(&sql)
        .bind(key_pattern(&index_probe(&p.q)))
        .bind(&p.q)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await?)
}

/// Walk the sort order and test each row: a page of a common search fills fast. The
/// page's ids are found first, so that an index holding the order and the search text
/// (users by creation: migration `users_created_covering`) answers the walk alone and
/// only the page's rows are read from the table.
async fn walk<R>(c: &PgPool, s: &Source, p: &Page) -> Result<Vec<R>, DbError>
where
    R: Record,
{
    let (table, a, columns, order) = (s.table, s.alias, s.columns, &p.order);
    let sql = format!(
        "SELECT {columns} FROM (
             SELECT {a}.id FROM {table} {a} WHERE strpos({a}.search_text, $1) > 0
             ORDER BY {order} LIMIT $2 OFFSET $3
         ) page JOIN {table} {a} ON {a}.id = page.id
         ORDER BY {order}"
    );
    Ok(sqlx::query_as::<_, R>(&sql)
        .bind(&p.q)
        .bind(p.limit)
        .bind(p.offset)
        .fetch_all(c)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_scales_to_the_table() {
        assert_eq!(scale(58, 2_000, 1_000_000), 29_000);
        assert_eq!(scale(61, 1_795, 1_000_000), 33_983);
        assert_eq!(scale(2_000, 2_000, i64::MAX), i64::MAX);
        assert_eq!(scale(3, 0, 10), 30);
    }

    #[test]
    fn a_spread_sample_of_no_rows_falls_back_to_the_walks_first_rows() {
        let spread = |hits, read| Spread {
            hits,
            read,
            rows: 1_000_000,
        };
        assert_eq!(spread(8, 4_000).about(0), 2_000);
        assert_eq!(spread(8, 4_000).about(400), 2_000);
        assert_eq!(spread(0, 0).about(40), 10_000);
        assert_eq!(spread(0, 0).about(0), 0);
    }

    #[test]
    fn a_walk_is_short_when_the_sample_already_holds_the_page() {
        let page = |offset, limit| Page {
            q: "vel".into(),
            order: String::new(),
            creation_order: Some(true),
            limit,
            offset,
        };
        assert!(walk_is_short(40, &page(0, 25)));
        assert!(walk_is_short(25, &page(0, 25)));
        assert!(!walk_is_short(12, &page(0, 25)));
        assert!(!walk_is_short(40, &page(25, 25)));
        assert!(!walk_is_short(40, &page(i64::MAX, 25)));
    }

    #[test]
    fn the_sample_is_a_share_of_the_table() {
        assert_eq!(sample_percent(1_000_000), 0.4);
        assert_eq!(sample_percent(SAMPLE), 100.0);
        assert_eq!(sample_percent(0), 100.0);
    }
}
