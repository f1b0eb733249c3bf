//! Staff management: permissions (roles are named sets of them), deactivation and 2FA
//! reset, each checked against `check_staff_change` and audited in its transaction.

use super::request::RequestMeta;
use super::state::AppState;
use crate::audit;
use crate::Acting;
use roster_data::accounts::{self, Principal};
use roster_data::{sessions, staff};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::staff_members::{check_staff_change, StaffChange, StaffRow};
use roster_types::{AppError, StaffPermission};
use uuid::Uuid;

/// The signed-in staff member behind the request (401 without a session) holding `need`
/// (403 without): for server functions and plain handlers (the CSV export) alike.
pub async fn authorize(
    state: &AppState,
    meta: &RequestMeta,
    need: Option<StaffPermission>,
) -> Result<
    (
        roster_data::sessions::Session,
        accounts::Credentials,
        Vec<StaffPermission>,
    ),
    AppError,
> {
    let signed_in = super::sign_in::resolve_signed_in(state, Principal::Staff, meta)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (session, me, permissions) = (signed_in.session, signed_in.account, signed_in.permissions);
    if let Some(p) = need {
        require(&permissions, p)?;
    }
    Ok((session, me, permissions))
}

/// 403 naming `p` unless it is among `permissions`.
pub fn require(permissions: &[StaffPermission], p: StaffPermission) -> Result<(), AppError> {
    if permissions.contains(&p) {
        return Ok(());
    }
    Err(AppError::Forbidden {
        permission: p.code().to_string(),
    })
}

/// An event by staff member `actor` about staff member `target`.
fn event(actor: Actor, action: Action, target: &StaffRow, changes: Changes) -> Event {
    let target = Target::Staff {
        id: target.id,
        email: target.email.clone(),
    };
    Event::new(actor, action, target).changes(changes)
}

/// The member as saved, for the answer.
async fn read_back(state: &AppState, id: Uuid) -> Result<StaffRow, AppError> {
    staff::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

fn codes(p: &[StaffPermission]) -> Vec<&'static str> {
    p.iter().map(|p| p.code()).collect()
}

/// Change what a staff member may do and whether they may sign in. Deactivation ends
/// their sessions; a permission change takes effect at their next request.
pub async fn update(
    by: Acting<'_>,
    id: Uuid,
    permissions: &[StaffPermission],
    active: bool,
) -> Result<StaffRow, AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::StaffManagers).await?;
    let before = staff::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let manages_now = before.active && before.permissions.contains(&StaffPermission::StaffManage);
    let other_managers = staff::count_managers_except(&mut tx, id).await?;
    check_staff_change(&StaffChange {
        actor: actor.id().unwrap_or_default(),
        target: id,
        manages_now,
        permissions_after: permissions,
        active_after: active,
        other_managers,
    })
    .map_err(|e| AppError::StaffRule { rule: e })?;

    let mut changes = Changes::new();
    if before.permissions != permissions {
        staff::set_permissions(&mut tx, id, permissions).await?;
        changes = changes.field(
            "permissions",
            codes(&before.permissions),
            codes(permissions),
        );
    }
    if before.active != active {
        staff::set_active(&mut tx, id, active).await?;
        changes = changes.field("active", before.active, active);
        if !active {
            crate::impersonation::end_with_staff_sessions(&mut tx, meta, id, None).await?;
            let ended = sessions::delete_for_account(&mut tx, Principal::Staff, id).await?;
            changes = changes.note("sessions_ended", ended);
        }
    }
    if !changes.is_empty() {
        let event = event(actor, Action::StaffUpdated, &before, changes);
        audit::record(&mut tx, meta, event).await?;
    }
    tx.commit().await?;
    read_back(state, id).await
}

/// A lost authenticator: the enrolment and recovery codes go, sessions end, and the next
/// sign-in enrols again (staff 2FA stays required).
pub async fn reset_two_factor(by: Acting<'_>, id: Uuid) -> Result<StaffRow, AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::StaffManagers).await?;
    let before = staff::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    accounts::remove_totp(&mut tx, Principal::Staff, id).await?;
    crate::impersonation::end_with_staff_sessions(&mut tx, meta, id, None).await?;
    let ended = sessions::delete_for_account(&mut tx, Principal::Staff, id).await?;
    let changes = Changes::new()
        .field("enrolled", before.enrolled, false)
        .note("sessions_ended", ended);
    let event = event(actor, Action::StaffTwoFactorReset, &before, changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    read_back(state, id).await
}

/// Lift a staff member's sign-in lock (strangers' browsers and every known browser).
pub async fn unlock(by: Acting<'_>, id: Uuid) -> Result<StaffRow, AppError> {
    let Acting { state, actor, meta } = by;
    let target = read_back(state, id).await?;
    let mut tx = state.db.begin().await?;
    if roster_data::attempts::lift(&mut tx, Principal::Staff, id).await? {
        let event = event(actor, Action::StaffUnlocked, &target, Changes::new());
        audit::record(&mut tx, meta, event).await?;
    }
    tx.commit().await?;
    read_back(state, id).await
}

pub async fn list(state: &AppState) -> Result<Vec<StaffRow>, AppError> {
    Ok(staff::list(&state.db).await?)
}

pub async fn get(state: &AppState, id: Uuid) -> Result<StaffRow, AppError> {
    staff::get(&state.db, id).await?.ok_or(AppError::NotFound)
}
