//! The engine the commands share, opened with the OS keychain. Opening can fail
//! (unwritable data directory, a cache from a newer version): the window still opens and
//! every command reports the error, typed, instead of the app dying before it can say why.
//! Without a keychain (no Secret Service running), the cache still opens read-only in
//! effect: reading works, and signing in says why it cannot.
//!
//! `COURRIEL_DNS=ip:port` makes the sender checks and the domain check ask that name
//! server instead of the system's (a split-horizon or test DNS; the end-to-end test
//! points it at its own dnsmasq). Unparsable, it is ignored with a warning.

use std::sync::{Arc, Mutex, OnceLock};

use courriel_engine::auth::oauth::Authorization;
use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::scheduler::Scheduler;
use courriel_engine::TrustOptions;
use courriel_engine::{CommandError, Engine, Error, ErrorKind};

pub struct AppState {
    engine: Result<Arc<Engine>, Error>,
    /// The engine's background work, once started (`lib.rs`).
    scheduler: OnceLock<Scheduler>,
    /// The OAuth2 sign-in under way (one at a time: one browser tab to come back from).
    pub pending_oauth: Mutex<Option<Authorization>>,
    /// Where the trust checks ask DNS (`COURRIEL_DNS`, else the system).
    pub trust: TrustOptions,
}

impl AppState {
    pub fn open() -> AppState {
        let started = std::time::Instant::now();
        let engine = open_engine().map(Arc::new);
        tracing::info!("engine opened in {:?}", started.elapsed()); // part of every start
        AppState {
            engine,
            scheduler: OnceLock::new(),
            pending_oauth: Mutex::new(None),
            trust: TrustOptions {
                dns: dns_server(std::env::var("COURRIEL_DNS").ok().as_deref()),
                ..Default::default()
            },
        }
    }

    pub fn engine(&self) -> Result<&Engine, CommandError> {
        self.engine
            .as_ref()
            .map(|e| e.as_ref())
            .map_err(|e| e.clone().into())
    }

    /// The engine, shared with background tasks.
    pub fn shared(&self) -> Option<Arc<Engine>> {
        self.engine.as_ref().ok().cloned()
    }

    pub fn set_scheduler(&self, scheduler: Scheduler) {
        if self.scheduler.set(scheduler).is_err() {
            tracing::warn!("the background work was started twice; the second is ignored");
        }
    }

    pub fn scheduler(&self) -> Option<&Scheduler> {
        self.scheduler.get()
    }

    /// Something was queued, or an account can send again.
    pub fn outbox_changed(&self) {
        self.scheduler().inspect(|s| s.outbox_changed());
    }

    /// A draft was saved: to the Drafts folder soon.
    pub fn draft_saved(&self) {
        self.scheduler().inspect(|s| s.draft_saved());
    }

    /// A draft left or was taken over: the Drafts folder at once.
    pub fn draft_left(&self) {
        self.scheduler().inspect(|s| s.draft_left());
    }

    /// Keep `email` current (added, or signed in again).
    pub fn watch(&self, email: &str) {
        self.scheduler().inspect(|s| s.watch(email));
    }

    pub fn take_oauth(&self) -> Result<Authorization, CommandError> {
        self.pending_oauth
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| {
                Error::new(ErrorKind::Config, "no sign-in was started in the browser").into()
            })
    }
}

/// The name server `COURRIEL_DNS` names (`127.0.0.1:5353`); none when unset or invalid.
fn dns_server(value: Option<&str>) -> Option<std::net::SocketAddr> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse() {
        Ok(addr) => Some(addr),
        Err(e) => {
            tracing::warn!("COURRIEL_DNS={value:?} is not ip:port ({e}); using the system's DNS");
            None
        }
    }
}

fn open_engine() -> Result<Engine, Error> {
    use courriel_engine::auth::{credentials::Credentials, keychain::Keychain, oauth};
    let dir = courriel_engine::resolve_data_dir(None)?;
    match Keychain::open() {
        Ok(keychain) => {
            let providers = oauth::providers(oauth::config_file().as_deref())?;
            let credentials = Arc::new(Credentials::new(Arc::new(keychain), providers));
            Engine::open_with_credentials(&dir, credentials)
        }
        Err(e) => {
            tracing::warn!("no keychain, accounts cannot sign in: {e}");
            Engine::open(&dir, Arc::new(NoSecrets))
        }
    }
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn courriel_dns_names_one_server_or_none() {
        assert_eq!(
            super::dns_server(Some("127.0.0.1:5353")),
            Some(([127, 0, 0, 1], 5353).into())
        );
        assert_eq!(super::dns_server(Some("")), None);
        assert_eq!(super::dns_server(Some("dns.example.org")), None);
        assert_eq!(super::dns_server(None), None);
    }
}
