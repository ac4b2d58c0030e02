//! Sending: a draft goes to the outbox at once (nothing is lost if the app closes), held
//! for the undo window or until "send later"; the outbox worker sends it when due.

use courriel_engine::api::{Draft, LocalDraft, SendReport};
use courriel_engine::CommandError;
use tauri::State;

use crate::state::{now, AppState};

/// Queue `draft` from `email`, held `delay_secs` (the undo window) or until `send_at`
/// (unix seconds).
#[tauri::command]
pub async fn queue(
    state: State<'_, AppState>,
    email: String,
    draft: Draft,
    delay_secs: u32,
    send_at: Option<i64>,
) -> Result<SendReport, CommandError> {
    let not_before = send_at.unwrap_or_else(|| now() + i64::from(delay_secs));
    let report = state
        .engine()?
        .queue(&email, draft, Some(not_before))
        .await?;
    state.outbox_changed();
    Ok(report)
}

/// The largest message the account's server takes, in bytes, as last seen (`None`: not
/// known yet, or no limit): Compose warns before attachments pass it.
#[tauri::command]
pub async fn send_size_limit(
    state: State<'_, AppState>,
    email: String,
) -> Result<Option<u64>, CommandError> {
    Ok(state.engine()?.send_size_limit(&email).await?)
}

/// Undo a send that has not gone out yet: the message leaves the outbox.
#[tauri::command]
pub async fn undo_send(state: State<'_, AppState>, outbox_id: i64) -> Result<(), CommandError> {
    Ok(state.engine()?.discard(&outbox_id.to_string()).await?)
}

/// Save a draft being written (every few seconds, and on close).
#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, draft: LocalDraft) -> Result<(), CommandError> {
    state.engine()?.save_local_draft(draft).await?;
    state.draft_saved(); // and to the Drafts folder, soon
    Ok(())
}

/// The drafts left open, most recent first (reopened at start-up).
#[tauri::command]
pub async fn drafts(state: State<'_, AppState>) -> Result<Vec<LocalDraft>, CommandError> {
    Ok(state.engine()?.local_drafts().await?)
}

/// A message of a Drafts folder (begun on another device) as a draft being written here.
#[tauri::command]
pub async fn edit_draft(state: State<'_, AppState>, id: i64) -> Result<LocalDraft, CommandError> {
    let draft = state.engine()?.edit_draft(id).await?;
    state.draft_left(); // a draft from another client is uploaded anew
    Ok(draft)
}

/// Forget a draft (queued or discarded).
#[tauri::command]
pub async fn delete_draft(state: State<'_, AppState>, key: String) -> Result<(), CommandError> {
    state.engine()?.delete_local_draft(&key).await?;
    state.draft_left(); // its copy leaves the Drafts folder at once
    Ok(())
}
