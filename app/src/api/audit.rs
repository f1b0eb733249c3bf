//! The audit trail: `/admin/audit` and the Activity tabs (permission audit-view). The CSV
//! export of the same filters is a plain route (`server/src/export.rs`).

use crate::domain::audit::{AuditFilter, AuditPage};
use crate::domain::AppError;
use leptos::prelude::*;

/// One page of events matching `filter`, newest first.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] filter: AuditFilter,
    #[server(default)] page: u32,
    #[server(default)] per_page: u32,
) -> Result<AuditPage, AppError> {
    use crate::domain::StaffPermission;
    use crate::server::{db::audit, internal};
    let s = super::ctx::staff_with(Some(StaffPermission::AuditView)).await?;
    let errors = filter.check();
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    let per_page = crate::domain::users::page_size(per_page);
    let page = page.max(1);
    let (rows, total) = audit::search(
        &s.state.db,
        &filter,
        per_page as i64,
        (page as i64 - 1) * per_page as i64,
    )
    .await
    .map_err(internal)?;
    Ok(AuditPage {
        rows,
        total,
        page,
        per_page,
    })
}
