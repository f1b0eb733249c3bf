use crate::ui::i18n::t;
use crate::{tr, trf};
use leptos::prelude::*;
use roster_types::staff_members::StaffRole;
use roster_types::StaffPermission;

/// The staff permissions as checkboxes, with the built-in roles as one-click presets.
#[component]
pub fn StaffPermissionPicker(selected: RwSignal<Vec<StaffPermission>>) -> impl IntoView {
    let role = move || StaffRole::matching(&selected.get()).map_or(tr!("Custom"), |r| t(r.label()));
    view! {
        <fieldset class="perm-picker">
            <legend>{tr!("Permissions")}</legend>
            <p class="muted small">{tr!("Role: ")} <strong data-testid="staff-role">{role}</strong></p>
            <div class="actions">
                {StaffRole::ALL.into_iter().map(|r| view! {
                    <button type="button" class="btn small" on:click=move |_| selected.set(r.permissions())>
                        {trf!("Use {role}", role = t(r.label()))}
                    </button>
                }).collect_view()}
            </div>
            {StaffPermission::ALL.iter().copied().map(|p| {
                let id = format!("perm-{}", p.code());
                view! {
                    <div class="check">
                        <input type="checkbox" id=id.clone() value=p.code()
                            prop:checked=move || selected.get().contains(&p)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|x| *x != p);
                                    if on { s.push(p); s.sort(); }
                                });
                            } />
                        <label for=id>{t(p.label())} " " <code class="muted small">{p.code()}</code></label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}
