//! The audit trail: `/admin/audit` and the Activity tabs of users and clients.

mod activity;
mod page;
mod rows;

pub use activity::Activity;
pub use page::{pager_links, AuditPage};
pub use rows::AuditRows;
