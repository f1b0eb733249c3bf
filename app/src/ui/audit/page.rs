use super::rows::AuditRows;
use crate::api::audit::list_audit;
use crate::ui::common::FormErrors;
use crate::ui::common::{encode, page_number};
use crate::ui::common::{PageHead, PageReady, SelectField, TextField};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::audit::{Action, AuditFilter};
use roster_types::users::group_thousands;
use roster_types::AppError;

const PATH: &str = "/admin/audit";
const KEYS: [&str; 5] = ["actor", "target", "action", "from", "to"];

/// The filters (and a page past the first) as a query string: the pager's links and the
/// CSV link share it.
fn query_string(f: &AuditFilter, page: u32) -> String {
    let mut parts: Vec<String> = KEYS
        .iter()
        .zip([&f.actor, &f.target, &f.action, &f.from, &f.to])
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// `/admin/audit`: every event, filtered by actor, target, action and days, paged, with
/// the same selection as CSV. Server HTML only, no island: the filters are a GET form, so
/// they live in the URL, and the pager and Clear are links. The page needs no WASM of its
/// own and works without JavaScript.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = leptos_router::hooks::use_query_map();
    let (filter, page) = params.with_untracked(|m| {
        let g = |k: &str| m.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let page = page_number(m.get("page").as_deref());
        let filter = AuditFilter {
            actor: g("actor"),
            target: g("target"),
            action: g("action"),
            from: g("from"),
            to: g("to"),
            target_id: None,
        };
        (filter, page)
    });
    let events = {
        let filter = filter.clone();
        async move { list_audit(filter, page, 50).await }
    };
    let csv = format!("{PATH}/export.csv{}", query_string(&filter, 1));

    view! {
        <PageHead title=tr!("Audit trail")>
            <a class="btn" href=csv download="roster-audit.csv" rel="external">{tr!("Export CSV")}</a>
        </PageHead>
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading…")}</p> }>
            {Suspend::new(async move {
                let result = events.await;
                view! {
                    <Filters filter=filter.clone() error=result.as_ref().err().cloned() />
                    {events_view(&filter, result)}
                }
            })}
        </Suspense>
        <PageReady />
    }
}

/// The filter form, filled from the URL, with the server's field messages.
#[component]
fn Filters(filter: AuditFilter, error: Option<AppError>) -> impl IntoView {
    let errors = FormErrors::new(Signal::stored(error));
    let mut options = vec![(String::new(), tr!("All actions").to_string())];
    options.extend(
        Action::areas()
            .into_iter()
            .map(|a| (a.to_string(), format!("{a}* (all)"))),
    );
    options.extend(
        Action::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.code().to_string())),
    );
    let value = RwSignal::new;
    view! {
        <form class="card filters" role="search" aria-label=tr!("Filter events") method="get" action=PATH novalidate>
            <TextField label=tr!("Actor") name="actor" value=value(filter.actor) error=errors.field("actor") placeholder=tr!("email or part of it") />
            <TextField label=tr!("Target") name="target" value=value(filter.target) error=errors.field("target") placeholder=tr!("email, name or UUID") />
            <SelectField label=tr!("Action") name="action" value=value(filter.action) options=options error=errors.field("action") />
            <TextField label=tr!("From") name="from" kind="date" value=value(filter.from) error=errors.field("from") />
            <TextField label=tr!("To") name="to" kind="date" value=value(filter.to) error=errors.field("to") />
            <div class="actions">
                <button type="submit" class="btn primary">{tr!("Apply filters")}</button>
                <a class="btn" href=PATH>{tr!("Clear")}</a>
            </div>
        </form>
    }
}

/// The count, the events and the pager for one answer of the server.
fn events_view(
    filter: &AuditFilter,
    result: Result<roster_types::audit::AuditPage, AppError>,
) -> AnyView {
    match result {
        Err(AppError::Invalid { .. }) => {
            view! { <p class="muted">{tr!("Correct the filters above.")}</p> }.into_any()
        }
        Err(e) => {
            view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any()
        }
        Ok(p) => {
            let nav = pager_links(&p, |n| format!("{PATH}{}", query_string(filter, n)));
            view! {
                <p class="muted" data-testid="audit-count">{format!("{} {}", group_thousands(p.total), if p.total == 1 { "event" } else { "events" })}</p>
                <div class="table-wrap"><AuditRows rows=p.rows show_target=true /></div>
                {nav}
            }
            .into_any()
        }
    }
}

/// Newer / Page n of m / Older as links (`at` gives a page's URL); nothing for one page.
pub fn pager_links(
    p: &roster_types::audit::AuditPage,
    at: impl Fn(u32) -> String,
) -> Option<impl IntoView> {
    let pages = (p.total as u32).max(1).div_ceil(p.per_page.max(1));
    let newer = (p.page > 1).then(|| at(p.page - 1));
    let older = (p.page < pages).then(|| at(p.page + 1));
    let page = p.page;
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=tr!("Pages")>
                {newer.map(|href| view! { <a class="btn small" href=href rel="prev">{tr!("Newer")}</a> })}
                <span class="muted">{trf!("Page {page} of {pages}", page = page, pages = pages)}</span>
                {older.map(|href| view! { <a class="btn small" href=href rel="next">{tr!("Older")}</a> })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_set_filters_and_pages_past_the_first() {
        let f = AuditFilter {
            actor: "a b&c".into(),
            action: "user.updated".into(),
            ..AuditFilter::default()
        };
        assert_eq!(query_string(&f, 1), "?actor=a%20b%26c&action=user.updated");
        assert_eq!(
            query_string(&f, 3),
            "?actor=a%20b%26c&action=user.updated&page=3"
        );
        assert_eq!(query_string(&AuditFilter::default(), 1), "");
        assert_eq!(query_string(&AuditFilter::default(), 2), "?page=2");
    }
}
