//! Manage Users' filters: each finds exactly the users it names, alone, combined and
//! beside a search, in both orders, whether it is rare (looked up) or common (walked and
//! estimated); the export finds the same users; hostile filters are field errors, never a
//! 500, and change nothing.

use super::common::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use roster_data::bulk::{self, SeedClient, SeedLink, SeedUser};
use roster_types::StaffPermission;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A seeded user and what the filters look at.
struct Person {
    row: SeedUser,
    owner: bool,
    linked: bool,
}

/// A small deterministic generator: the same population on every run and engine.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `n` users of every kind: NEW (some invited), ACTIVE and INACTIVE, a few locked, 2FA
/// off, pending and on, verified or not, created over two years, signed in over a year or
/// never; some own a client, some are only linked to one.
async fn population(s: &Server, n: usize) -> Vec<Person> {
    let now = roster_data::now();
    let mut dice = Dice(7);
    let mut people = Vec::with_capacity(n);
    for i in 0..n {
        let status = match dice.roll(100) {
            0..=9 => "NEW",
            10..=24 => "INACTIVE",
            _ => "ACTIVE",
        };
        let invited = status == "NEW" && dice.roll(3) == 0;
        let two_factor = dice.roll(3) == 0;
        let enrolled = two_factor && status != "NEW" && dice.roll(2) == 0;
        let created_at = now - Duration::minutes(dice.roll(2 * 365 * 24 * 60) as i64 + 1);
        let mut row = SeedUser::plain(
            format!("fil.{i}@example.com"),
            ["Ann", "Bob", "Cy"][i % 3],
            format!("Tester{}", i % 97),
            created_at,
        );
        row.status = status;
        row.email_verified = status != "NEW" || dice.roll(2) == 0;
        row.two_factor = two_factor;
        row.totp_secret = enrolled.then(|| "sealed-elsewhere".to_string());
        row.invited = invited;
        row.locked_until = (!invited && dice.roll(40) == 0)
            .then(|| now + Duration::minutes(dice.roll(600) as i64 + 5));
        // One lock that has already run out: LOCKED no longer.
        if i == 1 {
            row.locked_until = Some(now - Duration::minutes(1));
        }
        row.last_sign_in_at =
            (status != "NEW").then(|| now - Duration::minutes(dice.roll(400 * 24 * 60) as i64 + 1));
        let owner = dice.roll(10) == 0;
        let linked = owner || dice.roll(5) == 0;
        people.push(Person { row, owner, linked });
    }
    let mut tx = s.state.db.begin().await.unwrap();
    for chunk in people.chunks(400) {
        let rows: Vec<SeedUser> = chunk.iter().map(|p| clone_row(&p.row)).collect();
        bulk::insert_users(&mut tx, &rows, "x").await.unwrap();
    }
    // Each owner owns a client of their own; the linked ones share one they do not own.
    let shared = SeedClient {
        id: Uuid::new_v4(),
        first_name: "Shared".into(),
        last_name: "Client".into(),
        company_name: "Shared Ltd".into(),
        tax_id: None,
        status: "ACTIVE",
        created_at: now,
    };
    let mut clients = vec![];
    let mut links = vec![];
    for p in &people {
        if p.owner {
            let c = SeedClient {
                id: Uuid::new_v4(),
                company_name: format!("Owned by {}", p.row.email),
                ..clone_client(&shared)
            };
            links.push(SeedLink {
                user_id: p.row.id,
                client_id: c.id,
                owner: true,
                permissions: String::new(),
            });
            clients.push(c);
        } else if p.linked {
            links.push(SeedLink {
                user_id: p.row.id,
                client_id: shared.id,
                owner: false,
                permissions: String::new(),
            });
        }
    }
    clients.push(shared);
    bulk::insert_clients(&mut tx, &clients).await.unwrap();
    bulk::insert_links(&mut tx, &links).await.unwrap();
    tx.commit().await.unwrap();
    people
}

fn clone_row(u: &SeedUser) -> SeedUser {
    SeedUser {
        id: u.id,
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        phone: u.phone.clone(),
        language: u.language,
        status: u.status,
        email_verified: u.email_verified,
        two_factor: u.two_factor,
        created_at: u.created_at,
        last_sign_in_at: u.last_sign_in_at,
        totp_secret: u.totp_secret.clone(),
        invited: u.invited,
        locked_until: u.locked_until,
    }
}

fn clone_client(c: &SeedClient) -> SeedClient {
    SeedClient {
        id: c.id,
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        company_name: c.company_name.clone(),
        tax_id: c.tax_id.clone(),
        status: c.status,
        created_at: c.created_at,
    }
}

fn midnight(d: &str) -> DateTime<Utc> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

/// Whether `p` passes the filter `(key, value)` (of a set; `signed_in` reads its companions).
fn passes(p: &Person, all: &[(&str, String)], key: &str, value: &str) -> bool {
    let u = &p.row;
    let now = roster_data::now();
    let companion = |k: &str| {
        all.iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match (key, value) {
        ("status", "new") => u.status == "NEW" && !u.invited,
        ("status", "active") => u.status == "ACTIVE",
        ("status", "inactive") => u.status == "INACTIVE",
        ("status", "locked") => u.locked_until.is_some_and(|t| t > now),
        ("status", "invited") => u.invited,
        ("two_factor", "on") => u.totp_secret.is_some(),
        ("two_factor", "pending") => u.two_factor && u.totp_secret.is_none(),
        ("two_factor", "off") => !u.two_factor && u.totp_secret.is_none(),
        ("verified", v) => u.email_verified == (v == "yes"),
        ("clients", "owner") => p.owner,
        ("clients", "none") => !p.linked,
        ("created_from", d) => u.created_at >= midnight(d),
        ("created_to", d) => u.created_at < midnight(d) + Duration::days(1),
        ("signed_in", "never") => u.last_sign_in_at.is_none(),
        ("signed_in", "before") => u
            .last_sign_in_at
            .is_some_and(|t| t < midnight(&companion("signed_in_before"))),
        ("signed_in", "within") => u.last_sign_in_at.is_some_and(|t| {
            t >= now - Duration::days(companion("signed_in_days").parse().unwrap())
        }),
        ("signed_in_before" | "signed_in_days", _) => true,
        other => panic!("no such filter in the test: {other:?}"),
    }
}

/// Every user the list shows for `form`, page by page, and the first page's answer.
async fn listed(c: &Browser, form: &[(&str, String)]) -> (BTreeSet<String>, Value) {
    let mut ids = BTreeSet::new();
    let mut first = Value::Null;
    for page in 1.. {
        let mut f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = page.to_string();
        f.push(("page", &page));
        f.push(("per_page", "100"));
        let (status, body, _) = c.call("/api/users/list", &f).await;
        assert_eq!(status, 200, "{form:?}: {body}");
        let rows = body["rows"].as_array().unwrap().clone();
        if first.is_null() {
            first = body;
        }
        let n = rows.len();
        for r in rows {
            assert!(
                ids.insert(r["id"].as_str().unwrap().to_string()),
                "{form:?}: a user on two pages"
            );
        }
        if n < 100 {
            break;
        }
    }
    (ids, first)
}

#[tokio::test]
async fn every_filter_finds_exactly_its_users_alone_combined_and_with_a_search() {
    let s = start(false).await;
    let c = staff_client(&s, "desk@example.com", &[StaffPermission::UsersView]).await;
    let people = population(&s, 6_000).await;
    let today = roster_data::now().date_naive();
    let day = |days: i64| (today - Duration::days(days)).to_string();

    let sets: Vec<Vec<(&str, String)>> = vec![
        vec![("status", "new".into())],
        vec![("status", "active".into())],
        vec![("status", "inactive".into())],
        vec![("status", "locked".into())],
        vec![("status", "invited".into())],
        vec![("two_factor", "off".into())],
        vec![("two_factor", "pending".into())],
        vec![("two_factor", "on".into())],
        vec![("verified", "yes".into())],
        vec![("verified", "no".into())],
        vec![("clients", "owner".into())],
        vec![("clients", "none".into())],
        vec![("created_from", day(60)), ("created_to", day(30))],
        vec![("created_from", day(400))],
        vec![("created_to", day(700))],
        vec![("signed_in", "never".into())],
        vec![
            ("signed_in", "within".into()),
            ("signed_in_days", "7".into()),
        ],
        vec![
            ("signed_in", "before".into()),
            ("signed_in_before", day(300)),
        ],
        // The issue's: INACTIVE without 2FA created in the last two months.
        vec![
            ("status", "inactive".into()),
            ("two_factor", "off".into()),
            ("created_from", day(60)),
            ("created_to", day(0)),
        ],
        vec![("status", "active".into()), ("clients", "owner".into())],
        vec![
            ("status", "active".into()),
            ("verified", "yes".into()),
            ("clients", "none".into()),
        ],
        vec![("status", "locked".into()), ("two_factor", "on".into())],
        // Nobody: NEW users have never signed in.
        vec![
            ("status", "new".into()),
            ("signed_in", "within".into()),
            ("signed_in_days", "3650".into()),
        ],
    ];
    let mut nobody = 0;
    for set in &sets {
        let expected: BTreeSet<String> = people
            .iter()
            .filter(|p| set.iter().all(|(k, v)| passes(p, set, k, v)))
            .map(|p| p.row.id.to_string())
            .collect();
        nobody += usize::from(expected.is_empty());
        for search in ["", "tester1", "ob", "fil.1234@example.com"] {
            let expected: BTreeSet<String> = people
                .iter()
                .filter(|p| set.iter().all(|(k, v)| passes(p, set, k, v)))
                .filter(|p| {
                    let u = &p.row;
                    format!("{} {} {}", u.first_name, u.last_name, u.email)
                        .to_lowercase()
                        .contains(search)
                })
                .map(|p| p.row.id.to_string())
                .collect();
            for (sort, desc) in [
                ("created", "true"),
                ("created", "false"),
                ("name", "false"),
                ("email", "true"),
                ("status", "false"),
            ] {
                let mut form = set.clone();
                form.extend([
                    ("q", search.to_string()),
                    ("sort", sort.to_string()),
                    ("desc", desc.to_string()),
                ]);
                let (ids, first) = listed(&c, &form).await;
                assert_eq!(ids, expected, "{form:?}");
                // A table this small is counted whole, however common the filter (the
                // estimate at a million rows is `Sample::total`'s, unit-tested).
                assert_eq!(
                    (
                        first["total"].as_i64(),
                        &first["total_estimated"],
                        &first["total_capped"]
                    ),
                    (
                        Some(expected.len() as i64),
                        &Value::Bool(false),
                        &Value::Bool(false)
                    ),
                    "{form:?}"
                );
            }
        }
    }
    assert_eq!(nobody, 1, "every set but the last finds someone");
}

#[tokio::test]
async fn the_export_finds_what_the_filtered_list_finds() {
    let s = start(false).await;
    let c = staff_client(&s, "desk@example.com", &[StaffPermission::UsersView]).await;
    let people = population(&s, 600).await;
    for (query, expected) in [
        (
            "status=locked",
            people
                .iter()
                .filter(|p| passes(p, &[], "status", "locked"))
                .count(),
        ),
        (
            "status=inactive&two_factor=off&q=tester",
            people
                .iter()
                .filter(|p| p.row.status == "INACTIVE" && passes(p, &[], "two_factor", "off"))
                .count(),
        ),
        (
            "clients=none&signed_in=never",
            people
                .iter()
                .filter(|p| !p.linked && p.row.last_sign_in_at.is_none())
                .count(),
        ),
    ] {
        let r = c
            .get(c.url(&format!("/admin/users/export.csv?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{query}");
        let body = r.text().await.unwrap();
        // The staff member is not a user: every line after the header is one of them.
        assert_eq!(body.lines().count() - 1, expected, "{query}");
        assert!(expected > 0, "{query} finds someone");
    }
}

#[tokio::test]
async fn hostile_filters_are_field_errors_never_a_500_and_change_nothing() {
    let s = start(false).await;
    let c = staff_client(&s, "desk@example.com", &[StaffPermission::UsersView]).await;
    population(&s, 50).await;
    let long = "9".repeat(10_000);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("status", "ACTIVE' OR 1=1 --", "status"),
        ("status", "locked\u{0}", "status"),
        ("two_factor", "on; DROP TABLE users", "two_factor"),
        ("verified", "true", "verified"),
        ("clients", "../../etc/passwd", "clients"),
        ("created_from", "2026-02-30", "created_from"),
        ("created_to", "0000-00-00", "created_to"),
        ("created_to", &long, "created_to"),
        ("signed_in", "\u{202e}never", "signed_in"),
    ];
    for (key, value, field) in &cases {
        let (status, body, _) = c.call("/api/users/list", &[(key, value)]).await;
        assert_eq!(status, 422, "{key}={value:.40}: {body}");
        assert_eq!(body["fields"][0]["field"], *field, "{body}");
        // The export refuses it before the first byte, the same way.
        let r = c
            .get(c.url("/admin/users/export.csv"))
            .query(&[(key, value)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 422, "export {key}");
    }
    for (pairs, field) in [
        (
            vec![("signed_in", "within"), ("signed_in_days", "0")],
            "signed_in_days",
        ),
        (
            vec![("signed_in", "within"), ("signed_in_days", "1e9")],
            "signed_in_days",
        ),
        (vec![("signed_in", "within")], "signed_in_days"),
        (
            vec![("signed_in", "before"), ("signed_in_before", "")],
            "signed_in_before",
        ),
        (
            vec![("created_from", "2026-05-02"), ("created_to", "2026-05-01")],
            "created_to",
        ),
    ] {
        let (status, body, _) = c.call("/api/users/list", &pairs).await;
        assert_eq!(
            (status, body["fields"][0]["field"].as_str()),
            (422, Some(field)),
            "{pairs:?}"
        );
    }
    // A search beside a filter: a NUL is a field error on `q`; a bidi mark or the
    // characters a trigram phrase, LIKE and SQL treat specially get an answer. Never a 500.
    for q in ["fil\u{0}.1", "fil.1'--\u{0}"] {
        let form = [("status", "active"), ("q", q)];
        let (status, body, _) = c.call("/api/users/list", &form).await;
        assert_eq!(
            (status, &body["fields"][0]["field"]),
            (422, &json!("q")),
            "{q:?}"
        );
    }
    for q in ["\u{202e}fil", "\"5%_\\'x", "fil.1'--", "fil\" OR \"x"] {
        let form = [("status", "active"), ("q", q)];
        let (status, body, _) = c.call("/api/users/list", &form).await;
        assert_eq!(status, 200, "{q:?}: {body}");
    }
    // The page itself names the field and shows no table.
    let r = c
        .get(c.url("/admin/users?status=sometimes&created_from=2026-99-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Choose one of the listed options."),
        "{html:.2000}"
    );
    assert!(html.contains("Enter a date as YYYY-MM-DD."));
    assert!(!html.contains("fil.0@example.com"));
    // Nothing changed: every user is still listed.
    let (status, body, _) = c.call("/api/users/list", &[("per_page", "100")]).await;
    assert_eq!((status, body["total"].as_i64()), (200, Some(50)));
}

#[tokio::test]
async fn many_filtered_lists_at_once_each_get_their_own_answer() {
    let s = start(false).await;
    let c = staff_client(&s, "desk@example.com", &[StaffPermission::UsersView]).await;
    let people = population(&s, 800).await;
    let count = |value| {
        people
            .iter()
            .filter(|p| passes(p, &[], "status", value))
            .count() as i64
    };
    let (locked, invited) = (count("locked"), count("invited"));
    let calls = (0..40).map(|i| {
        let c = &c;
        async move {
            let form: &[(&str, &str)] = if i % 2 == 0 {
                &[("status", "locked"), ("per_page", "100")]
            } else {
                &[("status", "invited"), ("per_page", "100")]
            };
            let (status, body, _) = c.call("/api/users/list", form).await;
            (i, status, body)
        }
    });
    for (i, status, body) in futures::future::join_all(calls).await {
        assert_eq!(status, 200, "{body}");
        let expected = if i % 2 == 0 { locked } else { invited };
        assert_eq!(body["total"].as_i64(), Some(expected), "{i}");
    }
}

#[tokio::test]
async fn a_common_search_beside_a_common_filter_finds_their_few_shared_users() {
    let s = start(false).await;
    let c = staff_client(&s, "desk@example.com", &[StaffPermission::UsersView]).await;
    // 25,000 users: 2,500 named Needle (every tenth), 3,000 INACTIVE (every eighth and a
    // few more); 30 are both, spread evenly. Either alone is too large to look up whole;
    // together they are one user in 800.
    let now = roster_data::now();
    let mut both = BTreeSet::new();
    let rows: Vec<SeedUser> = (0..25_000)
        .map(|i| {
            let needle = i % 10 == 0;
            let mut u = SeedUser::plain(
                format!("hay.{i}@example.com"),
                "Hay",
                if needle {
                    format!("Needle{i}")
                } else {
                    format!("Stack{i}")
                },
                now - Duration::minutes(25_000 - i as i64),
            );
            let inactive = (!needle && i % 8 == 1) || (needle && i % 830 == 0);
            if inactive {
                u.status = "INACTIVE";
            }
            if needle && inactive {
                both.insert(u.id.to_string());
            }
            u
        })
        .collect();
    assert_eq!(both.len(), 31);
    let mut tx = s.state.db.begin().await.unwrap();
    for chunk in rows.chunks(1_000) {
        let chunk: Vec<SeedUser> = chunk.iter().map(clone_row).collect();
        bulk::insert_users(&mut tx, &chunk, "x").await.unwrap();
    }
    tx.commit().await.unwrap();

    for desc in ["true", "false"] {
        let form = vec![
            ("q", "needle".to_string()),
            ("status", "inactive".to_string()),
            ("sort", "created".to_string()),
            ("desc", desc.to_string()),
        ];
        let (ids, first) = listed(&c, &form).await;
        assert_eq!(ids, both, "{desc}");
        // Newest first or oldest first, as asked.
        let created: Vec<&str> = first["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["created_at"].as_str().unwrap())
            .collect();
        let mut sorted = created.clone();
        sorted.sort();
        if desc == "true" {
            sorted.reverse();
        }
        assert_eq!(created, sorted, "{desc}");
        assert_eq!(
            first["total"].as_i64(),
            Some(31),
            "one page of 100 holds them all"
        );
        // A full page of 25: exact, or estimated near the truth, never below the page.
        let mut f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        f.push(("per_page", "25"));
        let (status, page, _) = c.call("/api/users/list", &f).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["rows"].as_array().unwrap().len(), 25);
        let total = page["total"].as_i64().unwrap();
        assert!((25..=37).contains(&total), "{desc}: {total}");
    }
}
