//! `roster import users FILE [--commit]`: the users CSV import from the command line. The
//! file is read 1,000 rows at a time, so a file of any size takes constant memory; each
//! refused row is printed as it is met, the totals at the end, progress on stderr.

use roster_core::import::{self, ReadRows, Seen};
use roster_core::request::RequestMeta;
use roster_core::state::AppState;
use roster_core::Acting;
use roster_types::event::Actor;
use roster_types::import::{RowResult, ROWS_PER_REQUEST};
use std::io::Write;
use std::path::Path;

/// How many rows of each kind.
#[derive(Default)]
struct Totals {
    create: u64,
    update: u64,
    unchanged: u64,
    refused: u64,
}

/// Import (or with `commit` false, only check) the users in `file`, writing the report to
/// `out`.
pub async fn users(
    state: &AppState,
    file: &Path,
    commit: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let input = std::fs::File::open(file)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", file.display()))?;
    let mut read = ReadRows::new(std::io::BufReader::new(input), 2).map_err(refused)?;
    let meta = RequestMeta::command_line("import");
    let mut seen = Seen::default();
    let mut totals = Totals::default();
    let started = std::time::Instant::now();
    loop {
        let rows = read.next_batch(ROWS_PER_REQUEST).map_err(refused)?;
        if rows.is_empty() {
            break;
        }
        let by = Acting {
            state,
            actor: Actor::System,
            meta: &meta,
        };
        for r in import::rows(by, &mut seen, rows, commit, true)
            .await
            .map_err(refused)?
        {
            match &r.result {
                RowResult::Create => totals.create += 1,
                RowResult::Update { .. } => totals.update += 1,
                RowResult::Unchanged => totals.unchanged += 1,
                RowResult::Refused { fields } => {
                    totals.refused += 1;
                    for f in fields {
                        writeln!(
                            out,
                            "line {}: {}: {}: {}",
                            r.line, r.email, f.field, f.message
                        )?;
                    }
                }
            }
        }
        let done = totals.create + totals.update + totals.unchanged + totals.refused;
        let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
        eprintln!("{done} rows read ({rate:.0} rows/s)");
    }
    let Totals {
        create,
        update,
        unchanged,
        refused,
    } = totals;
    if commit {
        writeln!(
            out,
            "Imported: {create} created, {update} updated, {unchanged} unchanged, {refused} refused."
        )?;
    } else {
        writeln!(
            out,
            "Dry run (nothing written; --commit imports): {create} to create, {update} to update, {unchanged} unchanged, {refused} refused."
        )?;
    }
    Ok(())
}

/// A file the import cannot read, as the command line says it.
fn refused(e: roster_types::AppError) -> anyhow::Error {
    match e {
        roster_types::AppError::Invalid { fields } => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}
