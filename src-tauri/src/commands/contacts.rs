//! Address completion in Compose's To, Cc and Bcc: the contacts learned from mail, and
//! forgetting one.

use courriel_engine::api::Contact;
use courriel_engine::CommandError;
use tauri::State;

use crate::state::AppState;

/// The contacts a recipient field's typed words find, best first.
#[tauri::command]
pub async fn contacts(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<Contact>, CommandError> {
    Ok(state.engine()?.contacts(&query, limit).await?)
}

/// Never suggest this address again, until the user writes to it.
#[tauri::command]
pub async fn forget_contact(
    state: State<'_, AppState>,
    address: String,
) -> Result<bool, CommandError> {
    Ok(state.engine()?.forget_contact(&address).await?)
}
