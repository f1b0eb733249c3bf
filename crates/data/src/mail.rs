//! The mail outbox: mails written in the transaction of the change that causes them, then
//! claimed and delivered by the sender (`roster_core::mail::sender`), each attempt recorded.

use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A mail as queued. `sealed_body` is the encrypted text and HTML parts.
pub struct NewMail<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub sealed_body: &'a str,
}

pub async fn queue(tx: &mut Tx, m: &NewMail<'_>) -> Result<(), DbError> {
    let t = now();
    tx.sql()
        .execute(
            "INSERT INTO mail_outbox (id, kind, recipient, subject, sealed_body, status, attempts,
                 next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $6)",
            (m.id, m.kind, m.recipient, m.subject, m.sealed_body, t),
        )
        .await?;
    Ok(())
}

/// A mail the sender has claimed; `attempts` counts this one.
#[derive(sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub sealed_body: String,
    pub attempts: i32,
}

impl std::fmt::Debug for Claimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claimed")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Claim up to `limit` mails that are due (queued and their time has come, or claimed by a
/// sender whose claim lapsed) for `lease`. Instances sharing PostgreSQL skip rows another
/// is claiming (`SKIP LOCKED`), so no mail is handed to two senders; SQLite has one writer.
pub async fn claim_due(db: &Db, limit: i64, lease: Duration) -> Result<Vec<Claimed>, DbError> {
    let lock = match db {
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        Db::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE mail_outbox SET status = 'sending', claimed_until = $2, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM mail_outbox
             WHERE (status = 'queued' AND next_attempt_at <= $1)
                OR (status = 'sending' AND claimed_until < $1)
             ORDER BY next_attempt_at LIMIT $3 {lock})
         RETURNING id, kind, recipient, subject, sealed_body, attempts"
    );
    let t = now();
    let mut tx = db.begin().await?;
    let rows = tx
        .sql()
        .fetch_all::<Claimed>(&sql, (t, t + lease, limit))
        .await?;
    tx.commit().await?;
    Ok(rows)
}

/// How an attempt ended, as `mail_attempts` records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Tried again at the given time.
    Retry(DateTime<Utc>),
    Failed,
}

/// Record attempt number `attempt` on a claimed mail. A sent mail keeps no body. False
/// when that claim was lost (its lease ran out and another sender claimed the mail, which
/// counted another attempt): nothing is changed.
pub async fn finish(
    tx: &mut Tx,
    (id, attempt): (Uuid, i32),
    outcome: Outcome,
    detail: &str,
) -> Result<bool, DbError> {
    let t = now();
    let (sql, code, next) = match outcome {
        Outcome::Sent => (
            "UPDATE mail_outbox SET status = 'sent', sent_at = $2, sealed_body = '',
                 claimed_until = NULL, last_error = ''
             WHERE id = $1 AND status = 'sending' AND attempts = $5",
            "sent",
            t,
        ),
        Outcome::Retry(at) => (
            "UPDATE mail_outbox SET status = 'queued', next_attempt_at = $3, claimed_until = NULL,
                 last_error = $4
             WHERE id = $1 AND status = 'sending' AND attempts = $5",
            "retry",
            at,
        ),
        Outcome::Failed => (
            "UPDATE mail_outbox SET status = 'failed', claimed_until = NULL, last_error = $4
             WHERE id = $1 AND status = 'sending' AND attempts = $5",
            "failed",
            t,
        ),
    };
    if !tx
        .sql()
        .changed_one(sql, (id, t, next, detail, attempt))
        .await?
    {
        return Ok(false);
    }
    tx.sql()
        .execute(
            "INSERT INTO mail_attempts (mail_id, at, outcome, detail) VALUES ($1, $2, $3, $4)",
            (id, t, code, detail),
        )
        .await?;
    Ok(true)
}

/// A mail as the Mail page lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct MailRow {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The newest mails first.
pub async fn newest(db: &Db, limit: i64) -> Result<Vec<MailRow>, DbError> {
    db.sql()
        .fetch_all::<MailRow>(
            "SELECT id, kind, recipient, subject, status, attempts, last_error, created_at, sent_at
             FROM mail_outbox ORDER BY created_at DESC LIMIT $1",
            (limit,),
        )
        .await
}

/// The sealed body of a mail not yet sent (the Mail page shows it when no SMTP server is
/// configured); None once sent.
pub async fn sealed_body(db: &Db, id: Uuid) -> Result<Option<String>, DbError> {
    let body: Option<String> = db
        .sql()
        .scalar_optional("SELECT sealed_body FROM mail_outbox WHERE id = $1", (id,))
        .await?;
    Ok(body.filter(|b| !b.is_empty()))
}

/// A failed mail queued again (staff retry it from the Mail page).
pub async fn retry(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE mail_outbox SET status = 'queued', next_attempt_at = $2, attempts = 0
             WHERE id = $1 AND status = 'failed' AND sealed_body <> ''",
            (id, now()),
        )
        .await
}
