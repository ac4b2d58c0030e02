//! Numbered schema migrations. Each runs in one transaction that also bumps
//! `PRAGMA user_version`, so a crash leaves the database at a whole version.

use rusqlite::Connection;

use crate::error::{Context, Result};

/// The migrations, in order; version N is `MIGRATIONS[N - 1]`. Never edit a shipped one:
/// add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/001_initial.sql"),
    include_str!("../../migrations/002_outbox_attempts.sql"),
    include_str!("../../migrations/003_pacing.sql"),
    include_str!("../../migrations/004_smtp_plaintext_relay.sql"),
    include_str!("../../migrations/005_pop3.sql"),
    include_str!("../../migrations/006_folder_names.sql"),
    include_str!("../../migrations/007_imap_sync.sql"),
    include_str!("../../migrations/008_accounts.sql"),
    include_str!("../../migrations/009_search_order.sql"),
    include_str!("../../migrations/010_remote_content.sql"),
    include_str!("../../migrations/011_message_trust.sql"),
    include_str!("../../migrations/012_local_drafts.sql"),
    include_str!("../../migrations/013_search_index_after_sync.sql"),
    include_str!("../../migrations/014_list_indexes.sql"),
    include_str!("../../migrations/015_drafts_on_the_server.sql"),
    include_str!("../../migrations/016_smtp_max_size.sql"),
    include_str!("../../migrations/017_settings.sql"),
    include_str!("../../migrations/018_delivery_reports.sql"),
    include_str!("../../migrations/019_contacts.sql"),
    include_str!("../../migrations/020_folder_counts.sql"),
    include_str!("../../migrations/021_list_by_thread.sql"),
];

/// The schema version this build expects.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// Bring the database up to [`LATEST`].
pub fn run(conn: &mut Connection) -> Result<()> {
    let current: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .context("reading the schema version")?;
    if current > LATEST {
        return Err(crate::Error::new(
            crate::ErrorKind::Storage,
            format!("the cache was written by a newer Courriel (schema {current}, this one knows {LATEST})"),
        ));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as u32 + 1;
        let tx = conn.transaction().context("starting a migration")?;
        tx.execute_batch(sql)
            .with_context(|| format!("applying migration {version}"))?;
        tx.pragma_update(None, "user_version", version)
            .context("bumping the schema version")?;
        tx.commit()
            .with_context(|| format!("committing migration {version}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_latest_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().expect("open");
        run(&mut conn).expect("first run");
        run(&mut conn).expect("second run");
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(v, LATEST);
        let strict: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_list WHERE strict = 1 AND name IN ('accounts','folders','messages','bodies','outbox')",
                [],
                |r| r.get(0),
            )
            .expect("table list");
        assert_eq!(strict, 5, "every table is STRICT");
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", LATEST + 1)
            .expect("set");
        let err = run(&mut conn).expect_err("newer schema");
        assert_eq!(err.kind, crate::ErrorKind::Storage);
    }
}
