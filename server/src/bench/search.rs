//! `roster bench search`: the list+search server function measured end to end over HTTP
//! against the configured database, beside the same searches as a plain `LIKE '%q%'` scan.

use super::{percentile, BenchServer};
use anyhow::Context;
use roster_data::{self as db, Db};
use std::time::Instant;

/// The query kinds, each drawn from real rows so that it finds something.
const KINDS: [&str; 6] = [
    "whole email",
    "part of a last name",
    "4 phone digits",
    "UUID prefix",
    "3 letters",
    "no query",
];

type Sample = (String, String, String, Option<String>, uuid::Uuid);

/// The list orders measured: the Users page's own (newest first) and the API's default
/// when a request names none (oldest first). A search's cost can differ a lot between
/// them: the matches of four digits of the seed's email numbers cluster by creation time.
const ORDERS: [(&str, bool); 2] = [("newest first", true), ("oldest first", false)];

fn middle(s: &str, len: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= len {
        return s.to_string();
    }
    let start = (chars.len() - len) / 2;
    chars[start..start + len].iter().collect()
}

fn query_for(kind: usize, s: &Sample) -> String {
    let (email, first, last, phone, id) = s;
    match kind {
        0 => email.clone(),
        1 => middle(last, 4),
        2 => phone
            .as_deref()
            .map(|p| middle(p.trim_start_matches('+'), 4))
            .unwrap_or_else(|| middle(email, 4)),
        3 => id.to_string()[..8].to_string(),
        4 => middle(first, 3).to_lowercase(),
        _ => String::new(),
    }
}

/// How much `roster bench search` runs.
pub struct Runs {
    /// Requests per kind.
    pub requests: usize,
    /// Plain scans per search kind.
    pub baseline: usize,
    /// Only the kinds whose name holds this, in any case.
    pub only: Option<String>,
}

impl Runs {
    fn wants(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|o| name.to_lowercase().contains(&o.to_lowercase()))
    }
}

pub async fn search(db: Db, runs: Runs) -> anyhow::Result<()> {
    let server = BenchServer::start(&db, None).await?;
    let result = measure(&db, &server, &runs).await;
    server.stop().await?;
    result
}

async fn measure(db: &Db, server: &BenchServer, runs: &Runs) -> anyhow::Result<()> {
    let (http, base, users) = (server.signed_in().await?, &server.base, server.users);
    let (requests, baseline) = (runs.requests, runs.baseline);

    let samples = db::bulk::samples(db, requests.max(baseline) as i64).await?;
    println!(
        "Search latency, {} database, {users} users; /api/users/list over HTTP ({requests} requests per kind) vs a plain LIKE '%q%' scan ({baseline} per kind). Milliseconds.",
        db.engine()
    );
    for (order, desc) in ORDERS {
        println!("{order}:");
        println!(
            "{:<22} {:>8} {:>8} {:>8} {:>9} | {:>9} {:>9} {:>9}",
            "query", "p50", "p95", "p99", "avg hits", "scan p50", "scan p95", "scan p99"
        );
        for k in (0..KINDS.len()).filter(|k| runs.wants(KINDS[*k])) {
            kind(db, (&http, base), &samples, (k, desc), requests, baseline).await?;
        }
    }
    println!(
        "Filtered (Manage Users' filters, alone and with a search), {requests} requests per kind:"
    );
    for (order, desc) in ORDERS {
        println!("{order}:");
        println!(
            "{:<44} {:>8} {:>8} {:>8} {:>9}",
            "filters", "p50", "p95", "p99", "avg hits"
        );
        let kinds = filtered_kinds(chrono::Utc::now().date_naive());
        for f in kinds.iter().filter(|f| runs.wants(f.name)) {
            filtered(&http, base, &samples, f, desc, requests).await?;
        }
    }
    Ok(())
}

/// A filtered kind: its name, its filters, and the search kind (of `KINDS`) beside them.
struct Filtered {
    name: &'static str,
    filters: Vec<(&'static str, String)>,
    search: Option<usize>,
}

/// The filters a support desk uses, the rare (LOCKED, INVITED) and the common (no client),
/// and the "INACTIVE without 2FA created in a month", alone and with searches.
fn filtered_kinds(today: chrono::NaiveDate) -> Vec<Filtered> {
    use chrono::Datelike;
    // A calendar month a year ago (`roster seed` creates users until seven weeks ago).
    let month_end = (today - chrono::Duration::days(365))
        .with_day(1)
        .unwrap_or(today)
        - chrono::Duration::days(1);
    let month = month_end.with_day(1).unwrap_or(month_end);
    let (from, to) = (month.to_string(), month_end.to_string());
    let year_ago = (today - chrono::Duration::days(365)).to_string();
    let f = |name, filters: &[(&'static str, &str)], search| Filtered {
        name,
        filters: filters.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        search,
    };
    vec![
        f("INACTIVE", &[("status", "inactive")], None),
        f("LOCKED", &[("status", "locked")], None),
        f("INVITED", &[("status", "invited")], None),
        f("2FA pending", &[("two_factor", "pending")], None),
        f(
            "2FA off, not verified",
            &[("two_factor", "off"), ("verified", "no")],
            None,
        ),
        f("owns a client", &[("clients", "owner")], None),
        f("has no client", &[("clients", "none")], None),
        f(
            "created in a month a year ago",
            &[("created_from", &from), ("created_to", &to)],
            None,
        ),
        f("never signed in", &[("signed_in", "never")], None),
        f(
            "signed in within 7 days",
            &[("signed_in", "within"), ("signed_in_days", "7")],
            None,
        ),
        f(
            "last sign-in over a year ago",
            &[("signed_in", "before"), ("signed_in_before", &year_ago)],
            None,
        ),
        f(
            "INACTIVE, 2FA off, created that month",
            &[
                ("status", "inactive"),
                ("two_factor", "off"),
                ("created_from", &from),
                ("created_to", &to),
            ],
            None,
        ),
        f(
            "ACTIVE + part of a last name",
            &[("status", "active")],
            Some(1),
        ),
        f(
            "INACTIVE + 4 phone digits",
            &[("status", "inactive")],
            Some(2),
        ),
        f("LOCKED + 3 letters", &[("status", "locked")], Some(4)),
        f("2FA off + whole email", &[("two_factor", "off")], Some(0)),
    ]
}

/// One filtered kind in one order: `requests` lists over HTTP, a line.
async fn filtered(
    http: &reqwest::Client,
    base: &str,
    samples: &[Sample],
    f: &Filtered,
    desc: bool,
    requests: usize,
) -> anyhow::Result<()> {
    let desc = if desc { "true" } else { "false" };
    let list = |q: String| {
        let mut form: Vec<(&str, String)> =
            vec![("q", q), ("sort", "created".into()), ("desc", desc.into())];
        form.extend(f.filters.iter().cloned());
        http.post(format!("{base}/api/users/list"))
            .form(&form)
            .send()
    };
    let q = |i: usize| {
        f.search
            .map(|k| query_for(k, &samples[i % samples.len()]))
            .unwrap_or_default()
    };
    list(q(0)).await?;
    let mut times = Vec::with_capacity(requests);
    let mut hits = 0i64;
    for i in 0..requests {
        let query = q(i);
        let t = Instant::now();
        let r = list(query).await?;
        let status = r.status();
        let body: serde_json::Value = r.json().await.context("list response")?;
        times.push(t.elapsed());
        anyhow::ensure!(status.is_success(), "filtered list failed: {status} {body}");
        hits += body["total"].as_i64().unwrap_or(0);
    }
    times.sort();
    println!(
        "{:<44} {:>8.2} {:>8.2} {:>8.2} {:>9}",
        f.name,
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        hits / requests.max(1) as i64,
    );
    Ok(())
}

/// One query kind in one order: `requests` searches over HTTP, `baseline` scans, a line.
async fn kind(
    db: &Db,
    (http, base): (&reqwest::Client, &str),
    samples: &[Sample],
    (k, desc): (usize, bool),
    requests: usize,
    baseline: usize,
) -> anyhow::Result<()> {
    let desc = if desc { "true" } else { "false" };
    let search = |q: String| {
        http.post(format!("{base}/api/users/list"))
            .form(&[("q", q.as_str()), ("sort", "created"), ("desc", desc)])
            .send()
    };
    // Warm-up: the first request of a kind pays for cold pages.
    search(query_for(k, &samples[0])).await?;
    let mut times = Vec::with_capacity(requests);
    let mut hits = 0i64;
    for i in 0..requests {
        let q = query_for(k, &samples[i % samples.len()]);
        let t = Instant::now();
        let r = search(q).await?;
        let status = r.status();
        let body: serde_json::Value = r.json().await.context("list response")?;
        times.push(t.elapsed());
        anyhow::ensure!(status.is_success(), "search failed: {status} {body}");
        hits += body["total"].as_i64().unwrap_or(0);
    }
    times.sort();
    let mut scan = Vec::with_capacity(baseline);
    for i in 0..baseline {
        let q = query_for(k, &samples[i % samples.len()]);
        let t = Instant::now();
        db::users::list_by_scan(db, &q, 25).await?;
        scan.push(t.elapsed());
    }
    scan.sort();
    println!(
        "{:<22} {:>8.2} {:>8.2} {:>8.2} {:>9} | {:>9.2} {:>9.2} {:>9.2}",
        KINDS[k],
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        hits / requests.max(1) as i64,
        percentile(&scan, 0.50),
        percentile(&scan, 0.95),
        percentile(&scan, 0.99),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_come_from_the_sample() {
        let s: Sample = (
            "ann.kowalski.7@example.com".into(),
            "Olivia".into(),
            "Kowalski".into(),
            Some("+380501234567".into()),
            uuid::Uuid::nil(),
        );
        assert_eq!(query_for(0, &s), "ann.kowalski.7@example.com");
        assert_eq!(query_for(1, &s), "wals");
        assert_eq!(query_for(2, &s), "0123");
        assert_eq!(query_for(3, &s), "00000000");
        assert_eq!(query_for(4, &s), "liv");
        assert_eq!(query_for(5, &s), "");
    }
}
