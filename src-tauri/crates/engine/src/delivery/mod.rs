//! The delivery ledger: what happened to a message after the submission server said 250.
//!
//! A 250 only means "your provider accepted it". When delivery later fails or is delayed,
//! the provider's server writes back: a delivery report (RFC 3464 `multipart/report;
//! report-type=delivery-status`, what Postfix, Sendmail, Gmail and Microsoft send) or one
//! of the older plain-text bounces (Exim, qmail, Yahoo, Gmail's old format). This module
//! reads both into a [`Report`]: per recipient the action (failed, delayed, delivered,
//! relayed), the status code, the remote server and its words, and what identifies the
//! message it is about (the envelope id we gave, the original's Message-ID, its subject).
//!
//! - `fields`: RFC 3464's field blocks (per message, then per recipient).
//! - `legacy`: the plain-text formats, recognised by their fixed sentences.
//! - `words`: a recipient's fate in plain words (English, French).
//! - `ledger`: the engine's side: reports found in synced mail, matched to the outbox.
//!
//! Every byte here comes from a stranger (anyone can send a message that looks like a
//! bounce): reading never panics, keeps at most [`MAX_RECIPIENTS`] recipients and short
//! fields, and a report only ever describes mail; it never changes the outbox's state.

mod fields;
mod ledger;
mod legacy;
mod words;

pub(crate) use ledger::later_fates;
pub use ledger::MatchedBy;
pub use words::{fate_words, headline};

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// At most this many recipients are read from one report.
pub const MAX_RECIPIENTS: usize = 100;
/// A field longer than this is cut (a diagnostic is a line or two).
const MAX_FIELD: usize = 1000;

/// What a report says happened to one recipient: the API's type, stored by its word.
pub use crate::api::DeliveryAction as Action;

/// One recipient's line in a report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fate {
    pub address: String,
    pub action: Action,
    /// The RFC 3463 status ("5.2.2"), when the report gave one.
    pub status: Option<String>,
    pub remote_mta: Option<String>,
    /// The remote server's own words ("552 5.2.2 Mailbox full").
    pub diagnostic: Option<String>,
}

/// A delivery report as read from a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// Which format it came in: "rfc3464", "exim", "qmail", "yahoo", "gmail", "sendmail".
    pub format: String,
    pub reporting_mta: Option<String>,
    /// Our ENVID, as the server returned it (RFC 3461 `Original-Envelope-Id`).
    pub envelope_id: Option<String>,
    /// The Message-ID of the message reported on, from its returned header.
    pub original_message_id: Option<String>,
    pub original_subject: Option<String>,
    pub recipients: Vec<Fate>,
}

/// The report a message is, if it is one. `None` for every other message.
pub fn read(raw: &[u8]) -> Option<Report> {
    let message = MessageParser::default().parse(raw)?;
    let mut report = if is_report(&message) {
        standard(&message)?
    } else {
        legacy::read(&message)?
    };
    if report.original_message_id.is_none() || report.original_subject.is_none() {
        let (id, subject) = returned_original(&message);
        report.original_message_id = report.original_message_id.or(id);
        report.original_subject = report.original_subject.or(subject);
    }
    report.recipients.truncate(MAX_RECIPIENTS);
    (!report.recipients.is_empty()).then_some(report)
}

fn is_report(message: &mail_parser::Message) -> bool {
    message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"))
    })
}

/// RFC 3464: the `message/delivery-status` part's field blocks.
fn standard(message: &mail_parser::Message) -> Option<Report> {
    let status = message.parts.iter().find(|part| {
        part.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                })
        })
    })?;
    let mut report = fields::read(&String::from_utf8_lossy(status.contents()));
    report.format = "rfc3464".into();
    Some(report)
}

/// The Message-ID and Subject of the message returned inside a report: a
/// `message/rfc822` part, `text/rfc822-headers`, or the copy a plain-text bounce quotes.
fn returned_original(message: &mail_parser::Message) -> (Option<String>, Option<String>) {
    for part in message.parts.iter().skip(1) {
        let headers = match &part.body {
            PartType::Message(inner) => Some(inner.raw_message().to_vec()),
            _ if is_headers_part(part) => Some(part.contents().to_vec()),
            _ => None,
        };
        if let Some(found) = headers.and_then(|h| header_pair(&h)) {
            return found;
        }
    }
    let text = message.body_text(0).unwrap_or_default();
    legacy::quoted_original(&text)
        .and_then(|h| header_pair(h.as_bytes()))
        .unwrap_or((None, None))
}

fn is_headers_part(part: &mail_parser::MessagePart) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("text")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("rfc822-headers"))
    })
}

type Pair = (Option<String>, Option<String>);

fn header_pair(headers: &[u8]) -> Option<Pair> {
    // A header block cut at its blank line: end it, or its last field is not read.
    let mut block = headers.to_vec();
    block.extend_from_slice(b"\r\n\r\n");
    let parsed = MessageParser::default().parse_headers(&block[..])?;
    let id = parsed.message_id().map(|id| format!("<{}>", clip(id)));
    let subject = parsed.subject().map(clip);
    (id.is_some() || subject.is_some()).then_some((id, subject))
}

/// A field from a report, trimmed, on one line and at most [`MAX_FIELD`] characters.
fn clip(text: &str) -> String {
    let one_line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FIELD)
        .collect();
    one_line
}

#[cfg(test)]
mod tests;
