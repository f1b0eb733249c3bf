//! Components by feature. The UI calls `api` only.

pub mod account;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod common;
pub mod i18n;
pub mod mail;
pub mod staff;
pub mod users;
