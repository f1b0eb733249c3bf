//! A one-time code as typed by a person: six digits, spaces allowed.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    Malformed,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "Enter the 6-digit code from your authenticator app.",
            Self::Malformed => "The code is 6 digits, like 123 456.",
        })
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl fmt::Debug for TotpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpCode(<redacted>)")
    }
}

impl TotpCode {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.is_empty() {
            return Err(CodeError::Empty);
        }
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Malformed);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_grouped_digits() {
        assert_eq!(TotpCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(TotpCode::parse("123-456").unwrap().as_str(), "123456");
    }

    #[test]
    fn refuses_other_input() {
        assert_eq!(TotpCode::parse(""), Err(CodeError::Empty));
        assert_eq!(TotpCode::parse("12345"), Err(CodeError::Malformed));
        assert_eq!(TotpCode::parse("12345a"), Err(CodeError::Malformed));
        assert_eq!(TotpCode::parse("１２３４５６"), Err(CodeError::Malformed));
    }
}
