//! Signing in and the first-run setup page.

pub mod invitation;
pub mod login;
pub mod reset;
mod setup;
pub mod verify;

pub use invitation::AcceptInvitation;
pub use login::{RecoveryCodeList, StaffLogin, UserLogin};
pub use reset::{StaffForgot, StaffReset, UserForgot, UserReset};
pub use setup::Setup;
pub use verify::VerifyEmail;
