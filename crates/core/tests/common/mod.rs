//! A fresh, migrated database for each test: SQLite by default, PostgreSQL when
//! ROSTER_TEST_ENGINE=postgres (connection from the PG* variables pg_virtualenv sets).

/// Raw SQL for fixtures the services do not offer (a session row, a clashing client), on
/// whichever engine the test runs; with `rows`, a statement answering rows changed.
#[allow(unused_macros)]
macro_rules! on_pool {
    ($db:expr, rows, |$c:ident| $body:expr) => {
        match $db {
            roster_data::Db::Sqlite($c) => $body.map(|r| r.rows_affected()),
            roster_data::Db::Postgres($c) => $body.map(|r| r.rows_affected()),
        }
    };
    ($db:expr, |$c:ident| $body:expr) => {
        match $db {
            roster_data::Db::Sqlite($c) => $body,
            roster_data::Db::Postgres($c) => $body,
        }
    };
}

use roster_core::request::RequestMeta;
use roster_core::security::crypto::SecretKey;
use roster_core::state::{AppState, Settings};
use roster_data::Db;
use roster_types::event::Actor;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

pub async fn fresh_db() -> Db {
    let name = format!("roster_t_{}", uuid::Uuid::new_v4().simple());
    if std::env::var("ROSTER_TEST_ENGINE").as_deref() == Ok("postgres") {
        let admin = PgConnectOptions::new();
        let mut conn = admin
            .connect()
            .await
            .expect("connect to PostgreSQL (run under pg_virtualenv)");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        Db::connect_postgres(PgConnectOptions::new().database(&name))
            .await
            .expect("open test database")
    } else {
        // Under target/tmp, which `.ci/test` empties before each run.
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("roster-tests");
        std::fs::create_dir_all(&dir).expect("create the test database directory");
        let path = dir.join(format!("{name}.db"));
        Db::connect_sqlite(SqliteConnectOptions::new().filename(path))
            .await
            .expect("open SQLite test database")
    }
}

pub async fn state(require_staff_2fa: bool) -> AppState {
    AppState::new(
        fresh_db().await,
        SecretKey::generate(),
        Settings {
            require_staff_2fa,
            secure_cookies: false,
            public_url: "http://127.0.0.1:3000".into(),
            sign_in_per_minute: 20,
            ..Default::default()
        },
    )
}

/// The one password fixtures use: long enough for the strength rules.
#[allow(dead_code)]
pub const PASSWORD: &str = "violet tractor under seven lanterns";

/// A request from loopback with no cookies.
#[allow(dead_code)]
pub fn meta() -> RequestMeta {
    RequestMeta {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: "tests".into(),
        cookie_header: String::new(),
        accept_language: String::new(),
        secure: false,
        page: None,
    }
}

/// A staff member (`staff()`) making a change from loopback (`meta()`).
#[allow(dead_code)]
pub fn by(state: &AppState) -> roster_core::Acting<'_> {
    static META: std::sync::LazyLock<RequestMeta> = std::sync::LazyLock::new(meta);
    roster_core::Acting {
        state,
        actor: staff(),
        meta: &META,
    }
}

/// A list's query: search, sort, descending, page, page size.
#[allow(dead_code)]
pub fn query(
    q: &str,
    sort: &str,
    desc: bool,
    page: u32,
    per_page: u32,
) -> roster_types::page::PageQuery {
    roster_types::page::PageQuery::new(q.into(), page, per_page, sort.into(), desc)
}

/// The trail's actions, newest first.
#[allow(dead_code)]
pub async fn actions(state: &AppState) -> Vec<String> {
    let events = roster_data::audit::recent(&state.db, 100).await.unwrap();
    events.into_iter().map(|e| e.action).collect()
}

/// Each of `expected` is among the trail's actions.
#[allow(dead_code)]
pub async fn assert_in_trail(state: &AppState, expected: &[&str]) {
    let actions = actions(state).await;
    for a in expected {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} missing from {actions:?}"
        );
    }
}

/// A staff member as the actor of a change.
#[allow(dead_code)]
pub fn staff() -> Actor {
    Actor::Staff {
        id: uuid::Uuid::new_v4(),
        email: "ops@example.com".into(),
    }
}
