//! The reader: open a message, change it, its remote content. The body itself reaches
//! the page through the `courriel-msg:` scheme (`scheme.rs`), not through a command.

use courriel_engine::api::{MessageAction, MessageDetail, RemoteContent};
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

/// A message with its sanitized HTML, text and attachments (the body is fetched on
/// demand when it is not cached yet).
#[tauri::command]
pub async fn show(state: State<'_, AppState>, id: i64) -> Result<MessageDetail, CommandError> {
    Ok(state.engine()?.show(id).await?)
}

/// Flag, move, archive, delete: at once locally, then on the server.
#[tauri::command]
pub async fn act(
    state: State<'_, AppState>,
    id: i64,
    action: MessageAction,
) -> Result<u32, CommandError> {
    Ok(state.engine()?.act(id, action).await?)
}

/// Whether the message has remote content and whether its sender is allowed always.
#[tauri::command]
pub async fn remote_content(
    state: State<'_, AppState>,
    id: i64,
) -> Result<RemoteContent, CommandError> {
    Ok(state.engine()?.remote_content(id).await?)
}

/// Load remote content from this sender always (or stop doing so).
#[tauri::command]
pub async fn set_remote_content(
    state: State<'_, AppState>,
    sender: String,
    always: bool,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_remote_content(&sender, always).await?)
}
