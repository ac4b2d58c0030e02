//! Settings → "Notify me of new mail": the shell's own setting (see `notify.rs`).

use courriel_engine::{CommandError, Error, ErrorKind};
use tauri::State;

use crate::notify::Notifier;

/// Whether new mail is announced with a desktop notification.
#[tauri::command]
pub fn notifications(notifier: State<'_, Notifier>) -> bool {
    notifier.enabled()
}

/// Turn new-mail notifications on or off (remembered across restarts).
#[tauri::command]
pub fn set_notifications(notifier: State<'_, Notifier>, enabled: bool) -> Result<(), CommandError> {
    notifier.set_enabled(enabled).map_err(|e| {
        Error::new(
            ErrorKind::Storage,
            format!("saving the notification setting: {e}"),
        )
        .into()
    })
}
