//! Staff permissions: the one list, so adding a permission is one edit.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! permission_enum {
    ($name:ident { $($variant:ident => $code:literal, $label:literal;)* }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code stored in the database and used by the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// What staff see in the UI (a catalogue message).
            pub fn label(self) -> crate::i18n::Msg {
                match self { $($name::$variant => crate::msg!($label)),* }
            }
        }

        impl FromStr for $name {
            type Err = UnknownPermission;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($code => Ok($name::$variant),)* _ => Err(UnknownPermission(s.to_string())) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPermission(pub String);

impl fmt::Display for UnknownPermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown permission `{}`", self.0)
    }
}

permission_enum!(StaffPermission {
    UsersView => "users-view", "View users";
    UsersCreate => "users-create", "Create users";
    UsersEdit => "users-edit", "Edit users";
    UsersDelete => "users-delete", "Delete users";
    ClientsView => "clients-view", "View clients";
    ClientsEdit => "clients-edit", "Edit clients";
    AuditView => "audit-view", "View the audit trail";
    StaffManage => "staff-manage", "Manage staff";
    MailView => "mail-view", "View and retry mail";
    UsersImpersonate => "users-impersonate", "Sign in as users";
});

permission_enum!(ClientPermission {
    ModifyMasterProfile => "modify-master-profile", "Modify master profile";
    ManageUsers => "manage-users", "Manage users";
    ManageServices => "manage-services", "Manage services";
    ManageDomains => "manage-domains", "Manage domains";
    ManageInvoices => "manage-invoices", "Manage invoices";
    ManageSupportTickets => "manage-support-tickets", "Manage support tickets";
    ManageAffiliate => "manage-affiliate", "Manage affiliate";
    ManageOrders => "manage-orders", "Manage orders";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in StaffPermission::ALL {
            assert_eq!(p.code().parse::<StaffPermission>().unwrap(), *p);
        }
        for p in ClientPermission::ALL {
            assert_eq!(p.code().parse::<ClientPermission>().unwrap(), *p);
        }
        assert!("users-fly".parse::<StaffPermission>().is_err());
    }

    #[test]
    fn spec_lists_are_complete() {
        // The spec's eight staff permissions, mail-view, which the Mail page added, and
        // users-impersonate, for signing in as a user.
        assert_eq!(StaffPermission::ALL.len(), 10);
        assert!(StaffPermission::ALL.contains(&StaffPermission::MailView));
        assert!(StaffPermission::ALL.contains(&StaffPermission::UsersImpersonate));
        assert_eq!(ClientPermission::ALL.len(), 8);
    }
}
