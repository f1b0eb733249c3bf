//! Manage Users: create, edit and delete, each in one transaction with its audit event.

use super::security::passwords;
use super::state::AppState;
use crate::audit;
use crate::Acting;
use roster_data::accounts::Principal;
use roster_data::users::{self, NewUser, UserUpdate};
use roster_data::{now, sessions};
use roster_types::account::SessionRow;
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::page::PageQuery;
use roster_types::user_filter::{Filters, UserFilter};
use roster_types::user_form::ValidUser;
use roster_types::users::{UserDetail, UserPage, UserStatus, UserWithClients};
use roster_types::{AppError, EditFlags, Email, FieldError, FormMode, UserForm};
use uuid::Uuid;

fn invalid(fields: Vec<FieldError>) -> AppError {
    AppError::Invalid { fields }
}

/// Field errors for an email or phone another user has; empty when both are free.
pub(crate) async fn check_taken(
    tx: &mut roster_data::Tx,
    email: &str,
    phone: Option<&str>,
    except: Option<Uuid>,
) -> Result<(), AppError> {
    let taken = users::taken(&mut *tx, email, phone, except).await?;
    if taken.is_empty() {
        return Ok(());
    }
    Err(invalid(
        taken
            .into_iter()
            .map(|t| FieldError::new(t.field(), t))
            .collect(),
    ))
}

/// The mail a new or changed user is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Welcome {
    Nothing,
    /// The link that confirms the email (Email Verified turns on when it is opened).
    Verification,
    /// The invitation: the user has no password and chooses it from the link.
    Invitation,
}

/// Commit, with `welcome`'s mail queued first (the sender is woken only once the mail is
/// committed), then answer with the user as saved (what a reload will show).
async fn commit_with_welcome(
    by: Acting<'_>,
    mut tx: roster_data::Tx,
    id: Uuid,
    v: &ValidUser,
    welcome: Welcome,
) -> Result<UserDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let ip = meta.ip.to_string();
    let (email, lang) = (&v.email, v.language);
    match welcome {
        Welcome::Nothing => {}
        Welcome::Verification => {
            crate::email_verification::send_link(&mut tx, state, &ip, actor, id, email, lang)
                .await?;
        }
        Welcome::Invitation => {
            if !crate::invitations::send(&mut tx, state, &ip, actor, (id, email, lang)).await? {
                return Err(AppError::invalid(
                    "email",
                    roster_types::msg!(
                        "Three invitations went to this user in the last hour; the newest still works."
                    ),
                ));
            }
        }
    }
    let read = commit_and_read(state, tx, id).await?;
    if welcome != Welcome::Nothing {
        crate::mail::wake(state);
    }
    Ok(read)
}

async fn commit_and_read(
    state: &AppState,
    tx: roster_data::Tx,
    id: Uuid,
) -> Result<UserDetail, AppError> {
    tx.commit().await?;
    users::detail(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) fn target(id: Uuid, email: &str) -> Target {
    Target::User {
        id,
        email: email.to_string(),
    }
}

pub async fn create(by: Acting<'_>, form: &UserForm) -> Result<UserDetail, AppError> {
    create_with(by, form, Welcome::Nothing).await
}

/// `create`, and `welcome`'s mail queued in the same transaction. An invited user is
/// created without a password (the form must leave it empty) and shows as INVITED.
pub async fn create_with(
    by: Acting<'_>,
    form: &UserForm,
    welcome: Welcome,
) -> Result<UserDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let invite = welcome == Welcome::Invitation;
    let mode = if invite {
        FormMode::Invite
    } else {
        FormMode::Create
    };
    let v = form.validate(mode).map_err(invalid)?;
    // An invited user has no password: an empty hash matches nothing (`passwords::verify`).
    let hash = match (&v.password, invite) {
        (_, true) => String::new(),
        (Some(p), false) => passwords::hash(p).await?,
        (None, false) => {
            return Err(AppError::invalid(
                "password",
                roster_types::password::PasswordError::Empty,
            ))
        }
    };
    let id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    check_taken(&mut tx, v.email.as_str(), v.phone.as_deref(), None).await?;
    let row = NewRow {
        id,
        v: &v,
        hash: &hash,
        invited: invite,
        status: UserStatus::New,
        imported: false,
    };
    insert_new(&mut tx, meta, actor.clone(), row).await?;
    let by = Acting { state, actor, meta };
    commit_with_welcome(by, tx, id, &v, welcome).await
}

/// A new user's row as `create` and the import write it.
pub(crate) struct NewRow<'a> {
    pub id: Uuid,
    pub v: &'a ValidUser,
    /// Empty for a user without a password (invited, or imported).
    pub hash: &'a str,
    pub invited: bool,
    pub status: UserStatus,
    /// Noted in the event: the row came from a CSV import.
    pub imported: bool,
}

/// Insert `row` inside `tx`, with its event (every field as created). A taken email or
/// phone is refused by the unique indexes, one field at a time: callers that report both
/// at once check first (`check_taken`).
pub(crate) async fn insert_new(
    tx: &mut roster_data::Tx,
    meta: &crate::request::RequestMeta,
    actor: Actor,
    row: NewRow<'_>,
) -> Result<(), AppError> {
    let NewRow { id, v, .. } = row;
    let notes_by = (!v.admin_notes.as_str().is_empty()).then(|| actor.label());
    users::insert(
        tx,
        &NewUser {
            id,
            email: v.email.as_str(),
            password_hash: row.hash,
            first_name: v.first_name.as_str(),
            last_name: v.last_name.as_str(),
            phone: v.phone.as_deref(),
            language: v.language.code(),
            admin_notes: v.admin_notes.as_str(),
            admin_notes_by: notes_by.as_deref(),
            two_factor: v.two_factor,
            created_at: now(),
            invited: row.invited,
            status: row.status,
        },
    )
    .await?;
    let mut changes = Changes::new()
        .field("email", None::<String>, v.email.as_str())
        .field("first_name", None::<String>, v.first_name.as_str())
        .field("last_name", None::<String>, v.last_name.as_str())
        .field("phone", None::<String>, v.phone.clone())
        .field("language", None::<String>, v.language.code())
        .field("two_factor", None::<bool>, v.two_factor)
        .field("admin_notes", None::<String>, v.admin_notes.as_str())
        .note("invited", row.invited);
    if row.status != UserStatus::New {
        changes = changes.field("status", None::<String>, row.status.code());
    }
    if row.imported {
        changes = changes.note("imported", true);
    }
    let event =
        Event::new(actor, Action::UserCreated, target(id, v.email.as_str())).changes(changes);
    audit::record(tx, meta, event).await?;
    Ok(())
}

/// A user known only by email, created INVITED inside `tx` (a client's `+ Associate User`
/// with an unknown email), with the invitation queued. Call `mail::wake` after the commit.
pub(crate) async fn insert_invited(
    tx: &mut roster_data::Tx,
    state: &AppState,
    meta: &crate::request::RequestMeta,
    actor: Actor,
    id: Uuid,
    email: &Email,
) -> Result<(), AppError> {
    check_taken(tx, email.as_str(), None, None).await?;
    let lang = roster_types::Language::default();
    users::insert(
        tx,
        &NewUser {
            id,
            email: email.as_str(),
            password_hash: "",
            first_name: "",
            last_name: "",
            phone: None,
            language: lang.code(),
            admin_notes: "",
            admin_notes_by: None,
            two_factor: false,
            created_at: now(),
            invited: true,
            status: UserStatus::New,
        },
    )
    .await?;
    let changes = Changes::new()
        .field("email", None::<String>, email.as_str())
        .note("invited", true);
    let event = Event::new(
        actor.clone(),
        Action::UserCreated,
        target(id, email.as_str()),
    )
    .changes(changes);
    audit::record(tx, meta, event).await?;
    let ip = meta.ip.to_string();
    // A new user has no invitations yet: within the hourly share.
    crate::invitations::send(tx, state, &ip, actor, (id, email, lang)).await?;
    Ok(())
}

/// Which sessions an edit ends, and why (for the trail).
pub fn revocation_reason(before: &UserDetail, after: &UserUpdate<'_>) -> Option<&'static str> {
    if after.status == UserStatus::Inactive && before.status != UserStatus::Inactive {
        Some("deactivated")
    } else if after.password_hash.is_some() {
        Some("password_reset")
    } else if after.two_factor != before.two_factor {
        Some("two_factor_changed")
    } else if after.email.to_lowercase() != before.email.to_lowercase() {
        Some("email_changed")
    } else {
        None
    }
}

/// End every session of the user (`id`, `email`) because of a change (`reason`), with
/// the event when there were any; how many ended.
pub(crate) async fn revoke_sessions(
    tx: &mut roster_data::Tx,
    meta: &crate::request::RequestMeta,
    actor: Actor,
    (id, email): (Uuid, &str),
    reason: &str,
) -> Result<u64, AppError> {
    let ended = sessions::delete_for_user(tx, id).await?;
    if ended > 0 {
        let event = Event::new(actor, Action::SessionsRevoked, target(id, email)).changes(
            Changes::new()
                .note("reason", reason)
                .note("sessions", ended),
        );
        audit::record(tx, meta, event).await?;
    }
    Ok(ended)
}

/// The status an edit may set: NEW only stays NEW, it cannot be set again.
pub fn check_status(before: UserStatus, wanted: UserStatus) -> Result<(), FieldError> {
    if wanted == UserStatus::New && before != UserStatus::New {
        return Err(FieldError::new(
            "status",
            roster_types::msg!(
                "A user who has signed in cannot be NEW again: choose Active or Inactive."
            ),
        ));
    }
    Ok(())
}

pub async fn update(
    by: Acting<'_>,
    id: Uuid,
    version: i64,
    form: &UserForm,
    flags: &EditFlags,
) -> Result<UserDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let v = form.validate(FormMode::Edit).map_err(invalid)?;
    let hash = match &v.password {
        Some(p) => Some(passwords::hash(p).await?),
        None => None,
    };
    let mut tx = state.db.begin().await?;
    let before = users::detail(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.version != version {
        return Err(AppError::Stale);
    }
    check_status(before.status, flags.status).map_err(|e| invalid(vec![e]))?;
    check_taken(&mut tx, v.email.as_str(), v.phone.as_deref(), Some(id)).await?;
    // An email or phone that changed is no longer verified, unless staff say so now.
    let after = UserUpdate {
        email: v.email.as_str(),
        password_hash: hash.as_deref(),
        first_name: v.first_name.as_str(),
        last_name: v.last_name.as_str(),
        phone: v.phone.as_deref(),
        language: v.language.code(),
        admin_notes: v.admin_notes.as_str(),
        status: flags.status,
        email_verified: flags.email_verified,
        phone_verified: flags.phone_verified && v.phone.is_some(),
        two_factor: v.two_factor,
        clear_totp: !v.two_factor,
    };
    if !users::update(&mut tx, id, version, &after).await? {
        return Err(AppError::Stale);
    }
    if before.admin_notes != after.admin_notes {
        users::note_admin_notes_change(&mut tx, id, &actor.label()).await?;
    }
    let changes = diff(&before, &after);
    let event = Event::new(
        actor.clone(),
        Action::UserUpdated,
        target(id, v.email.as_str()),
    )
    .changes(changes);
    audit::record(&mut tx, meta, event).await?;
    if let Some(reason) = revocation_reason(&before, &after) {
        let user = (id, v.email.as_str());
        revoke_sessions(&mut tx, meta, actor.clone(), user, reason).await?;
    }
    // A password set by staff ends an invitation (its offered associations are made).
    if before.invited_at.is_some() && after.password_hash.is_some() {
        crate::invitations::end_by_password(&mut tx, meta, actor.clone(), id).await?;
    }
    // A new address that is not verified gets its link, in this edit's transaction; an
    // invited user whose address changed gets the invitation there instead.
    let email_changed =
        Email::parse(&before.email).map(|e| e.normalized()).ok() != Some(v.email.normalized());
    let still_invited = before.invited_at.is_some() && after.password_hash.is_none();
    let welcome = match (email_changed, still_invited) {
        (true, true) => Welcome::Invitation,
        (true, false) if !after.email_verified => Welcome::Verification,
        _ => Welcome::Nothing,
    };
    let by = Acting { state, actor, meta };
    commit_with_welcome(by, tx, id, &v, welcome).await
}

/// What a change of profile fields writes (the user's own profile, an import row): `v`'s
/// names, phone and language and `admin_notes` over `before`; email, password, status,
/// verification and 2FA as they are, except that a changed phone is no longer verified.
pub(crate) fn profile_update<'a>(
    before: &'a UserDetail,
    v: &'a ValidUser,
    admin_notes: &'a str,
) -> UserUpdate<'a> {
    UserUpdate {
        email: &before.email,
        password_hash: None,
        first_name: v.first_name.as_str(),
        last_name: v.last_name.as_str(),
        phone: v.phone.as_deref(),
        language: v.language.code(),
        admin_notes,
        status: before.status,
        email_verified: before.email_verified,
        phone_verified: before.phone_verified && v.phone == before.phone,
        two_factor: before.two_factor,
        clear_totp: false,
    }
}

/// An import row's changes to an existing user, inside `tx`: the fields of `v` (validated
/// and checked when the row was planned) over the user as `before`, if they are still at
/// that version; a phone taken since is refused by the unique index. Status, verification
/// and 2FA stay as they are; the event is noted `imported`.
pub(crate) async fn update_in(
    tx: &mut roster_data::Tx,
    by: &Acting<'_>,
    before: &UserDetail,
    v: &ValidUser,
) -> Result<(), AppError> {
    let id = before.id;
    let after = profile_update(before, v, v.admin_notes.as_str());
    if !users::update(tx, id, before.version, &after).await? {
        return Err(AppError::Stale);
    }
    if before.admin_notes != after.admin_notes {
        users::note_admin_notes_change(tx, id, &by.actor.label()).await?;
    }
    let changes = diff(before, &after).note("imported", true);
    let event = Event::new(
        by.actor.clone(),
        Action::UserUpdated,
        target(id, &before.email),
    )
    .changes(changes);
    audit::record(tx, by.meta, event).await?;
    Ok(())
}

/// Before → after for each field that changed; the password only as "changed".
pub fn diff(b: &UserDetail, a: &UserUpdate<'_>) -> Changes {
    let mut c = Changes::new();
    macro_rules! cmp {
        ($name:literal, $before:expr, $after:expr) => {
            if $before != $after {
                c = c.field($name, $before, $after);
            }
        };
    }
    cmp!("email", b.email.clone(), a.email.to_string());
    cmp!("first_name", b.first_name.clone(), a.first_name.to_string());
    cmp!("last_name", b.last_name.clone(), a.last_name.to_string());
    cmp!("phone", b.phone.clone(), a.phone.map(str::to_string));
    cmp!("language", b.language.clone(), a.language.to_string());
    cmp!(
        "admin_notes",
        b.admin_notes.clone(),
        a.admin_notes.to_string()
    );
    cmp!("status", b.status.code(), a.status.code());
    cmp!("email_verified", b.email_verified, a.email_verified);
    cmp!("phone_verified", b.phone_verified, a.phone_verified);
    cmp!("two_factor", b.two_factor, a.two_factor);
    if a.password_hash.is_some() {
        c = c.field("password", "", "");
    }
    c
}

/// Which of a user's sessions to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sessions {
    One(Uuid),
    /// Every one but this (sign out everywhere else).
    AllBut(Uuid),
    All,
}

/// End some of a user's sessions, by staff or by the user, in one transaction.
pub async fn end_sessions(by: Acting<'_>, id: Uuid, which: Sessions) -> Result<u64, AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    let u = users::detail(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ended = match which {
        Sessions::One(sid) => {
            u64::from(sessions::delete_one_for(&mut tx, Principal::User, id, sid).await?)
        }
        Sessions::AllBut(keep) => {
            sessions::delete_all_but(&mut tx, Principal::User, id, keep).await?
        }
        Sessions::All => sessions::delete_for_user(&mut tx, id).await?,
    };
    if ended > 0 {
        let who = if matches!(actor, Actor::User { .. }) {
            "user"
        } else {
            "staff"
        };
        let event = Event::new(actor, Action::SessionsRevoked, target(id, &u.email)).changes(
            Changes::new()
                .note("reason", format!("ended_by_{who}"))
                .note("sessions", ended),
        );
        audit::record(&mut tx, meta, event).await?;
    }
    tx.commit().await?;
    Ok(ended)
}

/// Lift a lock after repeated failed sign-ins.
pub async fn unlock(by: Acting<'_>, id: Uuid) -> Result<UserDetail, AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    let before = users::detail(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if roster_data::attempts::lift(&mut tx, Principal::User, id).await? {
        let event = Event::new(actor, Action::UserUnlocked, target(id, &before.email));
        audit::record(&mut tx, meta, event).await?;
    }
    commit_and_read(state, tx, id).await
}

pub async fn delete(by: Acting<'_>, id: Uuid) -> Result<(), AppError> {
    let Acting { state, actor, meta } = by;
    let mut tx = state.db.begin().await?;
    roster_data::locks::decide_alone(&mut tx, roster_data::locks::Rule::Ownership).await?;
    let before = users::detail(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owned = users::owned_clients(&mut tx, id).await?;
    if !owned.is_empty() {
        return Err(AppError::OwnsClients { clients: owned });
    }
    users::delete(&mut tx, id).await?;
    // The snapshot keeps the trail readable after the row is gone.
    let changes = Changes::new()
        .field("email", before.email.clone(), None::<String>)
        .field("name", before.display_name(), None::<String>);
    let event = Event::new(actor, Action::UserDeleted, target(id, &before.email)).changes(changes);
    audit::record(&mut tx, meta, event).await?;
    Ok(tx.commit().await?)
}

/// One page of users matching `q` (a substring of name, email, phone or UUID) and the
/// filters; a filter that cannot be one is a field error.
pub async fn list(
    state: &AppState,
    query: PageQuery,
    filter: &UserFilter,
) -> Result<UserPage, AppError> {
    let q = query.normalized();
    let filters = check_filter(filter)?;
    let found = users::list_filtered(&state.db, &q, &filters).await?;
    Ok(UserPage::of(found, &q))
}

/// The filters, or their field errors (before an export starts streaming).
pub fn check_filter(filter: &UserFilter) -> Result<Filters, AppError> {
    filter
        .parse()
        .map_err(|fields| AppError::Invalid { fields })
}

/// The CSV export's next `limit` users matching `q` and `filters` (as the list reads
/// them), newest first, after the user `after` (their creation time and id).
pub async fn export_batch(
    state: &AppState,
    q: &str,
    filters: &Filters,
    after: Option<(chrono::DateTime<chrono::Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<users::ExportRow>, AppError> {
    Ok(users::export_batch(&state.db, q, filters, after, limit).await?)
}

pub async fn detail(state: &AppState, id: Uuid) -> Result<UserDetail, AppError> {
    users::detail(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The user's signed-in sessions (created, last seen, address, browser).
pub async fn sessions_of(state: &AppState, id: Uuid) -> Result<Vec<SessionRow>, AppError> {
    Ok(sessions::list_for_user(&state.db, id).await?)
}

/// The eye button: the user and the clients they are associated with.
pub async fn with_clients(state: &AppState, id: Uuid) -> Result<UserWithClients, AppError> {
    let u = detail(state, id).await?;
    let clients = users::clients_of(&state.db, id).await?;
    Ok(UserWithClients {
        id: u.id,
        name: u.display_name(),
        email: u.email,
        phone: u.phone,
        clients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_types::users::TwoFactorState;

    fn before() -> UserDetail {
        UserDetail {
            id: Uuid::nil(),
            email: "ann@example.com".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            phone: None,
            language: "en".into(),
            admin_notes: String::new(),
            status: UserStatus::Active,
            email_verified: true,
            phone_verified: false,
            two_factor: true,
            two_factor_state: TwoFactorState::On,
            locked: false,
            lock_reason: None,
            version: 3,
            created_at: now().into(),
            updated_at: now().into(),
            last_sign_in_at: None,
            admin_notes_by: None,
            admin_notes_at: None,
            invited_at: None,
        }
    }

    fn same(b: &UserDetail) -> UserUpdate<'_> {
        UserUpdate {
            email: &b.email,
            password_hash: None,
            first_name: &b.first_name,
            last_name: &b.last_name,
            phone: b.phone.as_deref(),
            language: &b.language,
            admin_notes: &b.admin_notes,
            status: b.status,
            email_verified: b.email_verified,
            phone_verified: b.phone_verified,
            two_factor: b.two_factor,
            clear_totp: false,
        }
    }

    #[test]
    fn sessions_end_on_deactivation_password_and_2fa_changes() {
        let b = before();
        assert_eq!(revocation_reason(&b, &same(&b)), None);
        let off = UserUpdate {
            status: UserStatus::Inactive,
            ..same(&b)
        };
        assert_eq!(revocation_reason(&b, &off), Some("deactivated"));
        let pw = UserUpdate {
            password_hash: Some("$argon2id$x"),
            ..same(&b)
        };
        assert_eq!(revocation_reason(&b, &pw), Some("password_reset"));
        let tf = UserUpdate {
            two_factor: false,
            ..same(&b)
        };
        assert_eq!(revocation_reason(&b, &tf), Some("two_factor_changed"));
    }

    #[test]
    fn diff_lists_what_changed_and_hides_the_password() {
        let b = before();
        let a = UserUpdate {
            first_name: "Anna",
            password_hash: Some("$argon2id$secret"),
            ..same(&b)
        };
        let j = diff(&b, &a).to_json();
        assert!(j.contains("\"first_name\":[\"Ann\",\"Anna\"]"), "{j}");
        assert!(j.contains("\"password\":\"[changed]\""), "{j}");
        assert!(!j.contains("argon2id"));
        assert!(!j.contains("last_name"));
    }

    #[test]
    fn new_cannot_be_set_again() {
        assert!(check_status(UserStatus::New, UserStatus::New).is_ok());
        assert!(check_status(UserStatus::New, UserStatus::Active).is_ok());
        assert!(check_status(UserStatus::Active, UserStatus::New).is_err());
    }
}
