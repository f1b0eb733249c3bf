use crate::api::users::delete_user;
use crate::ui::common::{ErrorBanner, Modal, ModalFooter};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use uuid::Uuid;

/// The trash button: a confirmation that names the email. An owner of clients is refused
/// with the list of those clients.
#[component]
pub fn DeleteUserDialog(
    id: Uuid,
    email: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_deleted: Callback<String>,
) -> impl IntoView {
    let remove = Action::new(move |_: &()| delete_user(id));
    let error = RwSignal::new(None::<String>);
    let done_email = email.clone();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => on_deleted.run(done_email.clone()),
        Some(Err(e)) => error.set(Some(error_text(&e))),
        None => {}
    });
    view! {
        <Modal title=tr!("Delete User") on_close=on_close>
            <p>{tr!("Delete the user ")} <strong>{email.clone()}</strong> {tr!("? Their client associations and sessions are removed too. This cannot be undone; the audit trail keeps a record.")}</p>
            <ErrorBanner message=error />
            <ModalFooter on_cancel=on_close>
                <button type="button" class="btn danger" disabled=move || remove.pending().get() on:click=move |_| { error.set(None); remove.dispatch(()); }>
                    {trf!("Delete {email}", email = email)}
                </button>
            </ModalFooter>
        </Modal>
    }
}
