//! Who makes a change: what every service that changes something takes first.

use crate::request::RequestMeta;
use crate::state::AppState;
use roster_types::event::Actor;

/// A change as someone makes it: the app, the account acting (named in the audit trail)
/// and the request it came in (its address goes in the trail too).
pub struct Acting<'a> {
    pub state: &'a AppState,
    pub actor: Actor,
    pub meta: &'a RequestMeta,
}
