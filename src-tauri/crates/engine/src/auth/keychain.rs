//! The OS keychain: the only place passwords and refresh tokens are kept (macOS Keychain,
//! Windows Credential Manager, the Secret Service on Linux, through keyring-core and each
//! platform's store crate). Calls block (D-Bus, Security framework), so the async API
//! runs them on `spawn_blocking`. Failures are `ErrorKind::Keychain` errors that say what
//! to do about them.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::error::{Error, ErrorKind, Result};

/// What is kept for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Password,
    RefreshToken,
}

impl Kind {
    /// The keychain's "service" for this kind; the account's address is the "user".
    fn service(self) -> &'static str {
        match self {
            Kind::Password => "Courriel password",
            Kind::RefreshToken => "Courriel OAuth2 refresh token",
        }
    }
}

/// Somewhere secrets are kept. The keychain in the app and the CLI; tests may use
/// another real store behind the same calls.
pub trait Vault: Send + Sync {
    fn get(&self, account: &str, kind: Kind) -> Result<Option<String>>;
    fn set(&self, account: &str, kind: Kind, secret: &str) -> Result<()>;
    /// Removing what is not there is not an error.
    fn delete(&self, account: &str, kind: Kind) -> Result<()>;
}

/// The platform's keychain.
pub struct Keychain {
    store: Arc<CredentialStore>,
}

impl Keychain {
    /// Connect to the platform's credential store.
    pub fn open() -> Result<Keychain> {
        Ok(Keychain {
            store: platform_store().map_err(|e| keychain_error("opening the keychain", e))?,
        })
    }

    fn entry(&self, account: &str, kind: Kind) -> Result<Entry> {
        Entry::new_in_store(&self.store, kind.service(), account)
            .map_err(|e| keychain_error("naming a keychain entry", e))
    }
}

impl Vault for Keychain {
    fn get(&self, account: &str, kind: Kind) -> Result<Option<String>> {
        match self.entry(account, kind)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error("reading from the keychain", e)),
        }
    }

    fn set(&self, account: &str, kind: Kind, secret: &str) -> Result<()> {
        self.entry(account, kind)?
            .set_password(secret)
            .map_err(|e| keychain_error("saving to the keychain", e))
    }

    fn delete(&self, account: &str, kind: Kind) -> Result<()> {
        match self.entry(account, kind)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error("removing from the keychain", e)),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "freebsd"))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "macos",
    target_os = "windows"
)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no keychain support on this platform".into(),
    ))
}

/// A keychain failure in words a user can act on.
fn keychain_error(doing: &str, e: keyring_core::Error) -> Error {
    use keyring_core::Error as K;
    let advice = match &e {
        K::NoStorageAccess(_) => {
            "the keychain is locked or refused access: unlock it (log in to the desktop session) and try again"
        }
        K::PlatformFailure(_) if cfg!(target_os = "linux") => {
            "no Secret Service answered: run a keyring (GNOME Keyring or KWallet) in your desktop session; \
             on a headless machine start one inside `dbus-run-session` and unlock it; \
             or, in a script, give the password in COURRIEL_PASSWORD for each run"
        }
        K::PlatformFailure(_) => "the system keychain failed",
        _ => "the keychain could not do it",
    };
    Error::new(ErrorKind::Keychain, format!("{doing}: {advice} ({e})"))
}
