//! `roster bench …`: measurements over real HTTP against the configured database, with the
//! server started in this process on a free loopback port.

pub mod http;
pub mod search;

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use roster_core::security::crypto::SecretKey;
use roster_core::setup::{create_staff, Creator, NewMember};
use roster_core::state::{AppState, Settings};
use roster_data::{self as db, Db};
use roster_types::StaffPermission;
use std::net::SocketAddr;
use std::time::Duration;

/// The value at quantile `q` (0–1) of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The real router on a free port, and a temporary staff member who may view users
/// (removed by `stop`).
pub struct BenchServer {
    pub base: String,
    pub addr: SocketAddr,
    pub users: i64,
    pub email: String,
    pub password: String,
    staff_id: uuid::Uuid,
    db: Db,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl BenchServer {
    /// `site`: the built site to serve (pages then name its hashed files); none for
    /// benchmarks of the API alone.
    pub async fn start(db: &Db, site: Option<LeptosOptions>) -> anyhow::Result<BenchServer> {
        let users = db::bulk::user_count(db).await?;
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
                // The benchmark signs in many times from one address.
                sign_in_per_minute: 1_000_000,
                ..Default::default()
            },
        );
        let options =
            site.unwrap_or_else(|| LeptosOptions::builder().output_name("roster").build());
        let app = crate::router::build(state.clone(), options);
        let (addr, server) = crate::listen::spawn_on_loopback(app).await?;
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
        Ok(BenchServer {
            base: format!("http://{addr}"),
            addr,
            users,
            email,
            password,
            staff_id,
            db: db.clone(),
            server,
        })
    }

    /// A client of its own, signed in as the benchmark's staff member.
    pub async fn signed_in(&self) -> anyhow::Result<reqwest::Client> {
        let http = reqwest::Client::builder().cookie_store(true).build()?;
        let r = http
            .post(format!("{}/api/auth/staff/sign-in", self.base))
            .form(&[("email", &self.email), ("password", &self.password)])
            .send()
            .await
            .context("bench sign-in")?;
        anyhow::ensure!(
            r.status().is_success(),
            "bench sign-in failed: {}",
            r.status()
        );
        Ok(http)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        db::staff::delete(&self.db, self.staff_id).await?;
        self.server.abort();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let d: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&d, 0.5).round(), 51.0);
        assert_eq!(percentile(&d, 0.95).round(), 95.0);
        assert_eq!(percentile(&d, 0.99).round(), 99.0);
    }
}
