//! The users CSV import: which columns a file may have, one row as read, and what the
//! dry run (and then the commit) says of each row.

use crate::{msg, FieldError};
use serde::{Deserialize, Serialize};

/// Rows one request takes at most: a file of 100,000 rows goes in 100 requests, each short.
pub const ROWS_PER_REQUEST: usize = 1000;

/// A column the import knows, found by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Email,
    FirstName,
    LastName,
    Phone,
    Language,
    Notes,
    ClientTaxId,
    Permissions,
}

impl Column {
    /// The header as the export writes it (and the import's docs name it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Phone => "phone",
            Self::Language => "language",
            Self::Notes => "admin_notes",
            Self::ClientTaxId => "client_tax_id",
            Self::Permissions => "permissions",
        }
    }

    /// A header as people write it: any case, spaces or hyphens for underscores, and the
    /// usual other names (`notes`, `tax_id`, `firstname`…).
    pub fn of(header: &str) -> Option<Self> {
        let h: String = header
            .trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect();
        Some(match h.as_str() {
            "email" | "e_mail" | "email_address" => Self::Email,
            "first_name" | "firstname" | "given_name" => Self::FirstName,
            "last_name" | "lastname" | "surname" | "family_name" => Self::LastName,
            "phone" | "phone_number" => Self::Phone,
            "language" | "lang" => Self::Language,
            "admin_notes" | "notes" => Self::Notes,
            "client_tax_id" | "tax_id" => Self::ClientTaxId,
            "permissions" | "client_permissions" => Self::Permissions,
            _ => return None,
        })
    }
}

/// The columns of a header row, or why the file cannot be read: a header that is no
/// column, one given twice, or no email column.
pub fn columns<'a>(header: impl IntoIterator<Item = &'a str>) -> Result<Vec<Column>, FieldError> {
    let mut out = Vec::new();
    for h in header {
        let c = Column::of(h).ok_or_else(|| {
            FieldError::with(
                "csv",
                msg!("Unknown column “{column}”: use email, first_name, last_name, phone, language, admin_notes, client_tax_id, permissions."),
                &[("column", h.trim())],
            )
        })?;
        if out.contains(&c) {
            return Err(FieldError::with(
                "csv",
                msg!("The column “{column}” is there twice."),
                &[("column", c.name())],
            ));
        }
        out.push(c);
    }
    if !out.contains(&Column::Email) {
        return Err(FieldError::new(
            "csv",
            msg!("The first line must name the columns, one of them email."),
        ));
    }
    Ok(out)
}

/// One row as read: each column's cell, trimmed; `None` where the cell is empty (or the
/// file has no such column), which on an existing user keeps what they have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportRow {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub language: Option<String>,
    pub notes: Option<String>,
    pub tax_id: Option<String>,
    pub permissions: Option<String>,
}

impl ImportRow {
    pub fn of<'a>(columns: &[Column], cells: impl IntoIterator<Item = &'a str>) -> Self {
        let mut row = Self::default();
        for (c, cell) in columns.iter().zip(cells) {
            let v = cell.trim();
            let filled = (!v.is_empty()).then(|| v.to_string());
            match c {
                Column::Email => row.email = v.to_string(),
                Column::FirstName => row.first_name = filled,
                Column::LastName => row.last_name = filled,
                Column::Phone => row.phone = filled,
                Column::Language => row.language = filled,
                Column::Notes => row.notes = filled,
                Column::ClientTaxId => row.tax_id = filled,
                Column::Permissions => row.permissions = filled,
            }
        }
        row
    }
}

/// What the import does (or did) with one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowResult {
    /// A new user, invited (or INACTIVE while no mail server is configured).
    Create,
    /// An existing user (by email): these fields change, or an association is added.
    Update { fields: Vec<String> },
    /// An existing user the row changes nothing of.
    Unchanged,
    /// Nothing is done with the row, for these reasons.
    Refused { fields: Vec<FieldError> },
}

/// One row's line in the file (the header is line 1), its email, and what happens. On the
/// wire a flat object (`Wire`): a tagged enum's reader would buffer every row first, code
/// the browser would carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Wire", into = "Wire")]
pub struct RowReport {
    pub line: u64,
    pub email: String,
    pub result: RowResult,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Create,
    Update,
    Unchanged,
    Refused,
}

/// `{"line","email","result","changes":[names],"fields":[field errors]}`.
#[derive(Serialize, Deserialize)]
struct Wire {
    line: u64,
    email: String,
    result: Kind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    changes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError>,
}

impl From<Wire> for RowReport {
    fn from(w: Wire) -> Self {
        let result = match w.result {
            Kind::Create => RowResult::Create,
            Kind::Update => RowResult::Update { fields: w.changes },
            Kind::Unchanged => RowResult::Unchanged,
            Kind::Refused => RowResult::Refused { fields: w.fields },
        };
        Self {
            line: w.line,
            email: w.email,
            result,
        }
    }
}

impl From<RowReport> for Wire {
    fn from(r: RowReport) -> Self {
        let (result, changes, fields) = match r.result {
            RowResult::Create => (Kind::Create, vec![], vec![]),
            RowResult::Update { fields } => (Kind::Update, fields, vec![]),
            RowResult::Unchanged => (Kind::Unchanged, vec![], vec![]),
            RowResult::Refused { fields } => (Kind::Refused, vec![], fields),
        };
        Self {
            line: r.line,
            email: r.email,
            result,
            changes,
            fields,
        }
    }
}

/// A file cut into what one request takes: each slice is the header line and at most
/// `rows` rows, with the file line of its first row. Cuts fall between records, never
/// inside a quoted cell that holds a line break (a quote count that is odd so far means
/// the record goes on). Blank lines start no slice.
pub fn slices(text: &str, rows: usize) -> Vec<(u64, String)> {
    let mut lines = text.split_inclusive('\n');
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let header = header.trim_end_matches(['\r', '\n']);
    let mut out = Vec::new();
    let mut slice = String::new();
    let (mut count, mut first, mut line) = (0usize, 0u64, 1u64);
    let mut open_quotes = false;
    for l in lines {
        line += 1;
        // A blank line is no record; inside a slice it stays, so lines keep their numbers.
        if !open_quotes && l.trim().is_empty() {
            if count > 0 && count < rows {
                slice.push_str(l);
            }
            continue;
        }
        if !open_quotes {
            if count == rows {
                out.push((first, std::mem::take(&mut slice)));
                count = 0;
            }
            if count == 0 {
                first = line;
                slice.push_str(header);
                slice.push('\n');
            }
            count += 1;
        }
        slice.push_str(l);
        if !l.ends_with('\n') {
            slice.push('\n');
        }
        open_quotes ^= l.matches('"').count() % 2 == 1;
    }
    if count > 0 {
        out.push((first, slice));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_as_people_write_them() {
        let c = columns([
            "\u{feff}Email",
            "First Name",
            "last-name",
            "Notes",
            "TAX_ID",
        ])
        .unwrap();
        assert_eq!(
            c,
            vec![
                Column::Email,
                Column::FirstName,
                Column::LastName,
                Column::Notes,
                Column::ClientTaxId
            ]
        );
    }

    #[test]
    fn an_unknown_repeated_or_missing_column_refuses_the_file() {
        let unknown = columns(["email", "password"]).unwrap_err();
        assert!(
            unknown.message.contains("“password”"),
            "{}",
            unknown.message
        );
        let twice = columns(["email", "notes", "admin_notes"]).unwrap_err();
        assert!(twice.message.contains("admin_notes"), "{}", twice.message);
        assert!(columns(["first_name", "last_name"]).is_err());
        assert!(columns([]).is_err());
    }

    #[test]
    fn empty_cells_are_none_and_missing_cells_too() {
        let c = columns(["email", "first_name", "phone", "language"]).unwrap();
        let r = ImportRow::of(&c, [" ann@example.com ", "Ann", "  "]);
        assert_eq!(r.email, "ann@example.com");
        assert_eq!(r.first_name.as_deref(), Some("Ann"));
        assert_eq!((r.phone, r.language), (None, None));
    }

    #[test]
    fn files_are_cut_between_records_with_their_lines() {
        let text = "email,admin_notes\r\na@x.co,\"one\ntwo\"\nb@x.co,x\n\nc@x.co,\"say \"\"hi\"\"\"\nd@x.co,y";
        let s = slices(text, 2);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0],
            (
                2,
                "email,admin_notes\na@x.co,\"one\ntwo\"\nb@x.co,x\n".to_string()
            )
        );
        let inside = slices("email\na@x.co\n\nb@x.co\n", 10);
        assert_eq!(inside, vec![(2, "email\na@x.co\n\nb@x.co\n".to_string())]);
        assert_eq!(
            s[1],
            (
                6,
                "email,admin_notes\nc@x.co,\"say \"\"hi\"\"\"\nd@x.co,y\n".to_string()
            )
        );
        assert!(slices("", 10).is_empty());
        assert!(slices("email\n\n", 10).is_empty());
        assert_eq!(slices("email\na@x.co\nb@x.co\n", 1000).len(), 1);
    }
}
