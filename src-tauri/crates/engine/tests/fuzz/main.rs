//! Property tests (proptest) of what reads bytes from servers and links: the IMAP
//! response reader (the guard's framing, then imap-proto, then our FETCH handling), the
//! SMTP reply reader (before TLS ours, after it lettre's, then the replies in words), the
//! POP3 client, and the `mailto:` parser. Inputs are built from each protocol's pieces
//! (so they get past the first byte) mixed with arbitrary bytes; the property is always
//! that the reader ends, with a value or a typed error, without a panic or a hang.
//!
//! `make test` runs a short pass; `make fuzz` sets PROPTEST_CASES for a long one. MIME
//! ingest, the HTML sanitizer and autoconfig's XML have theirs beside their code
//! (`src/ingest/fuzz_tests.rs`, `src/html/fuzz_tests.rs`, `src/autoconfig/fuzz_tests.rs`).

mod imap;
mod mailto;
mod pop3;
mod smtp;

use std::future::Future;
use std::time::Duration;

use proptest::prelude::*;

/// `default` cases, or PROPTEST_CASES when set (`make fuzz`).
pub fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

pub fn pick(from: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(from)
}

/// Lines of a server's speech: some from `vocabulary`, some arbitrary bytes, joined by
/// CRLF, LF or nothing.
pub fn speech(vocabulary: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        4 => pick(vocabulary).prop_map(|s| s.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
    ];
    let end = pick(&["\r\n", "\r\n", "\n", ""]);
    proptest::collection::vec((line, end), 0..24).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(l, e)| [l, e.as_bytes().to_vec()].concat())
            .collect()
    })
}

/// Runs `work` to its end on a fresh runtime; a reader still waiting after 10 s on bytes
/// that are all there (the stream then ends) is a hang, and fails the case.
pub fn ends<F: Future>(work: F) -> Result<F::Output, TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), work).await })
        .map_err(|_| TestCaseError::fail("the reader hung"))
}

/// A server that says `bytes` then closes; what the client writes goes nowhere.
pub fn server(bytes: Vec<u8>) -> impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin {
    tokio::io::join(std::io::Cursor::new(bytes), tokio::io::sink())
}
