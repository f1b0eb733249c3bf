//! Why sign-in is locked for an account, as the staff lists show it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// Wrong passwords at sign-in.
    Password,
    /// Wrong authenticator or recovery codes at sign-in.
    Code,
    /// Wrong current passwords when a signed-in session confirmed a change.
    Recheck,
}

impl LockReason {
    pub fn code(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Code => "code",
            Self::Recheck => "recheck",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Password, Self::Code, Self::Recheck]
            .into_iter()
            .find(|r| r.code() == s)
    }

    pub fn label(self) -> crate::i18n::Msg {
        match self {
            Self::Password => crate::msg!("locked after wrong passwords"),
            Self::Code => crate::msg!("locked after wrong two-factor codes"),
            Self::Recheck => crate::msg!("locked after wrong current passwords in a session"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for r in [LockReason::Password, LockReason::Code, LockReason::Recheck] {
            assert_eq!(LockReason::parse(r.code()), Some(r));
        }
        assert_eq!(LockReason::parse("other"), None);
    }
}
