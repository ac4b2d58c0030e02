//! A queued or failed outbox message back into a [`Draft`], so the user can edit and
//! send it again: a 5xx never loses what was written. Bcc recipients are the envelope
//! recipients not named in To or Cc (the headers never held them).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};

use crate::ingest::ids;

use crate::api::{Attachment, Draft};
use crate::error::{Error, ErrorKind, Result};

pub fn reopen(mime: &[u8], envelope: &[String]) -> Result<Draft> {
    let msg = MessageParser::default().parse(mime).ok_or_else(|| {
        Error::new(
            ErrorKind::Bug,
            "the outbox holds a message that does not parse",
        )
    })?;
    let to = mailboxes(msg.to());
    let cc = mailboxes(msg.cc());
    let named: Vec<String> = addresses(msg.to()).chain(addresses(msg.cc())).collect();
    let bcc = envelope
        .iter()
        .filter(|a| !named.iter().any(|n| n.eq_ignore_ascii_case(a)))
        .cloned()
        .collect();
    let attachments = msg
        .attachments()
        .filter(|part| !matches!(part.body, PartType::Message(_)))
        .map(|part| Attachment {
            path: None,
            filename: part.attachment_name().unwrap_or("attachment").to_owned(),
            content_type: part
                .content_type()
                .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("octet-stream"))),
            content_id: part.content_id().map(str::to_owned),
            data_base64: Some(B64.encode(part.contents())),
        })
        .collect();
    let html = msg
        .html_part(0)
        .filter(|p| matches!(p.body, PartType::Html(_)))
        .and_then(|_| msg.body_html(0))
        // It goes into the composer in the main window: cleaned like received mail
        // (a Drafts folder is written by whoever has the mailbox's password).
        .map(|h| crate::html::sanitize_for_editor(&h));
    Ok(Draft {
        to,
        cc,
        bcc,
        subject: msg.subject().unwrap_or_default().to_owned(),
        body: msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html,
        attachments,
        in_reply_to: ids(msg.in_reply_to()).into_iter().next(),
        references: ids(msg.references()),
        from: msg
            .from()
            .and_then(Address::first)
            .and_then(|a| a.address())
            .map(str::to_owned),
    })
}

/// A message from a Drafts folder back into a draft, with the key of the Courriel draft it
/// is a copy of (`X-Courriel-Draft`), if it is one. Bcc comes from its header (a draft
/// keeps it, `mime::build::draft_copy`).
pub fn reopen_draft(mime: &[u8]) -> Result<(Draft, Option<String>)> {
    let msg = MessageParser::default()
        .parse(mime)
        .ok_or_else(|| Error::new(ErrorKind::Protocol, "the draft is not a readable message"))?;
    let bcc: Vec<String> = addresses(msg.bcc()).collect();
    let key = msg
        .header_raw(crate::mime::build::DRAFT_HEADER)
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty());
    let mut draft = reopen(mime, &bcc)?;
    // reopen counts every envelope address not in To or Cc as Bcc: here that is the header.
    draft.bcc = bcc;
    Ok((draft, key))
}

fn addresses<'a>(value: Option<&'a Address<'_>>) -> impl Iterator<Item = String> + 'a {
    value
        .into_iter()
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().map(str::to_owned))
}

/// "Name <addr>" when there is a name, as the user typed them.
fn mailboxes(value: Option<&Address<'_>>) -> Vec<String> {
    value
        .into_iter()
        .flat_map(|a| a.iter())
        .filter_map(|a| {
            let addr = a.address()?;
            Some(match a.name() {
                Some(name) => format!("\"{}\" <{addr}>", name.replace('"', "")),
                None => addr.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::build::build;

    #[test]
    fn a_built_message_reopens_as_the_draft_it_came_from() {
        let account = crate::mime::tests::account();
        let draft = Draft {
            to: vec!["\"Bob B\" <bob@example.test>".into()],
            cc: vec!["carol@example.test".into()],
            bcc: vec!["dave@example.test".into()],
            subject: "Réunion ✓".into(),
            body: "Bonjour,\r\nà demain.\r\n".into(),
            html: Some("<p>Bonjour, <b>à demain</b>.</p>".into()),
            attachments: vec![Attachment {
                filename: "notes.txt".into(),
                data_base64: Some(B64.encode("some notes")),
                ..Default::default()
            }],
            in_reply_to: Some("parent@example.test".into()),
            references: vec!["root@example.test".into(), "parent@example.test".into()],
            from: None,
        };
        let built = build(&account, &draft).expect("build");
        let back = reopen(&built.mime, &built.rcpt_to).expect("reopen");
        assert_eq!(back.to, ["\"Bob B\" <bob@example.test>"]);
        assert_eq!(back.cc, ["carol@example.test"]);
        assert_eq!(back.bcc, ["dave@example.test"]);
        assert_eq!(back.subject, draft.subject);
        assert_eq!(
            back.body.replace("\r\n", "\n").trim(),
            "Bonjour,\nà demain."
        );
        assert!(back
            .html
            .as_deref()
            .unwrap_or("")
            .contains("<b>à demain</b>"));
        assert_eq!(back.attachments.len(), 1);
        assert_eq!(back.attachments[0].filename, "notes.txt");
        assert_eq!(
            back.attachments[0].data_base64,
            draft.attachments[0].data_base64
        );
        assert_eq!(back.in_reply_to.as_deref(), Some("parent@example.test"));
        assert_eq!(back.references, draft.references);
    }

    /// A message anyone with the mailbox's password saved to Drafts: its HTML reaches the
    /// composer in the main window cleaned, unable to restyle or move the app.
    #[test]
    fn a_hostile_draft_reopens_cleaned() {
        let raw = "From: a@example.test\r\nTo: b@example.test\r\nSubject: x\r\n\
            MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <style>body{display:none}</style><meta http-equiv=refresh content=\"0;url=https://e.example/\">\
            <form action=https://e.example/><button>Go</button></form><img src=x onerror=alert(1)>\
            <a href=\"?remote=1\">kept text</a>\r\n";
        let (draft, _) = reopen_draft(raw.as_bytes()).expect("reopen");
        let html = draft.html.expect("html");
        for gone in [
            "<style",
            "display:none",
            "<meta",
            "<form",
            "<button",
            "onerror",
            "remote=1",
        ] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert!(html.contains("kept text"), "{html}");
    }
}
