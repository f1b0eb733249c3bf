use crate::api::users::user_clients;
use crate::tr;
use crate::ui::common::{badge, Modal, Table};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use uuid::Uuid;

/// The eye button: who the user is and the clients they act for.
#[component]
pub fn UserClientsModal(id: Uuid, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let data = Resource::new(move || id, user_clients);
    view! {
        <Modal title=tr!("User Clients") on_close=on_close wide=true>
            <Suspense fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(u) => {
                        let empty = u.clients.is_empty();
                        view! {
                            <section aria-label=tr!("User Information")>
                                <h3>{tr!("User Information")}</h3>
                                <dl class="facts">
                                    <dt>"UUID"</dt><dd><code>{u.id.to_string()}</code></dd>
                                    <dt>{tr!("Name")}</dt><dd>{u.name.clone()}</dd>
                                    <dt>{tr!("Email")}</dt><dd>{u.email.clone()}</dd>
                                    <dt>{tr!("Phone")}</dt><dd>{u.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                                </dl>
                            </section>
                            <section aria-label=tr!("Associated Clients")>
                                <h3>{tr!("Associated Clients")}</h3>
                                {if empty {
                                    view! { <p class="muted">{tr!("Not associated with any client yet. Associate users from Clients → Manage Clients → a client → Users.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <Table class="user-clients" head=view! {
                                            <th scope="col">{tr!("Client Name")}</th>
                                            <th scope="col">{tr!("Company Name")}</th>
                                            <th scope="col">{tr!("Tax ID")}</th>
                                            <th scope="col">{tr!("Status")}</th>
                                        }.into_any()>
                                            {u.clients.into_iter().map(|c| {
                                                let href = format!("/admin/clients/{}", c.client_id);
                                                let name = if c.client_name.is_empty() { c.company_name.clone() } else { c.client_name.clone() };
                                                view! {
                                                    <tr>
                                                        <td><a href=href>{name}</a></td>
                                                        <td>{c.company_name.clone()}</td>
                                                        <td>{c.tax_id.clone().unwrap_or_else(|| "—".into())}</td>
                                                        <td class="badges">
                                                            {badge(c.status.code(), if c.status == roster_types::users::ClientStatus::Active { "ok" } else { "off" })}
                                                            {c.owner.then(|| badge("OWNER", "owner"))}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </Table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                })}
            </Suspense>
            <footer class="modal-actions">
                <button type="button" class="btn" on:click=move |_| on_close.run(())>{tr!("Close")}</button>
            </footer>
        </Modal>
    }
}
