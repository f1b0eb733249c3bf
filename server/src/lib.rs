//! The `roster` server: configuration, router, middleware and first-run setup. `main.rs`
//! only dispatches the command line; tests build the same router.

pub mod assets;
pub mod bench;
pub mod cli;
pub mod compression;
pub mod config;
pub mod export;
pub mod forms;
pub mod import;
pub mod listen;
pub mod middleware;
pub mod router;
pub mod seed;
pub mod setup;
