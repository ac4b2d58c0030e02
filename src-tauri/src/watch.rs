//! Keeping accounts current in the background: one `Engine::watch` per account (IDLE on
//! INBOX, the other folders polled), each sync announced to the UI as a `mail-changed`
//! event so lists and counts refresh. A watch that needs the user (sign-in) stops and
//! says so in its event. After each sync, new mail may be announced (`notify.rs`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use courriel_engine::api::{MailChanged, SyncReport};
use courriel_engine::mailbox::WatchOptions;
use courriel_engine::{CommandError, Engine};
use tauri::{AppHandle, Emitter};

use crate::state::AppState;

/// Its payload is the engine's `api::MailChanged` (TypeScript generated from it).
pub const MAIL_CHANGED: &str = "mail-changed";

fn running() -> &'static Mutex<BTreeMap<String, tokio::sync::watch::Sender<bool>>> {
    static RUNNING: OnceLock<Mutex<BTreeMap<String, tokio::sync::watch::Sender<bool>>>> =
        OnceLock::new();
    RUNNING.get_or_init(Default::default)
}

/// Watch every account (at start-up).
pub fn start_all(app: &AppHandle, engine: Arc<Engine>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Ok(accounts) = engine.accounts().await {
            for account in accounts.iter().filter(|a| a.needs_signin.is_none()) {
                spawn(&app, engine.clone(), &account.email);
            }
        }
    });
}

/// Watch `email` (after it was added or signed in again), replacing a stopped watch.
pub fn start(app: &AppHandle, state: &AppState, email: &str) {
    if let Some(engine) = state.shared() {
        spawn(app, engine, email);
    }
}

fn spawn(app: &AppHandle, engine: Arc<Engine>, email: &str) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    if let Some(old) = running()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(email.to_owned(), stop)
    {
        let _ = old.send(true);
    }
    let app = app.clone();
    let email = email.to_owned();
    tauri::async_runtime::spawn(async move {
        let announce = |result: courriel_engine::Result<SyncReport>| {
            if result.is_ok() {
                tauri::async_runtime::spawn(crate::notify::after_sync(
                    app.clone(),
                    engine.clone(),
                    email.clone(),
                ));
            }
            let (report, error) = match result {
                Ok(r) => (Some(r), None),
                Err(e) => (None, Some(CommandError::from(e))),
            };
            let event = MailChanged {
                account_email: email.clone(),
                report,
                error,
            };
            let _ = app.emit(MAIL_CHANGED, event);
        };
        if let Err(e) = engine
            .watch(&email, WatchOptions::default(), &announce, stopped)
            .await
        {
            tracing::info!("stopped watching {email}: {e}");
        }
    });
}
