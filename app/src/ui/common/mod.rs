//! Pieces every page uses.

mod badge;
mod field;
mod form_errors;
mod hooks;
mod hydrated;
mod lazy_dialog;
mod list_island;
mod list_query;
mod location;
pub mod markup;
mod modal;
mod not_found;
mod page_head;
mod pager;
mod password_change;
mod post;
mod posted;
mod preload;
pub mod results;
mod sessions;
mod table;
mod toast;
mod url;

pub use badge::{badge, status_tone};
pub use field::{ErrorBanner, SelectField, TextArea, TextField, Toggle};
pub use form_errors::FormErrors;
pub use hooks::{
    leave_when_signed_out, use_can, use_me, Debounce, KnownStaff, Refresh, StaffResource,
};
pub use hydrated::{IslandFrame, PageReady};
pub use lazy_dialog::LazyDialog;
pub use list_island::{ListState, SearchBox};
pub use list_query::{ListQuery, ListSort};
pub use location::{use_query, Query};
pub use modal::{Modal, ModalFooter};
pub use not_found::NotFound;
pub use page_head::PageHead;
pub use pager::pager;
pub use password_change::{ChangePasswordCard, PasswordFields};
#[cfg(feature = "hydrate")]
pub use post::send_form;
pub use post::{post_form, post_once};
pub use posted::posted;
pub use preload::{preload_island, snake_case as island_snake_case};
pub use sessions::{EndWith, SessionList, END_OTHERS, END_SESSION};
pub use table::Table;
pub use toast::{use_toasts, ToastRegion, Toasts};
pub use url::{encode, page_number};

/// Send the browser to `path` with a full page load (after sign-in or sign-out the whole
/// app starts over with the new session).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A date as staff read it in the table (UTC, so every viewer sees the same).
pub fn short_date(t: &roster_types::Timestamp) -> String {
    t.date()
}

pub fn date_time(t: &roster_types::Timestamp) -> String {
    t.date_time()
}
