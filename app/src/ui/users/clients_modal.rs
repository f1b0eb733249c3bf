use crate::api::users::user_clients;
use crate::ui::common::{Badge, Modal};
use leptos::prelude::*;
use uuid::Uuid;

/// The eye button: who the user is and the clients they act for.
#[component]
pub fn UserClientsModal(id: Uuid, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let data = Resource::new(move || id, user_clients);
    view! {
        <Modal title="User Clients" on_close=on_close wide=true>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error" role="alert">{e.to_string()}</div> }.into_any(),
                    Ok(u) => {
                        let empty = u.clients.is_empty();
                        view! {
                            <section aria-label="User Information">
                                <h3>"User Information"</h3>
                                <dl class="facts">
                                    <dt>"UUID"</dt><dd><code>{u.id.to_string()}</code></dd>
                                    <dt>"Name"</dt><dd>{u.name.clone()}</dd>
                                    <dt>"Email"</dt><dd>{u.email.clone()}</dd>
                                    <dt>"Phone"</dt><dd>{u.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                                </dl>
                            </section>
                            <section aria-label="Associated Clients">
                                <h3>"Associated Clients"</h3>
                                {if empty {
                                    view! { <p class="muted">"Not associated with any client yet. Associate users from Clients → Manage Clients → a client → Users."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                        <table class="table">
                                            <thead><tr>
                                                <th scope="col">"Client Name"</th>
                                                <th scope="col">"Company Name"</th>
                                                <th scope="col">"Tax ID"</th>
                                                <th scope="col">"Status"</th>
                                            </tr></thead>
                                            <tbody>
                                                {u.clients.into_iter().map(|c| {
                                                    let href = format!("/admin/clients/{}", c.client_id);
                                                    let name = if c.client_name.is_empty() { c.company_name.clone() } else { c.client_name.clone() };
                                                    view! {
                                                        <tr>
                                                            <td><a href=href>{name}</a></td>
                                                            <td>{c.company_name.clone()}</td>
                                                            <td>{c.tax_id.clone().unwrap_or_else(|| "—".into())}</td>
                                                            <td class="badges">
                                                                <Badge text=c.status.code() tone=if c.status == roster_types::users::ClientStatus::Active { "ok" } else { "off" } />
                                                                {c.owner.then(|| view! { <Badge text="OWNER" tone="owner" /> })}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        </div>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                })}
            </Suspense>
            <footer class="modal-actions">
                <button type="button" class="btn" on:click=move |_| on_close.run(())>"Close"</button>
            </footer>
        </Modal>
    }
}
