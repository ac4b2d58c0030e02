//! Sending: a draft goes to the outbox at once (nothing is lost if the app closes), held
//! for the undo window or until "send later"; the outbox worker sends it when due.

use courriel_engine::api::{Draft, SendReport};
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
    state.outbox_wake.notify_one();
    Ok(report)
}

/// Undo a send that has not gone out yet: the message leaves the outbox.
#[tauri::command]
pub async fn undo_send(state: State<'_, AppState>, outbox_id: i64) -> Result<(), CommandError> {
    Ok(state.engine()?.discard(&outbox_id.to_string()).await?)
}
