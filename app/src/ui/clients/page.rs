use super::activity_tab::ClientActivity;
use super::list_table::client_status_tone;
use super::profile::{ClientProfile, Notice};
use super::users_tab::{ClientUsers, ClientUsersControls, UsersTab};
use super::PATH;
use crate::api::clients::get_client;
use crate::tr;
use crate::ui::common::markup::badge;
use crate::ui::common::{page_number, StaffResource};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use roster_types::clients::ClientDetail;
use roster_types::{AppError, StaffPermission};
use uuid::Uuid;

/// A client page's tab, named in its URL (`?tab=users`), so a reload or a shared link
/// opens the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Profile,
    Users,
    Activity,
}

impl Tab {
    /// The tab a URL's `tab` names; anything else is Profile.
    pub fn parse(raw: Option<&str>) -> Tab {
        match raw {
            Some("users") => Tab::Users,
            Some("activity") => Tab::Activity,
            _ => Tab::Profile,
        }
    }

    /// The tab's URL on the client's page.
    pub fn href(self, id: Uuid) -> String {
        match self {
            Tab::Profile => format!("{PATH}/{id}"),
            Tab::Users => format!("{PATH}/{id}?tab=users"),
            Tab::Activity => format!("{PATH}/{id}?tab=activity"),
        }
    }
}

/// `/admin/clients/:id`: the client's heading, its tabs as links, and the open tab. The
/// page is server HTML; only the Users tab brings an island (the buttons over its server
/// table): Profile is a plain form, Activity's pager is links.
#[component]
pub fn ClientPage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|i| Uuid::parse_str(&i).ok()));
    let (tab, page, notice) = use_query_map().with_untracked(|q| {
        (
            Tab::parse(q.get("tab").as_deref()),
            page_number(q.get("page").as_deref()),
            Notice::parse(q.get("saved").as_deref(), q.get("delete").as_deref()),
        )
    });
    let staff = expect_context::<StaffResource>();
    let client = async move {
        match id {
            Some(id) => get_client(id).await,
            None => Err(AppError::NotFound),
        }
    };
    view! {
        <p class="crumbs"><a href=PATH>{tr!("← Manage Clients")}</a></p>
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading…")}</p> }>
            {Suspend::new(async move {
                let me = staff.await;
                let can = |p| me.as_ref().is_ok_and(|m| m.can(p));
                let (can_edit, can_audit) = (can(StaffPermission::ClientsEdit), can(StaffPermission::AuditView));
                match client.await {
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                    Ok(c) => {
                        // Without audit-view the Activity tab is not offered: Profile instead.
                        let tab = if tab == Tab::Activity && !can_audit { Tab::Profile } else { tab };
                        view! {
                            {head(&c)}
                            {tabs(c.id, tab, can_audit)}
                            <section class="card" id="client-tab">{panel(c, tab, page, notice, can_edit)}</section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The client's name (its company's when it has one), UUID and status.
fn head(c: &ClientDetail) -> impl IntoView {
    let title = if c.company_name.is_empty() {
        format!("{} {}", c.first_name, c.last_name)
    } else {
        c.company_name.clone()
    };
    let status = badge(c.status.code(), client_status_tone(c.status)).into_string();
    view! {
        <div class="page-head">
            <div>
                <h1>{title}</h1>
                <p class="muted">"UUID " <code>{c.id.to_string()}</code> " " <span inner_html=status></span></p>
            </div>
        </div>
    }
}

/// The tabs: links to the client's page with `?tab=`, the open one marked current.
fn tabs(id: Uuid, open: Tab, can_audit: bool) -> impl IntoView {
    let link = move |tab: Tab, label: &'static str| {
        let current = (tab == open).then_some("page");
        view! { <a href=tab.href(id) aria-current=current>{label}</a> }
    };
    view! {
        <nav class="tabs" aria-label=tr!("Client")>
            {link(Tab::Profile, tr!("Profile"))}
            {link(Tab::Users, tr!("Users"))}
            {can_audit.then(|| link(Tab::Activity, tr!("Activity")))}
        </nav>
    }
}

/// The open tab's content.
fn panel(c: ClientDetail, tab: Tab, page: u32, notice: Notice, can_edit: bool) -> AnyView {
    let id = c.id;
    match tab {
        Tab::Profile => {
            let form = c.form();
            view! { <ClientProfile id version=c.version form can_edit notice /> }.into_any()
        }
        Tab::Users => {
            provide_context(UsersTab {
                client_id: id,
                can_edit,
            });
            view! {
            <ClientUsersControls />
            <ClientUsers client_id=id can_edit />
            }
            .into_any()
        }
        Tab::Activity => view! { <ClientActivity client_id=id page /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_is_read_from_the_url_and_anything_else_is_profile() {
        assert_eq!(Tab::parse(Some("users")), Tab::Users);
        assert_eq!(Tab::parse(Some("activity")), Tab::Activity);
        for other in [None, Some(""), Some("Users"), Some("profile"), Some("<b>")] {
            assert_eq!(Tab::parse(other), Tab::Profile);
        }
    }

    #[test]
    fn each_tab_links_back_to_itself() {
        let id = Uuid::nil();
        for tab in [Tab::Profile, Tab::Users, Tab::Activity] {
            let href = tab.href(id);
            assert!(href.starts_with("/admin/clients/00000000-0000-0000-0000-000000000000"));
            let raw = href.split_once("?tab=").map(|(_, t)| t);
            assert_eq!(Tab::parse(raw), tab);
        }
    }
}
