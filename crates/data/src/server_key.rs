//! The row that ties a database to its server key (see `server::keys`).

use super::{now, Db, DbError, Tx};

pub struct KeyRecord {
    pub check_value: String,
    /// The recovery-code pepper, encrypted under the key.
    pub recovery_pepper: String,
}

pub async fn get(db: &Db) -> Result<Option<KeyRecord>, DbError> {
    let row: Option<(String, String)> = db
        .sql()
        .fetch_optional(
            "SELECT check_value, recovery_pepper FROM server_key WHERE id = 1",
            (),
        )
        .await?;
    Ok(row.map(|(check_value, recovery_pepper)| KeyRecord {
        check_value,
        recovery_pepper,
    }))
}

/// Write the record, replacing any; within the caller's transaction.
pub async fn put(tx: &mut Tx, r: &KeyRecord) -> Result<(), DbError> {
    tx.sql().execute("DELETE FROM server_key", ()).await?;
    let sql = "INSERT INTO server_key (id, check_value, recovery_pepper, created_at) VALUES (1, $1, $2, $3)";
    tx.sql()
        .execute(sql, (&r.check_value, &r.recovery_pepper, now()))
        .await?;
    Ok(())
}

/// Every encrypted TOTP secret: (table, id, column, value).
pub async fn encrypted_secrets(
    tx: &mut Tx,
) -> Result<Vec<(String, uuid::Uuid, String, String)>, DbError> {
    let mut out = Vec::new();
    for table in ["staff", "users"] {
        for column in ["totp_secret", "totp_pending"] {
            let sql = format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL");
            let rows: Vec<(uuid::Uuid, String)> = tx.sql().fetch_all(&sql, ()).await?;
            out.extend(
                rows.into_iter()
                    .map(|(id, v)| (table.to_string(), id, column.to_string(), v)),
            );
        }
    }
    Ok(out)
}

pub async fn set_secret(
    tx: &mut Tx,
    table: &str,
    id: uuid::Uuid,
    column: &str,
    value: &str,
) -> Result<(), DbError> {
    // Names come from `encrypted_secrets`, never from input.
    let table = if table == "staff" { "staff" } else { "users" };
    let column = if column == "totp_secret" {
        "totp_secret"
    } else {
        "totp_pending"
    };
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    tx.sql().execute(&sql, (value, id)).await?;
    Ok(())
}

/// One encrypted TOTP secret, if any account has one: a database from before the key
/// check was kept still belongs to the key that encrypted it.
pub async fn any_secret(db: &Db) -> Result<Option<String>, DbError> {
    for table in ["staff", "users"] {
        for column in ["totp_secret", "totp_pending"] {
            let sql = format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT 1");
            let v: Option<String> = db.sql().scalar_optional(&sql, ()).await?;
            if v.is_some() {
                return Ok(v);
            }
        }
    }
    Ok(None)
}
