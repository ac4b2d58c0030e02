use keyring_core::Error as K;

use super::*;

#[test]
fn each_os_has_its_own_store() {
    assert_eq!(Store::for_os(Os::Linux), Store::SecretService);
    assert_eq!(Store::for_os(Os::MacOs), Store::MacKeychain);
    assert_eq!(Store::for_os(Os::Windows), Store::WindowsCredentialManager);
    let built_for = if cfg!(windows) {
        Store::WindowsCredentialManager
    } else if cfg!(target_os = "macos") {
        Store::MacKeychain
    } else {
        Store::SecretService
    };
    assert_eq!(Store::current(), built_for);
}

#[test]
fn the_advice_is_the_platforms_own() {
    let failed = || K::PlatformFailure("no answer".into());
    let refused = || K::NoStorageAccess("denied".into());
    let linux = Store::SecretService.advice(&failed());
    assert!(linux.contains("dbus-run-session"), "{linux}");
    for store in [Store::MacKeychain, Store::WindowsCredentialManager] {
        let advice = store.advice(&failed());
        assert!(
            !advice.contains("dbus") && !advice.contains("GNOME"),
            "{advice}"
        );
    }
    let windows = Store::WindowsCredentialManager.advice(&refused());
    assert!(windows.contains("Credential Manager"), "{windows}");
    let mac = Store::MacKeychain.advice(&refused());
    assert!(mac.contains("unlock it"), "{mac}");
    let long = Store::WindowsCredentialManager.advice(&K::TooLong("password".into(), 2560));
    assert!(long.contains("COURRIEL_OAUTH_TOKEN"), "{long}");
}

/// Credential Manager keeps 2,560 bytes a credential: a 2,000-character refresh token fits
/// as UTF-8, not as the UTF-16 keyring's password calls write.
#[test]
fn windows_gets_the_secret_as_utf8_bytes() {
    let token = "M".repeat(2000);
    const CRED_MAX_CREDENTIAL_BLOB_SIZE: usize = 2560;
    assert!(token.len() <= CRED_MAX_CREDENTIAL_BLOB_SIZE);
    assert!(token.encode_utf16().count() * 2 > CRED_MAX_CREDENTIAL_BLOB_SIZE);
    assert!(Store::WindowsCredentialManager.as_bytes());
    assert!(!Store::SecretService.as_bytes() && !Store::MacKeychain.as_bytes());
}

/// The machine's real keychain (Secret Service, macOS Keychain, Windows Credential
/// Manager): a test entry written, read, replaced, read and deleted, with a secret as long
/// as a long refresh token. It needs an unlocked keychain in a desktop session: run it
/// with `--ignored` (ci.yml on macOS and Windows; here under tests/keyring/session).
#[test]
#[ignore = "uses the real keychain: run with --ignored in a desktop session"]
fn the_real_keychain_keeps_and_forgets_a_secret() {
    let keychain = Keychain::open().expect("the keychain");
    let account = format!("courriel-test-{}@example.invalid", std::process::id());
    let long = format!("{}é", "t".repeat(2000));
    for kind in [Kind::Password, Kind::RefreshToken] {
        keychain
            .delete(&account, kind)
            .expect("nothing to delete is fine");
        assert_eq!(keychain.get(&account, kind).expect("read"), None);
        keychain.set(&account, kind, &long).expect("write");
        assert_eq!(
            keychain.get(&account, kind).expect("read").as_deref(),
            Some(&*long)
        );
        keychain.set(&account, kind, "second").expect("replace");
        assert_eq!(
            keychain.get(&account, kind).expect("read").as_deref(),
            Some("second")
        );
        keychain.delete(&account, kind).expect("delete");
        assert_eq!(keychain.get(&account, kind).expect("read"), None);
    }
}
