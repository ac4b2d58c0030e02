//! The outbox screen: each message's state, next try and replies in plain words; the
//! recorded conversation as a timeline; resend, discard, edit a refused message.

use courriel_engine::api::{Draft, OutboxItem, SendReport, TraceView};
use courriel_engine::lang::Lang;
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn outbox(
    state: State<'_, AppState>,
    lang: Lang,
) -> Result<Vec<OutboxItem>, CommandError> {
    Ok(state.engine()?.outbox_items(lang).await?)
}

#[tauri::command]
pub async fn trace(
    state: State<'_, AppState>,
    outbox_id: i64,
    lang: Lang,
) -> Result<TraceView, CommandError> {
    Ok(state
        .engine()?
        .trace_view(&outbox_id.to_string(), lang)
        .await?)
}

/// Send a failed or uncertain message again, to whoever has not accepted it.
#[tauri::command]
pub async fn resend(
    state: State<'_, AppState>,
    outbox_id: i64,
) -> Result<SendReport, CommandError> {
    Ok(state.engine()?.resend(&outbox_id.to_string()).await?)
}

/// Drop a message from the outbox.
#[tauri::command]
pub async fn discard(state: State<'_, AppState>, outbox_id: i64) -> Result<(), CommandError> {
    Ok(state.engine()?.discard(&outbox_id.to_string()).await?)
}

/// A refused message as a draft to edit.
#[tauri::command]
pub async fn outbox_draft(
    state: State<'_, AppState>,
    outbox_id: i64,
) -> Result<Draft, CommandError> {
    Ok(state.engine()?.outbox_draft(&outbox_id.to_string()).await?)
}
