//! Hostile or broken IMAP servers, after TLS: silence, an endless line, 100,000 nested
//! parentheses, a literal of 93 GB. Each must end in a clear error in words, with no
//! panic, no hang and bounded memory (issue 16). The read timeout is lowered for this test
//! binary only, so a silent server costs 300 ms instead of a minute.

use std::time::Duration;

use courriel_engine::auth::secrets::Secret;
use courriel_engine::error::{Error, ErrorKind};
use courriel_engine::imap::{self, fetch, guard, ImapSession};
use courriel_tests::hostile_imap::{HostileImap, Script};

fn quick() {
    guard::set_read_timeout(Duration::from_millis(300));
}

async fn connect(server: &HostileImap) -> Result<ImapSession, Error> {
    imap::connect(&server.account(), &Secret::Password("secret".into())).await
}

/// Log in, then FETCH a body: the server's answer to it is the script's.
async fn fetch_from(server: &HostileImap) -> Error {
    let mut session = connect(server).await.expect("logged in");
    fetch::uid_fetch(&mut session, "1", "(UID BODY.PEEK[])", |_| Ok(()))
        .await
        .expect_err("a hostile FETCH must fail")
}

/// A sentence for people: no Rust debug text.
fn in_words(e: &Error) {
    for debug in ["Custom {", "kind:", "Some(", "Error {", "Os {"] {
        assert!(!e.message.contains(debug), "debug text in: {}", e.message);
    }
}

fn nested(prefix: &str) -> Vec<u8> {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'(', 100_000));
    bytes.extend(b"\r\n");
    bytes
}

#[tokio::test]
async fn silence_after_the_greeting() {
    quick();
    let server = HostileImap::start(Script::on("CAPABILITY", Vec::new())).await;
    let e = connect(&server).await.expect_err("silence");
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(
        e.message.ends_with("the server sent nothing for 300 ms"),
        "{e}"
    );
    in_words(&e);
}

#[tokio::test]
async fn silence_in_the_middle_of_a_fetch() {
    quick();
    let half = b"* 1 FETCH (UID 1 BODY[] {1000}\r\nSubject: half of it".to_vec();
    let server = HostileImap::start(Script::on("FETCH", half)).await;
    let e = fetch_from(&server).await;
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(
        e.message.ends_with("the server sent nothing for 300 ms"),
        "{e}"
    );
    in_words(&e);
}

#[tokio::test]
async fn an_endless_greeting_line() {
    quick();
    let server = HostileImap::start(Script {
        then_forever: Some(b'x'),
        ..Script::greeting(b"* OK ".to_vec())
    })
    .await;
    let e = connect(&server).await.expect_err("endless");
    assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
    assert!(e.message.contains("a line longer than 64 KB"), "{e}");
    in_words(&e);
    // What was read is bounded by the limit; the rest is the kernel's socket buffers.
    assert!(server.sent() < 32 << 20, "{} bytes sent", server.sent());
}

#[tokio::test]
async fn an_endless_line_in_a_fetch() {
    quick();
    let server = HostileImap::start(Script {
        then_forever: Some(b'a'),
        ..Script::on("FETCH", b"* 1 FETCH (UID 1 FLAGS (".to_vec())
    })
    .await;
    let e = fetch_from(&server).await;
    assert!(e.message.contains("a line longer than 64 KB"), "{e}");
    in_words(&e);
    assert!(server.sent() < 32 << 20, "{} bytes sent", server.sent());
}

#[tokio::test]
async fn deep_nesting_in_the_greeting() {
    quick();
    let server = HostileImap::start(Script::greeting(nested("* OK "))).await;
    let e = connect(&server).await.expect_err("deep");
    assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
    assert!(e.message.contains("nested more than 64 levels"), "{e}");
    in_words(&e);
}

#[tokio::test]
async fn deep_nesting_in_a_fetch() {
    quick();
    let server = HostileImap::start(Script::on(
        "FETCH",
        nested("* 1 FETCH (UID 1 BODYSTRUCTURE "),
    ))
    .await;
    let e = fetch_from(&server).await;
    assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
    assert!(e.message.contains("nested more than 64 levels"), "{e}");
    in_words(&e);
}

#[tokio::test]
async fn a_huge_literal() {
    quick();
    for (size, words) in [("99999999999", "93 GB"), ("400000000", "381 MB")] {
        let reply = format!("* 1 FETCH (UID 1 BODY[] {{{size}}}\r\nSubject: x\r\n");
        let server = HostileImap::start(Script::on("FETCH", reply.into_bytes())).await;
        let e = fetch_from(&server).await;
        assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
        let expected = format!("the server announced {words} of data in one piece");
        assert!(e.message.contains(&expected), "{e}");
        in_words(&e);
    }
}

/// IDLE is silence by design: it may last longer than the read timeout, and the usual
/// timeout comes back after it.
#[tokio::test]
async fn idle_outlasts_the_read_timeout() {
    quick();
    let server = HostileImap::start(Script::on("NO COMMAND MATCHES", Vec::new())).await;
    let mut session = connect(&server).await.expect("logged in");
    let (_keep, mut stop) = tokio::sync::watch::channel(false);
    let woke = imap::idle::idle(&mut session, Duration::from_millis(1500), &mut stop)
        .await
        .expect("IDLE waits its own time, not the read timeout");
    assert_eq!(woke, imap::idle::Woke::Timeout);
    fetch::uid_fetch(&mut session, "1", "(UID FLAGS)", |_| Ok(()))
        .await
        .expect("the session still works after IDLE");
}

/// A SEARCH line may be long (a big folder's UIDs), but not one endless "number": it
/// would cost async-imap's parser quadratic time.
#[tokio::test]
async fn an_endless_number_in_a_search() {
    quick();
    let server = HostileImap::start(Script {
        then_forever: Some(b'7'),
        ..Script::on("SEARCH", b"* SEARCH 1 ".to_vec())
    })
    .await;
    let mut session = connect(&server).await.expect("logged in");
    let e = imap::raw::run_ok(&mut session, "UID SEARCH ALL", ErrorKind::Protocol)
        .await
        .expect_err("endless");
    assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
    assert!(
        e.message.contains("a SEARCH response Courriel cannot read"),
        "{e}"
    );
    in_words(&e);
    assert!(server.sent() < 32 << 20, "{} bytes sent", server.sent());
}
