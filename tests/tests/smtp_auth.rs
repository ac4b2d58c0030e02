//! SMTP AUTH against the real Postfix (SASL through Dovecot): every mechanism on both
//! submission ports, the server's reason kept on failure, no AUTH before TLS, and no
//! downgrade when a server offers no STARTTLS.

use courriel_engine::api::{Draft, OutboxState, Security};
use courriel_engine::auth::secrets::Secret;
use courriel_engine::net::sasl::Mechanism;
use courriel_engine::smtp::trace::Trace;
use courriel_engine::ErrorKind;
use courriel_tests::fake::plaintext_server;
use courriel_tests::{engine, Servers};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

async fn alice_on(
    servers: &Servers,
    port_key: &str,
    security: Security,
) -> courriel_engine::api::Account {
    let (engine, dir) = engine(servers.secrets());
    let mut new = servers.account("alice");
    new.smtp = servers.endpoint(port_key, security);
    let account = engine.add_account(new).await.expect("add");
    drop(dir);
    account
}

#[tokio::test(flavor = "multi_thread")]
async fn every_mechanism_works_on_both_ports() {
    let servers = Servers::start();
    let password = Secret::Password(servers.get("ALICE_PASSWORD").into());
    let token = Secret::OAuth2Token(servers.get("ALICE_TOKEN").into());
    let cases = [
        (Mechanism::Plain, &password),
        (Mechanism::Login, &password),
        (Mechanism::CramMd5, &password),
        (Mechanism::ScramSha256, &password),
        (Mechanism::XOAuth2, &token),
        (Mechanism::OAuthBearer, &token),
    ];
    for (port, security) in [
        ("SUBMISSION_PORT", Security::Starttls),
        ("SUBMISSIONS_PORT", Security::Tls),
    ] {
        let account = alice_on(&servers, port, security).await;
        for (mechanism, secret) in cases {
            let mut trace = Trace::new();
            let result =
                courriel_engine::smtp::login(&account, secret, Some(mechanism), &mut trace).await;
            assert!(
                result.is_ok(),
                "{} on {port}: {:?}\n{}",
                mechanism.name(),
                result.err(),
                trace.render()
            );
            let text = trace.render();
            assert!(
                text.contains(&format!("with {}", mechanism.name())),
                "{text}"
            );
            let secret_text = match secret {
                Secret::Password(s) | Secret::OAuth2Token(s) => s,
            };
            assert!(
                !text.contains(secret_text.as_str()),
                "secret in the trace:\n{text}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_strongest_mechanism_is_chosen() {
    let servers = Servers::start();
    let account = alice_on(&servers, "SUBMISSION_PORT", Security::Starttls).await;
    let mut trace = Trace::new();
    let password = Secret::Password(servers.get("ALICE_PASSWORD").into());
    courriel_engine::smtp::login(&account, &password, None, &mut trace)
        .await
        .expect("login");
    assert!(
        trace.render().contains("with SCRAM-SHA-256"),
        "{}",
        trace.render()
    );
    let mut trace = Trace::new();
    let token = Secret::OAuth2Token(servers.get("ALICE_TOKEN").into());
    courriel_engine::smtp::login(&account, &token, None, &mut trace)
        .await
        .expect("login");
    assert!(
        trace.render().contains("with OAUTHBEARER"),
        "{}",
        trace.render()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_an_auth_error_with_the_servers_reason() {
    let servers = Servers::start();
    let account = alice_on(&servers, "SUBMISSIONS_PORT", Security::Tls).await;
    let bad = Secret::OAuth2Token("expired-or-revoked".into());
    for mechanism in [Mechanism::XOAuth2, Mechanism::OAuthBearer] {
        let mut trace = Trace::new();
        let err = courriel_engine::smtp::login(&account, &bad, Some(mechanism), &mut trace)
            .await
            .err()
            .expect("a bad token is refused");
        assert_eq!(err.kind, ErrorKind::Auth, "{err}");
        assert!(err.message.contains("535"), "{err}");
        assert!(
            err.message.contains("server said"),
            "the error JSON is kept: {err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sending_with_an_oauth_token_works_end_to_end() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.tokens());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("add");
    let draft = Draft {
        to: vec![servers.get("BOB").into()],
        cc: vec![],
        bcc: vec![],
        subject: "with a token".into(),
        body: "hi".into(),
        ..Default::default()
    };
    let report = engine.send(&alice.email, draft).await.expect("send");
    assert_eq!(report.state, OutboxState::CopiedToSent, "{report:?}");
}

/// A server that offers AUTH but no STARTTLS, on a STARTTLS account: the client must stop
/// with a `Tls` error and never send AUTH (or anything else) in the clear.
#[tokio::test(flavor = "multi_thread")]
async fn a_server_without_starttls_is_refused_not_downgraded() {
    let (port, server) = plaintext_server(b"220 plain.example.test ESMTP\r\n", |line| {
        if line.starts_with("EHLO") {
            b"250-plain.example.test\r\n250 AUTH PLAIN LOGIN\r\n"
        } else if line.starts_with("QUIT") {
            b"221 bye\r\n"
        } else {
            b"502 no\r\n"
        }
    })
    .await;
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let mut new = servers.account("alice");
    new.smtp.port = port;
    new.smtp.security = Security::Starttls;
    let account = engine.add_account(new).await.expect("add");
    let mut trace = Trace::new();
    let secret = Secret::Password(servers.get("ALICE_PASSWORD").into());
    let err = courriel_engine::smtp::login(&account, &secret, None, &mut trace)
        .await
        .err()
        .expect("refused");
    assert_eq!(err.kind, ErrorKind::Tls, "{err}");
    let heard = tokio::time::timeout(std::time::Duration::from_secs(30), server)
        .await
        .expect("the client hung up")
        .expect("server task");
    assert!(
        heard
            .iter()
            .all(|l| l.starts_with("EHLO") || l.starts_with("QUIT")),
        "{heard:?}"
    );
    assert!(!heard.iter().any(|l| l.contains("AUTH")), "{heard:?}");
}

/// The 587-style port itself refuses AUTH before STARTTLS: the test servers hold the
/// same line the client does.
#[tokio::test(flavor = "multi_thread")]
async fn the_submission_port_refuses_auth_before_starttls() {
    let servers = Servers::start();
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", servers.port("SUBMISSION_PORT")))
        .await
        .expect("connect");
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut reply = async || {
        let mut all = Vec::new();
        while let Some(line) = lines.next_line().await.expect("read") {
            let last = line.as_bytes().get(3) != Some(&b'-');
            all.push(line);
            if last {
                break;
            }
        }
        all
    };
    assert!(reply().await[0].starts_with("220"));
    write
        .write_all(b"EHLO example.test\r\n")
        .await
        .expect("ehlo");
    let ehlo = reply().await;
    assert!(ehlo.iter().any(|l| l.contains("STARTTLS")), "{ehlo:?}");
    assert!(
        !ehlo.iter().any(|l| l.contains("AUTH")),
        "AUTH offered in clear: {ehlo:?}"
    );
    write
        .write_all(b"AUTH PLAIN AGFsaWNlAHdyb25n\r\n")
        .await
        .expect("auth");
    let refused = reply().await;
    assert!(
        refused[0].starts_with("530") || refused[0].starts_with("503"),
        "{refused:?}"
    );
}

/// A port-25-style relay without TLS or AUTH: refused by a normal account (no STARTTLS),
/// used only by an account that says "plaintext, no authentication" explicitly.
#[tokio::test(flavor = "multi_thread")]
async fn a_plaintext_relay_needs_the_explicit_setting() {
    let servers = Servers::start();
    let (engine, _dir) = engine(servers.secrets());
    let bob = servers.get("BOB");
    let draft = |subject: &str| Draft {
        to: vec![bob.into()],
        subject: subject.into(),
        body: "via the relay".into(),
        ..Default::default()
    };
    let mut normal = servers.account("alice");
    normal.smtp = servers.endpoint("RELAY_PORT", Security::Starttls);
    let alice = engine.add_account(normal).await.expect("alice");
    let refused = engine
        .send(&alice.email, draft("refused"))
        .await
        .expect_err("no STARTTLS");
    assert_eq!(refused.kind, ErrorKind::Tls, "{refused}");

    let (engine, _dir2) = courriel_tests::engine(servers.secrets());
    let mut relay = servers.account("alice");
    relay.smtp = servers.endpoint("RELAY_PORT", Security::Starttls);
    relay.smtp_plaintext_no_auth = true;
    relay.sent_copy = Some(courriel_engine::api::SentCopy::Provider);
    let alice = engine.add_account(relay).await.expect("alice");
    let report = engine
        .send(&alice.email, draft("relayed"))
        .await
        .expect("send");
    assert_eq!(report.state, OutboxState::Accepted, "{report:?}");
    let (_, attempts) = engine.trace(&report.message_id).await.expect("trace");
    let trace = &attempts[0].trace;
    assert!(trace.contains("plaintext local relay"), "{trace}");
    assert!(
        !trace.contains("authenticated"),
        "no AUTH in clear: {trace}"
    );
}
