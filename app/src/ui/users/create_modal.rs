use super::fields::UserFields;
use super::form_state::FormState;
use crate::api::users::create_user;
use crate::tr;
use crate::ui::common::{ErrorBanner, Modal, ModalFooter};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::users::UserDetail;
use roster_types::FormMode;

/// `+ Create`: every field of a user. Save adds the user without a page reload.
#[component]
pub fn CreateUserModal(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<UserDetail>,
) -> impl IntoView {
    let state = FormState::new(FormMode::Create);
    let save = Action::new(move |f: &roster_types::UserForm| {
        let f = f.clone();
        async move { create_user(f).await }
    });
    state.follow(save, on_created);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.check_all() {
            save.dispatch(state.form());
        }
    };
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <Modal title=tr!("Create User") on_close=on_close>
            <form on:submit=submit novalidate>
                <ErrorBanner message=banner />
                <UserFields state=state />
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { tr!("Saving…") } else { tr!("Save") }}
                    </button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
