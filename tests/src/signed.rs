//! Messages signed with the test DKIM key of `tests/fixtures/trust/` (Ed25519, selector
//! s2026, its public record in `dkim-record.txt`), delivered as a provider would store
//! them, and accounts to hold them: for the sender-trust tests of the engine and the CLI.

use std::path::PathBuf;

use courriel_engine::api::{AuthMethod, Endpoint, NewAccount, Protocol, Security};
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;

/// A file of `tests/fixtures/trust/`, as text.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/trust")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An IMAP account with these hosts (never connected to by the trust tests).
pub fn account(email: &str, imap: &str, smtp: &str) -> NewAccount {
    let endpoint = |host: &str, port| Endpoint {
        host: host.into(),
        port,
        security: Security::Tls,
    };
    NewAccount {
        email: email.into(),
        display_name: "Test".into(),
        username: email.into(),
        protocol: Protocol::Imap,
        incoming: endpoint(imap, 993),
        smtp: endpoint(smtp, 465),
        ca_file: None,
        sent_copy: None,
        smtp_plaintext_no_auth: false,
        auth: AuthMethod::Password,
    }
}

/// `body` from `from`, signed for `domain` with the fixture key (selector s2026).
pub fn signed(from: &str, domain: &str, body: &str) -> String {
    let pk8 = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        fixture("dkim-key.pk8.b64").trim(),
    )
    .expect("key base64");
    let key = Ed25519Key::from_pkcs8_der(&pk8).expect("key");
    let message = format!(
        "From: {from}\r\nTo: bob@mail.test\r\nSubject: Statement\r\n\
         Date: Tue, 01 Sep 2026 10:00:00 +0000\r\nMessage-ID: <{}@{domain}>\r\n\r\n{body}\r\n",
        body.len()
    );
    let signature = DkimSigner::from_key(key)
        .domain(domain)
        .selector("s2026")
        .headers(["From", "To", "Subject", "Date", "Message-ID"])
        .sign(message.as_bytes())
        .expect("sign");
    format!("{}{message}", signature.to_header())
}

/// What bob's provider adds on receipt: Return-Path and the Received chain.
pub fn delivered(bounce: &str, ip: &str, top: &str, message: &str) -> Vec<u8> {
    format!(
        "{top}Return-Path: <{bounce}>\r\n\
         Received: from mx.mail.test (mx.mail.test [10.0.0.2]) by imap.mail.test with LMTP;\r\n \
         Tue, 01 Sep 2026 10:00:02 +0000\r\n\
         Received: from out.sender.test (out.sender.test [{ip}]) by mx.mail.test with ESMTPS;\r\n \
         Tue, 01 Sep 2026 10:00:01 +0000\r\n{message}"
    )
    .into_bytes()
}

/// The DKIM TXT record of the test key.
pub fn key_record() -> String {
    fixture("dkim-record.txt").trim().to_owned()
}
