//! The user's settings as stored: names and JSON values (migration 017). What they mean,
//! their defaults and their bounds are the engine's settings module's business.

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

impl Store {
    /// Every stored setting, as (name, JSON text).
    pub fn setting_values(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT name, value FROM settings")
            .context("reading the settings")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading the settings")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading the settings")
    }

    /// Saves these settings together: a reader never sees half of a change.
    pub fn save_settings(&self, values: &[(&str, String)]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().context("saving the settings")?;
        for (name, value) in values {
            tx.execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![name, value],
            )
            .with_context(|| format!("saving the setting {name}"))?;
        }
        tx.commit().context("saving the settings")
    }
}
