use super::fields::UserFields;
use super::form_state::FormState;
use crate::api::users::create_user;
use crate::tr;
use crate::ui::common::{ErrorBanner, Modal, ModalFooter, Toggle};
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
    // On by default: Email Verified turns on when the user opens the link.
    let send_verification = RwSignal::new(true);
    let save = Action::new(move |f: &roster_types::UserForm| {
        let f = f.clone();
        let send = send_verification.get_untracked();
        async move { create_user(f, Some(send)).await }
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
                <Toggle label=tr!("Send verification email") name="send_verification" checked=send_verification hint=tr!("A link that confirms the address: opening it turns Email Verified on.") />
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { tr!("Saving…") } else { tr!("Save") }}
                    </button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
