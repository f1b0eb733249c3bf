//! Users: list and search.

use crate::domain::users::UserPage;
use crate::domain::AppError;
use leptos::prelude::*;

/// One page of users matching `q` (substring of name, email, phone or UUID).
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] page: u32,
    #[server(default)] per_page: u32,
    #[server(default)] sort: String,
    #[server(default)] desc: bool,
) -> Result<UserPage, AppError> {
    use crate::domain::users::{page_size, UserSort};
    use crate::domain::StaffPermission;
    let s = super::ctx::staff_with(Some(StaffPermission::UsersView)).await?;
    let per_page = page_size(per_page);
    let page = page.max(1);
    let (rows, total) = crate::server::db::users::list(
        &s.state.db,
        q.trim(),
        UserSort::parse(&sort),
        desc,
        page,
        per_page,
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(UserPage {
        rows,
        total,
        page,
        per_page,
    })
}
