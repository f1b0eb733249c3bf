//! The Create and Edit user forms: what they send, and the one set of rules both the
//! browser (as the user leaves a field or submits) and the server (again, on receipt) apply.

use super::error::FieldError;
use super::language::Language;
use super::name::PersonName;
use super::notes::AdminNotes;
use super::password::Password;
use super::phone::Phone;
use super::users::UserStatus;
use super::Email;
use serde::{Deserialize, Serialize};

/// The fields as typed. Field names are the API's (`first_name`, …); a field left out of a
/// request counts as empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub email: String,
    /// Required on Create; on Edit empty means "unchanged".
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub language: String,
    pub admin_notes: String,
    #[serde(deserialize_with = "lenient_bool")]
    pub two_factor: bool,
}

impl Default for UserForm {
    fn default() -> Self {
        Self {
            email: String::new(),
            password: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            phone: String::new(),
            language: Language::default().code().to_string(),
            admin_notes: String::new(),
            two_factor: false,
        }
    }
}

/// A switch as forms and scripts send it: `true`/`false`, `on`, `1`/`0`, or a JSON bool.
/// (Flattened form fields all arrive as text, so serde's own bool would refuse them.)
pub fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    match B::deserialize(d)? {
        B::Bool(b) => Ok(b),
        B::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "1" | "yes" => Ok(true),
            "false" | "off" | "0" | "no" | "" => Ok(false),
            other => Err(serde::de::Error::custom(format!(
                "expected true or false, got `{other}`"
            ))),
        },
    }
}

/// What only Edit has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditFlags {
    #[serde(default, deserialize_with = "lenient_bool")]
    pub email_verified: bool,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub phone_verified: bool,
    pub status: UserStatus,
}

/// Create, Create by invitation, or Edit: the password rule differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    Create,
    /// "Invite by email": no password; the user chooses it from the invitation.
    Invite,
    Edit,
}

/// Every field that passed its rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidUser {
    pub email: Email,
    /// `None` on Edit when the password was left empty.
    pub password: Option<Password>,
    pub first_name: PersonName,
    pub last_name: PersonName,
    /// E.164.
    pub phone: Option<String>,
    pub language: Language,
    pub admin_notes: AdminNotes,
    pub two_factor: bool,
}

/// The fields in form order, so errors can be shown and focused in that order.
pub const FIELDS: [&str; 7] = [
    "email",
    "password",
    "first_name",
    "last_name",
    "phone",
    "language",
    "admin_notes",
];

impl UserForm {
    /// The rule for one field as the browser can check it (password strength and the
    /// phone numbering plan are checked by the server). `None` when it passes.
    pub fn check_field(&self, field: &str, mode: FormMode) -> Option<crate::i18n::Msg> {
        use crate::i18n::Message;
        match field {
            "email" => Email::parse(&self.email).err().map(|e| e.msg()),
            "password" => {
                if mode == FormMode::Invite && !self.password.is_empty() {
                    Some(crate::msg!(
                        "Leave Password empty when inviting: the user chooses it from the invitation."
                    ))
                } else if mode != FormMode::Create && self.password.is_empty() {
                    None
                } else {
                    Password::check_length(&self.password)
                        .err()
                        .map(|e| e.msg())
                }
            }
            "first_name" => PersonName::parse(&self.first_name)
                .err()
                .map(|e| e.message("Firstname")),
            "last_name" => PersonName::parse(&self.last_name)
                .err()
                .map(|e| e.message("Lastname")),
            "phone" => Phone::check_shape(&self.phone).err().map(|e| e.msg()),
            "language" => Language::parse(&self.language).err().map(|e| e.msg()),
            "admin_notes" => AdminNotes::parse(&self.admin_notes).err().map(|e| e.msg()),
            _ => None,
        }
    }

    /// Every browser-side rule, in form order.
    pub fn check(&self, mode: FormMode) -> Vec<FieldError> {
        FIELDS
            .iter()
            .filter_map(|f| self.check_field(f, mode).map(|m| FieldError::new(f, m)))
            .collect()
    }

    /// The whole policy, on the server: the browser's rules plus password strength (with
    /// the user's own name and email counted as guessable) and the phone numbering plan.
    #[cfg(feature = "server")]
    pub fn validate(&self, mode: FormMode) -> Result<ValidUser, Vec<FieldError>> {
        let mut errors = self.check(mode);
        let has = |errors: &Vec<FieldError>, f: &str| errors.iter().any(|e| e.field == f);
        let mut password = None;
        let unchanged = mode != FormMode::Create && self.password.is_empty();
        if !has(&errors, "password") && !unchanged {
            let context = [
                self.email.as_str(),
                self.first_name.as_str(),
                self.last_name.as_str(),
            ];
            match Password::parse_with_context(&self.password, &context) {
                Ok(p) => password = Some(p),
                Err(e) => errors.push(FieldError::new("password", e)),
            }
        }
        let mut phone = None;
        if !has(&errors, "phone") {
            match Phone::parse(&self.phone) {
                Ok(p) => phone = p.map(|p| p.as_str().to_string()),
                Err(e) => errors.push(FieldError::new("phone", e)),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field));
            return Err(errors);
        }
        // Every parse below passed in `check`; the `map_err`s cannot fire.
        let bad = |f: &str| vec![FieldError::new(f, crate::msg!("Check this field."))];
        Ok(ValidUser {
            email: Email::parse(&self.email).map_err(|_| bad("email"))?,
            password,
            first_name: PersonName::parse(&self.first_name).map_err(|_| bad("first_name"))?,
            last_name: PersonName::parse(&self.last_name).map_err(|_| bad("last_name"))?,
            phone,
            language: Language::parse(&self.language).map_err(|_| bad("language"))?,
            admin_notes: AdminNotes::parse(&self.admin_notes).map_err(|_| bad("admin_notes"))?,
            two_factor: self.two_factor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> UserForm {
        UserForm {
            email: "ann.lee@example.com".into(),
            password: "violet tractor under seven lanterns".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            phone: "+380 50 123 4567".into(),
            language: "uk".into(),
            admin_notes: "ticket #12".into(),
            two_factor: true,
        }
    }

    #[test]
    fn browser_rules_name_each_bad_field_in_order() {
        let f = UserForm {
            email: "nope".into(),
            password: "short".into(),
            first_name: " ".into(),
            phone: "0501234567".into(),
            language: "xx".into(),
            ..good()
        };
        let fields: Vec<_> = f
            .check(FormMode::Create)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["email", "password", "first_name", "phone", "language"]
        );
        assert!(good().check(FormMode::Create).is_empty());
    }

    #[test]
    fn edit_allows_an_empty_password() {
        let f = UserForm {
            password: String::new(),
            ..good()
        };
        assert_eq!(
            f.check_field("password", FormMode::Create).map(|m| m.en()),
            Some("Password is required.")
        );
        assert_eq!(f.check_field("password", FormMode::Edit), None);
    }

    #[test]
    fn switches_read_as_forms_send_them() {
        #[derive(Deserialize)]
        struct W {
            #[serde(flatten)]
            form: UserForm,
        }
        let w: W = serde_json::from_str(r#"{"email":"a@b.co","two_factor":"true"}"#).unwrap();
        assert!(w.form.two_factor);
        assert_eq!(w.form.language, "en");
        let w: W = serde_json::from_str(r#"{"two_factor":false}"#).unwrap();
        assert!(!w.form.two_factor);
        assert!(serde_json::from_str::<W>(r#"{"two_factor":"maybe"}"#).is_err());
    }

    #[cfg(feature = "server")]
    #[test]
    fn server_rules_add_strength_and_numbering_plan() {
        let v = good().validate(FormMode::Create).unwrap();
        assert_eq!(v.phone.as_deref(), Some("+380501234567"));
        assert_eq!(v.language, Language::Uk);
        let weak = UserForm {
            password: "ann.lee@example.com1".into(),
            phone: "+44 0000 000000".into(),
            ..good()
        };
        let errs = weak.validate(FormMode::Create).unwrap_err();
        assert_eq!(errs[0].field, "password");
        assert_eq!(errs[1].field, "phone");
        let unchanged = UserForm {
            password: String::new(),
            ..good()
        };
        assert_eq!(unchanged.validate(FormMode::Edit).unwrap().password, None);
    }

    #[test]
    fn an_invitation_has_no_password_and_refuses_one() {
        let invited = UserForm {
            password: String::new(),
            ..good()
        };
        assert_eq!(invited.validate(FormMode::Invite).unwrap().password, None);
        // The same form without a password is refused on a plain Create.
        let errors = invited.validate(FormMode::Create).unwrap_err();
        assert_eq!(errors[0].field, "password");
        let errors = good().validate(FormMode::Invite).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "password");
    }
}
