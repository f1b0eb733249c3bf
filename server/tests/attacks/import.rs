//! The users CSV import, as a support lead uses it and as an attacker would try it: a
//! thousand rows with ten bad ones (dry run, commit, the same file again), existing users,
//! someone else's permission, hostile files, two imports at once, and the command line.

use super::common::*;
use roster_types::StaffPermission;
use serde_json::Value;

const IMPORT: &str = "/api/users/import";
const HEADER: &str =
    "email,first_name,last_name,phone,language,admin_notes,client_tax_id,permissions";

/// `n` good rows `imp.{tag}.{i}@example.com`; every tenth with a phone, every
/// twentieth associated with the client whose tax ID is `UA-777`.
fn good_rows(tag: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let phone = if i % 10 == 0 { format!("+380 50 1{:02} {:04}", i / 10_000, i % 10_000) } else { String::new() };
            let (tax, perms) = if i % 20 == 0 { ("UA-777", "manage-invoices,manage-domains") } else { ("", "") };
            format!("imp.{tag}.{i}@example.com,Ivan,\"Tester, {i}\",{phone},uk,Imported {i},{tax},\"{perms}\"")
        })
        .collect()
}

/// The ten bad rows, each with the field it is refused at.
fn bad_rows() -> Vec<(String, &'static str)> {
    vec![
        ("not-an-email,Ann,Lee,,en,,,".into(), "email"),
        ("@example.com,Ann,Lee,,en,,,".into(), "email"),
        ("imp.a.1@example.com,Ann,Again,,en,,,".into(), "email"),
        ("IMP.A.2@example.com,Ann,Again,,en,,,".into(), "email"),
        (
            "imp.bad.1@example.com,Ann,Lee,,en,,XX-000,".into(),
            "client_tax_id",
        ),
        (
            "imp.bad.2@example.com,Ann,Lee,,en,,UA-777,fly-planes".into(),
            "permissions",
        ),
        (
            "imp.bad.3@example.com,Ann,Lee,,klingon,,,".into(),
            "language",
        ),
        ("imp.bad.4@example.com,Ann,Lee,12,en,,,".into(), "phone"),
        ("imp.bad.5@example.com,,Lee,,en,,,".into(), "first_name"),
        (
            "imp.bad.6@example.com,Ann\u{202e},Lee,,en,,,".into(),
            "first_name",
        ),
    ]
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

async fn import(staff: &Browser, csv: &str, commit: bool) -> Vec<Value> {
    let commit = if commit { "true" } else { "false" };
    let (status, body, _) = staff
        .call(IMPORT, &[("csv", csv), ("commit", commit)])
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

fn tally(report: &[Value]) -> [usize; 4] {
    let n = |r: &str| report.iter().filter(|row| row["result"] == r).count();
    [n("create"), n("update"), n("unchanged"), n("refused")]
}

async fn client_with_tax_id(staff: &Browser, tax_id: &str) {
    let form = [
        ("first_name", "Pat"),
        ("last_name", "Doe"),
        ("company_name", "Imported Ltd"),
        ("tax_id", tax_id),
    ];
    let (status, body, _) = staff.call("/api/clients/create", &form).await;
    assert_eq!(status, 200, "{body}");
}

const USERS: &str = "SELECT COUNT(*) FROM users WHERE email LIKE 'imp.%'";
const EVENTS: &str = "SELECT COUNT(*) FROM audit_events";

#[tokio::test]
async fn a_thousand_rows_with_ten_bad_dry_run_commit_and_again_changes_nothing() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    client_with_tax_id(&staff, "UA-777").await;
    let mut rows = good_rows("a", 990);
    let bad = bad_rows();
    // The bad rows spread through the file: after every 99th good one.
    let mut lines_of_bad = vec![];
    for (k, (row, _)) in bad.iter().enumerate() {
        let at = (k + 1) * 99 + k;
        rows.insert(at, row.clone());
        lines_of_bad.push(at as u64 + 2);
    }
    let csv = file(&rows);
    let events = count(&s, EVENTS).await;

    // The dry run says what would happen, row by row, and writes nothing.
    let report = import(&staff, &csv, false).await;
    assert_eq!(report.len(), 1000);
    assert_eq!(tally(&report), [990, 0, 0, 10]);
    for ((line, (_, field)), row) in lines_of_bad
        .iter()
        .zip(&bad)
        .zip(report.iter().filter(|r| r["result"] == "refused"))
    {
        assert_eq!(row["line"], *line, "{row}");
        assert_eq!(row["fields"][0]["field"], *field, "{row}");
    }
    let earlier = report
        .iter()
        .find(|r| r["email"] == "imp.a.1@example.com" && r["result"] == "refused")
        .unwrap();
    assert_eq!(
        earlier["fields"][0]["message"],
        "This email is on an earlier line of the file."
    );
    assert_eq!(
        (count(&s, USERS).await, count(&s, EVENTS).await),
        (0, events)
    );

    // The commit does exactly that: no mail server, so INACTIVE and not invited.
    let committed = import(&staff, &csv, true).await;
    assert_eq!(tally(&committed), [990, 0, 0, 10]);
    assert_eq!(count(&s, USERS).await, 990);
    let inactive = "SELECT COUNT(*) FROM users WHERE email LIKE 'imp.%' AND status = 'INACTIVE' AND password_hash = '' AND invited_at IS NULL";
    assert_eq!(count(&s, inactive).await, 990);
    let created = "SELECT COUNT(*) FROM audit_events WHERE action = 'user.created' AND changes LIKE '%\"imported\":true%'";
    assert_eq!(count(&s, created).await, 990);
    let linked = "SELECT COUNT(*) FROM user_clients uc JOIN users u ON u.id = uc.user_id WHERE u.email LIKE 'imp.%'";
    assert_eq!(count(&s, linked).await, 50);
    // One of them, as the list shows it: cells as written, the quoted comma kept.
    let (_, page, _) = staff.call("/api/users/list", &[("q", "imp.a.20@")]).await;
    let u = &page["rows"][0];
    assert_eq!(u["last_name"], "Tester, 20");
    assert_eq!(u["phone"], "+380501000020");
    assert_eq!(u["clients"], 1);

    // The same file again changes nothing, and says so.
    let events = count(&s, EVENTS).await;
    let again = import(&staff, &csv, true).await;
    assert_eq!(tally(&again), [0, 0, 990, 10]);
    assert_eq!(
        (count(&s, USERS).await, count(&s, EVENTS).await),
        (990, events)
    );
}

#[tokio::test]
async fn existing_users_get_only_the_filled_cells_and_only_from_staff_who_may_edit() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    client_with_tax_id(&staff, "UA-777").await;
    let form = [
        ("email", "Imp.Known@example.com"),
        ("password", PASSWORD),
        ("first_name", "Kim"),
        ("last_name", "Old"),
        ("phone", "+380 50 123 4567"),
        ("language", "en"),
    ];
    let (status, body, _) = staff.call("/api/users/create", &form).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    // The email in another case, an empty first name (kept), a new last name, a client.
    let csv = "Email,First Name,Last Name,Tax ID,Permissions\nimp.known@EXAMPLE.com,,New,UA-777,manage-invoices\n";

    // Staff who may create but not edit: refused, nothing changed.
    let creator = staff_client(
        &s,
        "creator@example.com",
        &[StaffPermission::UsersView, StaffPermission::UsersCreate],
    )
    .await;
    let report = import(&creator, csv, true).await;
    assert_eq!(report[0]["result"], "refused", "{report:?}");
    assert_eq!(report[0]["fields"][0]["field"], "email");

    let report = import(&staff, csv, false).await;
    assert_eq!(report[0]["result"], "update");
    assert_eq!(
        report[0]["changes"],
        serde_json::json!(["last_name", "client"])
    );
    let report = import(&staff, csv, true).await;
    assert_eq!(report[0]["result"], "update");
    let (_, u, _) = staff.call("/api/users/get", &[("id", &id)]).await;
    assert_eq!(
        (&u["first_name"], &u["last_name"], &u["status"]),
        (
            &Value::from("Kim"),
            &Value::from("New"),
            &Value::from("NEW")
        )
    );
    assert_eq!(u["phone"], "+380501234567");
    assert_eq!(import(&staff, csv, true).await[0]["result"], "unchanged");
    // She became the client's owner (its first user), who holds every permission: other
    // permissions change nothing for her.
    let (_, clients, _) = staff.call("/api/users/clients", &[("id", &id)]).await;
    assert_eq!(clients["clients"][0]["owner"], true, "{clients}");
    let csv2 = "email,client_tax_id,permissions\nimp.known@example.com,UA-777,manage-domains\n";
    assert_eq!(import(&staff, csv2, true).await[0]["result"], "unchanged");
    // A second user joins with one permission; another file changes it.
    let join = "email,first_name,last_name,client_tax_id,permissions\nimp.member@example.com,Mo,Member,UA-777,manage-invoices\n";
    assert_eq!(import(&staff, join, true).await[0]["result"], "create");
    let change = "email,client_tax_id,permissions\nimp.member@example.com,UA-777,manage-domains\n";
    let report = import(&staff, change, true).await;
    assert_eq!(
        report[0]["changes"],
        serde_json::json!(["permissions"]),
        "{report:?}"
    );
    let changed =
        "SELECT COUNT(*) FROM audit_events WHERE action = 'client.user_permissions_changed'";
    assert_eq!(count(&s, changed).await, 1);
    assert_eq!(import(&staff, change, true).await[0]["result"], "unchanged");
}

#[tokio::test]
async fn hostile_files_are_refused_whole_or_row_by_row_and_never_a_500() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let whole: Vec<(String, &str)> = vec![
        (
            "email,password\na@example.com,hunter2\n".into(),
            "Unknown column “password”",
        ),
        (
            "first_name,last_name\nAnn,Lee\n".into(),
            "one of them email",
        ),
        ("email,notes,admin_notes\n".into(), "there twice"),
        (String::new(), "one of them email"),
        (file(&good_rows("many", 1001)), "At most 1000 rows"),
        (
            "email,first_name\nimp.n@example.com,A\u{0}n\n".into(),
            "NUL",
        ),
    ];
    for (csv, says) in whole {
        let (status, body, _) = staff.call(IMPORT, &[("csv", &csv)]).await;
        assert_eq!(status, 422, "{body}");
        let message = body["fields"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains(says), "{message}");
    }
    // Row by row: formula-looking names are text (the export guards them), hostile cells
    // are field errors, a short row is read as far as it goes.
    let rows = vec![
        "imp.h.1@example.com,=HYPERLINK(\"x\"),Lee,,en,,,".to_string(),
        "imp.h.2@example.com,Ann,Lee\u{202e},,en,,,".to_string(),
        "imp.h.3@example.com,Ann".to_string(),
        "'; DROP TABLE users; --@x.com,Ann,Lee,,en,,,".to_string(),
        format!("imp.h.4@example.com,Ann,Lee,,en,{},,", "x".repeat(20_000)),
        ",,,,,,,".to_string(),
    ];
    let report = import(&staff, &file(&rows), true).await;
    let results: Vec<&str> = report
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        ["create", "refused", "refused", "refused", "refused"],
        "{report:?}"
    );
    assert_eq!(report[2]["fields"][0]["field"], "last_name");
    assert_eq!(count(&s, USERS).await, 1);
    // Strangers and staff without users-create: nothing.
    assert_eq!(
        s.browser()
            .call(IMPORT, &[("csv", "email\na@b.co\n")])
            .await
            .0,
        401
    );
    let viewer = staff_client(
        &s,
        "viewer@example.com",
        &[StaffPermission::UsersView, StaffPermission::UsersEdit],
    )
    .await;
    let (status, body, _) = viewer
        .call(
            IMPORT,
            &[
                ("csv", "email,first_name,last_name\nimp.v@example.com,A,B\n"),
                ("commit", "true"),
            ],
        )
        .await;
    assert_eq!(
        (status, &body["permission"]),
        (403, &Value::from("users-create"))
    );
    assert_eq!(count(&s, USERS).await, 1);
}

#[tokio::test]
async fn with_a_mail_server_new_users_are_invited_and_two_imports_at_once_make_each_once() {
    let sink = smtp::SmtpSink::start();
    let s = start_with_mail(&sink, 100).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let other = staff_client(&s, "desk@example.com", StaffPermission::ALL).await;
    let csv = file(
        &good_rows("twice", 200)
            .into_iter()
            .map(|r| r.replace(",UA-777,", ",,"))
            .map(|r| r.replace("\"manage-invoices,manage-domains\"", ""))
            .collect::<Vec<_>>(),
    );
    let (a, b) = tokio::join!(import(&staff, &csv, true), import(&other, &csv, true));
    assert_eq!(count(&s, USERS).await, 200);
    let created = "SELECT COUNT(*) FROM audit_events WHERE action = 'user.created'";
    assert_eq!(count(&s, created).await, 200);
    let [ca, _, _, _] = tally(&a);
    let [cb, _, _, _] = tally(&b);
    assert_eq!(ca + cb, 200, "each user created by exactly one of the two");
    let invited = "SELECT COUNT(*) FROM users WHERE email LIKE 'imp.%' AND status = 'NEW' AND invited_at IS NOT NULL";
    assert_eq!(count(&s, invited).await, 200);
    let mails = "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation'";
    assert_eq!(count(&s, mails).await, 200);
}

#[tokio::test]
async fn the_command_line_reads_a_large_file_in_batches_dry_run_first() {
    let dir = data_dir();
    let mut rows = good_rows("cli", 2500)
        .into_iter()
        .map(|r| {
            r.replace(",UA-777,", ",,")
                .replace("\"manage-invoices,manage-domains\"", "")
        })
        .collect::<Vec<_>>();
    rows.insert(1200, "broken-email,Ann,Lee,,en,,,".to_string());
    let path = dir.join("users.csv");
    std::fs::write(&path, file(&rows)).unwrap();
    let p = path.to_str().unwrap();
    let (ok, out, err) = roster(&dir, &["import", "users", p], "");
    assert!(ok, "{err}");
    assert!(out.contains("line 1202: broken-email: email:"), "{out}");
    assert!(out.contains("Dry run (nothing written; --commit imports): 2500 to create, 0 to update, 0 unchanged, 1 refused."), "{out}");
    assert!(err.contains("2501 rows read"), "{err}");
    let (ok, out, err) = roster(&dir, &["import", "users", p, "--commit"], "");
    assert!(ok, "{err}");
    assert!(
        out.contains("Imported: 2500 created, 0 updated, 0 unchanged, 1 refused."),
        "{out}"
    );
    let (ok, out, _) = roster(&dir, &["import", "users", p, "--commit"], "");
    assert!(ok);
    assert!(
        out.contains("Imported: 0 created, 0 updated, 2500 unchanged, 1 refused."),
        "{out}"
    );
    // A file that is no users CSV: a clear error, nothing written.
    std::fs::write(&path, "name,password\nx,y\n").unwrap();
    let (ok, _, err) = roster(&dir, &["import", "users", p, "--commit"], "");
    assert!(!ok);
    assert!(err.contains("Unknown column “name”"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_midway_leaves_each_user_whole_and_the_same_file_again_finishes() {
    let (dir, mut p, staff) = served_with_ops().await;
    let rows: Vec<String> = good_rows("kill", 3000)
        .into_iter()
        .map(|r| {
            r.replace(",UA-777,", ",,")
                .replace("\"manage-invoices,manage-domains\"", "")
        })
        .collect();
    let slices: Vec<String> = rows.chunks(1000).map(file).collect();
    let run = {
        let (staff, slices) = (staff.clone(), slices.clone());
        tokio::spawn(async move {
            for csv in slices {
                let form = [("csv", csv.as_str()), ("commit", "true")];
                if staff
                    .post(staff.url(IMPORT))
                    .form(&form)
                    .send()
                    .await
                    .is_err()
                {
                    return;
                }
            }
        })
    };
    // Killed once the first hundred rows are in, whatever the machine's speed.
    let url = format!("sqlite://{}", dir.join("roster.db").display());
    let db = roster_data::Db::connect(&url).await.unwrap();
    let roster_data::Db::Sqlite(pool) = &db else {
        unreachable!("a sqlite:// URL opens SQLite")
    };
    let users = "SELECT COUNT(*) FROM users WHERE email LIKE 'imp.kill.%'";
    let events = "SELECT COUNT(*) FROM audit_events WHERE action = 'user.created' AND target_label LIKE 'imp.kill.%'";
    let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool);
    let started = std::time::Instant::now();
    while scalar(users).await.unwrap() < 100 {
        assert!(
            started.elapsed().as_secs() < 60,
            "no row imported in a minute"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    p.kill9();
    let _ = run.await;

    // Every user written has its creation event, and no event lacks its user.
    let (made, noted) = (scalar(users).await.unwrap(), scalar(events).await.unwrap());
    assert!(
        made > 0 && made < 3000,
        "the kill came at {made} of 3000: move it"
    );
    assert_eq!(made, noted);
    // A crash loses at most the transaction it interrupted: whole batches of 100.
    assert_eq!(made % 100, 0, "{made}");
    println!("kill -9 mid import: {made} of 3000 imported, {noted} events");
    db.close().await;

    // The same file again does the rest and leaves the rest alone.
    let p = Process::serve(&dir).await;
    let staff = p.browser();
    assert_eq!(staff.sign_in(STAFF_SIGN_IN, "ops@example.com").await.0, 200);
    let mut totals = [0; 4];
    for csv in &slices {
        let t = tally(&import(&staff, csv, true).await);
        for i in 0..4 {
            totals[i] += t[i];
        }
    }
    assert_eq!(totals, [3000 - made as usize, 0, made as usize, 0]);
}

#[tokio::test]
async fn bodies_not_utf8_too_large_or_with_nul_or_bidi_are_refused_by_both_new_endpoints() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let form = "application/x-www-form-urlencoded";
    for path in [IMPORT, "/api/users/bulk"] {
        let post = |body: Vec<u8>| {
            staff
                .post(staff.url(path))
                .header("content-type", form)
                .body(body)
                .send()
        };
        let r = post(b"csv=email%0A%FF%FE&action=%FF".to_vec())
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{path}: not UTF-8");
        let mut big = b"csv=".to_vec();
        big.extend(std::iter::repeat_n(b'a', 2 * 1024 * 1024));
        assert_eq!(post(big).await.unwrap().status(), 413, "{path}: 2 MB");
        let r = post(b"csv=email%0Aa%00%40b.co&action=delete%00".to_vec())
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{path}: NUL");
    }
    // A bidi override: in an action it is no action; in a cell, a refused row.
    let (status, body, _) = staff
        .call(
            "/api/users/bulk",
            &[("action", "delete\u{202e}"), ("all", "true")],
        )
        .await;
    assert_eq!((status, fields(&body)), (422, vec!["action"]), "{body}");
    let csv = "email,first_name,last_name\nimp.bidi@example.com,A\u{202e}nn,Lee\n";
    let report = import(&staff, csv, true).await;
    assert_eq!(report[0]["result"], "refused");
    assert_eq!(count(&s, USERS).await, 0);
}

/// Two imports at once give two existing users one new phone: one of them gets it, the
/// other's row is refused at `phone` with the message a taken phone always has, whether
/// the second import saw it taken when planning or only when writing (the unique index).
#[tokio::test]
async fn two_imports_at_once_giving_one_phone_to_two_users_change_one() {
    let s = start(false).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let other = staff_client(&s, "desk@example.com", StaffPermission::ALL).await;
    let people =
        "email,first_name,last_name\nimp.x@example.com,Xan,Ex\nimp.y@example.com,Yan,Why\n";
    assert_eq!(tally(&import(&staff, people, true).await), [2, 0, 0, 0]);
    let updated = "SELECT COUNT(*) FROM audit_events WHERE action = 'user.updated'";
    for round in 0..10 {
        let phone = format!("+380 50 999 {round:04}");
        let x = format!("email,phone\nimp.x@example.com,{phone}\n");
        let y = format!("email,phone\nimp.y@example.com,{phone}\n");
        let (a, b) = tokio::join!(import(&staff, &x, true), import(&other, &y, true));
        let rows = [&a[0], &b[0]];
        let done = rows.iter().filter(|r| r["result"] == "update").count();
        assert_eq!(done, 1, "round {round}: {rows:?}");
        let refused = rows.iter().find(|r| r["result"] == "refused").unwrap();
        assert_eq!(refused["fields"][0]["field"], "phone", "{refused}");
        assert_eq!(
            refused["fields"][0]["message"],
            "Another user already has this phone number."
        );
        let e164 = format!("+38050999{round:04}");
        let holders = format!("SELECT COUNT(*) FROM users WHERE phone = '{e164}'");
        assert_eq!(count(&s, &holders).await, 1, "round {round}");
        assert_eq!(count(&s, updated).await, round + 1, "one event per change");
    }
}
