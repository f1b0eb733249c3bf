//! What a request tells us about its sender: address, browser, session cookie.

use std::net::{IpAddr, Ipv4Addr};

pub const STAFF_COOKIE: &str = "roster_admin";
/// Users' session cookie: a separate name, so a staff session and a user session in one
/// browser never stand in for each other.
pub const USER_COOKIE: &str = "roster_session";

#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub ip: IpAddr,
    pub user_agent: String,
    pub cookie_header: String,
    /// For pages shown before sign-in, in the browser's language.
    pub accept_language: String,
}

impl RequestMeta {
    pub fn from_parts(parts: &axum::http::request::Parts) -> Self {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let header = |n: axum::http::HeaderName| {
            parts
                .headers
                .get_all(n)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut user_agent = header(axum::http::header::USER_AGENT);
        user_agent.truncate(300);
        Self {
            ip,
            user_agent,
            cookie_header: header(axum::http::header::COOKIE),
            accept_language: header(axum::http::header::ACCEPT_LANGUAGE),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie_value(&self.cookie_header, name)
    }
}

pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for a session token; `None` clears the cookie.
pub fn session_cookie(name: &str, token: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    let (value, age) = match token {
        Some(t) => (t, max_age_secs),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_parse_and_format() {
        assert_eq!(
            cookie_value("a=1; roster_admin=tok; b=2", "roster_admin").as_deref(),
            Some("tok")
        );
        assert_eq!(cookie_value("roster_admin=", "roster_admin"), None);
        assert_eq!(cookie_value("xroster_admin=1", "roster_admin"), None);
        let c = session_cookie("roster_admin", Some("tok"), 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert!(session_cookie("roster_admin", None, 60, false).contains("Max-Age=0"));
    }
}
