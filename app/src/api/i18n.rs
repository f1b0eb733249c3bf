//! The message catalogue for the browser: one language's table when a page switches to it.

use leptos::prelude::*;
use roster_types::i18n::Catalogue;
use roster_types::AppError;

/// Every message in `lang` (an ISO 639-1 code), in catalogue order, with its code. Public:
/// the texts are the same for everyone.
#[server(prefix = "/api", endpoint = "i18n/texts")]
pub async fn texts(lang: String) -> Result<Catalogue, AppError> {
    let lang = roster_types::Language::parse(&lang)
        .map_err(|e| AppError::invalid("lang", roster_types::i18n::Message::msg(&e)))?;
    Ok(roster_types::i18n::catalogue(lang))
}
