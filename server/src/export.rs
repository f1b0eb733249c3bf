//! CSV exports, streamed: `GET /admin/users/export.csv?q=…&status=…` (the users a search
//! and the filters on Manage Users find, `users-view`) and `GET /admin/audit/export.csv?…` (the trail with
//! `/admin/audit`'s filters, `audit-view`). Rows are read a batch at a time, each batch
//! after the last row of the one before, and written as the client reads: memory stays
//! the same for ten rows or a million.

use crate::middleware::json_error;
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use roster_core::request::RequestMeta;
use roster_core::state::AppState;
use roster_types::audit::{AuditFilter, AuditRow};
use roster_types::{AppError, StaffPermission};
use serde::Deserialize;
use std::future::Future;
use uuid::Uuid;

/// Rows per database read (and per chunk written).
const BATCH: i64 = 1_000;

/// Where a batch ends: the next one starts after this row.
type Cursor = (DateTime<Utc>, Uuid);

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UsersQuery {
    q: String,
    /// Manage Users' filters, as in its URL.
    #[serde(flatten)]
    filter: roster_types::user_filter::UserFilter,
}

pub async fn users_csv(
    State(state): State<AppState>,
    Query(query): Query<UsersQuery>,
    req: Request,
) -> Response {
    let meta = RequestMeta::from_parts(&req.into_parts().0);
    let need = Some(StaffPermission::UsersView);
    if let Err(e) = roster_core::staff::authorize(&state, &meta, need).await {
        return json_error(&e);
    }
    let filters = match roster_core::users::check_filter(&query.filter) {
        Ok(f) => f,
        Err(e) => return json_error(&e),
    };
    let q = roster_types::page::normalized_search(query.q);
    let header = [
        "id",
        "email",
        "first_name",
        "last_name",
        "phone",
        "language",
        "status",
        "invited",
        "email_verified",
        "two_factor",
        "clients",
        "created_at",
        "last_sign_in_at",
    ];
    let body = stream(&header, move |after| {
        let (state, q, filters) = (state.clone(), q.clone(), filters.clone());
        async move {
            let rows = roster_core::users::export_batch(&state, &q, &filters, after, BATCH).await?;
            let next = rows.last().map(|r| r.cursor());
            let mut w = writer();
            for r in &rows {
                let two_factor = match r.two_factor_state() {
                    roster_types::users::TwoFactorState::Off => "off",
                    roster_types::users::TwoFactorState::Pending => "pending",
                    roster_types::users::TwoFactorState::On => "on",
                };
                let time = |t: DateTime<Utc>| roster_types::Timestamp::from(t).rfc3339();
                w.write_record([
                    r.id.to_string().as_str(),
                    &spreadsheet_safe(&r.email),
                    &spreadsheet_safe(&r.first_name),
                    &spreadsheet_safe(&r.last_name),
                    &spreadsheet_safe(r.phone.as_deref().unwrap_or("")),
                    &r.language,
                    &r.status,
                    bool_text(r.invited),
                    bool_text(r.email_verified),
                    two_factor,
                    &r.clients.to_string(),
                    &time(r.created_at),
                    &r.last_sign_in_at.map(time).unwrap_or_default(),
                ])
                .map_err(AppError::internal)?;
            }
            Ok((finish(w)?, next))
        }
    });
    attachment("roster-users.csv", body)
}

pub async fn audit_csv(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    req: Request,
) -> Response {
    let meta = RequestMeta::from_parts(&req.into_parts().0);
    let need = Some(StaffPermission::AuditView);
    let allowed = roster_core::staff::authorize(&state, &meta, need).await;
    if let Err(e) = allowed.and_then(|_| roster_core::audit::check_filter(&filter)) {
        return json_error(&e);
    }
    let header = [
        "time",
        "actor_kind",
        "actor",
        "action",
        "target_kind",
        "target",
        "target_id",
        "changes",
        "ip",
    ];
    let body = stream(&header, move |after| {
        let (state, filter) = (state.clone(), filter.clone());
        async move {
            let rows = roster_core::audit::export_batch(&state, &filter, after, BATCH).await?;
            let next = rows.last().and_then(audit_cursor);
            let mut w = writer();
            for r in &rows {
                w.write_record(audit_record(r))
                    .map_err(AppError::internal)?;
            }
            Ok((finish(w)?, next))
        }
    });
    attachment("roster-audit.csv", body)
}

fn audit_cursor(r: &AuditRow) -> Option<Cursor> {
    DateTime::from_timestamp_micros(r.at.micros()).map(|at| (at, r.id))
}

fn audit_record(r: &AuditRow) -> [String; 9] {
    let changes = r
        .changes
        .iter()
        .map(|c| match &c.before {
            Some(b) => format!("{}: {} → {}", c.field, b, c.after),
            None => format!("{}: {}", c.field, c.after),
        })
        .collect::<Vec<_>>()
        .join("; ");
    [
        r.at.rfc3339(),
        r.actor_kind.clone(),
        spreadsheet_safe(&r.actor_label),
        r.action.clone(),
        r.target_kind.clone(),
        spreadsheet_safe(&r.target_label),
        r.target_id.map(|i| i.to_string()).unwrap_or_default(),
        spreadsheet_safe(&changes),
        r.ip.clone(),
    ]
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Bytes, AppError> {
    w.into_inner()
        .map(Bytes::from)
        .map_err(|e| AppError::internal(e.to_string()))
}

/// The header line, then each batch `next` reads after the cursor it returned last, until
/// a batch comes back empty. A failure after the first byte can only end the download
/// early (the status is sent): it is logged, and the file is cut short.
fn stream<F, Fut>(header: &[&str], next: F) -> Body
where
    F: Fn(Option<Cursor>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(Bytes, Option<Cursor>), AppError>> + Send + 'static,
{
    let mut w = writer();
    let first = w
        .write_record(header)
        .map_err(AppError::internal)
        .and_then(|_| finish(w));
    enum Step {
        Header(Result<Bytes, AppError>),
        After(Option<Cursor>),
        Done,
    }
    let steps = futures::stream::unfold(Step::Header(first), move |step| {
        let batch = match &step {
            Step::After(after) => Some(next(*after)),
            _ => None,
        };
        async move {
            match (step, batch) {
                (Step::Header(bytes), _) => Some((bytes, Step::After(None))),
                (Step::After(_), Some(batch)) => match batch.await {
                    Ok((bytes, Some(cursor))) => Some((Ok(bytes), Step::After(Some(cursor)))),
                    Ok((_, None)) => None,
                    Err(e) => {
                        tracing::warn!(error = %e, "CSV export ended early");
                        Some((Err(e), Step::Done))
                    }
                },
                _ => None,
            }
        }
    });
    // Fused: the compression layer may ask once more after the end, which `unfold` alone
    // would answer with a panic.
    let steps = futures::StreamExt::fuse(steps);
    Body::from_stream(futures::StreamExt::map(steps, |r| {
        r.map_err(|e| std::io::Error::other(e.to_string()))
    }))
}

fn attachment(name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A cell that starts like a formula is prefixed with `'`, so that a name typed as
/// `=HYPERLINK(…)` stays text when the file is opened in a spreadsheet.
pub fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("ann@example.com"), "ann@example.com");
    }
}
