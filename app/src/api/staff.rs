//! Staff management at `/admin/staff` (permission staff-manage).

use leptos::prelude::*;
use roster_types::staff_members::{NewStaffForm, StaffRow};
use roster_types::AppError;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::ctx::staff_with;
#[cfg(feature = "ssr")]
use roster_core::staff as service;
#[cfg(feature = "ssr")]
use roster_types::StaffPermission;

#[server(prefix = "/api", endpoint = "staff/list")]
pub async fn list_staff() -> Result<Vec<StaffRow>, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    service::list(&s.state).await
}

/// A new staff member with a first password (they enrol in 2FA at first sign-in when
/// staff 2FA is required).
#[server(prefix = "/api", endpoint = "staff/create")]
pub async fn create_staff(form: NewStaffForm) -> Result<StaffRow, AppError> {
    use roster_core::setup::{self, Creator};
    use roster_types::staff_members::parse_permissions;
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    let permissions =
        parse_permissions(&form.permissions).map_err(|e| AppError::Invalid { fields: vec![e] })?;
    let id = setup::create_staff(
        &s.state,
        setup::NewMember::new(&form.email, &form.password, &permissions),
        Creator::Staff {
            actor: s.acting().actor,
            ip: s.meta.ip.to_string(),
        },
    )
    .await?;
    service::get(&s.state, id).await
}

/// Permissions (comma-separated codes) and whether the member may sign in.
#[server(prefix = "/api", endpoint = "staff/update")]
pub async fn update_staff(
    id: Uuid,
    #[server(default)] permissions: String,
    #[server(default)] active: bool,
) -> Result<StaffRow, AppError> {
    use roster_types::staff_members::parse_permissions;
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    let permissions =
        parse_permissions(&[permissions]).map_err(|e| AppError::Invalid { fields: vec![e] })?;
    service::update(s.acting(), id, &permissions, active).await
}

/// Remove the member's 2FA enrolment (a lost phone): they enrol again at next sign-in.
#[server(prefix = "/api", endpoint = "staff/reset-2fa")]
pub async fn reset_staff_two_factor(id: Uuid) -> Result<StaffRow, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    service::reset_two_factor(s.acting(), id).await
}

/// Lift the member's sign-in lock (shown on their row with its reason).
#[server(prefix = "/api", endpoint = "staff/unlock")]
pub async fn unlock_staff(id: Uuid) -> Result<StaffRow, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    service::unlock(s.acting(), id).await
}
