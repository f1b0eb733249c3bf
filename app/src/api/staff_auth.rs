//! Staff sign-in, sign-out and "who am I".

use leptos::prelude::*;
use roster_types::account::SessionRow;
use roster_types::{AppError, SignInStep, StaffMe};

#[cfg(feature = "ssr")]
use {super::ctx, roster_core::Principal};

#[server(prefix = "/api", endpoint = "auth/staff/sign-in")]
pub async fn staff_sign_in(email: String, password: String) -> Result<SignInStep, AppError> {
    let step = roster_core::sign_in::StepInput::Password {
        email: &email,
        password: &password,
    };
    ctx::sign_in_step(Principal::Staff, step).await
}

#[server(prefix = "/api", endpoint = "auth/staff/code")]
pub async fn staff_submit_code(code: String) -> Result<SignInStep, AppError> {
    ctx::sign_in_step(
        Principal::Staff,
        roster_core::sign_in::StepInput::Code(&code),
    )
    .await
}

#[server(prefix = "/api", endpoint = "auth/staff/enrol")]
pub async fn staff_confirm_enrolment(code: String) -> Result<SignInStep, AppError> {
    ctx::sign_in_step(
        Principal::Staff,
        roster_core::sign_in::StepInput::Enrol(&code),
    )
    .await
}

#[server(prefix = "/api", endpoint = "auth/staff/sign-out")]
pub async fn staff_sign_out() -> Result<(), AppError> {
    ctx::sign_out(Principal::Staff).await
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
    roster_core::staff_account::set_language(s.signed(), &language).await
}

/// Change one's own password; the current one is required. Other sessions end.
#[server(prefix = "/api", endpoint = "auth/staff/change-password")]
pub async fn staff_change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::change_password(s.signed(), &current_password, &new_password).await
}

/// The signed-in staff member's own sessions; this one is marked `current`.
#[server(prefix = "/api", endpoint = "auth/staff/sessions")]
pub async fn staff_sessions() -> Result<Vec<SessionRow>, AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::sessions(s.signed()).await
}

/// End one of one's own sessions (`session_id`), or every other one when left out.
#[server(prefix = "/api", endpoint = "auth/staff/end-sessions")]
pub async fn end_staff_sessions(
    #[server(default)] session_id: Option<uuid::Uuid>,
) -> Result<u64, AppError> {
    let s = ctx::staff_with(None).await?;
    roster_core::staff_account::end_sessions(s.signed(), session_id).await
}

/// Forgot password, for staff: the same flow as users' (`roster_core::password_reset`).
#[server(prefix = "/api", endpoint = "auth/staff/forgot-password")]
pub async fn staff_forgot_password(#[server(default)] email: String) -> Result<(), AppError> {
    let (state, meta) = (ctx::state()?, ctx::meta()?);
    roster_core::password_reset::request(&state, &meta, Principal::Staff, &email).await
}

#[server(prefix = "/api", endpoint = "auth/staff/reset-password")]
pub async fn staff_reset_password(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let (state, meta) = (ctx::state()?, ctx::meta()?);
    roster_core::password_reset::reset(&state, &meta, Principal::Staff, &token, &new_password).await
}
