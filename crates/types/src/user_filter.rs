//! Manage Users' filters beside the search: status, 2FA, Email Verified, clients, when
//! created and when last signed in. They travel as URL parameters (`UserFilter`, text as
//! typed) and are read once into [`Filters`], or into field errors naming what is wrong.

use crate::audit::parse_day;
use crate::i18n::Msg;
use crate::users::TwoFactorState;
use crate::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The filters as the URL and the list's server function carry them; empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// new, active, inactive, locked or invited.
    #[serde(default)]
    pub status: String,
    /// off, pending or on.
    #[serde(default)]
    pub two_factor: String,
    /// yes or no.
    #[serde(default)]
    pub verified: String,
    /// owner (owns a client) or none (no client at all).
    #[serde(default)]
    pub clients: String,
    /// First day of creation, `YYYY-MM-DD` (UTC), inclusive.
    #[serde(default)]
    pub created_from: String,
    /// Last day of creation, inclusive.
    #[serde(default)]
    pub created_to: String,
    /// never, before (a day: `signed_in_before`) or within (`signed_in_days` days).
    #[serde(default)]
    pub signed_in: String,
    #[serde(default)]
    pub signed_in_before: String,
    #[serde(default)]
    pub signed_in_days: String,
}

/// The URL parameters, in the order links write them.
pub const KEYS: [&str; 9] = [
    "status",
    "two_factor",
    "verified",
    "clients",
    "created_from",
    "created_to",
    "signed_in",
    "signed_in_before",
    "signed_in_days",
];

/// The filter's status choice. NEW excludes invited users, whom the table shows as
/// INVITED; LOCKED is any status while a lock lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    New,
    Active,
    Inactive,
    Locked,
    Invited,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientsFilter {
    /// Owns at least one client.
    Owner,
    /// Linked to no client at all.
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInFilter {
    Never,
    /// Last signed in before this day began (UTC); never signed in is not "before".
    Before(NaiveDate),
    /// Signed in within this many days.
    Within(u32),
}

/// The filters, checked and typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: Option<StatusFilter>,
    pub two_factor: Option<TwoFactorState>,
    pub verified: Option<bool>,
    pub clients: Option<ClientsFilter>,
    pub created_from: Option<NaiveDate>,
    /// Inclusive: the whole day counts.
    pub created_to: Option<NaiveDate>,
    pub signed_in: Option<SignInFilter>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// The longest "within N days" a filter takes: ten years.
pub const MAX_DAYS: u32 = 3650;

fn day(s: &str) -> Option<NaiveDate> {
    parse_day(s).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// One of `options` (by its URL code), none for "", or a field error for anything else.
fn choice<T: Copy>(
    bad: &mut dyn FnMut(&str, Msg),
    field: &str,
    value: &str,
    options: &[(&str, T)],
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let found = options
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, v)| *v);
    if found.is_none() {
        bad(field, crate::msg!("Choose one of the listed options."));
    }
    found
}

impl UserFilter {
    /// From URL parameters (or any lookup by key).
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let g = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        UserFilter {
            status: g("status"),
            two_factor: g("two_factor"),
            verified: g("verified"),
            clients: g("clients"),
            created_from: g("created_from"),
            created_to: g("created_to"),
            signed_in: g("signed_in"),
            signed_in_before: g("signed_in_before"),
            signed_in_days: g("signed_in_days"),
        }
    }

    /// The parameters that are set, as `(key, value)` pairs in `KEYS` order.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        KEYS.iter()
            .zip([
                &self.status,
                &self.two_factor,
                &self.verified,
                &self.clients,
                &self.created_from,
                &self.created_to,
                &self.signed_in,
                &self.signed_in_before,
                &self.signed_in_days,
            ])
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, v.as_str()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// The typed filters, or a message for each field that cannot be one.
    pub fn parse(&self) -> Result<Filters, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, message: Msg| errors.push(FieldError::new(field, message));
        use StatusFilter as S;
        use TwoFactorState as T;
        let status = choice(
            &mut bad,
            "status",
            &self.status,
            &[
                ("new", S::New),
                ("active", S::Active),
                ("inactive", S::Inactive),
                ("locked", S::Locked),
                ("invited", S::Invited),
            ],
        );
        let two_factor = choice(
            &mut bad,
            "two_factor",
            &self.two_factor,
            &[("off", T::Off), ("pending", T::Pending), ("on", T::On)],
        );
        let verified = choice(
            &mut bad,
            "verified",
            &self.verified,
            &[("yes", true), ("no", false)],
        );
        let clients = choice(
            &mut bad,
            "clients",
            &self.clients,
            &[
                ("owner", ClientsFilter::Owner),
                ("none", ClientsFilter::None),
            ],
        );
        let date = |bad: &mut dyn FnMut(&str, Msg), field: &str, s: &str| {
            if s.is_empty() {
                return None;
            }
            let d = day(s);
            if d.is_none() {
                bad(field, crate::msg!("Enter a date as YYYY-MM-DD."));
            }
            d
        };
        let created_from = date(&mut bad, "created_from", &self.created_from);
        let created_to = date(&mut bad, "created_to", &self.created_to);
        if let (Some(from), Some(to)) = (created_from, created_to) {
            if to < from {
                bad(
                    "created_to",
                    crate::msg!("The range ends before it starts."),
                );
            }
        }
        let signed_in = match self.signed_in.as_str() {
            "" => None,
            "never" => Some(SignInFilter::Never),
            "before" => match date(&mut bad, "signed_in_before", &self.signed_in_before) {
                Some(d) => Some(SignInFilter::Before(d)),
                None if self.signed_in_before.is_empty() => {
                    bad(
                        "signed_in_before",
                        crate::msg!("Enter a date as YYYY-MM-DD."),
                    );
                    None
                }
                None => None,
            },
            "within" => match self.signed_in_days.parse::<u32>() {
                Ok(n) if (1..=MAX_DAYS).contains(&n) => Some(SignInFilter::Within(n)),
                _ => {
                    bad(
                        "signed_in_days",
                        crate::msg!("Enter a number of days from 1 to 3650."),
                    );
                    None
                }
            },
            _ => {
                bad(
                    "signed_in",
                    crate::msg!("Choose one of the listed options."),
                );
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filters {
            status,
            two_factor,
            verified,
            clients,
            created_from,
            created_to,
            signed_in,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pairs: &[(&str, &str)]) -> UserFilter {
        UserFilter::from_params(|k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    fn fields(f: &UserFilter) -> Vec<String> {
        f.parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn an_empty_filter_is_no_filter() {
        let f = filter(&[]);
        assert!(f.is_empty());
        assert!(f.parse().unwrap().is_empty());
    }

    #[test]
    fn every_choice_parses_and_round_trips_through_the_url() {
        let f = filter(&[
            ("status", "inactive"),
            ("two_factor", "off"),
            ("verified", "no"),
            ("clients", "none"),
            ("created_from", "2026-11-01"),
            ("created_to", " 2026-11-30 "),
            ("signed_in", "within"),
            ("signed_in_days", "30"),
        ]);
        let parsed = f.parse().unwrap();
        assert_eq!(parsed.status, Some(StatusFilter::Inactive));
        assert_eq!(parsed.two_factor, Some(TwoFactorState::Off));
        assert_eq!(parsed.verified, Some(false));
        assert_eq!(parsed.clients, Some(ClientsFilter::None));
        assert_eq!(parsed.created_to, NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(parsed.signed_in, Some(SignInFilter::Within(30)));
        let again = filter(&f.pairs());
        assert_eq!(again, f);
        let before = filter(&[("signed_in", "before"), ("signed_in_before", "2026-01-31")]);
        assert_eq!(
            before.parse().unwrap().signed_in,
            Some(SignInFilter::Before(
                NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
            ))
        );
        assert_eq!(
            filter(&[("signed_in", "never"), ("status", "locked")])
                .parse()
                .unwrap(),
            Filters {
                status: Some(StatusFilter::Locked),
                signed_in: Some(SignInFilter::Never),
                ..Filters::default()
            }
        );
    }

    #[test]
    fn what_cannot_be_a_filter_is_named_field_by_field() {
        assert_eq!(
            fields(&filter(&[
                ("status", "LOCKED'--"),
                ("two_factor", "maybe"),
                ("verified", "1"),
                ("clients", "all"),
                ("created_from", "2026-02-30"),
                ("signed_in", "sometimes"),
            ])),
            [
                "status",
                "two_factor",
                "verified",
                "clients",
                "created_from",
                "signed_in"
            ]
        );
        assert_eq!(
            fields(&filter(&[
                ("created_from", "2026-12-01"),
                ("created_to", "2026-11-01")
            ])),
            ["created_to"]
        );
        for days in ["0", "-1", "3651", "ten", "", "99999999999"] {
            assert_eq!(
                fields(&filter(&[
                    ("signed_in", "within"),
                    ("signed_in_days", days)
                ])),
                ["signed_in_days"],
                "{days}"
            );
        }
        for before in ["", "yesterday", "2026-13-01"] {
            assert_eq!(
                fields(&filter(&[
                    ("signed_in", "before"),
                    ("signed_in_before", before)
                ])),
                ["signed_in_before"],
                "{before}"
            );
        }
    }
}
