//! The users CSV import: read rows, plan each one (create, update, unchanged, refused) and,
//! on commit, do exactly the plan, each row with its events (100 rows a transaction, each
//! row undone alone when it fails).
//! Idempotent by email: the same file again changes nothing.

use crate::users::{insert_new, NewRow};
use crate::Acting;
use roster_data::accounts::{self, Principal};
use roster_data::{clients as client_rows, users};
use roster_types::import::{columns, Column, ImportRow, RowReport, RowResult, ROWS_PER_REQUEST};
use roster_types::user_form::ValidUser;
use roster_types::users::{UserDetail, UserStatus};
use roster_types::{msg, AppError, ClientPermission, Email, FieldError, FormMode, UserForm};
use std::collections::HashSet;
use uuid::Uuid;

/// A CSV file read in batches: the header first, then rows with their line numbers.
pub struct ReadRows<R: std::io::Read> {
    reader: csv::Reader<R>,
    columns: Vec<Column>,
    /// The file's line of the first row (after the header), for a slice of a larger file.
    offset: u64,
}

fn bad_csv(e: impl std::fmt::Display) -> AppError {
    AppError::Invalid {
        fields: vec![FieldError::with(
            "csv",
            msg!("This is not a CSV file the import can read: {detail}"),
            &[("detail", &e.to_string())],
        )],
    }
}

/// The file with a space on each blank line outside quotes: the CSV reader skips empty
/// lines without counting them, and a refused row's line must be the one an editor shows.
/// (A line holding only a space is a record of blanks, which `next_batch` passes over.)
pub struct CountBlankLines<R> {
    inner: R,
    /// The last byte given out ended a line (or nothing was given out yet).
    line_start: bool,
    in_quotes: bool,
    /// A byte read but held back while a space went out before it.
    held: Option<u8>,
}

impl<R: std::io::Read> std::io::Read for CountBlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            let b = match self.held.take() {
                Some(b) => b,
                None => {
                    let mut one = [0u8; 1];
                    if self.inner.read(&mut one)? == 0 {
                        break;
                    }
                    let b = one[0];
                    if self.line_start && !self.in_quotes && (b == b'\n' || b == b'\r') {
                        self.held = Some(b);
                        self.line_start = false;
                        buf[n] = b' ';
                        n += 1;
                        continue;
                    }
                    b
                }
            };
            if b == b'"' {
                self.in_quotes = !self.in_quotes;
            }
            self.line_start = b == b'\n';
            buf[n] = b;
            n += 1;
        }
        Ok(n)
    }
}

impl<R: std::io::Read> ReadRows<CountBlankLines<R>> {
    /// Reads the header; the rows' lines are counted from `first_line` (2 for a whole file).
    pub fn new(input: R, first_line: u64) -> Result<Self, AppError> {
        let input = CountBlankLines {
            inner: input,
            line_start: true,
            in_quotes: false,
            held: None,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::None)
            .from_reader(input);
        let header = reader.headers().map_err(bad_csv)?;
        let columns = columns(header.iter())?;
        Ok(Self {
            reader,
            columns,
            offset: first_line.max(2) - 2,
        })
    }
}

impl<R: std::io::Read> ReadRows<R> {
    /// Up to `n` more rows (fewer at the end of the file), each with its line.
    pub fn next_batch(&mut self, n: usize) -> Result<Vec<(u64, ImportRow)>, AppError> {
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        while out.len() < n && self.reader.read_record(&mut record).map_err(bad_csv)? {
            let line = record.position().map_or(0, |p| p.line()) + self.offset;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            out.push((line, ImportRow::of(&self.columns, record.iter())));
        }
        Ok(out)
    }
}

/// One request's slice of a file: its header and at most `ROWS_PER_REQUEST` rows.
pub fn read_slice(text: &str, first_line: u64) -> Result<Vec<(u64, ImportRow)>, AppError> {
    let mut read = ReadRows::new(text.as_bytes(), first_line)?;
    let rows = read.next_batch(ROWS_PER_REQUEST)?;
    if !read.next_batch(1)?.is_empty() {
        return Err(AppError::Invalid {
            fields: vec![FieldError::with(
                "csv",
                msg!("At most {count} rows at a time."),
                &[("count", &ROWS_PER_REQUEST.to_string())],
            )],
        });
    }
    Ok(rows)
}

/// The emails and phones of the rows already read, so a second row with one is refused.
#[derive(Default)]
pub struct Seen {
    emails: HashSet<String>,
    phones: HashSet<String>,
}

/// What a row will do.
enum Plan {
    Create {
        user: Box<ValidUser>,
        link: Option<Link>,
    },
    Update {
        before: Box<UserDetail>,
        /// The row's fields over the user's, when any of them changes.
        user: Option<Box<ValidUser>>,
        link: Option<Link>,
        fields: Vec<String>,
    },
    Unchanged,
    Refused(Vec<FieldError>),
}

/// The client a row associates the user with, and how.
struct Link {
    client: Uuid,
    permissions: Vec<ClientPermission>,
    /// Already associated: their permissions are set instead (an owner holds everything).
    member: bool,
}

/// One request's rows, planned (and with `commit` carried out) as a task of its own, so a
/// browser gone midway leaves every row whole. Rows are checked against each other only
/// within the request.
pub async fn run(
    by: Acting<'_>,
    rows: Vec<(u64, ImportRow)>,
    commit: bool,
    may_update: bool,
) -> Result<Vec<RowReport>, AppError> {
    let owned = by.owned();
    let task = tokio::spawn(async move {
        let mut seen = Seen::default();
        self::rows(owned.acting(), &mut seen, rows, commit, may_update).await
    });
    task.await.map_err(AppError::internal)?
}

/// Rows written in one transaction. A transaction per row made SQLite's full-text index
/// write a segment per row: 100,000 rows took 98 s (docs/measurements.md).
const ROWS_PER_TRANSACTION: usize = 100;

/// Plan (and, with `commit`, carry out) each row; `may_update` says whether rows of
/// existing users may change them (staff need `users-edit` for that).
pub async fn rows(
    by: Acting<'_>,
    seen: &mut Seen,
    rows: Vec<(u64, ImportRow)>,
    commit: bool,
    may_update: bool,
) -> Result<Vec<RowReport>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    // The planned writes not yet carried out, by their place in `out`.
    let mut batch: Vec<(usize, Plan)> = Vec::with_capacity(ROWS_PER_TRANSACTION);
    for (line, row) in rows {
        let email = row.email.clone();
        let result = match (commit, plan(&by, seen, &row, may_update).await?) {
            (_, Plan::Refused(fields)) => RowResult::Refused { fields },
            (_, Plan::Unchanged) => RowResult::Unchanged,
            (false, Plan::Create { .. }) => RowResult::Create,
            (false, Plan::Update { fields, .. }) => RowResult::Update { fields },
            (true, plan) => {
                batch.push((out.len(), plan));
                // Replaced once the batch is written.
                RowResult::Unchanged
            }
        };
        out.push(RowReport {
            line,
            email,
            result,
        });
        if batch.len() == ROWS_PER_TRANSACTION {
            write(&by, &mut batch, &mut out).await?;
        }
    }
    write(&by, &mut batch, &mut out).await?;
    if commit && by.state.mail.smtp_configured {
        crate::mail::wake(by.state);
    }
    Ok(out)
}

/// Carry out `batch` in one transaction and note each row's result in `out`. The rows were
/// checked when planned, so a row refused now (an email another import took a moment ago)
/// is rare: then the batch is undone and written again with a savepoint per row, and that
/// row alone is refused. Two statements a row fewer than a savepoint each: with the
/// taken-check left to the unique indexes and the notes' author written with the row,
/// 100,000 rows take 33-36 s instead of 59 s on SQLite (docs/measurements.md).
async fn write(
    by: &Acting<'_>,
    batch: &mut Vec<(usize, Plan)>,
    out: &mut [RowReport],
) -> Result<(), AppError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut tx = by.state.db.begin().await?;
    let mut results = Vec::with_capacity(batch.len());
    for (_, plan) in batch.iter() {
        match apply(by, &mut tx, plan).await {
            Ok(r) => results.push(r),
            Err(_) => break,
        }
    }
    if results.len() < batch.len() {
        tx.rollback().await?;
        tx = by.state.db.begin().await?;
        results.clear();
        for (_, plan) in batch.iter() {
            tx.mark("import_row").await?;
            results.push(match apply(by, &mut tx, plan).await {
                Ok(r) => {
                    tx.keep("import_row").await?;
                    r
                }
                Err(e) => {
                    tx.undo_to("import_row").await?;
                    RowResult::Refused { fields: refusal(e) }
                }
            });
        }
    }
    tx.commit().await?;
    for ((at, _), result) in batch.drain(..).zip(results) {
        out[at].result = result;
    }
    Ok(())
}

/// An error met while carrying out a row, as field messages.
fn refusal(e: AppError) -> Vec<FieldError> {
    match e {
        AppError::Invalid { fields } => fields,
        other => vec![FieldError::with(
            "email",
            msg!("Not imported: {detail}"),
            &[("detail", &other.to_string())],
        )],
    }
}

async fn plan(
    by: &Acting<'_>,
    seen: &mut Seen,
    row: &ImportRow,
    may_update: bool,
) -> Result<Plan, AppError> {
    let db = &by.state.db;
    let email = match Email::parse(&row.email) {
        Ok(e) => e,
        Err(e) => return Ok(Plan::Refused(vec![FieldError::new("email", e)])),
    };
    if !seen.emails.insert(email.normalized()) {
        return Ok(Plan::Refused(vec![FieldError::new(
            "email",
            msg!("This email is on an earlier line of the file."),
        )]));
    }
    let existing = match accounts::by_email(db, Principal::User, &email.normalized()).await? {
        Some(c) => users::detail(db, c.id).await?,
        None => None,
    };
    let mut errors = Vec::new();
    let link = match plan_link(by, row, existing.as_ref().map(|u| u.id)).await? {
        Ok(link) => link,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    // The row's cells over what the user has (nothing, for a new user).
    let keep = |cell: &Option<String>, had: &str| cell.clone().unwrap_or_else(|| had.to_string());
    let before = existing.as_ref();
    let had = |f: fn(&UserDetail) -> &str| before.map_or("", f);
    let form = UserForm {
        email: before.map_or_else(|| row.email.clone(), |u| u.email.clone()),
        password: String::new(),
        first_name: keep(&row.first_name, had(|u| &u.first_name)),
        last_name: keep(&row.last_name, had(|u| &u.last_name)),
        phone: keep(&row.phone, had(|u| u.phone.as_deref().unwrap_or(""))),
        language: keep(&row.language, before.map_or("en", |u| &u.language)),
        admin_notes: keep(&row.notes, had(|u| &u.admin_notes)),
        two_factor: before.is_some_and(|u| u.two_factor),
    };
    let mode = if before.is_some() {
        FormMode::Edit
    } else {
        FormMode::Invite
    };
    let v = match form.validate(mode) {
        Ok(v) => Some(v),
        Err(fields) => {
            errors.extend(fields);
            None
        }
    };
    if let Some(phone) = v.as_ref().and_then(|v| v.phone.clone()) {
        let except = before.map(|u| u.id);
        if !seen.phones.insert(phone.clone()) {
            errors.push(FieldError::new(
                "phone",
                msg!("This phone number is on an earlier line of the file."),
            ));
        } else if !users::taken(db, "", Some(&phone), except).await?.is_empty() {
            errors.push(FieldError::new("phone", roster_types::Taken::UserPhone));
        }
    }
    if !errors.is_empty() {
        return Ok(Plan::Refused(errors));
    }
    let Some(v) = v else {
        return Ok(Plan::Refused(vec![]));
    };
    let Some(before) = existing else {
        return Ok(Plan::Create {
            user: Box::new(v),
            link,
        });
    };
    if !may_update {
        return Ok(Plan::Refused(vec![FieldError::new(
            "email",
            msg!("A user with this email exists, and changing users needs the users-edit permission."),
        )]));
    }
    let mut fields: Vec<String> = Vec::new();
    let mut changed = |name: &str, differs: bool| {
        if differs {
            fields.push(name.to_string());
        }
    };
    changed("first_name", v.first_name.as_str() != before.first_name);
    changed("last_name", v.last_name.as_str() != before.last_name);
    changed("phone", v.phone != before.phone);
    changed("language", v.language.code() != before.language);
    changed("admin_notes", v.admin_notes.as_str() != before.admin_notes);
    let user = (!fields.is_empty()).then(|| Box::new(v));
    if let Some(l) = &link {
        fields.push(if l.member { "permissions" } else { "client" }.to_string());
    }
    if fields.is_empty() {
        return Ok(Plan::Unchanged);
    }
    Ok(Plan::Update {
        before: Box::new(before),
        user,
        link,
        fields,
    })
}

/// The association a row asks for: `Ok(None)` when none, or none that changes anything.
async fn plan_link(
    by: &Acting<'_>,
    row: &ImportRow,
    user: Option<Uuid>,
) -> Result<Result<Option<Link>, FieldError>, AppError> {
    let Some(tax_id) = row.tax_id.as_deref() else {
        if row.permissions.is_some() {
            return Ok(Err(FieldError::new(
                "permissions",
                msg!("Permissions need a client_tax_id: the client they are for."),
            )));
        }
        return Ok(Ok(None));
    };
    let permissions =
        match crate::clients::parse_permissions(row.permissions.as_deref().unwrap_or("")) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
    let Some(client) = client_rows::id_by_tax_id(&by.state.db, tax_id).await? else {
        return Ok(Err(FieldError::with(
            "client_tax_id",
            msg!("No client has the tax ID {tax_id}."),
            &[("tax_id", tax_id)],
        )));
    };
    let access = match user {
        Some(u) => client_rows::access(&by.state.db, u, client).await?,
        None => None,
    };
    Ok(Ok(match access {
        None => Some(Link {
            client,
            permissions,
            member: false,
        }),
        Some(a) if a.owner || same(&a.permissions, &permissions) => None,
        Some(_) => Some(Link {
            client,
            permissions,
            member: true,
        }),
    }))
}

fn same(a: &[ClientPermission], b: &[ClientPermission]) -> bool {
    a.len() == b.len() && a.iter().all(|p| b.contains(p))
}

/// Carry out a planned create or update inside `tx`.
async fn apply(
    by: &Acting<'_>,
    tx: &mut roster_data::Tx,
    plan: &Plan,
) -> Result<RowResult, AppError> {
    let (state, meta) = (by.state, by.meta);
    let (user, link, result) = match plan {
        Plan::Create { user: v, link } => {
            // Without a mail server there is no invitation to send: INACTIVE until staff
            // activate them and send a password reset.
            let invite = state.mail.smtp_configured;
            let id = Uuid::new_v4();
            let row = NewRow {
                id,
                v,
                hash: "",
                invited: invite,
                status: if invite {
                    UserStatus::New
                } else {
                    UserStatus::Inactive
                },
                imported: true,
            };
            insert_new(tx, meta, by.actor.clone(), row).await?;
            if invite {
                let ip = meta.ip.to_string();
                let who = (id, &v.email, v.language);
                crate::invitations::send(tx, state, &ip, by.actor.clone(), who).await?;
            }
            (id, link, RowResult::Create)
        }
        Plan::Update {
            before,
            user: v,
            link,
            fields,
        } => {
            if let Some(v) = v {
                crate::users::update_in(tx, by, before, v).await?;
            }
            let fields = fields.clone();
            (before.id, link, RowResult::Update { fields })
        }
        Plan::Unchanged | Plan::Refused(_) => return Ok(RowResult::Unchanged),
    };
    if let Some(l) = link {
        let who = (l.client, user);
        let actor = by.actor.clone();
        if l.member {
            crate::clients::set_permissions_in(tx, meta, actor, who, &l.permissions).await?;
        } else {
            crate::clients::associate_in(tx, meta, actor, who, &l.permissions).await?;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_file_lines_across_quoted_breaks_and_blank_lines() {
        let text = "email,admin_notes\na@x.co,\"one\ntwo\"\n\nb@x.co,x\n,\n";
        let rows = read_slice(text, 1002).unwrap();
        let lines: Vec<(u64, &str)> = rows.iter().map(|(l, r)| (*l, r.email.as_str())).collect();
        assert_eq!(lines, vec![(1002, "a@x.co"), (1005, "b@x.co")]);
        assert_eq!(rows[0].1.notes.as_deref(), Some("one\ntwo"));
    }

    #[test]
    fn a_slice_of_more_than_a_request_takes_is_refused_whole() {
        let mut text = String::from("email\n");
        for i in 0..=ROWS_PER_REQUEST {
            text.push_str(&format!("u{i}@x.co\n"));
        }
        assert!(read_slice(&text, 2).is_err());
        let fits: String = text
            .lines()
            .take(ROWS_PER_REQUEST + 1)
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(read_slice(&fits, 2).unwrap().len(), ROWS_PER_REQUEST);
    }
}
