//! Copies the drafts being written to the accounts' Drafts folders (`Engine::sync_drafts`),
//! so they show on the user's other devices. Woken (`soon`) when a draft is saved, it
//! gathers for [`EVERY`] before it connects: the page saves every 3 s while the user
//! types, the server gets a version at most every half minute. A draft that leaves (sent,
//! discarded) or is taken over wakes it at once (`now`): a sent message must not linger in
//! Drafts. One round at start takes what the last run left undone; one loop, so rounds
//! never overlap.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::{Event, Inner};

const EVERY: Duration = Duration::from_secs(30);

/// How the loop is woken: `soon` gathers saves, `now` goes at once.
#[derive(Default)]
pub(super) struct Wake {
    pub soon: Notify,
    pub now: Notify,
}

pub(super) async fn run(inner: Arc<Inner>) {
    let mut stop = inner.stopping();
    while !*stop.borrow() {
        match inner.engine.sync_drafts().await {
            Ok(0) => {}
            Ok(n) => inner.emit(Event::DraftsSynced(n)),
            // Offline, or a server that refused: the drafts are safe here, and the next
            // save (or the next start) tries again.
            Err(e) => tracing::warn!("drafts not copied to the server: {e}"),
        }
        tokio::select! {
            _ = inner.drafts.soon.notified() => tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = inner.drafts.now.notified() => {}
                _ = stop.changed() => {}
            },
            _ = inner.drafts.now.notified() => {}
            _ = stop.changed() => {}
        }
    }
}
