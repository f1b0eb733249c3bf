use crate::tr;
use crate::ui::i18n::t;
use leptos::prelude::*;
use roster_types::ClientPermission;

/// The client permissions as checkboxes, with "All permissions" at the top.
#[component]
pub fn PermissionPicker(chosen: RwSignal<Vec<ClientPermission>>) -> impl IntoView {
    let all = move || chosen.with(|c| c.len() == ClientPermission::ALL.len());
    view! {
        <fieldset class="permissions">
            <legend>{tr!("Permissions")}</legend>
            <label class="check all">
                <input type="checkbox" prop:checked=all on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.set(if on { ClientPermission::ALL.to_vec() } else { vec![] });
                } />
                {tr!("All permissions")}
            </label>
            {ClientPermission::ALL.iter().map(|p| {
                let p = *p;
                view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&p)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != p);
                                if on { c.push(p) }
                            });
                        } />
                        {t(p.label())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Codes as the API takes them.
pub use roster_types::clients::encode_permissions as codes;
