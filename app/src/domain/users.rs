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
    pub two_factor: TwoFactorState,
    pub clients: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl UserRow {
    pub fn display_name(&self) -> String {
        let n = format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string();
        if n.is_empty() {
            self.email.clone()
        } else {
            n
        }
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

pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// A page size from the allowed list (anything else falls back to the smallest).
pub fn page_size(n: u32) -> u32 {
    if PAGE_SIZES.contains(&n) {
        n
    } else {
        PAGE_SIZES[0]
    }
}
