//! Hostile input: random, huge, NUL, bidi, non-UTF-8 and wrong-type values into every
//! endpoint's fields (property testing), and the named cases a user would hit.

use super::common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use roster_types::StaffPermission;
use serde_json::Value;

struct Fixture {
    s: Server,
    staff: Browser,
    user: Browser,
}

async fn fixture() -> Fixture {
    let s = start_with(false, 100_000).await;
    let staff = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    ready_user(&staff, "false").await;
    let user = s.browser_from("127.0.0.30");
    let (status, _, _) = user.call("/api/auth/user/sign-in", &ANN).await;
    assert_eq!(status, 200);
    Fixture { s, staff, user }
}

/// Everything a refused request must not have changed: rows, versions, and the trail
/// (but for the security events that record refusals themselves).
async fn writes(s: &Server) -> Vec<i64> {
    // A forgot-password request writes its link after its answer: let those finish first.
    let links = &s.state.mail.link_requests;
    while links.available_permits() < roster_core::mail::LINK_REQUESTS_AT_ONCE {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let sql = [
        "SELECT COUNT(*) FROM users",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM users",
        "SELECT COUNT(*) FROM clients",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM clients",
        "SELECT COUNT(*) FROM staff",
        "SELECT COUNT(*) FROM user_clients",
        "SELECT COUNT(*) FROM audit_events WHERE action NOT IN
            ('sign_in.refused', 'session.recheck_failed', 'sign_in.locked')",
    ];
    let mut out = Vec::new();
    for q in sql {
        let n: i64 = match &s.state.db {
            roster_data::Db::Sqlite(p) => sqlx::query_scalar(q).fetch_one(p).await.unwrap(),
            roster_data::Db::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await.unwrap(),
        };
        out.push(n);
    }
    out
}

/// Field names the endpoints read, and some they do not. `current_password` is left out:
/// re-checks are counted (and would end the session the battery runs in); their abuse
/// has its own tests.
const FIELDS: &[&str] = &[
    "id",
    "client_id",
    "user_id",
    "session_id",
    "version",
    "email",
    "password",
    "new_password",
    "reason",
    "action",
    "ids",
    "all",
    "after",
    "csv",
    "first_line",
    "commit",
    "first_name",
    "last_name",
    "phone",
    "language",
    "lang",
    "admin_notes",
    "two_factor",
    "status",
    "email_verified",
    "phone_verified",
    "company_name",
    "tax_id",
    "permissions",
    "active",
    "q",
    "page",
    "per_page",
    "sort",
    "desc",
    "code",
    "token",
    "form[email]",
    "form[password]",
    "form[permissions][0]",
    "profile[first_name]",
    "profile[language]",
    "filter[actor]",
    "filter[from]",
    "filter[target_id]",
    "x",
    "form[",
    "a[b][c][d]",
    "]]",
];

fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        any::<String>().prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..40),
        (1usize..200_000).prop_map(|n| "é".repeat(n / 2).into_bytes()),
        Just(b"Ann\0Lee".to_vec()),
        Just("Ann\u{202E}gnp.exe".as_bytes().to_vec()),
        Just("\u{200B}".as_bytes().to_vec()),
        Just(b"\xFF\xFE\xFD".to_vec()),
        prop_oneof![
            Just("-1"),
            Just("99999999999999999999999"),
            Just("1e309"),
            Just("NaN"),
            Just("true"),
            Just("yes"),
            Just("null"),
            Just("[]"),
            Just("{}"),
            Just("00000000-0000-4000-8000-000000000001"),
            Just("not-a-uuid"),
            Just("'; DROP TABLE users; --"),
            Just("%"),
            Just("_"),
            Just("<script>")
        ]
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

/// Mostly a form every endpoint can parse with a few fields made hostile, so that the
/// values reach the endpoints' own rules; sometimes anything at all.
fn form() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let field = || proptest::sample::select(FIELDS).prop_map(str::to_string);
    let anything = proptest::collection::vec((field(), value()), 0..8);
    let hostile_fields = proptest::collection::btree_map(field(), value(), 1..4).prop_map(|over| {
        let mut form: Vec<(String, Vec<u8>)> = super::authorization::ARGS
            .iter()
            // re-checks are counted; see FIELDS
            .filter(|(k, _)| !over.contains_key(*k) && *k != "current_password")
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        form.extend(over);
        form
    });
    prop_oneof![3 => hostile_fields, 1 => anything]
}

/// A form as a failure message shows it: long values cut short.
fn shown(form: &[(String, Vec<u8>)]) -> String {
    form.iter()
        .map(|(k, v)| {
            let text = String::from_utf8_lossy(v);
            let cut: String = text.chars().take(40).collect();
            format!("{k}={cut:?} ({} bytes)", v.len())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn encode(form: &[(String, Vec<u8>)]) -> Vec<u8> {
    use percent_encoding::{percent_encode, NON_ALPHANUMERIC};
    form.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encode(k.as_bytes(), NON_ALPHANUMERIC),
                percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

async fn send(c: &Browser, path: &str, body: Vec<u8>) -> (u16, String) {
    let r = c
        .post(c.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// Send `form` to `path` (as the user for `/api/account/`, else as staff); a refusal
/// (400, 413, 422) must have written nothing.
async fn probe(fx: &Fixture, path: &str, form: &[(String, Vec<u8>)]) -> (u16, String) {
    let c = if path.starts_with("/api/account/") {
        &fx.user
    } else {
        &fx.staff
    };
    let before = writes(&fx.s).await;
    let (status, body) = send(c, path, encode(form)).await;
    if matches!(status, 400 | 413 | 422) {
        let shown = shown(form);
        assert_eq!(
            writes(&fx.s).await,
            before,
            "{path} wrote on {status}: {body} for {shown}"
        );
    }
    (status, body)
}

#[test]
fn random_hostile_input_never_gets_a_5xx_and_a_refusal_writes_nothing() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fx = rt.block_on(fixture());
    // Signing out would end the sessions the battery runs in: those take no input anyway.
    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with("/api/") && !p.ends_with("/sign-out"))
        .collect();
    let per_endpoint = 24;
    let mut runner = TestRunner::new(Config {
        cases: (paths.len() * per_endpoint) as u32,
        failure_persistence: None,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    let seen_cell = std::cell::RefCell::new(&mut seen);
    runner
        .run(&(0..paths.len(), form()), |(i, form)| {
            let (status, body) = rt.block_on(probe(&fx, &paths[i], &form));
            *seen_cell.borrow_mut().entry(status).or_default() += 1;
            let (path, form) = (&paths[i], shown(&form));
            prop_assert!(
                status < 500,
                "{} answered {}: {} for {}",
                path,
                status,
                body,
                form
            );
            let json = serde_json::from_str::<Value>(&body).is_ok();
            prop_assert!(
                json,
                "{} answered {} with a body that is not JSON: {}",
                path,
                status,
                body
            );
            Ok(())
        })
        .unwrap();
    println!(
        "bad-input battery: {} endpoints × {per_endpoint} cases in {:.1} s; statuses {seen:?}",
        paths.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Create's form for a person with `PASSWORD`.
fn person<'a>(email: &'a str, first: &'a str, last: &'a str) -> [(&'a str, &'a str); 5] {
    [
        ("email", email),
        ("password", PASSWORD),
        ("first_name", first),
        ("last_name", last),
        ("language", "en"),
    ]
}

#[tokio::test]
async fn invisible_characters_in_a_name_are_a_field_error_and_create_nothing() {
    let fx = fixture().await;
    let before = writes(&fx.s).await;
    let mallory = person("mallory@example.com", "Ann\u{202E}gnp.exe", "Lee\u{200B}");
    let (status, body, _) = fx.staff.call("/api/users/create", &mallory).await;
    assert_eq!(
        (status, fields(&body)),
        (422, vec!["first_name", "last_name"]),
        "{body}"
    );
    assert!(body.to_string().contains("invisible characters"), "{body}");
    assert_eq!(writes(&fx.s).await, before);
}

#[tokio::test]
async fn nul_in_a_search_is_a_field_error_on_either_engine() {
    let fx = fixture().await;
    let (status, body, _) = fx.staff.call("/api/users/list", &[("q", "ann\0")]).await;
    assert_eq!((status, fields(&body)), (422, vec!["q"]), "{body}");
    let (status, _, _) = fx.staff.call("/api/clients/list", &[("q", "\0")]).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn malformed_bodies_get_short_json_answers() {
    let fx = fixture().await;
    // A huge value where a boolean belongs: a short 400, not the value echoed back.
    let (huge, id) = ("é".repeat(16_000), uuid::Uuid::new_v4().to_string());
    let (status, body, _) = fx
        .staff
        .call("/api/staff/update", &[("id", &id), ("active", &huge)])
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.to_string().len() < 2_000,
        "the answer quotes the input"
    );

    // A body that is not UTF-8, in a form and as anything else.
    let (status, body) = send(&fx.staff, "/api/users/list", b"q=%FF%FE".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    let json = fx
        .staff
        .post(fx.staff.url("/api/users/list"))
        .header("content-type", "application/json");
    let r = json.body(vec![0xff, 0xfe, 0x00]).send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Too large: 413 before anything reads it.
    let (status, _) = send(&fx.staff, "/api/users/list", vec![b'a'; 2 * 1024 * 1024]).await;
    assert_eq!(status, 413);

    // Wrong types: 400 with a JSON body.
    let (status, body) = send(&fx.staff, "/api/users/get", b"id=not-a-uuid".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"],
        "bad_request"
    );
}

#[tokio::test]
async fn emails_typed_in_two_unicode_forms_are_one_account() {
    let fx = fixture().await;
    let decomposed = person("jose\u{301}@example.com", "Jose\u{301}", "Lee");
    let (status, body, _) = fx.staff.call("/api/users/create", &decomposed).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["first_name"], "Jos\u{e9}");
    let composed = person("jos\u{e9}@example.com", "Jos\u{e9}", "Lee");
    let (status, body, _) = fx.staff.call("/api/users/create", &composed).await;
    assert_eq!((status, fields(&body)), (422, vec!["email"]), "{body}");
}

#[tokio::test]
async fn a_list_page_far_past_the_end_or_of_no_size_is_an_empty_page() {
    let s = start(false).await;
    let c = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    for path in ["/api/users/list", "/api/clients/list"] {
        let far = [("page", "4294967295"), ("per_page", "0"), ("desc", "true")];
        let (status, page, _) = c.call(path, &far).await;
        assert_eq!(status, 200, "{path}: {page}");
        assert_eq!(
            (page["rows"].as_array().map(Vec::len), &page["per_page"]),
            (Some(0), &25.into())
        );
        let (status, body, _) = c.call(path, &[("page", "-1")]).await;
        assert_eq!(status, 400, "{path}: {body}");
    }
}

/// A list large enough that PostgreSQL samples it before searching (more than its 4,000
/// newest rows): 5,000 users, every tenth named Vel.
/// `rows` written in one transaction, 500 a statement.
async fn insert_users(s: &Server, rows: &[roster_data::bulk::SeedUser]) {
    let mut tx = s.state.db.begin().await.unwrap();
    for chunk in rows.chunks(500) {
        roster_data::bulk::insert_users(&mut tx, chunk, "$argon2id$unused")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn large_list(s: &Server) {
    use roster_data::bulk::SeedUser;
    let base = roster_data::now() - chrono::Duration::days(30);
    let rows: Vec<SeedUser> = (0..5_000i64)
        .map(|i| {
            let (email, first) = if i % 10 == 0 {
                (format!("vel{i}@example.com"), "Vel")
            } else {
                (format!("other{i}@example.com"), "Ann")
            };
            SeedUser::plain(
                email,
                first,
                format!("Person{i}"),
                base + chrono::Duration::seconds(i),
            )
        })
        .collect();
    insert_users(s, &rows).await;
}

#[tokio::test]
async fn a_large_list_answers_hostile_and_repeated_searches_without_an_error() {
    let fx = fixture().await;
    large_list(&fx.s).await;
    let clients_only =
        staff_client(&fx.s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let before = writes(&fx.s).await;

    // A common search: the newest page, and a total counted or estimated near 500.
    let newest = [("q", "vel"), ("sort", "created"), ("desc", "true")];
    let (status, page, _) = fx.staff.call("/api/users/list", &newest).await;
    assert_eq!(status, 200, "{page}");
    let emails = column(&page["rows"], "email");
    assert_eq!(emails.len(), 25);
    assert_eq!(emails[0], "vel4990@example.com");
    let total = page["total"].as_i64().unwrap();
    assert!((400..=600).contains(&total), "{page}");
    assert_eq!(page["total_capped"], false);
    // PostgreSQL sampled the list and estimated; SQLite counted.
    let postgres = std::env::var("ROSTER_TEST_ENGINE").as_deref() == Ok("postgres");
    assert_eq!(page["total_estimated"], postgres, "{page}");

    // Pattern characters, quotes, bidi and emoji are searched for literally: nobody has them.
    for q in [
        "%",
        "_",
        "\\",
        "%_\\",
        "v%l",
        "v_l",
        "a'b",
        "\u{202E}vel",
        "vel\u{200B}",
        "😀😀😀",
    ] {
        let (status, page, _) = fx.staff.call("/api/users/list", &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}: {page}");
        assert_eq!(
            (
                page["total"].as_i64(),
                page["rows"].as_array().map(Vec::len)
            ),
            (Some(0), Some(0)),
            "{q:?}"
        );
    }
    // NUL is refused as a field error; two megabytes of search are not a 5xx.
    let (status, body, _) = fx.staff.call("/api/users/list", &[("q", "ve\0")]).await;
    assert_eq!((status, fields(&body)), (422, vec!["q"]), "{body}");
    let huge = "vel".repeat(700_000);
    let (status, body, _) = fx
        .staff
        .call("/api/users/list", &[("q", huge.as_str())])
        .await;
    assert!(status < 500, "{status}: {body}");

    // The same search fifty times at once, twice: the same answer every time.
    let forms = vec![vec![("q", "vel".to_string()), ("page", "2".to_string())]; 50];
    let replies = [
        fx.staff.at_once("/api/users/list", forms.clone()).await,
        fx.staff.at_once("/api/users/list", forms).await,
    ]
    .concat();
    assert!(replies.iter().all(|(status, _, _)| *status == 200));
    let first = &replies[0].1;
    assert!(replies.iter().all(|(_, page, _)| page == first), "{first}");
    assert_eq!(first["total"].as_i64(), Some(total));

    // A user's session and a staff member without users-view get nothing.
    let (status, _, _) = fx.user.call("/api/users/list", &[("q", "vel")]).await;
    assert_eq!(status, 401);
    let (status, _, _) = clients_only.call("/api/users/list", &[("q", "vel")]).await;
    assert_eq!(status, 403);
    assert_eq!(writes(&fx.s).await, before);
}

#[tokio::test]
async fn deep_pages_of_a_common_search_follow_the_list_order_and_agree_when_asked_at_once() {
    let fx = fixture().await;
    large_list(&fx.s).await;
    // 500 Vels: the first 4,000 rows hold 400 of them, so pages past the 400th match are
    // found month by month on PostgreSQL rather than by walking.
    let vels = |desc: bool| -> Vec<String> {
        let ids: Vec<i64> = (0..500).map(|k| k * 10).collect();
        let ids: Vec<i64> = if desc {
            ids.into_iter().rev().collect()
        } else {
            ids
        };
        ids.iter().map(|i| format!("vel{i}@example.com")).collect()
    };
    for desc in ["true", "false"] {
        let mut seen = Vec::new();
        for page in 1..=6 {
            let page = page.to_string();
            let form = [
                ("q", "vel"),
                ("sort", "created"),
                ("desc", desc),
                ("per_page", "100"),
                ("page", page.as_str()),
            ];
            let (status, body, _) = fx.staff.call("/api/users/list", &form).await;
            assert_eq!(status, 200, "{body}");
            seen.extend(
                column(&body["rows"], "email")
                    .into_iter()
                    .map(str::to_string),
            );
        }
        assert_eq!(seen, vels(desc == "true"), "desc={desc}");
    }
    // The same deep page twice at the same moment: the same answer.
    let form = owned(&[
        ("q", "vel"),
        ("sort", "created"),
        ("desc", "true"),
        ("per_page", "100"),
        ("page", "5"),
    ]);
    let replies = fx
        .staff
        .at_once("/api/users/list", vec![form.clone(), form])
        .await;
    assert_eq!(replies[0].0, 200, "{}", replies[0].1);
    assert_eq!(replies[0].1, replies[1].1);
    assert_eq!(
        column(&replies[0].1["rows"], "email")[0],
        "vel990@example.com"
    );
}

/// 2,600 old users holding "hidden" (one a day), then 4,100 newer ones that do not: a
/// search rare among the newest rows but common over the table, which PostgreSQL pages month
/// by month without counting, after two samples read at once on two connections.
async fn old_matches_behind_new_rows(s: &Server) {
    use roster_data::bulk::SeedUser;
    let now = roster_data::now();
    let old = (0..2_600i64).map(|i| {
        SeedUser::plain(
            format!("hidden{i}@example.com"),
            "Ann",
            format!("Old{i}"),
            now - chrono::Duration::days(2_800 - i),
        )
    });
    let new = (0..4_100i64).map(|i| {
        SeedUser::plain(
            format!("new{i}@example.com"),
            "Bo",
            format!("New{i}"),
            now - chrono::Duration::days(100) + chrono::Duration::seconds(i),
        )
    });
    let rows: Vec<SeedUser> = old.chain(new).collect();
    insert_users(s, &rows).await;
}

#[tokio::test]
async fn a_search_found_only_in_old_rows_answers_forty_at_once_alike_and_hostile_variants_cleanly()
{
    let fx = fixture().await;
    old_matches_behind_new_rows(&fx.s).await;
    let clients_only =
        staff_client(&fx.s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let before = writes(&fx.s).await;
    let form = owned(&[
        ("q", "hidden"),
        ("sort", "created"),
        ("desc", "true"),
        ("page", "3"),
    ]);
    // Forty at once, each taking two connections for its samples: the pool serves them all,
    // and every answer is the same page and the same total.
    let replies = fx
        .staff
        .at_once("/api/users/list", vec![form.clone(); 40])
        .await;
    assert!(
        replies.iter().all(|(status, _, _)| *status == 200),
        "{:?}",
        replies.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    let first = &replies[0].1;
    assert!(replies.iter().all(|(_, page, _)| page == first), "{first}");
    let expected: Vec<String> = (2_525..2_550)
        .rev()
        .map(|i| format!("hidden{i}@example.com"))
        .collect();
    assert_eq!(column(&first["rows"], "email"), expected);
    let total = first["total"].as_i64().unwrap();
    assert!((2_080..=3_120).contains(&total), "{first}");
    // Hostile variants of the same search: literal, so nobody matches; NUL a field error.
    for q in [
        "hidden%",
        "hidden_",
        "hidden\u{202E}",
        "hidden\u{200B}",
        "'hidden",
    ] {
        let (status, page, _) = fx.staff.call("/api/users/list", &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}: {page}");
        assert_eq!(page["total"].as_i64(), Some(0), "{q:?}: {page}");
    }
    let (status, body, _) = fx.staff.call("/api/users/list", &[("q", "hid\0")]).await;
    assert_eq!((status, fields(&body)), (422, vec!["q"]), "{body}");
    // A user's session and a staff member without users-view get nothing of it.
    let (status, _, _) = fx.user.call("/api/users/list", &[("q", "hidden")]).await;
    assert_eq!(status, 401);
    let (status, _, _) = clients_only
        .call("/api/users/list", &[("q", "hidden")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(writes(&fx.s).await, before);
}

#[tokio::test]
async fn punctuation_in_a_search_finds_only_its_own_text_however_it_is_sent() {
    // PostgreSQL looks searches up with every space and punctuation mark written as q
    // (migration search_keys): lookalikes that share that key must find nothing, and
    // searches made of marks alone must answer cleanly, on a list large enough to be
    // sampled and looked up through the index.
    let fx = fixture().await;
    large_list(&fx.s).await;
    let clients_only =
        staff_client(&fx.s, "viewer@example.com", &[StaffPermission::ClientsView]).await;
    let before = writes(&fx.s).await;
    let one = ["vel4990@example.com"];
    // Short (under the eight-character probe) and long, both orders, and beside a filter.
    for q in ["l4990@", "vel4990@exa"] {
        for desc in ["true", "false"] {
            for filter in [("status", "active"), ("two_factor", "off")] {
                let form = [("q", q), ("sort", "created"), ("desc", desc), filter];
                let (status, page, _) = fx.staff.call("/api/users/list", &form).await;
                assert_eq!(status, 200, "{q:?}: {page}");
                assert_eq!(
                    column(&page["rows"], "email"),
                    one,
                    "{q:?} {desc} {filter:?}"
                );
                assert_eq!(page["total"].as_i64(), Some(1), "{q:?}: {page}");
            }
        }
    }
    // The same key as `l4990@` (l4990q), other text: nobody.
    for q in [
        "l4990q",
        "l4990-",
        "l4990 x",
        "l4990.",
        "l4990_",
        "l4990%",
        "l4990\\",
        "vel4990-exa",
        "vel4990qexa",
    ] {
        let (status, page, _) = fx.staff.call("/api/users/list", &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}: {page}");
        assert_eq!(page["total"].as_i64(), Some(0), "{q:?}: {page}");
    }
    // Marks alone: nobody has them, whatever their length.
    for q in [
        "...",
        "@.@.",
        "!!!!!!!!!!",
        " . - _ % ",
        "'\"';--",
        "\u{202E}.@",
    ] {
        let (status, page, _) = fx.staff.call("/api/users/list", &[("q", q)]).await;
        assert_eq!(status, 200, "{q:?}: {page}");
        assert_eq!(page["total"].as_i64(), Some(0), "{q:?}: {page}");
    }
    // Common once its marks count: every user, a full page of the newest.
    let newest = [("q", "@example."), ("sort", "created"), ("desc", "true")];
    let (status, page, _) = fx.staff.call("/api/users/list", &newest).await;
    assert_eq!(status, 200, "{page}");
    let emails = column(&page["rows"], "email");
    assert_eq!(emails.len(), 25);
    assert!(emails.iter().all(|e| e.contains("@example.")), "{page}");
    assert!(page["total"].as_i64().unwrap() >= 5_000, "{page}");
    // Two megabytes of dots, and a NUL among marks: a clear answer, never a 5xx.
    let dots = ".".repeat(2 << 20);
    let (status, body, _) = fx
        .staff
        .call("/api/users/list", &[("q", dots.as_str())])
        .await;
    assert!(status < 500, "{status}: {body}");
    let (status, body, _) = fx.staff.call("/api/users/list", &[("q", "l4990@\0")]).await;
    assert_eq!((status, fields(&body)), (422, vec!["q"]), "{body}");
    // The same punctuated search twenty times at once: one answer.
    let form = owned(&[("q", "l4990@"), ("status", "active")]);
    let replies = fx.staff.at_once("/api/users/list", vec![form; 20]).await;
    assert!(replies.iter().all(|(status, _, _)| *status == 200));
    assert!(replies.iter().all(|(_, page, _)| page == &replies[0].1));
    // A user's session and a staff member without users-view get nothing of it.
    let (status, _, _) = fx.user.call("/api/users/list", &[("q", "l4990@")]).await;
    assert_eq!(status, 401);
    let (status, _, _) = clients_only
        .call("/api/users/list", &[("q", "l4990@")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(writes(&fx.s).await, before);
}
