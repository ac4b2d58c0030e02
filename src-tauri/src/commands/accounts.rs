//! Onboarding and account settings: find an address's servers, add an account with a
//! password or through the browser (OAuth2), sign in again, identities, limits.

use courriel_engine::api::{Account, DiscoveredSettings, Identity, NewAccount, SentCopy};
use courriel_engine::CommandError;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

#[tauri::command]
pub async fn accounts(state: State<'_, AppState>) -> Result<Vec<Account>, CommandError> {
    Ok(state.engine()?.accounts().await?)
}

/// The servers of an address, best first, each saying where it came from.
#[tauri::command]
pub async fn discover(
    state: State<'_, AppState>,
    email: String,
    display_name: String,
) -> Result<Vec<DiscoveredSettings>, CommandError> {
    Ok(state
        .engine()?
        .discover_settings(&email, &display_name)
        .await?)
}

/// Log in to both servers with the password, then save the account (password in the
/// keychain) and start keeping it current.
#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    account: NewAccount,
    password: String,
    source: String,
) -> Result<Account, CommandError> {
    let added = state
        .engine()?
        .create_account_from(account, &password, &source)
        .await?;
    state.watch(&added.email);
    Ok(added)
}

/// Open the provider's consent page in the system browser; `finish_oauth` waits for it.
#[tauri::command]
pub async fn begin_oauth(
    app: AppHandle,
    state: State<'_, AppState>,
    provider: String,
    email: String,
) -> Result<(), CommandError> {
    let authorization = state.engine()?.begin_oauth(&provider, Some(&email)).await?;
    open_in_browser(&app, &authorization.authorize_url);
    *state
        .pending_oauth
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(authorization);
    Ok(())
}

/// Wait for the browser to come back, then save the new account with its tokens.
#[tauri::command]
pub async fn finish_oauth_account(
    state: State<'_, AppState>,
    account: NewAccount,
    provider: String,
    source: String,
) -> Result<Account, CommandError> {
    let authorization = state.take_oauth()?;
    let added = state
        .engine()?
        .finish_oauth_account(authorization, account, &provider, &source)
        .await?;
    state.watch(&added.email);
    Ok(added)
}

/// Wait for the browser to come back, then sign the existing account in again.
#[tauri::command]
pub async fn finish_sign_in(
    state: State<'_, AppState>,
    email: String,
) -> Result<Account, CommandError> {
    let authorization = state.take_oauth()?;
    let account = state
        .engine()?
        .finish_sign_in(authorization, &email)
        .await?;
    state.watch(&account.email);
    state.outbox_changed(); // its mail waited for the sign-in
    Ok(account)
}

/// The one-click fix for "needs sign-in" on a password account.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    email: String,
    password: String,
) -> Result<Account, CommandError> {
    let account = state.engine()?.change_password(&email, &password).await?;
    state.watch(&account.email);
    state.outbox_changed(); // its mail waited for the sign-in
    Ok(account)
}

#[tauri::command]
pub async fn remove_account(
    state: State<'_, AppState>,
    email: String,
    discard_outbox: bool,
) -> Result<(), CommandError> {
    Ok(state
        .engine()?
        .remove_account(&email, discard_outbox)
        .await?)
}

#[tauri::command]
pub async fn save_identity(
    state: State<'_, AppState>,
    email: String,
    identity: Identity,
) -> Result<Account, CommandError> {
    Ok(state.engine()?.save_identity(&email, identity).await?)
}

#[tauri::command]
pub async fn remove_identity(
    state: State<'_, AppState>,
    email: String,
    identity: String,
) -> Result<Account, CommandError> {
    Ok(state.engine()?.remove_identity(&email, &identity).await?)
}

/// Recipients per minute and per day (0: the provider's default).
#[tauri::command]
pub async fn set_send_limits(
    state: State<'_, AppState>,
    email: String,
    per_minute: u32,
    per_day: u32,
) -> Result<(), CommandError> {
    Ok(state
        .engine()?
        .set_send_limits(&email, per_minute, per_day)
        .await?)
}

/// Who files sent copies (Courriel or the provider).
#[tauri::command]
pub async fn set_sent_copy(
    state: State<'_, AppState>,
    email: String,
    sent_copy: SentCopy,
) -> Result<Account, CommandError> {
    Ok(state.engine()?.set_sent_copy(&email, sent_copy).await?)
}

/// How many days of bodies to fetch ahead (null: all).
#[tauri::command]
pub async fn set_sync_window(
    state: State<'_, AppState>,
    email: String,
    days: Option<u32>,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_body_window(&email, days).await?)
}

pub fn open_in_browser(app: &AppHandle, url: &str) {
    if let Err(e) = app.opener().open_url(url, None::<&str>) {
        tracing::warn!("could not open {url} in the browser: {e}");
    }
}
