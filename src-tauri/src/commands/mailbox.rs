//! The message list.

use courriel_engine::api::MessageSummary;
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

/// The unified inbox, newest first.
#[tauri::command]
pub async fn list_inbox(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<Vec<MessageSummary>, CommandError> {
    Ok(state.engine()?.list_inbox(limit).await?)
}
