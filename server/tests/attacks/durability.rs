//! Crashes and lost keys: `kill -9` in the middle of writes, a missing or wrong
//! `secret.key`, and moving to a new key.

use super::common::*;
use roster_core::security::crypto::SecretKey;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// `roster staff create` for `email` with `PASSWORD`, no 2FA: (success, stderr).
fn create_staff(dir: &Path, email: &str) -> (bool, String) {
    let args = [
        "staff",
        "create",
        "--email",
        email,
        "--password-stdin",
        "--no-2fa",
    ];
    let (ok, _, err) = roster(dir, &args, PASSWORD);
    (ok, err)
}

/// A data directory with one staff member: the directory, its key file, and the key.
fn data_dir_with_staff() -> (std::path::PathBuf, std::path::PathBuf, String) {
    let dir = data_dir();
    assert!(create_staff(&dir, "a@example.com").0);
    let key_file = dir.join("secret.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    (dir, key_file, key)
}

async fn staff_session(p: &Process) -> Browser {
    let c = p.browser();
    let (status, body) = c.sign_in(STAFF_SIGN_IN, "ops@example.com").await;
    assert_eq!(status, 200, "{body}");
    c
}

/// The data directory's SQLite database, opened beside the (stopped) server.
async fn open_db(dir: &Path) -> (roster_data::Db, sqlx::SqlitePool) {
    let url = format!("sqlite://{}", dir.join("roster.db").display());
    let db = roster_data::Db::connect(&url).await.unwrap();
    let roster_data::Db::Sqlite(pool) = &db else {
        unreachable!("a sqlite:// URL opens SQLite")
    };
    let pool = pool.clone();
    (db, pool)
}

/// Four writers create clients as fast as they can until the server is killed; the
/// names whose creation was confirmed.
async fn write_until_kill_9(p: &mut Process, c: &Browser) -> BTreeSet<String> {
    let acknowledged = Arc::new(Mutex::new(BTreeSet::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (c, acked) = (c.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("Crash{w}x{i}");
                let form = [
                    ("first_name", name.as_str()),
                    ("last_name", "Test"),
                    ("status", "ACTIVE"),
                ];
                match c
                    .post(c.url("/api/clients/create"))
                    .form(&form)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => acked.lock().unwrap().insert(name),
                    _ => break,
                };
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    p.kill9();
    for w in writers {
        let _ = w.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = data_dir();
    let (ok, err) = create_staff(&dir, "ops@example.com");
    assert!(ok, "{err}");
    let mut p = Process::serve(&dir).await;
    let c = staff_session(&p).await;
    let acknowledged = write_until_kill_9(&mut p, &c).await;
    assert!(
        acknowledged.len() > 20,
        "only {} writes before the kill",
        acknowledged.len()
    );

    // The database is whole, and holds every write that was confirmed.
    let (db, pool) = open_db(&dir).await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let names = sqlx::query_scalar("SELECT first_name FROM clients").fetch_all(&pool);
    let stored: BTreeSet<String> = names.await.unwrap().into_iter().collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    db.close().await;
    // And it starts again.
    let p = Process::serve(&dir).await;
    let (status, body, _) = staff_session(&p).await.call("/api/clients/list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"].as_u64().unwrap() as usize, stored.len());
    println!(
        "kill -9: {} writes acknowledged, all present after restart",
        acknowledged.len()
    );
}

#[test]
fn a_missing_or_wrong_key_is_refused_and_no_new_one_is_made() {
    let (dir, key_file, original) = data_dir_with_staff();

    // Lost: the next start refuses, saying what to restore, and makes no new key.
    std::fs::remove_file(&key_file).unwrap();
    let (ok, err) = create_staff(&dir, "b@example.com");
    assert!(
        !ok && err.contains("secret.key is missing") && err.contains("Restore"),
        "{err}"
    );
    assert!(!key_file.exists(), "a new key was made");

    // Replaced by another key: refused as well.
    std::fs::write(&key_file, SecretKey::generate().to_hex()).unwrap();
    let (ok, err) = create_staff(&dir, "b@example.com");
    assert!(!ok && err.contains("does not match"), "{err}");

    // The right key back: it works.
    std::fs::write(&key_file, &original).unwrap();
    assert!(create_staff(&dir, "b@example.com").0);
}

#[test]
fn key_rotation_keeps_every_secret_readable_with_the_new_key_only() {
    let (dir, key_file, original) = data_dir_with_staff();
    let old = SecretKey::from_hex(&original).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (db, pool) = open_db(&dir).await;
        let set = sqlx::query("UPDATE staff SET totp_secret = $1 WHERE email = 'a@example.com'");
        set.bind(old.encrypt(b"JBSWY3DPEHPK3PXP"))
            .execute(&pool)
            .await
            .unwrap();
        db.close().await;
    });

    // Rotation: a new key on disk, the old one kept aside, secrets readable with the new.
    let (ok, out, err) = roster(&dir, &["key", "rotate"], "");
    assert!(ok, "{err}");
    assert!(out.contains("Re-encrypted 1 TOTP secrets"), "{out}");
    let new = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(new, original);
    assert_eq!(
        std::fs::read_to_string(dir.join("secret.key.old")).unwrap(),
        original
    );
    let new = SecretKey::from_hex(&new).unwrap();
    rt.block_on(async {
        let (db, pool) = open_db(&dir).await;
        let get = sqlx::query_scalar("SELECT totp_secret FROM staff WHERE email = 'a@example.com'");
        let stored: String = get.fetch_one(&pool).await.unwrap();
        assert_eq!(new.decrypt(&stored).unwrap(), b"JBSWY3DPEHPK3PXP");
        assert!(old.decrypt(&stored).is_err());
        // The recovery pepper moved with it: the key check opens with the new key.
        assert!(roster_core::keys::open(&db, &new).await.is_ok());
        assert!(roster_core::keys::open(&db, &old).await.is_err());
        db.close().await;
    });
    assert!(
        create_staff(&dir, "c@example.com").0,
        "starts with the new key"
    );
}

/// One value from either engine (the data layer's own runner is private to it).
async fn scalar<T>(db: &roster_data::Db, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    match db {
        roster_data::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        roster_data::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

/// The users and what must agree with them: the trigger-kept count, and (PostgreSQL) how
/// many of the indexes a bulk load drops and builds again are there.
async fn users_and_indexes(db: &roster_data::Db) -> (i64, i64, Option<i64>) {
    let count = scalar::<i64>(db, "SELECT COUNT(*) FROM users").await;
    let counter = roster_data::bulk::user_count(db).await.unwrap();
    let names = roster_data::bulk::REBUILT_USER_INDEXES.join("','");
    let indexes = match db {
        roster_data::Db::Postgres(_) => Some(
            scalar::<i64>(
                db,
                &format!("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'users' AND indexname IN ('{names}')"),
            )
            .await,
        ),
        roster_data::Db::Sqlite(_) => None,
    };
    (count, counter, indexes)
}

/// `roster seed --users U --clients C` on `url`, quiet.
fn seed_process(
    dir: &std::path::Path,
    url: &str,
    users: &str,
    clients: &str,
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_roster"))
        .args([
            "seed",
            "--users",
            users,
            "--clients",
            clients,
            "--database-url",
            url,
        ])
        .env("ROSTER_DATA_DIR", dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Wait until `sql` counts something (the seed has started writing), up to 30 s.
async fn until_some(db: &roster_data::Db, sql: &str) {
    for _ in 0..300 {
        if scalar::<i64>(db, sql).await > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the seed never wrote ({sql})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_seed_killed_midway_leaves_whole_clients_and_their_indexes() {
    let dir = data_dir();
    let (url, db) = test_database_url(&dir).await;
    assert!(seed_process(&dir, &url, "2000", "0")
        .wait()
        .unwrap()
        .success());
    let mut child = seed_process(&dir, &url, "0", "60000");
    let writing = match db {
        roster_data::Db::Postgres(_) => {
            "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY clients%' AND datname = current_database()"
        }
        roster_data::Db::Sqlite(_) => "SELECT COUNT(*) FROM clients",
    };
    until_some(&db, writing).await;
    child.kill().unwrap();
    child.wait().unwrap();
    // Every client left has its owner (whole batches on SQLite; nothing on PostgreSQL, whose
    // load is one transaction with the indexes dropped inside it).
    let orphans = "SELECT COUNT(*) FROM clients c WHERE NOT EXISTS
        (SELECT 1 FROM user_clients l WHERE l.client_id = c.id AND l.is_owner)";
    assert_eq!(
        scalar::<i64>(&db, orphans).await,
        0,
        "a client without its owner"
    );
    if let roster_data::Db::Postgres(_) = db {
        let names = roster_data::bulk::REBUILT_CLIENT_INDEXES.join("','");
        let indexes = format!(
            "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'clients' AND indexname IN ('{names}')"
        );
        let all = roster_data::bulk::REBUILT_CLIENT_INDEXES.len() as i64;
        assert_eq!(
            scalar::<i64>(&db, &indexes).await,
            all,
            "the indexes are all there"
        );
        assert_eq!(scalar::<i64>(&db, "SELECT COUNT(*) FROM clients").await, 0);
    }
    // Run to the end: the clients are found by search through the rebuilt indexes.
    let before = scalar::<i64>(&db, "SELECT COUNT(*) FROM clients").await;
    assert!(seed_process(&dir, &url, "0", "60000")
        .wait()
        .unwrap()
        .success());
    let after = scalar::<i64>(&db, "SELECT COUNT(*) FROM clients").await;
    assert_eq!(after - before, 60_000);
    // Each user's client counts match their links (PostgreSQL writes them once at the end
    // of its load), and the trigger that keeps them is on again, the killed load included.
    let wrong = "SELECT COUNT(*) FROM users u WHERE
        u.clients <> (SELECT COUNT(*) FROM user_clients l WHERE l.user_id = u.id)
        OR u.clients_owned <> (SELECT COUNT(*) FROM user_clients l WHERE l.user_id = u.id AND l.is_owner)";
    assert_eq!(
        scalar::<i64>(&db, wrong).await,
        0,
        "counts differ from links"
    );
    if let roster_data::Db::Postgres(_) = db {
        let on = "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'user_clients_count' AND tgenabled = 'O'";
        assert_eq!(scalar::<i64>(&db, on).await, 1, "the counts' trigger is on");
    }
    let tax =
        "SELECT tax_id FROM clients WHERE tax_id IS NOT NULL ORDER BY created_at DESC LIMIT 1";
    let some = scalar::<String>(&db, tax).await;
    let query = roster_types::page::PageQuery::new(some.clone(), 1, 25, "created".into(), true);
    let (rows, _) = roster_data::clients::list(&db, &query).await.unwrap();
    assert_eq!(rows.len(), 1, "{some}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seed_killed_midway_leaves_a_whole_database() {
    let dir = data_dir();
    let (url, db) = test_database_url(&dir).await;
    let seed = |users: &str| seed_process(&dir, &url, users, "0");
    // Killed while it writes: on PostgreSQL (one transaction, indexes dropped) nothing is
    // left of it; on SQLite whole batches, each with its count and index entries.
    let mut child = seed("60000");
    let writing = match db {
        roster_data::Db::Postgres(_) => {
            "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY users%' AND datname = current_database()"
        }
        roster_data::Db::Sqlite(_) => "SELECT COUNT(*) FROM users",
    };
    until_some(&db, writing).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let all = Some(roster_data::bulk::REBUILT_USER_INDEXES.len() as i64);
    let (count, counter, indexes) = users_and_indexes(&db).await;
    assert_eq!(counter, count, "the kept count agrees with the rows");
    if indexes.is_some() {
        assert_eq!((indexes, count), (all, 0), "a killed load leaves nothing");
    }
    // Run to the end: every row counted and found through the rebuilt indexes.
    assert!(seed("50000").wait().unwrap().success());
    let (after, counter, indexes) = users_and_indexes(&db).await;
    assert_eq!((after - count, counter), (50_000, after));
    assert!(indexes.is_none() || indexes == all);
    let newest = "SELECT email FROM users ORDER BY created_at DESC LIMIT 1";
    let some = scalar::<String>(&db, newest).await;
    let query = roster_types::page::PageQuery::new(some.clone(), 1, 25, "created".into(), true);
    let (rows, total) = roster_data::users::list(&db, &query).await.unwrap();
    assert_eq!(
        (rows.len(), total),
        (1, roster_types::page::Total::Exact(1)),
        "{some}"
    );
}
