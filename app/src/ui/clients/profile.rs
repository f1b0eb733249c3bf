//! A client page's Profile tab: the client form as plain HTML, with no WASM of its own. It
//! posts to the page's own URL (`server/src/forms.rs`): a save or delete that is done
//! answers with a redirect (`?saved=1`, or Manage Clients), one that is refused with this
//! page again, holding what was typed and why it was refused (`Attempt`).

use super::client_form::{ClientFields, ClientFormState};
use super::page::Tab;
use crate::tr;
use crate::ui::common::{posted, ErrorBanner, PageReady};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::clients::ClientForm;
use roster_types::AppError;
use uuid::Uuid;

/// A post of the Profile form that was refused, handed to the page that answers it.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// The version the form named, so a second try names the same one (`None` when it
    /// named none that can be read: the page's own then).
    pub version: Option<i64>,
    /// What was typed (a refused delete keeps the client's own values).
    pub form: Option<ClientForm>,
    pub error: AppError,
}

/// The `intent` of a post that deletes the client (any other saves it).
pub const DELETE: &str = "delete";

/// Where a save that is done sends the browser: the Profile tab, saying so.
pub fn saved_href(id: Uuid) -> String {
    format!("{}?saved=1", Tab::Profile.href(id))
}

/// What the tab shows above the form, read from the page's URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    None,
    /// `?saved=1`: the redirect after a save.
    Saved,
    /// `?delete=confirm`: Delete client was chosen; ask before deleting.
    ConfirmDelete,
}

impl Notice {
    pub fn parse(saved: Option<&str>, delete: Option<&str>) -> Notice {
        if delete == Some("confirm") {
            Notice::ConfirmDelete
        } else if saved == Some("1") {
            Notice::Saved
        } else {
            Notice::None
        }
    }
}

/// The Profile tab. `version` is the client's as the page was rendered: a save names it,
/// so a change made meanwhile by someone else is refused instead of overwritten.
#[component]
pub fn ClientProfile(
    id: Uuid,
    version: i64,
    form: ClientForm,
    can_edit: bool,
    notice: Notice,
) -> impl IntoView {
    let action = Tab::Profile.href(id);
    let state = ClientFormState::new();
    let (version, banner) = match posted::<Attempt>() {
        Some(a) => {
            state.fill(a.form.unwrap_or(form));
            let version = a.version.unwrap_or(version);
            state.show_error(a.error);
            (
                version,
                state.banner.get_untracked().map(|e| error_text(&e)),
            )
        }
        None => {
            state.fill(form);
            (version, None)
        }
    };
    if notice == Notice::ConfirmDelete && can_edit {
        return view! {
            <section class="confirm" aria-labelledby="delete-title">
                <h2 id="delete-title">{tr!("Delete Client")}</h2>
                <p>{tr!("Delete this client? Its user associations are removed too. To keep its history, set its status to Closed instead.")}</p>
                <ErrorBanner message=banner />
                <form method="post" action=action.clone()>
                    <input type="hidden" name="intent" value=DELETE />
                    <footer class="modal-actions">
                        <a class="btn" href=action.clone()>{tr!("Cancel")}</a>
                        <button type="submit" class="btn danger">{tr!("Delete")}</button>
                    </footer>
                </form>
                <PageReady />
            </section>
        }
        .into_any();
    }
    let saved = (notice == Notice::Saved && banner.is_none())
        .then(|| view! { <p class="banner success" role="status">{tr!("Client saved")}</p> });
    // Delete client is a link to the question, not a submit button: Enter in a field
    // submits the form's first button, which must be Save.
    let confirm = format!("{action}?delete=confirm");
    view! {
        {saved}
        <form method="post" action=action novalidate>
            <ErrorBanner message=banner />
            <input type="hidden" name="version" value=version.to_string() />
            <fieldset disabled=!can_edit class="plain">
                <ClientFields state=state />
            </fieldset>
            {can_edit.then(|| view! {
                <footer class="modal-actions">
                    <button type="submit" class="btn primary">{tr!("Save")}</button>
                    <a class="btn danger" href=confirm>{tr!("Delete client")}</a>
                </footer>
            })}
        </form>
        <PageReady />
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_is_read_from_the_url() {
        assert_eq!(Notice::parse(None, None), Notice::None);
        assert_eq!(Notice::parse(Some("1"), None), Notice::Saved);
        assert_eq!(Notice::parse(Some("yes"), None), Notice::None);
        assert_eq!(Notice::parse(None, Some("confirm")), Notice::ConfirmDelete);
        assert_eq!(
            Notice::parse(Some("1"), Some("confirm")),
            Notice::ConfirmDelete
        );
        assert_eq!(Notice::parse(None, Some("now")), Notice::None);
    }
}
