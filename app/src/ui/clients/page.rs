use super::client_form::{ClientFields, ClientFormState};
use super::list_table::client_status_tone;
use super::users_tab::UsersTab;
use crate::api::clients::{delete_client, get_client, update_client};
use crate::tr;
use crate::ui::common::{
    badge, go_to, use_can, use_toasts, ErrorBanner, LazyDialog, Modal, Refresh,
};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::clients::ClientForm;
use roster_types::{AppError, StaffPermission};
use uuid::Uuid;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Profile,
    Users,
    Activity,
}

/// `/admin/clients/:id`: the client's Profile and Users tabs.
#[component]
pub fn ClientPage(
    /// The `:id` of the URL, as the router matched it on the server.
    id: String,
) -> impl IntoView {
    let id = Signal::stored(Uuid::parse_str(&id).ok());
    let can = use_can();
    let can_edit = Signal::derive(move || can(StaffPermission::ClientsEdit));
    let refresh = Refresh::new();
    let client = Resource::new(
        move || (id.get(), refresh.version()),
        |(id, _)| async move {
            match id {
                Some(id) => get_client(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let tab = RwSignal::new(Tab::Profile);
    // The Users and Activity tabs' code arrives with the first of them opened.
    let later = LazyDialog::<Tab, TabView>::new();
    let loading = RwSignal::new(false);
    let show = move |t: Tab| {
        tab.set(t);
        if t != Tab::Profile {
            later.open(t, loading, load_tabs);
        }
    };
    let can_audit = move || can(StaffPermission::AuditView);
    view! {
        <p class="crumbs"><a href="/admin/clients">{tr!("← Manage Clients")}</a></p>
        <Suspense fallback=|| view! { <p class="muted">{tr!("Loading…")}</p> }>
            {move || client.get().map(|r| match r {
                Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                Ok(c) => {
                    let title = if c.company_name.is_empty() { format!("{} {}", c.first_name, c.last_name) } else { c.company_name.clone() };
                    let cid = c.id;
                    view! {
                        <div class="page-head">
                            <div>
                                <h1>{title}</h1>
                                <p class="muted">"UUID " <code>{c.id.to_string()}</code> " " {badge(c.status.code(), client_status_tone(c.status))}</p>
                            </div>
                        </div>
                        <div class="tabs" role="tablist" aria-label=tr!("Client")>
                            <button type="button" role="tab" id="tab-profile" aria-controls="panel-profile"
                                aria-selected=move || (tab.get() == Tab::Profile).to_string() on:click=move |_| show(Tab::Profile)>{tr!("Profile")}</button>
                            <button type="button" role="tab" id="tab-users" aria-controls="panel-users"
                                aria-selected=move || (tab.get() == Tab::Users).to_string() on:click=move |_| show(Tab::Users)>{tr!("Users")}</button>
                            <Show when=can_audit>
                                <button type="button" role="tab" id="tab-activity" aria-controls="panel-activity"
                                    aria-selected=move || (tab.get() == Tab::Activity).to_string() on:click=move |_| show(Tab::Activity)>{tr!("Activity")}</button>
                            </Show>
                        </div>
                        {move || match tab.get() {
                            Tab::Profile => view! {
                                <section role="tabpanel" id="panel-profile" aria-labelledby="tab-profile" class="card">
                                    <ProfileTab client=c.clone() can_edit=can_edit on_saved=move |_| refresh.bump() />
                                </section>
                            }.into_any(),
                            t => {
                                let (panel, label) = match t {
                                    Tab::Users => ("panel-users", "tab-users"),
                                    _ => ("panel-activity", "tab-activity"),
                                };
                                view! {
                                    <section role="tabpanel" id=panel aria-labelledby=label class="card">
                                        {move || later.view(|_, draw| draw(t, cid, can_edit)).unwrap_or_else(|| {
                                            view! { <p class="muted" role="status">{tr!("Loading…")}</p> }.into_any()
                                        })}
                                    </section>
                                }.into_any()
                            }
                        }}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// What draws the Users or Activity tab: `later_tab`, reached through `load_tabs`.
type TabView = fn(Tab, Uuid, Signal<bool>) -> AnyView;

/// The Users tab (the client's users, the associate modal) and the Activity tab: a lazy
/// chunk of their own, loaded when the first of them is opened, so a visit that stays on
/// Profile downloads none of their code.
#[lazy]
fn load_tabs() -> TabView {
    later_tab
}

fn later_tab(tab: Tab, client_id: Uuid, can_edit: Signal<bool>) -> AnyView {
    match tab {
        Tab::Users => view! { <UsersTab client_id can_edit /> }.into_any(),
        _ => view! { <crate::ui::audit::Activity target_id=client_id /> }.into_any(),
    }
}

#[component]
fn ProfileTab(
    client: roster_types::clients::ClientDetail,
    can_edit: Signal<bool>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let state = ClientFormState::new();
    state.fill(&client);
    let id = client.id;
    let version = client.version;
    let save = Action::new(move |f: &ClientForm| {
        let f = f.clone();
        async move { update_client(id, version, f).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            toasts.show(tr!("Client saved"));
            on_saved.run(());
        }
        Some(Err(e)) => state.show_error(e),
        None => {}
    });
    let confirming = RwSignal::new(false);
    let remove = Action::new(move |_: &()| delete_client(id));
    let delete_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => go_to("/admin/clients"),
        Some(Err(e)) => delete_error.set(Some(error_text(&e))),
        None => {}
    });
    let banner = Signal::derive(move || state.banner.get().map(|e| error_text(&e)));
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            if state.check() { save.dispatch(state.form()); }
        }>
            <ErrorBanner message=banner />
            <fieldset disabled=move || !can_edit.get() class="plain">
                <ClientFields state=state />
            </fieldset>
            <Show when=move || can_edit.get()>
                <footer class="modal-actions">
                    <button type="button" class="btn danger" on:click=move |_| confirming.set(true)>{tr!("Delete client")}</button>
                    <button type="submit" class="btn primary" disabled=move || save.pending().get()>{tr!("Save")}</button>
                </footer>
            </Show>
        </form>
        <Show when=move || confirming.get()>
            <Modal title=tr!("Delete Client") on_close=move |_| confirming.set(false)>
                <p>{tr!("Delete this client? Its user associations are removed too. To keep its history, set its status to Closed instead.")}</p>
                <ErrorBanner message=delete_error />
                <footer class="modal-actions">
                    <button type="button" class="btn" on:click=move |_| confirming.set(false)>{tr!("Cancel")}</button>
                    <button type="button" class="btn danger" on:click=move |_| { remove.dispatch(()); }>{tr!("Delete")}</button>
                </footer>
            </Modal>
        </Show>
    }
}
