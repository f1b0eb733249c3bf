//! Crashes and lost keys: `kill -9` in the middle of writes, a missing or wrong
//! `secret.key`, and moving to a new key.

use super::common::*;
use std::collections::BTreeSet;

async fn staff_session(p: &Process) -> Browser {
    let c = p.browser();
    let (status, body) = c
        .sign_in("/api/auth/staff/sign-in", "ops@example.com")
        .await;
    assert_eq!(status, 200, "{body}");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = data_dir();
    let (ok, _, err) = roster(
        &dir,
        &[
            "staff",
            "create",
            "--email",
            "ops@example.com",
            "--password-stdin",
            "--no-2fa",
        ],
        PASSWORD,
    );
    assert!(ok, "{err}");
    let mut p = Process::serve(&dir).await;
    let c = staff_session(&p).await;
    let url = format!("{}/api/clients/create", p.url);
    // Four writers create clients as fast as they can; each remembers what was confirmed.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(BTreeSet::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (c, url, acked) = (c.clone(), url.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("Crash{w}x{i}");
                let r = c
                    .post(&url)
                    .form(&[
                        ("first_name", name.as_str()),
                        ("last_name", "Test"),
                        ("status", "ACTIVE"),
                    ])
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 200 => {
                        acked.lock().unwrap().insert(name);
                    }
                    _ => break,
                }
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    p.kill9();
    for w in writers {
        let _ = w.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "only {} writes before the kill",
        acknowledged.len()
    );

    // The database is whole, and holds every write that was confirmed.
    let db = roster_data::Db::connect(&format!("sqlite://{}", dir.join("roster.db").display()))
        .await
        .unwrap();
    let roster_data::Db::Sqlite(pool) = &db else {
        unreachable!()
    };
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let stored: BTreeSet<String> = sqlx::query_scalar("SELECT first_name FROM clients")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    db.close().await;
    // And it starts again.
    let p = Process::serve(&dir).await;
    let c = staff_session(&p).await;
    let (status, body, _) = c.call("/api/clients/list", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"].as_u64().unwrap() as usize, stored.len());
    println!(
        "kill -9: {} writes acknowledged, all present after restart",
        acknowledged.len()
    );
}

#[test]
fn a_missing_or_wrong_key_is_refused_and_rotation_keeps_secrets() {
    let dir = data_dir();
    let create = |email: &str| {
        roster(
            &dir,
            &[
                "staff",
                "create",
                "--email",
                email,
                "--password-stdin",
                "--no-2fa",
            ],
            PASSWORD,
        )
    };
    assert!(create("a@example.com").0);
    let key_file = dir.join("secret.key");
    let original = std::fs::read_to_string(&key_file).unwrap();

    // Lost: the next start refuses, saying what to restore, and makes no new key.
    std::fs::remove_file(&key_file).unwrap();
    let (ok, _, err) = create("b@example.com");
    assert!(!ok);
    assert!(
        err.contains("secret.key is missing") && err.contains("Restore"),
        "{err}"
    );
    assert!(!key_file.exists(), "a new key was made");

    // Replaced by another key: refused as well.
    std::fs::write(
        &key_file,
        roster_core::security::crypto::SecretKey::generate().to_hex(),
    )
    .unwrap();
    let (ok, _, err) = create("b@example.com");
    assert!(!ok);
    assert!(err.contains("does not match"), "{err}");

    // The right key back: it works; an encrypted secret is readable.
    std::fs::write(&key_file, &original).unwrap();
    assert!(create("b@example.com").0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = format!("sqlite://{}", dir.join("roster.db").display());
    let old = roster_core::security::crypto::SecretKey::from_hex(&original).unwrap();
    rt.block_on(async {
        let db = roster_data::Db::connect(&url).await.unwrap();
        let roster_data::Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        sqlx::query("UPDATE staff SET totp_secret = $1 WHERE email = 'a@example.com'")
            .bind(old.encrypt(b"JBSWY3DPEHPK3PXP"))
            .execute(pool)
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
    let new = roster_core::security::crypto::SecretKey::from_hex(&new).unwrap();
    rt.block_on(async {
        let db = roster_data::Db::connect(&url).await.unwrap();
        let roster_data::Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        let stored: String =
            sqlx::query_scalar("SELECT totp_secret FROM staff WHERE email = 'a@example.com'")
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(new.decrypt(&stored).unwrap(), b"JBSWY3DPEHPK3PXP");
        assert!(old.decrypt(&stored).is_err());
        // The recovery pepper moved with it: the key check opens with the new key.
        assert!(roster_core::keys::open(&db, &new).await.is_ok());
        assert!(roster_core::keys::open(&db, &old).await.is_err());
        db.close().await;
    });
    assert!(create("c@example.com").0, "starts with the new key");
}
