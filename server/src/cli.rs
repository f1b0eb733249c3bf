//! The `roster` command line. Every setting is also an environment variable.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "roster",
    version,
    about = "Roster — users, clients and access for a hosting control panel"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options every command shares (the app's own `Settings` are made from them).
#[derive(Args, Debug, Clone)]
pub struct Options {
    /// Database: sqlite://PATH (default: roster.db in the data directory) or postgres://…
    #[arg(long, env = "ROSTER_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Where Roster keeps its files (SQLite database, secret key).
    #[arg(long, env = "ROSTER_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Address and port to listen on.
    #[arg(
        long,
        env = "ROSTER_BIND",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub bind: SocketAddr,

    /// Require staff to use two-factor authentication.
    #[arg(long, env = "ROSTER_REQUIRE_STAFF_2FA", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub require_staff_2fa: bool,

    /// Sign-in attempts allowed per client address and minute (20: plenty for people, slow
    /// for guessing; the per-account lockout stops guessing one account from many addresses).
    #[arg(
        long,
        env = "ROSTER_SIGN_IN_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub sign_in_per_minute: u32,

    /// 64 hex characters that encrypt TOTP secrets at rest. Default: generated once into
    /// DATA_DIR/secret.key.
    #[arg(long, env = "ROSTER_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,

    /// The address people use to reach Roster (links in the log; https:// makes cookies
    /// Secure and __Host- prefixed, and sends HSTS).
    #[arg(long, env = "ROSTER_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For or
    /// Forwarded header names the client. Empty: the connection's address is the client.
    #[arg(
        long,
        env = "ROSTER_TRUSTED_PROXIES",
        default_value = "",
        global = true
    )]
    pub trusted_proxies: String,

    /// The SMTP server mail goes through: smtp://user:pass@host:587?tls=required (STARTTLS),
    /// smtps://user:pass@host:465 (TLS), smtp://host:25 (no TLS, a local relay). Unset:
    /// mails are kept for staff to read on the Mail page.
    #[arg(long, env = "ROSTER_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The From of every mail.
    #[arg(
        long,
        env = "ROSTER_MAIL_FROM",
        default_value = "Roster <roster@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// The product name mails and pages use.
    #[arg(
        long,
        env = "ROSTER_PRODUCT_NAME",
        default_value = "Roster",
        global = true
    )]
    pub product_name: String,

    /// Seconds before a mail that could not be delivered is tried again (doubling with
    /// each further attempt, up to an hour).
    #[arg(
        long,
        env = "ROSTER_MAIL_RETRY_SECS",
        default_value_t = 30,
        global = true
    )]
    pub mail_retry_secs: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the database with realistic demo users, clients and associations.
    Seed {
        /// How many users to add.
        #[arg(long, default_value_t = 1000)]
        users: u64,
        /// How many clients to add (each with an owner and up to three associated users).
        #[arg(long, default_value_t = 100)]
        clients: u64,
        /// Make this user (UUID) the owner of every client added, with no other users.
        #[arg(long)]
        owner: Option<uuid::Uuid>,
    },
    /// Measure the server over HTTP against the configured database.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The server key that encrypts TOTP secrets.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Import from a CSV file.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Users from a CSV file whose first line names the columns (email, first_name,
    /// last_name, phone, language, admin_notes, client_tax_id, permissions). Without
    /// --commit, a dry run: what each row would do, nothing written. New users are invited
    /// (INACTIVE without a mail server); existing emails get the filled cells.
    Users {
        file: PathBuf,
        /// Write the changes (after reading the dry run's report).
        #[arg(long)]
        commit: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Re-encrypt every TOTP secret under a new key, in one transaction, and write the new
    /// key to DATA_DIR/secret.key (the old one is kept as secret.key.old). With
    /// ROSTER_SECRET_KEY set, the new key is printed instead, to put in its place.
    Rotate,
}

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Create a staff member (with every permission unless --permissions says otherwise).
    Create {
        #[arg(long)]
        email: String,
        /// Comma-separated staff permissions, e.g. users-view,clients-view. Default: all.
        #[arg(long, value_delimiter = ',')]
        permissions: Vec<String>,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Do not require this staff member to enrol two-factor. Only allowed with
        /// ROSTER_REQUIRE_STAFF_2FA=false.
        #[arg(long)]
        no_2fa: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// The first visit's bytes, page and JSON throughput beside /healthz, and the list
    /// while sign-ins hash; from the built site (run after `cargo leptos build --release`).
    Http {
        /// Seconds of load for each of the page, the JSON list and /healthz.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Search latency of /api/users/list, end to end, beside a plain LIKE scan.
    Search {
        /// Requests per query kind.
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Plain-scan runs per query kind (each scans the whole table).
        #[arg(long, default_value_t = 20)]
        baseline: usize,
        /// Only the kinds whose name holds this (any case): `--only "phone digits"`.
        #[arg(long)]
        only: Option<String>,
    },
}
