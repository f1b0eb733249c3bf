//! RFC 6238 TOTP: 6 digits, 30-second steps, ±1 step of clock skew, and each step accepted
//! at most once per account (the caller stores the returned step).

use roster_types::{Enrolment, TotpCode};
use totp_rs::{Algorithm, Secret, TOTP};

pub const STEP_SECS: u64 = 30;
const ISSUER: &str = "Roster";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpRefusal {
    Wrong,
    Reused,
}

/// 160 random bits, as RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut b = vec![0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    b
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    // ':' separates issuer and account in otpauth labels.
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        secret.to_vec(),
        Some(ISSUER.into()),
        account.replace(':', "_"),
    )
    .ok()
}

/// The raw secret behind the base32 text an enrolment screen shows.
pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
    Secret::Encoded(text.to_string()).to_bytes().ok()
}

/// The code for one step (used by tests and by nothing else on the server).
pub fn code_at(secret: &[u8], unix: u64) -> String {
    totp(secret, "x")
        .map(|t| t.generate(unix))
        .unwrap_or_default()
}

/// Check `code` at `unix` time. `last_step` is the newest step already accepted for this
/// account: a code from that step or an earlier one is a replay. Returns the step to store.
pub fn verify(
    secret: &[u8],
    code: &TotpCode,
    unix: u64,
    last_step: Option<i64>,
) -> Result<i64, TotpRefusal> {
    let Some(t) = totp(secret, "x") else {
        return Err(TotpRefusal::Wrong);
    };
    let now_step = (unix / STEP_SECS) as i64;
    let mut matched = None;
    // Newest first, so that a code matching two steps counts as the newer one.
    for step in [now_step + 1, now_step, now_step - 1] {
        if step < 0 {
            continue;
        }
        let expected = t.generate(step as u64 * STEP_SECS);
        if constant_time_eq(expected.as_bytes(), code.as_str().as_bytes()) {
            matched = Some(step);
            break;
        }
    }
    match matched {
        None => Err(TotpRefusal::Wrong),
        Some(step) if last_step.is_some_and(|last| step <= last) => Err(TotpRefusal::Reused),
        Some(step) => Ok(step),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What the person enrolling sees: QR code (SVG, drawn here, no outside service), the
/// secret as text, and the otpauth URL.
pub fn enrolment(secret: &[u8], account: &str) -> Enrolment {
    let Some(t) = totp(secret, account) else {
        return Enrolment {
            qr_svg: String::new(),
            secret: String::new(),
            otpauth_url: String::new(),
        };
    };
    let url = t.get_url();
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .dark_color(qrcode::render::svg::Color("#000000"))
                .light_color(qrcode::render::svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default();
    Enrolment {
        qr_svg,
        secret: Secret::Raw(secret.to_vec()).to_encoded().to_string(),
        otpauth_url: url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> TotpCode {
        TotpCode::parse(s).unwrap()
    }

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → 287082 (6 digits).
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1111111109), "081804");
    }

    #[test]
    fn window_is_one_step_either_side() {
        let s = new_secret();
        let now = 1_700_000_000;
        assert!(verify(&s, &code(&code_at(&s, now)), now, None).is_ok());
        assert!(verify(&s, &code(&code_at(&s, now - 30)), now, None).is_ok());
        assert!(verify(&s, &code(&code_at(&s, now + 30)), now, None).is_ok());
        assert_eq!(
            verify(&s, &code(&code_at(&s, now - 90)), now, None),
            Err(TotpRefusal::Wrong)
        );
        assert_eq!(
            verify(&s, &code(&code_at(&s, now + 90)), now, None),
            Err(TotpRefusal::Wrong)
        );
    }

    #[test]
    fn a_code_is_accepted_once() {
        let s = new_secret();
        let now = 1_700_000_000;
        let c = code(&code_at(&s, now));
        let step = verify(&s, &c, now, None).unwrap();
        assert_eq!(verify(&s, &c, now, Some(step)), Err(TotpRefusal::Reused));
        // an older code inside the window is a replay too once a newer one was used
        let older = code(&code_at(&s, now - 30));
        assert_eq!(
            verify(&s, &older, now, Some(step)),
            Err(TotpRefusal::Reused)
        );
        // the next step's code still works
        let next = code(&code_at(&s, now + 30));
        assert_eq!(verify(&s, &next, now + 30, Some(step)), Ok(step + 1));
    }

    #[test]
    fn enrolment_has_qr_and_secret() {
        let s = new_secret();
        let e = enrolment(&s, "ann@example.com");
        assert!(e.qr_svg.contains("<svg"));
        assert_eq!(e.secret.len(), 32);
        assert!(e
            .otpauth_url
            .starts_with("otpauth://totp/Roster:ann%40example.com?"));
        assert!(e.otpauth_url.contains(&e.secret));
        assert_eq!(secret_from_base32(&e.secret).unwrap(), s);
    }
}
