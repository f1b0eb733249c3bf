//! What the browser learns about staff and the staff sign-in steps.

use super::permissions::StaffPermission;
use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
