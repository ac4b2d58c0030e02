//! Build the complete RFC 5322 message for a draft, with its Message-ID and Date fixed
//! here, once: the outbox stores these bytes and every retry sends the same ones.
//!
//! Every field is checked before anything is built (see `check`, `address`, `attach`), so
//! a bad draft is refused with the field's name and never reaches the outbox. The shape:
//!
//! ```text
//! multipart/mixed                  only with attachments
//! ├── multipart/alternative        only with html
//! │   ├── text/plain               always, first: the fallback a reader shows last
//! │   └── multipart/related        only with inline images the HTML uses
//! │       ├── text/html
//! │       └── image/* (Content-ID)
//! └── attachments
//! ```

use std::time::SystemTime;

use lettre::message::header::{ContentType, MIME_VERSION_1_0};
use lettre::message::{Mailbox, MessageBuilder, MultiPart, SinglePart};
use lettre::Message;

use super::address::{self, needs_smtputf8};
use super::attach::{self, Loaded};
use super::check::{message_id, one_line};
use crate::api::{Account, Draft};
use crate::error::{Error, ErrorKind, Result};

/// A built message and what the envelope needs.
#[derive(Debug, Clone)]
pub struct Built {
    /// Without angle brackets, as mail-parser reports it.
    pub message_id: String,
    pub mail_from: String,
    /// To, Cc and Bcc together, each address once; Bcc is not in the headers.
    pub rcpt_to: Vec<String>,
    pub mime: Vec<u8>,
    /// An address has non-ASCII in it: the sender uses SMTPUTF8 when the server offers it.
    pub needs_smtputf8: bool,
}

/// What a build is for.
#[derive(Debug, Clone, Copy)]
enum Purpose<'a> {
    Send,
    /// The copy of a draft for the account's Drafts folder: recipients may be missing,
    /// Bcc stays in the headers, and `X-Courriel-Draft` names the draft (`imap::drafts`).
    DraftCopy(&'a str),
}

/// The header that ties a Drafts-folder copy to the draft it is a copy of.
pub const DRAFT_HEADER: &str = "X-Courriel-Draft";

/// The message for `draft`, sent by `account`.
pub fn build(account: &Account, draft: &Draft) -> Result<Built> {
    build_for(account, draft, Purpose::Send)
}

/// The copy of the draft `key` for the account's Drafts folder (see `Purpose::DraftCopy`).
pub fn draft_copy(account: &Account, draft: &Draft, key: &str) -> Result<Vec<u8>> {
    Ok(build_for(account, draft, Purpose::DraftCopy(key))?.mime)
}

fn build_for(account: &Account, draft: &Draft, purpose: Purpose<'_>) -> Result<Built> {
    let from = address::sender(account, draft.from.as_deref())?;
    one_line("subject", &draft.subject)?;
    let to = address::list("to", &draft.to)?;
    let cc = address::list("cc", &draft.cc)?;
    let bcc = address::list("bcc", &draft.bcc)?;
    let no_recipient = to.is_empty() && cc.is_empty() && bcc.is_empty();
    if no_recipient && matches!(purpose, Purpose::Send) {
        return Err(Error::new(
            ErrorKind::Config,
            "the message has no recipient",
        ));
    }
    let (in_reply_to, references) = thread_ids(draft)?;
    let checked = attach::check_all(&draft.attachments)?;
    // Only now touch the disk: every field is known to be fine.
    let attachments = checked
        .into_iter()
        .map(attach::Checked::load)
        .collect::<Result<Vec<_>>>()?;

    let message_id = new_message_id(from.email.domain());
    let mut builder = Message::builder()
        .from(from.clone())
        .subject(draft.subject.clone())
        .message_id(Some(format!("<{message_id}>")))
        .date(SystemTime::now())
        .user_agent(concat!("Courriel/", env!("CARGO_PKG_VERSION")).to_owned());
    builder = recipients(builder, &to, &cc, &bcc);
    builder = thread_headers(builder, in_reply_to, &references);
    if let Purpose::DraftCopy(key) = purpose {
        builder = draft_headers(builder, &from, key, no_recipient)?;
    }
    let message = match tree(draft, attachments)? {
        Some(tree) => builder.multipart(tree),
        // Plain text alone is the message body itself, not a `singlepart`: lettre ends a
        // single part with a CRLF of its own, which would add a line to the user's text.
        None => builder
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(one_line_ending(&draft.body)),
    }
    .map_err(|e| Error::new(ErrorKind::Bug, format!("building the message: {e}")))?;

    let recipients: Vec<&Mailbox> = to.iter().chain(&cc).chain(&bcc).collect();
    Ok(Built {
        message_id,
        mail_from: from.email.to_string(),
        rcpt_to: envelope(&recipients),
        needs_smtputf8: needs_smtputf8(&from.email)
            || recipients.iter().any(|m| needs_smtputf8(&m.email)),
        mime: message.formatted(),
    })
}

/// The draft's In-Reply-To and References, checked; References ends with the parent.
fn thread_ids(draft: &Draft) -> Result<(Option<String>, Vec<String>)> {
    let in_reply_to = draft
        .in_reply_to
        .as_deref()
        .map(|id| message_id("inReplyTo", id))
        .transpose()?;
    let mut references = draft
        .references
        .iter()
        .enumerate()
        .map(|(i, id)| message_id(&format!("references[{i}]"), id))
        .collect::<Result<Vec<_>>>()?;
    // References ends with the parent (RFC 5322 §3.6.4). Readers that thread on References
    // alone (Gmail among them) would otherwise file the reply apart from its parent.
    if let Some(parent) = &in_reply_to {
        if !references.contains(parent) {
            references.push(parent.clone());
        }
    }
    Ok((in_reply_to, references))
}

fn recipients(
    mut builder: MessageBuilder,
    to: &[Mailbox],
    cc: &[Mailbox],
    bcc: &[Mailbox],
) -> MessageBuilder {
    for m in to {
        builder = builder.to(m.clone());
    }
    for m in cc {
        builder = builder.cc(m.clone());
    }
    // Given to lettre only to keep its envelope check happy: it drops Bcc from the
    // headers, and the envelope we report is our own.
    for m in bcc {
        builder = builder.bcc(m.clone());
    }
    builder
}

fn thread_headers(
    mut builder: MessageBuilder,
    in_reply_to: Option<String>,
    references: &[String],
) -> MessageBuilder {
    if let Some(id) = in_reply_to {
        builder = builder.in_reply_to(format!("<{id}>"));
    }
    if !references.is_empty() {
        // One space between ids: lettre folds a long References at those spaces.
        let ids: Vec<String> = references.iter().map(|id| format!("<{id}>")).collect();
        builder = builder.references(ids.join(" "));
    }
    builder
}

/// A Drafts-folder copy: named by its draft's key, Bcc kept, and (lettre wants an
/// envelope even for a message nobody is sent) the sender as the envelope's recipient
/// while there is none; the envelope is not part of the bytes.
fn draft_headers(
    builder: lettre::message::MessageBuilder,
    from: &Mailbox,
    key: &str,
    no_recipient: bool,
) -> Result<lettre::message::MessageBuilder> {
    use lettre::message::header::{HeaderName, HeaderValue};
    let mut builder = builder.keep_bcc().raw_header(HeaderValue::new(
        HeaderName::new_from_ascii_str(DRAFT_HEADER),
        key.to_owned(),
    ));
    if no_recipient {
        let envelope =
            lettre::address::Envelope::new(Some(from.email.clone()), vec![from.email.clone()])
                .map_err(|e| Error::new(ErrorKind::Bug, format!("a draft's envelope: {e}")))?;
        builder = builder.envelope(envelope);
    }
    Ok(builder)
}

/// The plain-text builder's old name; `build` does all of it.
pub fn plain_text(account: &Account, draft: &Draft) -> Result<Built> {
    build(account, draft)
}

/// The MIME tree drawn in the module doc, or `None` for plain text alone. An attachment
/// with a Content-ID is inline only when the HTML says `cid:<id>`: otherwise no reader
/// would show it, so it goes as an ordinary attachment rather than be lost.
fn tree(draft: &Draft, attachments: Vec<Loaded>) -> Result<Option<MultiPart>> {
    let html = draft.html.as_deref();
    let (inline, attached): (Vec<Loaded>, Vec<Loaded>) = attachments.into_iter().partition(|a| {
        let cid = a.content_id.as_deref();
        matches!((html, cid), (Some(h), Some(id)) if h.contains(&format!("cid:{id}")))
    });
    let text = || SinglePart::plain(one_line_ending(&draft.body));
    let main = match html {
        None if attached.is_empty() => return Ok(None),
        None => MultiPart::mixed().singlepart(text()),
        Some(html) => {
            let html = SinglePart::html(one_line_ending(html));
            let alternative = MultiPart::alternative().singlepart(text());
            let alternative = if inline.is_empty() {
                alternative.singlepart(html)
            } else {
                let mut related = related().singlepart(html);
                for a in inline {
                    related = related.singlepart(a.part(true)?);
                }
                alternative.multipart(related)
            };
            if attached.is_empty() {
                return Ok(Some(alternative));
            }
            MultiPart::mixed().multipart(alternative)
        }
    };
    let mut mixed = main;
    for a in attached {
        mixed = mixed.singlepart(a.part(false)?);
    }
    Ok(Some(mixed))
}

/// multipart/related with the `type` parameter RFC 2387 requires (lettre leaves it out).
fn related() -> MultiPart {
    let mut part = MultiPart::related().build();
    let boundary = part.boundary();
    let value = format!("multipart/related; boundary=\"{boundary}\"; type=\"text/html\"");
    if let Ok(content_type) = ContentType::parse(&value) {
        part.headers_mut().set(content_type);
    }
    part
}

/// Each recipient address once, in order: a repeated address would be sent the message
/// twice and counted twice against the provider's quota. Compared case-insensitively, as
/// every provider does.
fn envelope(recipients: &[&Mailbox]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    recipients
        .iter()
        .map(|m| m.email.to_string())
        .filter(|a| seen.insert(a.to_lowercase()))
        .collect()
}

/// A globally unique id: time, process and 64 random bits from the OS-seeded hasher. A
/// domain lettre would have to encode (non-ASCII) is replaced: an encoded word in a
/// Message-ID breaks threading, and uniqueness comes from the left part anyway.
pub(super) fn new_message_id(domain: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(nanos);
    h.write_u32(std::process::id());
    let plain = !domain.is_empty()
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let domain = if plain { domain } else { "courriel.invalid" };
    format!("{nanos:x}.{:016x}@{domain}", h.finish())
}

/// Text with one kind of line ending: CRLF (Windows), LF and a lone CR (an old Mac file)
/// all become LF, which lettre sends as CRLF. A bare CR would break RFC 5322.
fn one_line_ending(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}
