//! `roster seed`: realistic demo and scale data — users with names, emails and phones from
//! several countries, clients with an owner and associated users.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::Rng;
use roster_core::security::crypto::SecretKey;
use roster_core::security::{passwords, totp};
use roster_data::bulk::{self, SeedClient, SeedLink, SeedUser};
use roster_data::{now, Db};
use roster_types::{ClientPermission, Password};
use uuid::Uuid;

const FIRST: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "Lucas",
    "Mia",
    "Mateo",
    "Amelia",
    "Levi",
    "Harper",
    "Ezra",
    "Evelyn",
    "James",
    "Luna",
    "Leo",
    "Anna",
    "Jakub",
    "Zofia",
    "Kacper",
    "Maja",
    "Olena",
    "Andriy",
    "Iryna",
    "Taras",
    "Sofiia",
    "Chloé",
    "Louis",
    "Léa",
    "Hugo",
    "Manon",
    "Lukas",
    "Lena",
    "Finn",
    "Mila",
    "Jonas",
    "Lucía",
    "Hugo",
    "Martina",
    "Pablo",
    "Carmen",
    "Diego",
    "Aisha",
    "Omar",
    "Yuki",
    "Haruto",
    "Priya",
    "Arjun",
    "Wei",
    "Mei",
    "Santiago",
    "Valentina",
    "Kwame",
    "Amara",
    "Nikos",
    "Eleni",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Shevchenko",
    "Kovalenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Moreau",
    "Laurent",
    "Bernard",
    "Dubois",
    "Lefebvre",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Fernández",
    "González",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Díaz",
    "O'Brien",
    "MacDonald",
    "Nakamura",
    "Tanaka",
    "Patel",
    "Sharma",
    "Chen",
    "Wang",
    "Okafor",
    "Mensah",
    "Papadopoulos",
];

const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "hosting.example",
    "webshop.example",
    "agency.example",
    "studio.example",
];

const COMPANY_WORDS: &[&str] = &[
    "Blue", "North", "Bright", "Pixel", "Cloud", "Harbor", "Summit", "Cedar", "Nova", "Atlas",
    "Orbit", "Maple", "Delta", "Lumen", "Vertex", "Signal", "Copper", "Willow", "Granite", "Echo",
];
const COMPANY_KINDS: &[&str] = &[
    "Hosting", "Media", "Labs", "Digital", "Studio", "Systems", "Web", "Networks", "Commerce",
    "Works",
];
const COMPANY_FORMS: &[&str] = &["Ltd", "GmbH", "Sp. z o.o.", "SAS", "S.L.", "LLC", "TOV"];

const LANGS: &[&str] = &["en", "en", "en", "uk", "pl", "fr", "de", "es"];

/// Users per statement and statements per transaction: large enough to amortise the
/// round trips, small enough for SQLite's parameter limit.
const BATCH: usize = 500;
const PER_TX: usize = 20;

/// A phone number valid in its country's plan, unique for each `n` below 10^7.
/// (UK mobiles 07700 9xxxxx, Ukrainian +380 50, Polish +48 60x.)
fn phone(n: u64) -> String {
    // A bijection of 0..10^7 (7 is coprime with 10), so consecutive users do not get
    // consecutive numbers.
    let m = (n * 7_654_321 + 1_234_567) % 10_000_000;
    match n % 3 {
        0 => format!("+44779{m:07}"),
        1 => format!("+38050{m:07}"),
        _ => format!("+4860{:07}", m % 10_000_000),
    }
}

/// Rows written a batch at a time, `PER_TX` batches to a transaction (or all in one), with
/// a progress bar.
struct Batches<'a> {
    db: &'a Db,
    tx: Option<roster_data::Tx>,
    batches: usize,
    done: u64,
    pb: ProgressBar,
    one_transaction: bool,
}

impl<'a> Batches<'a> {
    async fn start(db: &'a Db, len: u64, what: &str) -> anyhow::Result<Batches<'a>> {
        let tx = Some(begin(db).await?);
        let pb = bar(len, what);
        Ok(Batches {
            db,
            tx,
            batches: 0,
            done: 0,
            pb,
            one_transaction: false,
        })
    }

    /// The open transaction (there always is one until `finish`).
    fn tx(&mut self) -> anyhow::Result<&mut roster_data::Tx> {
        self.tx.as_mut().context("no open transaction")
    }

    /// A batch of `n` rows was written: commit every `PER_TX` batches (on SQLite the next
    /// transaction can only begin once this one has let go of the write lock).
    async fn wrote(&mut self, n: u64) -> anyhow::Result<()> {
        self.done += n;
        self.batches += 1;
        self.pb.set_position(self.done);
        if !self.one_transaction && self.batches.is_multiple_of(PER_TX) {
            if let Some(tx) = self.tx.take() {
                tx.commit().await?;
            }
            self.tx = Some(begin(self.db).await?);
        }
        Ok(())
    }

    async fn finish(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.pb.finish();
        Ok(())
    }
}

async fn begin(db: &Db) -> anyhow::Result<roster_data::Tx> {
    let mut tx = db.begin().await?;
    bulk::for_bulk(&mut tx).await?;
    Ok(tx)
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what:>8} [{{bar:40}}] {{pos}}/{{len}} ({{per_sec}}, {{eta}} left) {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    pb
}

/// `first.last` as an email's local part: accents and other scripts transliterated
/// (Pérez → perez, Wójcik → wojcik, Müller → muller), anything else dropped.
fn email_local_part(first: &str, last: &str) -> String {
    let ascii = deunicode::deunicode(&format!("{first}.{last}")).to_lowercase();
    ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect()
}

/// The `k`-th seeded user: a name from the lists, an email numbered by `k` (unique), made
/// `k` × 90 s after `base_time`.
fn fake_user(
    rng: &mut impl Rng,
    k: u64,
    base_time: chrono::DateTime<chrono::Utc>,
    key: &SecretKey,
) -> SeedUser {
    let first = FIRST[rng.gen_range(0..FIRST.len())];
    let last = LAST[rng.gen_range(0..LAST.len())];
    let domain = DOMAINS[rng.gen_range(0..DOMAINS.len())];
    let local = email_local_part(first, last);
    let created = base_time + chrono::Duration::seconds((k as i64) * 90 + rng.gen_range(0..60));
    let status = match rng.gen_range(0..100) {
        0..=9 => "NEW",
        10..=17 => "INACTIVE",
        _ => "ACTIVE",
    };
    // Of those 2FA is switched on for, most have enrolled (on), the rest not yet
    // (pending). One NEW user in five is invited; three in a thousand are locked: the
    // filters' rare kinds.
    let two_factor = rng.gen_bool(0.35);
    let enrolled = two_factor && status != "NEW" && rng.gen_bool(0.7);
    let invited = status == "NEW" && rng.gen_bool(0.2);
    let locked = !invited && rng.gen_bool(0.003);
    SeedUser {
        id: Uuid::new_v4(),
        email: format!("{local}.{k}@{domain}"),
        first_name: first.to_string(),
        last_name: last.to_string(),
        phone: (rng.gen_range(0..10) > 0).then(|| phone(k)),
        language: LANGS[rng.gen_range(0..LANGS.len())],
        status,
        email_verified: status != "NEW" || rng.gen_bool(0.3),
        two_factor,
        created_at: created.min(now()),
        last_sign_in_at: (status != "NEW")
            .then(|| now() - chrono::Duration::minutes(rng.gen_range(5..200_000))),
        totp_secret: enrolled.then(|| key.encrypt(&totp::new_secret())),
        invited,
        locked_until: locked.then(|| now() + chrono::Duration::hours(rng.gen_range(1..72))),
    }
}

/// `key` seals the seeded users' 2FA secrets, as the server's key would.
pub async fn run(
    db: &Db,
    users: u64,
    clients: u64,
    owner: Option<Uuid>,
    key: SecretKey,
) -> anyhow::Result<()> {
    // One real argon2id hash of a random password, shared by the seeded users: hashing a
    // million passwords one by one would take days.
    let plain: String = {
        let mut r = rand::thread_rng();
        (0..4)
            .map(|_| {
                *[
                    "amber", "falcon", "quiet", "river", "copper", "lantern", "meadow", "violet",
                    "tractor", "summit",
                ]
                .choose(&mut r)
                .unwrap_or(&"x")
            })
            .collect::<Vec<_>>()
            .join("-")
            + &format!("-{}", r.gen_range(100..1000))
    };
    let password = Password::parse(&plain)
        .map_err(|e| anyhow::anyhow!("generated demo password refused: {e}"))?;
    let hash = passwords::hash(&password)
        .await
        .context("hashing the demo password")?;

    let start = bulk::user_count(db).await? as u64;
    let t0 = std::time::Instant::now();
    let mut rng = rand::thread_rng();
    let mut w = Batches::start(db, users, "users").await?;
    // A load larger than the table (and large at all) on PostgreSQL: one transaction, the
    // secondary indexes dropped and built again at the end (`bulk::drop_indexes`).
    let rebuild = if users >= 50_000 && users >= start {
        bulk::drop_indexes(w.tx()?, "users", &bulk::REBUILT_USER_INDEXES).await?
    } else {
        vec![]
    };
    w.one_transaction = !rebuild.is_empty();
    // The rows are made on a thread of their own, a batch ahead: the database writes one
    // batch while the next is made (two cores: the load's time is the database's alone).
    let (batches, mut made) = tokio::sync::mpsc::channel::<Vec<SeedUser>>(2);
    let maker = tokio::task::spawn_blocking(move || {
        let mut rng = rand::thread_rng();
        let base_time = now() - chrono::Duration::days(3 * 365);
        let mut done = 0;
        while done < users {
            let n = (users - done).min(BATCH as u64);
            let rows: Vec<SeedUser> = (0..n)
                .map(|i| fake_user(&mut rng, start + done + i, base_time, &key))
                .collect();
            done += n;
            if batches.blocking_send(rows).is_err() {
                return;
            }
        }
    });
    while let Some(rows) = made.recv().await {
        let n = rows.len() as u64;
        bulk::insert_users(w.tx()?, &rows, &hash).await?;
        w.wrote(n).await?;
    }
    maker.await.context("making the users")?;
    if !rebuild.is_empty() {
        w.pb.set_message("building indexes");
        bulk::create_indexes(w.tx()?, &rebuild).await?;
    }
    w.finish().await?;

    if clients > 0 {
        let pool = match owner {
            Some(id) => vec![id],
            None => bulk::some_user_ids(db, (users.max(1) as i64).min(200_000)).await?,
        };
        anyhow::ensure!(
            !pool.is_empty(),
            "clients need users: seed some with --users"
        );
        let existing = bulk::client_count(db).await? as u64;
        let mut w = Batches::start(db, clients, "clients").await?;
        // As for users: a large load on PostgreSQL in one transaction, indexes built after.
        let rebuild = if clients >= 50_000 && clients >= existing {
            bulk::drop_indexes(w.tx()?, "clients", &bulk::REBUILT_CLIENT_INDEXES).await?
        } else {
            vec![]
        };
        w.one_transaction = !rebuild.is_empty();
        if w.one_transaction {
            bulk::pause_link_counts(w.tx()?).await?;
        }
        let tax_base: u64 = rng.gen_range(0..1_000_000_000);
        while w.done < clients {
            let done = w.done;
            let n = (clients - done).min(BATCH as u64 / 2);
            let mut cs = Vec::with_capacity(n as usize);
            let mut links = Vec::new();
            for i in 0..n {
                let id = Uuid::new_v4();
                let owner = pool[rng.gen_range(0..pool.len())];
                let company = format!(
                    "{} {} {}",
                    COMPANY_WORDS[rng.gen_range(0..COMPANY_WORDS.len())],
                    COMPANY_KINDS[rng.gen_range(0..COMPANY_KINDS.len())],
                    COMPANY_FORMS[rng.gen_range(0..COMPANY_FORMS.len())]
                );
                cs.push(SeedClient {
                    id,
                    first_name: FIRST[rng.gen_range(0..FIRST.len())].to_string(),
                    last_name: LAST[rng.gen_range(0..LAST.len())].to_string(),
                    company_name: company,
                    tax_id: rng
                        .gen_bool(0.8)
                        .then(|| format!("TX{:010}", tax_base + done + i)),
                    status: match rng.gen_range(0..20) {
                        0 => "CLOSED",
                        1 | 2 => "INACTIVE",
                        _ => "ACTIVE",
                    },
                    created_at: now() - chrono::Duration::days(rng.gen_range(0..900)),
                });
                links.push(SeedLink {
                    user_id: owner,
                    client_id: id,
                    owner: true,
                    permissions: String::new(),
                });
                let mut members: Vec<Uuid> = (0..rng.gen_range(0..4))
                    .map(|_| pool[rng.gen_range(0..pool.len())])
                    .filter(|u| *u != owner)
                    .collect();
                members.sort();
                members.dedup();
                for m in members {
                    let mut perms: Vec<&str> = ClientPermission::ALL
                        .iter()
                        .filter(|_| rng.gen_bool(0.4))
                        .map(|p| p.code())
                        .collect();
                    if perms.is_empty() {
                        perms.push(ClientPermission::ManageSupportTickets.code());
                    }
                    links.push(SeedLink {
                        user_id: m,
                        client_id: id,
                        owner: false,
                        permissions: perms.join(","),
                    });
                }
            }
            bulk::insert_clients(w.tx()?, &cs).await?;
            for chunk in links.chunks(BATCH) {
                bulk::insert_links(w.tx()?, chunk).await?;
            }
            w.wrote(n).await?;
        }
        if !rebuild.is_empty() {
            w.pb.set_message("building indexes");
            bulk::resume_link_counts(w.tx()?).await?;
            bulk::create_indexes(w.tx()?, &rebuild).await?;
        }
        w.finish().await?;
    }
    bulk::analyze(db).await?;
    println!(
        "Seeded {users} users and {clients} clients in {:.1?} ({} database). Seeded users share the password: {plain}",
        t0.elapsed(),
        db.engine()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{email_local_part, phone, FIRST, LAST};

    #[test]
    fn seeded_emails_spell_accented_names_in_plain_letters() {
        assert_eq!(email_local_part("Eleni", "Pérez"), "eleni.perez");
        assert_eq!(email_local_part("Iryna", "Wójcik"), "iryna.wojcik");
        assert_eq!(email_local_part("Chloé", "O'Brien"), "chloe.obrien");
        for first in FIRST {
            for last in LAST {
                let local = email_local_part(first, last);
                let email = format!("{local}.7@example.com");
                assert!(roster_types::Email::parse(&email).is_ok(), "{email}");
                assert!(
                    !local.contains('x') || format!("{first}{last}").to_lowercase().contains('x'),
                    "{first} {last}: {local}"
                );
            }
        }
    }

    #[test]
    fn phones_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..3000 {
            let p = phone(n);
            assert!(
                roster_types::Phone::parse(&p).unwrap().is_some(),
                "{p} should be a valid number"
            );
            assert!(seen.insert(p));
        }
    }
}
