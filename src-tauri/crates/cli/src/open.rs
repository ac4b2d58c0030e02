//! The engine the CLI drives, and where its secrets come from: the OS keychain, or the
//! environment for the run (scripts, tests), or, without a keychain, an error saying why
//! whenever a secret is needed.

use std::sync::Arc;

use courriel_engine::auth::secrets::{EnvSecrets, SecretStore, PASSWORD_ENV, TOKEN_ENV};
use courriel_engine::{Engine, Error};

/// The engine, reading secrets from the OS keychain, or from `COURRIEL_PASSWORD` /
/// `COURRIEL_OAUTH_TOKEN` when one is set (scripts, tests: the variable wins for the run,
/// nothing is written). New accounts' secrets always go to the keychain.
pub fn open_engine(dir: &std::path::Path) -> Result<Engine, Error> {
    use courriel_engine::auth::{credentials::Credentials, keychain::Keychain, oauth};
    let from_env = [PASSWORD_ENV, TOKEN_ENV]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    // A missing keychain only matters to commands that need a secret from it: reading
    // the cache, or scripts passing secrets in the environment, work without one.
    let (credentials, down) = match Keychain::open() {
        Ok(keychain) => {
            let providers = oauth::providers(oauth::config_file().as_deref())?;
            (
                Some(Arc::new(Credentials::new(Arc::new(keychain), providers))),
                None,
            )
        }
        Err(e) => (None, Some(e)),
    };
    let secrets: Arc<dyn SecretStore> = match (&credentials, down) {
        _ if from_env => Arc::new(EnvSecrets::default()),
        (Some(c), _) => c.clone(),
        (None, Some(e)) => Arc::new(KeychainDown(e)),
        (None, None) => Arc::new(EnvSecrets::default()),
    };
    let engine = Engine::open(dir, secrets)?;
    Ok(match credentials {
        Some(c) => engine.with_credentials(c),
        None => engine,
    })
}

/// Secrets when the keychain could not be opened: every request says why.
struct KeychainDown(Error);

impl SecretStore for KeychainDown {
    fn secret<'a>(
        &'a self,
        _: &'a courriel_engine::api::Account,
    ) -> courriel_engine::auth::secrets::SecretFuture<'a, courriel_engine::auth::secrets::Secret>
    {
        let e = self.0.clone();
        Box::pin(async move { Err(e) })
    }
}
