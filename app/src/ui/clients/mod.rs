//! Manage Clients, the client page (Profile and Users tabs), and associating users.

mod associate_modal;
mod client_form;
mod list_page;
mod page;
mod permissions;
mod users_tab;

pub use list_page::ClientsPage;
pub use page::ClientPage;
