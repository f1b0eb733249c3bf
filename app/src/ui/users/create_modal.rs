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
    // "Invite by email": no password here; the user chooses it from the mailed link.
    let invite = RwSignal::new(false);
    let save = Action::new(move |f: &roster_types::UserForm| {
        let f = f.clone();
        let send = send_verification.get_untracked();
        let invite = invite.get_untracked();
        async move { create_user(f, Some(send), Some(invite)).await }
    });
    state.follow(save, on_created);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mode = if invite.get_untracked() {
            state.password.set(String::new());
            FormMode::Invite
        } else {
            FormMode::Create
        };
        if state.check_all_as(mode) {
            save.dispatch(state.form());
        }
    };
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <Modal title=tr!("Create User") on_close=on_close>
            <form on:submit=submit novalidate>
                <ErrorBanner message=banner />
                <UserFields state=state invite=invite />
                <Show when=move || !invite.get()>
                    <Toggle label=tr!("Send verification email") name="send_verification" checked=send_verification hint=tr!("A link that confirms the address: opening it turns Email Verified on.") />
                </Show>
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>
                        {move || match (save.pending().get(), invite.get()) {
                            (true, _) => tr!("Saving…"),
                            (false, true) => tr!("Save and invite"),
                            (false, false) => tr!("Save"),
                        }}
                    </button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
