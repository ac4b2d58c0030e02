//! Settings: background mode, new-mail notifications, the undo window (see `settings.rs`).

use courriel_engine::api::Settings;
use courriel_engine::CommandError;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The settings, each at its default until changed.
#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Result<Settings, CommandError> {
    Ok(state.engine()?.settings().await?)
}

/// Saves the settings and applies them at once (the tray icon); returns them as kept.
#[tauri::command]
pub async fn set_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, CommandError> {
    crate::settings::apply(&app, state.engine()?, settings).await
}
