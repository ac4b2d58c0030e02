//! Folder management from the sidebar, and Unsubscribe from the reader. A list that can
//! only be left on its page has that page opened here, by the app's link opener (the
//! system browser), after the engine checked it is an https address.

use courriel_engine::api::{Folder, UnsubscribeKind, UnsubscribePlan, Unsubscribed};
use courriel_engine::{CommandError, Error, ErrorKind};
use tauri::{AppHandle, State};

use crate::state::AppState;

#[tauri::command]
pub async fn create_folder(
    state: State<'_, AppState>,
    email: String,
    parent: Option<String>,
    name: String,
) -> Result<Folder, CommandError> {
    let engine = state.engine()?;
    Ok(engine
        .create_folder(&email, parent.as_deref(), &name)
        .await?)
}

#[tauri::command]
pub async fn rename_folder(
    state: State<'_, AppState>,
    email: String,
    folder: String,
    name: String,
) -> Result<Folder, CommandError> {
    Ok(state
        .engine()?
        .rename_folder(&email, &folder, &name)
        .await?)
}

#[tauri::command]
pub async fn delete_folder(
    state: State<'_, AppState>,
    email: String,
    folder: String,
) -> Result<(), CommandError> {
    Ok(state.engine()?.delete_folder(&email, &folder).await?)
}

/// What Unsubscribe will do for message `id` (None: the message offers no way).
#[tauri::command]
pub async fn unsubscribe_plan(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<UnsubscribePlan>, CommandError> {
    Ok(state.engine()?.unsubscribe_plan(id).await?)
}

/// Unsubscribe as planned; the list's page, when that is the way, opened in the browser.
#[tauri::command]
pub async fn unsubscribe(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Unsubscribed, CommandError> {
    let done = state.engine()?.unsubscribe(id).await?;
    if done.plan.kind == UnsubscribeKind::Page {
        crate::links::open(&app, &done.plan.target)
            .map_err(|e| Error::new(ErrorKind::Config, e))?;
    }
    Ok(done)
}
