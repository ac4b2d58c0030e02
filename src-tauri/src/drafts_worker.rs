//! Copies the drafts being written to the accounts' Drafts folders
//! (`Engine::sync_drafts`), so they show on the user's other devices. Woken when a draft
//! is saved or leaves, then it gathers for [`EVERY`] before it connects: the page saves
//! every 3 s while the user types, the server gets a version at most every half minute.
//! One round at start takes what the last run left undone.

use std::sync::Arc;
use std::time::Duration;

use courriel_engine::Engine;
use tokio::sync::Notify;

const EVERY: Duration = Duration::from_secs(30);

pub fn spawn(engine: Arc<Engine>, wake: Arc<Notify>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match engine.sync_drafts().await {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} drafts copied to or removed from the server"),
                // Offline, or a server that refused: the drafts are safe here, and the
                // next save (or the next start) tries again.
                Err(e) => tracing::warn!("drafts not copied to the server: {e}"),
            }
            wake.notified().await;
            tokio::time::sleep(EVERY).await;
        }
    });
}
