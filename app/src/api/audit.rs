//! The audit trail: `/admin/audit` and the Activity tabs (permission audit-view). The CSV
//! export of the same filters is a plain route (`server/src/export.rs`).

use leptos::prelude::*;
use roster_types::audit::{AuditFilter, AuditPage};
use roster_types::AppError;

/// One page of events matching `filter`, newest first.
#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn list_audit(
    #[server(default)] filter: AuditFilter,
    #[server(default)] page: u32,
    #[server(default)] per_page: u32,
) -> Result<AuditPage, AppError> {
    use roster_types::StaffPermission;
    let s = super::ctx::staff_with(Some(StaffPermission::AuditView)).await?;
    roster_core::audit::list(&s.state, &filter, page, per_page).await
}
