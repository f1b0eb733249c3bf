//! Manage Clients and the client's Users tab.

use crate::domain::clients::{ClientDetail, ClientForm, ClientRow, ClientUserRow};
use crate::domain::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::ctx::{actor, staff_with};
#[cfg(feature = "ssr")]
use crate::domain::StaffPermission;
#[cfg(feature = "ssr")]
use crate::server::{clients as service, db::clients as repo, internal};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<ClientRow>,
    pub total: i64,
    pub total_capped: bool,
    pub page: u32,
    pub per_page: u32,
}

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
    let per_page = crate::domain::users::page_size(per_page);
    let page = page.max(1);
    let q: String = q.trim().chars().take(200).collect();
    let (rows, total, total_capped) = repo::list(&s.state.db, &q, &sort, desc, page, per_page)
        .await
        .map_err(internal)?;
    Ok(ClientPage {
        rows,
        total,
        total_capped,
        page,
        per_page,
    })
}

#[server(prefix = "/api", endpoint = "clients/get")]
pub async fn get_client(id: Uuid) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    repo::detail(&s.state.db, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

#[server(prefix = "/api", endpoint = "clients/create")]
pub async fn create_client(#[server(flatten)] form: ClientForm) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::create(&s.state, actor(&s), &s.meta, &form).await
}

#[server(prefix = "/api", endpoint = "clients/update")]
pub async fn update_client(
    id: Uuid,
    version: i64,
    #[server(flatten)] form: ClientForm,
) -> Result<ClientDetail, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::update(&s.state, actor(&s), &s.meta, id, version, &form).await
}

#[server(prefix = "/api", endpoint = "clients/delete")]
pub async fn delete_client(id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::delete(&s.state, actor(&s), &s.meta, id).await
}

/// The Users tab: who acts for the client, the owner first.
#[server(prefix = "/api", endpoint = "clients/users")]
pub async fn client_users(id: Uuid) -> Result<Vec<ClientUserRow>, AppError> {
    let s = staff_with(Some(StaffPermission::ClientsView)).await?;
    repo::detail(&s.state.db, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    repo::users_of(&s.state.db, id).await.map_err(internal)
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
    service::associate(&s.state, actor(&s), &s.meta, client_id, user_id, &ps).await
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
    service::set_permissions(&s.state, actor(&s), &s.meta, client_id, user_id, &ps).await
}

#[server(prefix = "/api", endpoint = "clients/remove-user")]
pub async fn remove_user(client_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::remove(&s.state, actor(&s), &s.meta, client_id, user_id).await
}

#[server(prefix = "/api", endpoint = "clients/make-owner")]
pub async fn make_owner(client_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let s = staff_with(Some(StaffPermission::ClientsEdit)).await?;
    service::make_owner(&s.state, actor(&s), &s.meta, client_id, user_id).await
}
