//! `GET /admin/audit/export.csv`: the audit trail with `/admin/audit`'s filters (same
//! query names), as a CSV file. Permission audit-view, like the page.

use crate::middleware::json_error;
use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use roster_core::request::RequestMeta;
use roster_core::state::AppState;
use roster_types::audit::AuditFilter;
use roster_types::{AppError, StaffPermission};

/// Enough for any trail someone opens in a spreadsheet; narrow the filters for more.
const MAX_ROWS: i64 = 100_000;

pub async fn audit_csv(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let meta = RequestMeta::from_parts(&parts);
    match build(&state, &meta, &filter).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"roster-audit.csv\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => json_error(&e),
    }
}

async fn build(
    state: &AppState,
    meta: &RequestMeta,
    filter: &AuditFilter,
) -> Result<Vec<u8>, AppError> {
    roster_core::staff::authorize(state, meta, Some(StaffPermission::AuditView)).await?;
    let rows = roster_core::audit::newest(state, filter, MAX_ROWS).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| AppError::internal(e);
    w.write_record([
        "time",
        "actor_kind",
        "actor",
        "action",
        "target_kind",
        "target",
        "target_id",
        "changes",
        "ip",
    ])
    .map_err(csv_error)?;
    for r in rows {
        let changes = r
            .changes
            .iter()
            .map(|c| match &c.before {
                Some(b) => format!("{}: {} → {}", c.field, b, c.after),
                None => format!("{}: {}", c.field, c.after),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let target_id = r.target_id.map(|i| i.to_string()).unwrap_or_default();
        w.write_record([
            r.at.rfc3339().as_str(),
            &r.actor_kind,
            &spreadsheet_safe(&r.actor_label),
            &r.action,
            &r.target_kind,
            &spreadsheet_safe(&r.target_label),
            &target_id,
            &spreadsheet_safe(&changes),
            &r.ip,
        ])
        .map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| AppError::internal(e.to_string()))
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
