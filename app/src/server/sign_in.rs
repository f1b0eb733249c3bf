//! The sign-in machinery: password, then a TOTP code or a forced enrolment, then a full
//! session. Written once for every kind of account (`Principal`).

use super::audit::{Action, Actor, Changes, Event, Target};
use super::db::accounts::{self, Credentials, Principal};
use super::db::sessions::{self, NewSession, Session, Stage};
use super::db::{audit, now};
use super::internal;
use super::request::RequestMeta;
use super::security::{passwords, recovery, throttle, tokens, totp};
use super::state::AppState;
use crate::domain::{
    AppError, Email, FieldError, RecoveryCodes, SecondFactor, SignInRefusal, SignInStep, TotpCode,
};
use chrono::{DateTime, Duration, Utc};

/// Between the password and the code.
pub const PENDING_FOR: Duration = Duration::minutes(5);
/// A full session ends after this long without use…
pub const IDLE_FOR: Duration = Duration::hours(2);
/// …and after this long in any case.
pub const AT_MOST: Duration = Duration::hours(12);

/// A step succeeded: where the sign-in stands and the token for the new cookie.
pub struct Outcome {
    pub step: SignInStep,
    pub token: String,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome")
            .field("step", &self.step)
            .field("token", &"<redacted>")
            .finish()
    }
}

pub(crate) fn actor(p: Principal, c: &Credentials) -> Actor {
    match p {
        Principal::Staff => Actor::Staff {
            id: c.id,
            email: c.email.clone(),
        },
        Principal::User => Actor::User {
            id: c.id,
            email: c.email.clone(),
        },
    }
}

pub(crate) fn target(p: Principal, c: &Credentials) -> Target {
    match p {
        Principal::Staff => Target::Staff {
            id: c.id,
            email: c.email.clone(),
        },
        Principal::User => Target::User {
            id: c.id,
            email: c.email.clone(),
        },
    }
}

fn two_factor_required(state: &AppState, p: Principal, c: &Credentials) -> bool {
    match p {
        Principal::Staff => state.settings.require_staff_2fa || c.two_factor,
        // Switched on by staff: enrolment at the next sign-in, with no way around it.
        Principal::User => c.two_factor,
    }
}

/// Refusals that apply once the password is known to be right (so they reveal nothing
/// to someone who does not know it).
pub fn gate(p: Principal, c: &Credentials) -> Option<SignInRefusal> {
    if !c.active {
        return Some(SignInRefusal::Inactive);
    }
    match p {
        Principal::Staff => None,
        // The seed's troubleshooting: "ensure Email Verified is On".
        Principal::User => (!c.email_verified).then_some(SignInRefusal::EmailNotVerified),
    }
}

/// When a full session that was last used at `seen` ends.
pub fn full_session_expiry(created: DateTime<Utc>, seen: DateTime<Utc>) -> DateTime<Utc> {
    (seen + IDLE_FOR).min(created + AT_MOST)
}

async fn refuse(
    state: &AppState,
    p: Principal,
    c: Option<&Credentials>,
    meta: &RequestMeta,
    reason: SignInRefusal,
    attempted: &str,
) -> Result<AppError, AppError> {
    let mut tx = state.db.begin().await.map_err(internal)?;
    let mut reason = reason;
    let counts = matches!(
        reason,
        SignInRefusal::BadCredentials | SignInRefusal::WrongCode
    );
    let (who, what) = match c {
        Some(c) => (actor(p, c), target(p, c)),
        None => (Actor::Anonymous, Target::System),
    };
    let mut changes = Changes::new().note("reason", reason.code());
    if c.is_none() {
        // Only what looks like an email: people sometimes type their password into the
        // email field, and that must not reach the trail.
        let shown = match Email::parse(attempted) {
            Ok(e) => e.to_string(),
            Err(_) => "[not an email]".to_string(),
        };
        changes = changes.note("attempted_email", shown);
    }
    audit::record(
        &mut tx,
        Event::new(who.clone(), Action::SignInRefused, what.clone())
            .changes(changes)
            .ip(meta.ip.to_string()),
    )
    .await
    .map_err(internal)?;
    if let (Some(c), true) = (c, counts) {
        let (_, locked) =
            accounts::record_failure(&mut tx, p, c.id, |n| throttle::lock_after_failure(n, now()))
                .await
                .map_err(internal)?;
        if let Some(until) = locked {
            audit::record(
                &mut tx,
                Event::new(who, Action::AccountLocked, what)
                    .changes(Changes::new().note("locked_until", until.to_rfc3339()))
                    .ip(meta.ip.to_string()),
            )
            .await
            .map_err(internal)?;
            // The attempt that triggers the lock already says so.
            if reason == SignInRefusal::WrongCode {
                reason = SignInRefusal::Locked;
            }
        }
    }
    tx.commit().await.map_err(internal)?;
    Ok(AppError::SignIn { reason })
}

fn check_rate(state: &AppState, meta: &RequestMeta) -> Result<(), AppError> {
    state
        .sign_in_limiter
        .check(meta.ip)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
}

async fn start_session(
    tx: &mut super::db::Tx,
    p: Principal,
    id: uuid::Uuid,
    stage: Stage,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let token = tokens::new_token();
    let t = now();
    let expires_at = match stage {
        Stage::Full => full_session_expiry(t, t),
        Stage::Code | Stage::Enrol => t + PENDING_FOR,
    };
    sessions::insert(
        tx,
        &NewSession {
            token_hash: &tokens::hash_token(&token),
            principal: p,
            account_id: id,
            stage,
            expires_at,
            ip: &meta.ip.to_string(),
            user_agent: &meta.user_agent,
        },
    )
    .await
    .map_err(internal)?;
    Ok(token)
}

/// The password step.
pub async fn password_step(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    email: &str,
    password: &str,
) -> Result<Outcome, AppError> {
    let mut missing = Vec::new();
    if email.trim().is_empty() {
        missing.push(FieldError::new("email", "Email is required."));
    }
    if password.is_empty() {
        missing.push(FieldError::new("password", "Password is required."));
    }
    if !missing.is_empty() {
        return Err(AppError::Invalid { fields: missing });
    }
    check_rate(state, meta)?;
    let creds = match Email::parse(email) {
        Ok(e) => accounts::by_email(&state.db, p, &e.normalized())
            .await
            .map_err(internal)?,
        Err(_) => None,
    };
    // Always verify, against a dummy when the account is unknown: same answer, same time.
    let ok = passwords::verify(password, creds.as_ref().map(|c| c.password_hash.as_str())).await;
    let c = match creds {
        Some(c) if ok => c,
        known => {
            // A wrong password gets the same answer whether the account exists, is locked
            // or not: saying "locked" here would tell a guesser the email is real. The lock
            // is told to whoever gives the right password (below).
            return Err(refuse(
                state,
                p,
                known.as_ref(),
                meta,
                SignInRefusal::BadCredentials,
                email,
            )
            .await?);
        }
    };
    if throttle::is_locked(c.locked_until, now()) {
        return Err(refuse(state, p, Some(&c), meta, SignInRefusal::Locked, email).await?);
    }
    if let Some(reason) = gate(p, &c) {
        return Err(refuse(state, p, Some(&c), meta, reason, email).await?);
    }

    let mut tx = state.db.begin().await.map_err(internal)?;
    let outcome = if c.totp_secret.is_some() {
        accounts::reset_failures(&mut tx, p, c.id)
            .await
            .map_err(internal)?;
        Outcome {
            step: SignInStep::NeedCode,
            token: start_session(&mut tx, p, c.id, Stage::Code, meta).await?,
        }
    } else if two_factor_required(state, p, &c) {
        let secret = totp::new_secret();
        accounts::set_pending_totp(&state.db, p, c.id, &state.key.encrypt(&secret))
            .await
            .map_err(internal)?;
        accounts::reset_failures(&mut tx, p, c.id)
            .await
            .map_err(internal)?;
        let token = start_session(&mut tx, p, c.id, Stage::Enrol, meta).await?;
        Outcome {
            step: SignInStep::NeedEnrolment(totp::enrolment(&secret, &c.email)),
            token,
        }
    } else {
        complete(&mut tx, p, &c, meta).await?
    };
    tx.commit().await.map_err(internal)?;
    Ok(outcome)
}

/// The account signed in fully: a fresh session (a new token, so a pending token never
/// becomes a full one), counters reset, the event recorded.
async fn complete(
    tx: &mut super::db::Tx,
    p: Principal,
    c: &Credentials,
    meta: &RequestMeta,
) -> Result<Outcome, AppError> {
    accounts::record_success(tx, p, c.id, &meta.ip.to_string())
        .await
        .map_err(internal)?;
    let token = start_session(tx, p, c.id, Stage::Full, meta).await?;
    audit::record(
        tx,
        Event::new(actor(p, c), Action::SignInSucceeded, target(p, c)).ip(meta.ip.to_string()),
    )
    .await
    .map_err(internal)?;
    Ok(Outcome {
        step: SignInStep::Done,
        token,
    })
}

async fn pending(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
    stage: Stage,
) -> Result<(Session, Credentials), AppError> {
    let expired = AppError::SignIn {
        reason: SignInRefusal::StepExpired,
    };
    let token = meta.cookie(cookie).ok_or(expired.clone())?;
    let s = sessions::find(&state.db, p, &tokens::hash_token(&token))
        .await
        .map_err(internal)?
        .filter(|s| s.stage == stage)
        .ok_or(expired.clone())?;
    let c = accounts::by_id(&state.db, p, s.account_id)
        .await
        .map_err(internal)?
        .ok_or(expired)?;
    Ok((s, c))
}

fn parse_code(raw: &str, enrolling: bool) -> Result<SecondFactor, AppError> {
    // Recovery codes exist only after enrolment.
    if enrolling {
        TotpCode::parse(raw).map(SecondFactor::Totp)
    } else {
        SecondFactor::parse(raw)
    }
    .map_err(|e| AppError::invalid("code", e))
}

fn unix_now() -> u64 {
    now().timestamp().max(0) as u64
}

/// The code step, for accounts that have enrolled.
pub async fn code_step(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
    code: &str,
) -> Result<Outcome, AppError> {
    second_factor(state, p, meta, cookie, code, Stage::Code).await
}

/// The enrolment step: the first code from the new secret confirms it.
pub async fn enrol_step(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
    code: &str,
) -> Result<Outcome, AppError> {
    second_factor(state, p, meta, cookie, code, Stage::Enrol).await
}

async fn second_factor(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
    code: &str,
    stage: Stage,
) -> Result<Outcome, AppError> {
    let enrolling = stage == Stage::Enrol;
    let code = parse_code(code, enrolling)?;
    check_rate(state, meta)?;
    let (session, c) = pending(state, p, meta, cookie, stage).await?;
    if throttle::is_locked(c.locked_until, now()) {
        return Err(refuse(state, p, Some(&c), meta, SignInRefusal::Locked, "").await?);
    }
    let code = match code {
        SecondFactor::Totp(code) => code,
        SecondFactor::Recovery(r) => {
            return finish_with_recovery_code(state, p, meta, &session, &c, &r).await
        }
    };
    let stored = if enrolling {
        c.totp_pending.as_deref()
    } else {
        c.totp_secret.as_deref()
    };
    let secret = stored
        .map(|s| state.key.decrypt(s))
        .transpose()
        .map_err(internal)?;
    let Some(secret) = secret else {
        return Err(AppError::SignIn {
            reason: SignInRefusal::StepExpired,
        });
    };
    finish_with_code(state, p, meta, &session, &c, &secret, &code, enrolling).await
}

#[allow(clippy::too_many_arguments)]
async fn finish_with_code(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    session: &Session,
    c: &Credentials,
    secret: &[u8],
    code: &TotpCode,
    enrolling: bool,
) -> Result<Outcome, AppError> {
    let step = match totp::verify(secret, code, unix_now(), c.totp_last_step) {
        Ok(step) => step,
        Err(totp::TotpRefusal::Wrong) => {
            return Err(refuse(state, p, Some(c), meta, SignInRefusal::WrongCode, "").await?)
        }
        Err(totp::TotpRefusal::Reused) => {
            return Err(refuse(state, p, Some(c), meta, SignInRefusal::CodeReused, "").await?)
        }
    };
    let mut tx = state.db.begin().await.map_err(internal)?;
    // The database decides the race between two requests with the same code.
    if !accounts::claim_totp_step(&mut tx, p, c.id, step)
        .await
        .map_err(internal)?
    {
        drop(tx);
        return Err(refuse(state, p, Some(c), meta, SignInRefusal::CodeReused, "").await?);
    }
    let codes = if enrolling {
        Some(confirm_enrolment(state, &mut tx, p, c, meta).await?)
    } else {
        None
    };
    sessions::delete(&mut tx, session.id)
        .await
        .map_err(internal)?;
    let mut outcome = complete(&mut tx, p, c, meta).await?;
    tx.commit().await.map_err(internal)?;
    if let Some(codes) = codes {
        outcome.step = SignInStep::Enrolled(codes);
    }
    Ok(outcome)
}

/// The pending secret becomes the enrolled one, with a fresh set of recovery codes.
pub async fn confirm_enrolment(
    state: &AppState,
    tx: &mut super::db::Tx,
    p: Principal,
    c: &Credentials,
    meta: &RequestMeta,
) -> Result<RecoveryCodes, AppError> {
    accounts::confirm_totp(tx, p, c.id)
        .await
        .map_err(internal)?;
    let codes = new_recovery_codes(state, tx, p, c.id).await?;
    audit::record(
        tx,
        Event::new(actor(p, c), Action::TotpEnrolled, target(p, c)).ip(meta.ip.to_string()),
    )
    .await
    .map_err(internal)?;
    Ok(codes)
}

/// Ten new recovery codes replace the old ones; only their hashes are kept.
pub async fn new_recovery_codes(
    state: &AppState,
    tx: &mut super::db::Tx,
    p: Principal,
    id: uuid::Uuid,
) -> Result<RecoveryCodes, AppError> {
    let codes = recovery::generate();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| recovery::hash(&state.key, c))
        .collect();
    accounts::replace_recovery_codes(tx, p, id, &hashes)
        .await
        .map_err(internal)?;
    Ok(RecoveryCodes {
        codes: codes.iter().map(|c| c.display()).collect(),
    })
}

/// A recovery code instead of the app's code: accepted once, then it is spent.
async fn finish_with_recovery_code(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    session: &Session,
    c: &Credentials,
    code: &crate::domain::RecoveryCode,
) -> Result<Outcome, AppError> {
    let mut tx = state.db.begin().await.map_err(internal)?;
    if !accounts::use_recovery_code(&mut tx, p, c.id, &recovery::hash(&state.key, code))
        .await
        .map_err(internal)?
    {
        drop(tx);
        return Err(refuse(state, p, Some(c), meta, SignInRefusal::WrongCode, "").await?);
    }
    let left = accounts::recovery_codes_left_in(&mut tx, p, c.id)
        .await
        .map_err(internal)?;
    audit::record(
        &mut tx,
        Event::new(actor(p, c), Action::RecoveryCodeUsed, target(p, c))
            .changes(Changes::new().note("codes_left", left))
            .ip(meta.ip.to_string()),
    )
    .await
    .map_err(internal)?;
    sessions::delete(&mut tx, session.id)
        .await
        .map_err(internal)?;
    let outcome = complete(&mut tx, p, c, meta).await?;
    tx.commit().await.map_err(internal)?;
    Ok(outcome)
}

/// The full session behind the cookie, kept alive while in use.
pub async fn resolve(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
) -> Result<Option<(Session, Credentials)>, AppError> {
    let Some(token) = meta.cookie(cookie) else {
        return Ok(None);
    };
    let Some(s) = sessions::find(&state.db, p, &tokens::hash_token(&token))
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    if s.stage != Stage::Full {
        return Ok(None);
    }
    let Some(c) = accounts::by_id(&state.db, p, s.account_id)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    if gate(p, &c).is_some() {
        return Ok(None);
    }
    let t = now();
    // Write at most once a minute per session, not on every request.
    if t - s.last_seen_at > Duration::minutes(1) {
        sessions::touch(&state.db, s.id, full_session_expiry(s.created_at, t))
            .await
            .map_err(internal)?;
    }
    Ok(Some((s, c)))
}

/// End the session behind the cookie, if any.
pub async fn sign_out(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    cookie: &str,
) -> Result<(), AppError> {
    let Some(token) = meta.cookie(cookie) else {
        return Ok(());
    };
    let Some(s) = sessions::find(&state.db, p, &tokens::hash_token(&token))
        .await
        .map_err(internal)?
    else {
        return Ok(());
    };
    let c = accounts::by_id(&state.db, p, s.account_id)
        .await
        .map_err(internal)?;
    let mut tx = state.db.begin().await.map_err(internal)?;
    sessions::delete(&mut tx, s.id).await.map_err(internal)?;
    if let Some(c) = c.as_ref().filter(|_| s.stage == Stage::Full) {
        audit::record(
            &mut tx,
            Event::new(actor(p, c), Action::SignedOut, target(p, c)).ip(meta.ip.to_string()),
        )
        .await
        .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_when_idle_or_old() {
        let t0 = Utc::now();
        assert_eq!(full_session_expiry(t0, t0), t0 + IDLE_FOR);
        // used continuously, it still ends at the absolute limit
        assert_eq!(
            full_session_expiry(t0, t0 + Duration::hours(11)),
            t0 + AT_MOST
        );
    }
}
