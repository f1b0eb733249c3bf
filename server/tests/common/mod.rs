//! What the HTTP tests share: the real router on a free port over a real database (SQLite,
//! or PostgreSQL under ROSTER_TEST_ENGINE=postgres),
//! clients that keep cookies and may speak from any loopback address, and ready-made
//! accounts.
#![allow(dead_code)]

use leptos::prelude::LeptosOptions;
use roster_core::security::{crypto::SecretKey, totp};
use roster_core::setup::{create_staff, Creator, NewMember};
use roster_core::state::{AppState, Settings};
use roster_data::Db;
use roster_types::StaffPermission;
use serde_json::Value;
use std::net::IpAddr;

pub mod smtp;

pub const PASSWORD: &str = "violet tractor under seven lanterns";
pub const STAFF_SIGN_IN: &str = "/api/auth/staff/sign-in";
pub const USER_SIGN_IN: &str = "/api/auth/user/sign-in";

pub struct Server {
    pub url: String,
    pub state: AppState,
}

pub async fn start(require_staff_2fa: bool) -> Server {
    start_with(require_staff_2fa, 20).await
}

pub async fn start_with(require_staff_2fa: bool, sign_in_per_minute: u32) -> Server {
    start_with_settings(Settings {
        require_staff_2fa,
        secure_cookies: false,
        public_url: "http://127.0.0.1".into(),
        sign_in_per_minute,
        ..Default::default()
    })
    .await
}

/// The router with a sender delivering to `sink` (retries after 1 s, doubling).
pub async fn start_with_mail(sink: &smtp::SmtpSink, sign_in_per_minute: u32) -> Server {
    let s = start_with_settings(mail_settings(sign_in_per_minute)).await;
    spawn_sender(&s.state, sink);
    s
}

/// Settings of a server that mails ("Acme Panel"), retrying after 1 s.
pub fn mail_settings(sign_in_per_minute: u32) -> Settings {
    Settings {
        require_staff_2fa: false,
        public_url: "http://127.0.0.1".into(),
        sign_in_per_minute,
        mail: roster_core::mail::MailSettings {
            retry_base: std::time::Duration::from_secs(1),
            smtp_configured: true,
            product_name: "Acme Panel".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A sender delivering `state`'s outbox to `sink`, for as long as the test runs.
pub fn spawn_sender(state: &AppState, sink: &smtp::SmtpSink) {
    let smtp =
        roster_core::mail::sender::Smtp::from_url(&sink.url(), "Acme Panel <panel@acme.example>")
            .unwrap();
    tokio::spawn(roster_core::mail::sender::run(state.clone(), smtp));
}

/// A server sending to `sink`, and a help-desk staff member who may see, create and edit
/// users and read the trail.
pub async fn mail_desk(sink: &smtp::SmtpSink) -> (Server, Browser) {
    let s = start_with_mail(sink, 1000).await;
    let perms = [
        StaffPermission::UsersView,
        StaffPermission::UsersCreate,
        StaffPermission::UsersEdit,
        StaffPermission::AuditView,
    ];
    let desk = staff_client(&s, "desk@example.com", &perms).await;
    (s, desk)
}

/// A fresh database: SQLite by default, PostgreSQL under ROSTER_TEST_ENGINE=postgres (in
/// a cluster from pg_virtualenv, which sets the PG* variables).
pub async fn test_db() -> Db {
    if std::env::var("ROSTER_TEST_ENGINE").as_deref() != Ok("postgres") {
        return sqlite_db().await;
    }
    let name = new_pg_database().await;
    Db::connect_postgres(sqlx::postgres::PgConnectOptions::new().database(&name))
        .await
        .unwrap()
}

/// A new, empty PostgreSQL database in the cluster the PG* variables name; its name.
async fn new_pg_database() -> String {
    use sqlx::ConnectOptions;
    let name = format!("roster_h_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::postgres::PgConnectOptions::new()
        .connect()
        .await
        .expect("connect to PostgreSQL (run under pg_virtualenv)");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    name
}

/// A fresh database of the engine under test, by URL (for the `roster` binary), beside a
/// connection to it.
pub async fn test_database_url(dir: &std::path::Path) -> (String, Db) {
    if std::env::var("ROSTER_TEST_ENGINE").as_deref() != Ok("postgres") {
        let url = format!("sqlite://{}", dir.join("roster.db").display());
        return (url.clone(), Db::connect(&url).await.unwrap());
    }
    let name = new_pg_database().await;
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let host = env("PGHOST", "localhost");
    let host = if host.starts_with('/') {
        "localhost".to_string()
    } else {
        host
    };
    let url = format!(
        "postgres://{}:{}@{host}:{}/{name}",
        env("PGUSER", "postgres"),
        env("PGPASSWORD", ""),
        env("PGPORT", "5432")
    );
    (url.clone(), Db::connect(&url).await.unwrap())
}

/// A fresh SQLite file under target/tmp, which `.ci/test` empties before each run.
pub async fn sqlite_db() -> Db {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("roster-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("roster_api_{}.db", uuid::Uuid::new_v4().simple()));
    Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

/// The router over a fresh database of the engine under test (`test_db`).
pub async fn start_with_settings(settings: Settings) -> Server {
    serve(AppState::new(
        test_db().await,
        SecretKey::generate(),
        settings,
    ))
    .await
}

/// The real router over `state`, on a free loopback port.
pub async fn serve(state: AppState) -> Server {
    serve_site(
        state,
        LeptosOptions::builder().output_name("roster").build(),
    )
    .await
}

/// The real router over `state` serving the built site described by `options`.
pub async fn serve_site(state: AppState, options: LeptosOptions) -> Server {
    let app = roster::router::build(state.clone(), options);
    let (addr, _serving) = roster::listen::spawn_on_loopback(app).await.unwrap();
    Server {
        url: format!("http://{addr}"),
        state,
    }
}

/// A count (SQL without arguments) on whichever engine the test runs on.
pub async fn count(s: &Server, sql: &str) -> i64 {
    match &s.state.db {
        roster_data::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        roster_data::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

pub fn client() -> reqwest::Client {
    client_from("127.0.0.1")
}

/// A browser of its own (its own cookies) speaking from this loopback address. A request
/// that gets no whole answer within a minute fails its test instead of stalling the run.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<IpAddr>().unwrap())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A browser of its own (cookies kept, redirects not followed) talking to one server.
/// Derefs to the `reqwest::Client` for requests the helpers do not cover.
#[derive(Clone)]
pub struct Browser {
    http: reqwest::Client,
    base: String,
}

impl std::ops::Deref for Browser {
    type Target = reqwest::Client;
    fn deref(&self) -> &reqwest::Client {
        &self.http
    }
}

pub type Reply = (u16, Value, reqwest::header::HeaderMap);

impl Browser {
    pub fn new(base: &str, ip: &str) -> Browser {
        Browser {
            http: client_from(ip),
            base: base.to_string(),
        }
    }

    /// The absolute URL of `path` on this browser's server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POST a form: status, JSON body (Null when not JSON), headers.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let r = self
            .http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.json::<Value>().await.unwrap_or(Value::Null);
        (status, body, headers)
    }

    /// GET a page: status, text, headers.
    pub async fn page(&self, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, r.text().await.unwrap_or_default(), headers)
    }

    /// POST `body` (form-encoded, as a page's plain form sends it) to a page: status, text,
    /// headers. Redirects are not followed.
    pub async fn post_page(
        &self,
        path: &str,
        body: impl Into<reqwest::Body>,
    ) -> (u16, String, reqwest::header::HeaderMap) {
        let r = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, r.text().await.unwrap_or_default(), headers)
    }

    /// Every form POSTed to `path` at the same moment; the replies in the forms' order.
    pub async fn at_once(&self, path: &str, forms: Vec<Vec<(&str, String)>>) -> Vec<Reply> {
        let calls = forms.iter().map(|form| async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            self.call(path, &form).await
        });
        futures::future::join_all(calls).await
    }

    /// The password step of a sign-in at `path` (staff or user).
    pub async fn sign_in_with(&self, path: &str, email: &str, password: &str) -> Reply {
        self.call(path, &[("email", email), ("password", password)])
            .await
    }

    /// A signed-in account changing its password at `path` (staff or user).
    pub async fn change_password(&self, path: &str, current: &str, new: &str) -> Reply {
        let form = [("current_password", current), ("new_password", new)];
        self.call(path, &form).await
    }

    /// The password step of a sign-in at `path` (staff or user) with `PASSWORD`.
    pub async fn sign_in(&self, path: &str, email: &str) -> (u16, Value) {
        let (status, body, _) = self
            .call(path, &[("email", email), ("password", PASSWORD)])
            .await;
        (status, body)
    }
}

impl Server {
    pub fn browser(&self) -> Browser {
        self.browser_from("127.0.0.1")
    }

    pub fn browser_from(&self, ip: &str) -> Browser {
        Browser::new(&self.url, ip)
    }
}

/// A client "Pat Doe" of `company`, made through the API by staff `c`: its detail.
pub async fn new_client(c: &Browser, company: &str) -> Value {
    let form = [
        ("first_name", "Pat"),
        ("last_name", "Doe"),
        ("company_name", company),
    ];
    let (status, body, _) = c.call("/api/clients/create", &form).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A staff member made from the command line, with `PASSWORD`; `two_factor` only when
/// the server does not require it of all staff.
/// A browser halfway through a staff sign-in: password given, the second factor not yet.
pub async fn half_signed_in_staff(s: &Server, email: &str) -> Browser {
    add_staff(s, email, StaffPermission::ALL, true).await;
    let half = s.browser();
    let (status, body, _) = half.sign_in_with(STAFF_SIGN_IN, email, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    half
}

pub async fn add_staff(
    s: &Server,
    email: &str,
    permissions: &[StaffPermission],
    two_factor: bool,
) -> uuid::Uuid {
    create_staff(
        &s.state,
        NewMember::new(email, PASSWORD, permissions).two_factor(two_factor),
        Creator::Cli,
    )
    .await
    .unwrap()
}

/// A signed-in client for a staff member holding `permissions`.
pub async fn staff_client(s: &Server, email: &str, permissions: &[StaffPermission]) -> Browser {
    add_staff(s, email, permissions, false).await;
    let c = s.browser();
    let (status, body) = c.sign_in("/api/auth/staff/sign-in", email).await;
    assert_eq!(status, 200, "{body}");
    c
}

/// An endpoint, a form it accepts, and the permission it needs.
pub type Guarded<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

/// Each endpoint answers 401 without a session, and 403 naming its permission to staff who
/// hold every permission but that one.
pub async fn check_guards(s: &Server, calls: &[Guarded<'_>]) {
    for (path, form, _) in calls {
        let (status, body, _) = s.browser().call(path, form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthenticated")),
            "{path}"
        );
    }
    for (i, (path, form, needs)) in calls.iter().enumerate() {
        let others: Vec<StaffPermission> = StaffPermission::ALL
            .iter()
            .copied()
            .filter(|p| p.code() != *needs)
            .collect();
        let c = staff_client(s, &format!("guard{i}@example.com"), &others).await;
        let (status, body, _) = c.call(path, form).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["permission"], *needs);
    }
}

/// The row of `/admin/staff` for `email`, as `c` (a staff manager) sees it.
pub async fn staff_row(c: &Browser, email: &str) -> Value {
    let (status, list, _) = c.call("/api/staff/list", &[]).await;
    assert_eq!(status, 200, "{list}");
    let rows = list.as_array().expect("a list of staff");
    rows.iter()
        .find(|r| r["email"] == email)
        .expect("listed")
        .clone()
}

/// A form whose values can be added to (`Browser::at_once` takes owned values).
pub fn owned<'a>(form: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
    form.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// The sign-in step an answer names (`done`, `need_code`, …; empty when none).
pub fn step(body: &Value) -> &str {
    body["step"].as_str().unwrap_or_default()
}

/// A JSON list of strings.
pub fn strings(list: &Value) -> Vec<String> {
    let list = list.as_array().expect("a list");
    list.iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// The fields a 422 names, in order.
pub fn fields(body: &Value) -> Vec<&str> {
    column(&body["fields"], "field")
}

/// One text field of every row of a page (`rows`), in order.
pub fn column<'a>(rows: &'a Value, key: &str) -> Vec<&'a str> {
    rows.as_array()
        .map(|rows| rows.iter().filter_map(|r| r[key].as_str()).collect())
        .unwrap_or_default()
}

pub const NEW_USER: &[(&str, &str)] = &[
    ("email", "ann.lee@example.com"),
    ("password", "violet tractor under seven lanterns"),
    ("first_name", "Ann"),
    ("last_name", "Lee"),
    ("phone", "+380 50 123 4567"),
    ("language", "uk"),
    ("admin_notes", "<script>alert(1)</script> ticket #12"),
    ("two_factor", "true"),
];

/// A user staff created with the given 2FA switch, email verified, ready to sign in.
pub async fn ready_user(c: &Browser, two_factor: &str) -> String {
    // Staff verify her email by hand just below: no verification link is mailed.
    let create = [NEW_USER, &[("send_verification", "false")]].concat();
    let (_, user, _) = c.call("/api/users/create", &create).await;
    let id = user["id"].as_str().unwrap().to_string();
    let version = user["version"].to_string();
    let edit = user_edit(&id, &version, "NEW", two_factor);
    let (status, body, _) = c.call("/api/users/update", &edit).await;
    assert_eq!(status, 200, "{body}");
    id
}

/// Edit's form for Ann (`NEW_USER`, email verified, password kept) at `version`.
pub fn user_edit<'a>(
    id: &'a str,
    version: &'a str,
    status: &'a str,
    two_factor: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut edit = vec![
        ("id", id),
        ("version", version),
        ("status", status),
        ("email_verified", "true"),
        ("two_factor", two_factor),
    ];
    let kept = |(k, _): &&(&str, &str)| !matches!(*k, "password" | "two_factor");
    edit.extend(NEW_USER.iter().filter(kept));
    edit
}

/// Ann, whom staff (`staff`) required to use 2FA, enrolled from `owner` (her known
/// browser from then on, signed out again).
pub struct Enrolled {
    pub staff: Browser,
    pub id: String,
    pub secret: Vec<u8>,
    pub codes: Vec<String>,
}

pub async fn enrolled_ann(s: &Server, owner: &Browser) -> Enrolled {
    let staff = staff_client(s, "ops@example.com", StaffPermission::ALL).await;
    let id = ready_user(&staff, "true").await;
    let (_, body, _) = owner.call("/api/auth/user/sign-in", &ANN).await;
    let secret = totp::secret_from_base32(body["secret"].as_str().unwrap()).unwrap();
    let code = code_in(&secret, 0);
    let (status, body, _) = owner.call("/api/auth/user/enrol", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(owner.call("/api/auth/user/sign-out", &[]).await.0, 200);
    let codes = strings(&body["codes"]);
    Enrolled {
        staff,
        id,
        secret,
        codes,
    }
}

/// Ann made ready by staff (`staff`) without 2FA, and a browser she signed in with.
pub async fn signed_in_ann(s: &Server) -> (Browser, Browser) {
    let staff = staff_client(s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "false").await;
    let ann = s.browser();
    let (status, body, _) = ann.call(USER_SIGN_IN, &ANN).await;
    assert_eq!((status, step(&body)), (200, "done"), "{body}");
    (staff, ann)
}

pub const ANN: [(&str, &str); 2] = [
    ("email", "ann.lee@example.com"),
    ("password", "violet tractor under seven lanterns"),
];

pub fn code_in(secret: &[u8], steps_ahead: i64) -> String {
    totp::code_at(
        secret,
        (chrono::Utc::now().timestamp() + 30 * steps_ahead) as u64,
    )
}

pub fn meta() -> roster_core::request::RequestMeta {
    roster_core::request::RequestMeta {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: "tests".into(),
        cookie_header: String::new(),
        accept_language: String::new(),
        secure: false,
        page: None,
    }
}

/// The `roster` binary itself, serving a data directory of its own on a free port.
pub struct Process {
    pub child: std::process::Child,
    pub url: String,
    pub dir: std::path::PathBuf,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh data directory under target/tmp.
pub fn data_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("roster-tests")
        .join(format!("data_{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run `roster ARGS` on `dir` to completion: (success, stdout, stderr).
pub fn roster(dir: &std::path::Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .env("ROSTER_DATA_DIR", dir)
        .env("ROSTER_REQUIRE_STAFF_2FA", "false")
        .env_remove("ROSTER_SECRET_KEY")
        .env_remove("ROSTER_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `roster serve` on a new data directory whose one staff member, ops@example.com (no
/// 2FA), was made from the command line; and a browser signed in as them.
pub async fn served_with_ops() -> (std::path::PathBuf, Process, Browser) {
    let dir = data_dir();
    let args = [
        "staff",
        "create",
        "--email",
        "ops@example.com",
        "--password-stdin",
        "--no-2fa",
    ];
    let (ok, _, err) = roster(&dir, &args, PASSWORD);
    assert!(ok, "{err}");
    let p = Process::serve(&dir).await;
    let staff = p.browser();
    assert_eq!(staff.sign_in(STAFF_SIGN_IN, "ops@example.com").await.0, 200);
    (dir, p, staff)
}

impl Process {
    /// `roster serve` on `dir` (staff 2FA off, a high address limit), ready to answer.
    pub async fn serve(dir: &std::path::Path) -> Process {
        let port = free_port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
            .arg("serve")
            .env("ROSTER_DATA_DIR", dir)
            .env("ROSTER_BIND", format!("127.0.0.1:{port}"))
            .env("ROSTER_REQUIRE_STAFF_2FA", "false")
            .env("ROSTER_SIGN_IN_PER_MINUTE", "100000")
            .env("RUST_LOG", "warn")
            .env_remove("ROSTER_SECRET_KEY")
            .env_remove("ROSTER_DATABASE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Owned by the Process from here on: its Drop kills and waits.
        let p = Process {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dir: dir.to_path_buf(),
        };
        for _ in 0..200 {
            if reqwest::get(format!("{}/healthz", p.url)).await.is_ok() {
                return p;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("roster serve did not start");
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.url, "127.0.0.1")
    }

    /// The peak resident memory of the server process so far, in MB.
    pub fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap();
        kb / 1024.0
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A brotli body, decoded.
pub fn unbrotli(bytes: &[u8]) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(
        &mut brotli_decompressor::Decompressor::new(bytes, 4096),
        &mut out,
    )
    .expect("a valid brotli stream");
    out
}

/// A gzip body, decoded.
pub fn ungzip(bytes: &[u8]) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut out)
        .expect("a valid gzip stream");
    out
}

/// A body as its `Content-Encoding` says it was sent (none, brotli or gzip), decoded.
pub fn decoded(encoding: &str, bytes: &[u8]) -> String {
    match encoding {
        "br" => unbrotli(bytes),
        "gzip" => ungzip(bytes),
        "" => String::from_utf8(bytes.to_vec()).expect("UTF-8"),
        other => panic!("unexpected Content-Encoding {other:?}"),
    }
}

/// Percent-encodes every byte but ASCII letters and digits.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Hostile values for a text parameter in a page's URL, encoded: `markup`, a NUL, a bidi
/// override, bytes that are not UTF-8, and 10,000 characters.
pub fn hostile_url_texts(markup: &str) -> Vec<String> {
    vec![
        url_encode(markup),
        "a%00b".into(),
        "%E2%80%AEgnp".into(),
        "%FF%FE".into(),
        "x".repeat(10_000),
    ]
}

/// Every page of `paths`, asked `at_once` at a time, answers 200.
pub async fn assert_every_page_answers(
    c: &Browser,
    at_once: usize,
    paths: impl IntoIterator<Item = String>,
) {
    let paths: Vec<String> = paths.into_iter().collect();
    for batch in paths.chunks(at_once) {
        let asks = batch.iter().map(|p| {
            let c = c.clone();
            async move { (c.page(p).await.0, p.clone()) }
        });
        for (status, path) in futures::future::join_all(asks).await {
            assert_eq!(status, 200, "{path}");
        }
    }
}

/// `prefix` followed by 2 MB (a query value) is refused or answered, never with a 500,
/// and the server still serves `after`.
pub async fn assert_two_megabyte_url_is_refused(c: &Browser, prefix: &str, after: &str) {
    let huge = "a".repeat(2 << 20);
    match c.get(c.url(&format!("{prefix}{huge}"))).send().await {
        Ok(r) => assert!(r.status().as_u16() < 500, "{}", r.status()),
        // The server may close a connection whose request line is this long.
        Err(e) => assert!(!e.is_timeout(), "{e}"),
    }
    assert_eq!(c.page(after).await.0, 200);
}

/// A form body: the fields URL-encoded.
pub fn urlencoded(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// The ids of the signed-in staff member's own sessions other than the one `c` asks with.
pub async fn other_staff_sessions(c: &Browser) -> Vec<String> {
    let (status, rows, _) = c.call("/api/auth/staff/sessions", &[]).await;
    assert_eq!(status, 200, "{rows}");
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["current"] == false)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}
