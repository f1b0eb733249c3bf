//! First run: print the one-time setup link when there is no staff member yet.

use roster_core::state::AppState;

pub async fn announce_setup_link(state: &AppState) -> anyhow::Result<()> {
    if let Some(token) = roster_core::setup::issue_link_if_empty(state).await? {
        let url = format!("{}/admin/setup?token={token}", state.settings.public_url);
        // Printed on purpose: this link is how the first administrator gets in. It works
        // once, for 24 hours, and only while no staff member exists.
        tracing::warn!("No staff account exists yet. Create the first one at: {url}");
        eprintln!("\n  First run: create the first staff account at\n  {url}\n");
    }
    Ok(())
}
