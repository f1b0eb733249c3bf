//! Manage Clients and the client's Users tab.

use leptos::prelude::*;
use roster_types::clients::{ClientDetail, ClientForm, ClientPage, ClientUserRow};
use roster_types::AppError;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::ctx::staff_with;
#[cfg(feature = "ssr")]
use roster_core::clients as service;
#[cfg(feature = "ssr")]
use roster_types::StaffPermission;

/// One page of clients matching `q` (name, company, tax ID, UUID).
#[server(prefix = "/api", endpoint = "clients/list")]
pub async fn list_clients(
    #[server(default)] q: String,
    #[server(default)] page: u32,
    #[server(default)] per_page: u32,
    #[server(default)] sort: String,
    #[server(default)] desc: bool,
) -> Result<ClientPage, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    let query = roster_types::page::PageQuery::new(q, page, per_page, sort, desc);
    service::list(&s.state, query).await
}

#[server(prefix = "/api", endpoint = "clients/get")]
pub async fn get_client(id: Uuid) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    service::detail(&s.state, id).await
}

#[server(prefix = "/api", endpoint = "clients/create")]
pub async fn create_client(#[server(flatten)] form: ClientForm) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::create(s.acting(), &form).await
}

#[server(prefix = "/api", endpoint = "clients/update")]
pub async fn update_client(
    id: Uuid,
    version: i64,
    #[server(flatten)] form: ClientForm,
) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::update(s.acting(), id, version, &form).await
}

#[server(prefix = "/api", endpoint = "clients/delete")]
pub async fn delete_client(id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::delete(s.acting(), id).await
}

/// The Users tab: who acts for the client, the owner first.
#[server(prefix = "/api", endpoint = "clients/users")]
pub async fn client_users(id: Uuid) -> Result<Vec<ClientUserRow>, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    service::users_of(&s.state, id).await
}

/// `+ Associate User`: `permissions` is comma-separated codes or `all`. Answers whether
/// the user became the owner (the first user of a client without one does).
#[server(prefix = "/api", endpoint = "clients/associate")]
pub async fn associate_user(
    client_id: Uuid,
    user_id: Uuid,
    #[server(default)] permissions: String,
) -> Result<bool, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    let ps = service::parse_permissions(&permissions)
        .map_err(|e| AppError::Invalid { fields: vec![e] })?;
    service::associate(s.acting(), client_id, user_id, &ps).await
}

/// `+ Associate User` with an email: a user who has it is associated now; anyone else is
/// invited by mail (which needs users-create too) and associated once they accept.
#[server(prefix = "/api", endpoint = "clients/invite")]
pub async fn invite_user(
    client_id: Uuid,
    #[server(default)] email: String,
    #[server(default)] permissions: String,
) -> Result<roster_types::clients::InviteOutcome, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    let ps = service::parse_permissions(&permissions)
        .map_err(|e| AppError::Invalid { fields: vec![e] })?;
    let may_create = s.permissions.contains(&StaffPermission::UsersCreate);
    roster_core::invitations::invite_to_client(s.acting(), client_id, &email, &ps, may_create).await
}

/// The Users tab's invitations waiting to be accepted.
#[server(prefix = "/api", endpoint = "clients/invitations")]
pub async fn client_invitations(
    id: Uuid,
) -> Result<Vec<roster_types::clients::PendingInvitation>, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    roster_core::invitations::pending_for_client(&s.state, id).await
}

/// Withdraw the client's offer to an invited user.
#[server(prefix = "/api", endpoint = "clients/cancel-invitation")]
pub async fn cancel_invitation(client_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    roster_core::invitations::cancel_for_client(s.acting(), client_id, user_id).await
}

#[server(prefix = "/api", endpoint = "clients/set-permissions")]
pub async fn set_user_permissions(
    client_id: Uuid,
    user_id: Uuid,
    #[server(default)] permissions: String,
) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    let ps = service::parse_permissions(&permissions)
        .map_err(|e| AppError::Invalid { fields: vec![e] })?;
    service::set_permissions(s.acting(), client_id, user_id, &ps).await
}

#[server(prefix = "/api", endpoint = "clients/remove-user")]
pub async fn remove_user(client_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::remove(s.acting(), client_id, user_id).await
}

#[server(prefix = "/api", endpoint = "clients/make-owner")]
pub async fn make_owner(client_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::make_owner(s.acting(), client_id, user_id).await
}
