//! A page's modals whose code is a lazy WASM chunk (`#[lazy]`): a visit that opens none
//! downloads none of it.

use leptos::prelude::*;
use std::future::Future;

/// Which modal is open (`D`), and the code that draws it (`V`, returned by the page's
/// `#[lazy]` loader) once it has arrived.
pub struct LazyDialog<D: Send + Sync + 'static, V: Send + Sync + 'static> {
    shown: RwSignal<Option<D>>,
    code: RwSignal<Option<V>>,
}

impl<D: Send + Sync + 'static, V: Send + Sync + 'static> Clone for LazyDialog<D, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Send + Sync + 'static, V: Send + Sync + 'static> Copy for LazyDialog<D, V> {}

impl<D: Send + Sync + 'static, V: Copy + Send + Sync + 'static> LazyDialog<D, V> {
    pub fn new() -> Self {
        Self {
            shown: RwSignal::new(None),
            code: RwSignal::new(None),
        }
    }

    /// Open `d`. The first time, `load` brings the code first, with `loading` on meanwhile.
    pub fn open<F>(self, d: D, loading: RwSignal<bool>, load: impl FnOnce() -> F + 'static)
    where
        F: Future<Output = V> + 'static,
    {
        if self.code.get_untracked().is_some() {
            self.shown.set(Some(d));
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            self.code.set(Some(load().await));
            loading.set(false);
            self.shown.set(Some(d));
        });
    }

    pub fn close(self) {
        self.shown.set(None);
    }

    /// The open modal drawn by its code (follows both).
    pub fn view(self, draw: impl Fn(D, V) -> AnyView) -> Option<AnyView>
    where
        D: Clone,
    {
        let d = self.shown.get()?;
        Some(draw(d, self.code.get()?))
    }
}

impl<D: Send + Sync + 'static, V: Copy + Send + Sync + 'static> Default for LazyDialog<D, V> {
    fn default() -> Self {
        Self::new()
    }
}
