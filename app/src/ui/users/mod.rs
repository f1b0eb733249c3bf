//! Manage Users: the table, search and paging, and the Create, Edit, Delete, Clients, Bulk
//! actions and Import modals. The table is server HTML (`page`, `table`); the island (`controls`)
//! holds the search box and the modals, and `common::results` brings the table again.

mod bulk;
mod clients_modal;
mod controls;
mod create_modal;
mod delete_dialog;
mod edit_modal;
mod fields;
mod filters;
mod form_state;
mod impersonate_dialog;
mod import;
mod page;
mod password;
mod table;

pub use clients_modal::UserClientsModal;
pub use create_modal::CreateUserModal;
pub use edit_modal::EditUserModal;
pub use page::UsersPage;
pub use table::UserTable;

/// Where Manage Users lives; its list URLs add the query.
const PATH: &str = "/admin/users";

/// Manage Users' state in the URL.
type ListQuery = crate::ui::common::ListQuery<roster_types::users::UserSort>;
