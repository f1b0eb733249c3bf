//! Audit events: written inside the caller's transaction, read for the trail.

use super::sql::{List, Sql};
use super::{DbError, Tx};
use roster_types::audit::{parse_day, AuditFilter, AuditRow, ChangeLine};
use roster_types::event::{Actor, Event, Target};
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
    let sql = "INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_label, target_kind, target_id, target_label, action, changes, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    tx.sql()
        .execute(
            sql,
            (
                Uuid::new_v4(),
                super::now(),
                actor_kind,
                actor_id,
                &actor_label,
                target_kind,
                target_id,
                &target_label,
                event.action.code(),
                &changes,
                &event.ip,
            ),
        )
        .await?;
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
    db.sql().fetch_all::<EventRow>("SELECT at, actor_kind, actor_label, target_kind, target_id, target_label, action, changes, ip
         FROM audit_events ORDER BY at DESC LIMIT $1", (limit,)).await
}

/// A value bound to a filter placeholder.
enum Param {
    Text(String),
    Id(Uuid),
    Time(chrono::DateTime<chrono::Utc>),
}

/// The WHERE clause of `filter` and its parameters (`$1`…), written once for both engines.
fn where_clause(f: &AuditFilter) -> (String, Vec<Param>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut params = Vec::new();
    let mut push = |sql: &mut String, clause: &str, p: Param| {
        params.push(p);
        sql.push_str(&clause.replace('?', &format!("${}", params.len())));
    };
    let like = |s: &str| {
        let escaped = s
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    };
    if !f.actor.trim().is_empty() {
        push(
            &mut sql,
            " AND LOWER(actor_label) LIKE ? ESCAPE '\\'",
            Param::Text(like(&f.actor)),
        );
    }
    if let Some(id) = f.target_id {
        push(&mut sql, " AND target_id = ?", Param::Id(id));
    }
    let target = f.target.trim();
    if let Ok(id) = Uuid::parse_str(target) {
        push(&mut sql, " AND target_id = ?", Param::Id(id));
    } else if !target.is_empty() {
        push(
            &mut sql,
            " AND LOWER(target_label) LIKE ? ESCAPE '\\'",
            Param::Text(like(target)),
        );
    }
    if f.action.ends_with('.') {
        push(
            &mut sql,
            " AND action LIKE ?",
            Param::Text(format!("{}%", f.action)),
        );
    } else if !f.action.is_empty() {
        push(&mut sql, " AND action = ?", Param::Text(f.action.clone()));
    }
    let day = |s: &str| {
        parse_day(s).and_then(|(y, m, d)| {
            chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(0, 0, 0))
        })
    };
    if let Some(from) = day(&f.from) {
        push(&mut sql, " AND at >= ?", Param::Time(from.and_utc()));
    }
    if let Some(to) = day(&f.to) {
        // inclusive of the whole last day
        push(
            &mut sql,
            " AND at < ?",
            Param::Time(to.and_utc() + chrono::Duration::days(1)),
        );
    }
    (sql, params)
}

/// The filter's values, then `extra`, as arguments for `on`'s engine.
fn arguments<'q>(on: &Sql<'_>, params: &'q [Param], extra: &[i64]) -> Result<List<'q>, DbError> {
    let mut args = on.list();
    for p in params {
        match p {
            Param::Text(s) => args.push(s.as_str())?,
            Param::Id(id) => args.push(*id)?,
            Param::Time(t) => args.push(*t)?,
        }
    }
    for n in extra {
        args.push(*n)?;
    }
    Ok(args)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    #[sqlx(flatten)]
    event: EventRow,
}

/// One page of events matching `filter`, newest first, and how many match.
pub async fn search(
    db: &super::Db,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64), DbError> {
    let (clause, params) = where_clause(filter);
    let n = params.len();
    let sql = format!(
        "SELECT id, at, actor_kind, actor_label, target_kind, target_id, target_label, action, changes, ip
         FROM audit_events{clause} ORDER BY at DESC, id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let args = arguments(&db.sql(), &params, &[limit, offset])?;
    let rows: Vec<Row> = db.sql().fetch_all(&sql, args).await?;
    let count_sql = format!("SELECT COUNT(*) FROM audit_events{clause}");
    let args = arguments(&db.sql(), &params, &[])?;
    let total: i64 = db.sql().scalar(&count_sql, args).await?;
    Ok((
        rows.into_iter().map(|r| r.event.into_row(r.id)).collect(),
        total,
    ))
}

/// The newest `limit` events about `target_id` whose action is one of `actions` (codes of
/// `Action`, written into the query as they are: never user input).
pub async fn about(
    db: &super::Db,
    target_id: Uuid,
    actions: &[roster_types::audit::Action],
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    let codes: Vec<String> = actions.iter().map(|a| format!("'{}'", a.code())).collect();
    let sql = format!(
        "SELECT id, at, actor_kind, actor_label, target_kind, target_id, target_label, action, changes, ip
         FROM audit_events WHERE target_id = $1 AND action IN ({})
         ORDER BY at DESC, id LIMIT $2",
        codes.join(", ")
    );
    let rows: Vec<Row> = db.sql().fetch_all(&sql, (target_id, limit)).await?;
    Ok(rows.into_iter().map(|r| r.event.into_row(r.id)).collect())
}

/// Up to `limit` events matching `filter`, newest first, after `after` (the last of the
/// previous batch): the CSV export reads the whole trail this way, a batch at a time.
pub async fn export_batch(
    db: &super::Db,
    filter: &AuditFilter,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    let (mut clause, mut params) = where_clause(filter);
    if let Some((at, id)) = after {
        let n = params.len();
        // The first condition alone walks the time index; the second breaks ties.
        clause.push_str(&format!(
            " AND at <= ${} AND (at < ${} OR id < ${})",
            n + 1,
            n + 2,
            n + 3
        ));
        params.extend([Param::Time(at), Param::Time(at), Param::Id(id)]);
    }
    let sql = format!(
        "SELECT id, at, actor_kind, actor_label, target_kind, target_id, target_label, action, changes, ip
         FROM audit_events{clause} ORDER BY at DESC, id DESC LIMIT ${}",
        params.len() + 1
    );
    let args = arguments(&db.sql(), &params, &[limit])?;
    let rows: Vec<Row> = db.sql().fetch_all(&sql, args).await?;
    Ok(rows.into_iter().map(|r| r.event.into_row(r.id)).collect())
}

impl EventRow {
    fn into_row(self, id: Uuid) -> AuditRow {
        AuditRow {
            id,
            at: self.at.into(),
            actor_kind: self.actor_kind,
            actor_label: self.actor_label,
            target_kind: self.target_kind,
            target_id: self.target_id,
            target_label: self.target_label,
            action: self.action,
            changes: change_lines(&self.changes),
            ip: self.ip,
        }
    }
}

/// The stored JSON as lines: `[before, after]` pairs and plain facts.
pub fn change_lines(json: &str) -> Vec<ChangeLine> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "—".to_string(),
        other => other.to_string(),
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    map.iter()
        .map(|(k, v)| match v {
            serde_json::Value::Array(pair) if pair.len() == 2 => ChangeLine {
                field: k.clone(),
                before: Some(text(&pair[0])),
                after: text(&pair[1]),
            },
            other => ChangeLine {
                field: k.clone(),
                before: None,
                after: text(other),
            },
        })
        .collect()
}
