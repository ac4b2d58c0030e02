//! The engine's own background work, started and stopped by whoever hosts it (the desktop
//! app, `courriel watch`), so both behave the same. As chatmail/core's scheduler: one
//! owner for the loops, each woken by what concerns it and stopped together.
//!
//! - `outbox`: sends what is due (after the undo window, at "send later" times, at retry
//!   times), woken when something is queued; it also looks at the queue every few
//!   seconds, so mail queued by another process on the same data directory goes too.
//! - `drafts`: copies drafts being written to the Drafts folders, at most every 30 s.
//! - `watch`: one loop per account, IDLE on INBOX and the other folders polled.
//!
//! What happens is told through `Event`s; the host forwards them (the app as window
//! events, the CLI as lines).

mod drafts;
mod outbox;
mod watch;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::runtime::Handle;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::api::MailChanged;
use crate::engine::Engine;

/// What the background work reports.
#[derive(Debug, Clone)]
pub enum Event {
    /// A sync of an account ended (new mail, or why it failed).
    MailChanged(MailChanged),
    /// The outbox changed: a round of sending ended.
    OutboxChanged,
    /// Drafts copied to, or removed from, the Drafts folders.
    DraftsSynced(u32),
}

type Listener = dyn Fn(Event) + Send + Sync;

/// The running background work. Dropping it does not stop it: call `stop`.
#[derive(Clone)]
pub struct Scheduler {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Arc<Engine>,
    runtime: Handle,
    events: Box<Listener>,
    outbox: Notify,
    drafts: drafts::Wake,
    stop: tokio::sync::watch::Sender<bool>,
    watches: Mutex<BTreeMap<String, tokio::sync::watch::Sender<bool>>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Scheduler {
    /// Start the outbox, the drafts and a watch per signed-in account on `runtime`;
    /// `events` hears what they do.
    pub fn start(
        engine: Arc<Engine>,
        runtime: &Handle,
        events: impl Fn(Event) + Send + Sync + 'static,
    ) -> Scheduler {
        let scheduler = Scheduler {
            inner: Arc::new(Inner {
                engine,
                runtime: runtime.clone(),
                events: Box::new(events),
                outbox: Notify::new(),
                drafts: drafts::Wake::default(),
                stop: tokio::sync::watch::channel(false).0,
                watches: Mutex::default(),
                tasks: Mutex::default(),
            }),
        };
        scheduler.spawn(outbox::run(scheduler.inner.clone()));
        scheduler.spawn(drafts::run(scheduler.inner.clone()));
        scheduler.spawn(watch::all(scheduler.clone()));
        scheduler
    }

    /// Something was queued, or an account can send again: look at the outbox now.
    pub fn outbox_changed(&self) {
        self.inner.outbox.notify_one();
    }

    /// A draft was saved: copy it to the server soon (gathering saves).
    pub fn draft_saved(&self) {
        self.inner.drafts.soon.notify_one();
    }

    /// A draft left (sent, discarded) or was taken over: update the server now.
    pub fn draft_left(&self) {
        self.inner.drafts.now.notify_one();
    }

    /// Watch `email` (added, or signed in again), replacing a watch that stopped.
    pub fn watch(&self, email: &str) {
        watch::start(self, email);
    }

    /// Stop everything and wait for the loops to end (a sync or a send under way is
    /// abandoned where it stands: the outbox and the cache resume from there).
    pub async fn stop(&self) {
        self.inner.stop.send_replace(true);
        for (_, watch) in lock(&self.inner.watches).iter() {
            watch.send_replace(true);
        }
        let tasks: Vec<_> = lock(&self.inner.tasks).drain(..).collect();
        for task in tasks {
            let wait = tokio::time::timeout(std::time::Duration::from_secs(3), task);
            if wait.await.is_err() {
                tracing::info!("a background task did not stop within 3 s; left to the runtime");
            }
        }
    }

    fn spawn(&self, work: impl std::future::Future<Output = ()> + Send + 'static) {
        let task = self.inner.runtime.spawn(work);
        lock(&self.inner.tasks).push(task);
    }
}

impl Inner {
    fn emit(&self, event: Event) {
        (self.events)(event);
    }

    fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stop.subscribe()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
