use crate::tr;
use leptos::prelude::*;
use roster_types::account::SessionRow;
use uuid::Uuid;

/// Signed-in sessions with an End button each; `on_end(None)` asks to end all (others).
#[component]
pub fn SessionList(
    rows: Vec<SessionRow>,
    #[prop(into)] on_end: Callback<Option<Uuid>>,
    can_end: bool,
    /// The label of the button that ends several at once.
    end_all_label: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{tr!("No signed-in sessions.")}</p> }.into_any();
    }
    let several = rows.iter().filter(|r| !r.current).count() > 1;
    view! {
        <ul class="sessions">
            {rows.into_iter().map(|r| {
                let id = r.id;
                view! {
                    <li>
                        <div>
                            <strong>{r.browser.clone()}</strong>
                            {r.current.then(|| view! { <span class="badge ok">{tr!("This browser")}</span> })}
                            <div class="muted small">
                                {format!("{} · {} {} · {} {}", r.ip, tr!("signed in"), r.created_at.date_time(), tr!("last seen"), r.last_seen_at.date_time())}
                            </div>
                        </div>
                        {(can_end && !r.current).then(|| view! {
                            <button type="button" class="btn small" aria-label=format!("{} {}", tr!("End session"), r.browser)
                                on:click=move |_| on_end.run(Some(id))>{tr!("End")}</button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(can_end && several).then(|| view! {
            <button type="button" class="btn small" on:click=move |_| on_end.run(None)>{end_all_label}</button>
        })}
    }
    .into_any()
}
