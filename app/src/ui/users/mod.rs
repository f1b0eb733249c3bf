//! Manage Users: the table, search and paging, and the Create, Edit, Delete and
//! Clients modals.

mod clients_modal;
mod create_modal;
mod delete_dialog;
mod edit_modal;
mod fields;
mod form_state;
mod page;
mod password;
mod query;
mod table;

pub use clients_modal::UserClientsModal;
pub use create_modal::CreateUserModal;
pub use edit_modal::EditUserModal;
pub use page::UsersPage;
pub use table::UserTable;
