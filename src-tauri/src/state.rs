//! The engine the commands share, opened with the OS keychain. Opening can fail
//! (unwritable data directory, a cache from a newer version): the window still opens and
//! every command reports the error, typed, instead of the app dying before it can say why.
//! Without a keychain (no Secret Service running), the cache still opens read-only in
//! effect: reading works, and signing in says why it cannot.

use std::sync::{Arc, Mutex};

use courriel_engine::auth::oauth::Authorization;
use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::{store, CommandError, Engine, Error, ErrorKind};
use tokio::sync::Notify;

pub struct AppState {
    engine: Result<Arc<Engine>, Error>,
    /// Wakes the outbox worker when something is queued.
    pub outbox_wake: Arc<Notify>,
    /// The OAuth2 sign-in under way (one at a time: one browser tab to come back from).
    pub pending_oauth: Mutex<Option<Authorization>>,
}

impl AppState {
    pub fn open() -> AppState {
        AppState {
            engine: open_engine().map(Arc::new),
            outbox_wake: Arc::new(Notify::new()),
            pending_oauth: Mutex::new(None),
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

fn open_engine() -> Result<Engine, Error> {
    use courriel_engine::auth::{credentials::Credentials, keychain::Keychain, oauth};
    let dir = store::resolve_data_dir(None)?;
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
