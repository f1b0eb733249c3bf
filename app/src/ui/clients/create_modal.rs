use super::client_form::{ClientFields, ClientFormState};
use crate::api::clients::create_client;
use crate::tr;
use crate::ui::common::{ErrorBanner, Modal, ModalFooter};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::clients::ClientForm;

/// + Create on Manage Clients: the client form in a modal; `on_created` gets the name the
/// toast shows.
#[component]
pub fn CreateClientModal(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<String>,
) -> impl IntoView {
    let state = ClientFormState::new();
    let save = Action::new(move |f: &ClientForm| {
        let f = f.clone();
        async move { create_client(f).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(c)) => on_created.run(if c.company_name.is_empty() {
            format!("{} {}", c.first_name, c.last_name)
        } else {
            c.company_name
        }),
        Some(Err(e)) => state.show_error(e),
        None => {}
    });
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <Modal title=tr!("Create Client") on_close=on_close>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                if state.check() { save.dispatch(state.form()); }
            }>
                <ErrorBanner message=banner />
                <ClientFields state=state />
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Save")}</button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
