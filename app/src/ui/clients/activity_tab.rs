//! A client page's Activity tab: the events about the client, newest first, 25 a page.
//! Server HTML only: the pager is links (`?tab=activity&page=2`), so the tab needs no
//! island and a page of the trail can be linked to.

use super::page::Tab;
use crate::api::audit::list_audit;
use crate::tr;
use crate::ui::audit::{pager_links, AuditRows};
use crate::ui::common::PageReady;
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::audit::AuditFilter;
use uuid::Uuid;

const PER_PAGE: u32 = 25;

#[component]
pub fn ClientActivity(client_id: Uuid, page: u32) -> impl IntoView {
    let filter = AuditFilter {
        target_id: Some(client_id),
        ..Default::default()
    };
    let events = list_audit(filter, page, PER_PAGE);
    let at = move |n: u32| format!("{}&page={n}", Tab::Activity.href(client_id));
    view! {
        <h2>{tr!("Activity")}</h2>
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading…")}</p> }>
            {Suspend::new(async move {
                match events.await {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(p) => {
                        let nav = pager_links(&p, at);
                        view! { <div class="table-wrap"><AuditRows rows=p.rows /></div> {nav} }.into_any()
                    }
                }
            })}
        </Suspense>
        <PageReady />
    }
}
