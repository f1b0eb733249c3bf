use crate::api::users::impersonate_user;
use crate::ui::common::{ErrorBanner, FormErrors, Modal, ModalFooter, TextField};
use crate::{tr, trf};
use leptos::prelude::*;
use uuid::Uuid;

/// Sign in as a user (support): asks for the reason the user and the trail will read,
/// then opens the user's `/account` in this browser, as them, for at most 30 minutes.
#[component]
pub fn ImpersonateDialog(
    id: Uuid,
    email: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let start = Action::new(move |r: &String| impersonate_user(id, r.clone()));
    let errors = FormErrors::of(start);
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            // A whole page: the account page is the user's, not an admin page.
            let _ = window().location().assign("/account");
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start.dispatch(reason.get_untracked());
    };
    view! {
        <Modal title=trf!("Sign in as {email}", email = email.clone()) on_close=on_close>
            <form on:submit=submit novalidate>
                <p>{tr!("You will see their account as they do, for at most 30 minutes. They will see this session and your reason; the audit trail keeps both. Their password, two-factor authentication, recovery codes and sessions cannot be changed meanwhile.")}</p>
                <TextField label=tr!("Reason") name="reason" value=reason error=errors.field("reason") required=true />
                <ErrorBanner message=errors.banner() />
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || start.pending().get()>
                        {trf!("Sign in as {email}", email = email)}
                    </button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
