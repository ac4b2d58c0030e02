//! The outbox worker: sends what is due (after the undo window, at the "send later"
//! time, at each retry time), sleeping until the next due time or until a new message is
//! queued. Each round ends with an `outbox-changed` event so the outbox screen follows.
//! The outbox is a table: closing the app mid-wait loses nothing, and the next start
//! settles interrupted sends first (`Engine::resume_outbox`).

use std::sync::Arc;
use std::time::Duration;

use courriel_engine::Engine;
use tauri::{AppHandle, Emitter};
use tokio::sync::Notify;

use crate::state::now;

pub const OUTBOX_CHANGED: &str = "outbox-changed";

/// The longest sleep between looks at the queue, and the pause after a failed round.
const MAX_SLEEP: i64 = 60;
const AFTER_FAILURE: i64 = 15;

pub fn spawn(app: AppHandle, engine: Arc<Engine>, wake: Arc<Notify>) {
    tauri::async_runtime::spawn(async move {
        if let Err(e) = engine.resume_outbox().await {
            tracing::warn!("resuming the outbox: {e}");
        }
        let _ = app.emit(OUTBOX_CHANGED, ());
        loop {
            let next = engine.store().next_queued_at().unwrap_or(None);
            let mut sleep = next.map_or(MAX_SLEEP, |at| (at - now()).clamp(0, MAX_SLEEP));
            if next.is_some_and(|at| at <= now()) {
                if let Err(e) = engine.run_outbox(0).await {
                    tracing::warn!("sending from the outbox: {e}");
                    sleep = AFTER_FAILURE;
                } else {
                    sleep = 0;
                }
                let _ = app.emit(OUTBOX_CHANGED, ());
                if sleep == 0 {
                    continue;
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(sleep.max(1) as u64)) => {}
                _ = wake.notified() => {}
            }
        }
    });
}
