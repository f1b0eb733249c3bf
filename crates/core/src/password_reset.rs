//! Forgot password: a link by mail, then a new password from it. Asking gives the same
//! answer, at once, whether or not the email has an account (the work is done after the
//! answer); a link is single-use, valid for an hour, stored only as a hash, and void once
//! another is used or the account's email changes. A reset ends every session; 2FA stays
//! as it was, so it is still asked for at the next sign-in.

use crate::mail::{self, templates};
use crate::request::RequestMeta;
use crate::security::{passwords, tokens};
use crate::state::AppState;
use crate::{audit, sign_in, Acting};
use chrono::Duration;
use roster_data::accounts::{self, Credentials, Principal};
use roster_data::mail_tokens::{self, NewToken, Purpose};
use roster_data::{sessions, staff, users};
use roster_types::event::{Action, Actor, Changes};
use roster_types::msg;
use roster_types::{AppError, Email, FieldError, Language, Password};
use uuid::Uuid;

/// How long a reset link works.
pub fn link_valid_for() -> Duration {
    Duration::hours(1)
}

/// Links one account is sent per hour, whoever asks: more requests are answered the same
/// and send nothing (a mailbox is not flooded through Roster).
pub const LINKS_PER_HOUR: i64 = 3;

/// The page a reset link opens, for each kind of account.
pub fn reset_path(p: Principal) -> &'static str {
    match p {
        Principal::Staff => roster_types::links::STAFF_RESET,
        Principal::User => roster_types::links::USER_RESET,
    }
}

/// "Send me a link": checks the address limit and the email's form, then answers; the
/// lookup and the mail happen after the answer, so its time says nothing about the email.
pub async fn request(
    state: &AppState,
    meta: &RequestMeta,
    p: Principal,
    email: &str,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|e| AppError::invalid("email", e))?;
    sign_in::check_rate(state, meta).await?;
    // A bounded number at once: a flood waits its turn here, or is told to come back.
    let permit = state
        .mail
        .link_requests
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::Busy {
            retry_after_secs: 1,
        })?;
    let (state, ip) = (state.clone(), meta.ip.to_string());
    tokio::spawn(async move {
        let _permit = permit;
        if let Err(e) = send_link(&state, &ip, p, &email).await {
            tracing::warn!(error = %e, "password reset: the link could not be queued");
        }
    });
    Ok(())
}

/// The account's link and its mail, queued in one transaction; nothing for an unknown or
/// deactivated account, or one sent its hourly share already.
pub async fn send_link(
    state: &AppState,
    ip: &str,
    p: Principal,
    email: &Email,
) -> Result<bool, AppError> {
    let Some(c) = accounts::by_email(&state.db, p, &email.normalized()).await? else {
        return Ok(false);
    };
    if !c.active {
        return Ok(false);
    }
    queue_link(state, ip, Actor::Anonymous, p, &c).await
}

/// Staff's "Send password reset" for a user: the mail "Forgot password" sends, sent for
/// them, so staff never know the new password. Refused, with the reason, for an INACTIVE
/// user (the link would not work) and past the account's hourly share.
pub async fn send_for_user(by: Acting<'_>, id: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let c = accounts::by_id(&state.db, Principal::User, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !c.active {
        return Err(AppError::invalid(
            "status",
            msg!("This user is INACTIVE: activate them before sending a password reset."),
        ));
    }
    let ip = meta.ip.to_string();
    if !queue_link(state, &ip, actor, Principal::User, &c).await? {
        return Err(AppError::invalid(
            "email",
            msg!("Three reset links went to this user in the last hour; the newest still works."),
        ));
    }
    Ok(())
}

/// One link for `c` and its mail, in one transaction, within the hourly share (false
/// when the share is used up: nothing is queued).
async fn queue_link(
    state: &AppState,
    ip: &str,
    actor: Actor,
    p: Principal,
    c: &Credentials,
) -> Result<bool, AppError> {
    let norm = Email::parse(&c.email)
        .map_err(|e| AppError::invalid("email", e))?
        .normalized();
    let (link, token_hash) = mail::new_link(state, reset_path(p));
    let outgoing = templates::password_reset(&context_of(state, c), &link);
    let mut tx = state.db.begin().await?;
    let row = NewToken {
        token_hash: &token_hash,
        purpose: Purpose::PasswordReset,
        principal: p,
        account_id: c.id,
        email_norm: &norm,
        valid_for: link_valid_for(),
    };
    let since = roster_data::now() - Duration::hours(1);
    if !mail_tokens::insert_within(&mut tx, &row, LINKS_PER_HOUR, since).await? {
        return Ok(false);
    }
    mail::queue(&mut tx, state, ip, actor, &outgoing).await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(true)
}

/// Whether a reset link still works (the page asks before showing its form).
pub async fn link_works(state: &AppState, p: Principal, token: &str) -> Result<bool, AppError> {
    Ok(holder(state, p, token).await?.is_some())
}

/// A new password from a reset link: the password rules first (a refused password leaves
/// the link usable), then in one transaction the link used up, the password replaced,
/// every session ended and every other link voided, the event and the notice mail.
pub async fn reset(
    state: &AppState,
    meta: &RequestMeta,
    p: Principal,
    token: &str,
    new_password: &str,
) -> Result<(), AppError> {
    if new_password.is_empty() {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new(
                "new_password",
                roster_types::msg!("Password is required."),
            )],
        });
    }
    let c = holder(state, p, token)
        .await?
        .ok_or(AppError::MailLinkInvalid)?;
    let mut context = vec![c.email.clone()];
    if p == Principal::User {
        if let Some(u) = users::detail(&state.db, c.id).await? {
            context.extend([u.first_name, u.last_name]);
        }
    }
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    let new = Password::parse_with_context(new_password, &context)
        .map_err(|e| AppError::invalid("new_password", e))?;
    let hash = passwords::hash(&new).await?;

    let mut tx = state.db.begin().await?;
    let hash_of_token = tokens::hash_token(token);
    // Two requests with the same link: the first to get here uses it up.
    if mail_tokens::take(&mut tx, &hash_of_token, Purpose::PasswordReset, p)
        .await?
        .is_none()
    {
        return Err(AppError::MailLinkInvalid);
    }
    let replaced = match p {
        Principal::Staff => staff::replace_password(&mut tx, c.id, &c.password_hash, &hash).await?,
        Principal::User => users::replace_password(&mut tx, c.id, &c.password_hash, &hash).await?,
    };
    if !replaced {
        // The password changed since the link was checked: try again on the fresh account.
        return Err(AppError::Stale);
    }
    mail_tokens::void_for_account(&mut tx, Purpose::PasswordReset, p, c.id).await?;
    // An invited user who asked for a reset link instead: the link went to their address,
    // so the invitation is accepted this way (email verified, offered clients associated).
    if p == Principal::User
        && crate::invitations::end_by_password(&mut tx, meta, audit::actor(p, &c), c.id).await?
    {
        let norm = Email::parse(&c.email)
            .map_err(|e| AppError::invalid("email", e))?
            .normalized();
        users::mark_email_verified(&mut tx, c.id, &norm).await?;
    }
    if p == Principal::Staff {
        crate::impersonation::end_with_staff_sessions(&mut tx, meta, c.id, None).await?;
    }
    let ended = sessions::delete_for_account(&mut tx, p, c.id).await?;
    let event = audit::own(p, &c, Action::PasswordReset).changes(
        Changes::new()
            .note("password", "[reset by link]")
            .note("sessions_ended", ended),
    );
    audit::record(&mut tx, meta, event).await?;
    mail::notify(
        &mut tx,
        state,
        &meta.ip.to_string(),
        p,
        &c,
        mail::Kind::PasswordChanged,
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(())
}

/// The page to ask for a link.
pub fn forgot_path(p: Principal) -> &'static str {
    match p {
        Principal::Staff => roster_types::links::STAFF_FORGOT,
        Principal::User => roster_types::links::USER_FORGOT,
    }
}

/// The account a valid link belongs to, while its email is still the one it went to.
async fn holder(
    state: &AppState,
    p: Principal,
    token: &str,
) -> Result<Option<Credentials>, AppError> {
    if !tokens::plausible(token) {
        return Ok(None);
    }
    let h = tokens::hash_token(token);
    let Some(holder) = mail_tokens::find(&state.db, &h, Purpose::PasswordReset, p).await? else {
        return Ok(None);
    };
    let c = accounts::by_id(&state.db, p, holder.account_id).await?;
    Ok(c.filter(|c| {
        c.active && Email::parse(&c.email).is_ok_and(|e| e.normalized() == holder.email_norm)
    }))
}

fn context_of<'a>(state: &'a AppState, c: &'a Credentials) -> templates::Context<'a> {
    templates::Context {
        lang: Language::parse(&c.language).unwrap_or(Language::En),
        product: &state.mail.product_name,
        to: &c.email,
    }
}
