//! `/account`: the signed-in user's own page.

mod page;

pub use page::AccountPage;
