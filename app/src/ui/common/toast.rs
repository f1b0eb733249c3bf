use leptos::prelude::*;

/// Short confirmations after a change ("User created"), announced to screen readers.
#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>);

impl Toasts {
    pub fn provide() -> Self {
        let t = Self(RwSignal::new(Vec::new()));
        provide_context(t);
        t
    }

    pub fn show(&self, message: impl Into<String>) {
        let list = self.0;
        let id = list.with_untracked(|l| l.last().map(|(i, _)| i + 1).unwrap_or(0));
        list.update(|l| l.push((id, message.into())));
        set_timeout(
            move || list.update(|l| l.retain(|(i, _)| *i != id)),
            std::time::Duration::from_secs(4),
        );
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.0.get() key=|(id, _)| *id let:t>
                <div class="toast">{t.1}</div>
            </For>
        </div>
    }
}
