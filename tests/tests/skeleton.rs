//! Through every layer: send through the real Postfix (587-style, STARTTLS, AUTH PLAIN),
//! sync bob's INBOX from the real Dovecot (implicit TLS) into SQLite, read it back.

use std::time::Duration;

use courriel_engine::api::{Draft, OutboxState, RecipientState, Security};
use courriel_engine::auth::secrets::Secret;
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};

fn draft(to: &[&str], subject: &str) -> Draft {
    Draft {
        to: to.iter().map(|s| s.to_string()).collect(),
        cc: vec![],
        bcc: vec![],
        subject: subject.into(),
        body: "Hello Bob,\r\n\r\nthis went through every layer.\r\n".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_sent_by_alice_reaches_bobs_cached_inbox() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("add alice");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("add bob");

    let subject = "Réunion: skeleton test ✓";
    let report = engine
        .send(&alice.email, draft(&[&bob.email], subject))
        .await
        .expect("send");
    assert_eq!(report.state, OutboxState::CopiedToSent, "{report:?}");
    assert!(report
        .recipients
        .iter()
        .all(|r| r.state == RecipientState::Accepted && r.code == 250));

    // Delivery through Postfix and LMTP is asynchronous: sync until it is there.
    let mut found = None;
    for _ in 0..60 {
        engine.sync(&bob.email).await.expect("sync bob");
        let inbox = engine.list_inbox(50).await.expect("list");
        found = inbox.into_iter().find(|m| m.subject == subject);
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let message = found.expect("the message reached bob's cached INBOX");
    assert_eq!(message.from_addr, alice.email);
    assert_eq!(message.account_email, bob.email);
    assert_eq!(
        message.message_id.as_deref(),
        Some(report.message_id.as_str())
    );
    assert!(!message.seen, "a new message is unread");

    // A second sync fetches nothing again.
    let again = engine.sync(&bob.email).await.expect("second sync");
    assert_eq!(again.new_messages, 0);
    assert_eq!(
        engine
            .list_inbox(50)
            .await
            .expect("list")
            .iter()
            .filter(|m| m.subject == subject)
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_refused_recipient_does_not_abort_the_others() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("add alice");
    let bob = servers.get("BOB");
    let nobody = servers.get("REJECT_RCPT");
    let later = servers.get("TEMPFAIL_RCPT");
    let report = engine
        .send(&alice.email, draft(&[nobody, bob, later], "partial"))
        .await
        .expect("send");
    // bob has it, nobody is refused for good, later is deferred: the message waits
    // for its retry.
    assert_eq!(report.state, OutboxState::Queued, "{report:?}");
    assert!(report.next_attempt_at.is_some());
    let by = |a: &str| {
        report
            .recipients
            .iter()
            .find(|r| r.address == a)
            .expect("result")
    };
    assert_eq!(by(bob).state, RecipientState::Accepted);
    assert_eq!(by(nobody).state, RecipientState::Refused);
    assert_eq!(by(later).state, RecipientState::Deferred);
    assert_eq!(by(nobody).code, 550);
    assert!(by(nobody).text.contains("5.1.1"), "{:?}", by(nobody));
    assert_eq!(by(later).code, 451);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_an_auth_error_for_imap_and_smtp() {
    let servers = Servers::start();
    let (engine, _dir) = engine(std::sync::Arc::new(BadPassword));
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("add");
    let sync = engine.sync(&alice.email).await.expect_err("bad password");
    assert_eq!(sync.kind, ErrorKind::Auth, "{sync}");
    let send = engine
        .send(&alice.email, draft(&[servers.get("BOB")], "x"))
        .await
        .expect_err("bad password");
    assert_eq!(send.kind, ErrorKind::Auth, "{send}");
    // The message is not the problem: it waits, queued, for the account to sign in.
    let outbox = engine.outbox().await.expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, OutboxState::Queued, "{:?}", outbox[0]);
    let why = outbox[0].last_error.as_deref().unwrap_or_default();
    assert!(why.contains("sign in again"), "{why}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unverifiable_certificate_is_a_tls_error() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("alice");
    account.ca_file = None; // the per-run CA is not in the OS store
    let alice = engine.add_account(account).await.expect("add");
    let sync = engine.sync(&alice.email).await.expect_err("untrusted cert");
    assert_eq!(sync.kind, ErrorKind::Tls, "{sync}");
    let send = engine
        .send(&alice.email, draft(&[servers.get("BOB")], "x"))
        .await
        .expect_err("untrusted cert");
    assert_eq!(send.kind, ErrorKind::Tls, "{send}");
    for e in [&sync, &send] {
        assert!(
            e.message
                .contains("is not signed by an authority this computer trusts"),
            "in words: {e}"
        );
        assert!(
            !e.message.contains("UnknownIssuer"),
            "no variant names: {e}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_imap_and_implicit_tls_smtp_work_too() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut account = servers.account("bob");
    account.incoming = servers.endpoint("IMAP_PORT", Security::Starttls);
    account.smtp = servers.endpoint("SUBMISSIONS_PORT", Security::Tls);
    let bob = engine.add_account(account).await.expect("add");
    let report = engine
        .send(&bob.email, draft(&[&bob.email], "to myself"))
        .await
        .expect("send over implicit TLS");
    assert_eq!(report.state, OutboxState::CopiedToSent);
    let sync = engine.sync(&bob.email).await.expect("sync over STARTTLS");
    // Every folder is synced, inbox first; the Sent copy filed over IMAP is among them.
    assert!(sync.folder.starts_with("INBOX, Sent"), "{}", sync.folder);
    assert!(sync.new_messages >= 1, "{sync:?}");
}

struct BadPassword;

impl courriel_engine::auth::secrets::SecretStore for BadPassword {
    fn secret<'a>(
        &'a self,
        _: &'a courriel_engine::api::Account,
    ) -> courriel_engine::auth::secrets::SecretFuture<'a, Secret> {
        Box::pin(async { Ok(Secret::Password("not-the-password".into())) })
    }
}
