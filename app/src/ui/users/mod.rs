//! Manage Users.

mod page;

pub use page::UsersPage;
