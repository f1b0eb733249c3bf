//! Who makes a change: what every service that changes something takes first.

use crate::request::RequestMeta;
use crate::sign_in;
use crate::state::AppState;
use roster_data::accounts::{Credentials, Principal};
use roster_data::sessions::Impersonator;
use roster_types::event::{Action, Actor, Event};
use roster_types::AppError;
use uuid::Uuid;

/// A change as someone makes it: the app, the account acting (named in the audit trail)
/// and the request it came in (its address goes in the trail too).
pub struct Acting<'a> {
    pub state: &'a AppState,
    pub actor: Actor,
    pub meta: &'a RequestMeta,
}

impl Acting<'_> {
    /// The change's own copy of what it borrows, for work run as a task of its own.
    pub fn owned(&self) -> OwnedActing {
        OwnedActing {
            state: self.state.clone(),
            actor: self.actor.clone(),
            meta: self.meta.clone(),
        }
    }
}

/// An `Acting` that owns its parts: a long change (a bulk action, an import) runs as a
/// task of its own, so a browser that goes away midway does not cut a transaction short.
pub struct OwnedActing {
    pub state: AppState,
    pub actor: Actor,
    pub meta: RequestMeta,
}

impl OwnedActing {
    pub fn acting(&self) -> Acting<'_> {
        Acting {
            state: &self.state,
            actor: self.actor.clone(),
            meta: &self.meta,
        }
    }
}

/// A signed-in account changing something of its own: the state, the request, the kind
/// of account, its session and its credentials.
pub struct Signed<'a> {
    pub state: &'a AppState,
    pub meta: &'a RequestMeta,
    pub principal: Principal,
    pub session: Uuid,
    pub account: &'a Credentials,
    /// A staff member signed in as this user (support), when it is they who ask.
    pub impersonator: Option<&'a Impersonator>,
}

impl Signed<'_> {
    /// The current password confirms a change (`purpose`), counted like a sign-in.
    pub async fn recheck(&self, password: &str, purpose: &str) -> Result<(), AppError> {
        let (p, c) = (self.principal, self.account);
        sign_in::recheck_password(self.state, p, self.meta, self.session, c, password, purpose)
            .await
    }

    /// Who the trail names for a change made here: the staff member signed in as the
    /// user, or the account itself.
    pub fn actor(&self) -> Actor {
        match self.impersonator {
            Some(i) => Actor::Staff {
                id: i.id,
                email: i.email.clone(),
            },
            None => crate::audit::actor(self.principal, self.account),
        }
    }

    /// An event about the account, by whoever acts (see `actor`).
    pub fn event(&self, action: Action) -> Event {
        let target = crate::audit::target(self.principal, self.account);
        Event::new(self.actor(), action, target)
    }

    /// Refuses what only the account's owner may change (the password, 2FA, recovery
    /// codes, sessions) when staff are signed in as them.
    pub fn in_person(&self) -> Result<(), AppError> {
        match self.impersonator {
            Some(_) => Err(AppError::Impersonating),
            None => Ok(()),
        }
    }

    /// The account as the actor of a change made through the staff-side services.
    pub fn acting(&self) -> Acting<'_> {
        Acting {
            state: self.state,
            actor: self.actor(),
            meta: self.meta,
        }
    }
}
