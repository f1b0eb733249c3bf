//! `/admin/staff`: who may manage users, and what each of them may do.

mod page;
mod permissions;

pub use page::StaffPage;
