//! Email verification: a new user (unless staff choose otherwise) is sent a link; opening
//! it sets Email Verified, audited as the user's own change. The link is single-use, valid
//! for 48 hours, stored only as a hash, and void once the user's email is another.

use crate::audit;
use crate::mail::{self, templates};
use crate::request::RequestMeta;
use crate::security::tokens;
use crate::state::AppState;
use chrono::Duration;
use roster_data::accounts::{self, Principal};
use roster_data::mail_tokens::{self, NewToken, Purpose};
use roster_data::{users, Tx};
use roster_types::event::{Action, Actor, Changes};
use roster_types::{AppError, Email, Language};
use uuid::Uuid;

pub fn link_valid_for() -> Duration {
    Duration::hours(48)
}

/// Queue the link to `email` for user `id`, in `tx` (the creation's transaction). Call
/// `mail::wake` after the commit.
pub async fn send_link(
    tx: &mut Tx,
    state: &AppState,
    ip: &str,
    actor: Actor,
    id: Uuid,
    email: &Email,
    lang: Language,
) -> Result<(), AppError> {
    let (link, token_hash) = mail::new_link(state, roster_types::links::VERIFY_EMAIL);
    let row = NewToken {
        token_hash: &token_hash,
        purpose: Purpose::EmailVerify,
        principal: Principal::User,
        account_id: id,
        email_norm: &email.normalized(),
        valid_for: link_valid_for(),
    };
    mail_tokens::insert(tx, &row).await?;
    let context = templates::Context {
        lang,
        product: &state.mail.product_name,
        to: email.as_str(),
    };
    let outgoing = templates::email_verification(&context, &link);
    mail::queue(tx, state, ip, actor, &outgoing).await?;
    Ok(())
}

/// Open a verification link: Email Verified on, once. MailLinkInvalid for a used, expired
/// or unknown link, or one sent to an address the user no longer has.
pub async fn verify(state: &AppState, meta: &RequestMeta, token: &str) -> Result<(), AppError> {
    if !tokens::plausible(token) {
        return Err(AppError::MailLinkInvalid);
    }
    let mut tx = state.db.begin().await?;
    let hash = tokens::hash_token(token);
    let holder = mail_tokens::take(&mut tx, &hash, Purpose::EmailVerify, Principal::User)
        .await?
        .ok_or(AppError::MailLinkInvalid)?;
    let c = accounts::by_id(&state.db, Principal::User, holder.account_id)
        .await?
        .ok_or(AppError::MailLinkInvalid)?;
    if Email::parse(&c.email).map(|e| e.normalized()).ok() != Some(holder.email_norm.clone()) {
        return Err(AppError::MailLinkInvalid);
    }
    // The update checks the address too: an email changed since the read is not verified.
    if users::mark_email_verified(&mut tx, c.id, &holder.email_norm).await? {
        let event = audit::own(Principal::User, &c, Action::UserUpdated).changes(
            Changes::new()
                .field("email_verified", false, true)
                .note("by", "verification link"),
        );
        audit::record(&mut tx, meta, event).await?;
    }
    Ok(tx.commit().await?)
}
