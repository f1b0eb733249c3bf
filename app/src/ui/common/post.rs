//! A form POST to a server function with the browser's own `fetch`, for an island that
//! calls only a few: the server-function client (its codecs, request and response types)
//! would otherwise be in the island's WASM. The wire is the client's: the arguments
//! form-encoded, the answer JSON — the value when the status is 2xx, else `AppError`'s JSON.

use roster_types::AppError;
use serde::de::DeserializeOwned;

/// POST `fields` to the server function at `path` and read its answer.
pub async fn post_form<T: DeserializeOwned>(
    path: &str,
    fields: &[(&str, &str)],
) -> Result<T, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let (ok, text) = send_form(path, fields)
            .await
            .map_err(|detail| AppError::Transport { detail })?;
        read_answer(ok, &text)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (path, fields);
        Err(AppError::Transport {
            detail: "post_form runs in the browser".into(),
        })
    }
}

/// `post_form` from a plain task for a form's submit, unless the form's last one is still
/// on its way (`busy`, on meanwhile): a double click sends once. `then` gets the answer,
/// under the owner of the submit (where the page's texts are).
pub fn post_once<T: DeserializeOwned + 'static>(
    busy: leptos::prelude::RwSignal<bool>,
    path: &'static str,
    fields: Vec<(&'static str, String)>,
    then: impl FnOnce(Result<T, AppError>) + 'static,
) {
    use leptos::prelude::{GetUntracked, Set};
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    leptos::task::spawn_local_scoped(async move {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = post_form::<T>(path, &fields).await;
        busy.set(false);
        then(answer)
    });
}

/// `application/x-www-form-urlencoded`, every byte but the unreserved ones escaped.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", super::encode(k), super::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of a 2xx answer, else the error the server sent (or one saying the answer
/// could not be read).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn read_answer<T: DeserializeOwned>(ok: bool, text: &str) -> Result<T, AppError> {
    let unreadable = |e: serde_json::Error| AppError::Transport {
        detail: e.to_string(),
    };
    if ok {
        serde_json::from_str(text).map_err(unreadable)
    } else {
        Err(serde_json::from_str::<AppError>(text).map_err(unreadable)?)
    }
}

/// POST `fields` and bring back whether the status was 2xx and the answer's text, without
/// reading it (Sign out, in every admin page's main module, needs no JSON decoding).
#[cfg(feature = "hydrate")]
pub async fn send_form(path: &str, fields: &[(&str, &str)]) -> Result<(bool, String), String> {
    let body = form_body(fields);
    use leptos::prelude::window;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let text = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let headers = web_sys::Headers::new().map_err(text)?;
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .map_err(text)?;
    headers.set("Accept", "application/json").map_err(text)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    let answer = JsFuture::from(window().fetch_with_str_and_init(path, &init))
        .await
        .map_err(text)?;
    let answer: web_sys::Response = answer.dyn_into().map_err(text)?;
    let body = JsFuture::from(answer.text().map_err(text)?)
        .await
        .map_err(text)?;
    Ok((answer.ok(), body.as_string().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_types::SignInStep;

    #[test]
    fn the_body_is_form_encoded_with_every_reserved_byte_escaped() {
        assert_eq!(
            form_body(&[("email", "a+b@x.com"), ("password", "p&q=r s€")]),
            "email=a%2Bb%40x.com&password=p%26q%3Dr%20s%E2%82%AC"
        );
        assert_eq!(form_body(&[]), "");
    }

    #[test]
    fn an_answer_is_the_value_or_the_servers_error() {
        let step: Result<SignInStep, _> = read_answer(true, r#"{"step":"need_code"}"#);
        assert!(matches!(step, Ok(SignInStep::NeedCode)), "{step:?}");
        let wire = String::from_utf8(
            leptos::server_fn::error::FromServerFnError::ser(&AppError::Unauthenticated).to_vec(),
        )
        .unwrap();
        let refused: Result<SignInStep, _> = read_answer(false, &wire);
        assert_eq!(refused.unwrap_err(), AppError::Unauthenticated);
        // Not JSON (a proxy's error page): an error that says so, never a panic.
        let garbled: Result<SignInStep, _> = read_answer(false, "<html>502</html>");
        assert!(matches!(garbled, Err(AppError::Transport { .. })));
        let garbled: Result<SignInStep, _> = read_answer(true, "");
        assert!(matches!(garbled, Err(AppError::Transport { .. })));
    }
}
