use crate::api::setup::{setup_create_staff, setup_link_valid};
use crate::tr;
use crate::ui::common::{ErrorBanner, TextField};
use crate::ui::i18n::{error_text, field_message, t};
use leptos::prelude::*;
use roster_types::{AppError, Email, Password};

/// `/admin/setup?token=…`: create the first staff member.
#[component]
pub fn Setup() -> impl IntoView {
    let query = crate::ui::common::use_query();
    let token = move || query.get("token").unwrap_or_default();
    let valid = Resource::new(token, setup_link_valid);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let local: RwSignal<Vec<(&'static str, String)>> = RwSignal::new(vec![]);
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let done = RwSignal::new(false);

    let create = Action::new(move |(t, e, p): &(String, String, String)| {
        let (t, e, p) = (t.clone(), e.clone(), p.clone());
        async move { setup_create_staff(t, e, p).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(())) => done.set(true),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    let check_email = move || {
        local.update(|l| l.retain(|(f, _)| *f != "email"));
        if let Err(e) = Email::parse(&email.get_untracked()) {
            local
                .update(|l| l.push(("email", t(roster_types::i18n::Message::msg(&e)).to_string())));
        }
    };
    let check_password = move || {
        local.update(|l| l.retain(|(f, _)| *f != "password"));
        if let Err(e) = Password::check_length(&password.get_untracked()) {
            local.update(|l| {
                l.push((
                    "password",
                    t(roster_types::i18n::Message::msg(&e)).to_string(),
                ))
            });
        }
    };
    let field_error = move |name: &'static str| {
        Signal::derive(move || {
            local
                .get()
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, m)| m.clone())
                .or_else(|| error.get().and_then(|e| field_message(&e, name)))
        })
    };
    let banner = Signal::derive(move || {
        error
            .get()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| error_text(&e))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        check_email();
        check_password();
        if local.get_untracked().is_empty() {
            create.dispatch((token(), email.get_untracked(), password.get_untracked()));
        }
    };

    view! {
        <main class="page-center">
            <div class="card narrow">
                <div class="brand-mark">"Roster"</div>
                <h1>{tr!("Create the first staff account")}</h1>
                <Suspense fallback=|| view! { <p class="muted">{tr!("Checking the setup link…")}</p> }>
                    {move || valid.get().map(|v| match (v, done.get()) {
                        (_, true) => view! {
                            <div class="banner success" role="status">{tr!("The staff account was created. Sign in to continue; you will set up two-factor authentication first.")}</div>
                            <a class="btn primary wide" href="/admin/login">{tr!("Go to sign-in")}</a>
                        }.into_any(),
                        (Ok(true), false) => view! {
                            <p class="muted">{tr!("This account gets every staff permission. The link works once.")}</p>
                            <ErrorBanner message=banner />
                            <form on:submit=submit novalidate>
                                <TextField label=tr!("Email") name="email" kind="email" autocomplete="username" value=email error=field_error("email") on_blur=Callback::new(move |_| check_email()) required=true autofocus=true />
                                <TextField label=tr!("Password") name="password" kind="password" autocomplete="new-password" value=password error=field_error("password") on_blur=Callback::new(move |_| check_password()) required=true />
                                <p class="hint">{tr!("At least 12 characters. A phrase of unrelated words works well.")}</p>
                                <button class="btn primary wide" type="submit" disabled=move || create.pending().get()>{tr!("Create staff account")}</button>
                            </form>
                        }.into_any(),
                        _ => view! {
                            <div class="banner error" role="alert">{AppError::SetupLinkInvalid.to_string()}</div>
                            <a class="btn wide" href="/admin/login">{tr!("Go to sign-in")}</a>
                        }.into_any(),
                    })}
                </Suspense>
            </div>
        </main>
    }
}
