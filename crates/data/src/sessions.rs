//! Server-side sessions. The cookie holds a random token; the table holds its hash.

use super::accounts::{Credentials, Principal};
use super::{now, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use roster_types::StaffPermission;
use std::sync::LazyLock;
use uuid::Uuid;

/// How far a session has come: `code` and `enrol` are the short-lived steps between the
/// password and the second factor, and grant nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Full,
    Code,
    Enrol,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Code => "code",
            Stage::Enrol => "enrol",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Stage::Full),
            "code" => Some(Stage::Code),
            "enrol" => Some(Stage::Enrol),
            _ => None,
        }
    }
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub principal: Principal,
    pub account_id: Uuid,
    pub stage: Stage,
    pub expires_at: DateTime<Utc>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub id: Uuid,
    pub account_id: Uuid,
    pub stage: Stage,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// A staff member signed in as this user: the staff session this one hangs from.
    pub impersonator_session: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Option<Uuid>,
    stage: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    impersonator_session: Option<Uuid>,
}

impl Row {
    /// The session, unless it has expired (or names no account of the kind asked about).
    /// Expiry is compared here, not in SQL, so both engines agree exactly.
    fn live(self) -> Option<Session> {
        Some(Session {
            id: self.id,
            account_id: self.account_id?,
            stage: Stage::parse(&self.stage)?,
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            expires_at: self.expires_at,
            impersonator_session: self.impersonator_session,
        })
        .filter(|s| s.expires_at > now())
    }
}

pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let t = now();
    let sql = format!(
        "INSERT INTO sessions (id, token_hash, {}, stage, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        s.principal.session_column()
    );
    tx.sql()
        .execute(
            &sql,
            (
                id,
                s.token_hash,
                s.account_id,
                s.stage.code(),
                t,
                s.expires_at,
                s.ip,
                s.user_agent,
            ),
        )
        .await?;
    Ok(id)
}

/// A session that signs staff session `staff_session` in as user `user_id`, for `reason`.
/// It is never a sign-in of the user's: nothing about the user changes.
pub struct NewImpersonation<'a> {
    pub token_hash: &'a str,
    pub user_id: Uuid,
    pub staff_session: Uuid,
    pub reason: &'a str,
    pub expires_at: DateTime<Utc>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub async fn insert_impersonation(tx: &mut Tx, s: &NewImpersonation<'_>) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    tx.sql()
        .execute(
            "INSERT INTO sessions (id, token_hash, user_id, stage, created_at, last_seen_at, expires_at, ip, user_agent,
                                   impersonator_session, impersonation_reason)
             VALUES ($1, $2, $3, 'full', $4, $4, $5, $6, $7, $8, $9)",
            (
                id,
                s.token_hash,
                s.user_id,
                now(),
                s.expires_at,
                s.ip,
                s.user_agent,
                s.staff_session,
                s.reason,
            ),
        )
        .await?;
    Ok(id)
}

/// Lock session `id`'s row for the rest of the transaction (false: it is gone), so that
/// what is decided from it is decided one transaction at a time.
pub async fn hold(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE sessions SET last_seen_at = last_seen_at WHERE id = $1",
            (id,),
        )
        .await
}

/// A session that signed a staff member in as a user, for the trail when it ends.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImpersonationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_email: String,
    pub staff_id: Uuid,
    pub staff_email: String,
    pub reason: String,
    pub ip: String,
}

/// Which sessions that sign staff in as users are ending.
pub enum Ending {
    /// This one.
    One(Uuid),
    /// Those hanging from this staff session (it signs out).
    From(Uuid),
    /// Those hanging from any session of this staff member but `keep` (their sessions are
    /// ended: deactivated, a new password, 2FA reset).
    OfStaff { staff_id: Uuid, keep: Option<Uuid> },
    /// Those hanging from `session`, if it is this staff member's (they end it).
    OneOfStaff { staff_id: Uuid, session: Uuid },
    /// Those past their own expiry or their staff session's (the sweep).
    Expired,
}

/// The sessions signing staff in as users that `which` names, with who and why.
pub async fn impersonations(tx: &mut Tx, which: Ending) -> Result<Vec<ImpersonationRow>, DbError> {
    let select = "SELECT s.id, u.id AS user_id, u.email AS user_email, st.id AS staff_id,
                         st.email AS staff_email, s.impersonation_reason AS reason, s.ip
                  FROM sessions s JOIN users u ON u.id = s.user_id
                  JOIN sessions ss ON ss.id = s.impersonator_session
                  JOIN staff st ON st.id = ss.staff_id";
    let q = tx.sql();
    match which {
        Ending::One(id) => {
            q.fetch_all(&format!("{select} WHERE s.id = $1"), (id,))
                .await
        }
        Ending::From(staff_session) => {
            let sql = format!("{select} WHERE s.impersonator_session = $1");
            q.fetch_all(&sql, (staff_session,)).await
        }
        Ending::OfStaff { staff_id, keep } => {
            let sql = format!("{select} WHERE ss.staff_id = $1 AND s.impersonator_session <> $2");
            q.fetch_all(&sql, (staff_id, keep.unwrap_or(Uuid::nil())))
                .await
        }
        Ending::OneOfStaff { staff_id, session } => {
            let sql = format!("{select} WHERE ss.staff_id = $1 AND s.impersonator_session = $2");
            q.fetch_all(&sql, (staff_id, session)).await
        }
        Ending::Expired => {
            let sql = format!(
                "{select} WHERE s.impersonator_session IS NOT NULL
                   AND (s.expires_at <= $1 OR ss.expires_at <= $1)"
            );
            q.fetch_all(&sql, (now(),)).await
        }
    }
}

/// The unexpired session of this kind behind a token hash.
pub async fn find(db: &Db, p: Principal, token_hash: &str) -> Result<Option<Session>, DbError> {
    let sql = format!(
        "SELECT id, {} AS account_id, stage, created_at, last_seen_at, expires_at, impersonator_session
         FROM sessions WHERE token_hash = $1",
        p.session_column()
    );
    let row: Option<Row> = db.sql().fetch_optional::<Row>(&sql, (token_hash,)).await?;
    Ok(row.and_then(Row::live))
}

/// Who a full session's cookie signs in: the session, its account and, for staff, their
/// permissions.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session: Session,
    pub account: Credentials,
    /// Staff permissions, sorted; empty for a user (theirs are per client).
    pub permissions: Vec<StaffPermission>,
    /// The staff member signed in as this user, when it is such a session.
    pub impersonator: Option<Impersonator>,
}

/// The staff member behind a session that signs in as a user, as things stand now: the
/// session is good only while theirs is and they may still do it.
#[derive(Clone, Debug)]
pub struct Impersonator {
    pub id: Uuid,
    pub email: String,
    pub reason: String,
    /// When the session ends (it is never extended).
    pub ends_at: DateTime<Utc>,
    pub permissions: Vec<StaffPermission>,
    /// Their own session is full and unexpired, and they are not deactivated.
    pub live: bool,
}

#[derive(sqlx::FromRow)]
struct SignedInRow {
    session_id: Uuid,
    stage: String,
    session_created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    #[sqlx(flatten)]
    account: Credentials,
    permissions: String,
    impersonator_session: Option<Uuid>,
    impersonation_reason: String,
    impersonator_id: Option<Uuid>,
    impersonator_email: Option<String>,
    impersonator_active: Option<bool>,
    impersonator_stage: Option<String>,
    impersonator_expires_at: Option<DateTime<Utc>>,
    impersonator_permissions: String,
}

/// The session behind `token_hash` with its account and permissions, in one query: every
/// signed-in request asks this first, and each query is a round trip (on SQLite, thread
/// hand-offs to the connection's worker). Unexpired sessions of any stage; the caller
/// decides what a stage grants.
pub async fn signed_in(
    db: &Db,
    p: Principal,
    token_hash: &str,
) -> Result<Option<SignedIn>, DbError> {
    let sql = signed_in_sql(p);
    let Some(r) = db
        .sql()
        .fetch_optional::<SignedInRow>(sql, (token_hash,))
        .await?
    else {
        return Ok(None);
    };
    let session = Row {
        id: r.session_id,
        account_id: Some(r.account.id),
        stage: r.stage,
        created_at: r.session_created_at,
        last_seen_at: r.last_seen_at,
        expires_at: r.expires_at,
        impersonator_session: r.impersonator_session,
    };
    // A session that hangs from a staff session names who opened it, or is no longer good.
    let impersonator = match (
        r.impersonator_session,
        r.impersonator_id,
        r.impersonator_email,
    ) {
        (None, ..) => None,
        (Some(_), Some(id), Some(email)) => Some(Impersonator {
            id,
            email,
            reason: r.impersonation_reason,
            ends_at: r.expires_at,
            permissions: super::staff::parse_permissions(&r.impersonator_permissions),
            live: r.impersonator_active == Some(true)
                && r.impersonator_stage.as_deref() == Some(Stage::Full.code())
                && r.impersonator_expires_at.is_some_and(|t| t > now()),
        }),
        (Some(_), ..) => return Ok(None),
    };
    Ok(session.live().map(|session| SignedIn {
        session,
        account: r.account,
        permissions: super::staff::parse_permissions(&r.permissions),
        impersonator,
    }))
}

/// The query of [`signed_in`] for a kind of account, written once: every signed-in
/// request asks it.
fn signed_in_sql(p: Principal) -> &'static str {
    static STAFF: LazyLock<String> = LazyLock::new(|| signed_in_query(Principal::Staff));
    static USER: LazyLock<String> = LazyLock::new(|| signed_in_query(Principal::User));
    match p {
        Principal::Staff => &STAFF,
        Principal::User => &USER,
    }
}

fn signed_in_query(p: Principal) -> String {
    let permissions = match p {
        Principal::Staff => super::staff::permissions_of("a.id"),
        Principal::User => "''".to_string(),
    };
    // The staff session a user session hangs from, and its staff member (all NULL for
    // the sessions people open themselves).
    format!(
        "SELECT s.id AS session_id, s.stage, s.created_at AS session_created_at,
                s.last_seen_at, s.expires_at, a.*, {permissions} AS permissions,
                s.impersonator_session, s.impersonation_reason,
                st.id AS impersonator_id, st.email AS impersonator_email,
                st.active AS impersonator_active, ss.stage AS impersonator_stage,
                ss.expires_at AS impersonator_expires_at,
                {impersonator_permissions} AS impersonator_permissions
         FROM sessions s JOIN (SELECT {columns} FROM {table}) a ON a.id = s.{account}
         LEFT JOIN sessions ss ON ss.id = s.impersonator_session
         LEFT JOIN staff st ON st.id = ss.staff_id
         WHERE s.token_hash = $1",
        columns = p.columns(),
        table = p.table(),
        account = p.session_column(),
        impersonator_permissions = super::staff::permissions_of("st.id"),
    )
}

pub async fn touch(db: &Db, id: Uuid, expires_at: DateTime<Utc>) -> Result<(), DbError> {
    db.sql()
        .execute(
            "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
            (now(), expires_at, id),
        )
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    let r = tx
        .sql()
        .execute("DELETE FROM sessions WHERE id = $1", (id,))
        .await?;
    Ok(r > 0)
}

/// Housekeeping: drop sessions past their expiry. Timestamps are written by one encoder
/// on each engine, so comparing them in SQL is exact on both.
pub async fn delete_expired(db: &Db) -> Result<u64, DbError> {
    let r = db
        .sql()
        .execute("DELETE FROM sessions WHERE expires_at <= $1", (now(),))
        .await?;
    Ok(r)
}

pub async fn delete_for_account(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
) -> Result<u64, DbError> {
    let sql = format!("DELETE FROM sessions WHERE {} = $1", p.session_column());
    let r = tx.sql().execute(&sql, (account_id,)).await?;
    Ok(r)
}

/// End every session of a user (deactivated, password reset, 2FA switched).
pub async fn delete_for_user(tx: &mut Tx, user_id: Uuid) -> Result<u64, DbError> {
    let r = tx
        .sql()
        .execute("DELETE FROM sessions WHERE user_id = $1", (user_id,))
        .await?;
    Ok(r)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ip: String,
    user_agent: String,
    impersonator_email: Option<String>,
    impersonation_reason: String,
}

/// A user's signed-in sessions (not the short steps between password and code), newest
/// first.
pub async fn list_for_user(
    db: &Db,
    user_id: Uuid,
) -> Result<Vec<roster_types::account::SessionRow>, DbError> {
    list_for(db, Principal::User, user_id).await
}

/// An account's signed-in sessions, newest first.
pub async fn list_for(
    db: &Db,
    p: Principal,
    account_id: Uuid,
) -> Result<Vec<roster_types::account::SessionRow>, DbError> {
    let sql = format!(
        "SELECT s.id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent,
                st.email AS impersonator_email, s.impersonation_reason
         FROM sessions s LEFT JOIN sessions ss ON ss.id = s.impersonator_session
         LEFT JOIN staff st ON st.id = ss.staff_id
         WHERE s.{} = $1 AND s.stage = 'full' ORDER BY s.last_seen_at DESC",
        p.session_column()
    );
    let rows: Vec<ListRow> = db.sql().fetch_all(&sql, (account_id,)).await?;
    let t = now();
    Ok(rows
        .into_iter()
        .filter(|r| r.expires_at > t)
        .map(|r| roster_types::account::SessionRow {
            id: r.id,
            created_at: r.created_at.into(),
            last_seen_at: r.last_seen_at.into(),
            ip: r.ip,
            browser: roster_types::account::browser_name(&r.user_agent),
            current: false,
            support: r
                .impersonator_email
                .map(|staff| roster_types::account::Support {
                    staff,
                    reason: r.impersonation_reason,
                }),
        })
        .collect())
}

/// End one of an account's sessions; false if it is not theirs (or already gone).
pub async fn delete_one_for(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
    id: Uuid,
) -> Result<bool, DbError> {
    let sql = format!(
        "DELETE FROM sessions WHERE id = $1 AND {} = $2",
        p.session_column()
    );
    tx.sql().changed_one(&sql, (id, account_id)).await
}

/// End every session of an account except `keep`.
pub async fn delete_all_but(
    tx: &mut Tx,
    p: Principal,
    account_id: Uuid,
    keep: Uuid,
) -> Result<u64, DbError> {
    let sql = format!(
        "DELETE FROM sessions WHERE {} = $1 AND id <> $2",
        p.session_column()
    );
    let r = tx.sql().execute(&sql, (account_id, keep)).await?;
    Ok(r)
}
