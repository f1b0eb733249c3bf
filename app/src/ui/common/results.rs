//! The results of a list page in the browser (Manage Users, Manage Clients, Staff): the
//! server's HTML in a region of the page, brought again when the list changes, and its
//! buttons read by their `data-` attributes, so the page's island holds no code per row.

use super::StaffResource;
use leptos::prelude::*;
use roster_types::StaffMe;
use uuid::Uuid;

/// A list page as the server renders it: the page's island on top (`controls`, given the
/// signed-in staff member), and the results in the region `id`, which the island brings
/// again when the list changes.
pub fn list_page<V, F>(
    id: &'static str,
    controls: F,
    results: impl IntoView + 'static,
) -> impl IntoView
where
    F: FnOnce(StaffMe) -> V + Send + 'static,
    V: IntoView + Send + 'static,
{
    let staff = expect_context::<StaffResource>();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move { staff.await.ok().map(controls) })}
        </Suspense>
        <div id=id class="needs-island">{results}</div>
    }
}

/// A button of the results, as its `data-` attributes describe it (read in the browser).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Button {
    /// Show another list URL (a sort header, the pager, Clear search).
    Go(String),
    /// Rows per page changed.
    PerPage(u32),
    /// A row's button (`data-row-action`: Edit, Delete, View clients…) for the row's
    /// `data-row-id`, named by its `data-row-label` (the user's email, say).
    Row {
        what: String,
        id: Uuid,
        label: String,
    },
    /// A button of the region that concerns no one row (`data-action`: End all other
    /// sessions, say).
    Action(String),
}

/// Call `f` for every click on a button of the results in the element `region` (its id)
/// and every Rows per page change there. The listeners are the window's, which run outside
/// any owner: `f` runs under the caller's, where the page's texts and toasts are.
pub fn on_buttons(region: &'static str, f: impl Fn(Button) + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let owner = Owner::current().unwrap_or_default();
        let f = move |b: Button| owner.with(|| f(b));
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{Element, HtmlSelectElement};
        let inside = move |ev: &leptos::web_sys::Event, selector: &str| -> Option<Element> {
            let el = ev
                .target()?
                .dyn_into::<Element>()
                .ok()?
                .closest(selector)
                .ok()??;
            el.closest(&format!("#{region}")).ok()??;
            Some(el)
        };
        let click = f.clone();
        let clicks = window_event_listener(leptos::ev::click, move |ev| {
            let Some(el) = inside(&ev, "[data-go],[data-row-action],[data-action]") else {
                return;
            };
            if let Some(url) = el.get_attribute("data-go") {
                click(Button::Go(url));
            } else if let Some(what) = el.get_attribute("data-action") {
                click(Button::Action(what));
            } else if let (Some(what), Some(id), Some(label)) = (
                el.get_attribute("data-row-action"),
                el.get_attribute("data-row-id")
                    .and_then(|i| Uuid::parse_str(&i).ok()),
                el.get_attribute("data-row-label"),
            ) {
                click(Button::Row { what, id, label });
            }
        });
        let changes = window_event_listener(leptos::ev::change, move |ev| {
            let Some(el) = inside(&ev, "select[data-per-page]") else {
                return;
            };
            if let Some(per) = el
                .dyn_into::<HtmlSelectElement>()
                .ok()
                .and_then(|s| s.value().parse().ok())
            {
                f(Button::PerPage(per));
            }
        });
        on_cleanup(move || {
            clicks.remove();
            changes.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (region, f);
}

/// Bring the results of the current URL from the server and put them in place of the
/// shown ones in the element `region`; `loading` is on meanwhile. Only the latest of overlapping reloads is shown,
/// and the button that had focus (Edit of a row, Next) has it again afterwards.
pub fn reload(region: &'static str, loading: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicU32, Ordering};
        static LATEST: AtomicU32 = AtomicU32::new(0);
        let mine = LATEST.fetch_add(1, Ordering::Relaxed) + 1;
        loading.set(true);
        leptos::task::spawn_local(async move {
            let fetched = fetch_results(region).await;
            if LATEST.load(Ordering::Relaxed) != mine {
                return;
            }
            loading.set(false);
            match fetched {
                Ok(Fetched::Results(html)) => swap(region, &html),
                Ok(Fetched::SignedOut) => crate::ui::common::go_to("/admin/login"),
                // Offline or a server error: the shown results stay; the next change tries again.
                Err(_) => {}
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (region, loading);
}

#[cfg(feature = "hydrate")]
enum Fetched {
    Results(String),
    SignedOut,
}

#[cfg(feature = "hydrate")]
async fn fetch_results(region: &str) -> Result<Fetched, leptos::wasm_bindgen::JsValue> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{DomParser, Response, SupportedType};
    use wasm_bindgen_futures::JsFuture;
    let href = window().location().href()?;
    let resp: Response = JsFuture::from(window().fetch_with_str(&href))
        .await?
        .dyn_into()?;
    // The admin pages send a signed-out browser to sign-in.
    if resp.redirected() && resp.url().contains("/admin/login") {
        return Ok(Fetched::SignedOut);
    }
    if !resp.ok() {
        return Err(resp.status().into());
    }
    let text = JsFuture::from(resp.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let doc = DomParser::new()?.parse_from_string(&text, SupportedType::TextHtml)?;
    doc.get_element_by_id(region)
        .map(|e| Fetched::Results(e.inner_html()))
        .ok_or_else(|| "no results in the page".into())
}

/// The new results in place of the old; focus goes back to the same button, found by what
/// it does and for whom.
#[cfg(feature = "hydrate")]
fn swap(region_id: &str, html: &str) {
    let doc = document();
    let Some(region) = doc.get_element_by_id(region_id) else {
        return;
    };
    let focused = doc
        .active_element()
        .filter(|e| region.contains(Some(e.as_ref())));
    let key = focused.map(|e| {
        let attr = |n: &str| e.get_attribute(n).unwrap_or_default();
        (
            attr("data-row-action"),
            attr("data-row-id"),
            e.text_content().unwrap_or_default(),
        )
    });
    region.set_inner_html(html);
    let Some((what, id, text)) = key else {
        return;
    };
    let selector = if !what.is_empty() {
        format!("[data-row-action=\"{what}\"][data-row-id=\"{id}\"]")
    } else {
        "[data-go]".to_string()
    };
    let again = region.query_selector_all(&selector).ok().and_then(|list| {
        (0..list.length())
            .filter_map(|i| list.item(i))
            .find(|n| !what.is_empty() || n.text_content().unwrap_or_default() == text)
    });
    if let Some(el) = again.and_then(|n| {
        leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(n).ok()
    }) {
        let _ = el.focus();
    }
}
