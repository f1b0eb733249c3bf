//! Staff signing in as a user (support): a user session opened from a staff session with a
//! reason, never a sign-in of the user's (no status change, no last sign-in, no new-browser
//! mail), at most `impersonation::MINUTES` long and never extended, good only while the
//! staff session is and the staff member keeps `users-impersonate`. Both ends are audited
//! with the reason; the user sees the session in their list (with who and why) and ends it
//! like any other.

use crate::audit;
use crate::request::RequestMeta;
use crate::security::tokens;
use crate::state::AppState;
use crate::Acting;
use chrono::Duration;
use roster_data::sessions::{self, Ending, ImpersonationRow, NewImpersonation};
use roster_data::{now, users, Tx};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::impersonation::{Reason, MINUTES};
use roster_types::AppError;
use uuid::Uuid;

/// Why a session signing staff in as a user ended, as the trail says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The End button, or Sign out on the user's page.
    ByStaff,
    /// The staff member signed out of the admin pages.
    StaffSignedOut,
    /// Its time limit, or the staff session's, ran out.
    Expired,
    /// The staff member's sessions were ended (deactivated, a new password, 2FA reset).
    StaffSessionsEnded,
}

impl Ended {
    fn code(self) -> &'static str {
        match self {
            Ended::ByStaff => "ended_by_staff",
            Ended::StaffSignedOut => "staff_signed_out",
            Ended::Expired => "expired",
            Ended::StaffSessionsEnded => "staff_sessions_ended",
        }
    }
}

/// Staff (`by`, in their session `staff_session`) sign in as user `user_id` for `reason`:
/// the token of the user session, for the user cookie of this browser.
pub async fn start(
    by: Acting<'_>,
    staff_session: Uuid,
    user_id: Uuid,
    reason: &str,
) -> Result<String, AppError> {
    let Acting { state, actor, meta } = by;
    let reason = Reason::parse(reason).map_err(|e| AppError::invalid("reason", e))?;
    let mut tx = state.db.begin().await?;
    // Holding the staff session's row makes two starts from it take turns, so the later
    // one ends the earlier: one user at a time per staff session.
    if !sessions::hold(&mut tx, staff_session).await? {
        return Err(AppError::Unauthenticated);
    }
    let u = users::detail(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let earlier = Ending::From(staff_session);
    end_in(&mut tx, Some(meta), earlier, Ended::ByStaff).await?;
    let token = tokens::new_token();
    let ends_at = now() + Duration::minutes(MINUTES);
    let new = NewImpersonation {
        token_hash: &tokens::hash_token(&token),
        user_id,
        staff_session,
        reason: reason.as_str(),
        expires_at: ends_at,
        ip: &meta.ip.to_string(),
        user_agent: &meta.user_agent,
    };
    sessions::insert_impersonation(&mut tx, &new).await?;
    let target = Target::User {
        id: u.id,
        email: u.email.clone(),
    };
    let changes = Changes::new()
        .note("reason", reason.as_str())
        .note("ends_at", ends_at.to_rfc3339());
    let event = Event::new(actor, Action::ImpersonationStarted, target).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    Ok(token)
}

/// End the sessions `which` names, each with its event, in one transaction.
pub async fn end(
    state: &AppState,
    meta: Option<&RequestMeta>,
    which: Ending,
    why: Ended,
) -> Result<usize, AppError> {
    let mut tx = state.db.begin().await?;
    let ended = end_in(&mut tx, meta, which, why).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Before a staff member's sessions are ended in `tx` (all but `keep`): end, with their
/// events, the sessions they opened as users from them, which would otherwise go silently
/// with them (the cascade).
pub async fn end_with_staff_sessions(
    tx: &mut Tx,
    meta: &RequestMeta,
    staff_id: Uuid,
    keep: Option<Uuid>,
) -> Result<usize, AppError> {
    let which = Ending::OfStaff { staff_id, keep };
    end_in(tx, Some(meta), which, Ended::StaffSessionsEnded).await
}

/// The same before one of a staff member's sessions (`session`, named by the request: it
/// matches only if it is theirs) is ended in `tx`.
pub async fn end_with_staff_session(
    tx: &mut Tx,
    meta: &RequestMeta,
    staff_id: Uuid,
    session: Uuid,
) -> Result<usize, AppError> {
    let which = Ending::OneOfStaff { staff_id, session };
    end_in(tx, Some(meta), which, Ended::StaffSessionsEnded).await
}

/// `end`, in the caller's transaction. Without a request (the sweep), each event carries
/// the address the session was opened from.
pub(crate) async fn end_in(
    tx: &mut Tx,
    meta: Option<&RequestMeta>,
    which: Ending,
    why: Ended,
) -> Result<usize, AppError> {
    let rows = sessions::impersonations(tx, which).await?;
    for r in &rows {
        sessions::delete(tx, r.id).await?;
        let event = ended_event(r, why);
        match meta {
            Some(meta) => audit::record(tx, meta, event).await?,
            None => audit::record_at(tx, &r.ip, event).await?,
        }
    }
    Ok(rows.len())
}

/// The sweep: end, with their events, the sessions past their limit or their staff
/// session's, before expired sessions are removed (which would take them silently).
pub async fn end_expired(state: &AppState) -> Result<usize, AppError> {
    end(state, None, Ending::Expired, Ended::Expired).await
}

fn ended_event(r: &ImpersonationRow, why: Ended) -> Event {
    let actor = match why {
        Ended::Expired => Actor::System,
        Ended::ByStaff | Ended::StaffSignedOut | Ended::StaffSessionsEnded => Actor::Staff {
            id: r.staff_id,
            email: r.staff_email.clone(),
        },
    };
    let target = Target::User {
        id: r.user_id,
        email: r.user_email.clone(),
    };
    let changes = Changes::new()
        .note("reason", r.reason.as_str())
        .note("staff", r.staff_email.as_str())
        .note("ended", why.code());
    Event::new(actor, Action::ImpersonationEnded, target).changes(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_event_names_who_ended_it_and_keeps_the_reason() {
        let r = ImpersonationRow {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            user_email: "mo@example.com".into(),
            staff_id: Uuid::new_v4(),
            staff_email: "ann@host.example".into(),
            reason: "Ticket 4411".into(),
            ip: "127.0.0.2".into(),
        };
        let e = ended_event(&r, Ended::ByStaff);
        assert_eq!(e.actor.label(), "ann@host.example");
        let json = e.changes.to_json();
        assert!(
            json.contains("Ticket 4411") && json.contains("ended_by_staff"),
            "{json}"
        );
        let e = ended_event(&r, Ended::Expired);
        assert_eq!(e.actor, Actor::System);
        assert!(e.changes.to_json().contains("\"expired\""));
    }
}
