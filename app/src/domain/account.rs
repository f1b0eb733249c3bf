//! What a signed-in user sees at `/account`.

use super::clients::Access;
use super::users::ClientStatus;
use super::ClientPermission;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub language: String,
    pub clients: Vec<AccountClient>,
}

/// One client the user acts for, and what `can` allows there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountClient {
    pub client_id: Uuid,
    pub name: String,
    pub status: ClientStatus,
    pub access: Access,
    /// The permissions in effect now (none while the client is not ACTIVE).
    pub allowed: Vec<ClientPermission>,
}
