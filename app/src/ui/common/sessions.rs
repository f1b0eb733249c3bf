use crate::ui::i18n::t;
use leptos::prelude::*;
use roster_types::account::SessionRow;
use roster_types::Language;
use uuid::Uuid;

/// Signed-in sessions with an End button each; `on_end(None)` asks to end all (others).
#[component]
pub fn SessionList(
    rows: Vec<SessionRow>,
    #[prop(into)] on_end: Callback<Option<Uuid>>,
    can_end: bool,
    /// The label of the button that ends several at once.
    end_all_label: &'static str,
    /// `/account` speaks the user's language; staff screens English.
    #[prop(optional)]
    lang: Language,
) -> impl IntoView {
    let l = lang;
    if rows.is_empty() {
        return view! { <p class="muted">{t(l, "No signed-in sessions.")}</p> }.into_any();
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
                            {r.current.then(|| view! { <span class="badge ok">{t(l, "This browser")}</span> })}
                            <div class="muted small">
                                {format!("{} · {} {} · {} {}", r.ip, t(l, "signed in"), r.created_at.date_time(), t(l, "last seen"), r.last_seen_at.date_time())}
                            </div>
                        </div>
                        {(can_end && !r.current).then(|| view! {
                            <button type="button" class="btn small" aria-label=format!("{} {}", t(l, "End session"), r.browser)
                                on:click=move |_| on_end.run(Some(id))>{t(l, "End")}</button>
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
