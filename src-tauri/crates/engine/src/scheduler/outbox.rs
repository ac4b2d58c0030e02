//! The outbox loop: sends what is due, sleeping until the next due time, a wake-up, or
//! the next look at the queue. The first round settles sends a crash interrupted.

use std::sync::Arc;
use std::time::Duration;

use super::{Event, Inner};

/// How often the queue is looked at without a wake-up: mail queued by another process
/// (`courriel send --later`, a script) on the same data directory goes within this.
const LOOK_EVERY: i64 = 2;
/// The pause after a failed round (the server is down: the messages keep their backoff).
const AFTER_FAILURE: i64 = 15;

pub(super) async fn run(inner: Arc<Inner>) {
    let mut stop = inner.stopping();
    if let Err(e) = inner.engine.resume_outbox().await {
        tracing::warn!("resuming the outbox: {e}");
    }
    inner.emit(Event::OutboxChanged);
    while !*stop.borrow() {
        let now = inner.engine.now();
        let next = inner.engine.store().next_queued_at().unwrap_or(None);
        let mut sleep = next.map_or(LOOK_EVERY, |at| (at - now).clamp(0, LOOK_EVERY));
        if next.is_some_and(|at| at <= now) {
            sleep = match inner.engine.run_outbox(0).await {
                Ok(_) => 0,
                Err(e) => {
                    tracing::warn!("sending from the outbox: {e}");
                    AFTER_FAILURE
                }
            };
            inner.emit(Event::OutboxChanged);
            if sleep == 0 {
                continue;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(sleep.max(1) as u64)) => {}
            _ = inner.outbox.notified() => {}
            _ = stop.changed() => {}
        }
    }
}
