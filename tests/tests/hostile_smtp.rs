//! Hostile or broken SMTP servers after TLS (the scripted server of `hostile_imap`, greeting
//! as SMTP does; implicit TLS): silence where a reply is due, a reply line without end,
//! bytes that are no reply. lettre reads the stream without a timeout or a limit; the
//! link it is handed (`smtp::bounded`) must end each in an error in words, with no panic
//! and no hang. The reply wait is lowered for this test binary only.

use std::time::Duration;

use courriel_engine::auth::secrets::EnvSecrets;
use courriel_engine::error::{Error, ErrorKind};
use courriel_engine::smtp::bounded;
use courriel_engine::smtp::session::SmtpSession;
use courriel_engine::smtp::trace::Trace;
use courriel_tests::hostile_imap::{HostileImap, Script};

const PASSWORD_VAR: &str = "HOSTILE_SMTP_TEST_PASSWORD";

async fn open(script: Script) -> (Error, String) {
    bounded::set_reply_timeout(Duration::from_millis(300));
    std::env::set_var(PASSWORD_VAR, "secret");
    let server = HostileImap::start(script).await;
    let secrets = EnvSecrets {
        password_var: PASSWORD_VAR,
        token_var: "HOSTILE_SMTP_TEST_TOKEN",
    };
    let mut trace = Trace::new();
    let result = SmtpSession::open(&server.account(), &secrets, &mut trace).await;
    let e = result
        .err()
        .expect("a hostile server must fail the session");
    (e, trace.render())
}

fn greets(reply: &[u8]) -> Script {
    Script {
        greeting: b"220 hostile.test ESMTP\r\n".to_vec(),
        trigger: "EHLO",
        reply: reply.to_vec(),
        then_forever: None,
    }
}

fn in_words(e: &Error) {
    for debug in ["Custom {", "kind:", "Some(", "Error {", "Os {"] {
        assert!(!e.to_string().contains(debug), "debug text in: {e}");
    }
}

#[tokio::test]
async fn silence_where_the_ehlo_reply_is_due() {
    let (e, _) = open(greets(b"")).await;
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(
        e.to_string().contains("the server sent nothing for 300 ms"),
        "{e}"
    );
    in_words(&e);
}

#[tokio::test]
async fn silence_in_the_middle_of_a_multi_line_reply() {
    let (e, _) = open(greets(b"250-hostile.test\r\n250-PIPELINING\r\n")).await;
    assert!(e.to_string().contains("the server sent nothing"), "{e}");
    in_words(&e);
}

#[tokio::test]
async fn a_reply_line_without_end() {
    let script = Script {
        then_forever: Some(b'x'),
        ..greets(b"250-")
    };
    let (e, _) = open(script).await;
    assert!(
        e.to_string().contains("a reply line longer than 64 KB"),
        "{e}"
    );
    in_words(&e);
}

#[tokio::test]
async fn bytes_that_are_no_reply() {
    let (e, _) = open(greets(b"2\xff\xfe\x00 nonsense\r\n")).await;
    assert!(
        matches!(e.kind, ErrorKind::Protocol | ErrorKind::Network),
        "{e}"
    );
    in_words(&e);
}
