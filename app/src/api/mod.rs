//! Server functions, one file per feature. Each one: authorise → validate → call a
//! service → map the error. Every endpoint is listed in docs/api.md.

pub mod account;
pub mod audit;
pub mod clients;
pub mod i18n;
pub mod mail;
pub mod setup;
pub mod staff;
pub mod staff_auth;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    //! What server functions take from the request.
    use leptos::prelude::*;
    use roster_core::request::{session_cookie, session_cookie_of, RequestMeta};
    use roster_core::sign_in;
    use roster_core::state::AppState;
    use roster_core::Principal;
    use roster_core::{Credentials, Session};
    use roster_types::{AppError, StaffPermission};

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>()
            .ok_or_else(|| AppError::internal("AppState missing from the request context"))
    }

    pub fn meta() -> Result<RequestMeta, AppError> {
        use_context::<axum::http::request::Parts>()
            .map(|p| RequestMeta::from_parts(&p))
            .ok_or_else(|| AppError::internal("request parts missing from the context"))
    }

    pub fn set_cookie(state: &AppState, name: &str, token: Option<&str>) {
        set_cookie_for(state, name, token, sign_in::AT_MOST.num_seconds())
    }

    pub fn set_cookie_for(state: &AppState, name: &str, token: Option<&str>, max_age: i64) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie = session_cookie(name, token, max_age, state.settings.secure_cookies);
            if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                res.append_header(axum::http::header::SET_COOKIE, v);
            }
        }
    }

    /// One step of signing in as `p` (the password, a code, the first code of an
    /// enrolment), then the cookies it earns.
    pub async fn sign_in_step(
        p: Principal,
        input: sign_in::StepInput<'_>,
    ) -> Result<roster_types::SignInStep, AppError> {
        let (state, meta) = (state()?, meta()?);
        let out = sign_in::step(&state, p, &meta, input).await?;
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            for cookie in out.cookies(&state, p) {
                if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                    res.append_header(axum::http::header::SET_COOKIE, v);
                }
            }
        }
        Ok(out.step)
    }

    /// End the session behind `p`'s cookie and clear the cookie.
    pub async fn sign_out(p: Principal) -> Result<(), AppError> {
        let (state, meta) = (state()?, meta()?);
        sign_in::sign_out(&state, p, &meta).await?;
        set_cookie(&state, session_cookie_of(p), None);
        Ok(())
    }

    /// A signed-in staff member and what they may do.
    #[allow(dead_code)]
    pub struct StaffCtx {
        pub state: AppState,
        pub meta: RequestMeta,
        pub session: Session,
        pub staff: Credentials,
        pub permissions: Vec<StaffPermission>,
    }

    /// A signed-in account of either kind, for what it changes of its own.
    pub struct SignedIn {
        pub state: AppState,
        pub meta: RequestMeta,
        pub principal: Principal,
        pub session: Session,
        pub account: Credentials,
        /// Staff signed in as this user (support).
        pub impersonator: Option<roster_core::Impersonator>,
    }

    impl SignedIn {
        pub fn signed(&self) -> roster_core::Signed<'_> {
            roster_core::Signed {
                state: &self.state,
                meta: &self.meta,
                principal: self.principal,
                session: self.session.id,
                account: &self.account,
                impersonator: self.impersonator.as_ref(),
            }
        }
    }

    /// The session behind `p`'s cookie, or 401.
    pub async fn signed_in(p: Principal) -> Result<SignedIn, AppError> {
        let (state, meta) = (state()?, meta()?);
        let found = sign_in::resolve_signed_in(&state, p, &meta)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(SignedIn {
            state,
            meta,
            principal: p,
            session: found.session,
            account: found.account,
            impersonator: found.impersonator,
        })
    }

    impl StaffCtx {
        /// This staff member changing something of their own.
        pub fn signed(&self) -> roster_core::Signed<'_> {
            roster_core::Signed {
                state: &self.state,
                meta: &self.meta,
                principal: Principal::Staff,
                session: self.session.id,
                account: &self.staff,
                impersonator: None,
            }
        }

        /// 403 unless this staff member holds `p` (when what is needed depends on the
        /// arguments, read after them).
        pub fn require(&self, p: StaffPermission) -> Result<(), AppError> {
            roster_core::staff::require(&self.permissions, p)
        }

        /// This staff member making a change, as the services and the trail take it.
        pub fn acting(&self) -> roster_core::Acting<'_> {
            roster_core::Acting {
                state: &self.state,
                actor: roster_core::audit::actor(roster_core::Principal::Staff, &self.staff),
                meta: &self.meta,
            }
        }
    }

    /// The signed-in staff member (401 without a session), holding `need` (403 without).
    pub async fn staff_with(need: Option<StaffPermission>) -> Result<StaffCtx, AppError> {
        let state = state()?;
        let meta = meta()?;
        let (session, staff, permissions) =
            roster_core::staff::authorize(&state, &meta, need).await?;
        Ok(StaffCtx {
            state,
            meta,
            session,
            staff,
            permissions,
        })
    }
}
