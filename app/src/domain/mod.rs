//! Validated types and wire rows shared by the browser and the server. Depends on nothing
//! of ours.

pub mod email;
pub mod error;
pub mod password;
pub mod permissions;
pub mod staff;
pub mod totp_code;
pub mod users;

pub use email::Email;
pub use error::{AppError, FieldError, SignInRefusal};
pub use password::Password;
pub use permissions::{ClientPermission, StaffPermission};
pub use staff::{Enrolment, SignInStep, StaffMe};
pub use totp_code::TotpCode;
