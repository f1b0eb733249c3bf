//! What the browser learns about staff and the staff sign-in steps.

use super::permissions::StaffPermission;
use crate::error::required;
use serde::{Deserialize, Deserializer, Serialize};

/// The signed-in staff member, as the admin shell shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub id: uuid::Uuid,
    pub email: String,
    pub permissions: Vec<StaffPermission>,
    /// The language of the member's pages.
    #[serde(default)]
    pub language: crate::Language,
}

impl StaffMe {
    pub fn can(&self, p: StaffPermission) -> bool {
        self.permissions.contains(&p)
    }
}

/// Where a sign-in stands after a step succeeded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum SignInStep {
    /// Signed in: go to the admin area.
    Done,
    /// Password accepted; a code from the authenticator app is needed.
    NeedCode,
    /// Password accepted; two-factor is required and not set up yet. The secret is shown
    /// once, to the person enrolling, so they can add it to their app.
    NeedEnrolment(Enrolment),
    /// Enrolment confirmed and signed in: the ten recovery codes, shown this once.
    Enrolled(RecoveryCodes),
}

/// `SignInStep`'s JSON as the sign-in page reads it: the step in `step`, beside the fields
/// of its enrolment or codes. A flat struct rather than the derive on the tagged enum,
/// whose reader buffers the object first (as `AppError`'s, see there): the sign-in pages
/// are every visitor's first download.
#[derive(Deserialize)]
struct ReadStep {
    step: StepKind,
    qr_svg: Option<String>,
    secret: Option<String>,
    otpauth_url: Option<String>,
    codes: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StepKind {
    Done,
    NeedCode,
    NeedEnrolment,
    Enrolled,
}

impl<'de> Deserialize<'de> for SignInStep {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = ReadStep::deserialize(d)?;
        Ok(match r.step {
            StepKind::Done => Self::Done,
            StepKind::NeedCode => Self::NeedCode,
            StepKind::NeedEnrolment => Self::NeedEnrolment(Enrolment {
                qr_svg: required(r.qr_svg, "qr_svg")?,
                secret: required(r.secret, "secret")?,
                otpauth_url: required(r.otpauth_url, "otpauth_url")?,
            }),
            StepKind::Enrolled => Self::Enrolled(RecoveryCodes {
                codes: required(r.codes, "codes")?,
            }),
        })
    }
}

/// Single-use codes for when the authenticator app is lost, as the person should write
/// them down (`abcde-12345`). Only their hashes are stored.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes, <redacted>)", self.codes.len())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The QR code as an SVG document, rendered on the server.
    pub qr_svg: String,
    /// The base32 secret, for typing into an app by hand.
    pub secret: String,
    pub otpauth_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step reads back as the server wrote it; a step without its fields, or one the
    /// page does not know, is an error.
    #[test]
    fn every_sign_in_step_reads_back_as_it_was_written() {
        let all = [
            SignInStep::Done,
            SignInStep::NeedCode,
            SignInStep::NeedEnrolment(Enrolment {
                qr_svg: "<svg/>".into(),
                secret: "JBSWY3DPEHPK3PXP".into(),
                otpauth_url: "otpauth://totp/Roster:a%40b.c?secret=JBSWY3DPEHPK3PXP".into(),
            }),
            SignInStep::Enrolled(RecoveryCodes {
                codes: vec!["abcde-12345".into(), "fghij-67890".into()],
            }),
        ];
        for step in all {
            let json = serde_json::to_string(&step).unwrap();
            let back: SignInStep =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, step, "{json}");
        }
        for bad in [
            r#"{"step":"need_enrolment","secret":"x"}"#,
            r#"{"step":"enrolled"}"#,
            r#"{"step":"teleport"}"#,
            r#"{"codes":[]}"#,
            "\"done\"",
        ] {
            assert!(serde_json::from_str::<SignInStep>(bad).is_err(), "{bad}");
        }
    }
}
