//! Manage Users with filters (status, 2FA, Email Verified, clients, created, last sign-in)
//! and the search: the SQL of each filter, and how a page of a filtered list is found.
//!
//! A filter is either rare or common, and which one depends on the data, so it is
//! measured: each filter an index can look up (LOCKED, INVITED, a 2FA state, a date range,
//! owners, the search) is counted through its index alone. A lookup of at most `RARE` rows
//! is fetched, tested against the other filters and sorted: the page and an exact total.
//! Otherwise a sample spread over the table says how often the filters match together;
//! when they are common, walking the list's order and testing each row fills a page within
//! a few rows, and the sample estimates the total ("about 48,000"), since counting would
//! cost more than the page. When together they are rare (INACTIVE and four phone digits),
//! the smallest lookup is cheaper than the walk and is used instead.

use crate::search::{fts_phrase, index_probe, key_pattern, plan, Counted, Plan, PROBE_LEN};
use crate::sql::List;
use crate::{Db, DbError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use roster_types::page::Total;
use roster_types::user_filter::{ClientsFilter, Filters, SignInFilter, StatusFilter};
use roster_types::users::TwoFactorState;
use uuid::Uuid;

/// A filter with this many rows or fewer is looked up through its index at once.
const RARE: i64 = 2_000;

/// Lookups are counted up to here (through their index alone); a larger one is never
/// looked up: testing its rows would cost more than a page.
const LOOKUP_CAP: i64 = 20_000;

/// Rows the sample of a common filter tests, spread over the table: enough to tell a
/// filter of one row in a thousand from a rarer one, few enough that a test with a
/// subquery (a client, per row) stays within a few milliseconds.
const SAMPLE_ROWS: i64 = 2_048;
/// In this many stretches (SQLite: of eight consecutive `seq`): short, so that a range of
/// creation dates (which `seq` follows) is sampled in proportion, not all or nothing.
const SAMPLE_STRETCHES: i64 = 256;
/// Up to this many users the "sample" is the whole table.
const SMALL_TABLE: i64 = 4 * SAMPLE_ROWS;
/// Fewer hits than this in the sample and the total is only "at least" what was seen.
const SAMPLE_HITS: i64 = 8;

/// A value a filter binds.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Text(String),
    Time(DateTime<Utc>),
}

/// SQL with `?` placeholders and their values in order; numbered when run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clause {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Clause {
    fn new(sql: impl Into<String>, params: Vec<Param>) -> Self {
        Clause {
            sql: sql.into(),
            params,
        }
    }

    /// `self AND other`.
    fn and(mut self, other: &Clause) -> Self {
        if self.sql.is_empty() {
            return other.clone();
        }
        if !other.sql.is_empty() {
            self.sql = format!("{} AND {}", self.sql, other.sql);
            self.params.extend(other.params.iter().cloned());
        }
        self
    }

    /// The SQL with `$1`, `$2`… for its `?`s, starting after `skip` earlier arguments.
    pub(crate) fn numbered(&self, skip: usize) -> String {
        let mut out = String::with_capacity(self.sql.len() + 8);
        let mut n = skip;
        for ch in self.sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    }

    pub(crate) fn push_params(&self, args: &mut List<'_>) -> Result<(), DbError> {
        for p in &self.params {
            match p {
                Param::Text(s) => args.push(s.clone())?,
                Param::Time(t) => args.push(*t)?,
            }
        }
        Ok(())
    }
}

/// One filter: its test of a row of `users u`, and, when an index can look it up, the
/// query of the matching rows' keys (`u.seq` on SQLite, `u.id` on PostgreSQL).
#[derive(Clone, Debug)]
pub(crate) struct Term {
    pub test: Clause,
    pub lookup: Option<Clause>,
    /// The lookup costs about as much as its matches, however many (PostgreSQL's trigram
    /// index builds its bitmap whole before the first row): only tried, and only as far as
    /// it can beat the walk, when the sample finds the term rare.
    pub sampled_first: bool,
    /// The lookup is the search: counting it costs about what collecting its keys does
    /// (PostgreSQL rechecks each match in its row), so when rare they are collected.
    /// A filter's index counts without reading a row.
    pub searched: bool,
    /// The lookup's index holds what a page reads: a row looked up costs a key, not a jump.
    pub covered: bool,
}

/// The lookup of the keys (`key`) of the rows of `users u` passing `cond`.
fn lookup_of(key: &str, cond: &Clause) -> Clause {
    let sql = format!("{} {}", lookup_head(key), cond.sql);
    Clause::new(sql, cond.params.clone())
}

fn lookup_head(key: &str) -> String {
    format!("SELECT {key} FROM users u WHERE")
}

/// A lookup's condition (made by `lookup_of`), to be tested beside the others in one
/// query: PostgreSQL's planner then reads the page from the index that answers it (the
/// LOCKED users' creation dates, say) instead of joining the lookup's rows back.
fn condition_of(key: &str, lookup: &Clause) -> Option<Clause> {
    let head = lookup_head(key);
    let cond = lookup.sql.strip_prefix(&head)?;
    Some(Clause::new(cond.trim_start(), lookup.params.clone()))
}

fn term(test: &str, params: Vec<Param>, indexed: bool, key: &str) -> Term {
    let test = Clause::new(test, params);
    let lookup = indexed.then(|| lookup_of(key, &test));
    Term {
        test,
        lookup,
        sampled_first: false,
        searched: false,
        covered: false,
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// A user's unique key, which a lookup yields and orders end in: the row number on SQLite
/// (what the trigram index holds, and every index ends in), the id on PostgreSQL.
pub(crate) fn key(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => "u.seq",
        Db::Postgres(_) => "u.id",
    }
}

/// The terms of `f` and the search `q` (lower-cased), at `now`.
pub(crate) fn terms(db: &Db, f: &Filters, q: &str, now: DateTime<Utc>) -> Vec<Term> {
    let pg = matches!(db, Db::Postgres(_));
    let (t, no) = if pg { ("TRUE", "FALSE") } else { ("1", "0") };
    let k = key(db);
    let mut out = Vec::new();
    if let Some(s) = f.status {
        out.push(match s {
            StatusFilter::New => term("u.status = 'NEW' AND u.invited_at IS NULL", vec![], true, k),
            StatusFilter::Active => term("u.status = 'ACTIVE'", vec![], true, k),
            StatusFilter::Inactive => term("u.status = 'INACTIVE'", vec![], true, k),
            StatusFilter::Locked => Term {
                // The index of the locked holds what a page and a search read (migrations
                // users_locked_covering).
                covered: true,
                ..term("u.locked_until > ?", vec![Param::Time(now)], true, k)
            },
            StatusFilter::Invited => term("u.invited_at IS NOT NULL", vec![], true, k),
        });
    }
    if let Some(s) = f.two_factor {
        let pending = if pg {
            "u.two_factor AND u.totp_secret IS NULL".to_string()
        } else {
            "u.two_factor = 1 AND u.totp_secret IS NULL".to_string()
        };
        out.push(match s {
            TwoFactorState::On => term("u.totp_secret IS NOT NULL", vec![], true, k),
            TwoFactorState::Pending => term(&pending, vec![], true, k),
            TwoFactorState::Off => term(
                &format!("u.two_factor = {no} AND u.totp_secret IS NULL"),
                vec![],
                false,
                k,
            ),
        });
    }
    if let Some(v) = f.verified {
        out.push(term(
            &format!("u.email_verified = {}", if v { t } else { no }),
            vec![],
            false,
            k,
        ));
    }
    match f.clients {
        // Counts kept on the user's row (migration `client_counts`); owners are indexed.
        Some(ClientsFilter::Owner) => out.push(term("u.clients_owned > 0", vec![], true, k)),
        Some(ClientsFilter::None) => out.push(term("u.clients = 0", vec![], false, k)),
        None => {}
    }
    match (f.created_from, f.created_to) {
        (None, None) => {}
        (from, to) => {
            let mut sql = Vec::new();
            let mut params = Vec::new();
            if let Some(d) = from {
                sql.push("u.created_at >= ?");
                params.push(Param::Time(midnight(d)));
            }
            if let Some(d) = to {
                sql.push("u.created_at < ?");
                params.push(Param::Time(midnight(d) + Duration::days(1)));
            }
            out.push(term(&sql.join(" AND "), params, true, k));
        }
    }
    match f.signed_in {
        None => {}
        Some(SignInFilter::Never) => out.push(term("u.last_sign_in_at IS NULL", vec![], true, k)),
        Some(SignInFilter::Before(d)) => out.push(term(
            "u.last_sign_in_at < ?",
            vec![Param::Time(midnight(d))],
            true,
            k,
        )),
        Some(SignInFilter::Within(days)) => out.push(term(
            "u.last_sign_in_at >= ?",
            vec![Param::Time(now - Duration::days(i64::from(days)))],
            true,
            k,
        )),
    }
    if !q.is_empty() {
        // Tested as a substring; looked up through the trigram index when long enough.
        let test = if pg {
            "strpos(u.search_text, ?) > 0"
        } else {
            "instr(u.search_text, ?) > 0"
        };
        // PostgreSQL's trigram index collects every candidate before the first: only a
        // query as long as the probe (nearly always rare) is looked up, and by its rarest
        // stretch; the whole query is tested row by row either way. (A whole email looked
        // up by all its trigrams, `example` and `.com` among them: 100 ms at a million.)
        let lookup = match db {
            Db::Sqlite(_) => (plan(q) == Plan::Indexed).then(|| {
                Clause::new(
                    "SELECT rowid FROM users_fts WHERE users_fts MATCH ?",
                    vec![Param::Text(fts_phrase(q))],
                )
            }),
            Db::Postgres(_) => (q.chars().count() >= PROBE_LEN).then(|| {
                let probe = Param::Text(key_pattern(&index_probe(q)));
                lookup_of(k, &Clause::new(KEY_LIKE, vec![probe]))
            }),
        };
        let test = Clause::new(test, vec![Param::Text(q.to_string())]);
        let own = status_index(f.status).filter(|_| !pg && lookup.is_some());
        if pg && lookup.is_none() && plan(q) == Plan::Indexed {
            let term = short_search(&mut out, f.status, test, q);
            out.push(term);
        } else if let Some(fts) = own {
            // SQLite: INACTIVE or NEW with a search is one term, looked up in the trigram
            // index of those users alone (migration users_status_search).
            let status = out.remove(0);
            let sql = format!("SELECT rowid FROM {fts} WHERE {fts} MATCH ?");
            out.push(Term {
                test: status.test.and(&test),
                lookup: Some(Clause::new(sql, vec![Param::Text(fts_phrase(q))])),
                sampled_first: false,
                searched: true,
                covered: false,
            });
        } else {
            out.push(Term {
                test,
                lookup,
                sampled_first: false,
                searched: true,
                covered: false,
            });
        }
    }
    out
}

/// PostgreSQL: a user's search key against a pattern of `search::key_pattern`.
const KEY_LIKE: &str = "u.search_key LIKE ?";

/// SQLite: the trigram index of the users of one status (the first term), if it has one.
fn status_index(status: Option<StatusFilter>) -> Option<&'static str> {
    match status? {
        StatusFilter::Inactive => Some("users_inactive_fts"),
        StatusFilter::New => Some("users_new_fts"),
        _ => None,
    }
}

/// PostgreSQL, a search shorter than the probe (three to seven characters): its trigrams
/// are common, so it is looked up only when the sample finds it rare. With a status that
/// is one value of the column (NEW, ACTIVE, INACTIVE), the two are one term, looked up
/// together: the search index holds the status too (migration `user_search_status`), and
/// INACTIVE with four phone digits share 700 rows where each alone has tens of thousands.
fn short_search(out: &mut Vec<Term>, status: Option<StatusFilter>, test: Clause, q: &str) -> Term {
    let value = match status {
        Some(StatusFilter::New) => Some("NEW"),
        Some(StatusFilter::Active) => Some("ACTIVE"),
        Some(StatusFilter::Inactive) => Some("INACTIVE"),
        _ => None,
    };
    let pattern = Param::Text(key_pattern(q));
    let (test, lookup) = match value {
        // The status term is the first pushed; it becomes part of this one.
        Some(v) if !out.is_empty() => {
            let status = out.remove(0);
            let cond = Clause::new(format!("u.status = '{v}' AND {KEY_LIKE}"), vec![pattern]);
            (status.test.and(&test), lookup_of("u.id", &cond))
        }
        _ => (
            test,
            lookup_of("u.id", &Clause::new(KEY_LIKE, vec![pattern])),
        ),
    };
    Term {
        test,
        lookup: Some(lookup),
        sampled_first: true,
        searched: true,
        covered: false,
    }
}

/// Every term's test, joined with AND ("" for none).
pub(crate) fn all_tests(terms: &[Term]) -> Clause {
    terms.iter().fold(Clause::default(), |c, t| c.and(&t.test))
}

/// The order a filtered list is in, and how SQLite walks it (`INDEXED BY …`, `NOT
/// INDEXED`, or nothing: PostgreSQL's planner chooses).
pub(crate) struct Walk {
    pub order: String,
    pub hint: &'static str,
    /// Set (newest first or not) when the order is creation order by `seq` (SQLite):
    /// every lookup yields its keys in it, so candidates can be read in the list's order.
    pub by_creation: Option<bool>,
}

/// A sample spread over the table: how many rows it read, how many matched every filter,
/// and how many matched each term alone.
#[derive(Clone)]
struct Sample {
    rows: i64,
    sampled: i64,
    hits: i64,
    each: Vec<i64>,
}

impl Sample {
    /// Rows a walk reads to find `wanted` matches (hits seen as at least one half).
    fn walk_for(&self, wanted: i64) -> f64 {
        wanted as f64 * self.sampled.max(1) as f64 / (self.hits as f64).max(0.5)
    }

    /// Rows a walk may read to find `wanted` matches: the sample's hits taken two
    /// standard deviations low, since a few hits from clustered rows can overstate how
    /// common the matches are (INACTIVE and four digits: 8 hits seen, 3.5 expected).
    fn walk_upto(&self, wanted: i64) -> f64 {
        let hits = self.hits as f64;
        let low = (hits - 2.0 * hits.sqrt()).max(0.5);
        wanted as f64 * self.sampled.max(1) as f64 / low
    }

    /// Of the rows term `i` matches, the share that also match the others (at most one).
    fn share_of(&self, i: usize) -> f64 {
        let alone = self.each.get(i).copied().unwrap_or(0).max(1) as f64;
        ((self.hits as f64).max(0.5) / alone).min(1.0)
    }

    /// About how many rows term `i` matches in the whole table.
    fn size_of(&self, i: usize) -> f64 {
        let each = self.each.get(i).copied().unwrap_or(0) as f64;
        each * self.rows as f64 / self.sampled.max(1) as f64
    }

    /// The total it suggests: exact when it read the whole table; at least `seen`.
    fn total(&self, seen: i64) -> Total {
        if self.sampled >= self.rows {
            return Total::Exact(self.hits);
        }
        if self.hits < SAMPLE_HITS || self.sampled == 0 {
            return Total::AtLeast(seen);
        }
        let about = (self.hits as f64 * self.rows as f64 / self.sampled as f64).round() as i64;
        Total::about(about.max(seen))
    }
}

/// How a filtered page is found.
enum Route {
    /// Through the lookup of the rarest filter: its rows tested, sorted and counted.
    Lookup(Clause),
    /// Through a lookup's keys (SQLite, collected and sorted) read in the list's order
    /// (creation) until the page is full: about `reads` of them are read.
    Ordered { keys: Vec<i64>, reads: i64 },
    /// Walking the list's order, with the sample that estimates the total.
    Walk(Sample),
    /// Through a lookup the sample found rare, read up to `cap` rows: when it holds more,
    /// the walk is taken after all.
    Tried {
        lookup: Clause,
        cap: i64,
        sample: Sample,
    },
}

/// A covered lookup (LOCKED) with nothing else but a search: both tested in the lookup's
/// index, without reading a row, and the keys collected when they are rare (LOCKED and
/// three letters: 80 of 2,900).
async fn covered_keys(db: &Db, terms: &[Term]) -> Result<Option<Clause>, DbError> {
    let covered = terms.iter().filter(|t| t.covered).count();
    let searched = terms.iter().filter(|t| t.searched && !t.covered).count();
    if covered != 1 || searched == 0 || covered + searched != terms.len() {
        return Ok(None);
    }
    let both = lookup_of(key(db), &all_tests(terms));
    let (n, keys) = keys_upto(db, &both, RARE + 1).await?;
    Ok((n <= RARE).then_some(keys))
}

/// How many rows `lookup` finds, up to `cap`, and their keys as a lookup of its own: a
/// rare lookup (a whole email) is searched once, not again for the page.
async fn keys_upto(db: &Db, lookup: &Clause, cap: i64) -> Result<(i64, Clause), DbError> {
    Ok(match db {
        Db::Sqlite(_) => {
            let keys = seqs_upto(db, lookup, cap).await?;
            (keys.len() as i64, Clause::new(key_list(&keys), vec![]))
        }
        Db::Postgres(_) => {
            let list = key_text(db, lookup, cap).await?;
            let keys: Vec<&str> = list.split(',').filter(|k| !k.is_empty()).collect();
            // Checked to be ids before they are sent back as an array.
            for k in &keys {
                Uuid::parse_str(k).map_err(decode_error)?;
            }
            let array = Param::Text(format!("{{{}}}", keys.join(",")));
            let sql = "SELECT unnest(CAST(? AS uuid[]))";
            (keys.len() as i64, Clause::new(sql, vec![array]))
        }
    })
}

/// SQLite: the keys `lookup` finds, up to `cap`.
async fn seqs_upto(db: &Db, lookup: &Clause, cap: i64) -> Result<Vec<i64>, DbError> {
    let list = key_text(db, lookup, cap).await?;
    list.split(',')
        .filter(|k| !k.is_empty())
        .map(|k| k.parse::<i64>().map_err(decode_error))
        .collect()
}

/// The keys `lookup` finds, up to `cap` (a number computed here, not input), as one
/// comma-separated text: a row a key costs more than the index takes to find it (2,000
/// keys on SQLite: 1.6 ms as rows, 0.4 ms as one text).
async fn key_text(db: &Db, lookup: &Clause, cap: i64) -> Result<String, DbError> {
    let joined = match db {
        Db::Sqlite(_) => "group_concat(k)",
        Db::Postgres(_) => "string_agg(CAST(k AS text), ',')",
    };
    let sql = format!(
        "WITH m(k) AS ({} LIMIT {cap}) SELECT COALESCE({joined}, '') FROM m",
        lookup.numbered(0)
    );
    let mut args = db.sql().list();
    lookup.push_params(&mut args)?;
    db.sql().scalar(&sql, args).await
}

/// A key list the database returned that does not parse: a bug, reported as sqlx would.
fn decode_error(e: impl std::error::Error + Send + Sync + 'static) -> DbError {
    sqlx::Error::Decode(Box::new(e)).into()
}

async fn count_upto(db: &Db, c: &Clause, cap: i64) -> Result<i64, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM ({} LIMIT ${}) m",
        c.numbered(0),
        c.params.len() + 1
    );
    let mut args = db.sql().list();
    c.push_params(&mut args)?;
    args.push(cap)?;
    db.sql().scalar::<i64>(&sql, args).await
}

/// A lookup tried with room for fewer rows than this is left: the walk it would have to
/// beat is short.
const MIN_TRIED: i64 = 64;

/// The most rows the first stretch of an ordered lookup reads.
const FIRST_STRETCH: i64 = 400;

/// A row looked up costs a jump through the table's index: about this many rows walked
/// (2 µs against 0.4 µs at a million users, SQLite, the file mapped).
const JUMP: f64 = 5.0;
/// A key an ordered lookup counts (to estimate the total) costs about this much of a
/// walked row.
const KEY: f64 = 0.25;
/// A key of a search's trigram index costs more: FTS5 checks each match's trigrams are
/// consecutive (0.15–0.3 µs a key at a million users, warm; more on a connection's first
/// use). At `KEY`, ACTIVE and part of a last name collected 6,000 keys in over half its
/// requests only to find the walk cheaper after all.
const SEARCH_KEY: f64 = 0.5;

/// Looked up when the rarest lookup has at most `RARE` rows. Otherwise a sample says how
/// often the filters match, together and each alone, and the cheapest way is taken: a
/// walk of the list's order; a lookup read whole (every row a jump); or, in creation
/// order on SQLite, a lookup read in order until the page is full (INACTIVE with four
/// phone digits: the digits' rows read newest first, one in twelve INACTIVE). The walk
/// assumes matches are spread evenly; when they cluster (the digits' rows are created
/// together) it may read far more, which is why a cheaper estimate of a lookup wins.
async fn route(
    db: &Db,
    terms: &[Term],
    tests: &Clause,
    walk: &Walk,
    wanted: i64,
) -> Result<Route, DbError> {
    let lookups: Vec<(usize, &Clause)> = terms
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.lookup.as_ref().map(|l| (i, l)))
        .collect();
    if let Some(keys) = covered_keys(db, terms).await? {
        return Ok(Route::Lookup(keys));
    }
    let mut rare: Option<(i64, Clause)> = None;
    let counted = lookups.iter().filter(|(i, _)| !terms[*i].sampled_first);
    for (i, lookup) in counted {
        let (n, keys) = match terms[*i].searched {
            true => keys_upto(db, lookup, RARE + 1).await?,
            false => (count_upto(db, lookup, RARE + 1).await?, (*lookup).clone()),
        };
        if n <= RARE && rare.as_ref().is_none_or(|(m, _)| n < *m) {
            rare = Some((n, keys));
        }
    }
    if let Some((_, keys)) = rare {
        return Ok(Route::Lookup(keys));
    }
    let sample = sample(db, terms, tests).await?;
    if let Some(both) = intersection(db, &lookups, &sample) {
        // The shared keys are collected once and become the lookup themselves (`IN (…)`
        // takes a list of them as well as a query): computing them again for the page
        // would double the cost.
        let (n, keys) = keys_upto(db, &both, RARE + 1).await?;
        if n <= RARE {
            return Ok(Route::Lookup(keys));
        }
    }
    let walked = sample.walk_for(wanted);
    let mut best: Option<(f64, Route)> = None;
    for (i, lookup) in lookups {
        let beats = |cost: f64| cost < walked && best.as_ref().is_none_or(|(c, _)| cost < *c);
        if walk.by_creation.is_some() {
            let key = if terms[i].searched { SEARCH_KEY } else { KEY };
            let reads = wanted as f64 / sample.share_of(i);
            // Not counted when the sample says it holds several times what is ever read
            // in order (INACTIVE: 80,000), or when reading it could not beat the best.
            if sample.size_of(i) > 2.0 * LOOKUP_CAP as f64 || !beats(JUMP * reads) {
                continue;
            }
            // Nor when counting even half the keys the sample suggests could not beat it.
            if !beats(JUMP * reads + key * sample.size_of(i) / 2.0) {
                continue;
            }
            // Collected whole, as far as they could still beat the walk: counting them
            // costs as much, and the stretches then read the rows by key without asking
            // the index again. (ACTIVE and part of a last name: 19,000 keys collected for
            // nothing, 5 ms, where the walk reads 1,900 rows.)
            let most = (((walked - JUMP * reads) / key) as i64).min(LOOKUP_CAP);
            let mut keys = seqs_upto(db, lookup, most).await?;
            let n = keys.len() as i64;
            let cost = JUMP * reads.min(n as f64) + key * n as f64;
            if n < most && beats(cost) {
                let reads = reads.min(n as f64).ceil() as i64;
                keys.sort_unstable();
                best = Some((cost, Route::Ordered { keys, reads }));
            }
        } else if terms[i].sampled_first {
            // Estimated by the sample, and tried as far as it could still beat the walk
            // (as long as the walk may be): a sample that missed its matches costs at
            // most that.
            let cap = ((sample.walk_upto(wanted) / JUMP) as i64).min(LOOKUP_CAP);
            let cost = JUMP * sample.size_of(i);
            if cap >= MIN_TRIED && beats(cost) {
                let (lookup, sample) = (lookup.clone(), sample.clone());
                best = Some((
                    cost,
                    Route::Tried {
                        lookup,
                        cap,
                        sample,
                    },
                ));
            }
        } else {
            // Counted only as far as it could still beat the walk.
            let each = if terms[i].covered { KEY } else { JUMP };
            let cap = ((walked / each) as i64).min(LOOKUP_CAP);
            if cap <= RARE + 1 {
                continue;
            }
            let n = count_upto(db, lookup, cap).await?;
            if n < cap && beats(each * n as f64) {
                best = Some((each * n as f64, Route::Lookup(lookup.clone())));
            }
        }
    }
    Ok(best.map_or(Route::Walk(sample), |(_, route)| route))
}

/// SQLite: the keys two lookups or more have in common, when each is small enough to
/// collect from its index alone (LOCKED, a search): found without reading a row, where
/// the rows they match together are often few (LOCKED and three letters: 80 of 2,900).
fn intersection(db: &Db, lookups: &[(usize, &Clause)], sample: &Sample) -> Option<Clause> {
    if !matches!(db, Db::Sqlite(_)) {
        return None;
    }
    // Each side is collected and sorted whole: a search matching 50,000 users costs more
    // (8 ms) than reading LOCKED's rows in order, so it is left to that.
    let small = lookups
        .iter()
        .filter(|(i, _)| sample.size_of(*i) <= LOOKUP_CAP as f64);
    let parts: Vec<&Clause> = small.map(|(_, l)| *l).collect();
    (parts.len() >= 2).then(|| {
        let sql: Vec<&str> = parts.iter().map(|c| c.sql.as_str()).collect();
        let params = parts
            .iter()
            .flat_map(|c| c.params.iter().cloned())
            .collect();
        Clause::new(sql.join(" INTERSECT "), params)
    })
}

/// One page of `users u` (the SELECT list `columns`) matching `terms`, in `walk`'s order.
pub(crate) async fn page<R: crate::sql::Record>(
    db: &Db,
    columns: &str,
    terms: &[Term],
    walk: &Walk,
    limit: i64,
    offset: i64,
) -> Result<(Vec<R>, Total), DbError> {
    let tests = all_tests(terms);
    let order = &walk.order;
    match route(db, terms, &tests, walk, offset + limit).await? {
        Route::Lookup(lookup) => {
            let found = looked_up(db, columns, &lookup, None, &tests, order, (limit, offset));
            Ok(found.await?.expect("a lookup without a cap always answers"))
        }
        Route::Tried {
            lookup,
            cap,
            sample,
        } => {
            let found = looked_up(
                db,
                columns,
                &lookup,
                Some(cap),
                &tests,
                order,
                (limit, offset),
            );
            match found.await? {
                Some(found) => Ok(found),
                None => walked(db, columns, walk, &tests, sample, limit, offset).await,
            }
        }
        Route::Ordered { keys, reads } => {
            let desc = walk.by_creation.unwrap_or(true);
            let n = keys.len() as i64;
            let read = in_order(db, keys, &tests, desc, offset + limit, reads).await?;
            let page = read
                .passed
                .iter()
                .skip(offset as usize)
                .take(limit as usize);
            let page: Vec<i64> = page.copied().collect();
            let rows: Vec<R> = if page.is_empty() {
                Vec::new()
            } else {
                let sql = format!(
                    "SELECT {columns} FROM users u WHERE u.seq IN ({}) ORDER BY {order}",
                    key_list(&page)
                );
                db.sql().fetch_all(&sql, ()).await?
            };
            let seen = offset + rows.len() as i64;
            let passed = read.passed.len() as i64;
            let total = if read.ended {
                Total::Exact(passed)
            } else {
                // The share of the lookup's rows read that passed, over all of it.
                let share = Sample {
                    rows: n,
                    sampled: read.read,
                    hits: passed,
                    each: Vec::new(),
                };
                share.total(seen)
            };
            Ok((rows, total))
        }
        Route::Walk(sample) => walked(db, columns, walk, &tests, sample, limit, offset).await,
    }
}

/// A page walked in the list's order, its total from the sample unless the walk ended.
async fn walked<R: crate::sql::Record>(
    db: &Db,
    columns: &str,
    walk: &Walk,
    tests: &Clause,
    sample: Sample,
    limit: i64,
    offset: i64,
) -> Result<(Vec<R>, Total), DbError> {
    let page = read_page(db, columns, walk.hint, tests, &walk.order, limit, offset);
    let (rows, seen, whole) = page.await?;
    // A walk that reached the end counted everything before this page too.
    let total = if whole {
        Total::Exact(seen)
    } else {
        sample.total(seen)
    };
    Ok((rows, total))
}

/// A page through `lookup`: its rows tested, sorted by their keys alone and counted
/// beside, and only the page's rows read whole. With a `cap`, at most that many are
/// looked up, and `None` says there were more.
async fn looked_up<R: crate::sql::Record>(
    db: &Db,
    columns: &str,
    lookup: &Clause,
    cap: Option<i64>,
    tests: &Clause,
    order: &str,
    page: (i64, i64),
) -> Result<Option<(Vec<R>, Total)>, DbError> {
    let k = key(db);
    let inline = match db {
        Db::Postgres(_) => condition_of(k, lookup),
        Db::Sqlite(_) => None,
    };
    if let (Some(cap), Some(cond)) = (cap, &inline) {
        return read_once(db, columns, cond, cap, tests, order, page).await;
    }
    let inlined = cap.is_none() && inline.is_some();
    // Capped, the candidates are collected once (`c`) and their number said beside: -1
    // when the cap was reached. `cap` is a number computed here, not input.
    let (with, within) = match (cap, inline) {
        (None, Some(cond)) => (Clause::default(), cond),
        (None, None) => (
            Clause::default(),
            Clause::new(format!("{k} IN ({})", lookup.sql), lookup.params.clone()),
        ),
        (Some(cap), _) => (
            Clause::new(
                format!("WITH c(pick) AS MATERIALIZED ({} LIMIT {cap}) ", lookup.sql),
                lookup.params.clone(),
            ),
            Clause::new(format!("{k} IN (SELECT pick FROM c)"), vec![]),
        ),
    };
    let over = |count: &str| over_cap(cap, count);
    let filter = within.and(tests);
    // Inlined, the matches' keys are collected in a subquery kept apart (OFFSET 0), where
    // the planner reads them from the lookup's index (the LOCKED users' covering index,
    // without a row); beside the page's ORDER BY .. LIMIT it walks the creation index
    // instead, expecting to stop early, which COUNT(*) OVER () never lets it (LOCKED + 3
    // letters at a million: 400 ms against 3).
    let matches = match inlined {
        true => format!("(SELECT * FROM users u WHERE {} OFFSET 0) u", filter.sql),
        false => format!("users u WHERE {}", filter.sql),
    };
    let mut query = with.clone();
    query.sql.push_str(&format!(
        "SELECT {columns}, p.total FROM (
             SELECT {k} AS pick, {} AS total FROM {matches}
             ORDER BY {order} LIMIT ? OFFSET ?
         ) p JOIN users u ON {k} = p.pick
         ORDER BY {order}",
        over("COUNT(*) OVER ()"),
    ));
    query.params.extend(filter.params.iter().cloned());
    let mut count = with;
    let sql = format!("SELECT {} FROM {matches}", over("COUNT(*)"));
    count.sql.push_str(&sql);
    count.params.extend(filter.params.iter().cloned());
    counted_page(db, query, count, cap, page).await
}

/// `count`, or -1 once the candidates `c` reached `cap`.
fn over_cap(cap: Option<i64>, count: &str) -> String {
    match cap {
        None => count.to_string(),
        Some(cap) => {
            format!("CASE WHEN (SELECT COUNT(*) FROM c) >= {cap} THEN -1 ELSE {count} END")
        }
    }
}

/// PostgreSQL, a lookup tried up to `cap` rows: the rows passing its condition `cond`
/// collected once (`c`), whole, then tested, sorted and counted there; `None` when there
/// were `cap`. Joining the keys back to the table read each row twice (INACTIVE + 4
/// digits: 550 rows rechecked by the trigram index, then each looked up again by key).
/// `cap` is a number computed here, not input.
async fn read_once<R: crate::sql::Record>(
    db: &Db,
    columns: &str,
    cond: &Clause,
    cap: i64,
    tests: &Clause,
    order: &str,
    page: (i64, i64),
) -> Result<Option<(Vec<R>, Total)>, DbError> {
    let sql = format!(
        "WITH c AS MATERIALIZED (SELECT * FROM users u WHERE {} LIMIT {cap}) ",
        cond.sql
    );
    let with = Clause::new(sql, cond.params.clone());
    let passing = Clause::new("TRUE", vec![]).and(tests);
    let from = format!("c u WHERE {}", passing.sql);
    let mut query = with.clone();
    query.sql.push_str(&format!(
        "SELECT {columns}, {} AS total FROM {from} ORDER BY {order} LIMIT ? OFFSET ?",
        over_cap(Some(cap), "COUNT(*) OVER ()"),
    ));
    query.params.extend(passing.params.iter().cloned());
    let mut count = with;
    let sql = format!("SELECT {} FROM {from}", over_cap(Some(cap), "COUNT(*)"));
    count.sql.push_str(&sql);
    count.params.extend(passing.params.iter().cloned());
    counted_page(db, query, count, Some(cap), page).await
}

/// Runs a page's `query` (its rows with their total, then LIMIT and OFFSET), and `count`
/// for a page past the end; `None` when the total is -1 (a capped lookup held more).
async fn counted_page<R: crate::sql::Record>(
    db: &Db,
    query: Clause,
    count: Clause,
    cap: Option<i64>,
    (limit, offset): (i64, i64),
) -> Result<Option<(Vec<R>, Total)>, DbError> {
    let mut args = db.sql().list();
    query.push_params(&mut args)?;
    args.push(limit)?;
    args.push(offset)?;
    let rows: Vec<Counted<R>> = db.sql().fetch_all(&query.numbered(0), args).await?;
    let total = match rows.first() {
        Some(r) => r.total,
        None if offset == 0 && cap.is_none() => 0,
        // A page past the end still says how many there are.
        None => {
            let mut args = db.sql().list();
            count.push_params(&mut args)?;
            db.sql().scalar::<i64>(&count.numbered(0), args).await?
        }
    };
    if total < 0 {
        return Ok(None);
    }
    let rows = rows.into_iter().map(|r| r.row).collect();
    Ok(Some((rows, Total::Exact(total))))
}

/// SQLite keys as the list `IN (…)` reads: numbers read from the table just now, never
/// input (SQLite takes an empty list too).
fn key_list(keys: &[i64]) -> String {
    let keys: Vec<String> = keys.iter().map(i64::to_string).collect();
    keys.join(",")
}

/// What reading a lookup in creation order found: the keys that passed every test, in
/// order (at least the `wanted` first), of how many read, and whether it read them all.
struct InOrder {
    passed: Vec<i64>,
    read: i64,
    ended: bool,
}

/// SQLite: `keys` (sorted) read in `seq` order (`desc`: newest first), their rows tested,
/// in stretches that start at about `reads` keys and grow, until `wanted` have passed.
/// Only the keys that pass come back; the page's rows are read afterwards.
async fn in_order(
    db: &Db,
    mut keys: Vec<i64>,
    tests: &Clause,
    desc: bool,
    wanted: i64,
    reads: i64,
) -> Result<InOrder, DbError> {
    if desc {
        keys.reverse();
    }
    let dir = if desc { "DESC" } else { "ASC" };
    let mut out = InOrder {
        passed: Vec::new(),
        read: 0,
        ended: false,
    };
    // The first stretch follows the sample's estimate, cut short: the sample's counts
    // are small, and a row read for nothing costs a jump. The next follow what was read.
    let mut stretch = (reads + reads / 4).clamp(64, FIRST_STRETCH);
    let mut rest = keys.as_slice();
    loop {
        let (now, later) = rest.split_at((stretch as usize).min(rest.len()));
        rest = later;
        let sql = format!(
            "SELECT u.seq FROM users u WHERE u.seq IN ({}) AND {} ORDER BY u.seq {dir}",
            key_list(now),
            tests.numbered(0),
        );
        let mut args = db.sql().list();
        tests.push_params(&mut args)?;
        let passed: Vec<i64> = db.sql().scalars(&sql, args).await?;
        out.read += now.len() as i64;
        out.ended = rest.is_empty();
        out.passed.extend(passed);
        let passed = out.passed.len() as i64;
        if out.ended || passed >= wanted {
            return Ok(out);
        }
        // The rows still wanted at the rate seen so far, a quarter more; at least double
        // when none has passed yet.
        stretch = match passed {
            0 => stretch * 4,
            _ => (wanted - passed) * out.read * 5 / (passed * 4),
        }
        .max(16);
    }
}

/// `filter`'s values, then the page's LIMIT and OFFSET.
fn paged_args<'q>(db: &Db, filter: &Clause, limit: i64, offset: i64) -> Result<List<'q>, DbError> {
    let mut args = db.sql().list();
    filter.push_params(&mut args)?;
    args.push(limit)?;
    args.push(offset)?;
    Ok(args)
}

/// A page of rows passing `filter` in `order` (`hint`: how SQLite walks it); the rows up
/// to its end, and whether the list ended on it (so that count is the total).
async fn read_page<R: crate::sql::Record>(
    db: &Db,
    columns: &str,
    hint: &str,
    filter: &Clause,
    order: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<R>, i64, bool), DbError> {
    let n = filter.params.len();
    let sql = format!(
        "SELECT {columns} FROM users u {hint} WHERE {} ORDER BY {order} LIMIT ${} OFFSET ${}",
        filter.numbered(0),
        n + 1,
        n + 2
    );
    let args = paged_args(db, filter, limit, offset)?;
    let rows: Vec<R> = db.sql().fetch_all(&sql, args).await?;
    let seen = offset + rows.len() as i64;
    let whole = (rows.len() as i64) < limit && (offset == 0 || !rows.is_empty());
    Ok((rows, seen, whole))
}

/// `SELECT COUNT(*)` and, for `tests` and then each term alone, how many rows pass:
/// `hit(...)` wraps a condition into a count (SQLite's SUM, PostgreSQL's FILTER).
fn counts(terms: &[Term], tests: &Clause, hit: impl Fn(&str) -> String) -> Clause {
    let mut all = Clause::new(hit(&tests.sql), tests.params.clone());
    for t in terms {
        all.sql.push_str(", ");
        all.sql.push_str(&hit(&t.test.sql));
        all.params.extend(t.test.params.iter().cloned());
    }
    all.sql = format!("COUNT(*), {}", all.sql);
    all
}

/// `tests`, and each term alone, over a sample spread over the table (SQLite: stretches
/// of consecutive rows; PostgreSQL: random blocks).
async fn sample(db: &Db, terms: &[Term], tests: &Clause) -> Result<Sample, DbError> {
    let rows: i64 = db
        .sql()
        .scalar("SELECT n FROM row_counts WHERE name = 'users'", ())
        .await?;
    let counted = match db {
        Db::Sqlite(_) => counts(terms, tests, |c| {
            format!("COALESCE(SUM(CASE WHEN {c} THEN 1 ELSE 0 END), 0)")
        }),
        Db::Postgres(_) => counts(terms, tests, |c| format!("COUNT(*) FILTER (WHERE {c})")),
    };
    // A small table is read whole: the count is exact and costs less than a page.
    let (from, whole) = if rows <= SMALL_TABLE {
        ("users u".to_string(), true)
    } else {
        match db {
            Db::Sqlite(_) => {
                let (lo, hi): (Option<i64>, Option<i64>) = db
                    .sql()
                    // Apart: SQLite reads MIN or MAX alone from the end of the key, both
                    // in one query by scanning the table (70 ms at a million rows).
                    .fetch_one::<(Option<i64>, Option<i64>)>(
                        "SELECT (SELECT MIN(seq) FROM users), (SELECT MAX(seq) FROM users)",
                        (),
                    )
                    .await?;
                let (lo, hi) = (lo.unwrap_or(0), hi.unwrap_or(0));
                let stretch = SAMPLE_ROWS / SAMPLE_STRETCHES;
                let step = ((hi - lo + 1) / SAMPLE_STRETCHES).max(stretch);
                let ranges: Vec<String> = (0..SAMPLE_STRETCHES)
                    .map(|i| lo + i * step)
                    .filter(|start| *start <= hi)
                    .map(|start| format!("u.seq BETWEEN {start} AND {}", start + stretch - 1))
                    .collect();
                // The ranges are numbers computed here, not input.
                (format!("users u WHERE {}", ranges.join(" OR ")), false)
            }
            Db::Postgres(_) => {
                let percent = (SAMPLE_ROWS as f64 * 100.0 / rows.max(1) as f64).min(100.0);
                (format!("users u TABLESAMPLE SYSTEM ({percent:.4})"), false)
            }
        }
    };
    let sql = format!("SELECT {} FROM {from}", counted.numbered(0));
    let mut args = db.sql().list();
    counted.push_params(&mut args)?;
    let Counts(found) = db.sql().fetch_one::<Counts>(&sql, args).await?;
    let (sampled, hits) = (found[0], found[1]);
    Ok(Sample {
        rows: if whole { rows.min(sampled) } else { rows },
        sampled,
        hits,
        each: found[2..].to_vec(),
    })
}

/// A row of counts, one a column.
struct Counts(Vec<i64>);

impl<'r, Row> sqlx::FromRow<'r, Row> for Counts
where
    Row: sqlx::Row,
    usize: sqlx::ColumnIndex<Row>,
    i64: sqlx::Decode<'r, Row::Database> + sqlx::Type<Row::Database>,
{
    fn from_row(row: &'r Row) -> Result<Self, sqlx::Error> {
        let counts = (0..row.len()).map(|i| row.try_get::<i64, _>(i));
        Ok(Counts(counts.collect::<Result<_, _>>()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_estimates_reports_at_least_or_counts_exactly() {
        let s = |rows, sampled, hits| Sample {
            rows,
            sampled,
            hits,
            each: vec![],
        };
        // 160 of 2,048 sampled rows of a million: about 78,000.
        assert_eq!(s(1_000_000, 2_048, 160).total(25), Total::About(78_000));
        // Too few hits to extrapolate: only what the pages showed.
        assert_eq!(s(1_000_000, 2_048, 3).total(50), Total::AtLeast(50));
        // Never less than the rows already seen.
        assert_eq!(s(1_000_000, 2_048, 8).total(9_000), Total::About(9_000));
        // The whole table read: exact.
        assert_eq!(s(5_000, 5_000, 321).total(25), Total::Exact(321));
        // A walk for 25 where one row in 256 matches reads 6,400 rows.
        assert_eq!(s(1_000_000, 2_048, 8).walk_for(25) as i64, 6_400);
        assert!(s(1_000_000, 2_048, 0).walk_for(25) > 100_000.0);
        // Few hits may overstate: 8 seen, the walk may read 21,000 rows, not 6,400; with
        // many the two agree within a fifth.
        assert_eq!(s(1_000_000, 2_048, 8).walk_upto(25) as i64, 21_850);
        assert!(
            s(1_000_000, 2_048, 400).walk_upto(25) < 1.25 * s(1_000_000, 2_048, 400).walk_for(25)
        );
    }

    #[test]
    fn placeholders_are_numbered_in_order_after_earlier_arguments() {
        let c = Clause::new("a > ?", vec![Param::Text("x".into())])
            .and(&Clause::new("b < ? AND c = ?", vec![]));
        assert_eq!(c.numbered(0), "a > $1 AND b < $2 AND c = $3");
        assert_eq!(c.numbered(3), "a > $4 AND b < $5 AND c = $6");
        assert_eq!(Clause::default().and(&c).sql, c.sql);
    }
}
