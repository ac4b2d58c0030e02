//! `build` checked from the outside: every message is parsed back with mail-parser (what
//! recipients' clients and our own `ingest` do) and its structure compared with the draft.

use base64::Engine as _;
use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::build::{build, new_message_id, Built};
use crate::api::{Account, Attachment, Draft, Endpoint, Security, SentCopy};
use crate::error::ErrorKind;

pub(crate) fn account() -> Account {
    let ep = Endpoint {
        host: "h".into(),
        port: 1,
        security: Security::Tls,
    };
    Account {
        id: 1,
        email: "alice@example.test".into(),
        display_name: "Alice Liddell".into(),
        username: "alice@example.test".into(),
        protocol: crate::api::Protocol::Imap,
        incoming: ep.clone(),
        smtp: ep,
        ca_file: None,
        sent_copy: SentCopy::Append,
        smtp_plaintext_no_auth: false,
        auth: Default::default(),
        needs_signin: None,
        settings_source: String::new(),
        identities: vec![crate::api::Identity {
            email: "alice@wonderland.example".into(),
            name: "Alice in Wonderland".into(),
            signature: "-- \nAlice".into(),
        }],
    }
}

fn draft(subject: &str, body: &str) -> Draft {
    Draft {
        to: vec!["bob@example.test".into()],
        subject: subject.into(),
        body: body.into(),
        ..Draft::default()
    }
}

fn data(filename: &str, bytes: &[u8]) -> Attachment {
    Attachment {
        filename: filename.into(),
        data_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        ..Attachment::default()
    }
}

/// Build, check the invariants every message must keep, and parse it back.
fn built(account: &Account, draft: &Draft) -> Built {
    let built = build(account, draft).expect("build");
    let mime = &built.mime;
    let bare_lf = mime
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || mime[i - 1] != b'\r'));
    assert!(!bare_lf, "a bare LF: SMTP needs CRLF\n{}", text(&built));
    if !built.needs_smtputf8 {
        assert!(
            mime.is_ascii(),
            "8-bit data without SMTPUTF8\n{}",
            text(&built)
        );
    }
    let head_end = find(mime, b"\r\n\r\n").expect("a header section");
    for line in text(&built)[..head_end].split("\r\n") {
        assert!(
            line.len() <= 78,
            "header line of {} chars: {line}",
            line.len()
        );
    }
    built
}

fn parse(built: &Built) -> Message<'_> {
    MessageParser::default()
        .parse(&built.mime[..])
        .expect("mail-parser reads what we build")
}

fn text(built: &Built) -> String {
    String::from_utf8_lossy(&built.mime).into_owned()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The MIME tree as a string: "multipart/mixed[text/plain,application/pdf]".
fn shape(msg: &Message<'_>, id: u32) -> String {
    let part = msg.part(id).expect("part");
    let ct = part
        .content_type()
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
        .unwrap_or_else(|| "text/plain".into());
    match &part.body {
        PartType::Multipart(children) => {
            let inner: Vec<String> = children.iter().map(|&c| shape(msg, c)).collect();
            format!("{ct}[{}]", inner.join(","))
        }
        _ => ct,
    }
}

fn config_error(draft: &Draft) -> String {
    let err = build(&account(), draft).expect_err("refused");
    assert_eq!(err.kind, ErrorKind::Config, "{}", err.message);
    err.message
}

#[test]
fn a_plain_message_reads_back_as_written() {
    let b = built(&account(), &draft("Hello", "line one\nline two\r\n"));
    let msg = parse(&b);
    assert_eq!(msg.subject(), Some("Hello"));
    assert_eq!(
        msg.body_text(0).as_deref(),
        Some("line one\r\nline two\r\n")
    );
    assert_eq!(msg.message_id(), Some(b.message_id.as_str()));
    assert!(msg.date().is_some(), "Date is fixed at build time");
    assert_eq!(shape(&msg, 0), "text/plain");
    let from = msg.from().and_then(|a| a.first()).expect("from");
    assert_eq!(from.name(), Some("Alice Liddell"));
    assert_eq!(from.address(), Some("alice@example.test"));
    assert_eq!(b.mail_from, "alice@example.test");
    assert!(b.message_id.ends_with("@example.test"));
    assert!(!b.needs_smtputf8);
}

#[test]
fn bcc_is_in_the_envelope_but_not_the_headers() {
    let d = Draft {
        cc: vec!["Carol <carol@example.test>".into()],
        bcc: vec!["dave@example.test".into()],
        ..draft("Thé", "Bonjour")
    };
    let b = built(&account(), &d);
    assert_eq!(
        b.rcpt_to,
        [
            "bob@example.test",
            "carol@example.test",
            "dave@example.test"
        ]
    );
    let msg = parse(&b);
    assert!(msg.bcc().is_none(), "Bcc header present:\n{}", text(&b));
    assert!(!text(&b).contains("dave@"), "Bcc leaked:\n{}", text(&b));
    assert_eq!(
        msg.cc().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("carol@example.test")
    );
}

#[test]
fn a_repeated_recipient_is_sent_once() {
    let d = Draft {
        cc: vec!["Bob <BOB@example.test>".into()],
        bcc: vec!["bob@example.test".into(), "carol@example.test".into()],
        ..draft("x", "y")
    };
    let b = built(&account(), &d);
    assert_eq!(b.rcpt_to, ["bob@example.test", "carol@example.test"]);
}

#[test]
fn utf8_headers_are_encoded_and_decode_back() {
    let long = "Réunion trimestrielle de l’équipe « Produit » à Besançon : ordre du jour, \
                documents à relire et questions ouvertes — merci de répondre avant vendredi 🙏";
    for subject in ["Café ☕ et thé é", "🎉", long] {
        let b = built(&account(), &draft(subject, "x"));
        let msg = parse(&b);
        assert_eq!(msg.subject(), Some(subject), "{}", text(&b));
        assert!(text(&b).contains("Subject: =?utf-8?"), "{}", text(&b));
    }
    let long_subject = built(&account(), &draft(long, "x"));
    let folded = text(&long_subject)
        .split("\r\n")
        .skip_while(|l| !l.starts_with("Subject:"))
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .count();
    assert!(
        folded >= 2,
        "a long subject folds:\n{}",
        text(&long_subject)
    );

    let alice = Account {
        display_name: "Dupont, Zoé".into(),
        ..account()
    };
    let d = Draft {
        to: vec!["\"Müller, Jörg\" <joerg@example.test>".into()],
        ..draft("x", "y")
    };
    let b = built(&alice, &d);
    let msg = parse(&b);
    let from = msg.from().and_then(|a| a.first()).expect("from");
    assert_eq!(from.name(), Some("Dupont, Zoé"));
    assert_eq!(from.address(), Some("alice@example.test"));
    let to = msg.to().expect("to");
    assert_eq!(to.iter().count(), 1, "the comma did not split the name");
    let to = to.first().expect("to");
    assert_eq!(to.name(), Some("Müller, Jörg"));
    assert_eq!(to.address(), Some("joerg@example.test"));
}

#[test]
fn html_makes_an_alternative_with_the_text_first() {
    let d = Draft {
        html: Some("<p>Bonjour <b>Bob</b></p>".into()),
        ..draft("html", "Bonjour Bob")
    };
    let b = built(&account(), &d);
    let msg = parse(&b);
    assert_eq!(
        shape(&msg, 0),
        "multipart/alternative[text/plain,text/html]"
    );
    assert_eq!(msg.body_text(0).as_deref(), Some("Bonjour Bob"));
    assert_eq!(
        msg.body_html(0).as_deref(),
        Some("<p>Bonjour <b>Bob</b></p>")
    );
    assert_eq!(msg.attachment_count(), 0);
}

#[test]
fn attachments_and_an_inline_image_keep_names_types_and_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf_path = dir.path().join("Relevé 2026.pdf");
    let pdf: Vec<u8> = b"%PDF-1.4\n\x00\xff binary\r\n".to_vec();
    std::fs::write(&pdf_path, &pdf).expect("write pdf");
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3];
    let notes = "une ligne\nune autre\n";
    let d = Draft {
        html: Some("<p>Logo:</p><img src=\"cid:logo@courriel\">".into()),
        attachments: vec![
            Attachment {
                path: Some(pdf_path.to_string_lossy().into_owned()),
                ..Attachment::default()
            },
            Attachment {
                content_id: Some("logo@courriel".into()),
                ..data("logo.png", &png)
            },
            Attachment {
                content_type: Some("text/plain; charset=utf-8".into()),
                ..data("notes.txt", notes.as_bytes())
            },
        ],
        ..draft("Pièces jointes", "See attached.")
    };
    let b = built(&account(), &d);
    let msg = parse(&b);
    assert_eq!(
        shape(&msg, 0),
        "multipart/mixed[multipart/alternative[text/plain,\
         multipart/related[text/html,image/png]],application/pdf,text/plain]"
    );
    let related = msg
        .parts
        .iter()
        .find(|p| p.is_content_type("multipart", "related"))
        .expect("related");
    let rel_type = related.content_type().and_then(|ct| ct.attribute("type"));
    assert_eq!(rel_type, Some("text/html"), "RFC 2387 type parameter");

    let image = msg
        .parts
        .iter()
        .find(|p| p.is_content_type("image", "png"))
        .expect("image");
    assert_eq!(image.content_id(), Some("logo@courriel"));
    assert_eq!(image.contents(), &png[..]);
    assert!(text(&b).contains("Content-ID: <logo@courriel>"));
    let disposition = image.content_disposition().expect("disposition");
    assert!(disposition.is_inline(), "{}", text(&b));

    let found: Vec<(String, String, Vec<u8>)> = msg
        .attachments()
        .filter(|p| !p.is_content_type("image", "png"))
        .map(|p| {
            let ct = p.content_type().expect("type");
            (
                p.attachment_name().unwrap_or_default().to_owned(),
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")),
                p.contents().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Relevé 2026.pdf".into(), "application/pdf".into(), pdf),
            (
                "notes.txt".into(),
                "text/plain".into(),
                notes.as_bytes().to_vec()
            ),
        ],
        "{}",
        text(&b)
    );
}

#[test]
fn an_image_the_html_does_not_use_is_sent_as_an_attachment() {
    let d = Draft {
        html: Some("<p>no image here</p>".into()),
        attachments: vec![Attachment {
            content_id: Some("unused@courriel".into()),
            ..data("photo.jpg", b"\xff\xd8\xff")
        }],
        ..draft("x", "y")
    };
    let msg_shape = shape(&parse(&built(&account(), &d)), 0);
    assert_eq!(
        msg_shape,
        "multipart/mixed[multipart/alternative[text/plain,text/html],image/jpeg]"
    );
    let plain = Draft { html: None, ..d };
    let msg_shape = shape(&parse(&built(&account(), &plain)), 0);
    assert_eq!(msg_shape, "multipart/mixed[text/plain,image/jpeg]");
}

#[test]
fn a_reply_carries_in_reply_to_and_folded_references() {
    let refs: Vec<String> = (0..12)
        .map(|i| format!("CAH{i:02}x7Qm+Z3kP9vR2wLdE5sNbT8yF@mail.example.test"))
        .collect();
    let d = Draft {
        in_reply_to: Some(refs[11].clone()),
        references: refs.clone(),
        ..draft("Re: plans", "Sounds good.")
    };
    let b = built(&account(), &d);
    let raw = text(&b);
    assert!(
        raw.contains(&format!("In-Reply-To: <{}>\r\n", refs[11])),
        "{raw}"
    );
    assert!(raw.contains(&format!("References: <{}>", refs[0])), "{raw}");
    let msg = parse(&b);
    let got: Vec<String> = match msg.references() {
        mail_parser::HeaderValue::TextList(l) => l.iter().map(|s| s.to_string()).collect(),
        other => panic!("references: {other:?}"),
    };
    assert_eq!(got, refs);
    assert_eq!(msg.in_reply_to().as_text(), Some(refs[11].as_str()));
}

#[test]
fn the_parent_is_always_in_references() {
    let d = Draft {
        in_reply_to: Some("<parent@x.test>".into()),
        references: vec!["root@x.test".into()],
        ..draft("Re: x", "y")
    };
    let raw = text(&built(&account(), &d));
    assert!(raw.contains("In-Reply-To: <parent@x.test>\r\n"), "{raw}");
    assert!(
        raw.contains("References: <root@x.test> <parent@x.test>\r\n"),
        "{raw}"
    );
}

#[test]
fn header_injection_is_refused_naming_the_field() {
    let evil = "Hi\r\nBcc: evil@x";
    let cases: Vec<(Draft, &str)> = vec![
        (draft(evil, "x"), "subject"),
        (draft("Hi\nBcc: evil@x", "x"), "subject"),
        (
            Draft {
                to: vec![
                    "bob@example.test".into(),
                    "Bob\r\nBcc: evil@x <b@x.test>".into(),
                ],
                ..draft("x", "y")
            },
            "to[1]",
        ),
        (
            Draft {
                from: Some("Al\r\nBcc: evil@x <alice@example.test>".into()),
                ..draft("x", "y")
            },
            "from",
        ),
        (
            Draft {
                in_reply_to: Some("a@b\r\nBcc: evil@x".into()),
                ..draft("x", "y")
            },
            "inReplyTo",
        ),
        (
            Draft {
                references: vec!["a@b".into(), "c@d\nBcc: evil@x".into()],
                ..draft("x", "y")
            },
            "references[1]",
        ),
        (
            Draft {
                attachments: vec![data("a.txt\r\nBcc: evil@x", b"x")],
                ..draft("x", "y")
            },
            "attachments[0].filename",
        ),
    ];
    for (d, field) in cases {
        let message = config_error(&d);
        assert!(message.starts_with(field), "{field}: {message}");
    }
    let injected_name = Account {
        display_name: "Alice\r\nBcc: evil@x".into(),
        ..account()
    };
    let err = build(&injected_name, &draft("x", "y")).expect_err("display name");
    assert_eq!(err.kind, ErrorKind::Config);
}

#[test]
fn bad_drafts_are_refused_before_anything_is_built() {
    let none = Draft {
        to: vec![],
        ..draft("x", "y")
    };
    assert_eq!(config_error(&none), "the message has no recipient");
    let bad = Draft {
        cc: vec!["not an address".into()],
        ..draft("x", "y")
    };
    assert!(config_error(&bad).starts_with("cc[0] \"not an address\""));
    let stranger = Draft {
        from: Some("boss@example.test".into()),
        ..draft("x", "y")
    };
    assert_eq!(
        config_error(&stranger),
        "boss@example.test is not an identity of alice@example.test: add it to this account, \
         or send from the account that owns it"
    );
    let unreadable = Draft {
        attachments: vec![Attachment {
            path: Some("/nonexistent/courriel/a.pdf".into()),
            filename: "a.pdf".into(),
            ..Attachment::default()
        }],
        ..draft("x", "y")
    };
    let err = build(&account(), &unreadable).expect_err("unreadable");
    assert_eq!(err.kind, ErrorKind::Storage);
    assert!(err.message.contains("/nonexistent/courriel/a.pdf"));
    // The subject is checked before the file would be read: the error names the subject.
    let both = Draft {
        subject: "a\nb".into(),
        ..unreadable
    };
    assert!(config_error(&both).starts_with("subject"));
}

#[test]
fn a_non_ascii_local_part_needs_smtputf8() {
    let d = Draft {
        to: vec!["Zoé <zoé@example.test>".into()],
        ..draft("x", "y")
    };
    let b = built(&account(), &d);
    assert!(b.needs_smtputf8);
    assert_eq!(b.rcpt_to, ["zoé@example.test"]);
    let msg = parse(&b);
    let to = msg.to().and_then(|a| a.first()).expect("to");
    assert_eq!(to.address(), Some("zoé@example.test"));
}

#[test]
fn message_ids_are_unique_and_plain_ascii() {
    let a = new_message_id("example.test");
    let b = new_message_id("example.test");
    assert_ne!(a, b);
    assert!(new_message_id("exämple.test").ends_with("@courriel.invalid"));
}

#[test]
fn a_draft_from_older_json_still_reads() {
    let d: Draft = serde_json::from_str(
        r#"{"to":["bob@example.test"],"cc":[],"bcc":[],"subject":"s","body":"b"}"#,
    )
    .expect("old shape");
    assert!(d.attachments.is_empty() && d.html.is_none() && d.from.is_none());
    let d: Draft = serde_json::from_str(
        r#"{"to":[],"cc":[],"bcc":[],"subject":"s","body":"b","inReplyTo":"a@b",
            "attachments":[{"filename":"a.png","contentId":"c","dataBase64":"AA=="}]}"#,
    )
    .expect("camelCase");
    assert_eq!(d.in_reply_to.as_deref(), Some("a@b"));
    assert_eq!(d.attachments[0].content_id.as_deref(), Some("c"));
}

#[test]
fn a_drafts_folder_copy_needs_no_recipient_keeps_bcc_and_names_its_draft() {
    use super::build::{draft_copy, DRAFT_HEADER};
    let mut half = draft("Half-written", "Dear");
    half.to.clear();
    assert_eq!(
        build(&account(), &half)
            .expect_err("sending needs a recipient")
            .kind,
        ErrorKind::Config
    );
    let copy = draft_copy(&account(), &half, "draft-1").expect("a copy without recipients");
    let parsed = MessageParser::default().parse(&copy).expect("parses");
    assert_eq!(parsed.subject(), Some("Half-written"));
    assert!(parsed.to().is_none(), "no recipient was invented");
    assert_eq!(
        parsed.header_raw(DRAFT_HEADER).map(str::trim),
        Some("draft-1")
    );
    let mut addressed = draft("To Bob", "Hi");
    addressed.bcc = vec!["carol@example.test".into()];
    let copy = draft_copy(&account(), &addressed, "draft-2").expect("copy");
    let parsed = MessageParser::default().parse(&copy).expect("parses");
    let bcc = parsed
        .bcc()
        .and_then(|b| b.first())
        .and_then(|a| a.address());
    assert_eq!(bcc, Some("carol@example.test"), "the draft keeps its Bcc");
}

/// Text typed or pasted on Windows (CRLF), on Linux (LF) or from an old Mac file (a lone
/// CR) goes out in CRLF only: no bare LF, no bare CR (RFC 5322 forbids both).
#[test]
fn every_platforms_line_endings_go_out_as_crlf() {
    let b = built(
        &account(),
        &draft("Lines", "windows\r\nlinux\nold mac\rend\r\n"),
    );
    let mime = &b.mime;
    let bare_cr = mime
        .iter()
        .enumerate()
        .any(|(i, &c)| c == b'\r' && mime.get(i + 1) != Some(&b'\n'));
    assert!(!bare_cr, "a bare CR\n{}", text(&b));
    assert_eq!(
        parse(&b).body_text(0).as_deref(),
        Some("windows\r\nlinux\r\nold mac\r\nend\r\n")
    );
}
