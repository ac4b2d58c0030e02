//! Golden tests: delivery reports in the formats people receive, under
//! `tests/fixtures/bounces/`, each `name.eml` with a `name.json` beside it holding its
//! reading (`null`: not a report) and each recipient's explanation in English.
//! `UPDATE_GOLDEN=1` rewrites the `.json` files; review the diff before committing.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{fate_words, read};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/bounces")
}

fn reading(raw: &[u8]) -> Value {
    match read(raw) {
        None => Value::Null,
        Some(report) => {
            let words: Vec<String> = report.recipients.iter().map(|f| fate_words(f).en).collect();
            json!({ "report": report, "explanations": words })
        }
    }
}

#[test]
fn reports_in_every_format_are_read_as_expected() {
    let dir = corpus();
    let mut emls: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    emls.sort();
    assert!(
        emls.len() >= 8,
        "the bounce corpus in {} is missing",
        dir.display()
    );
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut wrong = Vec::new();
    for eml in emls {
        let raw = std::fs::read(&eml).expect("fixture");
        let got = reading(&raw);
        let expected_file = eml.with_extension("json");
        if update {
            let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
            std::fs::write(&expected_file, text).expect("write expectation");
            continue;
        }
        let expected: Value = std::fs::read(&expected_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_else(|| panic!("{} has no readable .json beside it", eml.display()));
        if got != expected {
            wrong.push(format!(
                "{}:\n{}",
                eml.display(),
                serde_json::to_string_pretty(&got).unwrap_or_default()
            ));
        }
    }
    assert!(wrong.is_empty(), "readings differ:\n{}", wrong.join("\n"));
}

#[test]
fn no_input_panics_and_ordinary_mail_is_no_report() {
    for raw in [
        &b""[..],
        b"\r\n\r\n",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n\r\n--x--",
        b"Subject: hi\r\n\r\nThis is the qmail-send program\r\n<@>:\r\n<a@b>:",
        b"From: a@b\r\n\r\nhello",
    ] {
        assert_eq!(read(raw), None, "{}", String::from_utf8_lossy(raw));
    }
}
