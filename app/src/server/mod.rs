//! Server-only code: services and data access. Never compiled into the WASM.

pub mod account;
pub mod audit;
pub mod clients;
pub mod db;
pub mod request;
pub mod security;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod state;
pub mod users;

use crate::domain::error::short_reference;
use crate::domain::AppError;

/// An unexpected failure: logged in full under a short reference, shown to the user as
/// that reference only. Never a 500 page, never a secret in the message.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    let text = e.to_string();
    let reference = short_reference(&text);
    tracing::error!(reference = %reference, error = %text, "internal error");
    AppError::Internal { reference }
}
