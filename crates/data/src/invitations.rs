//! Invitations: a user created without a password (`users.invited_at` set) chooses one
//! from a mailed link; client associations offered meanwhile wait in
//! `pending_associations` and become real when they accept.

use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use roster_types::clients::{decode_permissions, encode_permissions};
use roster_types::ClientPermission;
use uuid::Uuid;

/// An invitation was (re)sent now. False when the user is no longer invited (they
/// accepted meanwhile): an invitation never makes a user with a password INVITED again.
pub async fn mark_sent(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE users SET invited_at = $2, version = version + 1, updated_at = $2
             WHERE id = $1 AND invited_at IS NOT NULL",
            (id, now()),
        )
        .await
}

/// Accept: the password set and the email verified (the link went to it), while the user
/// is still invited at `email_norm` and not INACTIVE. False otherwise (nothing changes).
pub async fn accept(
    tx: &mut Tx,
    id: Uuid,
    email_norm: &str,
    password_hash: &str,
) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE users SET password_hash = $3, invited_at = NULL, email_verified = TRUE,
                 version = version + 1, updated_at = $4
             WHERE id = $1 AND email_norm = $2 AND invited_at IS NOT NULL
                 AND status <> 'INACTIVE'",
            (id, email_norm, password_hash, now()),
        )
        .await
}

/// No longer invited (a password was set another way: a reset link, or staff in Edit);
/// whether the user was.
pub async fn clear(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE users SET invited_at = NULL WHERE id = $1 AND invited_at IS NOT NULL",
            (id,),
        )
        .await
}

/// When the newest invitation of `id` was sent, while they are invited.
pub async fn sent_at(tx: &mut Tx, id: Uuid) -> Result<Option<DateTime<Utc>>, DbError> {
    let at: Option<Option<DateTime<Utc>>> = tx
        .sql()
        .scalar_optional("SELECT invited_at FROM users WHERE id = $1", (id,))
        .await?;
    Ok(at.flatten())
}

/// Offer `client` to invited user `user` with `permissions` (again: the newer offer wins).
pub async fn add_pending(
    tx: &mut Tx,
    user: Uuid,
    client: Uuid,
    permissions: &[ClientPermission],
    invited_by: &str,
) -> Result<(), DbError> {
    tx.sql()
        .execute(
            "INSERT INTO pending_associations (user_id, client_id, permissions, invited_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, client_id) DO UPDATE
                 SET permissions = excluded.permissions, invited_by = excluded.invited_by,
                     created_at = excluded.created_at",
            (user, client, encode_permissions(permissions), invited_by, now()),
        )
        .await?;
    Ok(())
}

/// Withdraw an offer; whether there was one.
pub async fn remove_pending(tx: &mut Tx, user: Uuid, client: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "DELETE FROM pending_associations WHERE user_id = $1 AND client_id = $2",
            (user, client),
        )
        .await
}

/// An association waiting for its user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub user_id: Uuid,
    pub client_id: Uuid,
    pub email: String,
    pub permissions: Vec<ClientPermission>,
    pub invited_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    user_id: Uuid,
    client_id: Uuid,
    email: String,
    permissions: String,
    invited_by: String,
    created_at: DateTime<Utc>,
}

impl From<PendingRow> for Pending {
    fn from(r: PendingRow) -> Self {
        Pending {
            user_id: r.user_id,
            client_id: r.client_id,
            email: r.email,
            permissions: decode_permissions(&r.permissions),
            invited_by: r.invited_by,
            created_at: r.created_at,
        }
    }
}

const PENDING_SQL: &str =
    "SELECT p.user_id, p.client_id, u.email, p.permissions, p.invited_by, p.created_at
     FROM pending_associations p JOIN users u ON u.id = p.user_id";

/// The client's offers waiting for acceptance, oldest first.
pub async fn pending_for_client(db: &Db, client: Uuid) -> Result<Vec<Pending>, DbError> {
    let sql = format!("{PENDING_SQL} WHERE p.client_id = $1 ORDER BY p.created_at, u.email_norm");
    let rows: Vec<PendingRow> = db.sql().fetch_all(&sql, (client,)).await?;
    Ok(rows.into_iter().map(Pending::from).collect())
}

/// The user's offers, taken out (the caller associates them in the same transaction).
pub async fn take_pending(tx: &mut Tx, user: Uuid) -> Result<Vec<Pending>, DbError> {
    let sql = format!("{PENDING_SQL} WHERE p.user_id = $1 ORDER BY p.created_at");
    let rows: Vec<PendingRow> = tx.sql().fetch_all(&sql, (user,)).await?;
    tx.sql()
        .execute(
            "DELETE FROM pending_associations WHERE user_id = $1",
            (user,),
        )
        .await?;
    Ok(rows.into_iter().map(Pending::from).collect())
}
