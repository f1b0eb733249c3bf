//! Raw bytes on the server's TCP connections (`roster::listen`): requests in a row on one
//! kept-alive connection, and request lines and headers no HTTP client would send.

use super::common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Writes `raw` on a new connection and reads until the server closes it (at most 5 s).
async fn exchange(s: &Server, raw: &[u8]) -> String {
    let addr = s.url.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_end(&mut out));
    // A reset after the answer is a refusal too; what was read is what counts.
    let _ = read
        .await
        .expect("the server answers and closes within 5 s");
    String::from_utf8_lossy(&out).into_owned()
}

fn statuses(answer: &str) -> Vec<u16> {
    answer
        .match_indices("HTTP/1.1 ")
        .filter_map(|(i, m)| answer[i + m.len()..].get(..3)?.parse().ok())
        .collect()
}

#[tokio::test]
async fn one_connection_answers_requests_in_a_row_including_a_streamed_page() {
    let s = start(false).await;
    let raw = b"GET /healthz HTTP/1.1\r\nHost: roster\r\n\r\n\
GET /admin/login HTTP/1.1\r\nHost: roster\r\n\r\n\
GET /healthz HTTP/1.1\r\nHost: roster\r\n\r\n\
GET /admin/login HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n";
    let answer = exchange(&s, raw).await;
    assert_eq!(statuses(&answer), vec![200, 200, 200, 200], "{answer:.400}");
    // The streamed sign-in page arrived whole both times.
    assert_eq!(answer.matches("</html>").count(), 2);
}

#[tokio::test]
async fn hostile_request_lines_and_headers_are_refused_without_a_500() {
    let s = start(false).await;
    let huge = "a".repeat(2 * 1024 * 1024);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "non-UTF-8 path",
            b"GET /admin/\xff\xfe HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n".to_vec(),
        ),
        (
            "NUL in the path",
            b"GET /admin/\0 HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n".to_vec(),
        ),
        (
            "raw bidi in the path",
            "GET /admin/\u{202E}users HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n".into(),
        ),
        (
            "NUL in a header",
            b"GET /healthz HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nCookie: a=\0b\r\n\r\n".to_vec(),
        ),
        (
            "2 MB header",
            format!("GET /healthz HTTP/1.1\r\nHost: roster\r\nConnection: close\r\nX-Pad: {huge}\r\n\r\n").into(),
        ),
        (
            "2 MB path",
            format!("GET /{huge} HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n").into(),
        ),
        (
            "not HTTP",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n".to_vec(),
        ),
    ];
    for (what, raw) in cases {
        let answer = exchange(&s, &raw).await;
        let got = statuses(&answer);
        // Refused (4xx), or for what reaches the router a redirect to the sign-in page;
        // bytes that are not HTTP at all may get no answer but a closed connection.
        assert!(
            got.iter().all(|&code| (300..500).contains(&code)),
            "{what}: {got:?} {answer:.300}"
        );
        assert!(!got.is_empty() || what == "not HTTP", "{what}: no answer");
    }
    // The server still answers afterwards.
    let answer = exchange(
        &s,
        b"GET /healthz HTTP/1.1\r\nHost: roster\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(statuses(&answer), vec![200]);
}
