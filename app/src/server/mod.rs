//! Server-only code: services and data access. Never compiled into the WASM.

pub mod account;
pub mod audit;
pub mod clients;
pub mod csp;
pub mod db;
pub mod keys;
pub mod request;
pub mod security;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod staff_account;
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

impl From<security::passwords::HashError> for AppError {
    fn from(e: security::passwords::HashError) -> Self {
        match e {
            security::passwords::HashError::Busy => AppError::Busy {
                retry_after_secs: 1,
            },
            other => internal(other),
        }
    }
}

/// The data layer's errors as the API answers them. Contention (SQLite busy past its
/// timeout, a PostgreSQL serialization failure or deadlock, no free connection) is a
/// "try again" 503, not a 500; a uniqueness race is the field's error.
impl From<db::DbError> for AppError {
    fn from(e: db::DbError) -> Self {
        if e.is_contention() {
            tracing::warn!(error = %e, "database contention");
            return AppError::Busy {
                retry_after_secs: 1,
            };
        }
        match e {
            db::DbError::Duplicate(field) => AppError::invalid(
                field,
                format!("This {} is already taken.", field.replace('_', " ")),
            ),
            other => internal(other),
        }
    }
}
