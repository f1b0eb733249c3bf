//! Bulk actions on Manage Users: one action on many users, each changed in a transaction
//! of its own with the event the one-user button writes, and a refusal where that button
//! would refuse.

use crate::users::{revoke_sessions, target, Sessions};
use crate::{audit, Acting};
use roster_data::users;
use roster_types::bulk::{status_refusal, BulkAction, BulkOutcome, BulkStep, Cursor, BATCH};
use roster_types::event::{Action, Changes, Event};
use roster_types::user_filter::Filters;
use roster_types::users::{TwoFactorState, UserDetail, UserStatus};
use roster_types::{msg, AppError};
use uuid::Uuid;

/// Which users an action goes over.
pub enum Users {
    /// The rows ticked in the table (at most `BATCH`).
    Picked(Vec<Uuid>),
    /// Every user the search `q` and `filters` find, newest first, from after `after`;
    /// one request takes the next `BATCH` of them.
    Found {
        q: String,
        filters: Filters,
        after: Option<Cursor>,
    },
}

/// How often a conditional change is read again when another save got in between.
const TRIES: usize = 3;

/// One request's share of `action` on `users`. The batch runs as a task of its own: a
/// browser that goes away mid-batch does not cut a user's transaction short, and the
/// batch is bounded, so what it was asked to do is done (and the trail says so).
pub async fn run(by: Acting<'_>, action: BulkAction, users: Users) -> Result<BulkStep, AppError> {
    let owned = by.owned();
    let task = tokio::spawn(async move { step(owned.acting(), action, users).await });
    task.await.map_err(AppError::internal)?
}

async fn step(by: Acting<'_>, action: BulkAction, users: Users) -> Result<BulkStep, AppError> {
    let state = by.state;
    let (ids, next) = match users {
        Users::Picked(mut ids) => {
            ids.truncate(BATCH);
            (ids, None)
        }
        Users::Found { q, filters, after } => {
            // One row past the batch tells whether another request is needed.
            let after = after.map(|c| (c.at, c.id));
            let limit = BATCH as i64 + 1;
            let mut rows = crate::users::export_batch(state, &q, &filters, after, limit).await?;
            let more = rows.len() > BATCH;
            rows.truncate(BATCH);
            let next = rows.last().filter(|_| more).map(|r| {
                Cursor {
                    at: r.created_at,
                    id: r.id,
                }
                .code()
            });
            (rows.into_iter().map(|r| r.id).collect(), next)
        }
    };
    let mut outcomes = Vec::with_capacity(ids.len());
    for id in ids {
        let once = Acting {
            state,
            actor: by.actor.clone(),
            meta: by.meta,
        };
        outcomes.push(apply(once, action, id).await);
    }
    Ok(BulkStep { outcomes, next })
}

/// `action` on one user: done, or refused with why.
async fn apply(by: Acting<'_>, action: BulkAction, id: Uuid) -> BulkOutcome {
    let found = users::detail(&by.state.db, id).await;
    let email = match &found {
        Ok(Some(u)) => u.email.clone(),
        _ => String::new(),
    };
    let result = match found {
        Err(e) => Err(e.into()),
        Ok(None) => Err(AppError::NotFound),
        Ok(Some(_)) => match action {
            BulkAction::Activate => on_current(by, id, Change::Status(UserStatus::Active)).await,
            BulkAction::Deactivate => {
                on_current(by, id, Change::Status(UserStatus::Inactive)).await
            }
            BulkAction::TwoFactorOff => on_current(by, id, Change::TwoFactorOff).await,
            BulkAction::EndSessions => end_sessions(by, id).await,
            BulkAction::PasswordReset => crate::password_reset::send_for_user(by, id).await,
            BulkAction::Delete => crate::users::delete(by, id).await,
        },
    };
    BulkOutcome {
        id,
        email,
        refused: result.err(),
    }
}

async fn end_sessions(by: Acting<'_>, id: Uuid) -> Result<(), AppError> {
    match crate::users::end_sessions(by, id, Sessions::All).await? {
        0 => Err(AppError::invalid("sessions", msg!("No session to end."))),
        _ => Ok(()),
    }
}

/// A change Edit could make, which bulk actions make on the row as read.
#[derive(Clone, Copy)]
enum Change {
    Status(UserStatus),
    TwoFactorOff,
}

/// `change` on the row as read, written only if the row is still at that version; read
/// again when another save came first (at most `TRIES` times, then Stale).
async fn on_current(by: Acting<'_>, id: Uuid, change: Change) -> Result<(), AppError> {
    for _ in 0..TRIES {
        let mut tx = by.state.db.begin().await?;
        let before = users::detail(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let done = match change {
            Change::Status(to) => set_status(&mut tx, &by, before, to).await?,
            Change::TwoFactorOff => switch_off_two_factor(&mut tx, &by, before).await?,
        };
        if done {
            tx.commit().await?;
            return Ok(());
        }
    }
    Err(AppError::Stale)
}

/// Activate or Deactivate, as Edit's Status does it: deactivation ends the sessions.
async fn set_status(
    tx: &mut roster_data::Tx,
    by: &Acting<'_>,
    before: UserDetail,
    to: UserStatus,
) -> Result<bool, AppError> {
    let (id, invited) = (before.id, before.invited_at.is_some());
    if let Some(why) = status_refusal(invited, before.status, to) {
        return Err(AppError::invalid("status", why));
    }
    if !users::set_status(tx, id, before.version, to).await? {
        return Ok(false);
    }
    let changes = Changes::new().field("status", before.status.code(), to.code());
    let tgt = target(id, &before.email);
    let event = Event::new(by.actor.clone(), Action::UserUpdated, tgt).changes(changes);
    audit::record(tx, by.meta, event).await?;
    if to == UserStatus::Inactive {
        let user = (id, before.email.as_str());
        revoke_sessions(tx, by.meta, by.actor.clone(), user, "deactivated").await?;
    }
    Ok(true)
}

/// Switch 2FA off, as unticking it in Edit does: the enrolment goes, the sessions end.
async fn switch_off_two_factor(
    tx: &mut roster_data::Tx,
    by: &Acting<'_>,
    before: UserDetail,
) -> Result<bool, AppError> {
    let id = before.id;
    if before.two_factor_state == TwoFactorState::Off {
        return Err(AppError::invalid("two_factor", msg!("2FA is already off.")));
    }
    if !users::switch_off_two_factor(tx, id, before.version).await? {
        return Ok(false);
    }
    let changes = Changes::new().field("two_factor", before.two_factor, false);
    let tgt = target(id, &before.email);
    let event = Event::new(by.actor.clone(), Action::UserUpdated, tgt).changes(changes);
    audit::record(tx, by.meta, event).await?;
    let user = (id, before.email.as_str());
    revoke_sessions(tx, by.meta, by.actor.clone(), user, "two_factor_changed").await?;
    Ok(true)
}
