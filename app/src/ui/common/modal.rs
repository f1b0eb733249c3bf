use crate::tr;
use leptos::prelude::*;

/// A dialog over the page: labelled by its title, keeps Tab and Shift+Tab inside, closes
/// on Escape or a click on the backdrop, focuses its first field when it opens and gives
/// focus back to what had it when it closes.
#[component]
pub fn Modal(
    /// The heading, also the dialog's accessible name.
    #[prop(into)]
    title: Signal<String>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<leptos::html::Div>::new();
    let title_id = format!("dlg-{}", next_id());
    let labelled_by = title_id.clone();
    #[cfg(feature = "hydrate")]
    {
        let opener = document().active_element();
        Effect::new(move |_| {
            if let Some(el) = panel.get() {
                focus_first(&el);
            }
        });
        on_cleanup(move || {
            if let Some(el) = opener.and_then(|e| {
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(e).ok()
            }) {
                let _ = el.focus();
            }
        });
    }
    let keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            on_close.run(());
        }
        "Tab" =>
        {
            #[cfg(feature = "hydrate")]
            if let Some(el) = panel.get() {
                trap_tab(&el, &ev);
            }
        }
        _ => {}
    };
    view! {
        <div class="backdrop" on:mousedown=move |ev| {
            // Only a press on the backdrop itself, not a drag that ends outside the panel.
            if event_target::<leptos::web_sys::Element>(&ev).class_name() == "backdrop" { on_close.run(()) }
        }>
            <div
                class="modal"
                class:wide=wide
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                node_ref=panel
                on:keydown=keydown
            >
                <header class="modal-head">
                    <h2 id=title_id>{move || title.get()}</h2>
                    <button type="button" class="icon-btn" aria-label=tr!("Close") on:click=move |_| on_close.run(())>"×"</button>
                </header>
                {children()}
            </div>
        </div>
    }
}

fn next_id() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(feature = "hydrate")]
const FOCUSABLE: &str = "input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

#[cfg(feature = "hydrate")]
fn focusables(root: &leptos::web_sys::HtmlDivElement) -> Vec<leptos::web_sys::HtmlElement> {
    use leptos::wasm_bindgen::JsCast;
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        .collect()
}

/// The first form field, else the first button that is not the close button.
#[cfg(feature = "hydrate")]
fn focus_first(root: &leptos::web_sys::HtmlDivElement) {
    let all = focusables(root);
    let pick = all
        .iter()
        .find(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
        .or_else(|| all.iter().find(|e| e.class_name() != "icon-btn"))
        .or(all.first());
    if let Some(e) = pick {
        let _ = e.focus();
    }
}

#[cfg(feature = "hydrate")]
fn trap_tab(root: &leptos::web_sys::HtmlDivElement, ev: &leptos::web_sys::KeyboardEvent) {
    let all = focusables(root);
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return;
    };
    let active = document().active_element();
    let is = |e: &leptos::web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == AsRef::<leptos::web_sys::Element>::as_ref(e))
    };
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    if ev.shift_key() && (is(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (is(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The foot of a modal: Cancel (which closes it), then the modal's own action
/// (`children`).
#[component]
pub fn ModalFooter(#[prop(into)] on_cancel: Callback<()>, children: Children) -> impl IntoView {
    view! {
        <footer class="modal-actions">
            <button type="button" class="btn" on:click=move |_| on_cancel.run(())>{tr!("Cancel")}</button>
            {children()}
        </footer>
    }
}
