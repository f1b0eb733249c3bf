//! Database rules and the sign-in machinery against a real database. The same tests run on
//! SQLite and, under pg_virtualenv with ROSTER_TEST_ENGINE=postgres, on PostgreSQL.

#[macro_use]
mod common;

use common::{assert_in_trail, meta, PASSWORD};

use roster_core::request::{RequestMeta, STAFF_COOKIE};
use roster_core::security::{tokens, totp};
use roster_core::setup::{create_staff, Creator, NewMember};
use roster_core::sign_in;
use roster_core::state::AppState;
use roster_core::Acting;
use roster_data::accounts::{self, Principal};
use roster_data::sessions::{self, NewSession, Stage};
use roster_data::{audit, setup_tokens, staff};
use roster_types::event::{Action, Actor, Event, Target};
use roster_types::{AppError, SignInRefusal, SignInStep, StaffPermission};

/// A request carrying the staff session cookie `cookie`.
fn meta_with(cookie: Option<&str>) -> RequestMeta {
    RequestMeta {
        cookie_header: cookie
            .map(|t| format!("{STAFF_COOKIE}={t}"))
            .unwrap_or_default(),
        ..meta()
    }
}

async fn staff_member(state: &AppState, email: &str, two_factor: bool) -> uuid::Uuid {
    create_staff(
        state,
        NewMember::new(email, PASSWORD, StaffPermission::ALL).two_factor(two_factor),
        Creator::Cli,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn staff_email_is_unique_ignoring_case() {
    let state = common::state(false).await;
    staff_member(&state, "Ann@Example.com", false).await;
    let err = create_staff(
        &state,
        NewMember::new("ann@EXAMPLE.com", PASSWORD, &[]).two_factor(false),
        Creator::Cli,
    )
    .await
    .unwrap_err();
    assert!(
        err.field("email").unwrap().contains("already exists"),
        "{err:?}"
    );
    assert_eq!(staff::count(&state.db).await.unwrap(), 1);
}

#[tokio::test]
async fn two_concurrent_creations_of_one_email_end_in_one_row_and_one_field_error() {
    let state = common::state(false).await;
    let (a, b) = tokio::join!(
        create_staff(
            &state,
            NewMember::new("race@example.com", PASSWORD, &[]).two_factor(false),
            Creator::Cli
        ),
        create_staff(
            &state,
            NewMember::new("RACE@example.com", PASSWORD, &[]).two_factor(false),
            Creator::Cli
        ),
    );
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let err = a.err().or(b.err()).unwrap();
    assert!(err.field("email").is_some(), "{err:?}");
    assert_eq!(staff::count(&state.db).await.unwrap(), 1);
}

#[tokio::test]
async fn an_audit_event_exists_only_if_its_transaction_commits() {
    let state = common::state(false).await;
    let event = || Event::new(Actor::System, Action::SetupLinkIssued, Target::System);
    let mut tx = state.db.begin().await.unwrap();
    audit::record(&mut tx, event()).await.unwrap();
    drop(tx); // rolled back
    assert!(audit::recent(&state.db, 10).await.unwrap().is_empty());

    let mut tx = state.db.begin().await.unwrap();
    audit::record(&mut tx, event()).await.unwrap();
    tx.commit().await.unwrap();
    let events = audit::recent(&state.db, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "setup.link_issued");
}

/// A request dropped in the middle of a transaction (the browser went away, the task was
/// cancelled) writes nothing and leaves no pooled connection inside a transaction or
/// holding SQLite's write lock: the pool lends connections without pinging them first on
/// SQLite, so the rollback on their way back is what keeps the next request safe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_dropped_mid_transaction_leave_the_pool_clean() {
    let state = common::state(false).await;
    let event = || Event::new(Actor::System, Action::SetupLinkIssued, Target::System);
    for _ in 0..8 {
        let (began, mut began_rx) = tokio::sync::mpsc::channel::<()>(1);
        let db = state.db.clone();
        let task = tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            audit::record(&mut tx, event()).await.unwrap();
            began.send(()).await.unwrap();
            std::future::pending::<()>().await;
            tx.commit().await.unwrap();
        });
        began_rx.recv().await.expect("the transaction began");
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
    }
    // Round after round through the idle connections: each begins, writes and commits at
    // once (a lock left behind would make them wait out the busy timeout and fail).
    for _ in 0..24 {
        let mut tx = tokio::time::timeout(std::time::Duration::from_secs(5), state.db.begin())
            .await
            .expect("a transaction begins without waiting for a lock")
            .unwrap();
        audit::record(&mut tx, event()).await.unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(audit::recent(&state.db, 100).await.unwrap().len(), 24);
}

/// The first staff member, through the setup link `token`.
async fn set_up(
    state: &AppState,
    email: &str,
    password: &str,
    token: &str,
) -> Result<uuid::Uuid, AppError> {
    let member = NewMember::new(email, password, StaffPermission::ALL);
    let link = Creator::SetupLink {
        ip: "::1".into(),
        token,
    };
    create_staff(state, member, link).await
}

#[tokio::test]
async fn each_start_without_staff_makes_a_new_setup_link_and_the_one_before_stops_working() {
    let state = common::state(true).await;
    use roster_core::setup::{issue_link_if_empty, link_is_valid};
    let earlier = issue_link_if_empty(&state).await.unwrap().unwrap();
    let token = issue_link_if_empty(&state).await.unwrap().unwrap();
    assert!(!link_is_valid(&state, &earlier).await.unwrap());
    assert!(link_is_valid(&state, &token).await.unwrap());
    let forged = set_up(&state, "a@example.com", PASSWORD, "forged").await;
    assert_eq!(forged.unwrap_err(), AppError::SetupLinkInvalid);
    let old = set_up(&state, "a@example.com", PASSWORD, &earlier).await;
    assert_eq!(old.unwrap_err(), AppError::SetupLinkInvalid);
}

#[tokio::test]
async fn the_setup_link_makes_one_manager_and_is_used_up() {
    let state = common::state(true).await;
    let token = roster_core::setup::issue_link_if_empty(&state)
        .await
        .unwrap()
        .unwrap();
    // Invalid input does not use the link up.
    let weak = set_up(&state, "a@example.com", "password1234", &token).await;
    assert!(weak.unwrap_err().field("password").is_some());
    let id = set_up(&state, "a@example.com", PASSWORD, &token)
        .await
        .unwrap();
    let again = set_up(&state, "b@example.com", PASSWORD, &token).await;
    assert_eq!(again.unwrap_err(), AppError::SetupLinkInvalid);
    assert!(roster_core::setup::issue_link_if_empty(&state)
        .await
        .unwrap()
        .is_none());
    let hash = tokens::hash_token(&token);
    assert!(!setup_tokens::is_valid(&state.db, &hash).await.unwrap());
    let permissions = staff::permissions(&state.db, id).await.unwrap();
    assert_eq!(permissions, StaffPermission::ALL.to_vec());
    // The trail names the staff member and never the password.
    let events = audit::recent(&state.db, 20).await.unwrap();
    let created =
        |e: &audit::EventRow| e.action == "staff.created" && e.target_label == "a@example.com";
    assert!(events.iter().any(created));
    assert!(events
        .iter()
        .all(|e| !e.changes.contains(PASSWORD) && !e.changes.contains("argon2")));
}

#[tokio::test]
async fn a_totp_step_is_claimed_once() {
    let state = common::state(false).await;
    let id = staff_member(&state, "t@example.com", false).await;
    let mut tx = state.db.begin().await.unwrap();
    assert!(accounts::claim_totp_step(&mut tx, Principal::Staff, id, 10)
        .await
        .unwrap());
    assert!(
        !accounts::claim_totp_step(&mut tx, Principal::Staff, id, 10)
            .await
            .unwrap()
    );
    assert!(!accounts::claim_totp_step(&mut tx, Principal::Staff, id, 9)
        .await
        .unwrap());
    assert!(accounts::claim_totp_step(&mut tx, Principal::Staff, id, 11)
        .await
        .unwrap());
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn sessions_are_found_by_token_hash_until_they_expire() {
    let state = common::state(false).await;
    let id = staff_member(&state, "s@example.com", false).await;
    let token = tokens::new_token();
    let mut tx = state.db.begin().await.unwrap();
    for (t, exp) in [
        (token.as_str(), chrono::Duration::hours(1)),
        ("old", chrono::Duration::seconds(-1)),
    ] {
        sessions::insert(
            &mut tx,
            &NewSession {
                token_hash: &tokens::hash_token(t),
                principal: Principal::Staff,
                account_id: id,
                stage: Stage::Full,
                expires_at: roster_data::now() + exp,
                ip: "127.0.0.1",
                user_agent: "tests",
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let s = sessions::find(&state.db, Principal::Staff, &tokens::hash_token(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.account_id, id);
    assert!(
        sessions::find(&state.db, Principal::Staff, &tokens::hash_token("old"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sessions::find(&state.db, Principal::Staff, &token)
            .await
            .unwrap()
            .is_none(),
        "the raw token is not what is stored"
    );
    assert_eq!(sessions::delete_expired(&state.db).await.unwrap(), 1);
    let mut tx = state.db.begin().await.unwrap();
    assert_eq!(
        sessions::delete_for_account(&mut tx, Principal::Staff, id)
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn one_query_reads_a_session_with_its_account_and_only_its_own_permissions() {
    let state = common::state(false).await;
    let granted = [StaffPermission::UsersView, StaffPermission::AuditView];
    let id = create_staff(
        &state,
        NewMember::new("few@example.com", PASSWORD, &granted).two_factor(false),
        Creator::Cli,
    )
    .await
    .unwrap();
    // Someone else's permissions must not leak into this member's answer.
    staff_member(&state, "all@example.com", false).await;
    let token = tokens::new_token();
    let mut tx = state.db.begin().await.unwrap();
    sessions::insert(
        &mut tx,
        &NewSession {
            token_hash: &tokens::hash_token(&token),
            principal: Principal::Staff,
            account_id: id,
            stage: Stage::Code,
            expires_at: roster_data::now() + chrono::Duration::hours(1),
            ip: "127.0.0.1",
            user_agent: "tests",
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let hash = tokens::hash_token(&token);
    let found = sessions::signed_in(&state.db, Principal::Staff, &hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.account.id, found.session.account_id), (id, id));
    assert_eq!(found.account.email, "few@example.com");
    assert_eq!(
        found.session.stage,
        Stage::Code,
        "the caller judges the stage"
    );
    let mut expected = granted.to_vec();
    expected.sort();
    assert_eq!(found.permissions, expected);
    // A staff session is no user's session; a stage short of Full grants nothing.
    assert!(sessions::signed_in(&state.db, Principal::User, &hash)
        .await
        .unwrap()
        .is_none());
    assert!(
        !Browser {
            state: &state,
            token: Some(token),
        }
        .signed_in()
        .await
    );
    // Without permissions the list is empty, not an error.
    let mut tx = state.db.begin().await.unwrap();
    staff::set_permissions(&mut tx, id, &[]).await.unwrap();
    tx.commit().await.unwrap();
    let found = sessions::signed_in(&state.db, Principal::Staff, &hash)
        .await
        .unwrap()
        .unwrap();
    assert!(found.permissions.is_empty());
}

/// A browser signing in as staff: it sends the token the last step gave it.
struct Browser<'a> {
    state: &'a AppState,
    token: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(state: &'a AppState) -> Self {
        Browser { state, token: None }
    }

    fn meta(&self) -> RequestMeta {
        meta_with(self.token.as_deref())
    }

    async fn password(&mut self, email: &str, password: &str) -> Result<SignInStep, AppError> {
        let out = sign_in::password_step(self.state, STAFF, &self.meta(), email, password).await?;
        self.token = Some(out.token);
        Ok(out.step)
    }

    async fn code(&mut self, stage: Stage, code: &str) -> Result<SignInStep, AppError> {
        let out = sign_in::second_factor(self.state, STAFF, &self.meta(), stage, code).await?;
        self.token = Some(out.token);
        Ok(out.step)
    }

    async fn signed_in(&self) -> bool {
        let session = sign_in::resolve(self.state, STAFF, &self.meta()).await;
        session.unwrap().is_some()
    }
}

const STAFF: Principal = Principal::Staff;

fn refused(reason: SignInRefusal) -> Result<SignInStep, AppError> {
    Err(AppError::SignIn { reason })
}

#[tokio::test]
async fn forced_enrolment_signs_in_with_its_first_code() {
    let state = common::state(true).await;
    staff_member(&state, "e@example.com", true).await;
    let mut b = Browser::new(&state);
    let step = b.password("E@example.com", PASSWORD).await.unwrap();
    let SignInStep::NeedEnrolment(enrolment) = step else {
        panic!("expected enrolment")
    };
    assert!(!b.signed_in().await, "the pending session grants nothing");
    let c = accounts::by_email(&state.db, STAFF, "e@example.com").await;
    let stored = c.unwrap().unwrap().totp_pending.unwrap();
    assert!(!stored.contains(&enrolment.secret), "stored encrypted");

    let secret = totp::secret_from_base32(&enrolment.secret).unwrap();
    let pending = Browser {
        token: b.token.clone(),
        ..Browser::new(&state)
    };
    let step = b.code(Stage::Enrol, &totp::code_at(&secret, now())).await;
    // Signed in, with the ten recovery codes shown once.
    assert!(matches!(&step, Ok(SignInStep::Enrolled(c)) if c.codes.len() == 10));
    assert_ne!(b.token, pending.token, "a new token once signed in");
    assert!(b.signed_in().await);
    assert!(!pending.signed_in().await);
    assert_in_trail(&state, &["two_factor.enrolled"]).await;
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

#[tokio::test]
async fn a_code_signs_in_once_and_sign_out_ends_the_session() {
    let state = common::state(true).await;
    staff_member(&state, "e@example.com", true).await;
    let mut b = Browser::new(&state);
    let Ok(SignInStep::NeedEnrolment(enrolment)) = b.password("e@example.com", PASSWORD).await
    else {
        panic!("expected enrolment")
    };
    let secret = totp::secret_from_base32(&enrolment.secret).unwrap();
    let code = totp::code_at(&secret, now());
    b.code(Stage::Enrol, &code).await.unwrap();

    // The next sign-in: the same code is a replay; the next step's code works.
    let mut b = Browser::new(&state);
    let step = b.password("e@example.com", PASSWORD).await;
    assert_eq!(step, Ok(SignInStep::NeedCode));
    let replay = b.code(Stage::Code, &code).await;
    assert_eq!(replay, refused(SignInRefusal::CodeReused));
    let next = totp::code_at(&secret, now() + 30);
    assert_eq!(b.code(Stage::Code, &next).await, Ok(SignInStep::Done));

    sign_in::sign_out(&state, STAFF, &b.meta()).await.unwrap();
    assert!(!b.signed_in().await);
    assert_in_trail(
        &state,
        &["sign_in.succeeded", "sign_in.refused", "session.signed_out"],
    )
    .await;
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_and_unknown_emails_get_the_same_answer() {
    let state = common::state(false).await;
    staff_member(&state, "l@example.com", false).await;
    let mut b = Browser::new(&state);
    let unknown = b.password("nobody@example.com", PASSWORD).await;
    assert_eq!(unknown, refused(SignInRefusal::BadCredentials));
    for _ in 0..5 {
        let r = b.password("l@example.com", "not the password at all").await;
        assert_eq!(r, refused(SignInRefusal::BadCredentials));
    }
    // locked now, even with the right password
    let r = b.password("l@example.com", PASSWORD).await;
    assert_eq!(r, refused(SignInRefusal::Locked));
    assert_in_trail(&state, &["sign_in.locked"]).await;
}

#[tokio::test]
async fn staff_rows_and_manager_counts_work_the_same_on_both_engines() {
    let state = common::state(false).await;
    let a = staff_member(&state, "a@example.com", false).await;
    let b = staff_member(&state, "b@example.com", false).await;
    let rows = staff::list(&state.db).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].permissions, StaffPermission::ALL.to_vec());
    let mut tx = state.db.begin().await.unwrap();
    assert_eq!(staff::count_managers_except(&mut tx, a).await.unwrap(), 1);
    let view = [StaffPermission::UsersView];
    staff::set_permissions(&mut tx, b, &view).await.unwrap();
    assert_eq!(staff::count_managers_except(&mut tx, a).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let row = staff::get(&state.db, b).await.unwrap().unwrap();
    assert_eq!(row.permissions, view);
}

#[tokio::test]
async fn the_audit_search_takes_wildcards_literally_and_days_whole() {
    use roster_types::audit::AuditFilter;
    let state = common::state(false).await;
    // Events about a user called "50%_off", to check that LIKE wildcards are literal.
    let mut tx = state.db.begin().await.unwrap();
    for (email, action) in [
        ("50%_off@example.com", Action::UserCreated),
        ("5000off@example.com", Action::UserUpdated),
    ] {
        let target = Target::User {
            id: uuid::Uuid::new_v4(),
            email: email.into(),
        };
        let event = Event::new(Actor::System, action, target);
        audit::record(&mut tx, event).await.unwrap();
    }
    tx.commit().await.unwrap();
    let find = |f: AuditFilter| {
        let db = state.db.clone();
        async move { audit::search(&db, &f, 50, 0).await.unwrap() }
    };
    let filter = |actor: &str, target: &str, action: &str, from: &str, to: &str| AuditFilter {
        actor: actor.into(),
        target: target.into(),
        action: action.into(),
        from: from.into(),
        to: to.into(),
        target_id: None,
    };
    let (rows, total) = find(filter("", "50%_OFF", "", "", "")).await;
    assert_eq!((rows.len(), total), (1, 1));
    assert_eq!(rows[0].target_label, "50%_off@example.com");
    assert_eq!(find(filter("", "", "user.", "", "")).await.1, 2);
    let today = chrono::Utc::now().date_naive();
    let (today, yesterday) = (
        today.to_string(),
        (today - chrono::Duration::days(1)).to_string(),
    );
    let (_, total) = find(filter("", "", "user.", &today, &today)).await;
    assert_eq!(total, 2, "the whole of the last day counts");
    assert_eq!(find(filter("", "", "", "", &yesterday)).await.1, 0);
    assert_eq!(
        find(filter("system", "", "user.updated", "", "")).await.1,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_managers_removing_each_other_at_once_leave_one() {
    let state = common::state(false).await;
    let meta = meta_with(None);
    let keep: Vec<StaffPermission> = StaffPermission::ALL
        .iter()
        .copied()
        .filter(|p| *p != StaffPermission::StaffManage)
        .collect();
    for round in 0..5 {
        let a_email = format!("a{round}@example.com");
        let b_email = format!("b{round}@example.com");
        let a = staff_member(&state, &a_email, false).await;
        let b = staff_member(&state, &b_email, false).await;
        // Everyone else gives up staff-manage first, so these two are the last holders.
        let by = |id, email: &str| Acting {
            state: &state,
            actor: Actor::Staff {
                id,
                email: email.into(),
            },
            meta: &meta,
        };
        for row in staff::list(&state.db).await.unwrap() {
            if row.id != a && row.id != b && row.permissions.contains(&StaffPermission::StaffManage)
            {
                let demote = roster_core::staff::update(by(a, &a_email), row.id, &keep, true);
                demote.await.unwrap();
            }
        }
        let (x, y) = tokio::join!(
            roster_core::staff::update(by(a, &a_email), b, &keep, true),
            roster_core::staff::update(by(b, &b_email), a, &keep, true),
        );
        assert_eq!(
            [x.is_ok(), y.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "round {round}: {x:?} {y:?}"
        );
        let managers = staff::list(&state.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.active && r.permissions.contains(&StaffPermission::StaffManage))
            .count();
        assert_eq!(managers, 1, "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_take_at_most_five_slots() {
    use roster_data::attempts::{self, Pool};
    let state = common::state(false).await;
    let id = staff_member(&state, "target@example.com", false).await;
    let pool = Pool::Untrusted(Principal::Staff, id);
    let forget = roster_data::now() - chrono::Duration::days(1);
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let db = state.db.clone();
        guesses.spawn(async move { attempts::reserve(&db, pool, 5, forget).await });
    }
    let slots = guesses.join_all().await;
    let taken = slots
        .iter()
        .filter(|s| s.as_ref().unwrap().is_some())
        .count();
    assert_eq!(taken, 5);
    // The fifth failure locks; a second lock attempt for the same fill does nothing.
    let last = slots
        .iter()
        .filter_map(|s| *s.as_ref().unwrap())
        .max_by_key(|s| s.failures)
        .unwrap();
    let until = roster_data::now() + chrono::Duration::minutes(15);
    assert!(attempts::lock(&state.db, pool, last, 5, until, "password")
        .await
        .unwrap());
    assert!(!attempts::lock(&state.db, pool, last, 5, until, "password")
        .await
        .unwrap());
    assert!(attempts::locked_until(&state.db, pool)
        .await
        .unwrap()
        .is_some());
    assert!(attempts::reserve(&state.db, pool, 5, forget)
        .await
        .unwrap()
        .is_none());
    // Staff lift it, and it is gone for every pool of the account.
    let mut tx = state.db.begin().await.unwrap();
    assert!(attempts::lift(&mut tx, Principal::Staff, id).await.unwrap());
    tx.commit().await.unwrap();
    assert!(attempts::reserve(&state.db, pool, 5, forget)
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn the_address_limit_holds_across_instances_sharing_postgresql() {
    use roster_core::security::throttle::AddressLimiter;
    let state = common::state(false).await;
    // Two instances on one database.
    let a = AddressLimiter::new(3, state.db.clone());
    let b = AddressLimiter::new(3, state.db.clone());
    let ip: std::net::IpAddr = "192.0.2.77".parse().unwrap();
    let mut allowed = 0;
    for i in 0..6 {
        let l = if i % 2 == 0 { &a } else { &b };
        if l.check(ip).await.is_ok() {
            allowed += 1;
        }
    }
    match state.db.engine() {
        // Shared: three in all.
        "postgres" => assert_eq!(allowed, 3),
        // One SQLite file serves one instance: each counts its own.
        _ => assert_eq!(allowed, 6),
    }
}

#[tokio::test]
async fn a_database_from_before_the_key_check_is_claimed_only_by_its_own_key() {
    use roster_core::keys;
    use roster_core::security::crypto::SecretKey;
    let state = common::state(false).await;
    let id = staff_member(&state, "old@example.com", false).await;
    // As an earlier version left it: a secret under the key, no check value.
    accounts::set_pending_totp(
        &state.db,
        Principal::Staff,
        id,
        &state.key.encrypt(b"secret"),
    )
    .await
    .unwrap();
    assert!(keys::is_claimed(&state.db).await.unwrap());
    let other = SecretKey::generate();
    assert!(matches!(
        keys::open(&state.db, &other).await,
        Err(keys::KeyError::Mismatch)
    ));
    // Its own key claims it, and from then on only that key opens it.
    keys::open(&state.db, &state.key).await.unwrap();
    assert!(keys::open(&state.db, &state.key).await.is_ok());
    assert!(matches!(
        keys::open(&state.db, &other).await,
        Err(keys::KeyError::Mismatch)
    ));
}

#[tokio::test]
async fn a_page_request_asks_who_is_signed_in_once_and_only_for_its_own_kind() {
    let state = common::state(false).await;
    staff_member(&state, "page@example.com", false).await;
    let mut b = Browser::new(&state);
    assert_eq!(
        b.password("page@example.com", PASSWORD).await,
        Ok(SignInStep::Done)
    );
    let page = RequestMeta {
        page: Some(roster_core::request::PageCache::default()),
        ..b.meta()
    };
    // The guard and two server functions of one render, two of them at the same moment.
    let first = sign_in::resolve(&state, STAFF, &page).await.unwrap();
    let (a, c) = tokio::join!(
        sign_in::resolve(&state, STAFF, &page),
        roster_core::staff::authorize(&state, &page, Some(StaffPermission::UsersView)),
    );
    let id = first.unwrap().1.id;
    assert_eq!(a.unwrap().unwrap().1.id, id);
    assert_eq!(c.unwrap().1.id, id);
    // Signed out meanwhile (another tab): this render keeps its answer, the next request
    // and a request without the page's memory see the database.
    sign_in::sign_out(&state, STAFF, &b.meta()).await.unwrap();
    assert!(sign_in::resolve(&state, STAFF, &page)
        .await
        .unwrap()
        .is_some());
    assert!(!b.signed_in().await);
    // A user's question on a staff page is not answered from the staff answer.
    let user = sign_in::resolve(&state, Principal::User, &page)
        .await
        .unwrap();
    assert!(user.is_none());
}

#[tokio::test]
async fn a_mailed_link_works_until_it_expires_and_then_never() {
    use roster_data::mail_tokens::{self, NewToken, Purpose};
    let state = common::state(false).await;
    let id = staff_member(&state, "links@example.com", false).await;
    let hash = |t: &str| tokens::hash_token(t);
    let (live, lapsed) = (tokens::new_token(), tokens::new_token());
    let mut tx = state.db.begin().await.unwrap();
    for (token, valid_for) in [
        (&live, chrono::Duration::days(7)),
        // An invitation sent eight days ago: its seven days are over.
        (
            &lapsed,
            chrono::Duration::days(7) - chrono::Duration::days(8),
        ),
    ] {
        let row = NewToken {
            token_hash: &hash(token),
            purpose: Purpose::Invitation,
            principal: Principal::Staff,
            account_id: id,
            email_norm: "links@example.com",
            valid_for,
        };
        mail_tokens::insert(&mut tx, &row).await.unwrap();
    }
    tx.commit().await.unwrap();
    let find = |t: String| {
        let db = state.db.clone();
        async move { mail_tokens::find(&db, &t, Purpose::Invitation, Principal::Staff).await }
    };
    assert!(find(hash(&lapsed)).await.unwrap().is_none(), "expired");
    assert!(find(hash(&live)).await.unwrap().is_some());
    // Another purpose or kind of account: not this link.
    let (live, lapsed) = (hash(&live), hash(&lapsed));
    let other = mail_tokens::find(&state.db, &live, Purpose::PasswordReset, Principal::Staff);
    assert!(other.await.unwrap().is_none());
    let mut tx = state.db.begin().await.unwrap();
    let (invitation, staff) = (Purpose::Invitation, Principal::Staff);
    let took = mail_tokens::take(&mut tx, &lapsed, invitation, staff).await;
    assert!(took.unwrap().is_none(), "an expired link cannot be used");
    let took = mail_tokens::take(&mut tx, &live, invitation, staff).await;
    assert!(took.unwrap().is_some());
    let again = mail_tokens::take(&mut tx, &live, invitation, staff).await;
    assert!(again.unwrap().is_none(), "once");
    tx.commit().await.unwrap();
}
