use super::rows::AuditRows;
use crate::api::audit::list_audit;
use crate::ui::common::encode;
use crate::ui::common::FormErrors;
use crate::ui::common::{PageHead, SelectField, TextField};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::audit::{Action, AuditFilter};
use roster_types::users::group_thousands;
use roster_types::AppError;

const KEYS: [&str; 5] = ["actor", "target", "action", "from", "to"];

/// The filters as a query string (the page's URL and the CSV link share it).
fn query_string(f: &AuditFilter) -> String {
    KEYS.iter()
        .zip([&f.actor, &f.target, &f.action, &f.from, &f.to])
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `/admin/audit`: every event, filtered by actor, target, action and days, paged, with
/// the same selection as CSV. The filters live in the URL.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = crate::ui::common::use_query();
    let filter = Memo::new(move |_| {
        params.with(|m| {
            let g = |k: &str| m.get(k).unwrap_or_default();
            AuditFilter {
                actor: g("actor"),
                target: g("target"),
                action: g("action"),
                from: g("from"),
                to: g("to"),
                target_id: None,
            }
        })
    });
    let page = crate::ui::common::use_page_param();
    let events = Resource::new(
        move || (filter.get(), page.get()),
        |(f, p)| list_audit(f, p, 50),
    );

    let f0 = filter.get_untracked();
    let actor = RwSignal::new(f0.actor);
    let target = RwSignal::new(f0.target);
    let action = RwSignal::new(f0.action);
    let from = RwSignal::new(f0.from);
    let to = RwSignal::new(f0.to);

    let go = Callback::new(move |(f, p): (AuditFilter, u32)| {
        let mut q = query_string(&f);
        if p > 1 {
            q = if q.is_empty() {
                format!("page={p}")
            } else {
                format!("{q}&page={p}")
            };
        }
        params.navigate(&format!(
            "/admin/audit{}",
            if q.is_empty() {
                String::new()
            } else {
                format!("?{q}")
            }
        ));
    });
    let errors = FormErrors::new(Signal::derive(move || events.get().and_then(Result::err)));
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
    let csv = move || {
        let q = query_string(&filter.get());
        format!(
            "/admin/audit/export.csv{}",
            if q.is_empty() {
                String::new()
            } else {
                format!("?{q}")
            }
        )
    };

    view! {
        <PageHead title=tr!("Audit trail")>
            <a class="btn" href=csv download="roster-audit.csv" rel="external">{tr!("Export CSV")}</a>
        </PageHead>
        <form class="card filters" role="search" aria-label=tr!("Filter events") novalidate on:submit=move |ev| {
            ev.prevent_default();
            go.run((AuditFilter {
                actor: actor.get_untracked().trim().to_string(),
                target: target.get_untracked().trim().to_string(),
                action: action.get_untracked(),
                from: from.get_untracked(),
                to: to.get_untracked(),
                target_id: None,
            }, 1));
        }>
            <TextField label=tr!("Actor") name="actor" value=actor error=errors.field("actor") placeholder=tr!("email or part of it") />
            <TextField label=tr!("Target") name="target" value=target error=errors.field("target") placeholder=tr!("email, name or UUID") />
            <SelectField label=tr!("Action") name="action" value=action options=options error=errors.field("action") />
            <TextField label=tr!("From") name="from" kind="date" value=from error=errors.field("from") />
            <TextField label=tr!("To") name="to" kind="date" value=to error=errors.field("to") />
            <div class="actions">
                <button type="submit" class="btn primary">{tr!("Apply filters")}</button>
                <button type="button" class="btn" on:click=move |_| {
                    for s in [actor, target, action, from, to] { s.set(String::new()); }
                    go.run((AuditFilter::default(), 1));
                }>{tr!("Clear")}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || events.get().map(|r| match r {
                Err(AppError::Invalid { .. }) => view! { <p class="muted">{tr!("Correct the filters above.")}</p> }.into_any(),
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(p) => {
                    let pages = ((p.total as u32).max(1)).div_ceil(p.per_page);
                    view! {
                        <p class="muted" data-testid="audit-count">{format!("{} {}", group_thousands(p.total), if p.total == 1 { "event" } else { "events" })}</p>
                        <div class="table-wrap"><AuditRows rows=p.rows show_target=true /></div>
                        {(pages > 1).then(|| view! {
                            <nav class="pager" aria-label=tr!("Pages")>
                                <button type="button" class="btn small" disabled=p.page <= 1 on:click=move |_| go.run((filter.get_untracked(), p.page - 1))>{tr!("Newer")}</button>
                                <span class="muted">{trf!("Page {page} of {pages}", page = p.page, pages = pages)}</span>
                                <button type="button" class="btn small" disabled=p.page >= pages on:click=move |_| go.run((filter.get_untracked(), p.page + 1))>{tr!("Older")}</button>
                            </nav>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
