use super::profile::ProfileCard;
use super::two_factor::TwoFactorCard;
use crate::api::account::{
    end_my_sessions, my_account, my_activity, my_sessions, user_sign_out, ChangePassword,
};
use crate::ui::common::{
    badge, date_time, leave_when_signed_out, ChangePasswordCard, EndWith, Refresh, SessionList,
};
use crate::ui::i18n::{error_text, switch_to, t};
use crate::{tr, trf};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use roster_types::account::{AccountEvent, Impersonation};
use roster_types::AppError;
use roster_types::ClientPermission;

/// `/account`: who is signed in, and for each of their clients what they may do there
/// (decided by `can`, so an inactive or closed client grants nothing).
#[component]
pub fn AccountPage() -> impl IntoView {
    let me_refresh = Refresh::new();
    let me = Resource::new(move || me_refresh.version(), |_| my_account());
    let reload = Callback::new(move |_: ()| me_refresh.bump());
    let profile_saved = RwSignal::new(false);
    let sign_out = Action::new(|_: &()| user_sign_out());
    let sessions_refresh = Refresh::new();
    let sessions = Resource::new(move || sessions_refresh.version(), |_| my_sessions());
    let end = Action::new(|id: &Option<uuid::Uuid>| end_my_sessions(*id));
    let activity = Resource::new(move || sessions_refresh.version(), |_| my_activity());
    Effect::new(move |_| {
        if end.value().get().is_some() {
            sessions_refresh.bump();
        }
    });
    leave_when_signed_out("/login", move || {
        let ended = matches!(me.get(), Some(Err(AppError::Unauthenticated)));
        sign_out.value().get().is_some() || ended
    });
    // The page speaks the user's Language; saving another one switches it.
    Effect::new(move |_| {
        if let Some(Ok(a)) = me.get() {
            switch_to(a.language);
        }
    });
    view! {
        <div class="admin">
            <header class="topbar">
                <span class="brand">"Roster"</span>
                <div class="topbar-right">
                    <Suspense fallback=|| ()>
                        <button class="btn" type="button" on:click=move |_| { sign_out.dispatch(()); }>{move || tr!("Sign out")}</button>
                    </Suspense>
                </div>
            </header>
            <main class="content narrow-page">
                <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
                    {move || me.get().map(|r| match r {
                        Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                        Ok(a) => {
                            let support = a.impersonation.clone().map(|i| view! { <SupportBanner i name=a.name.clone() email=a.email.clone() /> });
                            view! {
                            {support}
                            <h1>{tr!("Your account")}</h1>
                            <p data-testid="account-email">{a.name.clone()} " · " {a.email.clone()}</p>
                            <section class="card">
                                <h2>{tr!("Your clients")}</h2>
                                {if a.clients.is_empty() {
                                    view! { <p class="muted">{tr!("You are not associated with any client yet. Ask your administrator to add you under Clients → Users.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="account-clients">
                                            {a.clients.into_iter().map(|c| {
                                                let allowed = c.allowed.clone();
                                                view! {
                                                    <li>
                                                        <h3>{c.name.clone()} " "
                                                            {badge(c.status.code(), if c.status == roster_types::users::ClientStatus::Active { "ok" } else { "off" })}
                                                            {c.access.owner.then(|| badge("OWNER", "owner"))}
                                                        </h3>
                                                        <ul class="perm-list" aria-label=format!("{} {}", tr!("What you may do for"), c.name)>
                                                            {ClientPermission::ALL.iter().map(|p| {
                                                                let yes = allowed.contains(p);
                                                                view! { <li class:granted=yes class:denied=!yes>{if yes { "✓ " } else { "✗ " }}{t(p.label())}</li> }
                                                            }).collect_view()}
                                                        </ul>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <ProfileCard profile=a.profile.clone() email=a.email.clone() saved=profile_saved on_saved=reload />
                            <TwoFactorCard state=a.two_factor on_change=reload />
                            <ChangePasswordCard path={<ChangePassword as ServerFn>::PATH} on_changed=move |_: ()| sessions_refresh.bump() />
                            <section class="card">
                                <h2>{tr!("Where you are signed in")}</h2>
                                <Transition fallback=|| ()>
                                    {move || sessions.get().map(|r| match r {
                                        Ok(rows) => view! {
                                            <SessionList rows=rows end_all_label=tr!("Sign out everywhere else")
                                                end=Some(EndWith::Callback(Callback::new(move |id: Option<uuid::Uuid>| { end.dispatch(id); }))) />
                                        }.into_any(),
                                        Err(e) => view! { <p class="banner error">{error_text(&e)}</p> }.into_any(),
                                    })}
                                </Transition>
                            </section>
                            <section class="card">
                                <h2>{tr!("Recent activity")}</h2>
                                <Transition fallback=|| ()>
                                    {move || activity.get().map(|r| match r {
                                        Ok(rows) => view! { <ActivityList rows /> }.into_any(),
                                        Err(e) => view! { <p class="banner error">{error_text(&e)}</p> }.into_any(),
                                    })}
                                </Transition>
                            </section>
                        }.into_any()
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

/// On every page a staff member sees as a user: who is signed in as whom, why, until
/// when, and End, which ends it and goes back to Manage Users.
#[component]
fn SupportBanner(i: Impersonation, name: String, email: String) -> impl IntoView {
    let end = Action::new(|_: &()| user_sign_out());
    Effect::new(move |_| {
        if end.value().get().is_some() {
            let _ = window().location().assign("/admin/users");
        }
    });
    view! {
        <section class="banner warn support-banner" role="region" aria-label=tr!("Signed in as this user")>
            <p>
                {trf!("{staff} is signed in as {name} ({email}) for support.", staff = i.staff, name = name, email = email)}
                " " {trf!("Reason: {reason}", reason = i.reason)}
                " · " {trf!("Ends at {time} (UTC).", time = date_time(&i.ends_at))}
            </p>
            <button type="button" class="btn" disabled=move || end.pending().get() on:click=move |_| { end.dispatch(()); }>{tr!("End")}</button>
        </section>
    }
}

/// The user's recent activity, newest first: what happened, when, from where, and who
/// from staff did it (support named with their reason).
#[component]
fn ActivityList(rows: Vec<AccountEvent>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{tr!("Nothing yet.")}</p> }.into_any();
    }
    view! {
        <ul class="account-activity">
            {rows.into_iter().map(|e| {
                let who = match (&e.support, e.by_staff) {
                    (Some(s), _) => Some(trf!("{staff} — Reason: {reason}", staff = s.staff, reason = s.reason)),
                    (None, true) => Some(tr!("by your administrator").to_string()),
                    (None, false) => None,
                };
                view! {
                    <li class:support=e.support.is_some()>
                        <strong>{t(e.kind.label())}</strong>
                        {who.map(|w| view! { " " <span>{w}</span> })}
                        <div class="muted small">{format!("{} · {}", date_time(&e.at), e.ip)}</div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
