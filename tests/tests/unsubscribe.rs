//! Unsubscribe against real servers: the RFC 8058 one-click POST received by a local
//! HTTPS server (the rig's certificate, trusted through the account's CA file, on the
//! account's own host: the one private address allowed) with exactly the RFC's body and
//! no cookie; a `mailto:` request sent through the outbox and received by bob through
//! Postfix and Dovecot; a page handed back, not fetched; hostile headers lead nowhere.

use std::sync::{Arc, Mutex};

use courriel_engine::api::UnsubscribeKind;
use courriel_engine::ErrorKind;
use courriel_tests::{engine, Servers};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request as the list's server read it: the head (request line and headers) and body.
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// An HTTPS server on 127.0.0.1 with the rig's server certificate, answering 200 to all.
async fn list_server(servers: &Servers) -> (u16, Received) {
    let ca = servers.state_dir().join("ca");
    let certs = CertificateDer::pem_file_iter(ca.join("server.pem"))
        .expect("server.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificates");
    let key = PrivateKeyDer::from_pem_file(ca.join("server.key")).expect("server.key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("TLS config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received: Received = Default::default();
    let record = received.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = tls.read(&mut buf).await {
                raw.extend_from_slice(&buf[..n]);
                if complete(&raw) {
                    break;
                }
            }
            let text = String::from_utf8_lossy(&raw).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            record
                .lock()
                .expect("lock")
                .push((head.to_owned(), body.to_owned()));
            let ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = tls.write_all(ok.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (port, received)
}

/// The head and as much body as Content-Length says have come.
fn complete(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    body.len() >= length
}

fn list_message(id: &str, headers: &str) -> String {
    format!(
        "From: News <news@lists.example.test>\r\nTo: alice@example.test\r\nSubject: Letter {id}\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <{id}@lists.example.test>\r\n\
         List-Id: <news.lists.example.test>\r\n{headers}\r\n\r\nNews.\r\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn each_way_of_leaving_a_list_reaches_its_server() {
    let servers = Servers::start();
    let (port, received) = list_server(&servers).await;
    let (engine, _dir) = engine(servers.secrets());
    let alice = engine
        .add_account(servers.account("alice"))
        .await
        .expect("alice");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let host = servers.get("HOST");
    let letters = [
        ("one-click", format!("List-Unsubscribe: <mailto:leave@lists.example.test>,\r\n <https://{host}:{port}/u/alice?list=news>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click")),
        ("by-mail", format!("List-Unsubscribe: <mailto:{}?subject=unsubscribe%20news>, <https://lists.example.test/manage>", bob.email)),
        ("page", "List-Unsubscribe: <https://lists.example.test/manage?u=alice>".to_owned()),
        ("hostile", format!("List-Unsubscribe: <http://lists.example.test/u>, <javascript:alert(1)>, <https://127.0.0.2:{port}/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click")),
    ];
    for (id, headers) in &letters {
        servers.deliver_raw("alice", id, list_message(id, headers).as_bytes());
    }
    engine.sync(&alice.email).await.expect("sync");
    let inbox = engine
        .folder_messages(&alice.email, "INBOX", 50)
        .await
        .expect("inbox");
    let id_of = |subject: &str| {
        inbox
            .iter()
            .find(|m| m.subject == subject)
            .map(|m| m.id)
            .expect(subject)
    };

    // One click: the plan says so and names the host, then the POST arrives as RFC 8058 wants.
    let one = id_of("Letter one-click");
    let plan = engine
        .unsubscribe_plan(one)
        .await
        .expect("plan")
        .expect("a way");
    assert_eq!(
        (plan.kind, plan.host.as_str()),
        (UnsubscribeKind::OneClick, host)
    );
    let done = engine.unsubscribe(one).await.expect("unsubscribed");
    assert_eq!(done.status, Some(200));
    let got = received.lock().expect("lock").clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let (head, body) = &got[0];
    assert!(
        head.starts_with("POST /u/alice?list=news HTTP/1.1\r\n"),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("\r\ncontent-type: application/x-www-form-urlencoded"),
        "{head}"
    );
    assert!(
        !lower.contains("\r\ncookie:") && !lower.contains("\r\nauthorization:"),
        "{head}"
    );
    assert_eq!(body, "List-Unsubscribe=One-Click");

    // By mail: through the outbox, to bob's real mailbox.
    let by_mail = id_of("Letter by-mail");
    let plan = engine
        .unsubscribe_plan(by_mail)
        .await
        .expect("plan")
        .expect("a way");
    assert_eq!(
        (plan.kind, plan.host.as_str()),
        (UnsubscribeKind::Mail, bob.email.as_str())
    );
    let done = engine.unsubscribe(by_mail).await.expect("queued");
    assert!(done.outbox_id.is_some());
    servers.wait_for_delivery();
    engine.sync(&bob.email).await.expect("bob syncs");
    let bobs = engine
        .folder_messages(&bob.email, "INBOX", 50)
        .await
        .expect("bob's inbox");
    let request = bobs
        .iter()
        .find(|m| m.subject == "unsubscribe news")
        .expect("the request arrived");
    assert_eq!(request.from_addr, alice.email);

    // The page: handed back to be opened, never fetched.
    let page = engine
        .unsubscribe(id_of("Letter page"))
        .await
        .expect("the page");
    assert_eq!(page.plan.kind, UnsubscribeKind::Page);
    assert_eq!(
        page.plan.target,
        "https://lists.example.test/manage?u=alice"
    );
    assert_eq!(page.status, None);

    // Hostile: plain http, javascript:, another private address: no way at all.
    let hostile = id_of("Letter hostile");
    assert_eq!(engine.unsubscribe_plan(hostile).await.expect("plan"), None);
    let refused = engine
        .unsubscribe(hostile)
        .await
        .expect_err("nothing to do");
    assert_eq!(refused.kind, ErrorKind::NotFound);
    assert_eq!(
        received.lock().expect("lock").len(),
        1,
        "nothing more was posted"
    );
}
