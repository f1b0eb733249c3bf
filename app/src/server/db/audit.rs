//! Audit events: written inside the caller's transaction, read for the trail.

use super::{DbError, Tx};
use crate::server::audit::{Actor, Event, Target};
use crate::{on_pool, on_tx_exec};
use uuid::Uuid;

/// Record `event` as part of the caller's transaction: the event exists if and only if the
/// change it describes was committed.
pub async fn record(tx: &mut Tx, event: Event) -> Result<(), DbError> {
    let (actor_kind, actor_id, actor_label) = match &event.actor {
        Actor::Staff { id, email } => ("staff", Some(*id), email.clone()),
        Actor::User { id, email } => ("user", Some(*id), email.clone()),
        Actor::System => ("system", None, "system".to_string()),
        Actor::Anonymous => ("anonymous", None, String::new()),
    };
    let (target_kind, target_id, target_label) = match &event.target {
        Target::Staff { id, email } => ("staff", Some(*id), email.clone()),
        Target::User { id, email } => ("user", Some(*id), email.clone()),
        Target::Client { id, name } => ("client", Some(*id), name.clone()),
        Target::System => ("system", None, String::new()),
    };
    let changes = event.changes.to_json();
    on_tx_exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_label, target_kind, target_id, target_label, action, changes, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )
    .bind(Uuid::new_v4())
    .bind(super::now())
    .bind(actor_kind)
    .bind(actor_id)
    .bind(&actor_label)
    .bind(target_kind)
    .bind(target_id)
    .bind(&target_label)
    .bind(event.action.code())
    .bind(&changes)
    .bind(&event.ip)
    .execute(c)
    .await
    })?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_kind: String,
    pub actor_label: String,
    pub target_kind: String,
    pub target_id: Option<Uuid>,
    pub target_label: String,
    pub action: String,
    pub changes: String,
    pub ip: String,
}

/// Newest first.
pub async fn recent(db: &super::Db, limit: i64) -> Result<Vec<EventRow>, DbError> {
    Ok(on_pool!(db, |c| {
        sqlx::query_as::<_, EventRow>(
        "SELECT at, actor_kind, actor_label, target_kind, target_id, target_label, action, changes, ip
         FROM audit_events ORDER BY at DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await
    })?)
}
