//! Staff management at `/admin/staff` (permission staff-manage).

use crate::domain::staff_members::{NewStaffForm, StaffRow};
use crate::domain::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::ctx::{actor, staff_with};
#[cfg(feature = "ssr")]
use crate::domain::StaffPermission;
#[cfg(feature = "ssr")]
use crate::server::{db::staff as repo, internal, staff as service};

#[server(prefix = "/api", endpoint = "staff/list")]
pub async fn list_staff() -> Result<Vec<StaffRow>, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    repo::list(&s.state.db).await.map_err(internal)
}

/// A new staff member with a first password (they enrol in 2FA at first sign-in when
/// staff 2FA is required).
#[server(prefix = "/api", endpoint = "staff/create")]
pub async fn create_staff(form: NewStaffForm) -> Result<StaffRow, AppError> {
    use crate::domain::staff_members::parse_permissions;
    use crate::server::setup::{self, Creator};
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    let permissions =
        parse_permissions(&form.permissions).map_err(|e| AppError::Invalid { fields: vec![e] })?;
    let id = setup::create_staff(
        &s.state,
        &form.email,
        &form.password,
        true,
        &permissions,
        Creator::Staff {
            actor: actor(&s),
            ip: s.meta.ip.to_string(),
        },
        None,
    )
    .await?;
    repo::get(&s.state.db, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// Permissions (comma-separated codes) and whether the member may sign in.
#[server(prefix = "/api", endpoint = "staff/update")]
pub async fn update_staff(
    id: Uuid,
    #[server(default)] permissions: String,
    #[server(default)] active: bool,
) -> Result<StaffRow, AppError> {
    use crate::domain::staff_members::parse_permissions;
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    let permissions =
        parse_permissions(&[permissions]).map_err(|e| AppError::Invalid { fields: vec![e] })?;
    service::update(
        &s.state,
        (s.staff.id, s.staff.email.clone()),
        &s.meta,
        id,
        &permissions,
        active,
    )
    .await
}

/// Remove the member's 2FA enrolment (a lost phone): they enrol again at next sign-in.
#[server(prefix = "/api", endpoint = "staff/reset-2fa")]
pub async fn reset_staff_two_factor(id: Uuid) -> Result<StaffRow, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    service::reset_two_factor(&s.state, (s.staff.id, s.staff.email.clone()), &s.meta, id).await
}

/// Lift the member's sign-in lock (shown on their row with its reason).
#[server(prefix = "/api", endpoint = "staff/unlock")]
pub async fn unlock_staff(id: Uuid) -> Result<StaffRow, AppError> {
    let s = staff_with(Some(StaffPermission::StaffManage)).await?;
    service::unlock(&s.state, (s.staff.id, s.staff.email.clone()), &s.meta, id).await
}
