//! Broken messages keep their text (see `repair` and `loose_text`), and lose nothing
//! else: the raw bytes kept are the bytes received.

use super::*;

fn parsed(raw: &[u8]) -> NewMessage {
    parse(raw.to_vec(), ServerMeta::default())
}

#[test]
fn text_without_a_subtype_is_the_text() {
    let m = parsed(b"From: a@x.test\r\nSubject: t\r\nContent-Type: text; charset=iso-8859-1\r\n\r\nd\xe9penses du mois\r\n");
    assert_eq!(m.text.trim(), "dépenses du mois");
    assert!(m.attachments.is_empty(), "{:?}", m.attachments);
    assert_eq!(m.preview, "dépenses du mois");
}

#[test]
fn a_named_text_part_stays_an_attachment() {
    let m = parsed(
        b"From: a@x.test\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: text; name=notes\r\n\
Content-Disposition: attachment\r\n\r\nkept apart\r\n--b--\r\n",
    );
    assert_eq!(m.text.trim(), "hello");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].part, "1");
}

#[test]
fn a_missing_blank_line_keeps_the_body() {
    let raw = b"From: a@x.test\nSubject: report\nBackup finished.\nSkipped: 2\n";
    let m = parsed(raw);
    assert_eq!(m.subject, "report");
    assert_eq!(
        m.text.replace("\r\n", "\n"),
        "Backup finished.\nSkipped: 2\n"
    );
    assert_eq!(m.raw, raw, "the cache keeps what came");
}

#[test]
fn eight_bit_headers_are_windows_1252() {
    let m = parsed(
        b"From: H\xe9l\xe8ne <h@x.test>\r\nSubject: caf\xe9 \x96 \x93ok\x94\r\n\r\nbody\r\n",
    );
    assert_eq!(m.subject, "café – “ok”");
    assert_eq!(m.from_name.as_deref(), Some("Hélène"));
    let h = parse_headers(
        b"Subject: d\xe9j\xe0\r\n\r\n",
        ServerMeta::default(),
        Vec::new(),
    );
    assert_eq!(h.subject, "déjà");
}

#[test]
fn heavy_html_shows_the_message_s_own_text() {
    let html = "<div>x".repeat(100_000);
    let raw = format!(
        "From: a@x.test\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain\r\n\r\nthe plain words\r\n--b\r\nContent-Type: text/html\r\n\r\n{html}\r\n--b--\r\n"
    );
    let m = parsed(raw.as_bytes());
    let shown = m.html.expect("a page");
    assert!(shown.contains("the plain words"), "{}", &shown[..200]);
    assert!(!shown.contains("<div"));
}
