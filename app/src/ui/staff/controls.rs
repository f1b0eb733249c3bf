use super::modals::{CreateStaffModal, EditStaffModal};
use super::page::RESULTS_ID;
use crate::api::staff::list_staff;
use crate::tr;
use crate::ui::common::results;
use crate::ui::common::{IslandFrame, LazyDialog, Modal, PageHead, ToastRegion, Toasts};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::AppError;
use uuid::Uuid;

#[derive(Clone)]
enum Dialog {
    Create,
    Edit(Uuid),
}

/// The interactive part of the Staff page: + Add staff member, the rows' Edit buttons
/// (read by their `data-` attributes), the modals and the toasts. After a change the list
/// comes again from the server.
#[island(lazy)]
pub fn StaffControls() -> impl IntoView {
    crate::ui::common::preload_island("StaffControls");
    crate::ui::i18n::provide_texts();
    let toasts = Toasts::provide();
    let loading = RwSignal::new(false);
    // The modals' code arrives with the first one opened (see `load_dialogs`).
    let dialog = LazyDialog::<Dialog, DialogView>::new();
    let open = move |d: Dialog| dialog.open(d, loading, load_dialogs);
    results::on_buttons(RESULTS_ID, move |b| {
        if let results::Button::Row { what, id, .. } = b {
            if what == "edit" {
                open(Dialog::Edit(id));
            }
        }
    });
    let close = Callback::new(move |_| dialog.close());
    let saved = Callback::new(move |message: String| {
        dialog.close();
        toasts.show(message);
        results::reload(RESULTS_ID, loading);
    });
    view! {
        <IslandFrame>
            <PageHead title=tr!("Staff")>
                <button type="button" class="btn primary" on:click=move |_| open(Dialog::Create)>{tr!("+ Add staff member")}</button>
            </PageHead>
            <p class="loading" aria-hidden=move || (!loading.get()).to_string()>
                {move || loading.get().then_some(tr!("Updating…"))}
            </p>
            {move || dialog.view(|d, draw| draw(d, close, saved))}
            <ToastRegion />
        </IslandFrame>
    }
}

/// What draws the open modal: `dialog_view`, reached through `load_dialogs`.
type DialogView = fn(Dialog, Callback<()>, Callback<String>) -> AnyView;

/// Add and Edit with their forms and server calls: a lazy chunk of their own, loaded
/// when the first is opened.
#[lazy]
fn load_dialogs() -> DialogView {
    dialog_view
}

fn dialog_view(d: Dialog, close: Callback<()>, saved: Callback<String>) -> AnyView {
    match d {
        Dialog::Create => view! { <CreateStaffModal on_close=close on_saved=saved /> }.into_any(),
        Dialog::Edit(id) => view! { <EditStaff id on_close=close on_saved=saved /> }.into_any(),
    }
}

/// Edit opens on the staff member as the server has them now (the list may be older).
#[component]
fn EditStaff(id: Uuid, on_close: Callback<()>, on_saved: Callback<String>) -> impl IntoView {
    let row = LocalResource::new(move || async move {
        list_staff().await.and_then(|rows| {
            rows.into_iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)
        })
    });
    move || match row.get() {
        None => ().into_any(),
        Some(Ok(row)) => view! { <EditStaffModal row on_close on_saved /> }.into_any(),
        Some(Err(e)) => view! {
            <Modal title=tr!("Edit") on_close>
                <div class="banner error" role="alert">{error_text(&e)}</div>
            </Modal>
        }
        .into_any(),
    }
}
