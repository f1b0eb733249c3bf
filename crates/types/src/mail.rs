//! The Mail page's rows (`/admin/mail`, permission mail-view).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: Uuid,
    /// `password_reset`, `password_changed`, …
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// The text part, shown only while no SMTP server is configured (then the page is how
    /// mail reaches anyone) and only until it is sent; None otherwise.
    pub text: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MailPage {
    pub rows: Vec<MailRow>,
    /// Whether an SMTP server is configured (`ROSTER_SMTP_URL`).
    pub smtp_configured: bool,
}
