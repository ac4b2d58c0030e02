//! The OS keychain: the only place passwords and refresh tokens are kept (macOS Keychain,
//! Windows Credential Manager, the Secret Service on Linux, through keyring-core and each
//! platform's store crate: [`Store`]). Calls block (D-Bus, Security framework), so the
//! async API runs them on `spawn_blocking`. Failures are `ErrorKind::Keychain` errors that
//! say what to do about them.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

use crate::dirs::Os;
use crate::error::{Error, ErrorKind, Result};

/// The credential store that is each OS's keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// Linux and the BSDs: the Secret Service over D-Bus (GNOME Keyring, KWallet).
    SecretService,
    /// macOS: the login keychain (Security framework).
    MacKeychain,
    /// Windows: Credential Manager's generic credentials.
    WindowsCredentialManager,
}

impl Store {
    pub fn for_os(os: Os) -> Store {
        match os {
            Os::Linux => Store::SecretService,
            Os::MacOs => Store::MacKeychain,
            Os::Windows => Store::WindowsCredentialManager,
        }
    }

    /// This build's.
    pub fn current() -> Store {
        Store::for_os(Os::current())
    }

    /// Whether secrets go in as UTF-8 bytes rather than through keyring's password
    /// calls. Credential Manager keeps at most 2,560 bytes a credential, and the password
    /// calls write UTF-16 there, which leaves 1,280 characters: a Microsoft refresh token
    /// can be longer. UTF-8 leaves 2,560. The other stores take UTF-8 either way.
    fn as_bytes(self) -> bool {
        self == Store::WindowsCredentialManager
    }

    /// What to do when the store failed, in words.
    fn advice(self, e: &keyring_core::Error) -> &'static str {
        use keyring_core::Error as K;
        match (e, self) {
            (K::NoStorageAccess(_), Store::WindowsCredentialManager) => {
                "Windows refused access to Credential Manager: sign in to Windows as yourself (not a service account) and try again"
            }
            (K::NoStorageAccess(_), _) => {
                "the keychain is locked or refused access: unlock it (log in to the desktop session) and try again"
            }
            (K::PlatformFailure(_), Store::SecretService) => {
                "no Secret Service answered: run a keyring (GNOME Keyring or KWallet) in your desktop session; \
                 on a headless machine start one inside `dbus-run-session` and unlock it; \
                 or, in a script, give the password in COURRIEL_PASSWORD for each run"
            }
            (K::TooLong(..), _) => {
                "the secret is longer than the system keychain keeps; in a script, give it in COURRIEL_PASSWORD or COURRIEL_OAUTH_TOKEN for each run"
            }
            (K::PlatformFailure(_), _) => "the system keychain failed",
            _ => "the keychain could not do it",
        }
    }
}

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
        let entry = self.entry(account, kind)?;
        let secret = match Store::current().as_bytes() {
            true => entry.get_secret().and_then(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|e| keyring_core::Error::BadEncoding(e.into_bytes()))
            }),
            false => entry.get_password(),
        };
        match secret {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error("reading from the keychain", e)),
        }
    }

    fn set(&self, account: &str, kind: Kind, secret: &str) -> Result<()> {
        let entry = self.entry(account, kind)?;
        match Store::current().as_bytes() {
            true => entry.set_secret(secret.as_bytes()),
            false => entry.set_password(secret),
        }
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
    let advice = Store::current().advice(&e);
    Error::new(ErrorKind::Keychain, format!("{doing}: {advice} ({e})"))
}

#[cfg(test)]
#[path = "keychain_tests.rs"]
mod tests;
