//! `roster bench search`: the list+search server function measured end to end over HTTP
//! against the configured database, beside the same searches as a plain `LIKE '%q%'` scan.

use anyhow::Context;
use roster_core::security::crypto::SecretKey;
use roster_core::setup::{create_staff, Creator, NewMember};
use roster_core::state::{AppState, Settings};
use roster_data::{self as db, Db};
use roster_types::StaffPermission;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

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

/// The value at quantile `q` (0–1) of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

pub async fn search(db: Db, requests: usize, baseline: usize) -> anyhow::Result<()> {
    let users = db::bulk::user_count(&db).await?;
    anyhow::ensure!(
        users > 0,
        "the database has no users: run `roster seed --users N` first"
    );
    let state = AppState::new(
        db.clone(),
        SecretKey::generate(),
        Settings {
            require_staff_2fa: false,
            secure_cookies: false,
            public_url: "http://127.0.0.1".into(),
            sign_in_per_minute: 20,
            ..Default::default()
        },
    );
    let options = leptos::prelude::LeptosOptions::builder()
        .output_name("roster")
        .build();
    let app = crate::router::build(state.clone(), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });

    // A temporary staff member who may only view users, removed at the end.
    let email = format!(
        "bench-{}@roster-bench.invalid",
        uuid::Uuid::new_v4().simple()
    );
    let password = format!("bench {} lantern harbour", uuid::Uuid::new_v4().simple());
    let staff_id = create_staff(
        &state,
        NewMember::new(&email, &password, &[StaffPermission::UsersView]).two_factor(false),
        Creator::Cli,
    )
    .await
    .map_err(|e| anyhow::anyhow!("bench staff member: {e}"))?;
    let result = measure(&db, addr, &email, &password, requests, baseline, users).await;
    db::staff::delete(&db, staff_id).await?;
    server.abort();
    result
}

async fn measure(
    db: &Db,
    addr: SocketAddr,
    email: &str,
    password: &str,
    requests: usize,
    baseline: usize,
    users: i64,
) -> anyhow::Result<()> {
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let base = format!("http://{addr}");
    let r = http
        .post(format!("{base}/api/auth/staff/sign-in"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await?;
    anyhow::ensure!(
        r.status().is_success(),
        "bench sign-in failed: {}",
        r.status()
    );

    let samples = db::bulk::samples(db, requests.max(baseline) as i64).await?;
    println!(
        "Search latency, {} database, {users} users; /api/users/list over HTTP ({requests} requests per kind) vs a plain LIKE '%q%' scan ({baseline} per kind). Milliseconds.",
        db.engine()
    );
    println!(
        "{:<22} {:>8} {:>8} {:>8} {:>9} | {:>9} {:>9} {:>9}",
        "query", "p50", "p95", "p99", "avg hits", "scan p50", "scan p95", "scan p99"
    );
    for (k, kind) in KINDS.iter().enumerate() {
        // Warm-up: the first request of a kind pays for cold pages.
        let warm = query_for(k, &samples[0]);
        http.post(format!("{base}/api/users/list"))
            .form(&[("q", warm.as_str())])
            .send()
            .await?;
        let mut times = Vec::with_capacity(requests);
        let mut hits = 0i64;
        for i in 0..requests {
            let q = query_for(k, &samples[i % samples.len()]);
            let t = Instant::now();
            let r = http
                .post(format!("{base}/api/users/list"))
                .form(&[("q", q.as_str())])
                .send()
                .await?;
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
            kind,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            hits / requests.max(1) as i64,
            percentile(&scan, 0.50),
            percentile(&scan, 0.95),
            percentile(&scan, 0.99),
        );
    }
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

    #[test]
    fn percentiles() {
        let d: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&d, 0.5).round(), 51.0);
        assert_eq!(percentile(&d, 0.95).round(), 95.0);
        assert_eq!(percentile(&d, 0.99).round(), 99.0);
    }
}
