//! Users' own sign-in at `/login` and their `/account`. The same sign-in machinery as
//! staff (`server::sign_in`), with the user's cookie.

use crate::domain::account::{AccountView, SessionRow};
use crate::domain::{AppError, SignInStep};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ctx;
#[cfg(feature = "ssr")]
use crate::server::{db::accounts::Principal, request::USER_COOKIE, sign_in};

#[server(prefix = "/api", endpoint = "auth/user/sign-in")]
pub async fn user_sign_in(email: String, password: String) -> Result<SignInStep, AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::password_step(&state, Principal::User, &meta, &email, &password).await?;
    ctx::set_cookie(&state, USER_COOKIE, Some(&out.token));
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/user/code")]
pub async fn user_submit_code(code: String) -> Result<SignInStep, AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::code_step(&state, Principal::User, &meta, USER_COOKIE, &code).await?;
    ctx::set_cookie(&state, USER_COOKIE, Some(&out.token));
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/user/enrol")]
pub async fn user_confirm_enrolment(code: String) -> Result<SignInStep, AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let out = sign_in::enrol_step(&state, Principal::User, &meta, USER_COOKIE, &code).await?;
    ctx::set_cookie(&state, USER_COOKIE, Some(&out.token));
    Ok(out.step)
}

#[server(prefix = "/api", endpoint = "auth/user/sign-out")]
pub async fn user_sign_out() -> Result<(), AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    sign_in::sign_out(&state, Principal::User, &meta, USER_COOKIE).await?;
    ctx::set_cookie(&state, USER_COOKIE, None);
    Ok(())
}

/// The signed-in user, their clients and what they may do for each (through `can`).
#[server(prefix = "/api", endpoint = "account/me")]
pub async fn my_account() -> Result<AccountView, AppError> {
    use crate::domain::account::AccountClient;
    use crate::domain::clients::can;
    use crate::domain::ClientPermission;
    use crate::server::db::users;
    use crate::server::internal;
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let (_, creds) = sign_in::resolve(&state, Principal::User, &meta, USER_COOKIE)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let u = users::detail(&state.db, creds.id)
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthenticated)?;
    let clients = users::clients_of(&state.db, u.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| {
            let access = crate::domain::clients::Access {
                owner: c.owner,
                permissions: c.permissions.clone(),
            };
            let allowed = ClientPermission::ALL
                .iter()
                .copied()
                .filter(|p| can(u.status, c.status, Some(&access), *p))
                .collect();
            AccountClient {
                client_id: c.client_id,
                name: if c.company_name.is_empty() {
                    c.client_name.clone()
                } else {
                    c.company_name.clone()
                },
                status: c.status,
                access,
                allowed,
            }
        })
        .collect();
    Ok(AccountView {
        id: u.id,
        name: u.display_name(),
        email: u.email,
        language: u.language,
        clients,
    })
}

/// The signed-in user's own sessions; the one making this request is marked `current`.
#[server(prefix = "/api", endpoint = "account/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionRow>, AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let (session, creds) = sign_in::resolve(&state, Principal::User, &meta, USER_COOKIE)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let mut rows = crate::server::db::sessions::list_for_user(&state.db, creds.id)
        .await
        .map_err(crate::server::internal)?;
    for r in &mut rows {
        r.current = r.id == session.id;
    }
    Ok(rows)
}

/// End one of the user's own sessions (`session_id`), or every other one when left out.
#[server(prefix = "/api", endpoint = "account/end-sessions")]
pub async fn end_my_sessions(
    #[server(default)] session_id: Option<uuid::Uuid>,
) -> Result<u64, AppError> {
    use crate::server::audit::Actor;
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let (session, creds) = sign_in::resolve(&state, Principal::User, &meta, USER_COOKIE)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let actor = Actor::User {
        id: creds.id,
        email: creds.email.clone(),
    };
    use crate::server::users::{end_sessions, Sessions};
    let which = session_id.map_or(Sessions::AllBut(session.id), Sessions::One);
    end_sessions(&state, actor, &meta, creds.id, which).await
}

/// Change one's own password; the current one is required. Other sessions end.
#[server(prefix = "/api", endpoint = "account/change-password")]
pub async fn change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
) -> Result<(), AppError> {
    let state = ctx::state()?;
    let meta = ctx::meta()?;
    let (session, creds) = sign_in::resolve(&state, Principal::User, &meta, USER_COOKIE)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    crate::server::users::change_own_password(
        &state,
        &meta,
        creds.id,
        session.id,
        &current_password,
        &new_password,
    )
    .await
}
