//! The engine's background work (`courriel_engine::scheduler`), told to the window: each
//! scheduler event becomes a window event, and a sync that brought mail may announce it
//! (`notify.rs`). The shell runs no loops of its own.

use std::sync::Arc;

use courriel_engine::scheduler::Event;
use courriel_engine::Engine;
use tauri::{AppHandle, Emitter};

/// A sync ended; its payload is the engine's `api::MailChanged` (TypeScript generated).
pub const MAIL_CHANGED: &str = "mail-changed";
/// A round of sending ended: the outbox screen follows.
pub const OUTBOX_CHANGED: &str = "outbox-changed";

pub fn forward(app: &AppHandle, engine: &Arc<Engine>, event: Event) {
    match event {
        Event::MailChanged(changed) => {
            if changed.report.is_some() {
                let email = changed.account_email.clone();
                let after = crate::notify::after_sync(app.clone(), engine.clone(), email);
                tauri::async_runtime::spawn(after);
            }
            let _ = app.emit(MAIL_CHANGED, changed);
        }
        Event::OutboxChanged => {
            let _ = app.emit(OUTBOX_CHANGED, ());
        }
        Event::DraftsSynced(n) => tracing::info!("{n} drafts copied to or removed from the server"),
    }
}
