//! `/account`: the signed-in user's own page, in their Language.

mod page;
mod profile;
mod two_factor;

pub use page::AccountPage;
