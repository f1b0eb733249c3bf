//! The state of the user form Create and Edit share, and the checks run as the user leaves
//! a field and again on Save. The rules are the domain's (`UserForm`), the same the server
//! applies; server answers land next to the same fields.

use crate::ui::i18n::field_text;
use leptos::prelude::*;
use roster_types::users::UserDetail;
use roster_types::{AppError, FieldError, FormMode, Language, UserForm};

#[derive(Clone, Copy)]
pub struct FormState {
    pub mode: FormMode,
    pub email: RwSignal<String>,
    pub password: RwSignal<String>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub language: RwSignal<String>,
    pub admin_notes: RwSignal<String>,
    pub two_factor: RwSignal<bool>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// An error that belongs to no field (stale copy, no permission, server trouble).
    pub banner: RwSignal<Option<AppError>>,
}

impl FormState {
    pub fn new(mode: FormMode) -> Self {
        let s = Self {
            mode,
            email: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            language: RwSignal::new(Language::En.code().to_string()),
            admin_notes: RwSignal::new(String::new()),
            two_factor: RwSignal::new(false),
            errors: RwSignal::new(Vec::new()),
            banner: RwSignal::new(None),
        };
        for (field, value) in [
            ("email", s.email),
            ("password", s.password),
            ("first_name", s.first_name),
            ("last_name", s.last_name),
            ("phone", s.phone),
            ("language", s.language),
            ("admin_notes", s.admin_notes),
        ] {
            clear_when_edited(field, value, s.errors);
        }
        s
    }

    pub fn fill(&self, u: &UserDetail) {
        self.email.set(u.email.clone());
        self.password.set(String::new());
        self.first_name.set(u.first_name.clone());
        self.last_name.set(u.last_name.clone());
        self.phone.set(u.phone.clone().unwrap_or_default());
        self.language.set(u.language.clone());
        self.admin_notes.set(u.admin_notes.clone());
        self.two_factor.set(u.two_factor);
        self.errors.set(Vec::new());
        self.banner.set(None);
    }

    pub fn form(&self) -> UserForm {
        UserForm {
            email: self.email.get_untracked(),
            password: self.password.get_untracked(),
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            phone: self.phone.get_untracked(),
            language: self.language.get_untracked(),
            admin_notes: self.admin_notes.get_untracked(),
            two_factor: self.two_factor.get_untracked(),
        }
    }

    pub fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.iter().find(|f| f.field == field).map(field_text)))
    }

    /// As the user leaves a field: its rule, now. A field that was never typed in and is
    /// still empty stays quiet until Save.
    pub fn check_one(&self, field: &'static str) {
        let form = self.form();
        let shown = self
            .errors
            .with_untracked(|e| e.iter().any(|f| f.field == field));
        if !shown && form_value(&form, field).trim().is_empty() {
            // Tabbing through an empty field is not a mistake yet (and an error appearing
            // under it would move the button the user is about to click).
            return;
        }
        let message = form.check_field(field, self.mode);
        self.errors.update(|e| {
            e.retain(|f| f.field != field);
            if let Some(m) = message {
                e.push(FieldError::new(field, m));
            }
        });
    }

    /// On Save: every rule; true when the form may be sent.
    pub fn check_all(&self) -> bool {
        self.check_all_as(self.mode)
    }

    /// `check_all` under another mode's password rule (Create's "Invite by email").
    pub fn check_all_as(&self, mode: FormMode) -> bool {
        let errs = self.form().check(mode);
        let ok = errs.is_empty();
        self.errors.set(errs);
        self.banner.set(None);
        if !ok {
            focus_first_error();
        }
        ok
    }

    /// A server answer: field errors go next to their fields, the rest to the banner.
    pub fn show_error(&self, e: AppError) {
        match e {
            AppError::Invalid { fields } => {
                self.errors.set(fields);
                self.banner.set(None);
                focus_first_error();
            }
            other => self.banner.set(Some(other)),
        }
    }

    /// Follow `save`: a saved user goes to `done`, a refusal is shown on the form.
    pub fn follow<I>(
        self,
        save: Action<I, Result<UserDetail, AppError>>,
        done: Callback<UserDetail>,
    ) where
        I: Send + Sync + 'static,
    {
        Effect::new(move |_| match save.value().get() {
            Some(Ok(u)) => done.run(u),
            Some(Err(e)) => self.show_error(e),
            None => {}
        });
    }
}

/// A field's error goes away as soon as its value changes, and comes back (if still
/// deserved) when the user leaves the field or saves: the message never lingers after a
/// fix, and the layout does not jump under the pointer when focus moves on.
fn clear_when_edited(
    field: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
) {
    Effect::new(move |previous: Option<String>| {
        let now = value.get();
        let shown = || errors.with_untracked(|e| e.iter().any(|f| f.field == field));
        if previous.is_some_and(|p| p != now) && shown() {
            errors.update(|e| e.retain(|f| f.field != field));
        }
        now
    });
}

fn form_value<'a>(f: &'a UserForm, field: &str) -> &'a str {
    match field {
        "email" => &f.email,
        "password" => &f.password,
        "first_name" => &f.first_name,
        "last_name" => &f.last_name,
        "phone" => &f.phone,
        "language" => &f.language,
        "admin_notes" => &f.admin_notes,
        _ => "",
    }
}

/// Move focus to the first field marked invalid, so keyboard users land on the problem.
pub fn focus_first_error() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document()
            .query_selector(".modal [aria-invalid='true']")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
