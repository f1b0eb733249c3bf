//! Mail: what Roster sends and how. A mail is written to the outbox in the transaction of
//! the change that causes it (`queue`), so there is no change without its mail and no mail
//! without its change; the sender (`sender`) delivers it over SMTP, with retries. Bodies
//! are sealed in the outbox: a reset link is a secret until it is used.

pub mod sender;
pub mod templates;

use crate::audit;
use crate::security::crypto::SecretKey;
use crate::state::AppState;
use roster_data::{mail, Tx};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::AppError;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::{Notify, Semaphore};
use uuid::Uuid;

/// What a mail is about; its code is stored and shown on the Mail page and in the trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    PasswordReset,
    PasswordChanged,
    TwoFactorOff,
    RecoveryCodes,
    EmailVerification,
    Invitation,
    NewSignIn,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::PasswordReset => "password_reset",
            Kind::PasswordChanged => "password_changed",
            Kind::TwoFactorOff => "two_factor_off",
            Kind::RecoveryCodes => "recovery_codes",
            Kind::EmailVerification => "email_verification",
            Kind::Invitation => "invitation",
            Kind::NewSignIn => "new_sign_in",
        }
    }
}

/// A mail ready to queue: the recipient, the subject and the two parts.
#[derive(Clone)]
pub struct Outgoing {
    pub kind: Kind,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parts may hold a link: never printed.
        f.debug_struct("Outgoing")
            .field("kind", &self.kind)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// The two parts as sealed in the outbox.
#[derive(Serialize, Deserialize)]
pub struct Body {
    pub text: String,
    pub html: String,
}

/// Requests for a link (forgot password) whose work runs at once after their answer.
pub const LINK_REQUESTS_AT_ONCE: usize = 16;

/// The mail settings and the sender's doorbell, shared by every request.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The `From` of every mail (`ROSTER_MAIL_FROM`).
    pub from: String,
    /// The operator's product name in subjects and texts (`ROSTER_PRODUCT_NAME`).
    pub product_name: String,
    /// The wait after a first failed attempt; it doubles with each further one, up to an hour.
    pub retry_base: std::time::Duration,
    /// Whether an SMTP server is configured: without one, mails stay queued for the Mail page.
    pub smtp_configured: bool,
    /// Rings the sender when a mail was committed, so it does not wait for its next look.
    pub wake: Arc<Notify>,
    /// Requests for a link handled at once (forgot password); more wait their turn or get 503.
    pub link_requests: Arc<Semaphore>,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            from: "Roster <roster@localhost>".into(),
            product_name: "Roster".into(),
            retry_base: std::time::Duration::from_secs(30),
            smtp_configured: false,
            wake: Arc::new(Notify::new()),
            link_requests: Arc::new(Semaphore::new(LINK_REQUESTS_AT_ONCE)),
        }
    }
}

/// The key mail bodies are sealed under: derived from the recovery pepper, which survives a
/// rotation of the server key (so queued mails do too).
pub fn body_key(state: &AppState) -> SecretKey {
    state.pepper.derive("mail body")
}

/// Write `mail` to the outbox as part of `tx`, with its audit event (recipient and kind,
/// never the parts). Call `wake` after the commit.
pub async fn queue(
    tx: &mut Tx,
    state: &AppState,
    ip: &str,
    actor: Actor,
    mail: &Outgoing,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let body = serde_json::to_vec(&Body {
        text: mail.text.clone(),
        html: mail.html.clone(),
    })
    .map_err(AppError::internal)?;
    let sealed = body_key(state).encrypt(&body);
    let row = mail::NewMail {
        id,
        kind: mail.kind.code(),
        recipient: &mail.to,
        subject: &mail.subject,
        sealed_body: &sealed,
    };
    mail::queue(tx, &row).await?;
    audit::record_at(
        tx,
        ip,
        event(actor, Action::MailQueued, id, mail.kind.code(), &mail.to),
    )
    .await?;
    Ok(id)
}

/// The trail's event about a mail: which, of what kind, to whom.
pub(crate) fn event(actor: Actor, action: Action, id: Uuid, kind: &str, to: &str) -> Event {
    Event::new(actor, action, Target::System).changes(
        Changes::new()
            .note("mail_id", id.to_string())
            .note("kind", kind)
            .note("recipient", to),
    )
}

/// What a security notice to the account `c` (who is `p`) says in every case: the time
/// now, the page to ask for a reset link, and the account's language and address.
struct Notice<'a> {
    at: String,
    forgot: String,
    context: templates::Context<'a>,
}

impl<'a> Notice<'a> {
    fn new(
        state: &'a AppState,
        p: roster_data::accounts::Principal,
        c: &'a roster_data::accounts::Credentials,
    ) -> Self {
        Notice {
            at: roster_data::now().format("%Y-%m-%d %H:%M").to_string(),
            forgot: format!(
                "{}{}",
                state.settings.public_url,
                crate::password_reset::forgot_path(p)
            ),
            context: templates::Context {
                lang: roster_types::Language::parse(&c.language).unwrap_or_default(),
                product: &state.mail.product_name,
                to: &c.email,
            },
        }
    }
}

/// Queue the security notice `kind` to the account `c` (who is `p`), in `tx`: the change
/// and its notice commit together. Call `wake` after the commit.
pub async fn notify(
    tx: &mut Tx,
    state: &AppState,
    ip: &str,
    p: roster_data::accounts::Principal,
    c: &roster_data::accounts::Credentials,
    kind: Kind,
) -> Result<(), AppError> {
    let n = Notice::new(state, p, c);
    let mail = templates::notice(kind, &n.context, &n.at, &n.forgot);
    queue(tx, state, ip, audit::actor(p, c), &mail).await?;
    Ok(())
}

/// The notice of a sign-in from a browser the account had not used before: when, from
/// which address, with which browser. Queued in the sign-in's transaction.
pub async fn notify_new_browser(
    tx: &mut Tx,
    state: &AppState,
    meta: &crate::request::RequestMeta,
    p: roster_data::accounts::Principal,
    c: &roster_data::accounts::Credentials,
) -> Result<(), AppError> {
    let n = Notice::new(state, p, c);
    let ip = meta.ip.to_string();
    let seen = templates::Seen {
        at: &n.at,
        address: &ip,
        browser: &roster_types::account::browser_name(&meta.user_agent),
    };
    let mail = templates::new_sign_in(&n.context, &seen, &n.forgot);
    queue(tx, state, &ip, audit::actor(p, c), &mail).await?;
    Ok(())
}

/// A new single-use link to `path` for a mail: the absolute URL (from `ROSTER_PUBLIC_URL`)
/// and the hash of its token, the only form of the token that is stored.
pub fn new_link(state: &AppState, path: &str) -> (String, String) {
    let token = crate::security::tokens::new_token();
    let hash = crate::security::tokens::hash_token(&token);
    (
        format!("{}{path}?token={token}", state.settings.public_url),
        hash,
    )
}

/// Tell the sender a mail was committed.
pub fn wake(state: &AppState) {
    state.mail.wake.notify_one();
}

/// The two parts of a queued mail (the Mail page, when no SMTP server is configured).
pub fn open_body(state: &AppState, sealed: &str) -> Result<Body, AppError> {
    let bytes = body_key(state).decrypt(sealed)?;
    serde_json::from_slice(&bytes).map_err(AppError::internal)
}

/// The newest mails for the Mail page. The text of a mail is shown only while no SMTP
/// server is configured: then the page is how a link reaches anyone; with one, staff never
/// read another person's reset link.
pub async fn page(state: &AppState) -> Result<roster_types::mail::MailPage, AppError> {
    let show_text = !state.mail.smtp_configured;
    let mut rows = Vec::new();
    for m in mail::newest(&state.db, 200).await? {
        let text = if show_text && m.status != "sent" {
            match mail::sealed_body(&state.db, m.id).await? {
                Some(sealed) => Some(open_body(state, &sealed)?.text),
                None => None,
            }
        } else {
            None
        };
        rows.push(roster_types::mail::MailRow {
            id: m.id,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
            sent_at: m.sent_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            text,
        });
    }
    Ok(roster_types::mail::MailPage {
        rows,
        smtp_configured: state.mail.smtp_configured,
    })
}

/// A failed mail queued again by staff; audited. NotFound when it is not a failed mail.
pub async fn retry(state: &AppState, ip: &str, actor: Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    if !mail::retry(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    let e = Event::new(actor, Action::MailQueued, Target::System).changes(
        Changes::new()
            .note("mail_id", id.to_string())
            .note("retry", true),
    );
    audit::record_at(&mut tx, ip, e).await?;
    tx.commit().await?;
    wake(state);
    Ok(())
}
