//! What signed-in users change about themselves on `/account`: their profile, their own
//! two-factor enrolment and their recovery codes. Staff-side changes are in `users`.

use super::security::totp;
use super::sign_in;
use super::users::diff;
use crate::Signed;
use crate::{audit, mail};
use roster_data::accounts::{self, Principal};
use roster_data::now;
use roster_data::users;
use roster_types::account::{
    AccountEvent, AccountEventKind, AccountView, ProfileForm, SessionRow, Support,
};
use roster_types::event::{Action, Actor, Changes, Event, Target};
use roster_types::{AppError, Enrolment, FormMode, RecoveryCodes, TotpCode, UserForm};

/// Name, phone and language, by the same rules as staff's Edit. The email is staff's to
/// change (it is the sign-in); a changed phone is no longer verified.
pub async fn update_profile(me: Signed<'_>, form: &ProfileForm) -> Result<(), AppError> {
    let (state, meta, c) = (me.state, me.meta, me.account);
    let mut tx = state.db.begin().await?;
    let before = users::detail(&mut tx, c.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let v = UserForm {
        email: before.email.clone(),
        password: String::new(),
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        phone: form.phone.clone(),
        language: form.language.clone(),
        admin_notes: before.admin_notes.clone(),
        two_factor: before.two_factor,
    }
    .validate(FormMode::Edit)
    .map_err(|fields| AppError::Invalid { fields })?;
    super::users::check_taken(&mut tx, &before.email, v.phone.as_deref(), Some(c.id)).await?;
    let after = super::users::profile_update(&before, &v, &before.admin_notes);
    if !users::update(&mut tx, c.id, before.version, &after).await? {
        return Err(AppError::Stale);
    }
    let changes = diff(&before, &after);
    if !changes.is_empty() {
        let event = me.event(Action::UserUpdated).changes(changes);
        audit::record(&mut tx, meta, event).await?;
    }
    Ok(tx.commit().await?)
}

/// A new secret to scan, pending until a code from it confirms it.
pub async fn start_enrolment(me: Signed<'_>) -> Result<Enrolment, AppError> {
    me.in_person()?;
    let (state, c) = (me.state, me.account);
    if c.totp_secret.is_some() {
        return Err(AppError::TwoFactorState { on: true });
    }
    let secret = totp::new_secret();
    accounts::set_pending_totp(
        &state.db,
        Principal::User,
        c.id,
        &state.key.encrypt(&secret),
    )
    .await?;
    Ok(totp::enrolment(&secret, &c.email))
}

/// The first code from the pending secret turns 2FA on (as the user's own choice, which
/// they may undo) and makes the recovery codes.
pub async fn confirm_enrolment(me: Signed<'_>, code: &str) -> Result<RecoveryCodes, AppError> {
    me.in_person()?;
    let (state, meta, c) = (me.state, me.meta, me.account);
    if c.totp_secret.is_some() {
        return Err(AppError::TwoFactorState { on: true });
    }
    let code = TotpCode::parse(code).map_err(|e| AppError::invalid("code", e))?;
    let Some(pending) = c.totp_pending.as_deref() else {
        return Err(AppError::TwoFactorState { on: false });
    };
    let secret = state.key.decrypt(pending)?;
    let unix = now().timestamp().max(0) as u64;
    let wrong = || AppError::invalid("code", roster_types::SignInRefusal::WrongCode);
    let step = totp::verify(&secret, &code, unix, c.totp_last_step).map_err(|_| wrong())?;
    let mut tx = state.db.begin().await?;
    if !accounts::claim_totp_step(&mut tx, Principal::User, c.id, step).await? {
        return Err(wrong());
    }
    users::set_own_two_factor(&mut tx, c.id, true).await?;
    let codes = sign_in::confirm_enrolment(state, &mut tx, Principal::User, c, meta).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turn off 2FA the user turned on themselves; what staff switched on stays on.
pub async fn disable_two_factor(me: Signed<'_>, password: &str) -> Result<(), AppError> {
    me.in_person()?;
    let (state, meta, _session, c) = (me.state, me.meta, me.session, me.account);
    if c.totp_secret.is_none() {
        return Err(AppError::TwoFactorState { on: false });
    }
    if !c.two_factor_by_user {
        return Err(AppError::TwoFactorRequired);
    }
    me.recheck(password, "two_factor.disable").await?;
    let mut tx = state.db.begin().await?;
    accounts::remove_totp(&mut tx, Principal::User, c.id).await?;
    users::set_own_two_factor(&mut tx, c.id, false).await?;
    let event = audit::own(Principal::User, c, Action::TotpDisabled);
    audit::record(&mut tx, meta, event).await?;
    let ip = meta.ip.to_string();
    mail::notify(
        &mut tx,
        state,
        &ip,
        Principal::User,
        c,
        mail::Kind::TwoFactorOff,
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(())
}

/// Ten new recovery codes; the old ones stop working.
pub async fn regenerate_recovery_codes(
    me: Signed<'_>,
    password: &str,
) -> Result<RecoveryCodes, AppError> {
    me.in_person()?;
    let (state, meta, _session, c) = (me.state, me.meta, me.session, me.account);
    if c.totp_secret.is_none() {
        return Err(AppError::TwoFactorState { on: false });
    }
    me.recheck(password, "recovery_codes.regenerate").await?;
    let mut tx = state.db.begin().await?;
    let codes = sign_in::new_recovery_codes(state, &mut tx, Principal::User, c.id).await?;
    let event = audit::own(Principal::User, c, Action::RecoveryCodesRegenerated)
        .changes(Changes::new().note("codes", codes.codes.len()));
    audit::record(&mut tx, meta, event).await?;
    let ip = meta.ip.to_string();
    mail::notify(
        &mut tx,
        state,
        &ip,
        Principal::User,
        c,
        mail::Kind::RecoveryCodes,
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(codes)
}

/// The user changes their own password: the current one first, the policy for the new one
/// (with their own email and names counted as guessable), then every other session ends.
pub async fn change_own_password(me: Signed<'_>, current: &str, new: &str) -> Result<(), AppError> {
    me.in_person()?;
    let (state, meta, keep_session, id) = (me.state, me.meta, me.session, me.account.id);
    let u = users::detail(&state.db, id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    me.recheck(current, "password.change").await?;
    let context = [
        u.email.as_str(),
        u.first_name.as_str(),
        u.last_name.as_str(),
    ];
    let new = roster_types::Password::parse_with_context(new, &context)
        .map_err(|e| AppError::invalid("new_password", e))?;
    let hash = super::security::passwords::hash(&new).await?;
    let mut tx = state.db.begin().await?;
    if !users::replace_password(&mut tx, id, &me.account.password_hash, &hash).await? {
        return Err(super::sign_in::not_current_password());
    }
    let others =
        roster_data::sessions::delete_all_but(&mut tx, Principal::User, id, keep_session).await?;
    let actor = Actor::User {
        id,
        email: u.email.clone(),
    };
    let event = Event::new(
        actor,
        Action::PasswordChanged,
        Target::User {
            id,
            email: u.email.clone(),
        },
    )
    .changes(
        Changes::new()
            .field("password", "", "")
            .note("other_sessions_ended", others),
    );
    audit::record(&mut tx, meta, event).await?;
    let (ip, c) = (meta.ip.to_string(), me.account);
    mail::notify(
        &mut tx,
        state,
        &ip,
        Principal::User,
        c,
        mail::Kind::PasswordChanged,
    )
    .await?;
    tx.commit().await?;
    mail::wake(state);
    Ok(())
}

/// The signed-in user, their clients and what they may do for each (through `can`).
pub async fn view(me: Signed<'_>) -> Result<AccountView, AppError> {
    let (state, creds) = (me.state, me.account);
    use roster_types::account::AccountClient;
    use roster_types::clients::can;
    use roster_types::ClientPermission;
    let u = users::detail(&state.db, creds.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let clients = users::clients_of(&state.db, u.id)
        .await?
        .into_iter()
        .map(|c| {
            let access = roster_types::clients::Access {
                owner: c.owner,
                permissions: c.permissions.clone(),
            };
            let allowed = ClientPermission::ALL
                .iter()
                .copied()
                .filter(|p| can(u.status, c.status, Some(&access), *p))
                .collect();
            AccountClient {
                client_id: c.client_id,
                name: if c.company_name.is_empty() {
                    c.client_name.clone()
                } else {
                    c.company_name.clone()
                },
                status: c.status,
                access,
                allowed,
            }
        })
        .collect();
    let codes_left = accounts::recovery_codes_left(&state.db, Principal::User, u.id).await?;
    Ok(AccountView {
        id: u.id,
        name: u.display_name(),
        profile: ProfileForm {
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            phone: u.phone.clone().unwrap_or_default(),
            language: u.language.clone(),
        },
        language: roster_types::Language::parse(&u.language).unwrap_or_default(),
        two_factor: roster_types::account::TwoFactorView {
            enrolled: creds.totp_secret.is_some(),
            required: creds.two_factor && !creds.two_factor_by_user,
            codes_left,
        },
        email: u.email,
        clients,
        impersonation: me
            .impersonator
            .map(|i| roster_types::account::Impersonation {
                staff: i.email.clone(),
                reason: i.reason.clone(),
                ends_at: i.ends_at.into(),
            }),
    })
}

/// The user's own sessions; the one making this request is marked `current`.
pub async fn sessions(me: Signed<'_>) -> Result<Vec<SessionRow>, AppError> {
    let (state, creds, current) = (me.state, me.account, me.session);
    let mut rows = roster_data::sessions::list_for_user(&state.db, creds.id).await?;
    for r in &mut rows {
        r.current = r.id == current;
    }
    Ok(rows)
}

/// How many lines the user's recent activity shows.
pub const ACTIVITY_LINES: i64 = 20;

/// The user's recent activity: their sign-ins and what changed about their account,
/// with support's visits named (who and why).
pub async fn activity(me: Signed<'_>) -> Result<Vec<AccountEvent>, AppError> {
    let actions: Vec<_> = AccountEventKind::ACTIONS.iter().map(|(_, a)| *a).collect();
    let rows =
        roster_data::audit::about(&me.state.db, me.account.id, &actions, ACTIVITY_LINES).await?;
    Ok(rows.into_iter().filter_map(account_event).collect())
}

/// An event as the user reads it; support events carry the staff member and the reason.
fn account_event(r: roster_types::audit::AuditRow) -> Option<AccountEvent> {
    let kind = AccountEventKind::of(&r.action)?;
    let note = |name: &str| {
        r.changes
            .iter()
            .find(|c| c.field == name)
            .map(|c| c.after.clone())
    };
    let support = match kind {
        AccountEventKind::SupportStarted => Some(Support {
            staff: r.actor_label.clone(),
            reason: note("reason").unwrap_or_default(),
        }),
        AccountEventKind::SupportEnded => Some(Support {
            staff: note("staff").unwrap_or_default(),
            reason: note("reason").unwrap_or_default(),
        }),
        _ => None,
    };
    Some(AccountEvent {
        at: r.at,
        kind,
        by_staff: r.actor_kind == "staff",
        support,
        ip: r.ip,
    })
}
