//! Bulk actions: one action on the rows ticked in the table, or on every user the search
//! and filters find, sent 100 users per request with a progress bar; the result lists
//! what was refused and why. In the modals' lazy chunk: a visit that never opens it
//! downloads none of this.

use super::ListQuery;
use crate::api::users::{bulk_users, list_users};
use crate::ui::common::{use_can, ErrorBanner, Modal};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::bulk::{BulkAction, BulkOutcome};
use roster_types::user_filter::UserFilter;
use uuid::Uuid;

/// Where the run stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Choosing,
    Running,
    Stopped,
    Finished,
}

/// Refusals listed at most; the counts go on past it (memory stays bounded on a run over
/// a million users).
const SHOWN: usize = 500;

fn label(a: BulkAction) -> &'static str {
    match a {
        BulkAction::Activate => tr!("Activate"),
        BulkAction::Deactivate => tr!("Deactivate"),
        BulkAction::EndSessions => tr!("End sessions"),
        BulkAction::TwoFactorOff => tr!("Switch 2FA off"),
        BulkAction::PasswordReset => tr!("Send password reset"),
        BulkAction::Delete => tr!("Delete"),
    }
}

/// The ids of the rows in the results, all of them or (`ticked`) those ticked; none on the
/// server, which never opens the modal.
#[cfg(feature = "hydrate")]
fn rows(ticked: bool) -> Vec<Uuid> {
    use leptos::wasm_bindgen::JsCast;
    let checked = if ticked { ":checked" } else { "" };
    let selector = format!("#{} input.row-pick{checked}", super::page::RESULTS_ID);
    let Ok(list) = document().query_selector_all(&selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .filter_map(|e| Uuid::parse_str(&e.value()).ok())
        .collect()
}

#[cfg(not(feature = "hydrate"))]
fn rows(_ticked: bool) -> Vec<Uuid> {
    Vec::new()
}

/// Which users the action goes over.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Ticked,
    Page,
    All,
}

/// The Bulk actions modal over the list in the state `query`. `on_changed` brings the
/// results again once a run has changed anything.
#[component]
pub fn BulkDialog(
    query: ListQuery,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let (ticked, page) = (rows(true), rows(false));
    let can = use_can();
    let allowed: Vec<BulkAction> = BulkAction::ALL
        .into_iter()
        .filter(|a| can(a.permission()))
        .collect();
    let filter = UserFilter::from_params(|k| Some(query.filter(k)));
    let q = query.q.clone();
    // How many the search finds: the list's own count (exact, or "at least" / "about").
    let matches = LocalResource::new({
        let (q, filter) = (q.clone(), filter.clone());
        move || list_users(q.clone(), 1, 10, String::new(), false, filter.clone())
    });
    let scope = RwSignal::new(if ticked.is_empty() {
        Scope::Page
    } else {
        Scope::Ticked
    });
    let action = RwSignal::new(String::new());
    let stage = RwSignal::new(Stage::Choosing);
    let (done, refused) = (RwSignal::new(0usize), RwSignal::new(0usize));
    let refusals = RwSignal::new(Vec::<BulkOutcome>::new());
    let error = RwSignal::new(None::<String>);
    let stop = RwSignal::new(false);
    let first = NodeRef::<leptos::html::Button>::new();
    let (count, on_page) = (ticked.len(), page.len());
    let list = |ids: &[Uuid]| {
        ids.iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let (ticked, page) = (list(&ticked), list(&page));

    let total = move || -> Option<usize> {
        match scope.get() {
            Scope::Ticked => return Some(count),
            Scope::Page => return Some(on_page),
            Scope::All => {}
        }
        let page = matches.get()?.ok()?;
        page.total_is_exact().then_some(page.total.max(0) as usize)
    };
    let matches_label = move || {
        matches
            .get()
            .and_then(|p| p.ok())
            .map_or_else(|| "…".to_string(), |p| p.total_label())
    };

    let run = move |_| {
        let Ok(chosen) = BulkAction::parse(&action.get_untracked()) else {
            error.set(Some(tr!("Choose an action.").to_string()));
            return;
        };
        let all = scope.get_untracked() == Scope::All;
        let ids = match scope.get_untracked() {
            Scope::Ticked => ticked.clone(),
            Scope::Page => page.clone(),
            Scope::All => String::new(),
        };
        let (q, filter) = (q.clone(), filter.clone());
        error.set(None);
        stop.set(false);
        stage.set(Stage::Running);
        if let Some(b) = first.get_untracked() {
            let _ = b.focus();
        }
        leptos::task::spawn_local(async move {
            let mut after = String::new();
            loop {
                let step = bulk_users(
                    chosen.code().to_string(),
                    ids.clone(),
                    all,
                    q.clone(),
                    filter.clone(),
                    after.clone(),
                )
                .await;
                let step = match step {
                    Ok(s) => s,
                    Err(e) => {
                        error.set(Some(error_text(&e)));
                        stage.set(Stage::Stopped);
                        break;
                    }
                };
                let no = step.outcomes.iter().filter(|o| o.refused.is_some()).count();
                done.update(|d| *d += step.outcomes.len() - no);
                refused.update(|r| *r += no);
                refusals.update(|list| {
                    let room = SHOWN.saturating_sub(list.len());
                    list.extend(
                        step.outcomes
                            .into_iter()
                            .filter(|o| o.refused.is_some())
                            .take(room),
                    );
                });
                match step.next {
                    Some(next) if !stop.get_untracked() => after = next,
                    Some(_) => {
                        stage.set(Stage::Stopped);
                        break;
                    }
                    None => {
                        stage.set(Stage::Finished);
                        break;
                    }
                }
            }
            if done.get_untracked() > 0 {
                on_changed.run(());
            }
        });
    };

    let choosing = move || stage.get() == Stage::Choosing;
    let delete = move || action.get() == BulkAction::Delete.code();
    view! {
        <Modal title=tr!("Bulk actions") on_close=on_close>
            <Show when=choosing fallback=move || view! {
                <div class="bulk-progress">
                    {move || match total() {
                        Some(max) => view! { <progress aria-label=tr!("Progress") max=max value=move || done.get() + refused.get()></progress> }.into_any(),
                        // A count that is capped or estimated: no end to show.
                        None => view! { <progress aria-label=tr!("Progress")></progress> }.into_any(),
                    }}
                    <p role="status" data-testid="bulk-status">
                        {move || trf!("{done} done, {refused} refused", done = done.get(), refused = refused.get())}
                        " "
                        {move || match stage.get() {
                            Stage::Finished => tr!("Finished."),
                            Stage::Stopped => tr!("Stopped."),
                            _ => tr!("Working…"),
                        }}
                    </p>
                    <Show when=move || !refusals.with(Vec::is_empty)>
                        <h3>{tr!("Refused")}</h3>
                        <ul class="bulk-refusals">
                            {move || refusals.get().into_iter().map(|o| {
                                let why = o.refused.as_ref().map(error_text).unwrap_or_default();
                                let who = if o.email.is_empty() { o.id.to_string() } else { o.email };
                                view! { <li><strong>{who}</strong>" — "{why}</li> }
                            }).collect_view()}
                        </ul>
                    </Show>
                </div>
            }>
                <fieldset class="bulk-scope">
                    <legend>{tr!("Users")}</legend>
                    <label>
                        <input type="radio" name="bulk-scope" disabled=count == 0 prop:checked=move || scope.get() == Scope::Ticked on:change=move |_| scope.set(Scope::Ticked) />
                        {trf!("The {count} ticked users", count = count)}
                    </label>
                    <label>
                        <input type="radio" name="bulk-scope" prop:checked=move || scope.get() == Scope::Page on:change=move |_| scope.set(Scope::Page) />
                        {trf!("The {count} users on this page", count = on_page)}
                    </label>
                    <label>
                        <input type="radio" name="bulk-scope" prop:checked=move || scope.get() == Scope::All on:change=move |_| scope.set(Scope::All) />
                        {move || trf!("All users matching this search and filters ({total})", total = matches_label())}
                    </label>
                </fieldset>
                <div class="field">
                    <label for="bulk-action">{tr!("Action")}</label>
                    <select id="bulk-action" name="action" prop:value=move || action.get() on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="">{tr!("Choose…")}</option>
                        {allowed.iter().map(|a| view! { <option value=a.code()>{label(*a)}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=delete>
                    <p class="banner warn">{tr!("Deleted users cannot be brought back; owners of clients are skipped.")}</p>
                </Show>
            </Show>
            <ErrorBanner message=error />
            <footer class="modal-actions">
                // One button that stays while the modal does (Cancel, then Stop, then Done):
                // focus moves to it when Apply goes, so Tab and Escape stay in the modal.
                <button type="button" class="btn" node_ref=first on:click=move |_| match stage.get_untracked() {
                    Stage::Running => stop.set(true),
                    _ => on_close.run(()),
                }>
                    {move || match stage.get() {
                        Stage::Choosing => tr!("Cancel"),
                        Stage::Running => tr!("Stop"),
                        _ => tr!("Done"),
                    }}
                </button>
                <Show when=choosing>
                    <button type="button" class="btn primary" class:danger=delete on:click=run.clone()>{tr!("Apply")}</button>
                </Show>
            </footer>
        </Modal>
    }
}
