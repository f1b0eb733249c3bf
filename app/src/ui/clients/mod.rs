//! Manage Clients (the table is server HTML: `list_page`, `list_table`; the island:
//! `list_controls`, with the Create modal as a lazy chunk), and a client's page (`page`:
//! server HTML with its tabs as links; `profile`, `users_tab` and `activity_tab` draw
//! them), where users are associated.

mod activity_tab;
mod associate_modal;
mod client_form;
mod create_modal;
mod list_controls;
mod list_page;
mod list_table;
mod page;
mod permissions;
mod profile;
mod users_tab;

pub use list_page::ClientsPage;
pub use page::ClientPage;
pub use profile::{saved_href, Attempt as ProfileAttempt, DELETE};

/// Where Manage Clients lives; its list URLs add the query, a client's page its id.
pub const PATH: &str = "/admin/clients";

/// Manage Clients' state in the URL.
type ListQuery = crate::ui::common::ListQuery<roster_types::clients::ClientSort>;
