//! Property tests (proptest) of MIME ingest: messages built from the parts mail is made
//! of (header fields with encoded words and 8-bit bytes, content types with and without
//! subtypes, boundaries that match or not, transfer encodings right or wrong, multiparts
//! nested, the blank line missing) and arbitrary bytes. Nothing panics, the bytes kept
//! are the bytes received, and HTML that comes out keeps the sanitizer's promise.

use proptest::prelude::*;

use super::*;

/// `default` cases, or PROPTEST_CASES when set (`make fuzz`).
fn config(default: u32) -> ProptestConfig {
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

fn pick(from: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(from)
}

/// Bytes a header value may hold: words, encoded words (some broken), 8-bit bytes.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        pick(&[
            "Zoé <z@x.test>",
            "=?utf-8?q?R=C3=A9union?=",
            "=?iso-8859-1?b?Y2Fm6Q==?=",
            "=?utf-8?q?broken",
            "=?x-unknown?q?a?=",
            "\"Doe, J\" <j@x.test>, k@x.test",
            "<id@x.test>",
            "Tue, 01 Sep 2026 10:00:00 +0200",
            "31 Feb 99 25:61",
            "\r\n folded",
            "",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ];
    proptest::collection::vec(piece, 0..4).prop_map(|p| p.concat())
}

fn header_field() -> impl Strategy<Value = Vec<u8>> {
    let name = pick(&[
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "List-Id",
        "Authentication-Results",
        "X-Junk",
        "Content-ID",
    ]);
    (name, header_value()).prop_map(|(n, v)| [n.as_bytes(), b": ", &v, b"\r\n"].concat())
}

fn content_type() -> impl Strategy<Value = &'static str> {
    pick(&[
        "text/plain; charset=utf-8",
        "text/plain; charset=iso-8859-1",
        "text/html",
        "text",
        "text; charset=windows-1252",
        "TEXT/HTML; charset=\"bogus\"",
        "application/pdf; name=r.pdf",
        "image/png; name*=utf-8''%C3%A9.png",
        "message/rfc822",
        "",
    ])
}

fn part_headers() -> impl Strategy<Value = String> {
    let encoding = pick(&[
        "",
        "base64",
        "quoted-printable",
        "8bit",
        "x-uuencode",
        "b@d",
    ]);
    let disposition = pick(&["", "inline", "attachment; filename=a.txt", "attachment"]);
    (content_type(), encoding, disposition).prop_map(|(t, e, d)| {
        let mut h = String::new();
        for (name, value) in [
            ("Content-Type", t),
            ("Content-Transfer-Encoding", e),
            ("Content-Disposition", d),
        ] {
            if !value.is_empty() {
                h.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        h
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        pick(&[
            "Hello\r\n",
            "<p onclick=\"x()\">Hi <a href=\"/1\">x</a><script>y</script><img src=\"data:x\">",
            "=C3=A9t=C3=A9 =\r\nsoft=3Dbreak =ZZ\r\n",
            "SGVsbG8gd29ybGQ=\r\n!!notbase64\r\n",
            "<div><div><div>",
            "begin 644 x\r\n#86)C\r\nend\r\n",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

/// A MIME entity: headers, then a body or parts between boundaries (which may lie).
fn entity() -> impl Strategy<Value = Vec<u8>> {
    let leaf = (part_headers(), body()).prop_map(|(h, b)| [h.as_bytes(), b"\r\n", &b].concat());
    leaf.prop_recursive(4, 24, 4, |inner| {
        let kind = pick(&["mixed", "alternative", "related", "digest", "weird"]);
        let boundary = "[a-zA-Z0-9'()+_,./:=? -]{0,20}";
        (
            kind,
            boundary,
            proptest::collection::vec(inner, 0..4),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(kind, boundary, parts, closed, lie)| {
                let mut out = format!(
                    "Content-Type: multipart/{kind}; boundary=\"{boundary}\"\r\n\r\npreamble\r\n"
                )
                .into_bytes();
                let written = if lie {
                    format!("{boundary}x")
                } else {
                    boundary
                };
                for part in parts {
                    out.extend_from_slice(format!("--{written}\r\n").as_bytes());
                    out.extend_from_slice(&part);
                    out.extend_from_slice(b"\r\n");
                }
                if closed {
                    out.extend_from_slice(format!("--{written}--\r\n").as_bytes());
                }
                out
            })
    })
}

/// A whole message: header fields, then an entity, the blank line sometimes missing.
fn message() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(header_field(), 0..8),
        entity(),
        any::<bool>(),
    )
        .prop_map(|(fields, entity, drop_blank)| {
            let mut raw = fields.concat();
            raw.extend_from_slice(b"MIME-Version: 1.0\r\n");
            let entity = if drop_blank {
                entity
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map_or(entity.clone(), |i| {
                        [&entity[..i + 2], &entity[i + 4..]].concat()
                    })
            } else {
                entity
            };
            raw.extend_from_slice(&entity);
            raw
        })
}

fn check(raw: Vec<u8>) -> Result<(), TestCaseError> {
    let m = parse(raw.clone(), ServerMeta::default());
    prop_assert_eq!(&m.raw, &raw, "the bytes kept are the bytes received");
    if let Some(html) = &m.html {
        if let Some(why) = crate::html::tests::broken_promise(html) {
            return Err(TestCaseError::fail(format!("{why} in {html}")));
        }
    }
    let _ = parse_headers(&raw, ServerMeta::default(), Vec::new());
    let once = repair::readable(&raw).into_owned();
    prop_assert_eq!(
        &repair::readable(&once)[..],
        &once[..],
        "repairing twice changes nothing"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_built_message_is_ingested(raw in message()) {
        check(raw)?;
    }

    #[test]
    fn any_bytes_are_ingested(raw in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(raw)?;
    }
}

/// Found by `any_built_message_is_ingested`: a multipart inside a multipart with the same
/// boundary, then message/rfc822 parts, tripped mail-parser's debug assertion (a panic
/// in debug builds and tests; see the root Cargo.toml). Read, not lost.
#[test]
fn nested_multiparts_sharing_a_boundary() {
    let raw = b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"0\"\r\n\r\n\
preamble\r\n--0\r\nContent-Type: multipart/mixed; boundary=\"0\"\r\n\r\npreamble\r\n--0\r\n\
Content-Type: message/rfc822\r\n\r\n<p>Hi</p>\r\n--0\r\nContent-Type: message/rfc822\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\n=C3=A9t=C3=A9\r\n\r\n--0--\r\n\r\n";
    let m = parse(raw.to_vec(), ServerMeta::default());
    assert_ne!(m.subject, "(unreadable message)");
    assert_eq!(m.raw, raw);
}
