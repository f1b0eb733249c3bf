//! The audit trail as services use it: one helper that records an event in the caller's
//! transaction, and the filtered list `/admin/audit` and the Activity tabs show.

use super::request::RequestMeta;
use super::state::AppState;
use roster_data::accounts::{Credentials, Principal};
use roster_data::{audit, Tx};
use roster_types::audit::{AuditFilter, AuditPage};
use roster_types::event::{Action, Actor, Event, Target};
use roster_types::AppError;

/// Record `event`, from the request's address, as part of `tx`: the event exists if and
/// only if the change it describes is committed.
pub async fn record(tx: &mut Tx, meta: &RequestMeta, event: Event) -> Result<(), AppError> {
    record_at(tx, &meta.ip.to_string(), event).await
}

/// `record` for changes that come from no request (the command line, the server itself):
/// `ip` is where they came from, or empty.
pub async fn record_at(tx: &mut Tx, ip: &str, event: Event) -> Result<(), AppError> {
    Ok(audit::record(tx, event.ip(ip)).await?)
}

/// The account as the trail names it when it acts…
pub fn actor(p: Principal, c: &Credentials) -> Actor {
    let (id, email) = (c.id, c.email.clone());
    match p {
        Principal::Staff => Actor::Staff { id, email },
        Principal::User => Actor::User { id, email },
    }
}

/// …and when something is done to it.
pub fn target(p: Principal, c: &Credentials) -> Target {
    let (id, email) = (c.id, c.email.clone());
    match p {
        Principal::Staff => Target::Staff { id, email },
        Principal::User => Target::User { id, email },
    }
}

/// What an account does to itself (signs in, changes its password, …).
pub fn own(p: Principal, c: &Credentials, action: Action) -> Event {
    Event::new(actor(p, c), action, target(p, c))
}

/// One page of events matching `filter`, newest first.
pub async fn list(
    state: &AppState,
    filter: &AuditFilter,
    page: u32,
    per_page: u32,
) -> Result<AuditPage, AppError> {
    let errors = filter.check();
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    let per_page = roster_types::page::page_size(per_page);
    let page = page.max(1);
    let offset = (page as i64 - 1) * per_page as i64;
    let (rows, total) = audit::search(&state.db, filter, per_page as i64, offset).await?;
    Ok(AuditPage {
        rows,
        total,
        page,
        per_page,
    })
}

/// The filter's field errors, if any (before an export starts streaming).
pub fn check_filter(filter: &AuditFilter) -> Result<(), AppError> {
    let errors = filter.check();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid { fields: errors })
    }
}

/// The CSV export's next `limit` events matching `filter` (checked with `check_filter`),
/// newest first, after the event `after` (its time and id).
pub async fn export_batch(
    state: &AppState,
    filter: &AuditFilter,
    after: Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)>,
    limit: i64,
) -> Result<Vec<roster_types::audit::AuditRow>, AppError> {
    Ok(audit::export_batch(&state.db, filter, after, limit).await?)
}
