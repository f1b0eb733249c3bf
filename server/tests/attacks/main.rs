//! The attack battery: what an attacker would try, over real HTTP against the real router,
//! from several loopback addresses. Each module is one kind of attack.

#[path = "../common/mod.rs"]
mod common;

mod audit_page;
mod authorization;
mod bad_input;
mod bulk;
mod client_form_post;
mod client_page;
mod concurrency;
mod connection;
mod durability;
mod encoding;
mod exports;
mod filters;
mod flood;
mod headers;
mod impersonation;
mod import;
mod invitations;
mod languages;
mod list_pages;
mod lockout;
mod mail_page;
mod my_account;
mod my_account_forms;
mod outbox;
mod password_reset;
mod sessions;
mod sign_in_forms;
mod users_page;
mod verification;
