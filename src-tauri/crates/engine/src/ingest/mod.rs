//! The one way mail enters the cache, from IMAP or POP3: parse (mail-parser) → envelope,
//! text, sanitized HTML, attachment metadata, threading references, list and trust headers
//! → `store` (which threads and indexes in the same transaction).

#[cfg(test)]
mod fuzz_tests;
mod repair;
pub(crate) use repair::readable;
#[cfg(test)]
mod repair_tests;

use mail_parser::{
    Address, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::api::AttachmentInfo;
use crate::store::messages::NewMessage;

/// What the server told us about a message besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct ServerMeta {
    pub uid: u32,
    pub flags: Vec<String>,
    pub internal_date: i64,
    pub modseq: u64,
    /// RFC822.SIZE, when the server said (the bytes we hold may be only the headers).
    pub size: Option<u32>,
    /// Gmail: X-GM-LABELS and X-GM-THRID.
    pub labels: Vec<String>,
    pub thread_id: Option<u64>,
}

const PREVIEW_CHARS: usize = 200;

/// Parse a whole RFC 5322 message. Never fails: a message mail-parser cannot make sense
/// of is still cached (raw bytes kept, empty fields), so nothing the server holds is lost.
pub fn parse(raw: Vec<u8>, meta: ServerMeta) -> NewMessage {
    let readable = repair::readable(&raw);
    let Some(msg) = guarded(|| MessageParser::default().parse(&readable[..])) else {
        return unreadable(raw, meta);
    };
    let mut text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    for loose in loose_text(&msg) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(loose);
    }
    // mail-parser renders HTML from the text when there is none: keep only real HTML.
    // HTML too costly to sanitize shows the message's own text part, when it has one.
    let own_text = msg
        .text_part(0)
        .is_some_and(|p| matches!(p.body, mail_parser::PartType::Text(_)));
    let html = msg
        .html_part(0)
        .filter(|p| matches!(p.body, mail_parser::PartType::Html(_)))
        .and_then(|_| msg.body_html(0))
        .map(|h| crate::html::sanitize_or(&h, own_text.then_some(text.as_str())));
    let attachments = attachments(&msg);
    let new = NewMessage {
        has_body: true,
        preview: preview(&text),
        text,
        html,
        attachments,
        ..envelope(&msg, &meta, raw.len())
    };
    NewMessage { raw, ..new }
}

/// Parse only the header fields (a message outside the sync window), with the attachment
/// list the server gave in BODYSTRUCTURE. The body comes later, on demand.
pub fn parse_headers(
    header: &[u8],
    meta: ServerMeta,
    structure: Vec<AttachmentInfo>,
) -> NewMessage {
    let size = meta.size.unwrap_or(0) as usize;
    let readable = repair::readable(header);
    let Some(msg) = guarded(|| MessageParser::default().parse_headers(&readable[..])) else {
        return NewMessage {
            has_body: false,
            ..unreadable(Vec::new(), meta)
        };
    };
    NewMessage {
        has_body: false,
        attachments: structure,
        ..envelope(&msg, &meta, size)
    }
}

/// mail-parser run so that a panic in it (a bug of its own, on some message) leaves that
/// message unreadable instead of stopping the sync that brought it.
pub(crate) fn guarded<'x>(parse: impl FnOnce() -> Option<Message<'x>>) -> Option<Message<'x>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).unwrap_or_else(|_| {
        tracing::warn!("mail-parser failed on a message: kept unreadable");
        None
    })
}

fn envelope(msg: &Message<'_>, meta: &ServerMeta, size: usize) -> NewMessage {
    let (from_name, from_addr) = msg
        .from()
        .and_then(Address::first)
        .map(|a| {
            (
                a.name().map(str::to_owned),
                a.address().unwrap_or_default().to_owned(),
            )
        })
        .unwrap_or_default();
    NewMessage {
        uid: meta.uid,
        flags: meta.flags.clone(),
        modseq: meta.modseq,
        message_id: msg.message_id().map(str::to_owned),
        in_reply_to: ids(msg.in_reply_to()).into_iter().next(),
        refs: ids(msg.references()),
        subject: msg.subject().unwrap_or_default().to_owned(),
        from_name,
        from_addr,
        to_addrs: addresses(msg.to()),
        cc_addrs: addresses(msg.cc()),
        date: msg
            .date()
            .map(|d| d.to_timestamp())
            .unwrap_or(meta.internal_date),
        internal_date: meta.internal_date,
        size: meta.size.unwrap_or(size as u32),
        list_id: raw_headers(msg, "List-Id")
            .into_iter()
            .next()
            .map(|l| list_id(&l)),
        auth_results: raw_headers(msg, "Authentication-Results").join("\n"),
        labels: meta.labels.clone(),
        gm_thrid: meta.thread_id,
        ..NewMessage::default()
    }
}

/// Every value of a header as written (unfolded), for headers mail-parser would reshape.
fn raw_headers(msg: &Message<'_>, name: &str) -> Vec<String> {
    let raw = msg.raw_message();
    msg.headers()
        .iter()
        .filter(|h| h.name.as_str().eq_ignore_ascii_case(name))
        .filter_map(|h| raw.get(h.offset_start as usize..h.offset_end as usize))
        .map(|v| {
            String::from_utf8_lossy(v)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// "Team <team.example.test>" → "team.example.test".
fn list_id(value: &str) -> String {
    match (value.rfind('<'), value.rfind('>')) {
        (Some(a), Some(b)) if a < b => value[a + 1..b].to_owned(),
        _ => value.trim().to_owned(),
    }
}

fn unreadable(raw: Vec<u8>, meta: ServerMeta) -> NewMessage {
    NewMessage {
        uid: meta.uid,
        flags: meta.flags,
        modseq: meta.modseq,
        internal_date: meta.internal_date,
        date: meta.internal_date,
        size: meta.size.unwrap_or(raw.len() as u32),
        subject: "(unreadable message)".into(),
        has_body: true,
        raw,
        ..NewMessage::default()
    }
}

/// Parts that say `Content-Type: text` with no subtype, not named and not marked as
/// attachments: text/plain to Python's `email` and Thunderbird, an attachment named
/// "text/octet-stream" to mail-parser. Their words are the message's text.
fn loose_text<'a>(msg: &'a Message<'_>) -> impl Iterator<Item = &'a str> {
    msg.attachments().filter_map(|part| match &part.body {
        PartType::Text(text) if is_loose_text(part) => Some(text.as_ref()),
        _ => None,
    })
}

fn is_loose_text(part: &MessagePart<'_>) -> bool {
    part.content_type()
        .is_some_and(|t| t.ctype().eq_ignore_ascii_case("text") && t.subtype().is_none())
        && part.attachment_name().is_none()
        && !part
            .content_disposition()
            .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"))
}

fn attachments(msg: &Message<'_>) -> Vec<AttachmentInfo> {
    msg.attachments()
        .enumerate()
        .filter(|(_, part)| !is_loose_text(part))
        .map(|(i, part)| {
            let ty = part.content_type();
            let mime_type = ty
                .map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or("octet-stream")))
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase();
            AttachmentInfo {
                part: (i + 1).to_string(),
                filename: part.attachment_name().unwrap_or_default().to_owned(),
                mime_type,
                size: part.contents().len() as u32,
                content_id: part
                    .content_id()
                    .map(|c| c.trim_matches(['<', '>']).to_owned()),
                inline: part
                    .content_disposition()
                    .is_some_and(|d| d.ctype().eq_ignore_ascii_case("inline")),
            }
        })
        .collect()
}

/// The first words of the text, on one line, for the message list.
fn preview(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .lines()
        .filter(|l| !l.trim_start().starts_with('>'))
        .flat_map(str::split_whitespace)
    {
        if out.chars().count() + word.chars().count() > PREVIEW_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A filename from BODYSTRUCTURE: RFC 2231 (`utf-8''R%C3%A9sum%C3%A9.pdf`) or RFC 2047.
pub fn decode_filename(raw: &str) -> String {
    if let Some((charset, rest)) = raw.split_once('\'') {
        if let Some((_, encoded)) = rest.split_once('\'') {
            if charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("us-ascii") {
                return crate::decode::percent(encoded);
            }
        }
    }
    if raw.contains("=?") {
        let header = format!("Subject: {raw}\r\n\r\n");
        if let Some(decoded) = MessageParser::default()
            .parse_headers(header.as_bytes())
            .and_then(|m| m.subject().map(str::to_owned))
        {
            return decoded;
        }
    }
    raw.to_owned()
}

/// Message-IDs from In-Reply-To / References, without angle brackets.
pub(crate) fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn addresses(value: Option<&Address<'_>>) -> Vec<String> {
    value
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_envelope_fields_from_a_real_message() {
        let raw = b"From: =?utf-8?q?Zo=C3=A9?= <zoe@example.test>\r\n\
To: bob@example.test, carol@example.test\r\n\
Subject: =?utf-8?q?R=C3=A9union?=\r\n\
Message-ID: <abc@example.test>\r\n\
In-Reply-To: <parent@example.test>\r\n\
References: <root@example.test> <parent@example.test>\r\n\
List-Id: Team <team.example.test>\r\n\
Authentication-Results: mx.example.test; dkim=pass header.d=example.test\r\n\
Date: Tue, 01 Sep 2026 10:00:00 +0200\r\n\
\r\n\
Salut\r\n> quoted\r\nla suite\r\n"
            .to_vec();
        let m = parse(
            raw,
            ServerMeta {
                uid: 7,
                ..Default::default()
            },
        );
        assert_eq!(m.subject, "Réunion");
        assert_eq!(m.from_name.as_deref(), Some("Zoé"));
        assert_eq!(m.from_addr, "zoe@example.test");
        assert_eq!(m.to_addrs, ["bob@example.test", "carol@example.test"]);
        assert_eq!(m.message_id.as_deref(), Some("abc@example.test"));
        assert_eq!(m.in_reply_to.as_deref(), Some("parent@example.test"));
        assert_eq!(m.refs, ["root@example.test", "parent@example.test"]);
        assert_eq!(m.date, 1_788_249_600);
        assert_eq!(m.text.trim(), "Salut\r\n> quoted\r\nla suite");
        assert_eq!(m.preview, "Salut la suite");
        assert_eq!(m.list_id.as_deref(), Some("team.example.test"));
        assert!(m.auth_results.contains("dkim=pass"), "{}", m.auth_results);
        assert!(m.has_body);
    }

    #[test]
    fn headers_only_waits_for_its_body() {
        let m = parse_headers(
            b"Subject: old\r\nFrom: a@x.test\r\n\r\n",
            ServerMeta {
                uid: 2,
                size: Some(5000),
                ..Default::default()
            },
            Vec::new(),
        );
        assert_eq!(
            (m.subject.as_str(), m.size, m.has_body),
            ("old", 5000, false)
        );
    }

    #[test]
    fn garbage_is_kept_not_dropped() {
        let m = parse(
            Vec::new(),
            ServerMeta {
                uid: 3,
                internal_date: 42,
                ..Default::default()
            },
        );
        assert_eq!(m.uid, 3);
        assert_eq!(m.date, 42);
    }

    #[test]
    fn filenames_decode() {
        assert_eq!(decode_filename("utf-8''R%C3%A9sum%C3%A9.pdf"), "Résumé.pdf");
        assert_eq!(decode_filename("=?utf-8?q?caf=C3=A9.txt?="), "café.txt");
        assert_eq!(decode_filename("plain.txt"), "plain.txt");
    }
}
