//! The words of `/login` and `/account` in the user's Language. English is the message
//! id (gettext style): a string without a translation shows in English, so the languages
//! not yet translated (Polski, Français, Español) fall back to it. Ukrainian and German are
//! complete: every row has both, and a test checks that every string those pages pass to
//! `t` has its row. Messages that come from the server (field errors, refusals) are looked
//! up the same way, so they follow the page's language too.

use roster_types::{AppError, Language};

/// English, Ukrainian, German.
const CATALOG: &[(&str, &str, &str)] = &[
    // sign-in
    ("Sign in", "Увійти", "Anmelden"),
    ("Staff sign-in", "Вхід для персоналу", "Anmeldung für Mitarbeiter"),
    ("Email", "Електронна пошта", "E-Mail"),
    ("Password", "Пароль", "Passwort"),
    ("Two-factor authentication", "Двофакторна автентифікація", "Zwei-Faktor-Authentifizierung"),
    (
        "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
        "Введіть 6-значний код із застосунку автентифікації або один із кодів відновлення.",
        "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.",
    ),
    ("Authentication code", "Код автентифікації", "Authentifizierungscode"),
    ("Verify", "Підтвердити", "Bestätigen"),
    (
        "Set up two-factor authentication",
        "Налаштуйте двофакторну автентифікацію",
        "Zwei-Faktor-Authentifizierung einrichten",
    ),
    (
        "Two-factor authentication is required for staff. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.",
        "Для персоналу двофакторна автентифікація обов'язкова. Відскануйте цей QR-код застосунком автентифікації (або введіть ключ), а потім введіть код, який він покаже.",
        "Für Mitarbeiter ist die Zwei-Faktor-Authentifizierung vorgeschrieben. Scannen Sie diesen QR-Code mit einer Authenticator-App (oder geben Sie den Schlüssel ein) und geben Sie dann den angezeigten Code ein.",
    ),
    (
        "Two-factor authentication is on for your account. Scan this QR code with an authenticator app (or type the key), then enter the code it shows.",
        "Для вашого облікового запису увімкнено двофакторну автентифікацію. Відскануйте цей QR-код застосунком автентифікації (або введіть ключ), а потім введіть код, який він покаже.",
        "Für Ihr Konto ist die Zwei-Faktor-Authentifizierung aktiviert. Scannen Sie diesen QR-Code mit einer Authenticator-App (oder geben Sie den Schlüssel ein) und geben Sie dann den angezeigten Code ein.",
    ),
    (
        "Scan this QR code with an authenticator app (or type the key), then enter the code it shows.",
        "Відскануйте цей QR-код застосунком автентифікації (або введіть ключ), а потім введіть код, який він покаже.",
        "Scannen Sie diesen QR-Code mit einer Authenticator-App (oder geben Sie den Schlüssel ein) und geben Sie dann den angezeigten Code ein.",
    ),
    ("QR code for your authenticator app", "QR-код для застосунку автентифікації", "QR-Code für Ihre Authenticator-App"),
    ("Key:", "Ключ:", "Schlüssel:"),
    ("Confirm and sign in", "Підтвердити та увійти", "Bestätigen und anmelden"),
    ("Save your recovery codes", "Збережіть коди відновлення", "Speichern Sie Ihre Wiederherstellungscodes"),
    (
        "If you lose your authenticator app, each of these codes signs you in once. They are shown only now: write them down or keep them in a password manager.",
        "Якщо ви втратите застосунок автентифікації, кожен із цих кодів дозволить увійти один раз. Їх показано лише зараз: запишіть їх або збережіть у менеджері паролів.",
        "Falls Sie Ihre Authenticator-App verlieren, meldet Sie jeder dieser Codes einmal an. Sie werden nur jetzt angezeigt: Schreiben Sie sie auf oder bewahren Sie sie in einem Passwort-Manager auf.",
    ),
    ("Recovery codes", "Коди відновлення", "Wiederherstellungscodes"),
    ("Download", "Завантажити", "Herunterladen"),
    ("I have saved them — continue", "Я їх зберіг — продовжити", "Ich habe sie gespeichert – weiter"),
    // refusals and errors the server sends
    ("Email or password is incorrect.", "Неправильна електронна пошта або пароль.", "E-Mail oder Passwort ist falsch."),
    (
        "That code is not valid. Check your authenticator app's clock and try the current code.",
        "Цей код недійсний. Перевірте годинник застосунку автентифікації та введіть поточний код.",
        "Dieser Code ist ungültig. Prüfen Sie die Uhr Ihrer Authenticator-App und geben Sie den aktuellen Code ein.",
    ),
    (
        "That code was already used. Wait for the next code and enter it.",
        "Цей код уже використано. Дочекайтеся наступного коду та введіть його.",
        "Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code und geben Sie ihn ein.",
    ),
    (
        "Too many failed attempts. Sign-in is paused for this account; try again later.",
        "Забагато невдалих спроб. Вхід до цього облікового запису призупинено; спробуйте пізніше.",
        "Zu viele Fehlversuche. Die Anmeldung für dieses Konto ist vorübergehend gesperrt; versuchen Sie es später erneut.",
    ),
    (
        "This account is inactive. Contact an administrator.",
        "Цей обліковий запис неактивний. Зверніться до адміністратора.",
        "Dieses Konto ist inaktiv. Wenden Sie sich an einen Administrator.",
    ),
    (
        "This account's email address is not verified yet. Contact an administrator.",
        "Адресу електронної пошти цього облікового запису ще не підтверджено. Зверніться до адміністратора.",
        "Die E-Mail-Adresse dieses Kontos ist noch nicht bestätigt. Wenden Sie sich an einen Administrator.",
    ),
    (
        "Your sign-in took too long. Start again with your email and password.",
        "Вхід тривав надто довго. Почніть знову з електронної пошти та пароля.",
        "Ihre Anmeldung hat zu lange gedauert. Beginnen Sie erneut mit E-Mail und Passwort.",
    ),
    ("Email is required.", "Вкажіть електронну пошту.", "E-Mail ist erforderlich."),
    ("Password is required.", "Вкажіть пароль.", "Passwort ist erforderlich."),
    (
        "Enter the 6-digit code from your authenticator app.",
        "Введіть 6-значний код із застосунку автентифікації.",
        "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.",
    ),
    ("The code is 6 digits, like 123 456.", "Код складається з 6 цифр, наприклад 123 456.", "Der Code hat 6 Ziffern, z. B. 123 456."),
    (
        "Enter the 6-digit code from your app, or a recovery code like abcde-12345.",
        "Введіть 6-значний код із застосунку або код відновлення на кшталт abcde-12345.",
        "Geben Sie den 6-stelligen Code aus Ihrer App oder einen Wiederherstellungscode wie abcde-12345 ein.",
    ),
    (
        "You are not signed in, or your session has ended. Sign in again.",
        "Ви не ввійшли або ваш сеанс завершився. Увійдіть знову.",
        "Sie sind nicht angemeldet oder Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.",
    ),
    ("Some fields need attention.", "Деякі поля потребують уваги.", "Einige Felder müssen korrigiert werden."),
    ("That is not your current password.", "Це не ваш поточний пароль.", "Das ist nicht Ihr aktuelles Passwort."),
    ("Password must be at least 12 characters.", "Пароль має містити щонайменше 12 символів.", "Das Passwort muss mindestens 12 Zeichen lang sein."),
    ("Password must be at most 128 characters.", "Пароль має містити не більше 128 символів.", "Das Passwort darf höchstens 128 Zeichen lang sein."),
    (
        "This password is too easy to guess. Use a longer phrase of unrelated words, or generate one.",
        "Цей пароль надто легко вгадати. Використайте довшу фразу з не пов'язаних слів.",
        "Dieses Passwort ist zu leicht zu erraten. Verwenden Sie einen längeren Satz aus unzusammenhängenden Wörtern.",
    ),
    ("Firstname is required.", "Вкажіть ім'я.", "Vorname ist erforderlich."),
    ("Lastname is required.", "Вкажіть прізвище.", "Nachname ist erforderlich."),
    ("Firstname must be at most 100 characters.", "Ім'я має містити не більше 100 символів.", "Der Vorname darf höchstens 100 Zeichen lang sein."),
    ("Lastname must be at most 100 characters.", "Прізвище має містити не більше 100 символів.", "Der Nachname darf höchstens 100 Zeichen lang sein."),
    (
        "Firstname cannot contain line breaks, tabs or other control characters.",
        "Ім'я не може містити розривів рядків, табуляцій чи інших керівних символів.",
        "Der Vorname darf keine Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen enthalten.",
    ),
    (
        "Lastname cannot contain line breaks, tabs or other control characters.",
        "Прізвище не може містити розривів рядків, табуляцій чи інших керівних символів.",
        "Der Nachname darf keine Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen enthalten.",
    ),
    (
        "Start with + and the country code, like +44 20 7946 0958.",
        "Почніть із + і коду країни, наприклад +44 20 7946 0958.",
        "Beginnen Sie mit + und der Ländervorwahl, z. B. +44 20 7946 0958.",
    ),
    (
        "A phone number with its country code has 8 to 15 digits.",
        "Номер телефону з кодом країни містить від 8 до 15 цифр.",
        "Eine Telefonnummer mit Ländervorwahl hat 8 bis 15 Ziffern.",
    ),
    (
        "This is not a valid phone number for its country code.",
        "Це недійсний номер телефону для цього коду країни.",
        "Dies ist keine gültige Telefonnummer für diese Ländervorwahl.",
    ),
    (
        "Another user already has this phone number.",
        "Цей номер телефону вже має інший користувач.",
        "Ein anderer Benutzer hat bereits diese Telefonnummer.",
    ),
    ("Choose one of the listed languages.", "Виберіть одну з мов у списку.", "Wählen Sie eine der aufgeführten Sprachen."),
    // /account
    ("Your account", "Ваш обліковий запис", "Ihr Konto"),
    ("Sign out", "Вийти", "Abmelden"),
    ("Loading…", "Завантаження…", "Wird geladen…"),
    ("Your clients", "Ваші клієнти", "Ihre Kunden"),
    (
        "You are not associated with any client yet. Ask your administrator to add you under Clients → Users.",
        "Вас ще не пов'язано з жодним клієнтом. Попросіть адміністратора додати вас у розділі «Клієнти → Користувачі».",
        "Sie sind noch keinem Kunden zugeordnet. Bitten Sie Ihren Administrator, Sie unter Kunden → Benutzer hinzuzufügen.",
    ),
    ("What you may do for", "Що ви можете робити для", "Was Sie tun dürfen für"),
    ("Modify master profile", "Змінювати основний профіль", "Stammprofil ändern"),
    ("Manage users", "Керувати користувачами", "Benutzer verwalten"),
    ("Manage services", "Керувати послугами", "Dienste verwalten"),
    ("Manage domains", "Керувати доменами", "Domains verwalten"),
    ("Manage invoices", "Керувати рахунками", "Rechnungen verwalten"),
    ("Manage support tickets", "Керувати зверненнями до підтримки", "Support-Tickets verwalten"),
    ("Manage affiliate", "Керувати партнерською програмою", "Partnerprogramm verwalten"),
    ("Manage orders", "Керувати замовленнями", "Bestellungen verwalten"),
    ("Profile", "Профіль", "Profil"),
    ("Firstname", "Ім'я", "Vorname"),
    ("Lastname", "Прізвище", "Nachname"),
    ("Phone Number", "Номер телефону", "Telefonnummer"),
    ("Language", "Мова", "Sprache"),
    (
        "Your email address is your sign-in; an administrator can change it.",
        "Ваша адреса електронної пошти — це ваш логін; змінити її може адміністратор.",
        "Ihre E-Mail-Adresse ist Ihr Anmeldename; ein Administrator kann sie ändern.",
    ),
    ("Save profile", "Зберегти профіль", "Profil speichern"),
    ("Profile saved.", "Профіль збережено.", "Profil gespeichert."),
    ("Change password", "Змінити пароль", "Passwort ändern"),
    ("Current password", "Поточний пароль", "Aktuelles Passwort"),
    ("New password", "Новий пароль", "Neues Passwort"),
    (
        "Password changed. Your other sessions were signed out.",
        "Пароль змінено. Інші ваші сеанси завершено.",
        "Passwort geändert. Ihre anderen Sitzungen wurden abgemeldet.",
    ),
    ("On", "Увімкнено", "Ein"),
    ("Off", "Вимкнено", "Aus"),
    ("Recovery codes left:", "Залишилось кодів відновлення:", "Verbleibende Wiederherstellungscodes:"),
    (
        "Your administrator requires two-factor authentication for your account; only they can turn it off.",
        "Адміністратор вимагає двофакторну автентифікацію для вашого облікового запису; вимкнути її може лише він.",
        "Ihr Administrator verlangt die Zwei-Faktor-Authentifizierung für Ihr Konto; nur er kann sie ausschalten.",
    ),
    (
        "Add a second step to your sign-in: a code from an authenticator app on your phone.",
        "Додайте другий крок до входу: код із застосунку автентифікації на телефоні.",
        "Ergänzen Sie Ihre Anmeldung um einen zweiten Schritt: einen Code aus einer Authenticator-App auf Ihrem Telefon.",
    ),
    ("Two-factor authentication is already on.", "Двофакторну автентифікацію вже увімкнено.", "Die Zwei-Faktor-Authentifizierung ist bereits eingeschaltet."),
    ("Set up", "Налаштувати", "Einrichten"),
    ("Turn off two-factor authentication", "Вимкнути двофакторну автентифікацію", "Zwei-Faktor-Authentifizierung ausschalten"),
    ("New recovery codes", "Нові коди відновлення", "Neue Wiederherstellungscodes"),
    (
        "Enter your current password to confirm.",
        "Введіть поточний пароль для підтвердження.",
        "Geben Sie zur Bestätigung Ihr aktuelles Passwort ein.",
    ),
    ("Cancel", "Скасувати", "Abbrechen"),
    ("Confirm", "Підтвердити", "Bestätigen"),
    (
        "Two-factor authentication is off.",
        "Двофакторну автентифікацію вимкнено.",
        "Die Zwei-Faktor-Authentifizierung ist ausgeschaltet.",
    ),
    (
        "New recovery codes made; the old ones no longer work.",
        "Створено нові коди відновлення; старі більше не діють.",
        "Neue Wiederherstellungscodes erstellt; die alten gelten nicht mehr.",
    ),
    ("Where you are signed in", "Де ви ввійшли", "Wo Sie angemeldet sind"),
    ("Sign out everywhere else", "Вийти на всіх інших пристроях", "Überall sonst abmelden"),
    ("No signed-in sessions.", "Немає активних сеансів.", "Keine angemeldeten Sitzungen."),
    ("This browser", "Цей браузер", "Dieser Browser"),
    ("End", "Завершити", "Beenden"),
    ("End session", "Завершити сеанс", "Sitzung beenden"),
    ("signed in", "вхід", "angemeldet"),
    ("last seen", "остання активність", "zuletzt aktiv"),
];

/// `en` in `lang`, or `en` itself when there is no translation.
pub fn t(lang: Language, en: &'static str) -> &'static str {
    lookup(lang, en).unwrap_or(en)
}

/// A message that came from elsewhere (the server), translated when the catalog has it.
pub fn t_owned(lang: Language, en: &str) -> String {
    lookup(lang, en).map_or_else(|| en.to_string(), str::to_string)
}

fn lookup(lang: Language, en: &str) -> Option<&'static str> {
    let pick = match lang {
        Language::Uk => |row: &(&str, &'static str, &'static str)| row.1,
        Language::De => |row: &(&str, &'static str, &'static str)| row.2,
        _ => return None,
    };
    CATALOG.iter().find(|row| row.0 == en).map(pick)
}

/// An error as the page shows it, in `lang`.
pub fn error_text(lang: Language, e: &AppError) -> String {
    match (lang, e) {
        (Language::Uk, AppError::RateLimited { retry_after_secs }) => {
            format!("Забагато спроб. Спробуйте знову через {retry_after_secs} с.")
        }
        (Language::De, AppError::RateLimited { retry_after_secs }) => {
            format!("Zu viele Versuche. Versuchen Sie es in {retry_after_secs} Sekunden erneut.")
        }
        (Language::Uk, AppError::Busy { retry_after_secs }) => {
            format!("Сервер зайнятий. Спробуйте знову через {retry_after_secs} с.")
        }
        (Language::De, AppError::Busy { retry_after_secs }) => {
            format!("Der Server ist ausgelastet. Versuchen Sie es in {retry_after_secs} Sekunden erneut.")
        }
        _ => t_owned(lang, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_types::{ClientPermission, SignInRefusal};

    /// Every `t(l, "…")` literal in the translated pages, found in their source.
    fn literals(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = src;
        while let Some(i) = rest.find("t(l, \"") {
            rest = &rest[i + 6..];
            let end = rest.find('"').expect("closing quote");
            out.push(rest[..end].to_string());
        }
        out
    }

    #[test]
    fn every_string_of_the_translated_pages_is_in_the_catalog() {
        let pages = [
            include_str!("auth/login.rs"),
            include_str!("account/page.rs"),
            include_str!("account/two_factor.rs"),
            include_str!("account/profile.rs"),
            include_str!("common/sessions.rs"),
            include_str!("common/password_change.rs"),
        ];
        let mut seen = 0;
        for src in pages {
            for s in literals(src) {
                assert!(
                    lookup(Language::Uk, &s).is_some(),
                    "no translation for {s:?}"
                );
                seen += 1;
            }
        }
        assert!(
            seen > 40,
            "only {seen} strings found: has the t(l, …) call form changed?"
        );
    }

    #[test]
    fn server_messages_the_user_sees_are_translated() {
        for r in [
            SignInRefusal::BadCredentials,
            SignInRefusal::WrongCode,
            SignInRefusal::CodeReused,
            SignInRefusal::Locked,
            SignInRefusal::Inactive,
            SignInRefusal::EmailNotVerified,
            SignInRefusal::StepExpired,
        ] {
            assert!(lookup(Language::De, r.message()).is_some(), "{r:?}");
        }
        for p in ClientPermission::ALL {
            assert!(lookup(Language::Uk, p.label()).is_some(), "{p:?}");
        }
        assert_eq!(
            error_text(
                Language::De,
                &AppError::RateLimited {
                    retry_after_secs: 7
                }
            ),
            "Zu viele Versuche. Versuchen Sie es in 7 Sekunden erneut."
        );
    }

    #[test]
    fn untranslated_languages_fall_back_to_english() {
        assert_eq!(t(Language::Uk, "Sign in"), "Увійти");
        assert_eq!(t(Language::Pl, "Sign in"), "Sign in");
        assert_eq!(t(Language::De, "not in the catalog"), "not in the catalog");
        let mut ids: Vec<&str> = CATALOG.iter().map(|r| r.0).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CATALOG.len(), "a message id appears twice");
    }
}
