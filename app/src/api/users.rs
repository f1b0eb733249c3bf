//! Manage Users: list and search, create, edit, delete, the user's clients.

use leptos::prelude::*;
use roster_types::account::SessionRow;
use roster_types::bulk::BulkStep;
use roster_types::import::RowReport;
use roster_types::user_filter::UserFilter;
use roster_types::users::{Strength, UserDetail, UserPage, UserWithClients};
use roster_types::{AppError, EditFlags, UserForm};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::ctx::staff_with;
#[cfg(feature = "ssr")]
use roster_core::users as service;
#[cfg(feature = "ssr")]
use roster_types::StaffPermission;

/// One page of users matching `q` (substring of name, email, phone or UUID) and the filters.
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] page: u32,
    #[server(default)] per_page: u32,
    #[server(default)] sort: String,
    #[server(default)] desc: bool,
    /// Status, 2FA, Email Verified, clients, created and last sign-in; empty means any.
    #[server(flatten)]
    #[server(default)]
    filter: UserFilter,
) -> Result<UserPage, AppError> {
    let s = staff_with(Some(StaffPermission::UsersView)).await?;
    let query = roster_types::page::PageQuery::new(q, page, per_page, sort, desc);
    service::list(&s.state, query, &filter).await
}

/// Sign in as this user (support) for `reason`: this browser then opens the user's
/// `/account` as them, for at most 30 minutes, with a banner and an End button.
#[server(prefix = "/api", endpoint = "users/impersonate")]
pub async fn impersonate_user(id: Uuid, #[server(default)] reason: String) -> Result<(), AppError> {
    use roster_core::request::USER_COOKIE;
    let s = staff_with(Some(StaffPermission::UsersImpersonate)).await?;
    let token = roster_core::impersonation::start(s.acting(), s.session.id, id, &reason).await?;
    let lasts = roster_types::impersonation::MINUTES * 60;
    super::ctx::set_cookie_for(&s.state, USER_COOKIE, Some(&token), lasts);
    Ok(())
}

/// A bulk action (`activate`, `deactivate`, `end_sessions`, `two_factor_off`,
/// `password_reset` or `delete`) on the users `ids` (the ticked rows, comma-separated, at
/// most 100), or with `all`, on every user the search `q` and the filters find: 100 per
/// request, the next request going on from `after` (this answer's `next`). Each user is
/// changed in a transaction of its own; the answer says what was done and what refused.
#[server(prefix = "/api", endpoint = "users/bulk")]
pub async fn bulk_users(
    #[server(default)] action: String,
    #[server(default)] ids: String,
    #[server(default)] all: bool,
    #[server(default)] q: String,
    #[server(flatten)]
    #[server(default)]
    filter: UserFilter,
    #[server(default)] after: String,
) -> Result<BulkStep, AppError> {
    use roster_core::bulk::{self, Users};
    use roster_types::bulk::{parse_ids, BulkAction, Cursor};
    let s = staff_with(None).await?;
    let action = BulkAction::parse(&action)?;
    let users = if all {
        let q = roster_types::page::normalized_search(q);
        let filters = service::check_filter(&filter)?;
        let after = Some(after.as_str())
            .filter(|a| !a.is_empty())
            .map(Cursor::parse)
            .transpose()?;
        Users::Found { q, filters, after }
    } else {
        Users::Picked(parse_ids(&ids)?)
    };
    s.require(action.permission())?;
    bulk::run(s.acting(), action, users).await
}

/// The users CSV import, a slice of the file at a time: `csv` is the header line and at
/// most 1,000 rows, whose first row is line `first_line` of the file (2 for a whole
/// file). Without `commit` a dry run: what each row would do, nothing written. With it,
/// each row is done as the dry run said (a refusal undoes that row alone). Rows of users who
/// exist (by email) change them only for staff who also hold `users-edit`.
#[server(prefix = "/api", endpoint = "users/import")]
pub async fn import_users(
    #[server(default)] csv: String,
    #[server(default)] first_line: u64,
    #[server(default)] commit: bool,
) -> Result<Vec<RowReport>, AppError> {
    use roster_core::import;
    let s = staff_with(Some(StaffPermission::UsersCreate)).await?;
    let rows = import::read_slice(&csv, first_line)?;
    let may_update = s.permissions.contains(&StaffPermission::UsersEdit);
    import::run(s.acting(), rows, commit, may_update).await
}

#[server(prefix = "/api", endpoint = "users/get")]
pub async fn get_user(id: Uuid) -> Result<UserDetail, AppError> {
    let s = staff_with(Some(StaffPermission::UsersView)).await?;
    service::detail(&s.state, id).await
}

#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(
    #[server(flatten)] form: UserForm,
    /// Send the link that confirms the email: on unless `false`.
    #[server(default)]
    send_verification: Option<bool>,
    /// "Invite by email": no password; the user chooses it from the mailed invitation.
    #[server(default)]
    invite: Option<bool>,
) -> Result<UserDetail, AppError> {
    use roster_core::users::Welcome;
    let s = staff_with(Some(StaffPermission::UsersCreate)).await?;
    let welcome = match (invite, send_verification) {
        (Some(true), _) => Welcome::Invitation,
        (_, Some(false)) => Welcome::Nothing,
        _ => Welcome::Verification,
    };
    service::create_with(s.acting(), &form, welcome).await
}

/// Save an edit made on `version` of the user; refused as stale if it changed since.
#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    id: Uuid,
    version: i64,
    #[server(flatten)] form: UserForm,
    #[server(flatten)] flags: EditFlags,
) -> Result<UserDetail, AppError> {
    let s = staff_with(Some(StaffPermission::UsersEdit)).await?;
    service::update(s.acting(), id, version, &form, &flags).await
}

/// The user's signed-in sessions (created, last seen, address, browser).
#[server(prefix = "/api", endpoint = "users/sessions")]
pub async fn user_sessions(id: Uuid) -> Result<Vec<SessionRow>, AppError> {
    let s = staff_with(Some(StaffPermission::UsersView)).await?;
    service::sessions_of(&s.state, id).await
}

/// End one session of the user (`session_id`), or all of them when it is left out.
#[server(prefix = "/api", endpoint = "users/end-sessions")]
pub async fn end_user_sessions(
    id: Uuid,
    #[server(default)] session_id: Option<Uuid>,
) -> Result<u64, AppError> {
    let s = staff_with(Some(StaffPermission::UsersEdit)).await?;
    use roster_core::users::Sessions;
    let which = session_id.map_or(Sessions::All, Sessions::One);
    service::end_sessions(s.acting(), id, which).await
}

/// Lift a sign-in lock (the LOCKED badge) before it runs out.
#[server(prefix = "/api", endpoint = "users/unlock")]
pub async fn unlock_user(id: Uuid) -> Result<UserDetail, AppError> {
    let s = staff_with(Some(StaffPermission::UsersEdit)).await?;
    service::unlock(s.acting(), id).await
}

/// "Send password reset" in Edit: the user is mailed a reset link; staff never learn the
/// new password.
#[server(prefix = "/api", endpoint = "users/send-password-reset")]
pub async fn send_password_reset(id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::UsersEdit)).await?;
    roster_core::password_reset::send_for_user(s.acting(), id).await
}

/// "Resend invitation" in Edit, for a user who has not accepted yet: a new link for 7
/// days; the older ones stop working.
#[server(prefix = "/api", endpoint = "users/resend-invitation")]
pub async fn resend_invitation(id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::UsersEdit)).await?;
    roster_core::invitations::resend(s.acting(), id).await
}

#[server(prefix = "/api", endpoint = "users/delete")]
pub async fn delete_user(id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::UsersDelete)).await?;
    service::delete(s.acting(), id).await
}

/// The eye button: the user and the clients they are associated with.
#[server(prefix = "/api", endpoint = "users/clients")]
pub async fn user_clients(id: Uuid) -> Result<UserWithClients, AppError> {
    let s = staff_with(Some(StaffPermission::UsersView)).await?;
    service::with_clients(&s.state, id).await
}

/// The strength meter: the server's estimate (its dictionaries stay out of the WASM),
/// with the account's own email and names counted as guessable.
#[server(prefix = "/api", endpoint = "users/password-strength")]
pub async fn password_strength(
    password: String,
    #[server(default)] email: String,
    #[server(default)] first_name: String,
    #[server(default)] last_name: String,
) -> Result<Strength, AppError> {
    use roster_types::password::{strength_with_context, Password};
    staff_with(None).await?;
    let context = [email.as_str(), first_name.as_str(), last_name.as_str()];
    Ok(Strength {
        score: strength_with_context(&password, &context),
        problem: Password::parse_with_context(&password, &context)
            .err()
            .map(|e| e.to_string()),
    })
}
