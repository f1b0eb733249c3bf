//! Validated types and wire rows shared by the browser and the server. Depends on nothing
//! of ours.

pub mod account;
pub mod audit;
pub mod bulk;
pub mod clients;
pub mod email;
pub mod error;
pub mod event;
pub mod i18n;
pub mod impersonation;
pub mod import;
pub mod language;
pub mod links;
pub mod lock;
pub mod mail;
pub mod name;
pub mod notes;
pub mod page;
pub mod password;
pub mod permissions;
pub mod phone;
pub mod staff;
pub mod staff_members;
pub mod text;
pub mod time;
pub mod totp_code;
pub mod user_filter;
pub mod user_form;
pub mod users;

pub use email::Email;
pub use error::{AppError, FieldError, SignInRefusal, Taken};
pub use language::Language;
pub use lock::LockReason;
pub use name::PersonName;
pub use notes::AdminNotes;
pub use password::Password;
pub use permissions::{ClientPermission, StaffPermission};
pub use phone::Phone;
pub use staff::{Enrolment, RecoveryCodes, SignInStep, StaffMe};
pub use time::Timestamp;
pub use totp_code::{RecoveryCode, SecondFactor, TotpCode};
pub use user_form::{EditFlags, FormMode, UserForm, ValidUser};
