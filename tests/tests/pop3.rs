//! POP3 accounts against the real Dovecot: every sign-in method on both ports, STLS
//! required, UIDL dedupe across runs, retention, a 10 MB message, a malformed one, and a
//! link cut in the middle of RETR.

use courriel_engine::api::Security;
use courriel_engine::auth::secrets::Secret;
use courriel_engine::pop3::sync::{login, Method};
use courriel_engine::store::pop3::Retention;
use courriel_engine::ErrorKind;
use courriel_tests::fake::plaintext_server;
use courriel_tests::proxy::{proxy, Cut};
use courriel_tests::{engine, Servers};

fn raw(subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: {subject}\r\n\
         Message-ID: <{subject}@example.test>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n\r\n{body}"
    )
    .into_bytes()
}

async fn subjects(engine: &courriel_engine::Engine) -> Vec<String> {
    let mut s: Vec<String> = engine
        .list_inbox(1000)
        .await
        .expect("list")
        .into_iter()
        .map(|m| m.subject)
        .collect();
    s.sort();
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sign_in_method_works_on_both_ports() {
    let servers = Servers::start();
    let password = Secret::Password(servers.get("BOB_PASSWORD").into());
    let token = Secret::OAuth2Token(servers.get("BOB_TOKEN").into());
    let (engine, _dir) = engine(servers.secrets());
    for (n, security) in [Security::Tls, Security::Starttls].into_iter().enumerate() {
        let mut new = servers.pop3_account("bob", security);
        new.email = format!("bob{n}@example.test"); // one cache row per variant
        let account = engine.add_account(new).await.expect("add");
        for (method, secret) in [
            (Method::Scram, &password),
            (Method::UserPass, &password),
            (Method::Apop, &password),
            (Method::SaslPlain, &password),
            (Method::XOAuth2, &token),
        ] {
            let session = login(&account, secret, Some(method)).await;
            assert!(
                session.is_ok(),
                "{method:?} over {security:?}: {:?}",
                session.err()
            );
        }
        let bad = login(
            &account,
            &Secret::OAuth2Token("revoked".into()),
            Some(Method::XOAuth2),
        )
        .await;
        let err = bad.err().expect("a bad token is refused");
        assert_eq!(err.kind, ErrorKind::Auth, "{err}");
        let wrong = login(&account, &Secret::Password("nope".into()), None).await;
        assert_eq!(wrong.err().expect("wrong password").kind, ErrorKind::Auth);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_without_stls_is_refused() {
    let (port, server) = plaintext_server(b"+OK plain POP3\r\n", |line| {
        if line == "CAPA" {
            b"+OK\r\nUSER\r\nUIDL\r\n.\r\n"
        } else {
            b"-ERR no\r\n"
        }
    })
    .await;
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut new = servers.pop3_account("bob", Security::Starttls);
    new.incoming.port = port;
    let account = engine.add_account(new).await.expect("add");
    let err = login(&account, &Secret::Password("secret".into()), None)
        .await
        .err()
        .expect("refused");
    assert_eq!(err.kind, ErrorKind::Tls, "{err}");
    let heard = server.await.expect("server");
    assert!(
        !heard
            .iter()
            .any(|l| l.starts_with("USER") || l.starts_with("PASS")),
        "{heard:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_are_fetched_once_and_left_on_the_server_by_default() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.pop3_account("bob", Security::Tls))
        .await
        .expect("add");
    servers.deliver_raw("bob", "1.m1", &raw("first", "one\r\n"));
    servers.deliver_raw("bob", "2.m2", &raw("second", "two\r\n"));
    let first = engine.sync(&bob.email).await.expect("sync");
    assert_eq!((first.new_messages, first.total_cached), (2, 2));
    servers.deliver_raw("bob", "3.m3", &raw("third", "three\r\n"));
    let second = engine.sync(&bob.email).await.expect("sync again");
    assert_eq!(
        (second.new_messages, second.total_cached),
        (1, 3),
        "only the new one"
    );
    assert_eq!(subjects(&engine).await, ["first", "second", "third"]);
    // Left on the server: a fresh cache fetches all three again.
    assert_eq!(on_the_server(&servers).await.len(), 3);
}

/// What bob's server mailbox holds now, seen by a fresh cache (subjects, sorted).
async fn on_the_server(servers: &Servers) -> Vec<String> {
    let (fresh, _dir) = engine(servers.secrets());
    let bob = fresh
        .add_account(servers.pop3_account("bob", Security::Tls))
        .await
        .expect("add");
    fresh.sync(&bob.email).await.expect("sync a fresh cache");
    subjects(&fresh).await
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_deletes_on_the_server_when_asked() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.pop3_account("bob", Security::Tls))
        .await
        .expect("add");
    servers.deliver_raw("bob", "1.m1", &raw("keep", "k\r\n"));
    servers.deliver_raw("bob", "2.m2", &raw("drop", "d\r\n"));
    engine
        .set_pop3_retention(&bob.email, Retention::Mirror)
        .await
        .expect("mirror");
    engine.sync(&bob.email).await.expect("sync");
    let dropped = engine
        .list_inbox(10)
        .await
        .expect("list")
        .into_iter()
        .find(|m| m.subject == "drop")
        .expect("drop");
    engine.delete_local(dropped.id).await.expect("delete here");
    engine.sync(&bob.email).await.expect("sync deletes there");
    assert_eq!(
        on_the_server(&servers).await,
        ["keep"],
        "deleted here, so there"
    );

    engine
        .set_pop3_retention(&bob.email, Retention::Days(0))
        .await
        .expect("days");
    engine
        .sync(&bob.email)
        .await
        .expect("sync deletes the rest");
    assert!(
        on_the_server(&servers).await.is_empty(),
        "fetched 0 days ago: deleted"
    );
    assert_eq!(subjects(&engine).await, ["keep"], "the local copy stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_and_a_malformed_message_are_both_cached() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = engine
        .add_account(servers.pop3_account("bob", Security::Starttls))
        .await
        .expect("add");
    let line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.0123456789\r\n";
    let big = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    servers.deliver_raw("bob", "1.big", &raw("big", &big));
    servers.deliver_raw(
        "bob",
        "2.bad",
        b"\x00\xff this is not\r\na message: at all\r\n\r\n\r\n--\r\n",
    );
    let report = engine.sync(&bob.email).await.expect("sync");
    assert_eq!(report.new_messages, 2);
    let listed = engine.list_inbox(10).await.expect("list");
    assert!(listed.iter().any(|m| m.subject == "big"), "{listed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_in_the_middle_of_retr_is_fetched_whole_next_time() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let line = "All work and no play makes Jack a dull boy.\r\n";
    servers.deliver_raw("bob", "1.m1", &raw("cut", &line.repeat(20_000)));
    let cut = proxy(servers.port("POP3S_PORT"), Cut::Downstream(300_000)).await;
    let mut new = servers.pop3_account("bob", Security::Tls);
    new.incoming.port = cut;
    new.incoming.host = "localhost".into();
    let bob = engine.add_account(new).await.expect("add");
    let err = engine.sync(&bob.email).await.expect_err("the link is cut");
    assert_eq!(err.kind, ErrorKind::Network, "{err}");
    assert!(
        engine.list_inbox(10).await.expect("list").is_empty(),
        "nothing truncated is kept"
    );
    // Next run, over a link that holds: the message arrives once, whole.
    let direct = servers.endpoint("POP3S_PORT", Security::Tls);
    engine
        .store()
        .set_incoming(bob.id, &direct)
        .expect("repoint");
    let report = engine.sync(&bob.email).await.expect("sync");
    assert_eq!((report.new_messages, report.total_cached), (1, 1));
    let again = engine.sync(&bob.email).await.expect("sync again");
    assert_eq!((again.new_messages, again.total_cached), (0, 1));
}
