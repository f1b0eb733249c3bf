//! `/admin/staff`: who may manage users, and what each of them may do. The list is server
//! HTML (`page`); the island (`controls`) holds the buttons, with the modals (`modals`) as a
//! lazy chunk. `/admin/me`: the signed-in staff member's own account.

mod controls;
pub mod me;
mod modals;
mod page;
mod permissions;

pub use me::StaffAccountPage;
pub use page::StaffPage;
