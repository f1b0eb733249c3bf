use crate::tr;
use crate::ui::common::{SelectField, TextField};
use crate::ui::i18n::field_text;
use leptos::prelude::*;
use roster_types::clients::ClientForm;
use roster_types::users::ClientStatus;
use roster_types::{AppError, FieldError};

/// The client fields, shared by Create and the Profile tab.
#[derive(Clone, Copy)]
pub struct ClientFormState {
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub company_name: RwSignal<String>,
    pub tax_id: RwSignal<String>,
    pub status: RwSignal<String>,
    pub errors: RwSignal<Vec<FieldError>>,
    pub banner: RwSignal<Option<AppError>>,
}

impl ClientFormState {
    pub fn new() -> Self {
        Self {
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            company_name: RwSignal::new(String::new()),
            tax_id: RwSignal::new(String::new()),
            status: RwSignal::new(ClientStatus::Active.code().to_string()),
            errors: RwSignal::new(vec![]),
            banner: RwSignal::new(None),
        }
    }

    pub fn fill(&self, c: ClientForm) {
        self.first_name.set(c.first_name);
        self.last_name.set(c.last_name);
        self.company_name.set(c.company_name);
        self.tax_id.set(c.tax_id);
        self.status.set(c.status);
        self.errors.set(vec![]);
        self.banner.set(None);
    }

    pub fn form(&self) -> ClientForm {
        ClientForm {
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            company_name: self.company_name.get_untracked(),
            tax_id: self.tax_id.get_untracked(),
            status: self.status.get_untracked(),
        }
    }

    /// The same rules the server applies; true when the form may be sent.
    pub fn check(&self) -> bool {
        match self.form().validate() {
            Ok(_) => {
                self.errors.set(vec![]);
                true
            }
            Err(e) => {
                self.errors.set(e);
                false
            }
        }
    }

    pub fn show_error(&self, e: AppError) {
        match e {
            AppError::Invalid { fields } => self.errors.set(fields),
            other => self.banner.set(Some(other)),
        }
    }

    pub fn error(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| e.iter().find(|f| f.field == field).map(field_text)))
    }
}

#[component]
pub fn ClientFields(state: ClientFormState) -> impl IntoView {
    let statuses = vec![
        ("ACTIVE".to_string(), tr!("Active").to_string()),
        ("INACTIVE".to_string(), tr!("Inactive").to_string()),
        ("CLOSED".to_string(), tr!("Closed").to_string()),
    ];
    view! {
        <div class="field-row">
            <TextField label=tr!("Firstname") name="first_name" value=state.first_name error=state.error("first_name") required=true />
            <TextField label=tr!("Lastname") name="last_name" value=state.last_name error=state.error("last_name") required=true />
        </div>
        <TextField label=tr!("Company Name") name="company_name" value=state.company_name error=state.error("company_name") />
        <TextField label=tr!("Tax ID") name="tax_id" value=state.tax_id error=state.error("tax_id") />
        <SelectField label=tr!("Status") name="status" value=state.status options=statuses error=state.error("status") />
    }
}
