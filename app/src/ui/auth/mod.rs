//! Signing in and the first-run setup page.

mod login;
mod setup;

pub use login::{RecoveryCodeList, StaffLogin, UserLogin};
pub use setup::Setup;
