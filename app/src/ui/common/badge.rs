use crate::tr;
use crate::ui::i18n::t;
use leptos::prelude::*;
use roster_types::users::{avatar_hue, TwoFactorState, UserStatus};

// Plain functions, not components: a table draws several of these a row, and a component
// is a type-erased view (boxed to render) where a function's view keeps its own type.

/// A status word in a coloured pill.
pub fn badge(text: &'static str, tone: &'static str) -> impl IntoView {
    view! { <span class=format!("badge {tone}")>{text}</span> }
}

pub fn status_tone(s: UserStatus) -> &'static str {
    match s {
        UserStatus::New => "info",
        UserStatus::Active => "ok",
        UserStatus::Inactive => "off",
    }
}

/// LOCKED, with the reason for screen readers and as a tooltip.
pub fn lock_badge(reason: roster_types::LockReason) -> impl IntoView {
    view! {
        <span class="badge danger" title=t(reason.label())>
            "LOCKED"<span class="sr-only">{format!(" ({})", t(reason.label()))}</span>
        </span>
    }
}

/// Off / pending enrolment / on, with words for screen readers and a tooltip.
pub fn two_factor_badge(state: TwoFactorState) -> impl IntoView {
    let (text, tone, title) = match state {
        TwoFactorState::Off => (
            tr!("2FA off"),
            "off",
            tr!("Two-factor authentication is off"),
        ),
        TwoFactorState::Pending => (
            "2FA pending",
            "warn",
            tr!("2FA is on; the user enrols at next sign-in"),
        ),
        TwoFactorState::On => (
            tr!("2FA on"),
            "ok",
            tr!("Two-factor authentication is set up"),
        ),
    };
    view! { <span class=format!("badge tfa {tone}") title=title>{text}</span> }
}

/// Initials on a colour of the user's own: drawn here, never fetched from a third party.
/// One of twelve hue classes rather than a style attribute, which the Content-Security-
/// Policy does not allow.
pub fn avatar(initials: String, id: uuid::Uuid) -> impl IntoView {
    let class = format!("avatar hue-{}", avatar_hue(&id) / 30);
    view! { <span class=class aria-hidden="true">{initials}</span> }
}
