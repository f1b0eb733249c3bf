use crate::api::account::update_my_profile;
use crate::tr;
use crate::ui::common::{ErrorBanner, FormErrors, SelectField, TextField};
use leptos::prelude::*;
use roster_types::account::ProfileForm;
use roster_types::Language;

/// Name, phone and language; the email is shown, not edited (it is the sign-in).
#[component]
pub fn ProfileCard(
    profile: ProfileForm,
    email: String,
    /// Set when a save succeeded; owned by the page so it survives the page re-rendering
    /// in a newly chosen language.
    saved: RwSignal<bool>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let first = RwSignal::new(profile.first_name);
    let last = RwSignal::new(profile.last_name);
    let phone = RwSignal::new(profile.phone);
    let language = RwSignal::new(profile.language);
    let save = Action::new(|p: &ProfileForm| update_my_profile(p.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            saved.set(true);
            on_saved.run(());
        }
    });
    let errors = FormErrors::of(save);
    let options = Language::ALL
        .iter()
        .map(|x| (x.code().to_string(), x.label().to_string()))
        .collect::<Vec<_>>();
    view! {
        <section class="card">
            <h2>{tr!("Profile")}</h2>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                let form = ProfileForm {
                    first_name: first.get_untracked(),
                    last_name: last.get_untracked(),
                    phone: phone.get_untracked(),
                    language: language.get_untracked(),
                };
                let problems = form.check();
                let ok = problems.is_empty();
                errors.local.set(problems);
                if ok {
                    save.dispatch(form);
                }
            }>
                <ErrorBanner message=errors.banner() />
                <Show when=move || saved.get()>
                    <div class="banner success" role="status">{tr!("Profile saved.")}</div>
                </Show>
                <div class="field">
                    <span class="label">{tr!("Email")}</span>
                    <p class="readonly" data-testid="profile-email">{email}</p>
                    <p class="hint">{tr!("Your email address is your sign-in; an administrator can change it.")}</p>
                </div>
                <TextField label=tr!("Firstname") name="first_name" autocomplete="given-name" value=first error=errors.field("first_name") />
                <TextField label=tr!("Lastname") name="last_name" autocomplete="family-name" value=last error=errors.field("last_name") />
                <TextField label=tr!("Phone Number") name="phone" kind="tel" autocomplete="tel" value=phone error=errors.field("phone") />
                <SelectField label=tr!("Language") name="language" value=language options=options error=errors.field("language") />
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Save profile")}</button>
            </form>
        </section>
    }
}
