use leptos::prelude::*;

/// What every field shares: the label, the control (the children, with id `f-NAME`), an
/// optional hint, and the error underneath (id `f-NAME-error`), which the control names in
/// `aria-describedby` while there is one.
#[component]
fn Frame(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<String>>,
    #[prop(default = None)] hint: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=format!("f-{name}")>{label}</label>
            {children()}
            {hint.map(|h| view! { <p class="field-hint">{h}</p> })}
            <p class="field-error" id=format!("f-{name}-error") role="alert">{move || error.get()}</p>
        </div>
    }
}

/// `aria-invalid` and `aria-describedby` of a control, following its error.
fn aria(
    name: &'static str,
    error: Signal<Option<String>>,
) -> (impl Fn() -> &'static str, impl Fn() -> Option<String>) {
    let invalid = move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    };
    let described = move || error.get().map(|_| format!("f-{name}-error"));
    (invalid, described)
}

/// A labelled input with its error underneath, tied together for screen readers.
#[component]
pub fn TextField(
    /// The visible label: the field's name as the panel shows it.
    label: &'static str,
    /// The API's field name; also the element id.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] placeholder: &'static str,
    /// Called when the field loses focus (validate as the user leaves it).
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let (invalid, described) = aria(name, error);
    // The starting value as the attribute too: `bind:value` sets only the property, which a
    // page rendered on the server (and not hydrated) would never show.
    let initial = value.get_untracked();
    view! {
        <Frame label name error>
            <input
                id=format!("f-{name}")
                name=name
                type=kind
                value=(!initial.is_empty()).then_some(initial)
                autocomplete=autocomplete
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                required=required
                autofocus=autofocus
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                aria-invalid=invalid
                aria-describedby=described
                bind:value=value
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
            />
        </Frame>
    }
}

/// A form-level message (an error that belongs to no single field).
#[component]
pub fn ErrorBanner(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <div class="banner error" role="alert">
                {move || message.get()}
            </div>
        </Show>
    }
}

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let (invalid, described) = aria(name, error);
    view! {
        <Frame label name error hint>
            <textarea
                id=format!("f-{name}")
                name=name
                rows="3"
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| { if let Some(cb) = on_blur { cb.run(()) } }
            ></textarea>
        </Frame>
    }
}

/// A labelled drop-down of `(value, label)` options.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let (invalid, described) = aria(name, error);
    view! {
        <Frame label name error>
            <select
                id=format!("f-{name}")
                name=name
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {options.into_iter().map(|(v, l)| {
                    let selected = value.get_untracked() == v;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </Frame>
    }
}

/// An on/off switch: a checkbox with the switch role, its label beside it.
#[component]
pub fn Toggle(
    label: &'static str,
    name: &'static str,
    checked: RwSignal<bool>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let label_for = id.clone();
    view! {
        <div class="toggle-field">
            <label class="toggle" for=label_for>
                <input id=id name=name type="checkbox" role="switch" bind:checked=checked />
                <span class="track" aria-hidden="true"></span>
                <span class="toggle-label">{label}</span>
            </label>
            {hint.map(|h| view! { <p class="field-hint">{h}</p> })}
        </div>
    }
}
