//! The user's settings in the desktop app: kept by the engine (in the database, like
//! everything Courriel remembers), held here too so the window's close handler can read
//! them without waiting, and applied to the shell when they change (the tray icon, new-mail
//! notifications).
//!
//! Versions before the settings moved to the database kept them in `desktop.json` and
//! `notifications.json` in the app's configuration directory. At start, a file still there
//! is adopted for each setting the database does not hold yet, then renamed
//! `<name>.imported`: read once, never again, and left for the user to see.

use std::path::Path;
use std::sync::Mutex;

use courriel_engine::api::Settings;
use courriel_engine::{CommandError, Engine};
use serde_json::{Map, Value};
use tauri::{AppHandle, Manager, Runtime};

/// The settings as last read or saved.
#[derive(Default)]
pub struct Current(Mutex<Settings>);

impl Current {
    pub fn get(&self) -> Settings {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, settings: Settings) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = settings;
    }
}

/// At start: the settings from the engine (older files adopted first). Without an engine
/// (it could not open; every command says why) the defaults hold.
pub fn load(engine: Option<&Engine>, config_dir: Option<&Path>) -> Current {
    let Some(engine) = engine else {
        return Current::default();
    };
    let found = config_dir.map(legacy_files).unwrap_or_default();
    let read = if found.is_empty() {
        tauri::async_runtime::block_on(engine.settings())
    } else {
        let adopted = tauri::async_runtime::block_on(engine.adopt_settings(found));
        if adopted.is_ok() {
            config_dir.map(retire_legacy_files);
        }
        adopted
    };
    let settings = read.unwrap_or_else(|e| {
        tracing::warn!("the settings could not be read, the defaults hold: {e}");
        Settings::default()
    });
    Current(Mutex::new(settings))
}

/// Saves the settings and applies them to the shell at once.
pub async fn apply<R: Runtime>(
    app: &AppHandle<R>,
    engine: &Engine,
    settings: Settings,
) -> Result<Settings, CommandError> {
    let saved = engine.set_settings(settings).await?;
    app.state::<Current>().set(saved);
    crate::desktop::show_tray(app, saved.run_in_background)?;
    Ok(saved)
}

const DESKTOP_FILE: &str = "desktop.json";
const NOTIFICATIONS_FILE: &str = "notifications.json";

/// What the older files held, under today's setting names.
fn legacy_files(dir: &Path) -> Map<String, Value> {
    let read = |name: &str| -> Map<String, Value> {
        match std::fs::read(dir.join(name)).map(|b| serde_json::from_slice(&b)) {
            Ok(Ok(Value::Object(map))) => map,
            Ok(_) => {
                tracing::warn!("{name} is unreadable; its settings keep their defaults");
                Map::new()
            }
            Err(_) => Map::new(),
        }
    };
    let mut found = read(DESKTOP_FILE);
    if let Some(on) = read(NOTIFICATIONS_FILE).remove("newMail") {
        found.insert("notifyNewMail".into(), on);
    }
    found
}

fn retire_legacy_files(dir: &Path) {
    for name in [DESKTOP_FILE, NOTIFICATIONS_FILE] {
        let file = dir.join(name);
        if file.exists() {
            if let Err(e) = std::fs::rename(&file, dir.join(format!("{name}.imported"))) {
                tracing::warn!("could not retire {}: {e}", file.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_files_are_read_under_todays_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
        write(
            DESKTOP_FILE,
            r#"{"runInBackground":true,"startInTray":false}"#,
        )
        .expect("write");
        write(NOTIFICATIONS_FILE, r#"{"newMail":false}"#).expect("write");
        let found = legacy_files(dir.path());
        assert_eq!(found.get("runInBackground"), Some(&Value::Bool(true)));
        assert_eq!(found.get("notifyNewMail"), Some(&Value::Bool(false)));
        retire_legacy_files(dir.path());
        assert!(
            legacy_files(dir.path()).is_empty(),
            "read once, never again"
        );
        assert!(dir.path().join("desktop.json.imported").exists());
    }

    #[test]
    fn a_damaged_file_adopts_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(DESKTOP_FILE), b"{oops").expect("write");
        assert!(legacy_files(dir.path()).is_empty());
    }
}
