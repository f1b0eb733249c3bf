//! The services: what Roster does, behind the server functions. Server-only: never
//! compiled into the WASM. Calls the data layer (`roster_data`); knows nothing of HTTP
//! frameworks or Leptos.

pub mod account;
pub mod acting;
pub mod audit;
pub mod bulk;
pub mod clients;
pub mod email_verification;
pub mod impersonation;
pub mod import;
pub mod invitations;
pub mod keys;
pub mod mail;
pub mod password_reset;
pub mod request;
pub mod security;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod staff_account;
pub mod state;
pub mod users;

use roster_types::AppError;

pub use acting::{Acting, OwnedActing, Signed};

/// The account kinds and session rows server functions name; the data layer defines them.
pub use roster_data::accounts::{Credentials, Principal};
pub use roster_data::sessions::{Impersonator, Session};

/// A secret that does not decrypt under the server key is a fault, never the user's.
impl From<security::crypto::CryptoError> for AppError {
    fn from(e: security::crypto::CryptoError) -> Self {
        AppError::internal(e)
    }
}

impl From<security::passwords::HashError> for AppError {
    fn from(e: security::passwords::HashError) -> Self {
        match e {
            security::passwords::HashError::Busy => AppError::Busy {
                retry_after_secs: 1,
            },
            other => AppError::internal(other),
        }
    }
}
