//! The sidebar and the message list: folders with counts, lists, search, sync.

use courriel_engine::api::{Folder, MessageSummary, SyncProgress, SyncReport};
use courriel_engine::CommandError;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The unified inbox, newest first; `grouped`: one row per conversation.
#[tauri::command]
pub async fn list_inbox(
    state: State<'_, AppState>,
    limit: u32,
    grouped: Option<bool>,
) -> Result<Vec<MessageSummary>, CommandError> {
    let engine = state.engine()?;
    Ok(match grouped {
        Some(true) => engine.inbox_conversations(limit).await?,
        _ => engine.list_inbox(limit).await?,
    })
}

/// The account's folders with unread and total counts.
#[tauri::command]
pub async fn folders(
    state: State<'_, AppState>,
    email: String,
) -> Result<Vec<Folder>, CommandError> {
    Ok(state.engine()?.folders(&email).await?)
}

/// A folder's messages (by name or role), newest first; `grouped`: one row per
/// conversation.
#[tauri::command]
pub async fn folder_messages(
    state: State<'_, AppState>,
    email: String,
    folder: String,
    limit: u32,
    grouped: Option<bool>,
) -> Result<Vec<MessageSummary>, CommandError> {
    let engine = state.engine()?;
    Ok(match grouped {
        Some(true) => engine.folder_conversations(&email, &folder, limit).await?,
        _ => engine.folder_messages(&email, &folder, limit).await?,
    })
}

/// The unified inbox's message ids, newest first (rows by `summaries`).
#[tauri::command]
pub async fn inbox_ids(
    state: State<'_, AppState>,
    grouped: Option<bool>,
) -> Result<Vec<i64>, CommandError> {
    let engine = state.engine()?;
    Ok(match grouped {
        Some(true) => engine.inbox_conversation_ids().await?,
        _ => engine.inbox_ids().await?,
    })
}

/// A folder's message ids (by name or role), newest first.
#[tauri::command]
pub async fn folder_ids(
    state: State<'_, AppState>,
    email: String,
    folder: String,
    grouped: Option<bool>,
) -> Result<Vec<i64>, CommandError> {
    let engine = state.engine()?;
    Ok(match grouped {
        Some(true) => engine.folder_conversation_ids(&email, &folder).await?,
        _ => engine.folder_ids(&email, &folder).await?,
    })
}

/// The summaries of the rows in view, in the order asked; `grouped`: each with what its
/// conversation holds.
#[tauri::command]
pub async fn summaries(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    grouped: Option<bool>,
) -> Result<Vec<MessageSummary>, CommandError> {
    let engine = state.engine()?;
    Ok(match grouped {
        Some(true) => engine.conversation_summaries(ids).await?,
        _ => engine.summaries(ids).await?,
    })
}

/// Local full-text search across every account, newest first.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<MessageSummary>, CommandError> {
    Ok(state.engine()?.search(&query, limit).await?)
}

/// A conversation, oldest first.
#[tauri::command]
pub async fn thread(
    state: State<'_, AppState>,
    thread_id: i64,
) -> Result<Vec<MessageSummary>, CommandError> {
    Ok(state.engine()?.thread(thread_id).await?)
}

/// Sync an account; each batch's progress (folder, done, total) streams on `progress`.
/// New mail it brings is announced like the background sync's (`notify.rs`), at once
/// rather than at the next background sync.
#[tauri::command]
pub async fn sync(
    app: AppHandle,
    state: State<'_, AppState>,
    email: String,
    progress: Channel<SyncProgress>,
) -> Result<SyncReport, CommandError> {
    let report = |p: &SyncProgress| {
        // A closed window drops the channel; the sync goes on regardless.
        let _ = progress.send(p.clone());
    };
    let synced = state.engine()?.sync_with_progress(&email, &report).await?;
    if let Some(engine) = state.shared() {
        tauri::async_runtime::spawn(crate::notify::after_sync(app, engine, email));
    }
    Ok(synced)
}
