//! What signed-in staff change about themselves: their password (the current one first,
//! counted like a sign-in) and their sessions. The same rules users have on `/account`.

use super::security::passwords;
use crate::Signed;
use crate::{audit, mail};
use roster_data::accounts::Principal;
use roster_data::{sessions, staff};
use roster_types::account::SessionRow;
use roster_types::event::{Action, Changes};
use roster_types::{AppError, Language, Password};
use uuid::Uuid;

/// A new password after the current one; every other session ends.
pub async fn change_password(me: Signed<'_>, current: &str, new: &str) -> Result<(), AppError> {
    let (state, meta, session, c) = (me.state, me.meta, me.session, me.account);
    me.recheck(current, "password.change").await?;
    let new = Password::parse_with_context(new, &[c.email.as_str()])
        .map_err(|e| AppError::invalid("new_password", e))?;
    let hash = passwords::hash(&new).await?;
    let mut tx = state.db.begin().await?;
    // Two changes at the same moment both passed the check; only the first replaces
    // the password the check was made against.
    if !staff::replace_password(&mut tx, c.id, &c.password_hash, &hash).await? {
        return Err(super::sign_in::not_current_password());
    }
    crate::impersonation::end_with_staff_sessions(&mut tx, meta, c.id, Some(session)).await?;
    let others = sessions::delete_all_but(&mut tx, Principal::Staff, c.id, session).await?;
    let event = audit::own(Principal::Staff, c, Action::PasswordChanged).changes(
        Changes::new()
            .note("password", "[changed]")
            .note("other_sessions_ended", others),
    );
    audit::record(&mut tx, meta, event).await?;
    let ip = meta.ip.to_string();
    mail::notify(
        &mut tx,
        state,
        &ip,
        Principal::Staff,
        c,
        mail::Kind::PasswordChanged,
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(())
}

/// The member's own signed-in sessions; `current` marks this one.
pub async fn sessions(me: Signed<'_>) -> Result<Vec<SessionRow>, AppError> {
    let (state, session, c) = (me.state, me.session, me.account);
    let mut rows = sessions::list_for(&state.db, Principal::Staff, c.id).await?;
    for r in &mut rows {
        r.current = r.id == session;
    }
    Ok(rows)
}

/// End one of the member's own sessions, or every other one.
pub async fn end_sessions(me: Signed<'_>, which: Option<Uuid>) -> Result<u64, AppError> {
    let (state, meta, session, c) = (me.state, me.meta, me.session, me.account);
    let mut tx = state.db.begin().await?;
    let ended = match which {
        Some(id) => {
            // Only a session of their own: `id` comes from the request.
            crate::impersonation::end_with_staff_session(&mut tx, meta, c.id, id).await?;
            u64::from(sessions::delete_one_for(&mut tx, Principal::Staff, c.id, id).await?)
        }
        None => {
            crate::impersonation::end_with_staff_sessions(&mut tx, meta, c.id, Some(session))
                .await?;
            sessions::delete_all_but(&mut tx, Principal::Staff, c.id, session).await?
        }
    };
    if ended > 0 {
        let event = audit::own(Principal::Staff, c, Action::SessionsRevoked).changes(
            Changes::new()
                .note("reason", "ended_by_staff_member")
                .note("sessions", ended),
        );
        audit::record(&mut tx, meta, event).await?;
    }
    tx.commit().await?;
    Ok(ended)
}

/// The language of the member's own pages.
pub async fn set_language(me: Signed<'_>, language: &str) -> Result<Language, AppError> {
    let (state, meta, c) = (me.state, me.meta, me.account);
    let lang = Language::parse(language).map_err(|e| AppError::invalid("language", e))?;
    if lang.code() == c.language {
        return Ok(lang);
    }
    let mut tx = state.db.begin().await?;
    staff::set_language(&mut tx, c.id, lang.code()).await?;
    let changes = Changes::new().field("language", c.language.as_str(), lang.code());
    let event = audit::own(Principal::Staff, c, Action::StaffUpdated).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    Ok(lang)
}
