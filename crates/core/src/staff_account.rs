//! What signed-in staff change about themselves: their password (the current one first,
//! counted like a sign-in) and their sessions. The same rules users have on `/account`.

use super::request::RequestMeta;
use super::security::passwords;
use super::sign_in;
use super::state::AppState;
use crate::audit;
use roster_data::accounts::{Credentials, Principal};
use roster_data::{sessions, staff};
use roster_types::account::SessionRow;
use roster_types::event::{Action, Changes};
use roster_types::{AppError, Language, Password};
use uuid::Uuid;

/// A new password after the current one; every other session ends.
pub async fn change_password(
    state: &AppState,
    meta: &RequestMeta,
    session: Uuid,
    c: &Credentials,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    sign_in::recheck_password(
        state,
        Principal::Staff,
        meta,
        session,
        c,
        current,
        "password.change",
    )
    .await?;
    let new = Password::parse_with_context(new, &[c.email.as_str()])
        .map_err(|e| AppError::invalid("new_password", e))?;
    let hash = passwords::hash(&new).await?;
    let mut tx = state.db.begin().await?;
    staff::set_password(&mut tx, c.id, &hash).await?;
    let others = sessions::delete_all_but(&mut tx, Principal::Staff, c.id, session).await?;
    audit::record(
        &mut tx,
        meta,
        audit::own(Principal::Staff, c, Action::PasswordChanged).changes(
            Changes::new()
                .note("password", "[changed]")
                .note("other_sessions_ended", others),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The member's own signed-in sessions; `current` marks this one.
pub async fn sessions(
    state: &AppState,
    session: Uuid,
    c: &Credentials,
) -> Result<Vec<SessionRow>, AppError> {
    let mut rows = sessions::list_for(&state.db, Principal::Staff, c.id).await?;
    for r in &mut rows {
        r.current = r.id == session;
    }
    Ok(rows)
}

/// End one of the member's own sessions, or every other one.
pub async fn end_sessions(
    state: &AppState,
    meta: &RequestMeta,
    session: Uuid,
    c: &Credentials,
    which: Option<Uuid>,
) -> Result<u64, AppError> {
    let mut tx = state.db.begin().await?;
    let ended = match which {
        Some(id) => u64::from(sessions::delete_one_for(&mut tx, Principal::Staff, c.id, id).await?),
        None => sessions::delete_all_but(&mut tx, Principal::Staff, c.id, session).await?,
    };
    if ended > 0 {
        audit::record(
            &mut tx,
            meta,
            audit::own(Principal::Staff, c, Action::SessionsRevoked).changes(
                Changes::new()
                    .note("reason", "ended_by_staff_member")
                    .note("sessions", ended),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ended)
}

/// The language of the member's own pages.
pub async fn set_language(
    state: &AppState,
    meta: &RequestMeta,
    c: &Credentials,
    language: &str,
) -> Result<Language, AppError> {
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
