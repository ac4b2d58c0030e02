//! Adding accounts for real: settings verified against Dovecot and Postfix before they
//! are saved; the password kept in the OS keychain (a real Secret Service: run under
//! `tests/keyring/session`, as `make test` does) and nowhere else; OAuth2 through a real
//! local authorization server with the test playing the browser; a refused token
//! refreshed; a revoked one marking the account "needs sign-in" until the user signs in
//! again.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use base64::Engine as _;
use courriel_engine::api::{Account, AuthMethod, Draft, Identity, OutboxState};
use courriel_engine::auth::credentials::Credentials;
use courriel_engine::auth::keychain::{Keychain, Kind, Vault};
use courriel_engine::auth::oauth::{self, Provider};
use courriel_engine::auth::secrets::{Secret, SecretFuture, SecretStore};
use courriel_engine::net::sasl::Mechanism;
use courriel_engine::smtp::replies::Lang;
use courriel_engine::{Engine, ErrorKind};
use courriel_tests::Servers;

/// The tests share the keychain (the same addresses' entries): one at a time.
static KEYCHAIN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn keychain() -> Arc<Keychain> {
    Arc::new(Keychain::open().unwrap_or_else(|e| {
        panic!("no Secret Service: run the tests under tests/keyring/session ({e})")
    }))
}

fn open_engine(dir: &Path, keychain: Arc<Keychain>) -> Engine {
    let credentials = Credentials::new(keychain, oauth::providers(None).expect("providers"));
    Engine::open_with_credentials(dir, Arc::new(credentials)).expect("engine")
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_account_is_checked_first_then_kept_only_in_the_keychain() {
    let _one_at_a_time = KEYCHAIN.lock().await;
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let vault = keychain();
    let engine = open_engine(dir.path(), vault.clone());
    let new = servers.account("bob");
    let email = new.email.clone();
    let password = servers.get("BOB_PASSWORD").to_owned();
    vault.delete(&email, Kind::Password).expect("a clean slate");

    // A wrong password: nothing saved, and the error says which server refused.
    let e = engine
        .create_account(new.clone(), "not the password")
        .await
        .expect_err("refused");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    assert!(e.message.contains("checking the IMAP server"), "{e}");
    assert!(engine.accounts().await.expect("accounts").is_empty());
    assert_eq!(vault.get(&email, Kind::Password).expect("keychain"), None);

    // The right one: verified on both servers, then saved, the password in the keychain.
    let bob = engine
        .create_account(new, &password)
        .await
        .expect("created");
    assert_eq!(bob.auth, AuthMethod::Password);
    assert_eq!(
        vault
            .get(&email, Kind::Password)
            .expect("keychain")
            .as_deref(),
        Some(password.as_str())
    );

    // Another run reads it back from the keychain: sync and send work.
    drop(engine);
    let engine = open_engine(dir.path(), keychain());
    let draft = Draft {
        to: vec![email.clone()],
        subject: "kept in the keychain".into(),
        body: "hello".into(),
        ..Default::default()
    };
    engine.send(&email, draft).await.expect("send");
    servers.wait_for_delivery();
    engine.sync(&email).await.expect("sync");

    // Nowhere in the data directory: not the password, not an AUTH PLAIN blob of it.
    let plain = base64::engine::general_purpose::STANDARD.encode(format!("\0{email}\0{password}"));
    for (path, bytes) in files(dir.path()) {
        assert!(
            !contains(&bytes, password.as_bytes()),
            "the password is in {path}"
        );
        assert!(
            !contains(&bytes, plain.as_bytes()),
            "an AUTH PLAIN blob is in {path}"
        );
    }

    // Identities: an alias may send; another address may not.
    let alias = Identity {
        email: "robert@example.test".into(),
        name: "Robert".into(),
        signature: String::new(),
    };
    engine.save_identity(&email, alias).await.expect("alias");
    let from = |f: &str| Draft {
        from: Some(f.into()),
        ..Draft {
            to: vec![email.clone()],
            subject: "x".into(),
            ..Default::default()
        }
    };
    engine
        .queue(&email, from("Robert <robert@example.test>"), Some(i64::MAX))
        .await
        .expect("the alias may send");
    let e = engine
        .queue(&email, from("alice@example.test"), None)
        .await
        .expect_err("not an identity");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(e.message.contains("is not an identity of"), "{e}");

    // Removing the account removes its secret (the unsent one is discarded on purpose).
    let e = engine
        .remove_account(&email, false)
        .await
        .expect_err("unsent mail");
    assert!(e.message.contains("not gone out"), "{e}");
    engine.remove_account(&email, true).await.expect("removed");
    assert_eq!(vault.get(&email, Kind::Password).expect("keychain"), None);
}

/// The test's browser: GET a URL, return the status and the Location header.
fn browse(url: &str) -> (u16, Option<String>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut conn = std::net::TcpStream::connect(host).expect("connect");
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    conn.read_to_string(&mut response).expect("response");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let location = response
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .map(str::to_owned);
    (status, location)
}

/// Follow the consent page's redirect back to the engine's loopback listener.
async fn consent(authorize_url: String) {
    tokio::task::spawn_blocking(move || {
        let (status, location) = browse(&authorize_url);
        assert_eq!(status, 302, "the authorization server redirects");
        let back = location.expect("a Location");
        assert!(back.starts_with("http://127.0.0.1:"), "{back}");
        assert_eq!(
            browse(&back).0,
            200,
            "the engine's listener thanks the browser"
        );
    })
    .await
    .expect("browser");
}

fn post(servers: &Servers, path: &str, form: &str) {
    let host = format!("127.0.0.1:{}", servers.port("OAUTH_PORT"));
    let mut conn = std::net::TcpStream::connect(&host).expect("connect");
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
    .expect("post");
    let mut response = String::new();
    conn.read_to_string(&mut response).expect("response");
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{response}"
    );
}

/// The access tokens Dovecot currently accepts (those the authorization server issued).
fn issued_access_tokens(servers: &Servers) -> Vec<String> {
    let text = std::fs::read_to_string(servers.get("OAUTH_TOKENS")).expect("tokens");
    let known: serde_json::Value = serde_json::from_str(&text).expect("json");
    known
        .as_object()
        .expect("object")
        .keys()
        .filter(|k| k.starts_with("at-"))
        .cloned()
        .collect()
}

/// Every access token issued stops working, and the sessions logged in with them end
/// (Dovecot checks a token at login only; the engine keeps its session open between
/// operations, `imap::pool`): the next connection has to log in again.
fn expire_access_tokens(servers: &Servers) {
    for token in issued_access_tokens(servers) {
        post(servers, "/revoke", &format!("token={token}"));
    }
    servers
        .doveadm(&["kick", "*"])
        .expect("end the sessions logged in with them");
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_sign_in_refresh_and_revocation_against_a_real_authorization_server() {
    let _one_at_a_time = KEYCHAIN.lock().await;
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let vault = keychain();
    let credentials = Arc::new(Credentials::new(
        vault.clone(),
        oauth::providers(None).expect("providers"),
    ));
    let base = format!("http://127.0.0.1:{}", servers.port("OAUTH_PORT"));
    credentials.set_provider(Provider {
        name: "test".into(),
        auth_url: format!("{base}/authorize"),
        token_url: format!("{base}/token"),
        client_id: "courriel-test".into(),
        client_secret: None,
        scopes: vec!["mail".into()],
        ca_file: None,
    });
    let engine = Engine::open_with_credentials(dir.path(), credentials).expect("engine");
    let new = servers.account("alice");
    let email = new.email.clone();

    // Sign in: the engine listens on 127.0.0.1, the "browser" consents and comes back.
    let authorization = engine
        .begin_oauth("test", Some(&email))
        .await
        .expect("begin");
    assert!(authorization
        .authorize_url
        .contains("code_challenge_method=S256"));
    let browser = tokio::spawn(consent(authorization.authorize_url.clone()));
    let alice = engine
        .finish_oauth_account(authorization, new, "test", "entered by hand")
        .await
        .expect("signed in");
    browser.await.expect("browser done");
    assert_eq!(
        alice.auth,
        AuthMethod::OAuth2 {
            provider: "test".into()
        }
    );
    let refresh = vault
        .get(&email, Kind::RefreshToken)
        .expect("keychain")
        .expect("a refresh token");
    assert!(refresh.starts_with("rt-"));

    // The token logs in to Dovecot and submits through Postfix.
    let draft = Draft {
        to: vec![email.clone()],
        subject: "by token".into(),
        body: "x".into(),
        ..Default::default()
    };
    engine
        .send(&email, draft)
        .await
        .expect("send with the token");
    servers.wait_for_delivery();
    engine.sync(&email).await.expect("sync with the token");

    // The issued token logs in by both token mechanisms Dovecot offers.
    let issued = issued_access_tokens(&servers);
    assert_eq!(issued.len(), 1);
    for mechanism in [Mechanism::XOAuth2, Mechanism::OAuthBearer] {
        let token = Secret::OAuth2Token(issued[0].clone());
        let mut session = courriel_engine::imap::connect_with(&alice, &token, Some(mechanism))
            .await
            .unwrap_or_else(|e| panic!("{mechanism:?}: {e}"));
        session.logout().await.expect("logout");
    }

    // The access token stops working: one refresh, and the sync goes through.
    let before = issued_access_tokens(&servers);
    expire_access_tokens(&servers);
    engine.sync(&email).await.expect("sync after a refresh");
    let after = issued_access_tokens(&servers);
    assert_eq!(after.len(), 1, "a new access token was issued");
    assert!(!before.contains(&after[0]));

    // The provider rotated the refresh token with that refresh: the keychain has the new one.
    let rotated = vault
        .get(&email, Kind::RefreshToken)
        .expect("keychain")
        .expect("a refresh token");
    assert_ne!(rotated, refresh, "the rotated refresh token was saved");

    // The token endpoint is down (its JSON error, then a proxy's HTML page): the sign-in
    // is kept, the sync says it will retry; back up, the next sync refreshes.
    for outage in ["json", "html"] {
        let down = format!("{}.down", servers.get("OAUTH_TOKENS"));
        std::fs::write(&down, outage).expect("token endpoint down");
        expire_access_tokens(&servers);
        let e = engine.sync(&email).await.expect_err("token endpoint down");
        assert_eq!(e.kind, ErrorKind::Unavailable, "{outage}: {e}");
        assert!(e.message.contains("Courriel will retry"), "{e}");
        let healthy = engine.account(&email).await.expect("account");
        assert_eq!(
            healthy.needs_signin, None,
            "{outage}: not a sign-in problem"
        );
        std::fs::remove_file(&down).expect("token endpoint back");
        engine.sync(&email).await.expect("sync once it is back");
    }
    let rotated = vault
        .get(&email, Kind::RefreshToken)
        .expect("keychain")
        .expect("a refresh token");

    // Revoked at the provider: "needs sign-in", not endless retries.
    post(&servers, "/revoke", &format!("token={rotated}"));
    expire_access_tokens(&servers);
    let e = engine.sync(&email).await.expect_err("revoked");
    assert_eq!(e.kind, ErrorKind::NeedsSignIn, "{e}");
    let flagged = engine.account(&email).await.expect("account");
    assert!(flagged
        .needs_signin
        .is_some_and(|why| why.contains("invalid_grant")));

    // Signing in again fixes it.
    let authorization = engine
        .begin_oauth("test", Some(&email))
        .await
        .expect("begin again");
    let browser = tokio::spawn(consent(authorization.authorize_url.clone()));
    let again = engine
        .finish_sign_in(authorization, &email)
        .await
        .expect("signed in again");
    browser.await.expect("browser done");
    assert_eq!(again.needs_signin, None);
    engine
        .sync(&email)
        .await
        .expect("sync after signing in again");

    // A denied consent is a clear error and creates nothing.
    let authorization = engine.begin_oauth("test", None).await.expect("begin");
    let url = authorization.authorize_url.clone();
    let browser = tokio::task::spawn_blocking(move || {
        let (_, location) = browse(&url);
        browse(&location.expect("redirect"))
    });
    let e = engine
        .finish_oauth_account(
            authorization,
            servers.account("bob"),
            "test",
            "entered by hand",
        )
        .await
        .expect_err("denied");
    browser.await.expect("browser");
    assert_eq!(e.kind, ErrorKind::NeedsSignIn, "{e}");
    assert!(e.message.contains("access_denied"), "{e}");
    assert_eq!(engine.accounts().await.expect("accounts").len(), 1);
    engine.remove_account(&email, true).await.expect("remove");
    assert_eq!(
        vault.get(&email, Kind::RefreshToken).expect("keychain"),
        None
    );
}

/// The test's slow keychain: hands out the password it was given, but only when
/// released, so a sync can start with the old password and be refused after the user
/// signed in with the new one.
struct HeldPassword {
    password: String,
    release: tokio::sync::Semaphore,
}

impl SecretStore for HeldPassword {
    fn secret<'a>(&'a self, _account: &'a Account) -> SecretFuture<'a, Secret> {
        Box::pin(async move {
            let _permit = self.release.acquire().await.expect("the gate");
            Ok(Secret::Password(self.password.clone()))
        })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_changed_elsewhere_needs_sign_in_and_unsent_mail_waits_for_it() {
    let _one_at_a_time = KEYCHAIN.lock().await;
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let vault = keychain();
    let engine = open_engine(dir.path(), vault.clone());
    let new = servers.account("bob");
    let email = new.email.clone();
    let old = servers.get("BOB_PASSWORD").to_owned();
    engine.create_account(new, &old).await.expect("created");

    // The password changes on the server; the next send is refused, once.
    servers.change_password("bob", "changed-on-the-phone");
    let draft = Draft {
        to: vec![email.clone()],
        subject: "waits for the sign-in".into(),
        body: "x".into(),
        ..Default::default()
    };
    let queued = engine.queue(&email, draft, None).await.expect("queued");
    let e = engine.run_outbox(0).await.expect_err("refused");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    let flagged = engine.account(&email).await.expect("account");
    assert!(flagged.needs_signin.is_some(), "marked: {flagged:?}");
    let (_, tried) = engine.trace(&queued.message_id).await.expect("trace");
    assert_eq!(tried.len(), 1, "the refused attempt is in the trace");

    // Background sending leaves the account alone until the user signs in: nothing is
    // due, nothing is tried, the message stays queued.
    assert_eq!(engine.store().next_queued_at().expect("next"), None);
    let after = engine.run_outbox(0).await.expect("nothing to send");
    assert_eq!(after[0].outbox_id, queued.outbox_id);
    assert_eq!(after[0].state, OutboxState::Queued);
    let (_, traced) = engine.trace(&queued.message_id).await.expect("trace");
    assert_eq!(traced.len(), 1, "tried again while signed out");
    let shown = engine.outbox_items(Lang::En).await.expect("outbox view");
    assert!(shown[0].waits_for_sign_in, "{:?}", shown[0]);

    // The sign-in clears the mark and the message goes.
    engine
        .change_password(&email, "changed-on-the-phone")
        .await
        .expect("signed in");
    let sent = engine.run_outbox(0).await.expect("sent");
    assert_ne!(sent[0].state, OutboxState::Queued, "{:?}", sent[0]);
    let shown = engine.outbox_items(Lang::En).await.expect("outbox view");
    assert!(!shown[0].waits_for_sign_in);
    assert_eq!(sent[0].recipients[0].code, 250, "{:?}", sent[0]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_of_the_old_password_does_not_undo_a_sign_in_made_meanwhile() {
    let _one_at_a_time = KEYCHAIN.lock().await;
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let new = servers.account("bob");
    let email = new.email.clone();
    let old = servers.get("BOB_PASSWORD").to_owned();
    // Reads come from the held store (the old password); the sign-in saves to the keychain.
    let held = Arc::new(HeldPassword {
        password: old.clone(),
        release: tokio::sync::Semaphore::new(0),
    });
    let credentials = Credentials::new(keychain(), oauth::providers(None).expect("providers"));
    let engine = Arc::new(
        Engine::open(dir.path(), held.clone())
            .expect("engine")
            .with_credentials(Arc::new(credentials)),
    );
    engine.create_account(new, &old).await.expect("created");
    servers.change_password("bob", "new-one");

    // A sync starts with the old password (held back); the user signs in meanwhile.
    let sync = tokio::spawn({
        let (engine, email) = (engine.clone(), email.clone());
        async move { engine.sync(&email).await }
    });
    engine
        .change_password(&email, "new-one")
        .await
        .expect("signed in");
    held.release.add_permits(1);
    let e = sync
        .await
        .expect("sync task")
        .expect_err("the old password");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");

    // The refusal was of the credential the sign-in replaced: the account stays signed in.
    let account = engine.account(&email).await.expect("account");
    assert_eq!(account.needs_signin, None, "the sign-in was undone");

    // A refusal that begins after the sign-in still counts.
    held.release.add_permits(1);
    let e = engine
        .sync(&email)
        .await
        .expect_err("the old password again");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    let account = engine.account(&email).await.expect("account");
    assert!(
        account.needs_signin.is_some(),
        "a current refusal was ignored"
    );
}
