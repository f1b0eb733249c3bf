//! The sign-in machinery: password, then a TOTP code or a forced enrolment, then a full
//! session. Written once for every kind of account (`Principal`).

use super::request::{
    device_cookie, session_cookie, session_cookie_of, RequestMeta, DEVICES_PER_BROWSER,
};
use super::security::{passwords, recovery, throttle, tokens, totp};
use super::state::AppState;
use crate::audit::{self, actor, target};
use crate::impersonation;
use chrono::{DateTime, Duration, Utc};
use roster_data::accounts::{self, Credentials, Principal};
use roster_data::attempts::{self, Pool, Slot};
pub use roster_data::sessions::Stage;
use roster_data::sessions::{self, NewSession, Session, SignedIn};
use roster_data::{devices, now};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::msg;
use roster_types::{
    AppError, Email, FieldError, LockReason, RecoveryCodes, SecondFactor, SignInRefusal,
    SignInStep, StaffPermission, TotpCode,
};

/// Between the password and the code.
pub const PENDING_FOR: Duration = Duration::minutes(5);
/// A full session ends after this long without use…
pub const IDLE_FOR: Duration = Duration::hours(2);
/// …and after this long in any case.
pub const AT_MOST: Duration = Duration::hours(12);
/// A browser stays known for an account this long after its last sign-in.
pub const DEVICE_KEPT_FOR: Duration = Duration::days(400);

/// A step succeeded: where the sign-in stands, the token for the new cookie and, when
/// the browser became known for this account, the new value of its device cookie.
pub struct Outcome {
    pub step: SignInStep,
    pub token: String,
    pub device_cookie: Option<String>,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome")
            .field("step", &self.step)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Outcome {
    /// The `Set-Cookie` values the step earned: the session (pending or full), and the
    /// known-browser cookie when this browser just became known for the account.
    pub fn cookies(&self, state: &AppState, p: Principal) -> Vec<String> {
        let secure = state.settings.secure_cookies;
        let session = AT_MOST.num_seconds();
        let mut all = vec![session_cookie(
            session_cookie_of(p),
            Some(&self.token),
            session,
            secure,
        )];
        if let Some(device) = &self.device_cookie {
            let kept_for = DEVICE_KEPT_FOR.num_seconds();
            all.push(session_cookie(
                device_cookie(p),
                Some(device),
                kept_for,
                secure,
            ));
        }
        all
    }
}

/// One step of signing in, as the API and the sign-in page's form both take it.
pub enum StepInput<'a> {
    Password {
        email: &'a str,
        password: &'a str,
    },
    /// A code, or a recovery code, for an enrolled account.
    Code(&'a str),
    /// The first code of an enrolment.
    Enrol(&'a str),
}

/// Take one step of signing in as `p`.
pub async fn step(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    input: StepInput<'_>,
) -> Result<Outcome, AppError> {
    match input {
        StepInput::Password { email, password } => {
            password_step(state, p, meta, email, password).await
        }
        StepInput::Code(code) => second_factor(state, p, meta, Stage::Code, code).await,
        StepInput::Enrol(code) => second_factor(state, p, meta, Stage::Enrol, code).await,
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
        // A user signs in only with Email Verified on (staff set it in Edit).
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
    let mut tx = state.db.begin().await?;
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
    let event = Event::new(who, Action::SignInRefused, what).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    Ok(AppError::SignIn { reason })
}

/// The pool this browser's attempts for the account count in: its own when it has
/// completed a sign-in for the account before, the account's pool for strangers if not.
pub async fn pool_for(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    account: uuid::Uuid,
) -> Result<Pool, AppError> {
    let hashes: Vec<String> = meta
        .device_tokens(p)
        .iter()
        .map(|t| tokens::hash_token(t))
        .collect();
    Ok(if hashes.is_empty() {
        Pool::Untrusted(p, account)
    } else {
        devices::find(&state.db, p, account, &hashes)
            .await?
            .map_or(Pool::Untrusted(p, account), Pool::Device)
    })
}

/// One guess, counted as a failure from before it is checked until it is settled.
#[derive(Clone, Copy, Debug)]
pub struct Attempt {
    pool: Pool,
    slot: Slot,
}

/// A slot for one guess, or `None` when the pool is locked (or its last slots are taken
/// by guesses in flight).
pub async fn take_slot(state: &AppState, pool: Pool) -> Result<Option<Attempt>, AppError> {
    let forget = now() - throttle::FORGET_AFTER;
    Ok(
        attempts::reserve(&state.db, pool, throttle::MAX_FAILURES, forget)
            .await?
            .map(|slot| Attempt { pool, slot }),
    )
}

/// The guess was right: its slot is given back.
pub async fn attempt_passed(state: &AppState, a: Attempt) -> Result<(), AppError> {
    attempts::refund(&state.db, a.pool).await?;
    Ok(())
}

/// The guess was wrong: it stays counted, and when the pool is full it locks, for longer
/// after each lock, with a `sign_in.locked` event. True when this guess locked it.
pub async fn attempt_failed(
    state: &AppState,
    p: Principal,
    c: &Credentials,
    meta: &RequestMeta,
    a: Attempt,
    why: LockReason,
) -> Result<bool, AppError> {
    let until = now() + attempts::lock_duration(a.slot.lock_count);
    if !attempts::lock(
        &state.db,
        a.pool,
        a.slot,
        throttle::MAX_FAILURES,
        until,
        why.code(),
    )
    .await?
    {
        return Ok(false);
    }
    let browsers = match a.pool {
        Pool::Untrusted(..) => "every browser not known to the account",
        Pool::Device(_) => "one known browser",
    };
    let mut tx = state.db.begin().await?;
    let event = audit::own(p, c, Action::AccountLocked).changes(
        Changes::new()
            .note("reason", why.code())
            .note("locked_until", until.to_rfc3339())
            .note("locks", a.slot.lock_count + 1)
            .note("applies_to", browsers),
    );
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    tracing::warn!(account = %c.id, reason = why.code(), until = %until, "sign-in locked");
    Ok(true)
}

pub(crate) async fn check_rate(state: &AppState, meta: &RequestMeta) -> Result<(), AppError> {
    state
        .sign_in_limiter
        .check(meta.ip)
        .await
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
}

async fn start_session(
    tx: &mut roster_data::Tx,
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
    .await?;
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
        missing.push(FieldError::new("email", msg!("Email is required.")));
    }
    if password.is_empty() {
        missing.push(FieldError::new("password", msg!("Password is required.")));
    }
    if !missing.is_empty() {
        return Err(AppError::Invalid { fields: missing });
    }
    check_rate(state, meta).await?;
    let creds = match Email::parse(email) {
        Ok(e) => accounts::by_email(&state.db, p, &e.normalized()).await?,
        Err(_) => None,
    };
    let pool = match &creds {
        Some(c) => Some(pool_for(state, p, meta, c.id).await?),
        None => None,
    };
    // The guess takes its slot before it is checked; a locked pool gives none.
    let attempt = match pool {
        Some(pool) => take_slot(state, pool).await?,
        None => None,
    };
    // Always verify, against a dummy when the account is unknown: same answer, same time.
    let ok = passwords::verify(password, creds.as_ref().map(|c| c.password_hash.as_str())).await?;
    let c = match creds {
        Some(c) if ok => c,
        known => {
            if let (Some(c), Some(a)) = (known.as_ref(), attempt) {
                attempt_failed(state, p, c, meta, a, LockReason::Password).await?;
            }
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
    let Some(attempt) = attempt else {
        return Err(refuse(state, p, Some(&c), meta, SignInRefusal::Locked, email).await?);
    };
    attempt_passed(state, attempt).await?;
    if let Some(reason) = gate(p, &c) {
        return Err(refuse(state, p, Some(&c), meta, reason, email).await?);
    }

    // A right password does not forget wrong codes: the code step counts in the same pool.
    if c.totp_secret.is_some() {
        let mut tx = state.db.begin().await?;
        let token = start_session(&mut tx, p, c.id, Stage::Code, meta).await?;
        tx.commit().await?;
        Ok(Outcome {
            step: SignInStep::NeedCode,
            token,
            device_cookie: None,
        })
    } else if two_factor_required(state, p, &c) {
        let secret = totp::new_secret();
        accounts::set_pending_totp(&state.db, p, c.id, &state.key.encrypt(&secret)).await?;
        let mut tx = state.db.begin().await?;
        let token = start_session(&mut tx, p, c.id, Stage::Enrol, meta).await?;
        tx.commit().await?;
        Ok(Outcome {
            step: SignInStep::NeedEnrolment(totp::enrolment(&secret, &c.email)),
            token,
            device_cookie: None,
        })
    } else {
        let mut tx = state.db.begin().await?;
        let outcome = complete(&mut tx, state, (p, &c), meta, attempt.pool).await?;
        tx.commit().await?;
        crate::mail::wake(state);
        attempts::clear(&state.db, attempt.pool).await?;
        Ok(outcome)
    }
}

/// The account signed in fully: a fresh session (a new token, so a pending token never
/// becomes a full one), the browser known from now on, the event recorded. The caller
/// clears the pool's failures once the transaction is committed.
async fn complete(
    tx: &mut roster_data::Tx,
    state: &AppState,
    (p, c): (Principal, &Credentials),
    meta: &RequestMeta,
    pool: Pool,
) -> Result<Outcome, AppError> {
    // A browser the account has not used: a notice, unless this is its first sign-in
    // ever (then every browser is new, and the account was just made).
    if matches!(pool, Pool::Untrusted(..)) && accounts::signed_in_before(tx, p, c.id).await? {
        crate::mail::notify_new_browser(tx, state, meta, p, c).await?;
    }
    accounts::record_success(tx, p, c.id, &meta.ip.to_string()).await?;
    let device_cookie = match pool {
        Pool::Device(id) => {
            devices::touch(tx, id).await?;
            None
        }
        Pool::Untrusted(..) => {
            let token = tokens::new_token();
            devices::insert(tx, p, c.id, &tokens::hash_token(&token)).await?;
            // The newest first; a browser shared by several accounts keeps a few.
            let mut all = vec![token];
            all.extend(
                meta.device_tokens(p)
                    .into_iter()
                    .take(DEVICES_PER_BROWSER - 1),
            );
            Some(all.join("."))
        }
    };
    let token = start_session(tx, p, c.id, Stage::Full, meta).await?;
    audit::record(tx, meta, audit::own(p, c, Action::SignInSucceeded)).await?;
    Ok(Outcome {
        step: SignInStep::Done,
        token,
        device_cookie,
    })
}

async fn pending(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    stage: Stage,
) -> Result<(Session, Credentials), AppError> {
    let expired = AppError::SignIn {
        reason: SignInRefusal::StepExpired,
    };
    let token = meta.cookie(session_cookie_of(p)).ok_or(expired.clone())?;
    let s = sessions::find(&state.db, p, &tokens::hash_token(&token))
        .await?
        .filter(|s| s.stage == stage)
        .ok_or(expired.clone())?;
    let c = accounts::by_id(&state.db, p, s.account_id)
        .await?
        .ok_or(expired)?;
    Ok((s, c))
}

/// The enrolment a pending sign-in shows again after a refused first code: the same QR
/// code and key, from the secret kept for it.
pub async fn pending_enrolment(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
) -> Result<roster_types::Enrolment, AppError> {
    let (_, c) = pending(state, p, meta, Stage::Enrol).await?;
    let secret = c.totp_pending.as_deref().map(|s| state.key.decrypt(s));
    match secret.transpose()? {
        Some(secret) => Ok(totp::enrolment(&secret, &c.email)),
        None => Err(AppError::SignIn {
            reason: SignInRefusal::StepExpired,
        }),
    }
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

/// The step after the password, for the session behind the cookie: `Stage::Code` for
/// accounts that have enrolled (a code or a recovery code), `Stage::Enrol` for the first
/// code from a new secret, which confirms it.
pub async fn second_factor(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    stage: Stage,
    code: &str,
) -> Result<Outcome, AppError> {
    let enrolling = stage == Stage::Enrol;
    let code = parse_code(code, enrolling)?;
    check_rate(state, meta).await?;
    let (session, c) = pending(state, p, meta, stage).await?;
    // Codes count in the same pool as passwords, whatever the password step did.
    let pool = pool_for(state, p, meta, c.id).await?;
    let Some(attempt) = take_slot(state, pool).await? else {
        return Err(refuse(state, p, Some(&c), meta, SignInRefusal::Locked, "").await?);
    };
    let code = match code {
        SecondFactor::Totp(code) => code,
        SecondFactor::Recovery(r) => {
            return finish_with_recovery_code(state, p, meta, &session, &c, &r, attempt).await
        }
    };
    let stored = if enrolling {
        c.totp_pending.as_deref()
    } else {
        c.totp_secret.as_deref()
    };
    let secret = stored.map(|s| state.key.decrypt(s)).transpose()?;
    let Some(secret) = secret else {
        attempt_passed(state, attempt).await?;
        return Err(AppError::SignIn {
            reason: SignInRefusal::StepExpired,
        });
    };
    finish_with_code(
        state, p, meta, &session, &c, &secret, &code, enrolling, attempt,
    )
    .await
}

/// A wrong code: counted, and answered `locked` when it is the one that locked the pool.
async fn wrong_code(
    state: &AppState,
    p: Principal,
    c: &Credentials,
    meta: &RequestMeta,
    attempt: Attempt,
) -> Result<AppError, AppError> {
    let reason = if attempt_failed(state, p, c, meta, attempt, LockReason::Code).await? {
        SignInRefusal::Locked
    } else {
        SignInRefusal::WrongCode
    };
    refuse(state, p, Some(c), meta, reason, "").await
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
    attempt: Attempt,
) -> Result<Outcome, AppError> {
    let step = match totp::verify(secret, code, unix_now(), c.totp_last_step) {
        Ok(step) => step,
        Err(totp::TotpRefusal::Wrong) => {
            return Err(wrong_code(state, p, c, meta, attempt).await?);
        }
        Err(totp::TotpRefusal::Reused) => {
            // The right code, once too often: a slip, not a guess.
            attempt_passed(state, attempt).await?;
            return Err(refuse(state, p, Some(c), meta, SignInRefusal::CodeReused, "").await?);
        }
    };
    let mut tx = state.db.begin().await?;
    // The database decides the race between two requests with the same code.
    if !accounts::claim_totp_step(&mut tx, p, c.id, step).await? {
        drop(tx);
        attempt_passed(state, attempt).await?;
        return Err(refuse(state, p, Some(c), meta, SignInRefusal::CodeReused, "").await?);
    }
    let codes = if enrolling {
        Some(confirm_enrolment(state, &mut tx, p, c, meta).await?)
    } else {
        None
    };
    sessions::delete(&mut tx, session.id).await?;
    let mut outcome = complete(&mut tx, state, (p, c), meta, attempt.pool).await?;
    tx.commit().await?;
    crate::mail::wake(state);
    attempts::clear(&state.db, attempt.pool).await?;
    if let Some(codes) = codes {
        outcome.step = SignInStep::Enrolled(codes);
    }
    Ok(outcome)
}

/// The pending secret becomes the enrolled one, with a fresh set of recovery codes.
pub async fn confirm_enrolment(
    state: &AppState,
    tx: &mut roster_data::Tx,
    p: Principal,
    c: &Credentials,
    meta: &RequestMeta,
) -> Result<RecoveryCodes, AppError> {
    accounts::confirm_totp(tx, p, c.id).await?;
    let codes = new_recovery_codes(state, tx, p, c.id).await?;
    audit::record(tx, meta, audit::own(p, c, Action::TotpEnrolled)).await?;
    Ok(codes)
}

/// Ten new recovery codes replace the old ones; only their hashes are kept.
pub async fn new_recovery_codes(
    state: &AppState,
    tx: &mut roster_data::Tx,
    p: Principal,
    id: uuid::Uuid,
) -> Result<RecoveryCodes, AppError> {
    let codes = recovery::generate();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| recovery::hash(&state.pepper, c))
        .collect();
    accounts::replace_recovery_codes(tx, p, id, &hashes).await?;
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
    code: &roster_types::RecoveryCode,
    attempt: Attempt,
) -> Result<Outcome, AppError> {
    let mut tx = state.db.begin().await?;
    if !accounts::use_recovery_code(&mut tx, p, c.id, &recovery::hash(&state.pepper, code)).await? {
        drop(tx);
        return Err(wrong_code(state, p, c, meta, attempt).await?);
    }
    let left = accounts::recovery_codes_left(&mut tx, p, c.id).await?;
    let event =
        audit::own(p, c, Action::RecoveryCodeUsed).changes(Changes::new().note("codes_left", left));
    audit::record(&mut tx, meta, event).await?;
    sessions::delete(&mut tx, session.id).await?;
    let outcome = complete(&mut tx, state, (p, c), meta, attempt.pool).await?;
    tx.commit().await?;
    crate::mail::wake(state);
    attempts::clear(&state.db, attempt.pool).await?;
    Ok(outcome)
}

/// The full session behind the cookie, kept alive while in use.
pub async fn resolve(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
) -> Result<Option<(Session, Credentials)>, AppError> {
    Ok(resolve_signed_in(state, p, meta)
        .await?
        .map(|s| (s.session, s.account)))
}

/// `resolve`, with the staff member's permissions read in the same query.
pub async fn resolve_signed_in(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
) -> Result<Option<SignedIn>, AppError> {
    let Some(page) = &meta.page else {
        return resolve_now(state, p, meta).await;
    };
    let (asked, found) = page
        .signed_in
        .get_or_try_init(|| async { Ok::<_, AppError>((p, resolve_now(state, p, meta).await?)) })
        .await?;
    if *asked == p {
        Ok(found.clone())
    } else {
        resolve_now(state, p, meta).await
    }
}

async fn resolve_now(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
) -> Result<Option<SignedIn>, AppError> {
    let Some(token) = meta.cookie(session_cookie_of(p)) else {
        return Ok(None);
    };
    let Some(found) = sessions::signed_in(&state.db, p, &tokens::hash_token(&token)).await? else {
        return Ok(None);
    };
    if found.session.stage != Stage::Full {
        return Ok(None);
    }
    // Staff signed in as a user look at an INACTIVE or unverified account too (that is
    // what support needs), but only while their own session and permission last.
    let good = match &found.impersonator {
        None => gate(p, &found.account).is_none(),
        Some(i) => i.live && i.permissions.contains(&StaffPermission::UsersImpersonate),
    };
    if !good {
        return Ok(None);
    }
    let (s, t) = (&found.session, now());
    // Write at most once a minute per session, not on every request. Staff signed in as
    // a user keep their fixed end.
    if t - s.last_seen_at > Duration::minutes(1) {
        let expires = match found.impersonator {
            None => full_session_expiry(s.created_at, t),
            Some(_) => s.expires_at,
        };
        sessions::touch(&state.db, s.id, expires).await?;
    }
    Ok(Some(found))
}

/// A signed-in session confirms a change (`purpose`) with the current password. Counted in
/// the same pool as sign-ins from this browser, so a stolen session cookie cannot guess
/// without end: every failure is audited, and the failure that locks the pool also ends
/// the session.
#[allow(clippy::too_many_arguments)]
pub async fn recheck_password(
    state: &AppState,
    p: Principal,
    meta: &RequestMeta,
    session: uuid::Uuid,
    c: &Credentials,
    password: &str,
    purpose: &str,
) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::invalid(
            "current_password",
            msg!("Password is required."),
        ));
    }
    let pool = pool_for(state, p, meta, c.id).await?;
    let attempt = take_slot(state, pool).await?;
    let ok = match attempt {
        Some(_) => passwords::verify(password, Some(&c.password_hash)).await?,
        None => false,
    };
    if let (Some(a), true) = (attempt, ok) {
        attempt_passed(state, a).await?;
        return Ok(());
    }
    let locked = match attempt {
        Some(a) => attempt_failed(state, p, c, meta, a, LockReason::Recheck).await?,
        None => true,
    };
    let mut tx = state.db.begin().await?;
    let event = audit::own(p, c, Action::RecheckFailed).changes(
        Changes::new()
            .note("purpose", purpose)
            .note("session_ended", locked),
    );
    audit::record(&mut tx, meta, event).await?;
    if locked {
        sessions::delete(&mut tx, session).await?;
    }
    tx.commit().await?;
    if locked {
        return Err(AppError::SignIn {
            reason: SignInRefusal::Locked,
        });
    }
    Err(not_current_password())
}

/// The refusal of a current password that is not (or, after a change that came first, no
/// longer) the account's.
pub fn not_current_password() -> AppError {
    AppError::invalid(
        "current_password",
        msg!("That is not your current password."),
    )
}

/// End the session behind the cookie, if any.
pub async fn sign_out(state: &AppState, p: Principal, meta: &RequestMeta) -> Result<(), AppError> {
    let Some(token) = meta.cookie(session_cookie_of(p)) else {
        return Ok(());
    };
    let Some(s) = sessions::find(&state.db, p, &tokens::hash_token(&token)).await? else {
        return Ok(());
    };
    // Staff signed in as a user sign out of that, as its end; staff signing out of the
    // admin pages end what they opened from them first, each with its event.
    if s.impersonator_session.is_some() {
        let (which, why) = (sessions::Ending::One(s.id), impersonation::Ended::ByStaff);
        impersonation::end(state, Some(meta), which, why).await?;
        return Ok(());
    }
    let c = accounts::by_id(&state.db, p, s.account_id).await?;
    let mut tx = state.db.begin().await?;
    if p == Principal::Staff {
        let which = sessions::Ending::From(s.id);
        let why = impersonation::Ended::StaffSignedOut;
        impersonation::end_in(&mut tx, Some(meta), which, why).await?;
    }
    sessions::delete(&mut tx, s.id).await?;
    if let Some(c) = c.as_ref().filter(|_| s.stage == Stage::Full) {
        audit::record(&mut tx, meta, audit::own(p, c, Action::SignedOut)).await?;
    }
    tx.commit().await?;
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
