//! The HTTP API over real HTTP: the real router on a free port, a real SQLite file (or
//! PostgreSQL with ROSTER_TEST_ENGINE=postgres). One module per area.

#[path = "../common/mod.rs"]
mod common;

mod account;
mod audit;
mod auth;
mod clients;
mod delivery;
mod languages;
mod staff;
mod two_factor;
mod users;
