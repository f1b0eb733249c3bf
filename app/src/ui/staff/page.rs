use super::controls::StaffControls;
use crate::api::staff::list_staff;
use crate::tx;
use crate::ui::common::markup::{badge, header, lock_badge, table};
use crate::ui::common::{short_date, PageHead, StaffResource};
use crate::ui::i18n::{self, error_text, t};
use leptos::prelude::*;
use maud::html;
use roster_types::staff_members::StaffRow;
use roster_types::StaffPermission;

/// The id of the part of the page a change made in a modal brings again.
pub const RESULTS_ID: &str = "staff-results";

/// `/admin/staff` (permission staff-manage): the list, + Add staff member, Edit. The list
/// is HTML from the server; the island above it holds the button and the modals, reads
/// the rows' Edit buttons by their `data-` attributes and brings the list again after a
/// change (as Manage Users does).
#[component]
pub fn StaffPage() -> impl IntoView {
    let staff = expect_context::<StaffResource>();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let me = staff.await.ok();
                if me.is_some_and(|m| m.can(StaffPermission::StaffManage)) {
                    view! { <StaffControls /> }.into_any()
                } else {
                    view! { <PageHead title=crate::tr!("Staff") /> }.into_any()
                }
            })}
        </Suspense>
        <div id=RESULTS_ID class="needs-island">
            <StaffList />
        </div>
    }
}

/// Every staff member, rendered on the server only.
#[component]
fn StaffList() -> impl IntoView {
    let staff = expect_context::<StaffResource>();
    let rows = list_staff();
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let me = staff.await.ok().map(|m| m.id);
                match rows.await {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(rows) => view! { <StaffTable rows me /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The readable permission codes, with room to wrap.
fn codes_readable(p: &[StaffPermission]) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")
}

#[component]
fn StaffTable(rows: Vec<StaffRow>, me: Option<uuid::Uuid>) -> impl IntoView {
    let tt = i18n::now();
    let head = html! {
        (header(tx!(tt, "Email"))) (header(tx!(tt, "Role"))) (header(tx!(tt, "Status")))
        (header("2FA")) (header(tx!(tt, "Last sign-in")))
        th scope="col" { span class="sr-only" { (tx!(tt, "Actions")) } }
    };
    let rows = html! {
        @for s in &rows {
            @let id = s.id.to_string();
            tr {
                td data-label=(tx!(tt, "Email")) {
                    (s.email)
                    @if me == Some(s.id) { " " span class="badge ok" { (tx!(tt, "you")) } }
                }
                td data-label=(tx!(tt, "Role")) {
                    (s.role().map_or(tx!(tt, "Custom"), |r| t(r.label())))
                    div class="muted small" { (codes_readable(&s.permissions)) }
                }
                td data-label=(tx!(tt, "Status")) class="badges" {
                    @if s.active { (badge("ACTIVE", "ok")) } @else { (badge("INACTIVE", "off")) }
                    @if let Some(reason) = s.lock_reason { (lock_badge(reason)) }
                }
                td data-label="2FA" { (if s.enrolled { "on" } else { "not enrolled" }) }
                td data-label=(tx!(tt, "Last sign-in")) {
                    @match &s.last_sign_in_at { Some(at) => (short_date(at)), None => "Never" }
                }
                td class="actions-cell" {
                    button type="button" class="btn small" aria-label=(tx!(tt, "Edit {email}", email = s.email))
                        data-row-action="edit" data-row-id=(id) data-row-label=(s.email) { (tx!(tt, "Edit")) }
                }
            }
        }
    };
    table("staff", head, rows)
}
