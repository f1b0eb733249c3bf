//! Signing in and the first-run setup page.

mod login;
mod setup;

pub use login::StaffLogin;
pub use setup::Setup;
