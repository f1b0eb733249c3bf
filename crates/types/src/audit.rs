//! The audit trail as staff read it: the fixed set of actions, the filters of
//! `/admin/audit`, and the rows. Writing events is `server::audit`.

use super::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every kind of event, so that the trail can be filtered by a fixed set of actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SetupLinkIssued,
    StaffCreated,
    StaffUpdated,
    StaffTwoFactorReset,
    StaffUnlocked,
    SignInSucceeded,
    SignInRefused,
    AccountLocked,
    TotpEnrolled,
    /// The enrolment removed by the account itself (staff switching 2FA off is a user update).
    TotpDisabled,
    RecoveryCodeUsed,
    RecoveryCodesRegenerated,
    SignedOut,
    /// A wrong current password when a signed-in session confirmed a change.
    RecheckFailed,
    UserCreated,
    UserUpdated,
    UserDeleted,
    /// Sessions ended by a change (deactivation, password reset, 2FA switched).
    SessionsRevoked,
    UserUnlocked,
    PasswordChanged,
    ClientCreated,
    ClientUpdated,
    ClientDeleted,
    ClientUserAssociated,
    ClientUserPermissionsChanged,
    ClientUserRemoved,
    ClientOwnerChanged,
    /// A password set again from a reset link sent by mail.
    PasswordReset,
    /// A mail written to the outbox (its recipient and kind; never its link).
    MailQueued,
    MailSent,
    /// A mail given up on: refused for good by the SMTP server, or out of retries.
    MailFailed,
    /// An invitation mailed again (a new link; the older ones void).
    InvitationResent,
    /// An invited user chose their password from the link.
    InvitationAccepted,
    /// A client offered to someone invited by email; associated once they accept.
    ClientUserInvited,
    /// An offer withdrawn before it was accepted.
    ClientInvitationCancelled,
    /// A staff member signed in as a user (support), with a reason.
    ImpersonationStarted,
    /// That session ended: by the staff member, their sign-out, or its time limit.
    ImpersonationEnded,
}

impl Action {
    pub const ALL: [Action; 37] = [
        Self::SetupLinkIssued,
        Self::StaffCreated,
        Self::StaffUpdated,
        Self::StaffTwoFactorReset,
        Self::StaffUnlocked,
        Self::SignInSucceeded,
        Self::SignInRefused,
        Self::AccountLocked,
        Self::TotpEnrolled,
        Self::TotpDisabled,
        Self::RecoveryCodeUsed,
        Self::RecoveryCodesRegenerated,
        Self::SignedOut,
        Self::RecheckFailed,
        Self::UserCreated,
        Self::UserUpdated,
        Self::UserDeleted,
        Self::SessionsRevoked,
        Self::UserUnlocked,
        Self::PasswordChanged,
        Self::ClientCreated,
        Self::ClientUpdated,
        Self::ClientDeleted,
        Self::ClientUserAssociated,
        Self::ClientUserPermissionsChanged,
        Self::ClientUserRemoved,
        Self::ClientOwnerChanged,
        Self::PasswordReset,
        Self::MailQueued,
        Self::MailSent,
        Self::MailFailed,
        Self::InvitationResent,
        Self::InvitationAccepted,
        Self::ClientUserInvited,
        Self::ClientInvitationCancelled,
        Self::ImpersonationStarted,
        Self::ImpersonationEnded,
    ];

    /// What is stored and filtered on: `area.what`.
    pub fn code(self) -> &'static str {
        match self {
            Self::SetupLinkIssued => "setup.link_issued",
            Self::StaffCreated => "staff.created",
            Self::StaffUpdated => "staff.updated",
            Self::StaffTwoFactorReset => "staff.two_factor_reset",
            Self::StaffUnlocked => "staff.unlocked",
            Self::SignInSucceeded => "sign_in.succeeded",
            Self::SignInRefused => "sign_in.refused",
            Self::AccountLocked => "sign_in.locked",
            Self::TotpEnrolled => "two_factor.enrolled",
            Self::TotpDisabled => "two_factor.disabled",
            Self::RecoveryCodeUsed => "two_factor.recovery_code_used",
            Self::RecoveryCodesRegenerated => "two_factor.recovery_codes_regenerated",
            Self::SignedOut => "session.signed_out",
            Self::RecheckFailed => "session.recheck_failed",
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserDeleted => "user.deleted",
            Self::SessionsRevoked => "session.revoked",
            Self::UserUnlocked => "user.unlocked",
            Self::PasswordChanged => "user.password_changed",
            Self::ClientCreated => "client.created",
            Self::ClientUpdated => "client.updated",
            Self::ClientDeleted => "client.deleted",
            Self::ClientUserAssociated => "client.user_associated",
            Self::ClientUserPermissionsChanged => "client.user_permissions_changed",
            Self::ClientUserRemoved => "client.user_removed",
            Self::ClientOwnerChanged => "client.owner_changed",
            Self::PasswordReset => "user.password_reset",
            Self::MailQueued => "mail.queued",
            Self::MailSent => "mail.sent",
            Self::MailFailed => "mail.failed",
            Self::InvitationResent => "user.invitation_resent",
            Self::InvitationAccepted => "user.invitation_accepted",
            Self::ClientUserInvited => "client.user_invited",
            Self::ClientInvitationCancelled => "client.invitation_cancelled",
            Self::ImpersonationStarted => "user.impersonation_started",
            Self::ImpersonationEnded => "user.impersonation_ended",
        }
    }

    /// The areas (`user.`, `client.` …) the action filter also offers, for "everything about users".
    pub fn areas() -> Vec<&'static str> {
        let mut areas: Vec<&'static str> = Vec::new();
        for a in Self::ALL {
            let c = a.code();
            let area = &c[..=c.find('.').unwrap_or(c.len() - 1)];
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        areas
    }
}

/// The filters of `/admin/audit` (and of an Activity tab, which fixes `target_id`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Part of the actor's email (or "system").
    #[serde(default)]
    pub actor: String,
    /// Part of the target's email or name, or its UUID.
    #[serde(default)]
    pub target: String,
    /// An action code (`user.updated`) or an area (`user.`).
    #[serde(default)]
    pub action: String,
    /// First day, `YYYY-MM-DD` (UTC), inclusive.
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive.
    #[serde(default)]
    pub to: String,
    /// Exactly this user, client or staff member (Activity tabs).
    #[serde(default)]
    pub target_id: Option<Uuid>,
}

/// `YYYY-MM-DD` as (year, month, day), or None when it is not a real calendar day.
pub fn parse_day(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

impl AuditFilter {
    /// Field errors for what cannot be a filter (a date that is not a day, a range that ends
    /// before it starts, an action that does not exist).
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        // An email is at most 254 characters; longer text cannot match and would make the
        // database work for nothing (SQLite refuses LIKE patterns over 50,000 bytes).
        for (name, value) in [("actor", &self.actor), ("target", &self.target)] {
            if value.chars().count() > 254 {
                errors.push(FieldError::new(
                    name,
                    crate::msg!("Enter at most 254 characters."),
                ));
            }
        }
        for (name, value) in [("from", &self.from), ("to", &self.to)] {
            if !value.is_empty() && parse_day(value).is_none() {
                errors.push(FieldError::new(
                    name,
                    crate::msg!("Enter a date as YYYY-MM-DD."),
                ));
            }
        }
        if errors.is_empty() && !self.from.is_empty() && !self.to.is_empty() && self.to < self.from
        {
            errors.push(FieldError::new(
                "to",
                crate::msg!("The range ends before it starts."),
            ));
        }
        let a = self.action.as_str();
        if !a.is_empty()
            && !Action::ALL.iter().any(|x| x.code() == a)
            && !Action::areas().contains(&a)
        {
            errors.push(FieldError::new(
                "action",
                crate::msg!("Choose one of the listed actions."),
            ));
        }
        errors
    }
}

/// One change in an event: `field: before → after`, or a fact (`reason: locked`) without
/// a before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub field: String,
    pub before: Option<String>,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: super::Timestamp,
    /// staff, user, system or anonymous.
    pub actor_kind: String,
    pub actor_label: String,
    /// staff, user, client or system.
    pub target_kind: String,
    pub target_id: Option<Uuid>,
    /// The email or name as it was then: kept after the target is deleted.
    pub target_label: String,
    pub action: String,
    pub changes: Vec<ChangeLine>,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_checked_against_the_calendar() {
        assert_eq!(parse_day("2026-02-28"), Some((2026, 2, 28)));
        assert_eq!(parse_day("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(parse_day("2026-02-29"), None);
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("26-1-1"), None);
    }

    #[test]
    fn filters_refuse_what_cannot_match() {
        let ok = AuditFilter {
            action: "user.".into(),
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            ..Default::default()
        };
        assert!(ok.check().is_empty());
        let bad = AuditFilter {
            action: "user.exploded".into(),
            from: "2026-02-01".into(),
            to: "2026-01-31".into(),
            ..Default::default()
        };
        let fields: Vec<_> = bad.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["to", "action"]);
        assert!(Action::areas().contains(&"client."));
        // every action code is unique
        let mut codes: Vec<_> = Action::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
    }
}
