use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::auth::keychain::{Kind, Vault};

/// Gmail and Outlook sign in with OAuth2 when this build has their client; otherwise the
/// settings say so and onboarding takes the app-password path.
#[tokio::test]
async fn oauth_is_offered_only_with_a_client() {
    for (email, provider) in [
        ("zoe@gmail.com", "google"),
        ("zoe@outlook.com", "microsoft"),
    ] {
        let found = crate::autoconfig::discover_all(email, &Default::default())
            .await
            .expect("a preset, no network");
        let with = discovered_settings(&found[0], email, "Zoe", &|p| p == provider);
        let without = discovered_settings(&found[0], email, "Zoe", &|_| false);
        let oauth = AuthMethod::OAuth2 {
            provider: provider.into(),
        };
        assert_eq!(with.account.auth, oauth, "{email}");
        assert!(with.oauth_configured, "{email}");
        assert_eq!(
            without.account.auth, oauth,
            "{email}: the provider is still said"
        );
        assert!(!without.oauth_configured, "{email}");
    }
    let found = crate::autoconfig::discover_all("zoe@fastmail.com", &Default::default())
        .await
        .expect("a preset");
    let password = discovered_settings(&found[0], "zoe@fastmail.com", "Zoe", &|_| true);
    assert_eq!(password.account.auth, AuthMethod::Password);
    assert!(
        !password.oauth_configured,
        "a password account has no OAuth2 to offer"
    );
}

/// The engine asks its credentials: a provider with an empty client id (a release built
/// without the secret) has none; one set later (oauth.json, a test) has one.
#[test]
fn the_engine_knows_which_providers_have_a_client() {
    let dir = tempfile::tempdir().expect("dir");
    let providers = oauth::providers(None).expect("built-in providers");
    let mut google = providers["google"].clone();
    google.client_id = String::new();
    let credentials = Arc::new(Credentials::new(Arc::new(NoVault), BTreeMap::new()));
    credentials.set_provider(google.clone());
    let engine = Engine::open_with_credentials(dir.path(), credentials.clone()).expect("engine");
    assert!(!engine.has_oauth_client("google"));
    assert!(!engine.has_oauth_client("nobody"));
    google.client_id = "1234.apps.googleusercontent.com".into();
    credentials.set_provider(google);
    assert!(engine.has_oauth_client("google"));
}

struct NoVault;

impl Vault for NoVault {
    fn get(&self, _: &str, _: Kind) -> Result<Option<String>> {
        Ok(None)
    }
    fn set(&self, _: &str, _: Kind, _: &str) -> Result<()> {
        Ok(())
    }
    fn delete(&self, _: &str, _: Kind) -> Result<()> {
        Ok(())
    }
}
