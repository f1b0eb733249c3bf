//! The one error type that crosses the wire. Every variant carries its own user-facing
//! message, so call sites never build error strings.

use crate::i18n::{fill, Message, Msg};
use crate::msg;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A problem with one form field, shown next to that field: a catalogue message (`code`)
/// with its arguments, which the page shows in its language; `message` is the English
/// text, for scripts that use the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name as the API knows it (`email`, `password`, …).
    pub field: String,
    pub message: String,
    #[serde(default)]
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
}

impl FieldError {
    pub fn new(field: &str, m: impl Message) -> Self {
        Self::with(field, m, &[])
    }

    /// A message with `{name}` placeholders and their values.
    pub fn with(field: &str, m: impl Message, args: &[(&str, &str)]) -> Self {
        let m = m.msg();
        Self {
            field: field.to_string(),
            message: fill(m.en(), args),
            code: m.code(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The catalogue message, when the code is one this build knows (the server's
    /// catalogue; a page looks codes up in its own).
    #[cfg(feature = "server")]
    pub fn msg(&self) -> Option<Msg> {
        Msg::from_code(&self.code)
    }
}

/// A value another record already holds. The database's unique indexes decide (so two
/// simultaneous creations end in one row); this names the field and says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taken {
    UserEmail,
    UserPhone,
    StaffEmail,
    TaxId,
    /// The user is already associated with the client.
    Association,
}

impl Taken {
    pub fn field(self) -> &'static str {
        match self {
            Self::UserEmail | Self::StaffEmail => "email",
            Self::UserPhone => "phone",
            Self::TaxId => "tax_id",
            Self::Association => "user_id",
        }
    }
}

impl Message for Taken {
    fn msg(&self) -> Msg {
        match self {
            Self::UserEmail => {
                msg!("A user with this email already exists. Each user needs their own email.")
            }
            Self::UserPhone => msg!("Another user already has this phone number."),
            Self::StaffEmail => msg!("A staff member with this email already exists."),
            Self::TaxId => msg!("Another client already has this tax ID."),
            Self::Association => msg!("This user is already associated with the client."),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(f: FieldError) -> Self {
        AppError::Invalid { fields: vec![f] }
    }
}

impl From<Taken> for AppError {
    fn from(t: Taken) -> Self {
        AppError::invalid(t.field(), t)
    }
}

/// Why a sign-in was refused. The anonymous-facing messages never reveal whether an
/// account exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInRefusal {
    /// Unknown email or wrong password: deliberately one answer for both.
    BadCredentials,
    WrongCode,
    /// The code was right but was already used once.
    CodeReused,
    Locked,
    Inactive,
    EmailNotVerified,
    /// The password step was not done, or took too long.
    StepExpired,
}

impl Message for SignInRefusal {
    fn msg(&self) -> Msg {
        match self {
            Self::BadCredentials => msg!("Email or password is incorrect."),
            Self::WrongCode => msg!(
                "That code is not valid. Check your authenticator app's clock and try the current code."
            ),
            Self::CodeReused => {
                msg!("That code was already used. Wait for the next code and enter it.")
            }
            Self::Locked => msg!(
                "Too many failed attempts. Sign-in is paused for this account; try again later."
            ),
            Self::Inactive => msg!("This account is inactive. Contact an administrator."),
            Self::EmailNotVerified => msg!(
                "This account's email address is not verified yet. Contact an administrator."
            ),
            Self::StepExpired => {
                msg!("Your sign-in took too long. Start again with your email and password.")
            }
        }
    }
}

impl SignInRefusal {
    /// The English text (the API's `message`).
    pub fn message(self) -> &'static str {
        self.msg().en()
    }

    /// A stable code for the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadCredentials => "bad_credentials",
            Self::WrongCode => "wrong_code",
            Self::CodeReused => "code_reused",
            Self::Locked => "locked",
            Self::Inactive => "inactive",
            Self::EmailNotVerified => "email_not_verified",
            Self::StepExpired => "step_expired",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// No valid session.
    Unauthenticated,
    /// Signed in, but without the named permission.
    Forbidden {
        permission: String,
    },
    /// One or more fields failed validation.
    Invalid {
        fields: Vec<FieldError>,
    },
    SignIn {
        reason: SignInRefusal,
    },
    /// Too many requests from this address.
    RateLimited {
        retry_after_secs: u64,
    },
    /// The server is at its limit for expensive work (password hashing): come back soon.
    Busy {
        retry_after_secs: u64,
    },
    /// A cross-site request to change something.
    CrossOrigin,
    NotFound,
    /// The record changed since it was loaded.
    Stale,
    /// The user owns these clients, so deleting them would leave the clients ownerless.
    OwnsClients {
        clients: Vec<String>,
    },
    /// The setup link is used, expired or unknown.
    SetupLinkInvalid,
    /// A link sent by mail (password reset) that is used, expired, voided or unknown.
    MailLinkInvalid,
    /// A staff change that would lock someone (or everyone) out of staff management.
    StaffRule {
        rule: super::staff_members::StaffRuleError,
    },
    /// A user asked to turn off 2FA that staff switched on.
    TwoFactorRequired,
    /// Asked for what needs 2FA on (or off) while it is the other way.
    TwoFactorState {
        on: bool,
    },
    /// A change to the sign-in (password, 2FA, recovery codes, sessions) asked for by staff
    /// signed in as the user: only the user makes those.
    Impersonating,
    /// Something failed on the server; details are in the server log under this id.
    Internal {
        reference: String,
    },
    /// The request never completed (network, bad response): client-side only.
    Transport {
        detail: String,
    },
    /// The request was malformed (arguments missing or of the wrong type).
    BadRequest {
        detail: String,
    },
}

/// `AppError`'s JSON as it is read: the kind in `error`, and each kind's fields, present
/// only for their kind. Read through this flat struct rather than derived on the tagged
/// enum, whose reader buffers the whole object first (serde's `Content`): code that every
/// island reading an error carried. The JSON is the same both ways (see the tests).
#[derive(Deserialize)]
struct Read {
    error: Kind,
    permission: Option<String>,
    fields: Option<Vec<FieldError>>,
    reason: Option<SignInRefusal>,
    retry_after_secs: Option<u64>,
    clients: Option<Vec<String>>,
    rule: Option<super::staff_members::StaffRuleError>,
    on: Option<bool>,
    reference: Option<String>,
    detail: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Unauthenticated,
    Forbidden,
    Invalid,
    SignIn,
    RateLimited,
    Busy,
    CrossOrigin,
    NotFound,
    Stale,
    OwnsClients,
    SetupLinkInvalid,
    MailLinkInvalid,
    StaffRule,
    TwoFactorRequired,
    TwoFactorState,
    Impersonating,
    Internal,
    Transport,
    BadRequest,
}

/// A field the JSON of one kind must have (the flat readers of `AppError` and
/// `SignInStep`): without it, an error that names it.
pub(crate) fn required<T, E: serde::de::Error>(v: Option<T>, name: &'static str) -> Result<T, E> {
    v.ok_or_else(|| E::missing_field(name))
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Read::deserialize(d)?;
        Ok(match w.error {
            Kind::Unauthenticated => Self::Unauthenticated,
            Kind::Forbidden => Self::Forbidden {
                permission: required(w.permission, "permission")?,
            },
            Kind::Invalid => Self::Invalid {
                fields: required(w.fields, "fields")?,
            },
            Kind::SignIn => Self::SignIn {
                reason: required(w.reason, "reason")?,
            },
            Kind::RateLimited => Self::RateLimited {
                retry_after_secs: required(w.retry_after_secs, "retry_after_secs")?,
            },
            Kind::Busy => Self::Busy {
                retry_after_secs: required(w.retry_after_secs, "retry_after_secs")?,
            },
            Kind::CrossOrigin => Self::CrossOrigin,
            Kind::NotFound => Self::NotFound,
            Kind::Stale => Self::Stale,
            Kind::OwnsClients => Self::OwnsClients {
                clients: required(w.clients, "clients")?,
            },
            Kind::SetupLinkInvalid => Self::SetupLinkInvalid,
            Kind::MailLinkInvalid => Self::MailLinkInvalid,
            Kind::StaffRule => Self::StaffRule {
                rule: required(w.rule, "rule")?,
            },
            Kind::TwoFactorRequired => Self::TwoFactorRequired,
            Kind::TwoFactorState => Self::TwoFactorState {
                on: required(w.on, "on")?,
            },
            Kind::Impersonating => Self::Impersonating,
            Kind::Internal => Self::Internal {
                reference: required(w.reference, "reference")?,
            },
            Kind::Transport => Self::Transport {
                detail: required(w.detail, "detail")?,
            },
            Kind::BadRequest => Self::BadRequest {
                detail: required(w.detail, "detail")?,
            },
        })
    }
}

impl AppError {
    /// An unexpected failure: logged in full under a short reference, shown to the user as
    /// that reference only. Never a 500 page, never a secret in the message.
    #[cfg(feature = "server")]
    pub fn internal(e: impl fmt::Display) -> Self {
        let text = e.to_string();
        let reference = short_reference(&text);
        tracing::error!(reference = %reference, error = %text, "internal error");
        Self::Internal { reference }
    }

    pub fn invalid(field: &str, message: impl Message) -> Self {
        Self::Invalid {
            fields: vec![FieldError::new(field, message)],
        }
    }

    /// The error for one field, if this is a validation error that names it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid { fields } => fields
                .iter()
                .find(|f| f.field == name)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }

    /// When a refused request may be tried again (the `Retry-After` of a 429 or 503).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited { retry_after_secs } | Self::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::SignIn {
                reason: SignInRefusal::Locked,
            } => 423,
            Self::SignIn { .. } => 401,
            Self::Forbidden { .. } | Self::CrossOrigin => 403,
            Self::Invalid { .. } => 422,
            Self::RateLimited { .. } => 429,
            Self::Busy { .. } => 503,
            Self::NotFound => 404,
            Self::Stale | Self::OwnsClients { .. } | Self::TwoFactorState { .. } => 409,
            Self::TwoFactorRequired | Self::Impersonating => 403,
            Self::StaffRule { .. } => 409,
            Self::SetupLinkInvalid | Self::MailLinkInvalid => 410,
            Self::BadRequest { .. } => 400,
            Self::Internal { .. } | Self::Transport { .. } => 500,
        }
    }
}

impl AppError {
    /// What the user is told: a catalogue message and its arguments. The page shows it in
    /// its language; `Display` (and the API's `message`) in English.
    pub fn text(&self) -> (Msg, Vec<(String, String)>) {
        let arg = |k: &str, v: String| vec![(k.to_string(), v)];
        match self {
            Self::Unauthenticated => (
                msg!("You are not signed in, or your session has ended. Sign in again."),
                vec![],
            ),
            Self::Forbidden { permission } => (
                msg!("You do not have the {permission} permission needed for this."),
                arg("permission", permission.clone()),
            ),
            // One field: its own message (a page shows it through its catalogue).
            #[cfg(feature = "server")]
            Self::Invalid { fields } if fields.len() == 1 => match fields[0].msg() {
                Some(m) => (m, fields[0].args.clone()),
                None => (msg!("Some fields need attention."), vec![]),
            },
            Self::Invalid { .. } => (msg!("Some fields need attention."), vec![]),
            Self::SignIn { reason } => (reason.msg(), vec![]),
            Self::RateLimited { retry_after_secs } => (
                msg!("Too many attempts. Try again in {seconds} seconds."),
                arg("seconds", retry_after_secs.to_string()),
            ),
            Self::Busy { retry_after_secs } => (
                msg!("The server is busy. Try again in {seconds} seconds."),
                arg("seconds", retry_after_secs.to_string()),
            ),
            Self::CrossOrigin => (
                msg!("This request came from another site and was refused."),
                vec![],
            ),
            Self::NotFound => (msg!("Not found. It may have been deleted."), vec![]),
            Self::Stale => (
                msg!("This was changed by someone else — reload to see the current version."),
                vec![],
            ),
            Self::OwnsClients { clients } if clients.len() == 1 => (
                msg!("This user is the OWNER of a client: {clients}. Transfer ownership first (Clients → Manage Clients → the client → Users)."),
                arg("clients", clients.join(", ")),
            ),
            Self::OwnsClients { clients } => (
                msg!("This user is the OWNER of clients: {clients}. Transfer ownership first (Clients → Manage Clients → the client → Users)."),
                arg("clients", clients.join(", ")),
            ),
            Self::StaffRule { rule } => (rule.msg(), vec![]),
            Self::TwoFactorRequired => (
                msg!("Your administrator requires two-factor authentication for your account; only they can turn it off."),
                vec![],
            ),
            Self::TwoFactorState { on: true } => {
                (msg!("Two-factor authentication is already on."), vec![])
            }
            Self::TwoFactorState { on: false } => {
                (msg!("Two-factor authentication is off."), vec![])
            }
            Self::Impersonating => (
                msg!("While signed in as this user you cannot change their password, two-factor authentication, recovery codes or sessions."),
                vec![],
            ),
            Self::MailLinkInvalid => (
                msg!("This link is no longer valid: it was used, it expired, or a newer one was sent. Ask for a new one."),
                vec![],
            ),
            Self::SetupLinkInvalid => (
                msg!("This setup link is no longer valid. Restart the server on an empty database for a new one, or use `roster staff create`."),
                vec![],
            ),
            Self::Internal { reference } => (
                msg!("Something went wrong on the server (reference {reference})."),
                arg("reference", reference.clone()),
            ),
            Self::Transport { detail } => (
                msg!("Could not reach the server: {detail}"),
                arg("detail", detail.clone()),
            ),
            Self::BadRequest { detail } => (
                msg!("The request was malformed: {detail}"),
                arg("detail", detail.clone()),
            ),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (m, args) = self.text();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        f.write_str(&fill(m.en(), &args))
    }
}

impl std::error::Error for AppError {}

/// What goes over the wire: the variant plus its message, so that scripts using the HTTP
/// API get a readable `message` without knowing the variants.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(flatten)]
    error: &'a AppError,
    message: String,
}

impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        // The decoder's message may quote the whole offending input: keep the start.
        let short = |d: String| d.chars().take(300).collect::<String>();
        match value {
            E::Args(d) | E::MissingArg(d) => Self::BadRequest { detail: short(d) },
            // On the server these are the request's fault (a body that is not UTF-8, not
            // the declared encoding, …): a 400, never a 500.
            E::Request(d) | E::Deserialization(d) if cfg!(feature = "server") => {
                Self::BadRequest { detail: short(d) }
            }
            E::Request(d) | E::Deserialization(d) | E::Serialization(d) | E::Response(d) => {
                Self::Transport { detail: d }
            }
            other => Self::Internal {
                reference: short_reference(&other.to_string()),
            },
        }
    }

    fn ser(&self) -> server_fn::Bytes {
        let wire = Wire {
            error: self,
            message: self.to_string(),
        };
        serde_json::to_vec(&wire).unwrap_or_default().into()
    }
}

/// A short, non-secret reference that ties a user-visible error to a log line (on the
/// server the moment goes in too; the browser has no clock `Instant` can read).
pub fn short_reference(seed: &str) -> String {
    #[cfg(feature = "server")]
    let moment = format!("{:?}", std::time::Instant::now());
    #[cfg(not(feature = "server"))]
    let moment = String::new();
    let mut h: u32 = 2166136261;
    for b in seed.bytes().chain(moment.bytes()) {
        h = (h ^ b as u32).wrapping_mul(16777619);
    }
    format!("{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind, as the server writes it, reads back the same; a kind the reader does
    /// not know, or a kind without its field, is an error (never a panic or a default).
    #[test]
    fn every_error_reads_back_as_it_was_written() {
        use crate::staff_members::StaffRuleError;
        let all = [
            AppError::Unauthenticated,
            AppError::Forbidden {
                permission: "users-edit".into(),
            },
            AppError::invalid("email", crate::msg!("Email is required.")),
            AppError::SignIn {
                reason: SignInRefusal::StepExpired,
            },
            AppError::RateLimited {
                retry_after_secs: 30,
            },
            AppError::Busy {
                retry_after_secs: 2,
            },
            AppError::CrossOrigin,
            AppError::NotFound,
            AppError::Stale,
            AppError::OwnsClients {
                clients: vec!["Acme".into(), "Zeta".into()],
            },
            AppError::SetupLinkInvalid,
            AppError::MailLinkInvalid,
            AppError::StaffRule {
                rule: StaffRuleError::LastManager,
            },
            AppError::TwoFactorRequired,
            AppError::TwoFactorState { on: true },
            AppError::Impersonating,
            AppError::Internal {
                reference: "E-1A2B".into(),
            },
            AppError::Transport {
                detail: "offline".into(),
            },
            AppError::BadRequest {
                detail: "missing field".into(),
            },
        ];
        for e in all {
            // As the server sends it, with the English `message` beside the fields.
            let bytes = server_fn::error::FromServerFnError::ser(&e);
            let json = String::from_utf8(bytes.to_vec()).unwrap();
            assert!(json.contains(r#""message":"#), "{json}");
            let back: AppError =
                serde_json::from_str(&json).unwrap_or_else(|x| panic!("{json}: {x}"));
            assert_eq!(back, e, "{json}");
        }
        // Fields in any order, unknown ones ignored (a newer server may add some).
        let back: AppError =
            serde_json::from_str(r#"{"retry_after_secs":5,"extra":[1],"error":"rate_limited"}"#)
                .unwrap();
        assert_eq!(
            back,
            AppError::RateLimited {
                retry_after_secs: 5
            }
        );
        for bad in [
            r#"{"error":"forbidden"}"#,
            r#"{"error":"no_such_kind"}"#,
            r#"{"permission":"x"}"#,
            r#"{"error":"sign_in","reason":"bogus"}"#,
            r#"{"error":"busy","retry_after_secs":-1}"#,
            "[]",
            "null",
        ] {
            assert!(serde_json::from_str::<AppError>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wire_form_has_code_message_and_fields() {
        let err = AppError::invalid("email", crate::email::EmailError::Invalid);
        let json: serde_json::Value =
            serde_json::from_slice(&server_fn::error::FromServerFnError::ser(&err)).unwrap();
        assert_eq!(json["error"], "invalid");
        assert_eq!(
            json["message"],
            "Enter a valid email address, like name@example.com."
        );
        assert_eq!(json["fields"][0]["field"], "email");
        // the message's code, which the page shows in its own language
        assert_eq!(
            json["fields"][0]["code"],
            "enter_a_valid_email_address_like_name_example_com"
        );
        // and it reads back into the same error
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
    }

    #[test]
    fn statuses_match_http_meaning() {
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(
            AppError::Forbidden {
                permission: "users-view".into()
            }
            .status(),
            403
        );
        assert_eq!(
            AppError::invalid("x", crate::email::EmailError::Empty).status(),
            422
        );
        assert_eq!(
            AppError::SignIn {
                reason: SignInRefusal::Locked
            }
            .status(),
            423
        );
    }

    #[test]
    fn bad_credentials_message_does_not_say_which() {
        let m = SignInRefusal::BadCredentials.message().to_lowercase();
        assert!(m.contains("email or password"));
        assert!(!m.contains("no account") && !m.contains("unknown"));
    }
}
