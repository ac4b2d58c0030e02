//! Copies the drafts being written to the accounts' Drafts folders
//! (`Engine::sync_drafts`), so they show on the user's other devices. Woken (`Wake::Soon`)
//! when a draft is saved, it gathers for [`EVERY`] before it connects: the page saves
//! every 3 s while the user types, the server gets a version at most every half minute.
//! A draft that leaves (sent, discarded) or is taken over wakes it at once (`Wake::Now`):
//! a sent message must not linger in Drafts. One round at start takes what the last run
//! left undone. One worker, so rounds never overlap.

use std::sync::Arc;
use std::time::Duration;

use courriel_engine::Engine;
use tokio::sync::Notify;

const EVERY: Duration = Duration::from_secs(30);

/// How the worker is woken: `soon` gathers saves, `now` goes at once.
#[derive(Default)]
pub struct Wake {
    pub soon: Notify,
    pub now: Notify,
}

pub fn spawn(engine: Arc<Engine>, wake: Arc<Wake>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match engine.sync_drafts().await {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} drafts copied to or removed from the server"),
                // Offline, or a server that refused: the drafts are safe here, and the
                // next save (or the next start) tries again.
                Err(e) => tracing::warn!("drafts not copied to the server: {e}"),
            }
            tokio::select! {
                _ = wake.soon.notified() => tokio::select! {
                    _ = tokio::time::sleep(EVERY) => {}
                    _ = wake.now.notified() => {}
                },
                _ = wake.now.notified() => {}
            }
        }
    });
}
