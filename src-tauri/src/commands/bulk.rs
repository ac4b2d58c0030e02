//! The list's selection: one action on many messages (one server command per folder),
//! and Undo.

use courriel_engine::api::{ActReport, MessageAction, Moved};
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

/// Archive, delete, move, junk, mark read or flag every message of `ids`.
#[tauri::command]
pub async fn act_many(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    action: MessageAction,
) -> Result<ActReport, CommandError> {
    Ok(state.engine()?.act_many(ids, action).await?)
}

/// The same on grouped rows: each id stands for its conversation in its folder.
#[tauri::command]
pub async fn act_on_conversations(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    action: MessageAction,
) -> Result<ActReport, CommandError> {
    Ok(state.engine()?.act_on_conversations(ids, action).await?)
}

/// Put back what an action moved; how many messages went back.
#[tauri::command]
pub async fn undo(state: State<'_, AppState>, moved: Vec<Moved>) -> Result<u32, CommandError> {
    Ok(state.engine()?.undo(moved).await?)
}
