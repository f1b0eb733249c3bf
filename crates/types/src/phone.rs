//! Phone numbers with a country code, stored as E.164 (`+380501234567`).
//!
//! The browser checks the shape (a `+`, a country code, 8–15 digits); the server checks
//! the number against the numbering plan of its country with the `phonenumber` crate,
//! whose metadata is too heavy for the WASM. Both answer with the same messages.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

crate::message_enum! {
    pub enum PhoneError {
        NoCountryCode => "Start with + and the country code, like +44 20 7946 0958.",
        BadCharacters => "Use digits only, with spaces, dashes, dots or brackets between them.",
        WrongLength => "A phone number with its country code has 8 to 15 digits.",
        NotANumber => "This is not a valid phone number for its country code.",
    }
}

impl Phone {
    /// The shape rules, cheap enough for the browser. Empty means "no phone".
    pub fn check_shape(raw: &str) -> Result<Option<String>, PhoneError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let rest = s
            .strip_prefix('+')
            .or_else(|| s.strip_prefix("00"))
            .ok_or(PhoneError::NoCountryCode)?;
        let mut digits = String::with_capacity(16);
        for ch in rest.chars() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError::BadCharacters),
            }
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(PhoneError::WrongLength);
        }
        if digits.starts_with('0') {
            return Err(PhoneError::NoCountryCode);
        }
        Ok(Some(format!("+{digits}")))
    }

    /// The whole rule: shape, then the country's numbering plan. `Ok(None)` for no phone.
    #[cfg(feature = "server")]
    pub fn parse(raw: &str) -> Result<Option<Self>, PhoneError> {
        let Some(plain) = Self::check_shape(raw)? else {
            return Ok(None);
        };
        let n = phonenumber::parse(None, &plain).map_err(|_| PhoneError::NotANumber)?;
        if !phonenumber::is_valid(&n) {
            return Err(PhoneError::NotANumber);
        }
        Ok(Some(Self(
            n.format().mode(phonenumber::Mode::E164).to_string(),
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_rules() {
        use PhoneError::*;
        let uk = Ok(Some("+442079460958".to_string()));
        let too_long = format!("+{}", "1".repeat(16));
        let cases = [
            ("  ", Ok(None)),
            ("+44 (20) 7946-0958", uk.clone()),
            ("0044 20 7946 0958", uk),
            ("020 7946 0958", Err(NoCountryCode)),
            ("+44 20 79x6", Err(BadCharacters)),
            ("+1 234", Err(WrongLength)),
            (&too_long, Err(WrongLength)),
        ];
        for (raw, want) in cases {
            assert_eq!(Phone::check_shape(raw), want, "{raw:?}");
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn numbering_plans() {
        assert_eq!(
            Phone::parse("+380 50 123 4567").unwrap().unwrap().as_str(),
            "+380501234567"
        );
        assert_eq!(
            Phone::parse("+48 601 234 567").unwrap().unwrap().as_str(),
            "+48601234567"
        );
        assert_eq!(Phone::parse("").unwrap(), None);
        // Right shape, but no such number in the UK plan.
        assert_eq!(Phone::parse("+44 1234"), Err(PhoneError::WrongLength));
        assert_eq!(Phone::parse("+44 0000 000000"), Err(PhoneError::NotANumber));
    }
}
