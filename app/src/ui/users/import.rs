//! Import users from a CSV file: the file is read in the browser and sent 1,000 rows at a
//! time, first as a dry run whose report shows each row (create, update, unchanged or
//! refused with the field message), then, once staff confirm, for real with a progress
//! bar. In the modals' lazy chunk.

use crate::api::users::import_users;
use crate::ui::common::{ErrorBanner, Modal};
use crate::ui::i18n::{error_text, field_text};
use crate::{tr, trf};
use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use roster_types::import::{slices, ROWS_PER_REQUEST};
use roster_types::import::{RowReport, RowResult};

/// Rows the report lists at most (the totals count them all): a file of 100,000 rows
/// keeps the page light.
const SHOWN: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Choosing,
    Checking,
    Checked,
    Importing,
    Imported,
}

/// Created (or to create), updated, unchanged, refused.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Totals([usize; 4]);

impl Totals {
    fn add(&mut self, r: &RowResult) {
        let i = match r {
            RowResult::Create => 0,
            RowResult::Update { .. } => 1,
            RowResult::Unchanged => 2,
            RowResult::Refused { .. } => 3,
        };
        self.0[i] += 1;
    }
}

/// The text of a file the user chose, read in the browser.
#[cfg(feature = "hydrate")]
async fn read_file(input: &leptos::web_sys::HtmlInputElement) -> Option<(String, String)> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    Some((file.name(), text.as_string()?))
}

/// What one row does, as the report's last column says it.
fn detail(r: &RowResult) -> String {
    match r {
        RowResult::Create => tr!("New user, invited").to_string(),
        RowResult::Update { fields } => trf!("Changes: {fields}", fields = fields.join(", ")),
        RowResult::Unchanged => tr!("Nothing to change").to_string(),
        RowResult::Refused { fields } => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, field_text(f)))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

fn result_label(r: &RowResult) -> &'static str {
    match r {
        RowResult::Create => tr!("New"),
        RowResult::Update { .. } => tr!("Update"),
        RowResult::Unchanged => tr!("Unchanged"),
        RowResult::Refused { .. } => tr!("Refused"),
    }
}

#[component]
pub fn ImportDialog(
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let parts = StoredValue::new(Vec::<(u64, String)>::new());
    let stage = RwSignal::new(Stage::Choosing);
    let report = RwSignal::new(Vec::<RowReport>::new());
    let totals = RwSignal::new(Totals::default());
    let sent = RwSignal::new(0usize);
    let error = RwSignal::new(None::<String>);
    let first = NodeRef::<leptos::html::Button>::new();

    // Every slice of the file, as a dry run or for real; the report and totals follow.
    let send_all = move |commit: bool| {
        report.set(Vec::new());
        totals.set(Totals::default());
        sent.set(0);
        error.set(None);
        stage.set(if commit {
            Stage::Importing
        } else {
            Stage::Checking
        });
        // The file input is disabled meanwhile: focus would fall out of the modal.
        if let Some(b) = first.get_untracked() {
            let _ = b.focus();
        }
        leptos::task::spawn_local(async move {
            for (first_line, csv) in parts.get_value() {
                match import_users(csv, first_line, commit).await {
                    Ok(rows) => {
                        totals.update(|t| rows.iter().for_each(|r| t.add(&r.result)));
                        report.update(|shown| {
                            let room = SHOWN.saturating_sub(shown.len());
                            shown.extend(rows.into_iter().take(room));
                        });
                        sent.update(|n| *n += 1);
                    }
                    Err(e) => {
                        error.set(Some(error_text(&e)));
                        stage.set(Stage::Choosing);
                        return;
                    }
                }
            }
            if commit {
                stage.set(Stage::Imported);
                on_changed.run(());
            } else {
                stage.set(Stage::Checked);
            }
        });
    };

    let chosen = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = input.get() {
            leptos::task::spawn_local(async move {
                match read_file(&el).await {
                    Some((_, text)) => {
                        parts.set_value(slices(&text, ROWS_PER_REQUEST));
                        if parts.with_value(Vec::is_empty) {
                            error.set(Some(tr!("The file has no rows.").to_string()));
                            return;
                        }
                        send_all(false);
                    }
                    None => error.set(Some(tr!("The file could not be read.").to_string())),
                }
            });
        }
    };

    let busy = move || matches!(stage.get(), Stage::Checking | Stage::Importing);
    let can_import =
        move || stage.get() == Stage::Checked && totals.get().0[0] + totals.get().0[1] > 0;
    let [create, update, unchanged, refused] = [0, 1, 2, 3].map(|i| move || totals.get().0[i]);
    view! {
        <Modal title=tr!("Import users") on_close=on_close wide=true>
            <p class="muted">{tr!("A CSV file whose first line names the columns: email, first_name, last_name, phone, language, admin_notes, client_tax_id, permissions. Passwords are never in the file: new users are invited. First you see what each row would do; nothing is written until you import.")}</p>
            <div class="field">
                <label for="import-file">{tr!("CSV file")}</label>
                <input id="import-file" type="file" accept=".csv,text/csv" node_ref=input disabled=busy on:change=chosen />
            </div>
            <ErrorBanner message=error />
            <Show when=move || stage.get() != Stage::Choosing>
                <div class="bulk-progress">
                    <progress aria-label=tr!("Progress") max=move || parts.with_value(Vec::len) value=move || sent.get()></progress>
                    <p role="status" data-testid="import-status">
                        {move || match stage.get() {
                            Stage::Checking => tr!("Checking…").to_string(),
                            Stage::Checked => trf!("Dry run: {create} to create, {update} to update, {unchanged} unchanged, {refused} refused. Nothing is written yet.", create = create(), update = update(), unchanged = unchanged(), refused = refused()),
                            Stage::Importing => tr!("Importing…").to_string(),
                            _ => trf!("Imported: {create} created, {update} updated, {unchanged} unchanged, {refused} refused.", create = create(), update = update(), unchanged = unchanged(), refused = refused()),
                        }}
                    </p>
                </div>
                <div class="table-wrap import-report">
                    <table class="table">
                        <caption class="sr-only">{tr!("What each row does")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!("Line")}</th>
                            <th scope="col">{tr!("Email")}</th>
                            <th scope="col">{tr!("Result")}</th>
                            <th scope="col">{tr!("Details")}</th>
                        </tr></thead>
                        <tbody>
                            {move || report.get().into_iter().map(|r| view! {
                                <tr class=move || if matches!(r.result, RowResult::Refused { .. }) { "refused" } else { "" }>
                                    <td>{r.line}</td>
                                    <td>{r.email.clone()}</td>
                                    <td>{result_label(&r.result)}</td>
                                    <td>{detail(&r.result)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
            <footer class="modal-actions">
                // It stays while the modal does: focus moves to it while rows are sent, so Tab
                // and Escape stay in the modal.
                <button type="button" class="btn" node_ref=first aria-disabled=move || busy().then_some("true") on:click=move |_| if !busy() { on_close.run(()) }>
                    {move || if stage.get() == Stage::Imported { tr!("Done") } else { tr!("Cancel") }}
                </button>
                <Show when=can_import>
                    <button type="button" class="btn primary" on:click=move |_| send_all(true)>
                        {move || trf!("Import {count} rows", count = create() + update())}
                    </button>
                </Show>
            </footer>
        </Modal>
    }
}
