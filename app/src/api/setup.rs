//! The one-time setup link that creates the first staff member.

use leptos::prelude::*;
use roster_types::AppError;

/// Whether a setup link can still be used (the page says so before asking for anything).
#[server(prefix = "/api", endpoint = "setup/check")]
pub async fn setup_link_valid(token: String) -> Result<bool, AppError> {
    let state = super::ctx::state()?;
    roster_core::setup::link_is_valid(&state, &token).await
}

/// Create the first staff member, with every permission.
#[server(prefix = "/api", endpoint = "setup/create-staff")]
pub async fn setup_create_staff(
    token: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use roster_core::setup::{create_staff, Creator, NewMember};
    use roster_types::StaffPermission;
    let state = super::ctx::state()?;
    let meta = super::ctx::meta()?;
    create_staff(
        &state,
        NewMember::new(&email, &password, StaffPermission::ALL),
        Creator::SetupLink {
            ip: meta.ip.to_string(),
            token: &token,
        },
    )
    .await?;
    Ok(())
}
