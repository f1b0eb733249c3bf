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
    email: &str,
    lang: Language,
) -> Result<(), AppError> {
    let token = tokens::new_token();
    let norm = Email::parse(email)
        .map_err(|e| AppError::invalid("email", e))?
        .normalized();
    let row = NewToken {
        token_hash: &tokens::hash_token(&token),
        purpose: Purpose::EmailVerify,
        principal: Principal::User,
        account_id: id,
        email_norm: &norm,
        valid_for: link_valid_for(),
    };
    mail_tokens::insert(tx, &row).await?;
    let link = format!(
        "{}{}?token={token}",
        state.settings.public_url,
        roster_types::links::VERIFY_EMAIL
    );
    let context = templates::Context {
        lang,
        product: &state.mail.product_name,
        to: email,
    };
    mail::queue(
        tx,
        state,
        ip,
        actor,
        &templates::email_verification(&context, &link),
    )
    .await?;
    Ok(())
}

/// Open a verification link: Email Verified on, once. MailLinkInvalid for a used, expired
/// or unknown link, or one sent to an address the user no longer has.
pub async fn verify(state: &AppState, meta: &RequestMeta, token: &str) -> Result<(), AppError> {
    if token.is_empty() || token.len() > 128 {
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
    let same = Email::parse(&c.email).is_ok_and(|e| e.normalized() == holder.email_norm);
    if !same {
        return Err(AppError::MailLinkInvalid);
    }
    if users::mark_email_verified(&mut tx, c.id).await? {
        let event = audit::own(Principal::User, &c, Action::UserUpdated).changes(
            Changes::new()
                .field("email_verified", false, true)
                .note("by", "verification link"),
        );
        audit::record(&mut tx, meta, event).await?;
    }
    Ok(tx.commit().await?)
}
