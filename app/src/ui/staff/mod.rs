//! `/admin/staff`: who may manage users, and what each of them may do.

mod me;
mod page;
mod permissions;

pub use me::StaffAccountPage;
pub use page::StaffPage;
