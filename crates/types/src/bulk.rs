//! Bulk actions on Manage Users: one action on the users ticked in the table, or on every
//! user a search and its filters find, a batch of at most [`BATCH`] per request.

use crate::i18n::Msg;
use crate::{msg, AppError, FieldError, StaffPermission};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Users one request changes at most: a request stays short, and a search of thousands is
/// walked in requests that each answer with where the next one starts.
pub const BATCH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Activate,
    Deactivate,
    EndSessions,
    TwoFactorOff,
    PasswordReset,
    Delete,
}

impl BulkAction {
    pub const ALL: [BulkAction; 6] = [
        Self::Activate,
        Self::Deactivate,
        Self::EndSessions,
        Self::TwoFactorOff,
        Self::PasswordReset,
        Self::Delete,
    ];

    /// The API's name for the action.
    pub fn code(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
            Self::EndSessions => "end_sessions",
            Self::TwoFactorOff => "two_factor_off",
            Self::PasswordReset => "password_reset",
            Self::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|a| a.code() == s).ok_or_else(|| {
            FieldError::new(
                "action",
                msg!("Choose an action: activate, deactivate, end_sessions, two_factor_off, password_reset or delete."),
            )
        })
    }

    /// The permission the one-user button needs for the same change.
    pub fn permission(self) -> StaffPermission {
        match self {
            Self::Delete => StaffPermission::UsersDelete,
            _ => StaffPermission::UsersEdit,
        }
    }
}

/// Where a walk through a search's users goes on: after this user in the list's order
/// (newest first by creation time, then id). Written `micros.uuid` in the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn code(&self) -> String {
        format!("{}.{}", self.at.timestamp_micros(), self.id)
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("after", msg!("Not a position in this list."));
        let (micros, id) = s.split_once('.').ok_or_else(bad)?;
        let at = micros
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(bad)?;
        let id = Uuid::try_parse(id).map_err(|_| bad())?;
        Ok(Self { at, id })
    }
}

/// The ticked rows' ids, comma-separated: at most [`BATCH`], each once, in the order given.
pub fn parse_ids(s: &str) -> Result<Vec<Uuid>, FieldError> {
    let mut ids: Vec<Uuid> = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if ids.len() == BATCH {
            return Err(FieldError::with(
                "ids",
                msg!("At most {count} users at a time."),
                &[("count", &BATCH.to_string())],
            ));
        }
        let id = Uuid::try_parse(part)
            .map_err(|_| FieldError::new("ids", msg!("Not a list of user IDs.")))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(FieldError::new(
            "ids",
            msg!("Choose users, or all that match the search."),
        ));
    }
    Ok(ids)
}

/// What happened to one user: done, or refused with the reason the one-user button gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub id: Uuid,
    /// Empty when the user no longer exists.
    pub email: String,
    pub refused: Option<AppError>,
}

/// One request's share of a bulk action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkStep {
    pub outcomes: Vec<BulkOutcome>,
    /// Where the next request goes on (`after`), while a search has users left.
    pub next: Option<String>,
}

/// Why an action does not apply to a user as they stand; the refusals a status change
/// can meet.
pub fn status_refusal(
    invited: bool,
    now: crate::users::UserStatus,
    to: crate::users::UserStatus,
) -> Option<Msg> {
    use crate::users::UserStatus::*;
    match (now, to) {
        (Active, Active) => Some(msg!("Already ACTIVE.")),
        (Inactive, Inactive) => Some(msg!("Already INACTIVE.")),
        (New, Active) if invited => Some(msg!(
            "Invited: they become active by accepting the invitation."
        )),
        (New, Active) => Some(msg!("NEW: they become active when they first sign in.")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::UserStatus::*;

    #[test]
    fn actions_round_trip_and_delete_needs_its_own_permission() {
        for a in BulkAction::ALL {
            assert_eq!(BulkAction::parse(a.code()), Ok(a));
        }
        assert!(BulkAction::parse("Delete").is_err());
        assert!(BulkAction::parse("").is_err());
        assert_eq!(
            BulkAction::Delete.permission(),
            StaffPermission::UsersDelete
        );
        assert_eq!(
            BulkAction::Deactivate.permission(),
            StaffPermission::UsersEdit
        );
    }

    #[test]
    fn cursors_round_trip_and_refuse_what_is_not_one() {
        let c = Cursor {
            at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::from_u128(7),
        };
        assert_eq!(Cursor::parse(&c.code()), Ok(c));
        for bad in [
            "",
            ".",
            "12",
            "x.00000000-0000-0000-0000-000000000007",
            "1.x",
            "99999999999999999999.00000000-0000-0000-0000-000000000007",
        ] {
            assert!(Cursor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_are_deduplicated_bounded_and_checked() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(parse_ids(&format!("{a}, {b},{a},")), Ok(vec![a, b]));
        assert!(parse_ids("").is_err());
        assert!(parse_ids(" , ").is_err());
        assert!(parse_ids(&format!("{a},nope")).is_err());
        let hundred: Vec<String> = (0..100u128)
            .map(|i| Uuid::from_u128(i).to_string())
            .collect();
        assert_eq!(parse_ids(&hundred.join(",")).map(|v| v.len()), Ok(100));
        let more: Vec<String> = (0..101u128)
            .map(|i| Uuid::from_u128(i).to_string())
            .collect();
        assert_eq!(parse_ids(&more.join(",")).unwrap_err().field, "ids");
    }

    #[test]
    fn a_status_change_is_refused_where_it_changes_nothing_or_skips_a_step() {
        assert!(status_refusal(false, Inactive, Active).is_none());
        assert!(status_refusal(false, Active, Inactive).is_none());
        assert!(status_refusal(true, New, Inactive).is_none());
        assert_eq!(
            status_refusal(false, Active, Active),
            Some(msg!("Already ACTIVE."))
        );
        assert_eq!(
            status_refusal(false, Inactive, Inactive),
            Some(msg!("Already INACTIVE."))
        );
        assert_eq!(
            status_refusal(true, New, Active),
            Some(msg!(
                "Invited: they become active by accepting the invitation."
            ))
        );
        assert_eq!(
            status_refusal(false, New, Active),
            Some(msg!("NEW: they become active when they first sign in."))
        );
    }
}
