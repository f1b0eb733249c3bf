//! Signing in and the first-run setup page.

pub mod login;
mod setup;

pub use login::{RecoveryCodeList, StaffLogin, UserLogin};
pub use setup::Setup;
