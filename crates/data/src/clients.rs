//! Clients and their users: the Manage Clients list, the client profile, and the
//! associations (who acts for a client, with which permissions, and who owns it).

use super::{now, Db, DbError, Tx};
use crate::search::{self, Page, Source};
use crate::sql::{List, Sql};
use chrono::{DateTime, Utc};
use roster_types::clients::{
    decode_permissions, encode_permissions, Access, ClientDetail, ClientRow, ClientSort,
    ClientUserRow, ValidClient,
};
use roster_types::page::{PageQuery, Total};
use roster_types::users::{ClientStatus, UserStatus};
use roster_types::{ClientPermission, Taken};
use uuid::Uuid;

pub fn search_text(
    first: &str,
    last: &str,
    company: &str,
    tax_id: Option<&str>,
    id: Uuid,
) -> String {
    format!("{first} {last} {company} {} {id}", tax_id.unwrap_or("")).to_lowercase()
}

fn search_of(id: Uuid, c: &ValidClient) -> String {
    search_text(
        c.first_name.as_str(),
        c.last_name.as_str(),
        &c.company_name,
        c.tax_id.as_deref(),
        id,
    )
}

fn status(s: &str) -> ClientStatus {
    ClientStatus::parse(s).unwrap_or(ClientStatus::Inactive)
}

/// The columns every client row has.
#[derive(sqlx::FromRow)]
struct Names {
    id: Uuid,
    first_name: String,
    last_name: String,
    company_name: String,
    tax_id: Option<String>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct ListRow {
    #[sqlx(flatten)]
    names: Names,
    users: i64,
    owner_email: Option<String>,
    created_at: DateTime<Utc>,
}

const LIST_COLUMNS: &str = "c.id, c.first_name, c.last_name, c.company_name, c.tax_id, c.status,
    (SELECT COUNT(*) FROM user_clients uc WHERE uc.client_id = c.id) AS users,
    (SELECT u.email FROM user_clients uc JOIN users u ON u.id = uc.user_id
     WHERE uc.client_id = c.id AND uc.is_owner) AS owner_email,
    c.created_at";

/// The list's rows as the search reads them.
const SOURCE: Source = Source {
    table: "clients",
    alias: "c",
    columns: LIST_COLUMNS,
    fts: "clients_fts",
    counter: None,
    created: "c.created_at",
    months: None,
};

/// The list's sort orders.
fn order_by(sort: ClientSort, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    match sort {
        ClientSort::Name => format!("c.last_name {dir}, c.first_name {dir}, c.id"),
        // Ending in a unique key, so clients created at the same instant page stably.
        ClientSort::Status => format!("c.status {dir}, c.created_at DESC, c.id DESC"),
        ClientSort::Created => format!("c.created_at {dir}, c.id {dir}"),
        ClientSort::Company => {
            format!("c.company_name {dir}, c.last_name {dir}, c.first_name {dir}, c.id")
        }
    }
}

/// One page of clients matching the query's search (name, company, tax ID, UUID),
/// and how many match.
pub async fn list(db: &Db, query: &PageQuery) -> Result<(Vec<ClientRow>, Total), DbError> {
    let page = Page::of(query, order_by(ClientSort::parse(&query.sort), query.desc));
    let (rows, total) = search::page::<ListRow>(db, &SOURCE, &page).await?;
    let rows = rows
        .into_iter()
        .map(|r| ClientRow {
            id: r.names.id,
            first_name: r.names.first_name,
            last_name: r.names.last_name,
            company_name: r.names.company_name,
            tax_id: r.names.tax_id,
            status: status(&r.names.status),
            users: r.users,
            owner_email: r.owner_email,
            created_at: r.created_at.into(),
        })
        .collect();
    Ok((rows, total))
}

const UNIQUE_FIELDS: &[(&str, Taken)] = &[("tax_id", Taken::TaxId)];

/// The form's columns, in the order both statements number them: first name, last name,
/// company name, tax ID, status, search text.
fn push_form<'a>(args: &mut List<'a>, c: &'a ValidClient, search: &'a str) -> Result<(), DbError> {
    args.push(c.first_name.as_str())?;
    args.push(c.last_name.as_str())?;
    args.push(c.company_name.as_str())?;
    args.push(c.tax_id.as_deref())?;
    args.push(c.status.code())?;
    args.push(search)
}

pub async fn insert(tx: &mut Tx, id: Uuid, c: &ValidClient) -> Result<(), DbError> {
    let search = search_of(id, c);
    let on = tx.sql();
    let mut args = on.list();
    args.push(id)?;
    push_form(&mut args, c, &search)?;
    args.push(now())?;
    let sql = "INSERT INTO clients (id, first_name, last_name, company_name, tax_id, status,
            search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
    on.execute(sql, args)
        .await
        .map_err(|e| DbError::from_unique(e, UNIQUE_FIELDS))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    names: Names,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<DetailRow> for ClientDetail {
    fn from(r: DetailRow) -> Self {
        let n = r.names;
        ClientDetail {
            id: n.id,
            first_name: n.first_name,
            last_name: n.last_name,
            company_name: n.company_name,
            tax_id: n.tax_id,
            status: status(&n.status),
            version: r.version,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        }
    }
}

const DETAIL_SQL: &str = "SELECT id, first_name, last_name, company_name, tax_id, status, version,
    created_at, updated_at FROM clients WHERE id = $1";

/// On the pool (`&db`) or inside a transaction (`&mut tx`).
pub async fn detail(on: impl Into<Sql<'_>>, id: Uuid) -> Result<Option<ClientDetail>, DbError> {
    let r: Option<DetailRow> = on.into().fetch_optional(DETAIL_SQL, (id,)).await?;
    Ok(r.map(ClientDetail::from))
}

/// Write `c` if the client is still at `version`.
pub async fn update(tx: &mut Tx, id: Uuid, version: i64, c: &ValidClient) -> Result<bool, DbError> {
    let search = search_of(id, c);
    let on = tx.sql();
    let mut args = on.list();
    args.push(id)?;
    args.push(version)?;
    push_form(&mut args, c, &search)?;
    args.push(now())?;
    let sql = "UPDATE clients SET first_name = $3, last_name = $4, company_name = $5, tax_id = $6,
            status = $7, search_text = $8, version = version + 1, updated_at = $9
         WHERE id = $1 AND version = $2";
    let n = on
        .execute(sql, args)
        .await
        .map_err(|e| DbError::from_unique(e, UNIQUE_FIELDS))?;
    Ok(n == 1)
}

/// Delete the client; its associations go with it (foreign keys cascade).
pub async fn delete(tx: &mut Tx, id: Uuid) -> Result<bool, DbError> {
    tx.sql().delete_row("clients", id).await
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: Uuid,
    first_name: String,
    last_name: String,
    email: String,
    status: String,
    is_owner: bool,
    permissions: String,
}

/// The client's users, the owner first.
const MEMBERS_SQL: &str =
    "SELECT u.id AS user_id, u.first_name, u.last_name, u.email, u.status, uc.is_owner, uc.permissions
     FROM user_clients uc JOIN users u ON u.id = uc.user_id
     WHERE uc.client_id = $1
     ORDER BY uc.is_owner DESC, u.last_name, u.first_name, u.email_norm";

/// On the pool, or inside the caller's transaction (which must not wait for a second
/// connection while it holds one).
pub async fn users_of(on: impl Into<Sql<'_>>, client: Uuid) -> Result<Vec<ClientUserRow>, DbError> {
    let rows: Vec<MemberRow> = on.into().fetch_all(MEMBERS_SQL, (client,)).await?;
    Ok(rows.into_iter().map(member).collect())
}

fn member(r: MemberRow) -> ClientUserRow {
    ClientUserRow {
        user_id: r.user_id,
        name: format!("{} {}", r.first_name, r.last_name)
            .trim()
            .to_string(),
        email: r.email,
        user_status: UserStatus::parse(&r.status).unwrap_or(UserStatus::Inactive),
        access: Access {
            owner: r.is_owner,
            permissions: decode_permissions(&r.permissions),
        },
    }
}

/// The client with this tax ID (as stored: trimmed), if any.
pub async fn id_by_tax_id(db: &Db, tax_id: &str) -> Result<Option<Uuid>, DbError> {
    db.sql()
        .scalar_optional("SELECT id FROM clients WHERE tax_id = $1", (tax_id,))
        .await
}

/// A user's access to a client, if associated.
pub async fn access(
    on: impl Into<Sql<'_>>,
    user: Uuid,
    client: Uuid,
) -> Result<Option<Access>, DbError> {
    let r: Option<(bool, String)> = on
        .into()
        .fetch_optional(
            "SELECT is_owner, permissions FROM user_clients WHERE user_id = $1 AND client_id = $2",
            (user, client),
        )
        .await?;
    Ok(r.map(|(owner, p)| Access {
        owner,
        permissions: decode_permissions(&p),
    }))
}

pub async fn has_owner(tx: &mut Tx, client: Uuid) -> Result<bool, DbError> {
    let n: i64 = tx
        .sql()
        .scalar(
            "SELECT COUNT(*) FROM user_clients WHERE client_id = $1 AND is_owner",
            (client,),
        )
        .await?;
    Ok(n > 0)
}

pub async fn associate(
    tx: &mut Tx,
    user: Uuid,
    client: Uuid,
    owner: bool,
    permissions: &[ClientPermission],
) -> Result<(), DbError> {
    tx.sql()
        .execute(
            "INSERT INTO user_clients (user_id, client_id, is_owner, permissions, created_at)
         VALUES ($1, $2, $3, $4, $5)",
            (user, client, owner, encode_permissions(permissions), now()),
        )
        .await
        .map_err(|e| {
            DbError::from_unique(
                e,
                &[
                    ("user_clients", Taken::Association),
                    ("PRIMARY", Taken::Association),
                    ("pkey", Taken::Association),
                ],
            )
        })?;
    Ok(())
}

pub async fn set_permissions(
    tx: &mut Tx,
    user: Uuid,
    client: Uuid,
    permissions: &[ClientPermission],
) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "UPDATE user_clients SET permissions = $3 WHERE user_id = $1 AND client_id = $2",
            (user, client, encode_permissions(permissions)),
        )
        .await
}

/// Remove a non-owner's association; false if there is none (or it is the owner's).
pub async fn remove(tx: &mut Tx, user: Uuid, client: Uuid) -> Result<bool, DbError> {
    tx.sql()
        .changed_one(
            "DELETE FROM user_clients WHERE user_id = $1 AND client_id = $2 AND NOT is_owner",
            (user, client),
        )
        .await
}

/// Move ownership to `user` (already associated). The previous owner stays, holding every
/// permission explicitly, until removed.
pub async fn make_owner(tx: &mut Tx, client: Uuid, user: Uuid) -> Result<bool, DbError> {
    let sql = "UPDATE user_clients SET is_owner = FALSE, permissions = $2 WHERE client_id = $1 AND is_owner";
    tx.sql()
        .execute(sql, (client, encode_permissions(ClientPermission::ALL)))
        .await?;
    tx.sql()
        .changed_one(
            "UPDATE user_clients SET is_owner = TRUE WHERE client_id = $1 AND user_id = $2",
            (client, user),
        )
        .await
}
