//! Rules that read several rows and then write ("at least one staff manager", "exactly
//! one owner per client") are decided one at a time. On PostgreSQL a transaction-scoped
//! advisory lock makes concurrent deciders queue, and each reads after the previous one
//! committed (READ COMMITTED reads afresh per statement). On SQLite every write
//! transaction already holds the database's write lock from its start (`BEGIN IMMEDIATE`).

use super::{DbError, Tx};

#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Who holds staff-manage, and who is active.
    StaffManagers,
    /// Client owners: associating, removing, moving ownership, deleting users.
    Ownership,
}

impl Rule {
    fn key(self) -> i64 {
        // Arbitrary, fixed and distinct; "roster" in the high bytes keeps them apart from
        // any other application's advisory locks on a shared database.
        match self {
            Rule::StaffManagers => 0x726f_7374_6572_0001,
            Rule::Ownership => 0x726f_7374_6572_0002,
        }
    }
}

/// Wait for the rule's turn; held until the transaction ends.
pub async fn decide_alone(tx: &mut Tx, rule: Rule) -> Result<(), DbError> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(rule.key())
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}
