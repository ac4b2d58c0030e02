//! SCRAM-SHA-256 against the real servers: Dovecot for IMAP and POP3, Postfix (SASL
//! through Dovecot) for submission. Chosen on its own when offered, also when asked for
//! by name; a wrong password is an `Auth` error on every protocol. That SCRAM was the
//! mechanism used is read from what the servers logged, not from what the client meant.

use std::time::Duration;

use courriel_engine::api::{Account, Security};
use courriel_engine::auth::secrets::Secret;
use courriel_engine::net::sasl::Mechanism;
use courriel_engine::pop3::sync::{login, Method};
use courriel_engine::smtp::trace::Trace;
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

/// Wait until Dovecot's log says `what` (log lines land a moment after the login);
/// otherwise fail with the log's logins.
async fn dovecot_logged(servers: &Servers, what: &str) {
    let mut log = String::new();
    for _ in 0..50 {
        log = std::fs::read_to_string(servers.get("DOVECOT_LOG")).unwrap_or_default();
        if log.contains(what) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logins: Vec<&str> = log.lines().filter(|l| l.contains("Login")).collect();
    panic!(
        "Dovecot never logged {what:?}; its logins:\n{}",
        logins.join("\n")
    );
}

async fn bob(servers: &Servers) -> (Account, Account) {
    let (engine, _dir) = engine(servers.secrets());
    let imap = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob on IMAP");
    let mut pop = servers.pop3_account("bob", Security::Tls);
    pop.email = "bob-pop3@example.test".into();
    let pop = engine.add_account(pop).await.expect("bob on POP3");
    (imap, pop)
}

#[tokio::test(flavor = "multi_thread")]
async fn imap_and_pop3_sign_in_with_scram_and_refuse_a_wrong_password() {
    let servers = Servers::start();
    let (imap, pop) = bob(&servers).await;
    let password = Secret::Password(servers.get("BOB_PASSWORD").into());
    let user = servers.get("BOB");

    let mut session = courriel_engine::imap::connect(&imap, &password)
        .await
        .expect("IMAP, the mechanism left to the client");
    session.select("INBOX").await.expect("a working session");
    session.logout().await.expect("logout");
    let said = format!("imap-login: Info: Login: user=<{user}>, method=SCRAM-SHA-256");
    dovecot_logged(&servers, &said).await;
    let forced =
        courriel_engine::imap::connect_with(&imap, &password, Some(Mechanism::ScramSha256));
    forced
        .await
        .expect("IMAP, SCRAM asked for")
        .logout()
        .await
        .ok();

    let mut pop3 = login(&pop, &password, None).await.expect("POP3, chosen");
    pop3.quit().await.expect("quit");
    let said = format!("pop3-login: Info: Login: user=<{user}>, method=SCRAM-SHA-256");
    dovecot_logged(&servers, &said).await;
    let mut pop3 = login(&pop, &password, Some(Method::Scram))
        .await
        .expect("POP3, SCRAM asked for");
    pop3.quit().await.expect("quit");

    let wrong = Secret::Password("not the password".into());
    let e = courriel_engine::imap::connect_with(&imap, &wrong, Some(Mechanism::ScramSha256))
        .await
        .expect_err("IMAP, a wrong password");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    let e = courriel_engine::imap::connect(&imap, &wrong)
        .await
        .expect_err("chosen");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    let e = login(&pop, &wrong, Some(Method::Scram))
        .await
        .err()
        .expect("POP3");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
    assert!(
        e.message.contains("(SCRAM-SHA-256)"),
        "the method is named: {e}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn submission_signs_in_with_scram_on_both_ports() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let password = Secret::Password(servers.get("ALICE_PASSWORD").into());
    let wrong = Secret::Password("not the password".into());
    for (n, (port, security)) in [
        ("SUBMISSION_PORT", Security::Starttls),
        ("SUBMISSIONS_PORT", Security::Tls),
    ]
    .into_iter()
    .enumerate()
    {
        let mut new = servers.account("alice");
        new.email = format!("alice{n}@example.test");
        new.username = servers.get("ALICE").into();
        new.smtp = servers.endpoint(port, security);
        let account = engine.add_account(new).await.expect("add");
        for mechanism in [None, Some(Mechanism::ScramSha256)] {
            let mut trace = Trace::new();
            let login = courriel_engine::smtp::login(&account, &password, mechanism, &mut trace);
            login
                .await
                .unwrap_or_else(|e| panic!("{port} {mechanism:?}: {e}\n{}", trace.render()));
            let text = trace.render();
            assert!(text.contains("with SCRAM-SHA-256 → 235"), "{text}");
            assert!(!text.contains(servers.get("ALICE_PASSWORD")), "{text}");
        }
        let mut trace = Trace::new();
        let e = courriel_engine::smtp::login(&account, &wrong, None, &mut trace)
            .await
            .err()
            .expect("a wrong password");
        assert_eq!(e.kind, ErrorKind::Auth, "{e}");
        assert!(
            trace.render().contains("with SCRAM-SHA-256 failed"),
            "{}",
            trace.render()
        );
    }
}

/// Cyrus (its own SASL library, -PLUS with tls-unique offered beside plain SCRAM):
/// SCRAM-SHA-256 without channel binding ("n,,") signs in, a wrong password is `Auth`.
#[tokio::test(flavor = "multi_thread")]
async fn cyrus_takes_scram_without_channel_binding() {
    let cyrus = courriel_tests::cyrus::Cyrus::start();
    let (engine, _dir) = engine(cyrus.secrets());
    let alice = engine
        .add_account(cyrus.account("alice"))
        .await
        .expect("alice");
    let password = Secret::Password(cyrus.get("ALICE_PASSWORD").into());
    for mechanism in [None, Some(Mechanism::ScramSha256)] {
        let mut session = courriel_engine::imap::connect_with(&alice, &password, mechanism)
            .await
            .unwrap_or_else(|e| panic!("{mechanism:?}: {e}"));
        session.select("INBOX").await.expect("a working session");
        session.logout().await.expect("logout");
    }
    let wrong = Secret::Password("not the password".into());
    let e = courriel_engine::imap::connect_with(&alice, &wrong, Some(Mechanism::ScramSha256))
        .await
        .expect_err("a wrong password");
    assert_eq!(e.kind, ErrorKind::Auth, "{e}");
}
