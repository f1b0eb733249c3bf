use crate::tr;
use leptos::prelude::*;
use roster_types::account::SessionRow;
use uuid::Uuid;

/// What the End buttons of a server-rendered list say to the page's island (see
/// `results::on_buttons`): `data-row-action` with the session's id, and `data-action` for
/// the button that ends the others.
pub const END_SESSION: &str = "end-session";
pub const END_OTHER_SESSIONS: &str = "end-other-sessions";

/// Signed-in sessions with an End button each; `on_end(None)` asks to end all (others).
/// Without `on_end` (a list rendered on the server only) the buttons carry their `data-`
/// attributes for the page's island to read.
#[component]
pub fn SessionList(
    rows: Vec<SessionRow>,
    #[prop(optional, into)] on_end: Option<Callback<Option<Uuid>>>,
    can_end: bool,
    /// The label of the button that ends several at once.
    end_all_label: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{tr!("No signed-in sessions.")}</p> }.into_any();
    }
    let several = rows.iter().filter(|r| !r.current).count() > 1;
    let end = move |which: Option<Uuid>| {
        if let Some(f) = on_end {
            f.run(which)
        }
    };
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
                                data-row-action=END_SESSION data-row-id=id.to_string() data-row-label=r.browser.clone()
                                on:click=move |_| end(Some(id))>{tr!("End")}</button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(can_end && several).then(|| view! {
            <button type="button" class="btn small" data-action=END_OTHER_SESSIONS
                on:click=move |_| end(None)>{end_all_label}</button>
        })}
    }
    .into_any()
}
