//! An audit event as it is written: what happened, who did it, to what, from where.
//! `roster_data::audit::record` writes it inside the transaction of the change it describes.

use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff {
        id: Uuid,
        email: String,
    },
    User {
        id: Uuid,
        email: String,
    },
    /// The server itself or the command line.
    System,
    /// Someone not signed in (a failed sign-in, the setup link).
    Anonymous,
}

impl Actor {
    /// The staff member's or user's id; none for the system and anonymous callers.
    pub fn id(&self) -> Option<Uuid> {
        match self {
            Actor::Staff { id, .. } | Actor::User { id, .. } => Some(*id),
            Actor::System | Actor::Anonymous => None,
        }
    }

    /// How the trail and the Admin Notes line name the actor.
    pub fn label(&self) -> String {
        match self {
            Actor::Staff { email, .. } | Actor::User { email, .. } => email.clone(),
            Actor::System => "system".into(),
            Actor::Anonymous => "anonymous".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Staff { id: Uuid, email: String },
    User { id: Uuid, email: String },
    Client { id: Uuid, name: String },
    System,
}

pub use crate::audit::Action;

/// Field changes, before → after. Secret fields are refused by name, so a secret cannot
/// slip into the trail through a careless call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes(Map<String, Value>);

const SECRET_WORDS: &[&str] = &["password", "hash", "secret", "token", "recovery", "totp"];

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A change from `before` to `after`; a field named like a secret records only that it changed.
    pub fn field(mut self, name: &str, before: impl Into<Value>, after: impl Into<Value>) -> Self {
        let v = if is_secret(name) {
            Value::from("[changed]")
        } else {
            Value::Array(vec![before.into(), after.into()])
        };
        self.0.insert(name.to_string(), v);
        self
    }

    /// A fact about the event (a reason, a count), not a before/after pair.
    pub fn note(mut self, name: &str, value: impl Into<Value>) -> Self {
        let v = if is_secret(name) {
            Value::from("[redacted]")
        } else {
            value.into()
        };
        self.0.insert(name.to_string(), v);
        self
    }

    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

fn is_secret(name: &str) -> bool {
    let n = name.to_lowercase();
    SECRET_WORDS.iter().any(|w| n.contains(w))
}

pub struct Event {
    pub actor: Actor,
    pub target: Target,
    pub action: Action,
    pub changes: Changes,
    pub ip: String,
}

impl Event {
    pub fn new(actor: Actor, action: Action, target: Target) -> Self {
        Self {
            actor,
            target,
            action,
            changes: Changes::new(),
            ip: String::new(),
        }
    }

    pub fn changes(mut self, c: Changes) -> Self {
        self.changes = c;
        self
    }

    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = ip.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_enter_changes() {
        let c = Changes::new()
            .field("first_name", "Ann", "Anna")
            .field("password_hash", "$argon2id$old", "$argon2id$new")
            .note("totp_secret", "JBSWY3DPEHPK3PXP")
            .note("reason", "bad_credentials");
        let j = c.to_json();
        assert!(j.contains("\"first_name\":[\"Ann\",\"Anna\"]"));
        assert!(j.contains("bad_credentials"));
        assert!(!j.contains("argon2id"));
        assert!(!j.contains("JBSWY3DPEHPK3PXP"));
    }
}
