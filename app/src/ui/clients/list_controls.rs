use super::create_modal::CreateClientModal;
use super::list_page::RESULTS_ID;
use super::PATH;
use crate::ui::common::{
    IslandFrame, LazyDialog, ListState, PageHead, SearchBox, ToastRegion, Toasts,
};
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::clients::ClientSort;
use roster_types::{StaffMe, StaffPermission};

/// The interactive part of Manage Clients: the head with + Create, the search box, the
/// Create modal and the toasts. The table below is server HTML, brought again after a
/// search, a page change or a new client (`ListState`).
#[island(lazy)]
pub fn ClientsControls(me: StaffMe) -> impl IntoView {
    crate::ui::common::preload_island("ClientsControls");
    crate::ui::i18n::provide_texts();
    let can_create = me.can(StaffPermission::ClientsEdit);
    let toasts = Toasts::provide();
    let list = ListState::<ClientSort>::new(PATH, RESULTS_ID);
    list.on_buttons(|_, _, _| {});
    // The modal's code arrives when it is first opened (see `load_create`).
    let modal = LazyDialog::<(), CreateView>::new();
    let create = move |_| modal.open((), list.loading, load_create);
    let close = Callback::new(move |_| modal.close());
    let created = Callback::new(move |name: String| {
        modal.close();
        toasts.show(trf!("Client {name} created", name = name));
        list.reload();
    });
    view! {
        <IslandFrame>
            <PageHead title=tr!("Manage Clients") intro=tr!("The accounts users act for. Open a client to manage its users and their permissions.")>
                {can_create.then(|| view! {
                    <button type="button" class="btn primary" on:click=create>{tr!("+ Create")}</button>
                })}
            </PageHead>
            <SearchBox list id="client-search" label=tr!("Search clients") placeholder=tr!("Search by name, company, tax ID or UUID") />
            {move || modal.view(|(), draw| draw(close, created))}
            <ToastRegion />
        </IslandFrame>
    }
}

/// What draws the Create modal: `create_view`, reached through `load_create`.
type CreateView = fn(Callback<()>, Callback<String>) -> AnyView;

/// The Create modal with its form and server call: a lazy chunk of its own, loaded when
/// + Create is first clicked, so a visit that creates nothing downloads none of it.
#[lazy]
fn load_create() -> CreateView {
    create_view
}

fn create_view(close: Callback<()>, created: Callback<String>) -> AnyView {
    view! { <CreateClientModal on_close=close on_created=created /> }.into_any()
}
