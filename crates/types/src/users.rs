//! User rows and list queries as they cross the wire.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    #[serde(rename = "NEW")]
    New,
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "INACTIVE")]
    Inactive,
}

impl UserStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::New => "NEW",
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "NEW" => Some(Self::New),
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// Two-factor as the table shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorState {
    Off,
    /// Switched on by staff; the user has not enrolled yet.
    Pending,
    On,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub status: UserStatus,
    pub locked: bool,
    /// Why, while `locked`.
    pub lock_reason: Option<super::LockReason>,
    pub two_factor: TwoFactorState,
    /// Created by invitation and not accepted yet: shown as INVITED.
    #[serde(default)]
    pub invited: bool,
    pub clients: i64,
    pub created_at: super::Timestamp,
    pub last_sign_in_at: Option<super::Timestamp>,
    /// The address of the last successful sign-in.
    pub last_sign_in_ip: Option<String>,
}

impl UserRow {
    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.last_name, &self.email)
    }

    pub fn initials(&self) -> String {
        initials(&self.first_name, &self.last_name, &self.email)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    Name,
    Email,
    Status,
    #[default]
    Created,
}

impl UserSort {
    pub fn parse(s: &str) -> Self {
        match s {
            "name" => Self::Name,
            "email" => Self::Email,
            "status" => Self::Status,
            _ => Self::Created,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Status => "status",
            Self::Created => "created",
        }
    }
}

pub type UserPage = crate::page::Page<UserRow>;

impl UserPage {
    /// "1 user", "1,234 users", "10,000+ users", "about 29,000 users".
    pub fn total_label(&self) -> String {
        self.count_label("user", "users")
    }
}

pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Everything the Edit modal shows and saves back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub language: String,
    pub admin_notes: String,
    pub status: UserStatus,
    pub email_verified: bool,
    pub phone_verified: bool,
    /// The staff switch; `two_factor_state` says whether the user has enrolled.
    pub two_factor: bool,
    pub two_factor_state: TwoFactorState,
    pub locked: bool,
    /// Why, while `locked`.
    pub lock_reason: Option<super::LockReason>,
    /// For the optimistic check: a save names the version it was based on.
    pub version: i64,
    pub created_at: super::Timestamp,
    pub updated_at: super::Timestamp,
    pub last_sign_in_at: Option<super::Timestamp>,
    /// Who last changed the Admin Notes (an email) and when.
    pub admin_notes_by: Option<String>,
    pub admin_notes_at: Option<super::Timestamp>,
    /// While invited (no password chosen yet): when the newest invitation was sent.
    #[serde(default)]
    pub invited_at: Option<super::Timestamp>,
}

/// How long an invitation works (the server's `invitations::valid_for`).
pub const INVITATION_DAYS: i64 = 7;

impl UserDetail {
    /// While invited: when the newest invitation stops working.
    pub fn invitation_expires_at(&self) -> Option<super::Timestamp> {
        self.invited_at
            .map(|at| super::Timestamp::from_micros(at.micros() + INVITATION_DAYS * 86_400_000_000))
    }

    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.last_name, &self.email)
    }
}

fn display_name(first: &str, last: &str, email: &str) -> String {
    let n = format!("{first} {last}").trim().to_string();
    if n.is_empty() {
        email.to_string()
    } else {
        n
    }
}

/// Up to two letters for the generated avatar: first and last initials, else the email's.
pub fn initials(first: &str, last: &str, email: &str) -> String {
    let pick = |s: &str| {
        s.trim()
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect::<String>())
    };
    match (pick(first), pick(last)) {
        (Some(a), Some(b)) => a + &b,
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => pick(email).unwrap_or_else(|| "?".into()),
    }
}

/// A stable hue (0–359) per user, so an avatar keeps its colour across pages.
pub fn avatar_hue(id: &Uuid) -> u16 {
    let b = id.as_bytes();
    (u16::from(b[0]) << 8 | u16::from(b[15])) % 360
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "INACTIVE")]
    Inactive,
    #[serde(rename = "CLOSED")]
    Closed,
}

impl ClientStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
            Self::Closed => "CLOSED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            "CLOSED" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// One client of a user, as the User Clients modal lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserClientRow {
    pub client_id: Uuid,
    pub client_name: String,
    pub company_name: String,
    pub tax_id: Option<String>,
    pub status: ClientStatus,
    pub owner: bool,
    pub permissions: Vec<super::ClientPermission>,
}

/// The eye button's modal: who the user is and the clients they act for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserWithClients {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub clients: Vec<UserClientRow>,
}

/// A password strength estimate for the meter: 0 (very weak) to 4 (very strong).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strength {
    pub score: u8,
    /// The rule's verdict, as the form would show it on Save (`None` = acceptable).
    pub problem: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_read_well() {
        use crate::page::Total;
        let label = |total| {
            let query = crate::page::PageQuery::default().normalized();
            UserPage::of((vec![], total), &query).total_label()
        };
        assert_eq!(label(Total::Exact(1)), "1 user");
        assert_eq!(label(Total::Exact(0)), "0 users");
        assert_eq!(label(Total::Exact(1234567)), "1,234,567 users");
        assert_eq!(label(Total::AtLeast(10000)), "10,000+ users");
        assert_eq!(label(Total::about(28_897)), "about 29,000 users");
    }

    #[test]
    fn initials_and_hue() {
        assert_eq!(initials("ann", "lee", "x@y.z"), "AL");
        assert_eq!(initials("", "  ", "zoe@example.com"), "Z");
        assert_eq!(initials("Łukasz", "", ""), "Ł");
        let id = Uuid::nil();
        assert_eq!(avatar_hue(&id), avatar_hue(&id));
        assert!(avatar_hue(&Uuid::max()) < 360);
    }

    #[test]
    fn sort_codes_round_trip() {
        for s in [
            UserSort::Name,
            UserSort::Email,
            UserSort::Status,
            UserSort::Created,
        ] {
            assert_eq!(UserSort::parse(s.code()), s);
        }
    }
}
