//! Where an account's password comes from, behind a small trait so the OS keychain
//! (accounts issue) slots in without touching the engine.
//!
//! Until the keychain lands, the CLI and tests use [`EnvSecrets`]: the password is read
//! from `COURRIEL_PASSWORD` for the one run, and is never written anywhere.

use crate::api::Account;
use crate::error::{Error, ErrorKind, Result};

pub trait SecretStore: Send + Sync {
    /// The account's password.
    fn password(&self, account: &Account) -> Result<String>;
}

/// The password from an environment variable, for one process run.
pub struct EnvSecrets {
    pub var: &'static str,
}

/// The variable [`EnvSecrets::default`] reads.
pub const PASSWORD_ENV: &str = "COURRIEL_PASSWORD";

impl Default for EnvSecrets {
    fn default() -> Self {
        EnvSecrets { var: PASSWORD_ENV }
    }
}

impl SecretStore for EnvSecrets {
    fn password(&self, account: &Account) -> Result<String> {
        std::env::var(self.var).map_err(|_| {
            Error::new(
                ErrorKind::Auth,
                format!("no password for {}: set {}", account.email, self.var),
            )
        })
    }
}

/// No secrets at all: for callers that only read the cache (the desktop app, for now).
pub struct NoSecrets;

impl SecretStore for NoSecrets {
    fn password(&self, account: &Account) -> Result<String> {
        Err(Error::new(
            ErrorKind::Auth,
            format!(
                "{} needs signing in (no credentials available here yet)",
                account.email
            ),
        ))
    }
}
