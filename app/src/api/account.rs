//! Users' own sign-in at `/login` and their `/account`. The same sign-in machinery as
//! staff (`server::sign_in`), with the user's cookie.

use leptos::prelude::*;
use roster_types::account::{AccountEvent, AccountView, ProfileForm, SessionRow};
use roster_types::{AppError, Enrolment, RecoveryCodes, SignInStep};

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use roster_core::Principal;

/// The language of `/login`: the browser's preferred one among Roster's.
#[server(prefix = "/api", endpoint = "auth/user/language")]
pub async fn login_language() -> Result<roster_types::Language, AppError> {
    Ok(roster_types::Language::from_accept_language(
        &ctx::meta()?.accept_language,
    ))
}

#[server(prefix = "/api", endpoint = "auth/user/sign-in")]
pub async fn user_sign_in(email: String, password: String) -> Result<SignInStep, AppError> {
    let step = roster_core::sign_in::StepInput::Password {
        email: &email,
        password: &password,
    };
    ctx::sign_in_step(Principal::User, step).await
}

#[server(prefix = "/api", endpoint = "auth/user/code")]
pub async fn user_submit_code(code: String) -> Result<SignInStep, AppError> {
    ctx::sign_in_step(
        Principal::User,
        roster_core::sign_in::StepInput::Code(&code),
    )
    .await
}

#[server(prefix = "/api", endpoint = "auth/user/enrol")]
pub async fn user_confirm_enrolment(code: String) -> Result<SignInStep, AppError> {
    ctx::sign_in_step(
        Principal::User,
        roster_core::sign_in::StepInput::Enrol(&code),
    )
    .await
}

#[server(prefix = "/api", endpoint = "auth/user/sign-out")]
pub async fn user_sign_out() -> Result<(), AppError> {
    ctx::sign_out(Principal::User).await
}

/// The signed-in user, their clients and what they may do for each (through `can`).
#[server(prefix = "/api", endpoint = "account/me")]
pub async fn my_account() -> Result<AccountView, AppError> {
    roster_core::account::view(me().await?.signed()).await
}

/// The signed-in user behind the cookie, or 401.
#[cfg(feature = "ssr")]
async fn me() -> Result<ctx::SignedIn, AppError> {
    ctx::signed_in(Principal::User).await
}

/// Name, phone and language (the email is the sign-in; staff change it).
#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn update_my_profile(profile: ProfileForm) -> Result<(), AppError> {
    roster_core::account::update_profile(me().await?.signed(), &profile).await
}

/// Start enrolling in 2FA: a new secret to scan, confirmed by `confirm_my_two_factor`.
#[server(prefix = "/api", endpoint = "account/two-factor/start")]
pub async fn start_my_two_factor() -> Result<Enrolment, AppError> {
    roster_core::account::start_enrolment(me().await?.signed()).await
}

/// The first code from the new secret turns 2FA on; answers with the recovery codes.
#[server(prefix = "/api", endpoint = "account/two-factor/confirm")]
pub async fn confirm_my_two_factor(
    #[server(default)] code: String,
) -> Result<RecoveryCodes, AppError> {
    roster_core::account::confirm_enrolment(me().await?.signed(), &code).await
}

/// Turn off 2FA the user turned on (the current password confirms it).
#[server(prefix = "/api", endpoint = "account/two-factor/disable")]
pub async fn disable_my_two_factor(
    #[server(default)] current_password: String,
) -> Result<(), AppError> {
    roster_core::account::disable_two_factor(me().await?.signed(), &current_password).await
}

/// Ten new recovery codes; the old ones stop working.
#[server(prefix = "/api", endpoint = "account/recovery-codes")]
pub async fn new_recovery_codes(
    #[server(default)] current_password: String,
) -> Result<RecoveryCodes, AppError> {
    roster_core::account::regenerate_recovery_codes(me().await?.signed(), &current_password).await
}

/// The signed-in user's own sessions; the one making this request is marked `current`.
#[server(prefix = "/api", endpoint = "account/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionRow>, AppError> {
    roster_core::account::sessions(me().await?.signed()).await
}

/// End one of the user's own sessions (`session_id`), or every other one when left out.
#[server(prefix = "/api", endpoint = "account/end-sessions")]
pub async fn end_my_sessions(
    #[server(default)] session_id: Option<uuid::Uuid>,
) -> Result<u64, AppError> {
    use roster_core::users::{end_sessions, Sessions};
    let me = me().await?;
    let me = me.signed();
    me.in_person()?;
    let which = session_id.map_or(Sessions::AllBut(me.session), Sessions::One);
    end_sessions(me.acting(), me.account.id, which).await
}

/// The user's recent activity: sign-ins, changes to their account, support's visits.
#[server(prefix = "/api", endpoint = "account/activity")]
pub async fn my_activity() -> Result<Vec<AccountEvent>, AppError> {
    roster_core::account::activity(me().await?.signed()).await
}

/// Change one's own password; the current one is required. Other sessions end.
#[server(prefix = "/api", endpoint = "account/change-password")]
pub async fn change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let me = me().await?;
    roster_core::account::change_own_password(me.signed(), &current_password, &new_password).await
}

/// Forgot password: a reset link by mail. The same answer whether or not the email has an
/// account (see `roster_core::password_reset`).
#[server(prefix = "/api", endpoint = "auth/user/forgot-password")]
pub async fn user_forgot_password(#[server(default)] email: String) -> Result<(), AppError> {
    let (state, meta) = (ctx::state()?, ctx::meta()?);
    roster_core::password_reset::request(&state, &meta, Principal::User, &email).await
}

/// A new password from the link; every session ends.
#[server(prefix = "/api", endpoint = "auth/user/reset-password")]
pub async fn user_reset_password(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let (state, meta) = (ctx::state()?, ctx::meta()?);
    roster_core::password_reset::reset(&state, &meta, Principal::User, &token, &new_password).await
}
