//! Clients and per-client access: the client form's rules, the wire rows, and `can`, the
//! one rule every client-area feature passes through.

use super::error::FieldError;
use super::name::PersonName;
use super::users::{ClientStatus, UserStatus};
use super::ClientPermission;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a user may do for a client, as stored on their association.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub owner: bool,
    pub permissions: Vec<ClientPermission>,
}

impl Access {
    /// The permissions in effect: the owner holds every one.
    pub fn effective(&self) -> Vec<ClientPermission> {
        if self.owner {
            ClientPermission::ALL.to_vec()
        } else {
            ClientPermission::ALL
                .iter()
                .copied()
                .filter(|p| self.permissions.contains(p))
                .collect()
        }
    }
}

/// May a user with `user_status` and `access` to a client in `client_status` do `p` there?
/// Only an ACTIVE client can be acted for (INACTIVE and CLOSED ones are read-only history),
/// only by a user who may sign in, and only with the permission (the owner has them all).
pub fn can(
    user_status: UserStatus,
    client_status: ClientStatus,
    access: Option<&Access>,
    p: ClientPermission,
) -> bool {
    let Some(access) = access else {
        return false;
    };
    user_status != UserStatus::Inactive
        && client_status == ClientStatus::Active
        && (access.owner || access.permissions.contains(&p))
}

/// Permissions as stored: comma-separated codes, in the list's order, unknown codes dropped.
pub fn encode_permissions(ps: &[ClientPermission]) -> String {
    ClientPermission::ALL
        .iter()
        .filter(|p| ps.contains(p))
        .map(|p| p.code())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn decode_permissions(s: &str) -> Vec<ClientPermission> {
    let set: Vec<ClientPermission> = s.split(',').filter_map(|c| c.trim().parse().ok()).collect();
    ClientPermission::ALL
        .iter()
        .copied()
        .filter(|p| set.contains(p))
        .collect()
}

/// The client form as typed. A field left out of a request counts as empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientForm {
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub tax_id: String,
    pub status: String,
}

impl Default for ClientForm {
    fn default() -> Self {
        Self {
            first_name: String::new(),
            last_name: String::new(),
            company_name: String::new(),
            tax_id: String::new(),
            status: ClientStatus::Active.code().to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidClient {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub company_name: String,
    /// Upper-cased, inner spaces removed; `None` when empty.
    pub tax_id: Option<String>,
    pub status: ClientStatus,
}

pub const COMPANY_MAX: usize = 200;

/// A tax ID as stored: upper case, without spaces; 2–32 letters, digits, `-`, `.` or `/`.
pub fn normalize_tax_id(raw: &str) -> Result<Option<String>, crate::i18n::Msg> {
    let t: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    if !(2..=32).contains(&t.chars().count()) {
        return Err(crate::msg!("A tax ID has 2 to 32 characters."));
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/'))
    {
        return Err(crate::msg!(
            "A tax ID has letters, digits, dashes, dots or slashes only."
        ));
    }
    Ok(Some(t))
}

impl ClientForm {
    /// Every rule (the same in the browser and on the server), in form order.
    pub fn validate(&self) -> Result<ValidClient, Vec<FieldError>> {
        let mut errors = Vec::new();
        let first = PersonName::parse(&self.first_name)
            .map_err(|e| errors.push(FieldError::new("first_name", e.message("Firstname"))))
            .ok();
        let last = PersonName::parse(&self.last_name)
            .map_err(|e| errors.push(FieldError::new("last_name", e.message("Lastname"))))
            .ok();
        let company = super::text::nfc(self.company_name.trim());
        if company.chars().count() > COMPANY_MAX {
            errors.push(FieldError::new(
                "company_name",
                crate::msg!("Company Name must be at most 200 characters."),
            ));
        } else if company.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "company_name",
                crate::msg!("Company Name cannot contain line breaks or other control characters."),
            ));
        } else if super::text::has_invisible_format(&company) {
            errors.push(FieldError::new(
                "company_name",
                crate::msg!(
                    "Company Name cannot contain invisible characters (zero-width or text-direction marks)."
                ),
            ));
        }
        let tax_id = normalize_tax_id(&self.tax_id)
            .map_err(|m| errors.push(FieldError::new("tax_id", m)))
            .ok()
            .flatten();
        let status = ClientStatus::parse(self.status.trim());
        if status.is_none() {
            errors.push(FieldError::new(
                "status",
                crate::msg!("Choose Active, Inactive or Closed."),
            ));
        }
        match (first, last, status) {
            (Some(first_name), Some(last_name), Some(status)) if errors.is_empty() => {
                Ok(ValidClient {
                    first_name,
                    last_name,
                    company_name: company,
                    tax_id,
                    status,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The orders of Manage Clients, as the URL and the list API name them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientSort {
    #[default]
    Company,
    Name,
    Status,
    Created,
}

impl ClientSort {
    /// Anything unknown is the default order.
    pub fn parse(s: &str) -> Self {
        match s {
            "name" => Self::Name,
            "status" => Self::Status,
            "created" => Self::Created,
            _ => Self::Company,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Name => "name",
            Self::Status => "status",
            Self::Created => "created",
        }
    }
}

/// One client in the Manage Clients list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub tax_id: Option<String>,
    pub status: ClientStatus,
    pub users: i64,
    pub owner_email: Option<String>,
    pub created_at: super::Timestamp,
}

/// A client's profile as the client page shows and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub tax_id: Option<String>,
    pub status: ClientStatus,
    pub version: i64,
    pub created_at: super::Timestamp,
    pub updated_at: super::Timestamp,
}

impl ClientDetail {
    /// The client's fields as the form shows them.
    pub fn form(&self) -> ClientForm {
        ClientForm {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company_name: self.company_name.clone(),
            tax_id: self.tax_id.clone().unwrap_or_default(),
            status: self.status.code().to_string(),
        }
    }

    /// Whether saving `form` would leave the client as it is (the form's own trimming and
    /// tax ID spelling applied): a save sent twice finds the first one done.
    pub fn is_as(&self, form: &ClientForm) -> bool {
        match (self.form().validate(), form.validate()) {
            (Ok(now), Ok(then)) => now == then,
            _ => false,
        }
    }
}

/// A user on the client's Users tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientUserRow {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub user_status: UserStatus,
    pub access: Access,
}

/// One page of the clients list.
pub type ClientPage = crate::page::Page<ClientRow>;

#[cfg(test)]
mod tests {
    fn detail() -> ClientDetail {
        let at = crate::Timestamp::from_micros(0);
        ClientDetail {
            id: Uuid::nil(),
            first_name: "Ana".into(),
            last_name: "Lima".into(),
            company_name: "Acme".into(),
            tax_id: Some("DE-123".into()),
            status: ClientStatus::Active,
            version: 3,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_client_is_as_a_form_that_spells_its_fields_differently() {
        let c = detail();
        assert!(c.is_as(&c.form()));
        let mut f = c.form();
        f.first_name = "  Ana ".into();
        f.tax_id = " de-1 23".into();
        assert!(c.is_as(&f));
        f.status = "CLOSED".into();
        assert!(!c.is_as(&f));
        let mut f = c.form();
        f.last_name = String::new();
        assert!(!c.is_as(&f), "an invalid form never matches");
    }

    use super::*;
    use ClientPermission::*;

    fn member(ps: &[ClientPermission]) -> Access {
        Access {
            owner: false,
            permissions: ps.to_vec(),
        }
    }

    #[test]
    fn can_follows_ownership_permissions_and_states() {
        let owner = Access {
            owner: true,
            permissions: vec![],
        };
        let billing = member(&[ManageInvoices]);
        use ClientStatus as C;
        use UserStatus as U;
        for p in ClientPermission::ALL {
            assert!(
                can(U::Active, C::Active, Some(&owner), *p),
                "owner holds {p}"
            );
        }
        assert!(can(U::Active, C::Active, Some(&billing), ManageInvoices));
        assert!(can(U::New, C::Active, Some(&billing), ManageInvoices));
        assert!(!can(U::Active, C::Active, Some(&billing), ManageDomains));
        assert!(!can(U::Active, C::Active, None, ManageInvoices));
        assert!(!can(U::Inactive, C::Active, Some(&owner), ManageInvoices));
        assert!(!can(U::Active, C::Inactive, Some(&owner), ManageInvoices));
        assert!(!can(U::Active, C::Closed, Some(&billing), ManageInvoices));
    }

    #[test]
    fn permissions_round_trip_in_list_order() {
        let s = encode_permissions(&[ManageOrders, ModifyMasterProfile, ManageOrders]);
        assert_eq!(s, "modify-master-profile,manage-orders");
        assert_eq!(
            decode_permissions(&s),
            vec![ModifyMasterProfile, ManageOrders]
        );
        assert_eq!(
            decode_permissions("manage-orders,bogus,"),
            vec![ManageOrders]
        );
        assert_eq!(
            Access {
                owner: true,
                permissions: vec![]
            }
            .effective()
            .len(),
            ClientPermission::ALL.len()
        );
    }

    #[test]
    fn client_form_rules() {
        let ok = ClientForm {
            first_name: "Pat".into(),
            last_name: "Doe".into(),
            company_name: " Acme Hosting Ltd ".into(),
            tax_id: "gb 123 456 789".into(),
            status: "ACTIVE".into(),
        };
        let v = ok.validate().unwrap();
        assert_eq!(v.company_name, "Acme Hosting Ltd");
        assert_eq!(v.tax_id.as_deref(), Some("GB123456789"));
        let bad = ClientForm {
            first_name: "".into(),
            tax_id: "x".into(),
            status: "GONE".into(),
            ..ok.clone()
        };
        let fields: Vec<_> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["first_name", "tax_id", "status"]);
        assert_eq!(normalize_tax_id("  "), Ok(None));
        assert!(normalize_tax_id("AB<script>").is_err());
    }
}

/// What `+ Associate User` with an email did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum InviteOutcome {
    /// A user had the email: associated now (`owner` when they became the owner).
    Associated { owner: bool },
    /// Invited by mail: associated once they accept.
    Invited,
}

/// A client offered to someone invited by email, waiting for them to accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub user_id: Uuid,
    pub email: String,
    pub permissions: Vec<ClientPermission>,
    /// The staff member who offered it (their email).
    pub invited_by: String,
    pub invited_at: super::Timestamp,
}
