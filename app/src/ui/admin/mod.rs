//! The admin area's frame: menu, signed-in staff member, sign-out.

mod dashboard;
mod shell;

pub use dashboard::Dashboard;
pub use shell::AdminShell;
