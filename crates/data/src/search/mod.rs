//! One search design for every list that searches (users, clients): a lower-cased
//! `search_text` column per row, matched as a substring, one page at a time, with a count
//! that stops at a cap. Each engine has its own planner (`sqlite`, `postgres`); a list
//! describes itself with a [`Source`] and gets `(rows, total, capped)` back.

mod postgres;
mod sqlite;

use crate::sql::Record;
use crate::Db;
use roster_types::page::Total;

/// A searchable list: the table, the columns of a row, and how to count it whole.
pub struct Source {
    /// `users u`: the table with the alias the columns and orders use.
    pub table: &'static str,
    pub alias: &'static str,
    /// The SELECT list of one row.
    pub columns: &'static str,
    /// SQLite's FTS5 trigram table over `search_text`, keyed by the row's `seq`.
    pub fts: &'static str,
    /// The `row_counts` entry a trigger keeps, when there is one: the unfiltered total
    /// without counting.
    pub counter: Option<&'static str>,
    /// The creation time (`u.created_at`), indexed: PostgreSQL samples the rows a walk in
    /// creation order starts with to tell a common search from a rare one.
    pub created: &'static str,
    /// PostgreSQL: the column holding the month a row was created (`u.created_month`),
    /// indexed with `search_text` (see `postgres::by_month`).
    pub months: Option<&'static str>,
}

/// One page of a search.
pub struct Page {
    /// The query, lower-cased like `search_text`.
    pub q: String,
    /// The ORDER BY of the list's sort.
    pub order: String,
    /// Set when `order` is the order rows were created in, ascending (`false`) or not:
    /// SQLite then reads the page straight from the index in that order (`seq`), and
    /// PostgreSQL can look matches up month by month.
    pub creation_order: Option<bool>,
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    /// The page `query` (normalized) asks for, in `order`.
    pub fn of(query: &roster_types::page::PageQuery, order: String) -> Page {
        let per_page = i64::from(query.per_page);
        Page {
            q: query.q.to_lowercase(),
            order,
            creation_order: None,
            limit: per_page,
            offset: i64::from(query.page.saturating_sub(1)) * per_page,
        }
    }
}

/// A filtered count stops here and the list shows "10,000+": counting every match of a
/// common search would cost more than the page it comes with.
pub const COUNT_CAP: i64 = 10_000;

/// How a search is run: the trigram indexes need at least three characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    All,
    /// Too short for the trigram index: scan, stopping at the page or the count cap.
    Scan,
    Indexed,
}

pub fn plan(q: &str) -> Plan {
    match q.chars().count() {
        0 => Plan::All,
        1 | 2 => Plan::Scan,
        _ => Plan::Indexed,
    }
}

/// The rows of a page and how many match.
pub type Found<R> = (Vec<R>, Total);

/// A page of `source` matching `page.q`.
pub async fn page<R>(db: &Db, source: &Source, page: &Page) -> Result<Found<R>, crate::DbError>
where
    R: Record,
{
    if plan(&page.q) == Plan::All {
        return everything(db, source, page).await;
    }
    match db {
        Db::Sqlite(c) => sqlite::page(c, source, page).await,
        Db::Postgres(c) => postgres::page(c, source, page).await,
    }
}

/// No query: a page in sort order, and the total — the trigger-kept counter where there is
/// one, else a count up to the cap. The same SQL on both engines.
async fn everything<R>(db: &Db, s: &Source, p: &Page) -> Result<Found<R>, crate::DbError>
where
    R: Record,
{
    let (table, a, columns, order) = (s.table, s.alias, s.columns, &p.order);
    if let Some(name) = s.counter {
        // The counter rides along with each row: one query, not two.
        let counted = format!(
            "SELECT {columns}, ({COUNTER}) AS total FROM {table} {a}
             ORDER BY {order} LIMIT $2 OFFSET $3"
        );
        let rows: Vec<Counted<R>> = db
            .sql()
            .fetch_all::<Counted<R>>(&counted, (name, p.limit, p.offset))
            .await?;
        let n = match rows.first() {
            Some(r) => r.total,
            // A page past the end still says how many there are.
            None => db.sql().scalar::<i64>(COUNTER, (name,)).await?,
        };
        return Ok((rows.into_iter().map(|r| r.row).collect(), Total::Exact(n)));
    }
    let sql = format!("SELECT {columns} FROM {table} {a} ORDER BY {order} LIMIT $1 OFFSET $2");
    let rows: Vec<R> = db.sql().fetch_all::<R>(&sql, (p.limit, p.offset)).await?;
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT $1) m");
    let n = db.sql().scalar::<i64>(&sql, (COUNT_CAP,)).await?;
    Ok((rows, capped(n, COUNT_CAP)))
}

/// A count that stopped at `cap`.
fn capped(n: i64, cap: i64) -> Total {
    if n >= cap {
        Total::AtLeast(cap)
    } else {
        Total::Exact(n)
    }
}

/// How many characters of a query the PostgreSQL trigram index looks up.
pub(crate) const PROBE_LEN: usize = 8;

/// The unfiltered total of a list whose `row_counts` entry a trigger keeps.
const COUNTER: &str = "SELECT n FROM row_counts WHERE name = $1";

/// A page row with a count beside it (a column named `total`).
pub(crate) struct Counted<R> {
    pub row: R,
    pub total: i64,
}

impl<'r, Row, R> sqlx::FromRow<'r, Row> for Counted<R>
where
    Row: sqlx::Row,
    R: sqlx::FromRow<'r, Row>,
    &'r str: sqlx::ColumnIndex<Row>,
    i64: sqlx::Decode<'r, Row::Database> + sqlx::Type<Row::Database>,
{
    fn from_row(row: &'r Row) -> Result<Self, sqlx::Error> {
        Ok(Self {
            row: R::from_row(row)?,
            total: row.try_get("total")?,
        })
    }
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

/// PostgreSQL: `text` as the trigram indexes hold it (the column `search_key`, migration
/// `search_keys`): each ASCII space and punctuation mark written as the letter q, since
/// pg_trgm would split words there and forget the mark.
pub fn search_key(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' => 'q',
            c if c.is_ascii_punctuation() => 'q',
            c => c,
        })
        .collect()
}

/// PostgreSQL: the LIKE pattern of the `search_key` column that holds every match of
/// `q` (and some more, which the real text's test removes). Nothing is left to escape:
/// `%`, `_` and `\` are punctuation.
pub fn key_pattern(q: &str) -> String {
    format!("%{}%", search_key(&q.to_lowercase()))
}

/// `q` as an FTS5 phrase: with the trigram tokenizer a phrase matches as a substring.
/// Double quotes are doubled, so nothing in `q` is query syntax.
pub fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.to_lowercase().replace('"', "\"\""))
}

/// The stretch of `q` (at most `PROBE_LEN` characters) the PostgreSQL trigram index looks
/// up: the one most likely to be rare. Digits and symbols are rarer than letters, and the
/// part of an email before the `@` is rarer than the domain.
pub fn index_probe(q: &str) -> String {
    let chars: Vec<char> = q.chars().collect();
    if chars.len() <= PROBE_LEN {
        return q.to_string();
    }
    let at = chars.iter().position(|c| *c == '@');
    let weight = |i: usize, c: char| -> i32 {
        let base = match c {
            '0'..='9' => 4,
            '.' | ' ' | '-' => 0,
            c if c.is_alphabetic() && "qxzjkvwyfbgp".contains(c) => 2,
            c if c.is_alphabetic() => 1,
            _ => 2,
        };
        // The domain of an email is shared by many users.
        if at.is_some_and(|a| i >= a) {
            base - 2
        } else {
            base
        }
    };
    let best = (0..=chars.len() - PROBE_LEN)
        .max_by_key(|&s| {
            let score: i32 = (s..s + PROBE_LEN).map(|i| weight(i, chars[i])).sum();
            // Earlier windows win ties.
            (score, std::cmp::Reverse(s))
        })
        .unwrap_or(0);
    chars[best..best + PROBE_LEN].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_write_what_the_migration_writes() {
        // The migration's translate()s list the characters they write as q: the same ones.
        let sql = include_str!("../../migrations/postgres/0017_search_keys.sql");
        let ascii: String = (' '..='~').collect();
        let written: String = ascii
            .chars()
            .filter(|c| search_key(&c.to_string()) == "q" && *c != 'q')
            .collect();
        let lists: Vec<String> = sql
            .split("translate(search_text, '")
            .skip(1)
            .map(|rest| rest.split("', '").next().unwrap_or("").replace("''", "'"))
            .collect();
        assert_eq!(lists, [written.clone(), written]);
        assert_eq!(search_key("Ann.Lee@x-y.com +38 ü"), "AnnqLeeqxqyqcomqq38qü");
        assert_eq!(key_pattern("O.83_%\\"), "%oq83qqq%");
    }

    #[test]
    fn like_patterns_are_literal() {
        assert_eq!(like_pattern("Ann"), "%ann%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn fts_phrases_are_literal() {
        assert_eq!(fts_phrase("Ann"), "\"ann\"");
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b or c\"");
    }

    #[test]
    fn probes_pick_the_rare_stretch() {
        assert_eq!(index_probe("kowalski"), "kowalski");
        assert_eq!(
            index_probe("james.schneider.530572@studio.example"),
            "r.530572"
        );
        assert_eq!(index_probe("+380501234567"), "38050123");
        let p = index_probe("ann lee example");
        assert_eq!(p.chars().count(), 8);
        assert!("ann lee example".contains(&p));
    }

    #[test]
    fn short_queries_scan() {
        assert_eq!(plan(""), Plan::All);
        assert_eq!(plan("ab"), Plan::Scan);
        assert_eq!(plan("äö"), Plan::Scan);
        assert_eq!(plan("abc"), Plan::Indexed);
    }
}
