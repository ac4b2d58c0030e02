//! The user's settings: read with their defaults, saved within their bounds. One home for
//! what used to live in three places (`desktop.json`, `notifications.json` and the page's
//! localStorage): the database, so the app, the CLI and every window agree, and a second
//! profile (`COURRIEL_DATA_DIR`) has its own.
//!
//! Stored one row per field, its value as JSON (`store/settings.rs`): a value this build
//! cannot read (written by a newer one, or damaged) falls back to its default alone, and
//! the other settings still hold.

use serde_json::{Map, Value};

use crate::api::Settings;
use crate::error::{Error, ErrorKind, Result};
use crate::Engine;

/// The longest undo window offered: past a minute, "Send" would not mean send.
pub const MAX_UNDO_SECONDS: u32 = 60;

impl Engine {
    /// The settings, each at its default until the user changes it.
    pub async fn settings(&self) -> Result<Settings> {
        let rows = self.blocking(|s| s.setting_values()).await?;
        Ok(read(rows))
    }

    /// Saves every setting at once and returns them as kept (within their bounds: the tray
    /// start only in background mode, the undo window at most a minute).
    pub async fn set_settings(&self, settings: Settings) -> Result<Settings> {
        let settings = bounded(settings);
        let values = fields(&settings)?;
        self.blocking(move |s| {
            let named: Vec<(&str, String)> = values
                .iter()
                .map(|(n, v)| (n.as_str(), v.clone()))
                .collect();
            s.save_settings(&named)
        })
        .await?;
        Ok(settings)
    }

    /// Takes settings found elsewhere (an older version's files), for each setting the
    /// database does not hold yet: what the user chose since wins.
    pub async fn adopt_settings(&self, found: Map<String, Value>) -> Result<Settings> {
        let rows = self.blocking(|s| s.setting_values()).await?;
        let mut merged = found;
        for (name, value) in &rows {
            if let Ok(value) = serde_json::from_str(value) {
                merged.insert(name.clone(), value);
            }
        }
        let pairs = merged.into_iter().map(|(n, v)| (n, v.to_string()));
        self.set_settings(read(pairs.collect())).await
    }
}

/// The settings as stored, for the engine's own modules (a store it already holds; an
/// unreadable table reads as the defaults).
pub(crate) fn stored(store: &crate::store::Store) -> Settings {
    store.setting_values().map(read).unwrap_or_default()
}

/// The settings from stored rows: each readable value over its default.
fn read(rows: Vec<(String, String)>) -> Settings {
    let mut object = match serde_json::to_value(Settings::default()) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for (name, text) in rows {
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            tracing::warn!("the setting {name} is unreadable; its default is used");
            continue;
        };
        let mut candidate = object.clone();
        candidate.insert(name.clone(), value);
        if serde_json::from_value::<Settings>(Value::Object(candidate.clone())).is_ok() {
            object = candidate;
        } else {
            tracing::warn!("the setting {name} has a value this version cannot use");
        }
    }
    bounded(serde_json::from_value(Value::Object(object)).unwrap_or_default())
}

fn bounded(settings: Settings) -> Settings {
    Settings {
        start_in_tray: settings.start_in_tray && settings.run_in_background,
        undo_send_seconds: settings.undo_send_seconds.min(MAX_UNDO_SECONDS),
        ..settings
    }
}

/// Each field's name and JSON value, as stored.
fn fields(settings: &Settings) -> Result<Vec<(String, String)>> {
    match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => Ok(map.into_iter().map(|(n, v)| (n, v.to_string())).collect()),
        _ => Err(Error::new(ErrorKind::Bug, "the settings are not an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn nothing_stored_reads_as_the_defaults() {
        assert_eq!(read(Vec::new()), Settings::default());
        assert!(Settings::default().notify_new_mail);
        assert_eq!(Settings::default().undo_send_seconds, 5);
    }

    #[test]
    fn a_bad_value_loses_only_itself() {
        let rows = vec![
            row("runInBackground", "true"),
            row("undoSendSeconds", "\"ten\""),
            row("notifyNewMail", "{oops"),
            row("aSettingFromTheFuture", "42"),
        ];
        let read = read(rows);
        assert!(read.run_in_background);
        assert_eq!(read.undo_send_seconds, 5);
        assert!(read.notify_new_mail);
    }

    #[test]
    fn bounds_hold_whatever_is_stored() {
        let rows = vec![row("startInTray", "true"), row("undoSendSeconds", "3600")];
        let read = read(rows);
        assert!(!read.start_in_tray, "the tray start needs background mode");
        assert_eq!(read.undo_send_seconds, MAX_UNDO_SECONDS);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn settings_survive_a_restart_and_adopted_files_never_override_a_choice() {
        use crate::auth::secrets::NoSecrets;
        use std::sync::Arc;
        let object = |v: Value| match v {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("open");
            assert_eq!(engine.settings().await.expect("read"), Settings::default());
            // The first start after an update: an old desktop.json says background mode.
            let found = object(serde_json::json!({"runInBackground": true, "startInTray": true}));
            let adopted = engine.adopt_settings(found).await.expect("adopt");
            assert!(adopted.run_in_background && adopted.start_in_tray);
            let chosen = Settings {
                notify_new_mail: false,
                undo_send_seconds: 12,
                ..adopted
            };
            assert_eq!(engine.set_settings(chosen).await.expect("save"), chosen);
        }
        let engine = Engine::open(dir.path(), Arc::new(NoSecrets)).expect("reopen");
        let kept = engine.settings().await.expect("read again");
        assert!(kept.run_in_background && !kept.notify_new_mail);
        assert_eq!(kept.undo_send_seconds, 12);
        // A file found again later never undoes what was chosen since.
        let stale = object(serde_json::json!({"runInBackground": false, "notifyNewMail": true}));
        assert_eq!(engine.adopt_settings(stale).await.expect("adopt"), kept);
    }
}
