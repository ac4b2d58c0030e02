//! Golden tests: real-world messages under `tests/fixtures/eml/`, each `name.eml` with a
//! `name.json` beside it holding the fields `crate::ingest::parse` must find. Adding a
//! case is adding two files. The test fails when the corpus is empty (a moved directory
//! must not pass silently) and when an `.eml` has no expectations beside it.
//!
//! Broken messages other clients still read are in the corpus too (`Content-Type: text`
//! with no subtype, no blank line after the header, 8-bit header bytes): `ingest` must
//! read them as Python's `email` package and Thunderbird do.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ingest::{self, ServerMeta};

/// What a fixture's `.json` says. Unknown keys fail, so a typo cannot skip a check.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expected {
    subject: String,
    from: String,
    from_name: Option<String>,
    to: Vec<String>,
    cc: Vec<String>,
    message_id: String,
    in_reply_to: Option<String>,
    references: Vec<String>,
    /// Unix seconds.
    date: i64,
    /// The start of the text body, line ends as LF.
    text_start: String,
    /// Whether the message has a text/html part of its own.
    html: bool,
    attachments: Vec<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/eml")
}

#[test]
fn ingest_reads_the_fixture_corpus() {
    let dir = corpus();
    let mut emls: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    emls.sort();
    assert!(!emls.is_empty(), "no .eml fixtures in {}", dir.display());
    let failures: Vec<String> = emls.iter().flat_map(|eml| check(eml)).collect();
    assert!(
        failures.is_empty(),
        "{} mismatch(es):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every mismatch of one fixture, each prefixed with its file name.
fn check(eml: &Path) -> Vec<String> {
    let name = eml.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let json = eml.with_extension("json");
    let expected: Expected = match std::fs::read_to_string(&json) {
        Ok(text) => {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()))
        }
        Err(e) => {
            return vec![format!(
                "{name}: no expectations at {}: {e}",
                json.display()
            )]
        }
    };
    let raw = std::fs::read(eml).unwrap_or_else(|e| panic!("{}: {e}", eml.display()));
    let got = ingest::parse(raw, ServerMeta::default());
    let attachments: Vec<String> = got
        .attachments
        .iter()
        .map(|a| match a.filename.as_str() {
            "" => "(unnamed)".to_owned(),
            name => name.to_owned(),
        })
        .collect();
    let has_html = got.html.is_some();
    let text = got.text.replace("\r\n", "\n");

    let mut failures = Vec::new();
    let mut same = |field: &str, got: String, want: String| {
        if got != want {
            failures.push(format!("{name}: {field}: got {got}, expected {want}"));
        }
    };
    same("subject", q(&got.subject), q(&expected.subject));
    same("from", q(&got.from_addr), q(&expected.from));
    same("fromName", q(&got.from_name), q(&expected.from_name));
    same("to", q(&got.to_addrs), q(&expected.to));
    same("cc", q(&got.cc_addrs), q(&expected.cc));
    same(
        "messageId",
        q(&got.message_id),
        q(&Some(expected.message_id)),
    );
    same("inReplyTo", q(&got.in_reply_to), q(&expected.in_reply_to));
    same("references", q(&got.refs), q(&expected.references));
    same("date", got.date.to_string(), expected.date.to_string());
    same("html", has_html.to_string(), expected.html.to_string());
    same("attachments", q(&attachments), q(&expected.attachments));
    if !text.starts_with(&expected.text_start) {
        let head: String = text
            .chars()
            .take(expected.text_start.chars().count() + 20)
            .collect();
        same("textStart", q(&head), q(&expected.text_start));
    }
    failures
}

/// Debug-quoted, so that whitespace and empty values show in a failure.
fn q(value: &impl std::fmt::Debug) -> String {
    format!("{value:?}")
}
