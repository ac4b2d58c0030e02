//! The engine the commands share. Opening can fail (unwritable data directory, a cache
//! from a newer version): the window still opens and every command reports the error,
//! typed, instead of the app dying before it can say why.

use std::sync::Arc;

use courriel_engine::auth::secrets::NoSecrets;
use courriel_engine::{store, CommandError, Engine, Error};

pub struct AppState {
    engine: Result<Engine, Error>,
}

impl AppState {
    pub fn open() -> AppState {
        // Reading the cache needs no credentials; syncing from the app comes with the
        // keychain (accounts issue).
        let engine =
            store::resolve_data_dir(None).and_then(|dir| Engine::open(&dir, Arc::new(NoSecrets)));
        AppState { engine }
    }

    pub fn engine(&self) -> Result<&Engine, CommandError> {
        self.engine.as_ref().map_err(|e| e.clone().into())
    }
}
