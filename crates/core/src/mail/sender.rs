//! Delivery: the sender claims due mails from the outbox, sends each over SMTP and records
//! the attempt. A mail the server refuses for good fails at once; anything else (the
//! server down, a timeout, a 4xx answer) is tried again after a wait that doubles from
//! `retry_base` up to an hour, `MAX_ATTEMPTS` times in all.

use super::{event, open_body};
use crate::state::AppState;
use chrono::Duration;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use roster_data::mail::{self, Claimed, Outcome};
use roster_types::event::{Action, Actor};
use roster_types::AppError;

/// Attempts before a mail is given up on (about 15 hours with the default 30 s base).
pub const MAX_ATTEMPTS: i32 = 20;
/// Mails claimed at a time.
const BATCH: i64 = 5;
/// How long a claim holds: longer than a batch takes (each send times out after 20 s), so
/// a mail is only claimed again when its sender has died.
const LEASE_SECS: i64 = 150;
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// How often the outbox is looked at when nothing rang (other instances, retries).
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// The SMTP server and the `From` address.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum SmtpConfigError {
    #[error("ROSTER_SMTP_URL is not an SMTP URL (smtp://user:pass@host:587?tls=required, smtps://host:465 or smtp://host:25): {0}")]
    Url(String),
    #[error("ROSTER_MAIL_FROM is not an address (Name <name@example.com>): {0}")]
    From(String),
}

impl Smtp {
    /// `url` as lettre reads it: `smtps://` implicit TLS, `smtp://…?tls=required` STARTTLS,
    /// `smtp://` without TLS (a relay on the same host); a user and password in the URL log in.
    pub fn from_url(url: &str, from: &str) -> Result<Self, SmtpConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            // lettre's message names the part it could not read, never the password.
            .map_err(|e| SmtpConfigError::Url(e.to_string()))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| SmtpConfigError::From(e.to_string()))?;
        Ok(Self { transport, from })
    }
}

/// Deliver mails until the server stops: whatever is due, then wait for the doorbell or
/// the next look.
pub async fn run(state: AppState, smtp: Smtp) {
    loop {
        match deliver_due(&state, &smtp).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail: could not read the outbox"),
        }
        tokio::select! {
            _ = state.mail.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// One claim of due mails, each delivered and recorded; how many were claimed.
pub async fn deliver_due(state: &AppState, smtp: &Smtp) -> Result<usize, AppError> {
    let batch = mail::claim_due(&state.db, BATCH, Duration::seconds(LEASE_SECS)).await?;
    for m in &batch {
        let outcome = match send(state, smtp, m).await {
            Ok(()) => (Outcome::Sent, String::new()),
            Err(Failure::Permanent(why)) => (Outcome::Failed, why),
            Err(Failure::Transient(why)) if m.attempts >= MAX_ATTEMPTS => (Outcome::Failed, why),
            Err(Failure::Transient(why)) => (Outcome::Retry(retry_at(state, m.attempts)), why),
        };
        record(state, m, outcome).await?;
    }
    Ok(batch.len())
}

/// When to try again after `attempts` failed ones: `retry_base` doubled each time, at most
/// an hour.
fn retry_at(state: &AppState, attempts: i32) -> chrono::DateTime<chrono::Utc> {
    roster_data::now() + backoff(state.mail.retry_base, attempts)
}

pub fn backoff(base: std::time::Duration, attempts: i32) -> Duration {
    let doublings = attempts.clamp(1, 30) as u32 - 1;
    let secs = base.as_secs_f64() * 2f64.powi(doublings as i32);
    Duration::milliseconds((secs.min(3600.0) * 1000.0) as i64)
}

enum Failure {
    Permanent(String),
    Transient(String),
}

async fn send(state: &AppState, smtp: &Smtp, m: &Claimed) -> Result<(), Failure> {
    let body = open_body(state, &m.sealed_body)
        .map_err(|_| Failure::Permanent("the body could not be opened".into()))?;
    let to = m
        .recipient
        .parse::<Mailbox>()
        .map_err(|e| Failure::Permanent(format!("not a recipient address: {e}")))?;
    // The outbox id names the message: a mail sent again after a crash (the server took
    // it, the record did not follow) is recognisably the same one.
    let domain = smtp.from.email.domain().to_string();
    let message = Message::builder()
        .from(smtp.from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", m.id)))
        .multipart(MultiPart::alternative_plain_html(body.text, body.html))
        .map_err(|e| Failure::Permanent(format!("the message could not be built: {e}")))?;
    match smtp.transport.send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
        Err(e) => Err(Failure::Transient(e.to_string())),
    }
}

async fn record(
    state: &AppState,
    m: &Claimed,
    (outcome, why): (Outcome, String),
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    // A claim that lapsed (this sender was too slow) belongs to whoever took it next.
    if !mail::finish(&mut tx, (m.id, m.attempts), outcome, &why).await? {
        return Ok(());
    }
    let action = match outcome {
        Outcome::Sent => Some(Action::MailSent),
        Outcome::Failed => Some(Action::MailFailed),
        Outcome::Retry(_) => None,
    };
    if let Some(action) = action {
        let e = event(Actor::System, action, m.id, &m.kind, &m.recipient);
        crate::audit::record_at(&mut tx, "", e).await?;
    }
    if !why.is_empty() {
        tracing::info!(mail_id = %m.id, kind = %m.kind, attempts = m.attempts, error = %why, "mail: not delivered");
    }
    Ok(tx.commit().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_up_to_an_hour() {
        let base = std::time::Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::seconds(30));
        assert_eq!(backoff(base, 2), Duration::seconds(60));
        assert_eq!(backoff(base, 4), Duration::seconds(240));
        assert_eq!(backoff(base, 8), Duration::seconds(3600));
        assert_eq!(backoff(base, 1000), Duration::seconds(3600));
        assert_eq!(backoff(base, 0), Duration::seconds(30));
    }

    // lettre's connection pool starts a task: a runtime is needed.
    #[tokio::test]
    async fn a_bad_url_or_from_is_refused_with_its_name() {
        let e = Smtp::from_url("http://x", "a@b.example").err().unwrap();
        assert!(e.to_string().contains("ROSTER_SMTP_URL"));
        let e = Smtp::from_url("smtp://127.0.0.1:2525", "not an address")
            .err()
            .unwrap();
        assert!(e.to_string().contains("ROSTER_MAIL_FROM"));
        assert!(Smtp::from_url("smtp://user:pw@127.0.0.1:2525", "Roster <r@x.example>").is_ok());
    }
}
