//! The mails' words: a plain-text and an HTML part, in the recipient's language, with the
//! operator's product name; every link absolute (from `ROSTER_PUBLIC_URL`). No images, no
//! tracking: the HTML is the text with a button.

use super::{Kind, Outgoing};
use maud::{html, Markup};
use roster_types::i18n::{fill, text, Msg};
use roster_types::{msg, Language};

/// What every mail needs to know about where it is sent and from what.
pub struct Context<'a> {
    pub lang: Language,
    pub product: &'a str,
    pub to: &'a str,
}

impl Context<'_> {
    fn t(&self, m: Msg, args: &[(&str, &str)]) -> String {
        let mut all = vec![("product", self.product), ("email", self.to)];
        all.extend_from_slice(args);
        fill(text(self.lang, m), &all)
    }
}

/// The link to choose a new password, valid for an hour.
pub fn password_reset(c: &Context<'_>, link: &str) -> Outgoing {
    let subject = c.t(msg!("Reset your {product} password"), &[]);
    let lead = c.t(
        msg!("Someone asked to reset the password of your {product} account ({email}). To choose a new password, open this link within an hour:"),
        &[],
    );
    let button = c.t(msg!("Choose a new password"), &[]);
    let after = c.t(
        msg!("If you did not ask for this, ignore this mail: your password stays as it is."),
        &[],
    );
    compose(
        Kind::PasswordReset,
        c,
        subject,
        &lead,
        (&button, link),
        &after,
    )
}

/// The link that confirms a new user's email, valid for 48 hours.
pub fn email_verification(c: &Context<'_>, link: &str) -> Outgoing {
    let subject = c.t(msg!("Confirm your email for {product}"), &[]);
    let lead = c.t(
        msg!("An account at {product} uses {email}. To confirm this address, open this link within 48 hours:"),
        &[],
    );
    let button = c.t(msg!("Confirm my email"), &[]);
    let after = c.t(msg!("If you did not expect this, ignore this mail."), &[]);
    compose(
        Kind::EmailVerification,
        c,
        subject,
        &lead,
        (&button, link),
        &after,
    )
}

/// An invitation: the link to choose a password, valid for 7 days.
pub fn invitation(c: &Context<'_>, link: &str) -> Outgoing {
    let subject = c.t(msg!("You are invited to {product}"), &[]);
    let lead = c.t(
        msg!("You are invited to {product} as {email}. To choose your password, open this link within 7 days:"),
        &[],
    );
    let button = c.t(msg!("Accept the invitation"), &[]);
    let after = c.t(msg!("If you did not expect this, ignore this mail."), &[]);
    compose(Kind::Invitation, c, subject, &lead, (&button, link), &after)
}

/// A security notice: something changed about the account's sign-in, when, and what to
/// do if it was not them (`reset_link`: the page to ask for a reset link).
pub fn notice(kind: Kind, c: &Context<'_>, at: &str, reset_link: &str) -> Outgoing {
    let (subject, lead) = match kind {
        Kind::TwoFactorOff => (
            msg!("Two-factor authentication was turned off for your {product} account"),
            msg!("At {time} (UTC), two-factor authentication was turned off for your {product} account ({email}). Signing in now needs only the password."),
        ),
        Kind::RecoveryCodes => (
            msg!("New recovery codes were made for your {product} account"),
            msg!("New recovery codes were made for your {product} account ({email}) at {time} (UTC). The old ones no longer work."),
        ),
        Kind::PasswordChanged
        | Kind::PasswordReset
        | Kind::EmailVerification
        | Kind::Invitation
        | Kind::NewSignIn => (
            msg!("Your {product} password was changed"),
            msg!("The password of your {product} account ({email}) was changed at {time} (UTC)."),
        ),
    };
    let subject = c.t(subject, &[]);
    let lead = c.t(lead, &[("time", at)]);
    warning(kind, c, subject, &lead, reset_link)
}

/// A notice's body: what happened, then the warning before the button (not after it, as
/// in a mail that exists for its link).
fn warning(kind: Kind, c: &Context<'_>, subject: String, lead: &str, reset_link: &str) -> Outgoing {
    let after = c.t(
        msg!("If this was not you, reset your password at once and tell your administrator:"),
        &[],
    );
    let button = c.t(msg!("Reset my password"), &[]);
    Outgoing {
        kind,
        to: c.to.to_string(),
        subject,
        text: format!("{lead}\n\n{after}\n{reset_link}\n\n-- \n{}\n", c.product),
        html: page(
            c,
            html! {
                p { (lead) }
                p { (after) }
                (button_to(&button, reset_link))
            },
        )
        .into_string(),
    }
}

/// Where and how a sign-in was seen, for its notice.
pub struct Seen<'a> {
    pub at: &'a str,
    pub address: &'a str,
    pub browser: &'a str,
}

/// A sign-in from a browser the account had not used before.
pub fn new_sign_in(c: &Context<'_>, seen: &Seen<'_>, reset_link: &str) -> Outgoing {
    let subject = c.t(msg!("New sign-in to your {product} account"), &[]);
    let lead = c.t(
        msg!("Your {product} account ({email}) was signed in to at {time} (UTC) from a browser it had not used before: {browser}, from the address {address}."),
        &[("time", seen.at), ("browser", seen.browser), ("address", seen.address)],
    );
    warning(Kind::NewSignIn, c, subject, &lead, reset_link)
}

fn compose(
    kind: Kind,
    c: &Context<'_>,
    subject: String,
    lead: &str,
    (label, link): (&str, &str),
    after: &str,
) -> Outgoing {
    let text = format!("{lead}\n\n{link}\n\n{after}\n\n-- \n{}\n", c.product);
    let html = page(
        c,
        html! {
            p { (lead) }
            (button_to(label, link))
            p style="font-size:14px;color:#555" { (link) }
            @if !after.is_empty() { p { (after) } }
        },
    )
    .into_string();
    Outgoing {
        kind,
        to: c.to.to_string(),
        subject,
        text,
        html,
    }
}

fn button_to(label: &str, link: &str) -> Markup {
    html! {
        p {
            a href=(link) style="display:inline-block;padding:10px 18px;background:#2563eb;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600" { (label) }
        }
    }
}

fn page(c: &Context<'_>, body: Markup) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang=(c.lang.code()) {
            head { meta charset="utf-8"; title { (c.product) } }
            body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px" {
                (body)
                p style="font-size:13px;color:#666;border-top:1px solid #ddd;padding-top:12px" { (c.product) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(lang: Language) -> Context<'static> {
        Context {
            lang,
            product: "Acme Panel",
            to: "mia@example.com",
        }
    }

    #[test]
    fn a_reset_mail_carries_the_link_in_both_parts_and_names_the_product() {
        let m = password_reset(
            &ctx(Language::En),
            "https://panel.example/login/reset?token=abc",
        );
        assert_eq!(m.subject, "Reset your Acme Panel password");
        assert!(m
            .text
            .contains("https://panel.example/login/reset?token=abc"));
        assert!(m
            .html
            .contains("href=\"https://panel.example/login/reset?token=abc\""));
        assert!(m.text.contains("mia@example.com"));
        assert!(!m.html.contains("<img"), "no images, no tracking pixels");
    }

    #[test]
    fn mails_are_in_the_recipients_language() {
        let m = password_reset(&ctx(Language::De), "https://x.example/r");
        assert!(m.subject.contains("Passwort"), "{}", m.subject);
        let m = notice(
            Kind::PasswordChanged,
            &ctx(Language::Uk),
            "2026-12-04 10:00",
            "https://x.example/f",
        );
        assert!(m.subject.contains("Пароль"), "{}", m.subject);
        assert!(m.html.contains("lang=\"uk\""));
    }

    #[test]
    fn each_notice_says_what_changed_and_when() {
        let c = ctx(Language::En);
        let off = notice(
            Kind::TwoFactorOff,
            &c,
            "2026-12-04 10:00",
            "https://x.example/f",
        );
        assert!(off
            .subject
            .contains("Two-factor authentication was turned off"));
        assert!(off.text.contains("2026-12-04 10:00") && off.text.contains("https://x.example/f"));
        let codes = notice(
            Kind::RecoveryCodes,
            &c,
            "2026-12-04 10:00",
            "https://x.example/f",
        );
        assert!(codes.subject.contains("recovery codes"));
        assert_ne!(off.text, codes.text);
    }

    #[test]
    fn names_in_a_mail_are_escaped_in_html() {
        let c = Context {
            lang: Language::En,
            product: "<b>Acme</b>",
            to: "a\"<script>@example.com",
        };
        let m = password_reset(&c, "https://x.example/r?a=1&b=2");
        assert!(!m.html.contains("<b>Acme"));
        assert!(!m.html.contains("<script>"));
        assert!(m.html.contains("a=1&amp;b=2"));
    }
}
