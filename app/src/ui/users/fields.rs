//! The fields of the user form, in the order the panel shows them: Create shows these,
//! Edit adds its own.

use super::form_state::FormState;
use super::password::PasswordField;
use crate::tr;
use crate::ui::common::{SelectField, TextArea, TextField, Toggle};
use leptos::prelude::*;
use roster_types::{FormMode, Language};

/// Every field of the Create form, in its order (Edit adds its own below).
#[component]
pub fn UserFields(
    state: FormState,
    /// Create's "Invite by email", shown under Email: when on, no Password field (the
    /// user chooses it from the invitation).
    #[prop(optional)]
    invite: Option<RwSignal<bool>>,
) -> impl IntoView {
    let no_password = move || invite.is_some_and(|i| i.get());
    let blur = move |f: &'static str| Callback::new(move |_| state.check_one(f));
    let languages: Vec<(String, String)> = Language::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.label().to_string()))
        .collect();
    let password_label = if state.mode == FormMode::Edit {
        tr!("Leave empty to keep the current password.")
    } else {
        tr!("At least 12 characters; a phrase of unrelated words is easy to remember.")
    };
    view! {
        <TextField label=tr!("Email") name="email" kind="email" value=state.email error=state.error("email") required=true on_blur=blur("email") />
        {invite.map(|invite| view! {
            <Toggle label=tr!("Invite by email") name="invite" checked=invite hint=tr!("No password now: the user is mailed a link to choose one, valid for 7 days.") />
        })}
        <Show when=move || !no_password()>
            <PasswordField state=state hint=password_label />
        </Show>
        <Toggle label="2FA" name="two_factor" checked=state.two_factor hint=tr!("Two-factor authentication: the user sets up an authenticator app at their next sign-in.") />
        <div class="field-row">
            <TextField label=tr!("Firstname") name="first_name" value=state.first_name error=state.error("first_name") required=true on_blur=blur("first_name") />
            <TextField label=tr!("Lastname") name="last_name" value=state.last_name error=state.error("last_name") required=true on_blur=blur("last_name") />
        </div>
        <TextField label=tr!("Phone Number") name="phone" kind="tel" autocomplete="off" value=state.phone error=state.error("phone") on_blur=blur("phone") placeholder="+44 20 7946 0958" />
        <SelectField label=tr!("Language") name="language" value=state.language options=languages error=state.error("language") />
        <TextArea label=tr!("Admin Notes") name="admin_notes" value=state.admin_notes error=state.error("admin_notes") on_blur=blur("admin_notes") hint=tr!("Internal: visible to staff only.") />
    }
}
