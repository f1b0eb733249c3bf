//! What a signed-in user sees at `/account`.

use super::clients::Access;
use super::users::ClientStatus;
use super::ClientPermission;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub profile: ProfileForm,
    /// The page speaks it.
    pub language: super::Language,
    pub two_factor: TwoFactorView,
    pub clients: Vec<AccountClient>,
    /// Set when a staff member is signed in as this user: the page says so on top.
    #[serde(default)]
    pub impersonation: Option<Impersonation>,
}

/// Staff signed in as the user: who, why, and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impersonation {
    /// The staff member's email.
    pub staff: String,
    pub reason: String,
    pub ends_at: super::Timestamp,
}

/// What a user may change about themselves. The rules are the Edit form's (`UserForm`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub phone: String,
    pub language: String,
}

impl ProfileForm {
    pub const FIELDS: [&'static str; 4] = ["first_name", "last_name", "phone", "language"];

    /// The browser-side rules, field by field, as the Edit form applies them.
    pub fn check(&self) -> Vec<super::FieldError> {
        let form = super::UserForm {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            phone: self.phone.clone(),
            language: self.language.clone(),
            ..Default::default()
        };
        Self::FIELDS
            .iter()
            .filter_map(|f| {
                form.check_field(f, super::FormMode::Edit)
                    .map(|m| super::FieldError::new(f, m))
            })
            .collect()
    }
}

/// The user's own two-factor state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enrolled: bool,
    /// Switched on by staff: only staff can switch it off.
    pub required: bool,
    pub codes_left: i64,
}

/// One client the user acts for, and what `can` allows there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountClient {
    pub client_id: Uuid,
    pub name: String,
    pub status: ClientStatus,
    pub access: Access,
    /// The permissions in effect now (none while the client is not ACTIVE).
    pub allowed: Vec<ClientPermission>,
}

/// One signed-in session, as the user and staff see it. Never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: Uuid,
    pub created_at: super::Timestamp,
    pub last_seen_at: super::Timestamp,
    pub ip: String,
    /// "Firefox on Linux", from the User-Agent.
    pub browser: String,
    /// The session making this request.
    pub current: bool,
    /// A staff member signed in as the user (support), and why.
    #[serde(default)]
    pub support: Option<Support>,
}

/// Who from staff is signed in as a user, and the reason they gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    /// The staff member's email.
    pub staff: String,
    pub reason: String,
}

/// A readable browser and system from a User-Agent header (enough to recognise a session).
pub fn browser_name(ua: &str) -> String {
    // The first name whose marker the header holds; order matters (Edge says Chrome too).
    let first = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .find(|(marker, _)| ua.contains(marker))
            .map(|(_, name)| *name)
    };
    let browser = first(&[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("HeadlessChrome/", "Chrome (headless)"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]);
    let system = first(&[
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) if ua.is_empty() => "Unknown".to_string(),
        (None, None) => ua.chars().take(40).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::browser_name;

    #[test]
    fn browsers_are_named() {
        assert_eq!(
            browser_name("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            "Firefox on Linux"
        );
        assert_eq!(
            browser_name("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0"),
            "Edge on Windows"
        );
        assert_eq!(
            browser_name("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"),
            "Safari on iOS"
        );
        assert_eq!(browser_name(""), "Unknown");
    }
}

/// What the user's own activity on `/account` shows of the trail: events about their
/// sign-in and account, never the changes' details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEventKind {
    SignedIn,
    Locked,
    PasswordChanged,
    PasswordReset,
    TwoFactorOn,
    TwoFactorOff,
    RecoveryCodesMade,
    RecoveryCodeUsed,
    SessionsEnded,
    DetailsChanged,
    SupportStarted,
    SupportEnded,
}

impl AccountEventKind {
    /// Each kind and the trail's action it shows.
    pub const ACTIONS: [(Self, super::audit::Action); 12] = {
        use super::audit::Action as A;
        [
            (Self::SignedIn, A::SignInSucceeded),
            (Self::Locked, A::AccountLocked),
            (Self::PasswordChanged, A::PasswordChanged),
            (Self::PasswordReset, A::PasswordReset),
            (Self::TwoFactorOn, A::TotpEnrolled),
            (Self::TwoFactorOff, A::TotpDisabled),
            (Self::RecoveryCodesMade, A::RecoveryCodesRegenerated),
            (Self::RecoveryCodeUsed, A::RecoveryCodeUsed),
            (Self::SessionsEnded, A::SessionsRevoked),
            (Self::DetailsChanged, A::UserUpdated),
            (Self::SupportStarted, A::ImpersonationStarted),
            (Self::SupportEnded, A::ImpersonationEnded),
        ]
    };

    pub fn of(action: &str) -> Option<Self> {
        Self::ACTIONS
            .iter()
            .find(|(_, a)| a.code() == action)
            .map(|(k, _)| *k)
    }

    pub fn label(self) -> crate::i18n::Msg {
        use crate::msg;
        match self {
            Self::SignedIn => msg!("Successful sign-in"),
            Self::Locked => msg!("Sign-in locked after failed attempts"),
            Self::PasswordChanged => msg!("Password changed"),
            Self::PasswordReset => msg!("Password set from an emailed link"),
            Self::TwoFactorOn => msg!("Two-factor authentication turned on"),
            Self::TwoFactorOff => msg!("Two-factor authentication turned off"),
            Self::RecoveryCodesMade => msg!("New recovery codes made"),
            Self::RecoveryCodeUsed => msg!("A recovery code was used"),
            Self::SessionsEnded => msg!("Sessions ended"),
            Self::DetailsChanged => msg!("Account details changed"),
            Self::SupportStarted => msg!("Support signed in as you"),
            Self::SupportEnded => msg!("Support session ended"),
        }
    }
}

/// One line of the user's recent activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEvent {
    pub at: super::Timestamp,
    pub kind: AccountEventKind,
    /// Done by staff (an administrator's change, or support), not by the user.
    pub by_staff: bool,
    /// Support's sign-in as the user: who and why.
    pub support: Option<Support>,
    pub ip: String,
}
