//! Small reactive helpers the pages share.

use leptos::prelude::*;
use roster_types::{AppError, StaffMe, StaffPermission};
use std::time::Duration;

/// The signed-in staff member, loaded once by the admin shell for every admin page.
pub type StaffResource = Resource<Result<StaffMe, AppError>>;

/// Runs the latest of a burst of calls once the burst pauses: the search boxes and the
/// password strength check follow typing without asking on every key.
#[derive(Clone, Copy)]
pub struct Debounce {
    latest: StoredValue<u32>,
    pause: Duration,
}

impl Debounce {
    pub fn new(pause_ms: u64) -> Self {
        Self {
            latest: StoredValue::new(0),
            pause: Duration::from_millis(pause_ms),
        }
    }

    /// Run `f` after the pause, unless another call comes first.
    pub fn run(self, f: impl FnOnce() + 'static) {
        self.latest.update_value(|g| *g = g.wrapping_add(1));
        let mine = self.latest.get_value();
        set_timeout(
            move || {
                if self.latest.get_value() == mine {
                    f();
                }
            },
            self.pause,
        );
    }
}

/// A list to fetch again: a resource reads `version()`, a change calls `bump()`.
#[derive(Clone, Copy)]
pub struct Refresh(RwSignal<u32>);

impl Refresh {
    pub fn new() -> Self {
        Self(RwSignal::new(0))
    }

    pub fn version(self) -> u32 {
        self.0.get()
    }

    pub fn bump(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }
}

impl Default for Refresh {
    fn default() -> Self {
        Self::new()
    }
}

/// The signed-in staff member handed to an island as its prop: the shell has already
/// looked them up on the server, so the island does not look them up again.
#[derive(Clone)]
pub struct KnownStaff(pub StaffMe);

/// The signed-in staff member, once loaded (admin pages only).
pub fn use_me() -> Signal<Option<StaffMe>> {
    if let Some(KnownStaff(me)) = use_context::<KnownStaff>() {
        return Signal::stored(Some(me));
    }
    let me = expect_context::<StaffResource>();
    Signal::derive(move || me.get().and_then(Result::ok))
}

/// Whether the signed-in staff member holds a permission: buttons they may not use are
/// not shown (the server refuses them anyway).
pub fn use_can() -> impl Fn(StaffPermission) -> bool + Copy + Send + Sync + 'static {
    let me = use_me();
    move |p| me.with(|m| m.as_ref().is_some_and(|m| m.can(p)))
}

/// Back to the sign-in page `login` (a full page load) once `signed_out` says the session
/// is over: signed out here, or ended elsewhere (the account's resource answers 401).
pub fn leave_when_signed_out(login: &'static str, signed_out: impl Fn() -> bool + 'static) {
    Effect::new(move |_| {
        if signed_out() {
            super::go_to(login);
        }
    });
}
