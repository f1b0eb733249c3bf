use super::rows::AuditRows;
use crate::api::audit::list_audit;
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::audit::AuditFilter;
use uuid::Uuid;

/// The events about one user or client, newest first, 25 at a time.
#[component]
pub fn Activity(target_id: Uuid) -> impl IntoView {
    let page = RwSignal::new(1u32);
    let events = Resource::new(
        move || page.get(),
        move |p| {
            list_audit(
                AuditFilter {
                    target_id: Some(target_id),
                    ..Default::default()
                },
                p,
                25,
            )
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || events.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(p) => {
                    let pages = ((p.total as u32).max(1)).div_ceil(p.per_page);
                    view! {
                        <AuditRows rows=p.rows />
                        {(pages > 1).then(|| view! {
                            <div class="pager">
                                <button type="button" class="btn small" disabled=p.page <= 1 on:click=move |_| page.update(|n| *n -= 1)>{tr!("Newer")}</button>
                                <span class="muted">{trf!("Page {page} of {pages}", page = p.page, pages = pages)}</span>
                                <button type="button" class="btn small" disabled=p.page >= pages on:click=move |_| page.update(|n| *n += 1)>{tr!("Older")}</button>
                            </div>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
