//! Invitations: staff create a user without a password ("Invite by email", or by
//! associating an unknown email with a client) and the user chooses it from a mailed link.
//! The link is single-use, valid for 7 days, stored only as a hash and void once a newer
//! one is sent or the email changes. Accepting verifies the email (the link went to it)
//! and makes the client associations offered meanwhile real; 2FA that staff required is
//! enrolled at the first sign-in, as for any user.

use crate::mail::{self, templates};
use crate::request::RequestMeta;
use crate::security::{passwords, tokens};
use crate::state::AppState;
use crate::{audit, Acting};
use chrono::Duration;
use roster_data::accounts::{self, Principal};
use roster_data::invitations::{self as repo, Pending};
use roster_data::mail_tokens::{self, NewToken, Purpose};
use roster_data::{clients, users, Tx};
use roster_types::clients::encode_permissions;
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::users::{UserDetail, UserStatus};
use roster_types::{msg, AppError, Email, Language, Password};
use uuid::Uuid;

/// How long an invitation works.
pub fn valid_for() -> Duration {
    Duration::days(roster_types::users::INVITATION_DAYS)
}

/// Invitations one user is sent per hour: resending more is refused with the reason.
pub const SENDS_PER_HOUR: i64 = 3;

/// The invitation to `email` for user `id`, queued in `tx` (the creation's, or a
/// resend's): older invitations void, the user marked INVITED. False, with nothing
/// queued, past the hourly share. Call `mail::wake` after the commit.
pub(crate) async fn send(
    tx: &mut Tx,
    state: &AppState,
    ip: &str,
    actor: Actor,
    (id, email, lang): (Uuid, &Email, Language),
) -> Result<bool, AppError> {
    let (link, token_hash) = mail::new_link(state, roster_types::links::ACCEPT_INVITATION);
    let row = NewToken {
        token_hash: &token_hash,
        purpose: Purpose::Invitation,
        principal: Principal::User,
        account_id: id,
        email_norm: &email.normalized(),
        valid_for: valid_for(),
    };
    let since = roster_data::now() - Duration::hours(1);
    mail_tokens::void_for_account(tx, Purpose::Invitation, Principal::User, id).await?;
    if !mail_tokens::insert_within(tx, &row, SENDS_PER_HOUR, since).await? {
        return Ok(false);
    }
    if !repo::mark_sent(tx, id).await? {
        return Err(already_accepted());
    }
    let context = templates::Context {
        lang,
        product: &state.mail.product_name,
        to: email.as_str(),
    };
    mail::queue(
        tx,
        state,
        ip,
        actor,
        &templates::invitation(&context, &link),
    )
    .await?;
    Ok(true)
}

fn already_accepted() -> AppError {
    AppError::invalid(
        "status",
        msg!("This user already chose a password: send a password reset instead."),
    )
}

fn target(u: &UserDetail) -> Target {
    Target::User {
        id: u.id,
        email: u.email.clone(),
    }
}

/// "Resend invitation" (Edit): a new link, the older ones void. Refused with the reason
/// for a user who already chose a password, an INACTIVE one, and past the hourly share.
pub async fn resend(by: Acting<'_>, id: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    let u = users::detail(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if u.invited_at.is_none() {
        return Err(already_accepted());
    }
    if u.status == UserStatus::Inactive {
        return Err(AppError::invalid(
            "status",
            msg!("This user is INACTIVE: activate them before resending the invitation."),
        ));
    }
    let email = Email::parse(&u.email).map_err(|e| AppError::invalid("email", e))?;
    let lang = Language::parse(&u.language).unwrap_or_default();
    let ip = meta.ip.to_string();
    if !send(&mut tx, state, &ip, actor.clone(), (id, &email, lang)).await? {
        return Err(AppError::invalid(
            "email",
            msg!("Three invitations went to this user in the last hour; the newest still works."),
        ));
    }
    audit::record(
        &mut tx,
        meta,
        Event::new(actor, Action::InvitationResent, target(&u)),
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(())
}

/// Whom a working invitation is for (the page shows the email before the form).
pub async fn invitee(state: &AppState, token: &str) -> Result<Option<UserDetail>, AppError> {
    if !tokens::plausible(token) {
        return Ok(None);
    }
    let h = tokens::hash_token(token);
    let found = mail_tokens::find(&state.db, &h, Purpose::Invitation, Principal::User).await?;
    let Some(holder) = found else {
        return Ok(None);
    };
    let u = users::detail(&state.db, holder.account_id).await?;
    Ok(u.filter(|u| {
        u.invited_at.is_some()
            && u.status != UserStatus::Inactive
            && Email::parse(&u.email).is_ok_and(|e| e.normalized() == holder.email_norm)
    }))
}

/// Accept: the password rules first (a refused password leaves the link usable), then in
/// one transaction the link used up, the password set, the email verified, the offered
/// client associations made, and the events.
/// Answers with the user as they were invited (the page says whether 2FA comes next).
pub async fn accept(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    new_password: &str,
) -> Result<UserDetail, AppError> {
    if new_password.is_empty() {
        return Err(AppError::invalid(
            "new_password",
            msg!("Password is required."),
        ));
    }
    let u = invitee(state, token)
        .await?
        .ok_or(AppError::MailLinkInvalid)?;
    let context = [u.email.as_str(), &u.first_name, &u.last_name];
    let new = Password::parse_with_context(new_password, &context)
        .map_err(|e| AppError::invalid("new_password", e))?;
    let hash = passwords::hash(&new).await?;

    let mut tx = state.db.begin().await?;
    // Ownership is decided one change at a time (a first association makes an owner).
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::Ownership).await?;
    let token_hash = tokens::hash_token(token);
    let holder = mail_tokens::take(&mut tx, &token_hash, Purpose::Invitation, Principal::User)
        .await?
        .ok_or(AppError::MailLinkInvalid)?;
    if !repo::accept(&mut tx, u.id, &holder.email_norm, &hash).await? {
        return Err(AppError::MailLinkInvalid);
    }
    mail_tokens::void_for_account(&mut tx, Purpose::Invitation, Principal::User, u.id).await?;
    // The user acts on their own account: named from the row already read (no second
    // connection while this transaction holds one).
    let me = Actor::User {
        id: u.id,
        email: u.email.clone(),
    };
    let event = Event::new(me.clone(), Action::InvitationAccepted, target(&u)).changes(
        Changes::new()
            .note("password", "[chosen]")
            .field("email_verified", false, true),
    );
    audit::record(&mut tx, meta, event).await?;
    settle(&mut tx, meta, me, u.id).await?;
    tx.commit().await?;
    Ok(u)
}

/// The offered associations made real (a client whose offer came first with no owner gets
/// this user as owner), each with its event. Called in the transaction that ends the
/// invitation, whichever way: accepting, a reset link, or staff setting a password.
pub(crate) async fn settle(
    tx: &mut Tx,
    meta: &RequestMeta,
    actor: Actor,
    user: Uuid,
) -> Result<(), AppError> {
    for p in repo::take_pending(tx, user).await? {
        associate_pending(tx, meta, actor.clone(), &p).await?;
    }
    Ok(())
}

async fn associate_pending(
    tx: &mut Tx,
    meta: &RequestMeta,
    actor: Actor,
    p: &Pending,
) -> Result<(), AppError> {
    let Some(c) = clients::detail(&mut *tx, p.client_id).await? else {
        return Ok(());
    };
    // Staff may have associated them directly meanwhile: that association stands.
    if clients::access(&mut *tx, p.user_id, p.client_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let owner = !clients::has_owner(tx, p.client_id).await?;
    clients::associate(tx, p.user_id, p.client_id, owner, &p.permissions).await?;
    let changes = Changes::new()
        .note("user", p.email.clone())
        .note("owner", owner)
        .note("invited_by", p.invited_by.clone())
        .field(
            "permissions",
            None::<String>,
            encode_permissions(&p.permissions),
        );
    let event = Event::new(actor, Action::ClientUserAssociated, client_target(&c)).changes(changes);
    audit::record(tx, meta, event).await
}

fn client_target(c: &roster_types::clients::ClientDetail) -> Target {
    Target::Client {
        id: c.id,
        name: crate::clients::display_name(c),
    }
}

/// The invitation ended because a password was set another way (a reset link, or staff
/// in Edit): the user is no longer INVITED and the offered associations are made. Whether
/// the user was invited.
pub(crate) async fn end_by_password(
    tx: &mut Tx,
    meta: &RequestMeta,
    actor: Actor,
    user: Uuid,
) -> Result<bool, AppError> {
    if !repo::clear(tx, user).await? {
        return Ok(false);
    }
    mail_tokens::void_for_account(tx, Purpose::Invitation, Principal::User, user).await?;
    settle(tx, meta, actor, user).await?;
    Ok(true)
}

/// `+ Associate User` with an email: a user who has it is associated at once; someone
/// invited already is offered the client too; anyone else is created INVITED (when
/// `may_create`: staff need users-create for that) and sent the invitation. Offers become
/// associations when the invitation is accepted.
pub async fn invite_to_client(
    by: Acting<'_>,
    client: Uuid,
    email: &str,
    permissions: &[roster_types::ClientPermission],
    may_create: bool,
) -> Result<InviteOutcome, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::invalid("email", e))?;
    let Acting { state, actor, meta } = by;
    let first = invite_once(
        Acting {
            state,
            actor: actor.clone(),
            meta,
        },
        client,
        &email,
        permissions,
        may_create,
    )
    .await;
    match first {
        // The same email invited twice at the same moment: the other request created the
        // user first; this one now finds them.
        Err(AppError::Invalid { fields }) if fields.iter().any(|f| f.field == "email") => {
            let by = Acting { state, actor, meta };
            invite_once(by, client, &email, permissions, may_create).await
        }
        other => other,
    }
}

async fn invite_once(
    by: Acting<'_>,
    client: Uuid,
    email: &Email,
    permissions: &[roster_types::ClientPermission],
    may_create: bool,
) -> Result<InviteOutcome, AppError> {
    let Acting { state, actor, meta } = by;
    let found = accounts::by_email(&state.db, Principal::User, &email.normalized()).await?;
    let invited = match &found {
        Some(c) => users::detail(&state.db, c.id)
            .await?
            .is_some_and(|u| u.invited_at.is_some()),
        None => false,
    };
    if let (Some(c), false) = (&found, invited) {
        let by = Acting { state, actor, meta };
        let owner = crate::clients::associate(by, client, c.id, permissions).await?;
        return Ok(InviteOutcome::Associated { owner });
    }
    if found.is_none() && !may_create {
        return Err(AppError::Forbidden {
            permission: roster_types::StaffPermission::UsersCreate
                .code()
                .to_string(),
        });
    }
    let mut tx = state.db.begin().await?;
    let c = clients::detail(&mut tx, client)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = match &found {
        Some(found) => found.id,
        None => {
            let id = Uuid::new_v4();
            crate::users::insert_invited(&mut tx, state, meta, actor.clone(), id, email).await?;
            id
        }
    };
    if clients::access(&mut tx, user, client).await?.is_some() {
        return Err(AppError::invalid(
            "email",
            msg!("This user is already associated with the client."),
        ));
    }
    repo::add_pending(&mut tx, user, client, permissions, &actor.label()).await?;
    let changes = Changes::new().note("user", email.as_str()).field(
        "permissions",
        None::<String>,
        encode_permissions(permissions),
    );
    let event = Event::new(actor, Action::ClientUserInvited, client_target(&c)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(InviteOutcome::Invited)
}

/// Withdraw a client's offer to an invited user (the invited user stays, for Manage
/// Users to resend or delete).
pub async fn cancel_for_client(by: Acting<'_>, client: Uuid, user: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    let c = clients::detail(&mut tx, client)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::remove_pending(&mut tx, user, client).await? {
        return Err(AppError::NotFound);
    }
    let email = users::detail(&mut tx, user)
        .await?
        .map(|u| u.email)
        .unwrap_or_default();
    let event = Event::new(actor, Action::ClientInvitationCancelled, client_target(&c))
        .changes(Changes::new().note("user", email));
    audit::record(&mut tx, meta, event).await?;
    Ok(tx.commit().await?)
}

/// The client's offers waiting for their invited users.
pub async fn pending_for_client(
    state: &AppState,
    client: Uuid,
) -> Result<Vec<roster_types::clients::PendingInvitation>, AppError> {
    let rows = repo::pending_for_client(&state.db, client).await?;
    Ok(rows
        .into_iter()
        .map(|p| roster_types::clients::PendingInvitation {
            user_id: p.user_id,
            email: p.email,
            permissions: p.permissions,
            invited_by: p.invited_by,
            invited_at: p.created_at.into(),
        })
        .collect())
}

pub use roster_types::clients::InviteOutcome;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_outlives_a_reset_link_and_a_verification_link() {
        assert_eq!(valid_for(), Duration::days(7));
        assert!(valid_for() > crate::email_verification::link_valid_for());
        assert!(valid_for() > crate::password_reset::link_valid_for());
    }
}
