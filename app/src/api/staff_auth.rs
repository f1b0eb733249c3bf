//! Staff sign-in, sign-out and "who am I".

use leptos::prelude::*;
use roster_types::account::SessionRow;
use roster_types::{AppError, SignInStep, StaffMe};

#[server(prefix = "/api", endpoint = "auth/staff/sign-in")]
pub async fn staff_sign_in(email: String, password: String) -> Result<SignInStep, AppError> {
    use roster_core::sign_in;
    use roster_core::Principal;
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::password_step(&state, Principal::Staff, &meta, &email, &password).await?;
    ctx::set_sign_in_cookies(
        &state,
        Principal::Staff,
        roster_core::request::STAFF_COOKIE,
        &out,
    );
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/staff/code")]
pub async fn staff_submit_code(code: String) -> Result<SignInStep, AppError> {
    use roster_core::Principal;
    use roster_core::{request::STAFF_COOKIE, sign_in};
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::code_step(&state, Principal::Staff, &meta, STAFF_COOKIE, &code).await?;
    ctx::set_sign_in_cookies(
        &state,
        Principal::Staff,
        roster_core::request::STAFF_COOKIE,
        &out,
    );
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/staff/enrol")]
pub async fn staff_confirm_enrolment(code: String) -> Result<SignInStep, AppError> {
    use roster_core::Principal;
    use roster_core::{request::STAFF_COOKIE, sign_in};
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::enrol_step(&state, Principal::Staff, &meta, STAFF_COOKIE, &code).await?;
    ctx::set_sign_in_cookies(
        &state,
        Principal::Staff,
        roster_core::request::STAFF_COOKIE,
        &out,
    );
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/staff/sign-out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    use roster_core::Principal;
    use roster_core::{request::STAFF_COOKIE, sign_in};
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    sign_in::sign_out(&state, Principal::Staff, &meta, STAFF_COOKIE).await?;
    ctx::set_staff_cookie(&state, None);
    Ok(())
}

#[server(prefix = "/api", endpoint = "auth/staff/me")]
pub async fn current_staff() -> Result<StaffMe, AppError> {
    let s = ctx::staff_with(None).await?;
    Ok(StaffMe {
        id: s.staff.id,
        language: roster_types::Language::parse(&s.staff.language).unwrap_or_default(),
        email: s.staff.email,
        permissions: s.permissions,
    })
}

/// The language of one's own pages (an ISO 639-1 code: en, uk, de, pl, fr, es).
#[server(prefix = "/api", endpoint = "auth/staff/language")]
pub async fn set_staff_language(
    #[server(default)] language: String,
) -> Result<roster_types::Language, AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::set_language(&s.state, &s.meta, &s.staff, &language).await
}

/// Change one's own password; the current one is required. Other sessions end.
#[server(prefix = "/api", endpoint = "auth/staff/change-password")]
pub async fn staff_change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::change_password(
        &s.state,
        &s.meta,
        s.session.id,
        &s.staff,
        &current_password,
        &new_password,
    )
    .await
}

/// The signed-in staff member's own sessions; this one is marked `current`.
#[server(prefix = "/api", endpoint = "auth/staff/sessions")]
pub async fn staff_sessions() -> Result<Vec<SessionRow>, AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::sessions(&s.state, s.session.id, &s.staff).await
}

/// End one of one's own sessions (`session_id`), or every other one when left out.
#[server(prefix = "/api", endpoint = "auth/staff/end-sessions")]
pub async fn end_staff_sessions(
    #[server(default)] session_id: Option<uuid::Uuid>,
) -> Result<u64, AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::end_sessions(&s.state, &s.meta, s.session.id, &s.staff, session_id)
        .await
}

#[cfg(feature = "ssr")]
use super::ctx;
