use super::client_form::{ClientFields, ClientFormState};
use crate::api::clients::{create_client, list_clients};
use crate::ui::common::encode;
use crate::ui::common::{
    badge, short_date, use_can, use_toasts, Debounce, ErrorBanner, Modal, ModalFooter, PageHead,
    Refresh, Table,
};
use crate::ui::i18n::error_text;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::clients::ClientForm;
use roster_types::users::ClientStatus;
use roster_types::StaffPermission;

pub fn client_status_tone(s: ClientStatus) -> &'static str {
    match s {
        ClientStatus::Active => "ok",
        ClientStatus::Inactive => "off",
        ClientStatus::Closed => "danger",
    }
}

/// `/admin/clients` (Clients → Manage Clients): search, list, paging, + Create.
#[component]
pub fn ClientsPage() -> impl IntoView {
    let can = use_can();
    let can_edit = move || can(StaffPermission::ClientsEdit);
    let toasts = use_toasts();
    let params = crate::ui::common::use_query();
    let q = Memo::new(move |_| params.with(|m| m.get("q").unwrap_or_default()));
    let page = crate::ui::common::use_page_param();
    // Sort by company (the default), name, status or created; the URL keeps it.
    let sort = Memo::new(move |_| {
        params.with(|m| {
            let s = m.get("sort").unwrap_or_default();
            let s = if ["name", "status", "created"].contains(&s.as_str()) {
                s
            } else {
                "company".into()
            };
            (s, m.get("dir").as_deref() == Some("desc"))
        })
    });

    let go_to_state = Callback::new(
        move |(q, page, (sort, desc)): (String, u32, (String, bool))| {
            let mut parts = vec![];
            if !q.is_empty() {
                parts.push(format!("q={}", encode(&q)));
            }
            if page > 1 {
                parts.push(format!("page={page}"));
            }
            if sort != "company" || desc {
                parts.push(format!(
                    "sort={sort}&dir={}",
                    if desc { "desc" } else { "asc" }
                ));
            }
            let url = if parts.is_empty() {
                "/admin/clients".to_string()
            } else {
                format!("/admin/clients?{}", parts.join("&"))
            };
            params.navigate(&url)
        },
    );
    let go = Callback::new(move |(q, page): (String, u32)| {
        go_to_state.run((q, page, sort.get_untracked()))
    });
    let sort_by = move |key: &'static str| {
        let (current, desc) = sort.get_untracked();
        let desc = if current == key {
            !desc
        } else {
            key == "created"
        };
        go_to_state.run((q.get_untracked(), 1, (key.to_string(), desc)));
    };
    let header = move |label: &'static str, key: &'static str| {
        let (current, desc) = sort.get_untracked();
        let active = current == key;
        let aria = match (active, desc) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        let arrow = match (active, desc) {
            (false, _) => "",
            (true, true) => " ↓",
            (true, false) => " ↑",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| sort_by(key)>{label}{arrow}</button>
            </th>
        }
    };
    let refresh = Refresh::new();
    let clients = Resource::new(
        move || (q.get(), page.get(), sort.get(), refresh.version()),
        |(q, page, (sort, desc), _)| list_clients(q, page, 25, sort, desc),
    );
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| {
        let v = q.get();
        if v != text.get_untracked() {
            text.set(v);
        }
    });
    let pause = Debounce::new(250);
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.run(move || {
            if text.get_untracked() != q.get_untracked() {
                go.run((text.get_untracked(), 1));
            }
        });
    };
    let creating = RwSignal::new(false);

    view! {
        <PageHead title=tr!("Manage Clients") intro=tr!("The accounts users act for. Open a client to manage its users and their permissions.")>
            <Suspense fallback=|| ()>
                <Show when=can_edit>
                    <button type="button" class="btn primary" on:click=move |_| creating.set(true)>{tr!("+ Create")}</button>
                </Show>
            </Suspense>
        </PageHead>
        <form class="toolbar" role="search" on:submit=move |ev| { ev.prevent_default(); go.run((text.get_untracked(), 1)); }>
            <label class="sr-only" for="client-search">{tr!("Search clients")}</label>
            <input id="client-search" type="search" class="search" placeholder=tr!("Search by name, company, tax ID or UUID")
                autocomplete="off" prop:value=move || text.get() on:input=on_input />
        </form>
        <Transition fallback=|| view! { <p class="muted" role="status">{tr!("Loading clients…")}</p> }>
            {move || clients.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(p) if p.rows.is_empty() => view! {
                    <div class="empty card"><p>{if q.get_untracked().is_empty() { tr!("No clients yet.").to_string() } else { trf!("No clients match “{q}”.", q = q.get_untracked()) }}</p></div>
                }.into_any(),
                Ok(p) => {
                    let more = p.has_next();
                    let total = p.count_label("client", "clients");
                    let current = p.page;
                    view! {
                        <Table class="clients" head=view! {
                            {header(tr!("Client"), "name")}
                            {header(tr!("Company Name"), "company")}
                            <th scope="col">{tr!("Tax ID")}</th>
                            {header(tr!("Status"), "status")}
                            <th scope="col">{tr!("Users")}</th>
                            <th scope="col">{tr!("Owner")}</th>
                            {header(tr!("Created"), "created")}
                        }.into_any()>
                            {p.rows.into_iter().map(|c| {
                                let name = format!("{} {}", c.first_name, c.last_name);
                                view! {
                                    <tr>
                                        <td><a href=format!("/admin/clients/{}", c.id)>{name}</a></td>
                                        <td>{c.company_name.clone()}</td>
                                        <td>{c.tax_id.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td>{badge(c.status.code(), client_status_tone(c.status))}</td>
                                        <td>{c.users}</td>
                                        <td>{c.owner_email.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td>{short_date(&c.created_at)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </Table>
                        <nav class="pager" aria-label=tr!("Pages")>
                            <span class="total">{total}</span>
                            <button type="button" class="btn small" disabled=current <= 1 on:click=move |_| go.run((q.get_untracked(), current - 1))>{tr!("Previous")}</button>
                            <span>{trf!("Page {current}", current = current)}</span>
                            <button type="button" class="btn small" disabled=!more on:click=move |_| go.run((q.get_untracked(), current + 1))>{tr!("Next")}</button>
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
        <Show when=move || creating.get()>
            <CreateClientModal on_close=move |_| creating.set(false) on_created=move |name: String| {
                creating.set(false);
                toasts.show(trf!("Client {name} created", name = name));
                refresh.bump();
            } />
        </Show>
    }
}

#[component]
fn CreateClientModal(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<String>,
) -> impl IntoView {
    let state = ClientFormState::new();
    let save = Action::new(move |f: &ClientForm| {
        let f = f.clone();
        async move { create_client(f).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(c)) => on_created.run(if c.company_name.is_empty() {
            format!("{} {}", c.first_name, c.last_name)
        } else {
            c.company_name
        }),
        Some(Err(e)) => state.show_error(e),
        None => {}
    });
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <Modal title=tr!("Create Client") on_close=on_close>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                if state.check() { save.dispatch(state.form()); }
            }>
                <ErrorBanner message=banner />
                <ClientFields state=state />
                <ModalFooter on_cancel=on_close>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Save")}</button>
                </ModalFooter>
            </form>
        </Modal>
    }
}
