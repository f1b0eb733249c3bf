use crate::tr;
use leptos::prelude::*;
use roster_types::account::SessionRow;
use uuid::Uuid;

/// How a session list's End buttons end sessions.
#[derive(Clone, Copy)]
pub enum EndWith {
    /// The page's island does it: `None` asks to end all (others).
    Callback(Callback<Option<Uuid>>),
    /// Each button is a plain form posted to this page (`intent` `end-session` with a
    /// `session_id`, or `end-others`): the list works with no WASM at all.
    Post(&'static str),
}

/// The `intent` of a post that ends one session, and of one that ends every other one.
pub const END_SESSION: &str = "end-session";
pub const END_OTHERS: &str = "end-others";

/// Signed-in sessions with an End button each (none for the current one), and one that
/// ends all the others when there are several.
#[component]
pub fn SessionList(
    rows: Vec<SessionRow>,
    /// `None`: the sessions are only listed.
    end: Option<EndWith>,
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
                let label = format!("{} {}", tr!("End session"), r.browser);
                view! {
                    <li>
                        <div>
                            <strong>{r.browser.clone()}</strong>
                            {r.current.then(|| view! { <span class="badge ok">{tr!("This browser")}</span> })}
                            <div class="muted small">
                                {format!("{} · {} {} · {} {}", r.ip, tr!("signed in"), r.created_at.date_time(), tr!("last seen"), r.last_seen_at.date_time())}
                            </div>
                            {r.support.map(|s| view! {
                                <div class="support-line">
                                    {crate::trf!("Support: {staff} signed in as you. Reason: {reason}", staff = s.staff, reason = s.reason)}
                                </div>
                            })}
                        </div>
                        {end.filter(|_| !r.current).map(|with| view! {
                            <EndButton with which=Some(r.id) label=Some(label) text=tr!("End") />
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {end.filter(|_| several).map(|with| view! {
            <EndButton with which=None label=None text=end_all_label />
        })}
    }
    .into_any()
}

/// One End button: ends session `which`, or every other one.
#[component]
fn EndButton(
    with: EndWith,
    which: Option<Uuid>,
    label: Option<String>,
    text: &'static str,
) -> impl IntoView {
    match with {
        EndWith::Callback(f) => view! {
            <button type="button" class="btn small" aria-label=label on:click=move |_| f.run(which)>{text}</button>
        }
        .into_any(),
        EndWith::Post(action) => view! {
            <form method="post" action=action class="inline">
                <input type="hidden" name="intent" value=if which.is_some() { END_SESSION } else { END_OTHERS } />
                {which.map(|id| view! { <input type="hidden" name="session_id" value=id.to_string() /> })}
                <button type="submit" class="btn small" aria-label=label>{text}</button>
            </form>
        }
        .into_any(),
    }
}
