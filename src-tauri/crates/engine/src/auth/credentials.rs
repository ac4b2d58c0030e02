//! The app's and the CLI's `SecretStore`: passwords and refresh tokens from the keychain
//! (read once per run, then kept in memory), OAuth2 access tokens only in memory,
//! refreshed a minute before they expire and once more when a server refuses one. A
//! refresh token the provider no longer honours is a `NeedsSignIn` error: the engine marks
//! the account, and nothing retries it until the user signs in again.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use super::keychain::{Kind, Vault};
use super::oauth::{self, Provider, Tokens};
use super::secrets::{Secret, SecretFuture, SecretStore};
use crate::api::{Account, AuthMethod};
use crate::error::{Error, ErrorKind, Result};

/// Access tokens are renewed this long before they expire.
const MARGIN_SECS: i64 = 60;
/// When a provider does not say how long a token lives.
const DEFAULT_LIFETIME: u64 = 3600;

pub struct Credentials {
    vault: Arc<dyn Vault>,
    providers: RwLock<BTreeMap<String, Provider>>,
    access: Mutex<HashMap<String, (String, i64)>>,
    passwords: Mutex<HashMap<String, String>>,
    /// The engine's clock, for access tokens' expiry (`Engine::set_clock`).
    clock: RwLock<crate::clock::Clock>,
}

impl Credentials {
    pub fn new(vault: Arc<dyn Vault>, providers: BTreeMap<String, Provider>) -> Credentials {
        Credentials {
            vault,
            providers: RwLock::new(providers),
            access: Mutex::new(HashMap::new()),
            passwords: Mutex::new(HashMap::new()),
            clock: RwLock::new(crate::clock::system()),
        }
    }

    /// Judge tokens' expiry by `clock` (the engine's).
    pub fn set_clock(&self, clock: crate::clock::Clock) {
        *self.clock.write().unwrap_or_else(|p| p.into_inner()) = clock;
    }

    pub fn provider(&self, name: &str) -> Result<Provider> {
        self.providers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!("no OAuth2 provider named {name:?}"),
                )
            })
    }

    /// Whether `name` is a provider with a client to sign in with ([`Provider::has_client`]).
    pub fn has_client(&self, name: &str) -> bool {
        self.provider(name).is_ok_and(|p| p.has_client())
    }

    /// Add or replace a provider (settings; tests point one at a local server).
    pub fn set_provider(&self, provider: Provider) {
        self.providers
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(provider.name.clone(), provider);
    }

    /// Keep a password in the keychain.
    pub async fn save_password(&self, email: &str, password: &str) -> Result<()> {
        self.vault_call(email, Kind::Password, Some(password.to_owned()))
            .await?;
        lock(&self.passwords).insert(email.to_lowercase(), password.to_owned());
        Ok(())
    }

    /// Keep a sign-in's tokens: the refresh token in the keychain, the access token here.
    pub async fn save_tokens(&self, email: &str, tokens: &Tokens, now: i64) -> Result<()> {
        let refresh = tokens.refresh.clone().ok_or_else(|| {
            Error::new(
                ErrorKind::NeedsSignIn,
                "the provider gave no refresh token: Courriel could not stay signed in",
            )
        })?;
        self.vault_call(email, Kind::RefreshToken, Some(refresh))
            .await?;
        self.remember(email, tokens, now);
        Ok(())
    }

    /// Remove everything kept for the account, in the keychain and in memory.
    pub async fn forget(&self, email: &str) -> Result<()> {
        self.vault_call(email, Kind::Password, None).await?;
        self.vault_call(email, Kind::RefreshToken, None).await?;
        lock(&self.passwords).remove(&email.to_lowercase());
        lock(&self.access).remove(&email.to_lowercase());
        Ok(())
    }

    fn remember(&self, email: &str, tokens: &Tokens, now: i64) {
        let lifetime = tokens.expires_in.unwrap_or(DEFAULT_LIFETIME) as i64;
        lock(&self.access).insert(
            email.to_lowercase(),
            (tokens.access.clone(), now + lifetime),
        );
    }

    /// Set (Some) or delete (None) one keychain entry, off the async threads.
    async fn vault_call(&self, email: &str, kind: Kind, set: Option<String>) -> Result<()> {
        let vault = self.vault.clone();
        let email = email.to_lowercase();
        tokio::task::spawn_blocking(move || match set {
            Some(secret) => vault.set(&email, kind, &secret),
            None => vault.delete(&email, kind),
        })
        .await
        .map_err(|e| Error::new(ErrorKind::Bug, format!("a keychain task failed: {e}")))?
    }

    async fn vault_get(&self, email: &str, kind: Kind) -> Result<Option<String>> {
        let vault = self.vault.clone();
        let email = email.to_lowercase();
        tokio::task::spawn_blocking(move || vault.get(&email, kind))
            .await
            .map_err(|e| Error::new(ErrorKind::Bug, format!("a keychain task failed: {e}")))?
    }

    async fn password(&self, account: &Account) -> Result<Secret> {
        let key = account.email.to_lowercase();
        if let Some(p) = lock(&self.passwords).get(&key) {
            return Ok(Secret::Password(p.clone()));
        }
        let password = self
            .vault_get(&account.email, Kind::Password)
            .await?
            .ok_or_else(|| not_saved(account))?;
        lock(&self.passwords).insert(key, password.clone());
        Ok(Secret::Password(password))
    }

    async fn token(&self, account: &Account, provider: &str, force: bool) -> Result<Secret> {
        let now = (self.clock.read().unwrap_or_else(|p| p.into_inner()))();
        if !force {
            if let Some((token, expires)) = lock(&self.access).get(&account.email.to_lowercase()) {
                if *expires > now + MARGIN_SECS {
                    return Ok(Secret::OAuth2Token(token.clone()));
                }
            }
        }
        let refresh = self
            .vault_get(&account.email, Kind::RefreshToken)
            .await?
            .ok_or_else(|| not_saved(account))?;
        let provider = self.provider(provider)?;
        let tokens = oauth::refresh(&provider, &refresh).await?;
        if let Some(rotated) = &tokens.refresh {
            if *rotated != refresh {
                self.vault_call(&account.email, Kind::RefreshToken, Some(rotated.clone()))
                    .await?;
            }
        }
        self.remember(&account.email, &tokens, now);
        Ok(Secret::OAuth2Token(tokens.access))
    }
}

impl SecretStore for Credentials {
    fn secret<'a>(&'a self, account: &'a Account) -> SecretFuture<'a, Secret> {
        Box::pin(async move {
            match &account.auth {
                AuthMethod::Password => self.password(account).await,
                AuthMethod::OAuth2 { provider } => self.token(account, provider, false).await,
            }
        })
    }

    fn refresh<'a>(&'a self, account: &'a Account) -> SecretFuture<'a, Option<Secret>> {
        Box::pin(async move {
            match &account.auth {
                // A refused password is not helped by reading it again.
                AuthMethod::Password => Ok(None),
                AuthMethod::OAuth2 { provider } => {
                    self.token(account, provider, true).await.map(Some)
                }
            }
        })
    }
}

fn not_saved(account: &Account) -> Error {
    Error::new(
        ErrorKind::NeedsSignIn,
        format!(
            "nothing saved in the keychain for {}: sign in again",
            account.email
        ),
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
