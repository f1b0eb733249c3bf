//! Rules every stored text shares: no invisible formatting characters (bidi overrides
//! that make `Ann\u{202E}gnp.exe` read as `Annexe.png`, zero-width characters that make
//! two equal-looking names differ), and one Unicode form (NFC) so that `é` typed as one
//! character or as `e` + accent is the same name and the same email.

/// Unicode's format characters (general category Cf, Unicode 15): invisible, and
/// able to reorder or hide what is shown around them.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

pub fn is_invisible_format(c: char) -> bool {
    let c = c as u32;
    FORMAT.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

pub fn has_invisible_format(s: &str) -> bool {
    s.chars().any(is_invisible_format)
}

/// Whether `s` holds invisible formatting or control characters; line breaks and tabs
/// count only when `breaks` is false (free text keeps them, a one-line field does not).
pub fn has_hidden(s: &str, breaks: bool) -> bool {
    s.chars().any(|c| {
        (c.is_control() && !(breaks && matches!(c, '\n' | '\r' | '\t'))) || is_invisible_format(c)
    })
}

/// `s` in Unicode Normalization Form C. The server normalises; the browser's copy of the
/// rules leaves text as typed (the server's answer is the one stored).
pub fn nfc(s: &str) -> String {
    #[cfg(feature = "server")]
    {
        use unicode_normalization::UnicodeNormalization;
        s.nfc().collect()
    }
    #[cfg(not(feature = "server"))]
    {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_characters_are_found() {
        for s in [
            "Ann\u{202E}gnp.exe",
            "A\u{200B}nn",
            "\u{FEFF}Ann",
            "Ann\u{2066}",
            "An\u{00AD}n",
            "tag\u{E0041}",
        ] {
            assert!(has_invisible_format(s), "{s:?}");
        }
        for s in ["Ann", "O'Brien-Łukasz 李 🙂", "محمد", "שלום"] {
            assert!(!has_invisible_format(s), "{s:?}");
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn composed_and_decomposed_are_one() {
        assert_eq!(nfc("Jose\u{301}"), "Jos\u{e9}");
        assert_eq!(nfc("Jos\u{e9}"), "Jos\u{e9}");
    }
}
