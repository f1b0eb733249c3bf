//! What a request tells us about its sender: address, browser, cookies.

use ipnet::IpNet;
use roster_data::accounts::Principal;
use roster_data::sessions::SignedIn;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use tokio::sync::OnceCell;

pub const STAFF_COOKIE: &str = "roster_admin";
/// Users' session cookie: a separate name, so a staff session and a user session in one
/// browser never stand in for each other.
pub const USER_COOKIE: &str = "roster_session";
/// Known-browser tokens (see `db::devices`), one cookie per kind of account.
pub const STAFF_DEVICE_COOKIE: &str = "roster_admin_device";
pub const USER_DEVICE_COOKIE: &str = "roster_device";
/// How many accounts' known-browser tokens one browser keeps.
pub const DEVICES_PER_BROWSER: usize = 4;

/// The session cookie of each kind of account.
pub fn session_cookie_of(p: Principal) -> &'static str {
    match p {
        Principal::Staff => STAFF_COOKIE,
        Principal::User => USER_COOKIE,
    }
}

pub fn device_cookie(p: Principal) -> &'static str {
    match p {
        Principal::Staff => STAFF_DEVICE_COOKIE,
        Principal::User => USER_DEVICE_COOKIE,
    }
}

/// Put in the request's extensions by the router's first layer: the client's address
/// (through trusted proxies) and whether cookies carry the `__Host-` prefix.
#[derive(Clone, Copy, Debug)]
pub struct ClientInfo {
    pub ip: IpAddr,
    pub secure: bool,
}

#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub ip: IpAddr,
    pub user_agent: String,
    pub cookie_header: String,
    /// For pages shown before sign-in, in the browser's language.
    pub accept_language: String,
    /// Cookies are read (and written) with the `__Host-` prefix when served over HTTPS.
    pub secure: bool,
    /// On a page request: who is signed in, once worked out.
    pub page: Option<PageCache>,
}

/// What a page request learns about its signed-in account, worked out once: the page's
/// guard and each server function its render calls ask who is signed in, and each asking
/// costs a query. Only page requests (GET) carry one — a server function that signs
/// in or out must ask the database, not an earlier answer — and it lives as long as the
/// request.
#[derive(Clone, Default)]
pub struct PageCache {
    pub(crate) signed_in: Arc<OnceCell<Answer>>,
}

/// The kind of account asked about, and who is signed in as one.
type Answer = (Principal, Option<SignedIn>);

/// Says only whether it holds an answer: the credentials carry the password hash.
impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("resolved", &self.signed_in.initialized())
            .finish_non_exhaustive()
    }
}

impl RequestMeta {
    /// A change made from the command line (`roster import`): no browser, this machine.
    pub fn command_line(what: &str) -> Self {
        Self {
            ip: IpAddr::from([127, 0, 0, 1]),
            user_agent: format!("roster {what}"),
            cookie_header: String::new(),
            accept_language: String::new(),
            secure: false,
            page: None,
        }
    }

    pub fn from_parts(parts: &http::request::Parts) -> Self {
        let info = parts.extensions.get::<ClientInfo>().copied();
        // The router's first layer always sets it; without it, loopback.
        let ip = info.map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |i| i.ip);
        let header = |n: http::HeaderName| {
            parts
                .headers
                .get_all(n)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut user_agent = header(http::header::USER_AGENT);
        truncate_chars(&mut user_agent, 300);
        let mut accept_language = header(http::header::ACCEPT_LANGUAGE);
        truncate_chars(&mut accept_language, 200);
        Self {
            ip,
            user_agent,
            cookie_header: header(http::header::COOKIE),
            accept_language,
            secure: info.is_some_and(|i| i.secure),
            page: parts.extensions.get::<PageCache>().cloned(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie_value(&self.cookie_header, &cookie_name(name, self.secure))
    }

    /// The known-browser tokens this browser holds for accounts of this kind.
    pub fn device_tokens(&self, p: Principal) -> Vec<String> {
        self.cookie(device_cookie(p))
            .map(|v| {
                v.split('.')
                    .filter(|t| !t.is_empty() && t.len() <= 64)
                    .take(DEVICES_PER_BROWSER)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn truncate_chars(s: &mut String, max: usize) {
    if let Some((i, _)) = s.char_indices().nth(max) {
        s.truncate(i);
    }
}

/// A cookie's name as sent: `__Host-` makes the browser refuse it from any other host
/// (a sibling subdomain cannot plant a session) and over plain HTTP.
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_string()
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

/// `Set-Cookie` for a token; `None` clears the cookie.
pub fn session_cookie(name: &str, token: Option<&str>, max_age_secs: i64, secure: bool) -> String {
    let (value, age) = match token {
        Some(t) => (t, max_age_secs),
        None => ("", 0),
    };
    let name = cookie_name(name, secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}")
}

/// Parse `ROSTER_TRUSTED_PROXIES`: CIDRs or single addresses, separated by commas or spaces.
pub fn parse_proxies(s: &str) -> Result<Vec<IpNet>, String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{p}` is not an address or CIDR (like 10.0.0.0/8)"))
        })
        .collect()
}

/// The client's address. Only when the connection comes from a trusted proxy are the
/// forwarding headers read, from the nearest hop backwards: the first address that is not
/// itself a trusted proxy is the client. Anything unparsable stops the walk there.
pub fn client_address(peer: IpAddr, headers: &http::HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return canonical(peer);
    }
    let mut hops: Vec<String> = Vec::new();
    for v in headers.get_all("forwarded") {
        let Ok(v) = v.to_str() else { break };
        for element in v.split(',') {
            if let Some(for_) = element
                .split(';')
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| k.eq_ignore_ascii_case("for"))
            {
                hops.push(for_.1.trim().trim_matches('"').to_string());
            }
        }
    }
    if hops.is_empty() {
        for v in headers.get_all("x-forwarded-for") {
            let Ok(v) = v.to_str() else { break };
            hops.extend(v.split(',').map(|h| h.trim().to_string()));
        }
    }
    let mut client = canonical(peer);
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:5678`, `[::1]`, `[::1]:5678` or `::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok().map(canonical);
    }
    hop.rsplit_once(':')?.0.parse().ok().map(canonical)
}

/// IPv4 seen through an IPv6 socket (`::ffff:1.2.3.4`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
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
        assert!(c.starts_with("__Host-roster_admin=tok; Path=/;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert!(session_cookie("roster_admin", None, 60, false).contains("Max-Age=0"));
        assert!(session_cookie("roster_admin", Some("t"), 60, false).starts_with("roster_admin=t;"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxies = parse_proxies("10.0.0.0/8, 192.0.2.1").unwrap();
        let peer: IpAddr = "10.1.2.3".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "198.51.100.7, 10.9.9.9")]);
        assert_eq!(
            client_address(peer, &h, &proxies),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // a spoofed first entry is ignored: the nearest untrusted hop wins
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.7")]);
        assert_eq!(
            client_address(peer, &h, &proxies),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // from an untrusted peer the header is the client's own claim
        let stranger: IpAddr = "203.0.113.5".parse().unwrap();
        assert_eq!(client_address(stranger, &h, &proxies), stranger);
        // with no proxies configured, nobody is trusted
        assert_eq!(client_address(peer, &h, &[]), peer);
        // Forwarded (RFC 7239), with ports and IPv6
        let h = headers(&[(
            "forwarded",
            "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.2",
        )]);
        assert_eq!(
            client_address(peer, &h, &proxies),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
        // garbage stops the walk at the last good hop
        let h = headers(&[("x-forwarded-for", "not-an-ip, 10.0.0.9")]);
        assert_eq!(
            client_address(peer, &h, &proxies),
            "10.0.0.9".parse::<IpAddr>().unwrap()
        );
        assert!(parse_proxies("10.0.0.0/33").is_err());
        assert!(parse_proxies("").unwrap().is_empty());
    }
}
