//! Staff management (`/admin/staff`): the rows, the two built-in roles, and the rules
//! that keep at least one person able to manage staff.

use super::{FieldError, StaffPermission};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A staff member as the staff list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: Uuid,
    pub email: String,
    pub active: bool,
    pub permissions: Vec<StaffPermission>,
    /// Enrolled in TOTP.
    pub enrolled: bool,
    /// Why sign-in is locked, while it is.
    pub lock_reason: Option<super::LockReason>,
    pub created_at: super::Timestamp,
    pub last_sign_in_at: Option<super::Timestamp>,
}

impl StaffRow {
    pub fn role(&self) -> Option<StaffRole> {
        StaffRole::matching(&self.permissions)
    }
}

/// The built-in roles: a name for a set of permissions (any other set is "Custom").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    /// Every permission.
    Administrator,
    /// View-only on users and clients.
    Support,
}

impl StaffRole {
    pub const ALL: [StaffRole; 2] = [StaffRole::Administrator, StaffRole::Support];

    pub fn label(self) -> crate::i18n::Msg {
        match self {
            Self::Administrator => crate::msg!("Administrator"),
            Self::Support => crate::msg!("Support"),
        }
    }

    pub fn permissions(self) -> Vec<StaffPermission> {
        match self {
            Self::Administrator => StaffPermission::ALL.to_vec(),
            Self::Support => vec![StaffPermission::UsersView, StaffPermission::ClientsView],
        }
    }

    /// The role whose permissions are exactly `perms`.
    pub fn matching(perms: &[StaffPermission]) -> Option<StaffRole> {
        let mut have = perms.to_vec();
        have.sort();
        have.dedup();
        Self::ALL.into_iter().find(|r| {
            let mut p = r.permissions();
            p.sort();
            p == have
        })
    }
}

crate::message_enum! {
    /// Why a change to a staff member is refused.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum StaffRuleError {
        OwnManagePermission => "You cannot remove your own staff-manage permission; ask another administrator.",
        DeactivateSelf => "You cannot deactivate yourself; ask another administrator.",
        LastManager => "This is the last active staff member with staff-manage: someone must be able to manage staff.",
    }
}

/// A change to a staff member's permissions or active flag, as the rules see it.
pub struct StaffChange<'a> {
    pub actor: Uuid,
    pub target: Uuid,
    /// The target now manages staff (active and holding staff-manage).
    pub manages_now: bool,
    pub permissions_after: &'a [StaffPermission],
    pub active_after: bool,
    /// Active staff-manage holders other than the target.
    pub other_managers: i64,
}

/// The rules: nobody removes their own staff-manage or deactivates
/// themselves, and the last active holder of staff-manage stays one.
pub fn check_staff_change(c: &StaffChange<'_>) -> Result<(), StaffRuleError> {
    let manages_after =
        c.active_after && c.permissions_after.contains(&StaffPermission::StaffManage);
    if c.actor == c.target {
        if !c.active_after {
            return Err(StaffRuleError::DeactivateSelf);
        }
        if !c.permissions_after.contains(&StaffPermission::StaffManage) {
            return Err(StaffRuleError::OwnManagePermission);
        }
    }
    if c.manages_now && !manages_after && c.other_managers == 0 {
        return Err(StaffRuleError::LastManager);
    }
    Ok(())
}

/// The new-staff form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaffForm {
    pub email: String,
    pub password: String,
    /// Permission codes.
    #[serde(default)]
    pub permissions: Vec<String>,
}

impl NewStaffForm {
    /// The browser-side rules (the server adds password strength and the unique email).
    pub fn check(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Err(err) = super::Email::parse(&self.email) {
            e.push(FieldError::new("email", err));
        }
        if let Err(err) = super::Password::check_length(&self.password) {
            e.push(FieldError::new("password", err));
        }
        if let Err(err) = parse_permissions(&self.permissions) {
            e.push(err);
        }
        e
    }
}

/// Permission codes into permissions; an unknown code is a field error.
pub fn parse_permissions(codes: &[String]) -> Result<Vec<StaffPermission>, FieldError> {
    let mut out = Vec::new();
    for c in codes.iter().flat_map(|c| c.split(',')).map(str::trim) {
        if c.is_empty() {
            continue;
        }
        let p: StaffPermission = c.parse().map_err(|_| {
            FieldError::with(
                "permissions",
                crate::msg!("Unknown permission: {code}."),
                &[("code", c)],
            )
        })?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use StaffPermission::*;

    fn change(
        actor: Uuid,
        target: Uuid,
        perms: &[StaffPermission],
        active: bool,
        others: i64,
    ) -> Result<(), StaffRuleError> {
        check_staff_change(&StaffChange {
            actor,
            target,
            manages_now: true,
            permissions_after: perms,
            active_after: active,
            other_managers: others,
        })
    }

    #[test]
    fn nobody_locks_themselves_or_everyone_out() {
        let me = Uuid::new_v4();
        let other = Uuid::new_v4();
        let all = StaffPermission::ALL;
        let users_view: &[StaffPermission] = &[UsersView];
        use StaffRuleError::*;
        // (whom, permissions after, active after, other managers) → the verdict
        let cases = [
            (me, users_view, true, 3, Err(OwnManagePermission)),
            (me, all, false, 3, Err(DeactivateSelf)),
            (me, all, true, 0, Ok(())),
            (other, users_view, true, 1, Ok(())),
            (other, all, false, 1, Ok(())),
            // the last manager cannot be removed, even by someone who (through a race) no
            // longer counts
            (other, users_view, true, 0, Err(LastManager)),
            (other, all, false, 0, Err(LastManager)),
        ];
        for (i, (whom, perms, active, others, verdict)) in cases.into_iter().enumerate() {
            assert_eq!(change(me, whom, perms, active, others), verdict, "case {i}");
        }
    }

    #[test]
    fn roles_name_their_permission_sets() {
        assert_eq!(
            StaffRole::matching(StaffPermission::ALL),
            Some(StaffRole::Administrator)
        );
        assert_eq!(
            StaffRole::matching(&[ClientsView, UsersView]),
            Some(StaffRole::Support)
        );
        assert_eq!(StaffRole::matching(&[UsersView]), None);
        assert_eq!(
            parse_permissions(&["users-view, clients-view".into(), "users-view".into()]),
            Ok(vec![UsersView, ClientsView])
        );
        assert_eq!(
            parse_permissions(&["root".into()]).unwrap_err().field,
            "permissions"
        );
    }
}
