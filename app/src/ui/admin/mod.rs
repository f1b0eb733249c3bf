//! The admin area's frame: menu, signed-in staff member, sign-out.

mod dashboard;
mod shell;

pub use dashboard::Dashboard;
pub use shell::AdminShell;

/// Staff sign-in, where every admin page sends whoever is not signed in as staff.
pub const STAFF_LOGIN: &str = "/admin/login";
