//! Creating staff: the first one through the one-time setup link, any one from the CLI.

use super::security::{passwords, tokens};
use super::state::AppState;
use roster_data::{setup_tokens, staff};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::{AppError, Email, FieldError, Password, StaffPermission};
use uuid::Uuid;

/// How long a setup link stays valid.
pub const LINK_VALID_FOR: chrono::Duration = chrono::Duration::hours(24);

/// On a database without staff: a new setup token (the caller prints the link), which
/// replaces any earlier one. None when staff exist.
pub async fn issue_link_if_empty(state: &AppState) -> Result<Option<String>, AppError> {
    if staff::count(&state.db).await? > 0 {
        return Ok(None);
    }
    let token = tokens::new_token();
    let mut tx = state.db.begin().await?;
    setup_tokens::clear(&mut tx).await?;
    setup_tokens::insert(&mut tx, &tokens::hash_token(&token), LINK_VALID_FOR).await?;
    let event = Event::new(Actor::System, Action::SetupLinkIssued, Target::System);
    crate::audit::record_at(&mut tx, "", event).await?;
    tx.commit().await?;
    Ok(Some(token))
}

pub async fn link_is_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(setup_tokens::is_valid(&state.db, &tokens::hash_token(token)).await?)
}

/// Validate an email and password pair into field errors.
pub fn validate(email: &str, password: &str) -> Result<(Email, Password), AppError> {
    let mut fields = Vec::new();
    let email = Email::parse(email)
        .map_err(|e| fields.push(FieldError::new("email", e)))
        .ok();
    let password = Password::parse(password)
        .map_err(|e| fields.push(FieldError::new("password", e)))
        .ok();
    match (email, password) {
        (Some(e), Some(p)) => Ok((e, p)),
        _ => Err(AppError::Invalid { fields }),
    }
}

/// Who creates a staff member, for the trail.
pub enum Creator<'a> {
    /// Whoever holds the setup link (its `token`), while no staff exist.
    SetupLink {
        ip: String,
        token: &'a str,
    },
    Cli,
    /// A staff member with staff-manage, at /admin/staff.
    Staff {
        actor: Actor,
        ip: String,
    },
}

/// A staff member to create.
pub struct NewMember<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// Whether they must enrol in 2FA at their first sign-in.
    pub two_factor: bool,
    pub permissions: &'a [StaffPermission],
}

impl<'a> NewMember<'a> {
    /// A member who enrols in 2FA at their first sign-in.
    pub fn new(email: &'a str, password: &'a str, permissions: &'a [StaffPermission]) -> Self {
        NewMember {
            email,
            password,
            two_factor: true,
            permissions,
        }
    }

    pub fn two_factor(self, two_factor: bool) -> Self {
        NewMember { two_factor, ..self }
    }
}

/// Create a staff member. With the setup link, the link is used up in the same
/// transaction and only works while no staff exist.
pub async fn create_staff(
    state: &AppState,
    member: NewMember<'_>,
    creator: Creator<'_>,
) -> Result<Uuid, AppError> {
    let NewMember {
        email,
        password,
        two_factor,
        permissions,
    } = member;
    let setup_token = match &creator {
        Creator::SetupLink { token, .. } => Some(*token),
        _ => None,
    };
    if let Some(token) = setup_token {
        if !link_is_valid(state, token).await? {
            return Err(AppError::SetupLinkInvalid);
        }
    }
    let (email, password) = validate(email, password)?;
    let hash = passwords::hash(&password).await?;
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    if let Some(token) = setup_token {
        let valid = setup_tokens::take(&mut tx, &tokens::hash_token(token)).await?;
        if !valid || staff::count(&mut tx).await? > 0 {
            return Err(AppError::SetupLinkInvalid);
        }
    }
    let new = staff::NewStaff {
        id,
        email: email.as_str(),
        email_norm: &email.normalized(),
        password_hash: &hash,
        two_factor,
        permissions,
    };
    staff::insert(&mut tx, &new).await?;
    setup_tokens::clear(&mut tx).await?;
    let (actor, ip) = match creator {
        Creator::SetupLink { ip, .. } => (Actor::Anonymous, ip),
        Creator::Cli => (Actor::System, String::new()),
        Creator::Staff { actor, ip } => (actor, ip),
    };
    let perms: Vec<&str> = permissions.iter().map(|p| p.code()).collect();
    let target = Target::Staff {
        id,
        email: email.to_string(),
    };
    let changes = Changes::new()
        .field("email", serde_json::Value::Null, email.as_str())
        .field("permissions", serde_json::Value::Null, perms)
        .field("two_factor", serde_json::Value::Null, two_factor);
    let event = Event::new(actor, Action::StaffCreated, target).changes(changes);
    crate::audit::record_at(&mut tx, &ip, event).await?;
    tx.commit().await?;
    Ok(id)
}
