//! Floods: hundreds of sign-ins at once, and clients hiding behind (or pretending to be)
//! a reverse proxy.

use super::common::*;
use roster_core::state::Settings;
use roster_types::StaffPermission;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_simultaneous_sign_ins_get_answers_not_memory() {
    let dir = data_dir();
    let server = Process::serve(&dir).await;
    let idle = server.peak_rss_mb();
    let attempts = (0..300).map(|i| {
        // from ten addresses, like a small botnet
        let c = Browser::new(&server.url, &format!("127.0.1.{}", i % 10 + 1));
        async move {
            let email = format!("nobody{i}@example.com");
            let guess = [("email", email.as_str()), ("password", "guess guess guess")];
            c.call("/api/auth/user/sign-in", &guess).await
        }
    });
    let started = std::time::Instant::now();
    let answers = futures::future::join_all(attempts).await;
    let took = started.elapsed();
    let peak = server.peak_rss_mb();
    let refused = answers.iter().filter(|(st, _, _)| *st == 401).count();
    let busy: Vec<_> = answers.iter().filter(|(st, _, _)| *st == 503).collect();
    let other: Vec<_> = answers
        .iter()
        .filter(|(st, _, _)| *st != 401 && *st != 503)
        .map(|(st, b, _)| (st, b))
        .collect();
    println!(
        "flood: 300 sign-ins in {:.1} s: {refused} checked (401), {} busy (503); server memory {idle:.0} MB idle, {peak:.0} MB peak",
        took.as_secs_f64(),
        busy.len()
    );
    assert!(other.is_empty(), "{other:?}");
    assert!(!busy.is_empty(), "300 at once never met the hashing limit");
    for (_, body, headers) in &busy {
        assert_eq!(body["error"], "busy", "{body}");
        assert!(headers.contains_key("retry-after"), "{headers:?}");
    }
    assert!(peak < 512.0, "peak memory {peak:.0} MB");
    // And it still answers afterwards.
    let r = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_sign_in_forms_at_once_get_the_page_not_memory() {
    let dir = data_dir();
    let server = Process::serve(&dir).await;
    let attempts = (0..300).map(|i| {
        let c = Browser::new(&server.url, &format!("127.0.2.{}", i % 10 + 1));
        async move {
            let body = urlencoded(&[
                ("step", "password"),
                ("email", &format!("nobody{i}@example.com")),
                ("password", "guess guess guess"),
            ]);
            c.post_page("/login", body).await
        }
    });
    let answers = futures::future::join_all(attempts).await;
    let peak = server.peak_rss_mb();
    let count = |want: u16| answers.iter().filter(|(st, _, _)| *st == want).count();
    println!(
        "form flood: 300 sign-ins: {} checked (401), {} busy (503); peak {peak:.0} MB",
        count(401),
        count(503)
    );
    assert_eq!(count(401) + count(503), 300);
    assert!(count(503) > 0, "300 at once never met the hashing limit");
    for (status, page, headers) in &answers {
        // Every answer is the sign-in page saying why, never a bare error.
        assert!(
            page.contains("name=\"step\" value=\"password\""),
            "{status}"
        );
        assert!(page.contains("role=\"alert\""), "{status}");
        if *status == 503 {
            assert!(headers.contains_key("retry-after"), "{headers:?}");
        }
    }
    assert!(peak < 512.0, "peak memory {peak:.0} MB");
}

#[tokio::test]
async fn only_trusted_proxies_name_the_client() {
    let behind = start_with_settings(Settings {
        sign_in_per_minute: 3,
        trusted_proxies: roster_core::request::parse_proxies("127.0.0.0/8").unwrap(),
        ..Default::default()
    })
    .await;
    let proxy = behind.browser();
    let attempt = |who: &'static str| {
        let proxy = proxy.clone();
        let url = format!("{}/api/auth/staff/sign-in", behind.url);
        async move {
            proxy
                .post(url)
                .header("x-forwarded-for", format!("{who}, 127.0.0.1"))
                .form(&[("email", "x@example.com"), ("password", "y")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // One client behind the proxy uses up its own limit, not everyone's.
    for _ in 0..3 {
        assert_eq!(attempt("198.51.100.7").await, 401);
    }
    assert_eq!(attempt("198.51.100.7").await, 429);
    assert_eq!(attempt("198.51.100.8").await, 401);
    // The trail names the client, not the proxy.
    let staff = staff_client(&behind, "ops@example.com", StaffPermission::ALL).await;
    let refused = [("filter[action]", "sign_in.refused")];
    let (_, trail, _) = staff.call("/api/audit/list", &refused).await;
    let ips: Vec<&str> = column(&trail["rows"], "ip");
    assert!(
        ips.contains(&"198.51.100.7") && ips.contains(&"198.51.100.8"),
        "{ips:?}"
    );
    assert!(!ips.contains(&"127.0.0.1"), "{ips:?}");

    // Without trusted proxies the header is only the client's own claim: ignored.
    let direct = start_with(false, 3).await;
    let c = direct.browser_from("127.0.0.40");
    for spoof in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] {
        let st = c
            .post(c.url("/api/auth/staff/sign-in"))
            .header("x-forwarded-for", spoof)
            .form(&[("email", "x@example.com"), ("password", "y")])
            .send()
            .await
            .unwrap()
            .status();
        if spoof.ends_with('4') {
            assert_eq!(st, 429, "a spoofed header must not reset the limit");
        }
    }
}
