//! The Mail page (permission mail-view): the outbox's newest mails.

use leptos::prelude::*;
use roster_types::mail::MailPage;
use roster_types::AppError;

#[server(prefix = "/api", endpoint = "mail/list")]
pub async fn list_mail() -> Result<MailPage, AppError> {
    use roster_types::StaffPermission;
    let s = super::ctx::staff_with(Some(StaffPermission::MailView)).await?;
    roster_core::mail::page(&s.state).await
}
