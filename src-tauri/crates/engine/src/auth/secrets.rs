//! Where an account's credentials come from, behind a small trait so the OS keychain
//! (accounts issue) slots in without touching the engine.
//!
//! Until the keychain lands, the CLI uses [`EnvSecrets`]: a password from
//! `COURRIEL_PASSWORD`, or an OAuth2 access token from `COURRIEL_OAUTH_TOKEN`, for the
//! one run; neither is ever written anywhere.

use crate::api::Account;
use crate::error::{Error, ErrorKind, Result};

/// A credential. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Password(String),
    /// An OAuth2 access token (XOAUTH2 / OAUTHBEARER).
    OAuth2Token(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Password(<redacted>)"),
            Secret::OAuth2Token(_) => f.write_str("OAuth2Token(<redacted>)"),
        }
    }
}

/// A boxed future: the trait stays usable as `dyn SecretStore` (keychain reads and token
/// refreshes are I/O).
pub type SecretFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 'a>>;

pub trait SecretStore: Send + Sync {
    /// The account's current credential.
    fn secret<'a>(&'a self, account: &'a Account) -> SecretFuture<'a, Secret>;

    /// The server refused the credential once: get a fresh one if that can help (an
    /// OAuth2 refresh). `None`: nothing better to offer, the refusal stands.
    fn refresh<'a>(&'a self, _account: &'a Account) -> SecretFuture<'a, Option<Secret>> {
        Box::pin(async { Ok(None) })
    }

    /// Whether the secret was handed to this run (a script's environment) rather than
    /// read from where it was saved: then an account marked "needs sign-in" is tried
    /// with it, since the person may have given the new one.
    fn given_for_this_run(&self) -> bool {
        false
    }
}

/// Credentials from environment variables, for one process run.
pub struct EnvSecrets {
    pub password_var: &'static str,
    pub token_var: &'static str,
}

pub const PASSWORD_ENV: &str = "COURRIEL_PASSWORD";
pub const TOKEN_ENV: &str = "COURRIEL_OAUTH_TOKEN";

impl Default for EnvSecrets {
    fn default() -> Self {
        EnvSecrets {
            password_var: PASSWORD_ENV,
            token_var: TOKEN_ENV,
        }
    }
}

impl SecretStore for EnvSecrets {
    fn secret<'a>(&'a self, account: &'a Account) -> SecretFuture<'a, Secret> {
        Box::pin(async move { self.read_env(account) })
    }

    fn given_for_this_run(&self) -> bool {
        std::env::var_os(self.password_var).is_some() || std::env::var_os(self.token_var).is_some()
    }
}

impl EnvSecrets {
    fn read_env(&self, account: &Account) -> Result<Secret> {
        if let Ok(token) = std::env::var(self.token_var) {
            return Ok(Secret::OAuth2Token(token));
        }
        std::env::var(self.password_var)
            .map(Secret::Password)
            .map_err(|_| {
                Error::new(
                    ErrorKind::Auth,
                    format!(
                        "no credentials for {}: set {} (or {})",
                        account.email, self.password_var, self.token_var
                    ),
                )
            })
    }
}

/// No secrets at all: for callers that only read the cache (the desktop app, for now).
pub struct NoSecrets;

impl SecretStore for NoSecrets {
    fn secret<'a>(&'a self, account: &'a Account) -> SecretFuture<'a, Secret> {
        let email = account.email.clone();
        Box::pin(async move {
            Err(Error::new(
                ErrorKind::Auth,
                format!("{email} needs signing in (no credentials available here yet)"),
            ))
        })
    }
}
