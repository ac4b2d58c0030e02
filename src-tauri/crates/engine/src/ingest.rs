//! The one way mail enters the cache: parse (mail-parser) → store → index.
//! Threading and HTML sanitizing join here with the IMAP sync issue.

use mail_parser::{Address, HeaderValue, MessageParser};

use crate::store::messages::NewMessage;

/// What the server told us about a message besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct ServerMeta {
    pub uid: u32,
    pub flags: Vec<String>,
    pub internal_date: i64,
}

/// Parse raw RFC 5322 bytes. Never fails: a message mail-parser cannot make sense of is
/// still cached (raw bytes kept, empty fields), so nothing the server holds is lost.
pub fn parse(raw: Vec<u8>, meta: ServerMeta) -> NewMessage {
    let parsed = MessageParser::default().parse(&raw[..]);
    let Some(msg) = parsed else {
        return NewMessage {
            uid: meta.uid,
            flags: meta.flags,
            internal_date: meta.internal_date,
            date: meta.internal_date,
            size: raw.len() as u32,
            subject: "(unreadable message)".into(),
            raw,
            ..NewMessage::default()
        };
    };
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
    let date = msg
        .date()
        .map(|d| d.to_timestamp())
        .unwrap_or(meta.internal_date);
    let new = NewMessage {
        uid: meta.uid,
        flags: meta.flags,
        message_id: msg.message_id().map(str::to_owned),
        in_reply_to: ids(msg.in_reply_to()).into_iter().next(),
        refs: ids(msg.references()),
        subject: msg.subject().unwrap_or_default().to_owned(),
        from_name,
        from_addr,
        to_addrs: addresses(msg.to()),
        cc_addrs: addresses(msg.cc()),
        date,
        internal_date: meta.internal_date,
        size: raw.len() as u32,
        text: msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        // mail-parser renders HTML from the text when there is none: keep only real HTML.
        html: msg
            .html_part(0)
            .filter(|p| matches!(p.body, mail_parser::PartType::Html(_)))
            .and_then(|_| msg.body_html(0))
            .map(|t| t.into_owned()),
        raw: Vec::new(),
    };
    NewMessage { raw, ..new }
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
Date: Tue, 01 Sep 2026 10:00:00 +0200\r\n\
\r\n\
Salut\r\n"
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
        assert_eq!(m.text.trim(), "Salut");
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
}
