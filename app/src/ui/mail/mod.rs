//! `/admin/mail` (permission mail-view): the outbox — queued, sent and failed mails, with
//! a Retry for a failed one. Server HTML only: Retry is a plain form posted to the page
//! (`server/src/forms/mail.rs`). While no SMTP server is configured, a mail's text is shown
//! here, so a new operator can follow every link without a mail server.

use crate::api::mail::list_mail;
use crate::tr;
use crate::ui::common::{posted, ErrorBanner, PageHead, PageReady};
use crate::ui::i18n::error_text;
use leptos::prelude::*;
use roster_types::mail::MailRow;
use roster_types::AppError;

pub const PATH: &str = "/admin/mail";

/// What a refused Retry hands the page.
#[derive(Clone, Debug)]
pub struct RetryRefused(pub AppError);

#[component]
pub fn MailPage() -> impl IntoView {
    let refused = posted::<RetryRefused>().map(|r| error_text(&r.0));
    let banner = Signal::stored(refused);
    view! {
        <PageHead title=tr!("Mail") />
        <ErrorBanner message=banner />
        <Suspense fallback=|| view! { <p class="muted" role="status">{tr!("Loading…")}</p> }>
            {Suspend::new(async move {
                match list_mail().await {
                    Ok(page) => view! {
                        {(!page.smtp_configured).then(|| view! {
                            <div class="banner" role="note">{tr!("No SMTP server is configured (ROSTER_SMTP_URL): mails wait here, and their text is shown below.")}</div>
                        })}
                        {table(page.rows)}
                    }.into_any(),
                    Err(e) => view! { <div class="banner error" role="alert">{error_text(&e)}</div> }.into_any(),
                }
            })}
        </Suspense>
        <PageReady />
    }
}

fn table(rows: Vec<MailRow>) -> AnyView {
    if rows.is_empty() {
        return view! { <div class="empty card"><p>{tr!("No mail yet.")}</p></div> }.into_any();
    }
    let rows = rows.into_iter().map(row).collect_view();
    view! {
        <div class="table-wrap">
            <table class="table mail">
                <thead><tr>
                    <th scope="col">{tr!("Created")}</th>
                    <th scope="col">{tr!("Recipient")}</th>
                    <th scope="col">{tr!("Subject")}</th>
                    <th scope="col">{tr!("Status")}</th>
                    <th scope="col">{tr!("Attempts")}</th>
                    <th scope="col"><span class="sr-only">{tr!("Actions")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn row(m: MailRow) -> impl IntoView {
    let failed = m.status == "failed";
    let retry = failed.then(|| {
        let label = format!("{} {}", tr!("Retry"), m.recipient);
        view! {
            <form method="post" action=PATH>
                <input type="hidden" name="id" value=m.id.to_string() />
                <button class="btn" type="submit" aria-label=label>{tr!("Retry")}</button>
            </form>
        }
    });
    let text = m.text.map(|t| view! {
        <details><summary>{tr!("Show the mail")}</summary><pre class="mail-text">{t}</pre></details>
    });
    let error = (!m.last_error.is_empty())
        .then(|| view! { <div class="muted small">{m.last_error.clone()}</div> });
    view! {
        <tr>
            <td>{m.created_at}</td>
            <td class="email">{m.recipient}</td>
            <td>{m.subject}<div class="muted small">{m.kind}</div>{text}</td>
            <td><span class="badge">{m.status}</span>{error}</td>
            <td>{m.attempts}</td>
            <td class="actions">{retry}</td>
        </tr>
    }
}
