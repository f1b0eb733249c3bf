use crate::tr;
use crate::ui::common::date_time;
use leptos::prelude::*;
use roster_types::audit::AuditRow;

/// Events as a list: when, who, what, to what, and each change before → after.
#[component]
pub fn AuditRows(rows: Vec<AuditRow>, #[prop(optional)] show_target: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{tr!("No events match.")}</p> }.into_any();
    }
    view! {
        <table class="table audit">
            <thead>
                <tr>
                    <th scope="col">{tr!("Time (UTC)")}</th>
                    <th scope="col">{tr!("Actor")}</th>
                    <th scope="col">{tr!("Action")}</th>
                    {show_target.then(|| view! { <th scope="col">{tr!("Target")}</th> })}
                    <th scope="col">{tr!("Changes")}</th>
                    <th scope="col">{tr!("Address")}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let actor = if r.actor_label.is_empty() { r.actor_kind.clone() } else { r.actor_label.clone() };
                    view! {
                        <tr>
                            <td data-label=tr!("Time")>{date_time(&r.at)}</td>
                            <td data-label=tr!("Actor")>{actor}<div class="muted small">{r.actor_kind.clone()}</div></td>
                            <td data-label=tr!("Action")><code>{r.action.clone()}</code></td>
                            {show_target.then(|| view! {
                                <td data-label=tr!("Target")>{r.target_label.clone()}<div class="muted small">{r.target_kind.clone()}</div></td>
                            })}
                            <td data-label=tr!("Changes") class="changes-cell">
                                <ul class="changes">
                                    {r.changes.iter().map(|c| match &c.before {
                                        Some(b) => view! { <li><strong>{c.field.clone()}</strong>": " {b.clone()} " → " {c.after.clone()}</li> }.into_any(),
                                        None => view! { <li><strong>{c.field.clone()}</strong>": " {c.after.clone()}</li> }.into_any(),
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td data-label=tr!("Address")>{r.ip.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
