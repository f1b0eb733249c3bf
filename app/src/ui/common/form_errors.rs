//! What a form shows of a refusal.

use crate::ui::i18n::{error_text, field_message, field_text};
use leptos::prelude::*;
use roster_types::{AppError, FieldError};

/// A form's errors: each field's message (the browser's own check first, then the
/// server's answer) and a banner for a refusal that names no field.
#[derive(Clone, Copy)]
pub struct FormErrors {
    /// Problems found in the browser before anything was sent.
    pub local: RwSignal<Vec<FieldError>>,
    server: Signal<Option<AppError>>,
}

impl FormErrors {
    /// Errors from the server's last answer, as `server` holds it.
    pub fn new(server: impl Into<Signal<Option<AppError>>>) -> Self {
        Self {
            local: RwSignal::new(Vec::new()),
            server: server.into(),
        }
    }

    /// Errors from the last answer of a save action.
    pub fn of<I, T>(save: Action<I, Result<T, AppError>>) -> Self
    where
        I: Send + Sync + 'static,
        T: Clone + Send + Sync + 'static,
    {
        Self::new(Signal::derive(move || {
            save.value().get().and_then(Result::err)
        }))
    }

    pub fn field(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            let local = self
                .local
                .with(|l| l.iter().find(|e| e.field == name).map(field_text));
            local.or_else(|| self.server.get().and_then(|e| field_message(&e, name)))
        })
    }

    pub fn banner(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            let e = self.server.get()?;
            (!matches!(e, AppError::Invalid { .. })).then(|| error_text(&e))
        })
    }
}
