//! Manage Clients and the client's Users tab: each change in one transaction with its
//! audit event. The rules of ownership live here, in plain functions.

use super::state::AppState;
use crate::audit;
use crate::Acting;
use roster_data::clients as repo;
use roster_data::{users, Tx};
use roster_types::clients::{
    encode_permissions, ClientDetail, ClientForm, ClientPage, ClientUserRow,
};
use roster_types::event::{Action, Changes, Event, Target};
use roster_types::i18n::Msg;
use roster_types::page::PageQuery;
use roster_types::{msg, AppError, ClientPermission, FieldError};
use uuid::Uuid;

/// Why an association change is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnershipRule {
    /// The owner is removed only after ownership moves.
    OwnerCannotBeRemoved,
    /// The owner holds every permission; theirs are not edited.
    OwnerHoldsEverything,
    AlreadyAssociated,
    NotAssociated,
}

impl OwnershipRule {
    pub fn message(self) -> Msg {
        match self {
            Self::OwnerCannotBeRemoved => {
                msg!("The owner cannot be removed. Make another user the owner first.")
            }
            Self::OwnerHoldsEverything => msg!(
                "The owner holds every permission. Make another user the owner to limit this user."
            ),
            Self::AlreadyAssociated => msg!("This user is already associated with the client."),
            Self::NotAssociated => msg!("This user is not associated with the client."),
        }
    }

    fn error(self) -> AppError {
        AppError::invalid("user_id", self.message())
    }
}

pub fn display_name(c: &ClientDetail) -> String {
    if c.company_name.is_empty() {
        format!("{} {}", c.first_name, c.last_name)
            .trim()
            .to_string()
    } else {
        c.company_name.clone()
    }
}

fn target(c: &ClientDetail) -> Target {
    Target::Client {
        id: c.id,
        name: display_name(c),
    }
}

/// The client and a member's access to it, both read inside `tx`.
async fn load_member(
    tx: &mut Tx,
    client: Uuid,
    user: Uuid,
) -> Result<(ClientDetail, roster_types::clients::Access), AppError> {
    let c = load(tx, client).await?;
    let access = repo::access(&mut *tx, user, client)
        .await?
        .ok_or(OwnershipRule::NotAssociated.error())?;
    Ok((c, access))
}

async fn load(tx: &mut Tx, id: Uuid) -> Result<ClientDetail, AppError> {
    repo::detail(&mut *tx, id).await?.ok_or(AppError::NotFound)
}

pub async fn create(by: Acting<'_>, form: &ClientForm) -> Result<ClientDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let v = form
        .validate()
        .map_err(|fields| AppError::Invalid { fields })?;
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    repo::insert(&mut tx, id, &v).await?;
    let created = load(&mut tx, id).await?;
    let changes = Changes::new()
        .field("first_name", None::<String>, v.first_name.as_str())
        .field("last_name", None::<String>, v.last_name.as_str())
        .field("company_name", None::<String>, v.company_name.clone())
        .field("tax_id", None::<String>, v.tax_id.clone())
        .field("status", None::<String>, v.status.code());
    let event = Event::new(actor, Action::ClientCreated, target(&created)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn update(
    by: Acting<'_>,
    id: Uuid,
    version: i64,
    form: &ClientForm,
) -> Result<ClientDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let v = form
        .validate()
        .map_err(|fields| AppError::Invalid { fields })?;
    let mut tx = state.db.begin().await?;
    let before = load(&mut tx, id).await?;
    if before.version != version || !repo::update(&mut tx, id, version, &v).await? {
        return Err(AppError::Stale);
    }
    let after = load(&mut tx, id).await?;
    let mut changes = Changes::new();
    macro_rules! cmp {
        ($f:ident) => {
            if before.$f != after.$f {
                changes = changes.field(stringify!($f), before.$f.clone(), after.$f.clone());
            }
        };
    }
    cmp!(first_name);
    cmp!(last_name);
    cmp!(company_name);
    cmp!(tax_id);
    if before.status != after.status {
        changes = changes.field("status", before.status.code(), after.status.code());
    }
    let event = Event::new(actor, Action::ClientUpdated, target(&after)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    Ok(after)
}

/// Delete a client and, in the same transaction, every association with it.
pub async fn delete(by: Acting<'_>, id: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::Ownership).await?;
    let before = load(&mut tx, id).await?;
    let members = repo::users_of(&mut tx, id).await?;
    repo::delete(&mut tx, id).await?;
    let changes = Changes::new()
        .field("name", display_name(&before), None::<String>)
        .note("associations_removed", members.len());
    let event = Event::new(actor, Action::ClientDeleted, target(&before)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    Ok(tx.commit().await?)
}

/// Associate a user with chosen permissions. The first user of a client without an owner
/// becomes its owner: a client with users always has exactly one.
pub async fn associate(
    by: Acting<'_>,
    client: Uuid,
    user: Uuid,
    permissions: &[ClientPermission],
) -> Result<bool, AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    let owner = associate_in(&mut tx, meta, actor, (client, user), permissions).await?;
    tx.commit().await?;
    Ok(owner)
}

/// `associate` inside `tx` (the import: with the row's other changes); whether the user
/// became the owner.
pub(crate) async fn associate_in(
    tx: &mut roster_data::Tx,
    meta: &crate::request::RequestMeta,
    actor: roster_types::event::Actor,
    (client, user): (Uuid, Uuid),
    permissions: &[ClientPermission],
) -> Result<bool, AppError> {
    roster_data::locks::decide_alone(tx, roster_data::locks::Rule::Ownership).await?;
    let c = load(tx, client).await?;
    let u = users::detail(&mut *tx, user).await?.ok_or_else(|| {
        AppError::invalid("user_id", msg!("No such user. It may have been deleted."))
    })?;
    let owner = !repo::has_owner(tx, client).await?;
    repo::associate(tx, user, client, owner, permissions).await?;
    let changes = Changes::new()
        .note("user", u.email.clone())
        .note("owner", owner)
        .field(
            "permissions",
            None::<String>,
            encode_permissions(permissions),
        );
    let event = Event::new(actor, Action::ClientUserAssociated, target(&c)).changes(changes);
    audit::record(tx, meta, event).await?;
    Ok(owner)
}

pub async fn set_permissions(
    by: Acting<'_>,
    client: Uuid,
    user: Uuid,
    permissions: &[ClientPermission],
) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    set_permissions_in(&mut tx, meta, actor, (client, user), permissions).await?;
    Ok(tx.commit().await?)
}

/// `set_permissions` inside `tx`.
pub(crate) async fn set_permissions_in(
    tx: &mut roster_data::Tx,
    meta: &crate::request::RequestMeta,
    actor: roster_types::event::Actor,
    (client, user): (Uuid, Uuid),
    permissions: &[ClientPermission],
) -> Result<(), AppError> {
    let (c, before) = load_member(tx, client, user).await?;
    if before.owner {
        return Err(OwnershipRule::OwnerHoldsEverything.error());
    }
    repo::set_permissions(tx, user, client, permissions).await?;
    let changes = Changes::new().note("user", user.to_string()).field(
        "permissions",
        encode_permissions(&before.permissions),
        encode_permissions(permissions),
    );
    let event =
        Event::new(actor, Action::ClientUserPermissionsChanged, target(&c)).changes(changes);
    audit::record(tx, meta, event).await?;
    Ok(())
}

pub async fn remove(by: Acting<'_>, client: Uuid, user: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::Ownership).await?;
    let (c, access) = load_member(&mut tx, client, user).await?;
    if access.owner {
        return Err(OwnershipRule::OwnerCannotBeRemoved.error());
    }
    repo::remove(&mut tx, user, client).await?;
    let changes = Changes::new().note("user", user.to_string()).field(
        "permissions",
        encode_permissions(&access.permissions),
        None::<String>,
    );
    let event = Event::new(actor, Action::ClientUserRemoved, target(&c)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    Ok(tx.commit().await?)
}

/// Move ownership to an associated user, in one transaction.
pub async fn make_owner(by: Acting<'_>, client: Uuid, user: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::Ownership).await?;
    let (c, access) = load_member(&mut tx, client, user).await?;
    if access.owner {
        return Ok(());
    }
    let previous = repo::users_of(&mut tx, client)
        .await?
        .into_iter()
        .find(|m| m.access.owner)
        .map(|m| m.email);
    repo::make_owner(&mut tx, client, user).await?;
    let changes = Changes::new().field("owner", previous, user.to_string());
    let event = Event::new(actor, Action::ClientOwnerChanged, target(&c)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    Ok(tx.commit().await?)
}

/// `permissions` as an API sends it: comma-separated codes, or `all`.
pub fn parse_permissions(raw: &str) -> Result<Vec<ClientPermission>, FieldError> {
    if raw.trim().eq_ignore_ascii_case("all") {
        return Ok(ClientPermission::ALL.to_vec());
    }
    let mut out = Vec::new();
    for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let p = code.parse::<ClientPermission>().map_err(|e| {
            FieldError::with(
                "permissions",
                msg!("Unknown permission: {code}."),
                &[("code", &e.0)],
            )
        })?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

/// One page of clients matching `q` (name, company, tax ID, UUID).
pub async fn list(state: &AppState, query: PageQuery) -> Result<ClientPage, AppError> {
    let q = query.normalized();
    let found = repo::list(&state.db, &q).await?;
    Ok(ClientPage::of(found, &q))
}

pub async fn detail(state: &AppState, id: Uuid) -> Result<ClientDetail, AppError> {
    repo::detail(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The Users tab: who acts for the client, the owner first.
pub async fn users_of(state: &AppState, id: Uuid) -> Result<Vec<ClientUserRow>, AppError> {
    detail(state, id).await?;
    Ok(repo::users_of(&state.db, id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_from_the_api() {
        assert_eq!(parse_permissions("all").unwrap().len(), 8);
        assert_eq!(
            parse_permissions(" manage-domains, manage-invoices,manage-domains ").unwrap(),
            vec![
                ClientPermission::ManageDomains,
                ClientPermission::ManageInvoices
            ]
        );
        assert!(parse_permissions("").unwrap().is_empty());
        assert_eq!(
            parse_permissions("manage-planets").unwrap_err().field,
            "permissions"
        );
    }
}
