//! Build the complete RFC 5322 message for a draft, with its Message-ID and Date fixed
//! here, once: the outbox stores these bytes and every retry sends the same ones.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::Message;

use crate::api::{Account, Draft};
use crate::error::{Error, ErrorKind, Result};

/// A built message and what the envelope needs.
#[derive(Debug, Clone)]
pub struct Built {
    /// Without angle brackets, as mail-parser reports it.
    pub message_id: String,
    pub mail_from: String,
    /// To, Cc and Bcc together; Bcc is not in the headers.
    pub rcpt_to: Vec<String>,
    pub mime: Vec<u8>,
}

pub fn plain_text(account: &Account, draft: &Draft) -> Result<Built> {
    if draft.to.is_empty() && draft.cc.is_empty() && draft.bcc.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            "the message has no recipient",
        ));
    }
    let from = mailbox(&account.display_name, &account.email)?;
    let message_id = new_message_id(crate::smtp::domain_of(&account.email));
    let mut builder = Message::builder()
        .from(from)
        .subject(draft.subject.clone())
        .message_id(Some(format!("<{message_id}>")))
        .date_now()
        .user_agent(concat!("Courriel/", env!("CARGO_PKG_VERSION")).to_owned());
    for to in &draft.to {
        builder = builder.to(mailbox("", to)?);
    }
    for cc in &draft.cc {
        builder = builder.cc(mailbox("", cc)?);
    }
    for bcc in &draft.bcc {
        builder = builder.bcc(mailbox("", bcc)?);
    }
    let message = builder
        .header(ContentType::TEXT_PLAIN)
        .body(draft.body.clone())
        .map_err(|e| Error::new(ErrorKind::Config, format!("building the message: {e}")))?;
    let rcpt_to = message
        .envelope()
        .to()
        .iter()
        .map(|a| a.to_string())
        .collect();
    Ok(Built {
        message_id,
        mail_from: account.email.clone(),
        rcpt_to,
        mime: message.formatted(),
    })
}

fn mailbox(name: &str, email: &str) -> Result<Mailbox> {
    let address = email
        .trim()
        .parse()
        .map_err(|e| Error::new(ErrorKind::Config, format!("invalid address {email:?}: {e}")))?;
    let name = (!name.is_empty()).then(|| name.to_owned());
    Ok(Mailbox::new(name, address))
}

/// A globally unique id: time, process and 64 random bits from the OS-seeded hasher.
fn new_message_id(domain: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(nanos);
    h.write_u32(std::process::id());
    format!("{nanos:x}.{:016x}@{domain}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Endpoint, Security};

    fn account() -> Account {
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
            imap: ep.clone(),
            smtp: ep,
            ca_file: None,
            sent_copy: crate::api::SentCopy::Append,
        }
    }

    #[test]
    fn bcc_is_in_the_envelope_but_not_the_headers() {
        let draft = Draft {
            to: vec!["bob@example.test".into()],
            cc: vec![],
            bcc: vec!["carol@example.test".into()],
            subject: "Thé".into(),
            body: "Bonjour".into(),
        };
        let built = plain_text(&account(), &draft).expect("build");
        let text = String::from_utf8_lossy(&built.mime);
        assert_eq!(built.rcpt_to, ["bob@example.test", "carol@example.test"]);
        assert!(
            !text.contains("carol@"),
            "Bcc leaked into the headers:\n{text}"
        );
        assert!(text.contains(&format!("Message-ID: <{}>", built.message_id)));
        assert!(built.message_id.ends_with("@example.test"));
    }

    #[test]
    fn message_ids_are_unique() {
        let a = new_message_id("example.test");
        let b = new_message_id("example.test");
        assert_ne!(a, b);
    }

    #[test]
    fn a_draft_without_recipients_is_refused() {
        let draft = Draft {
            to: vec![],
            cc: vec![],
            bcc: vec![],
            subject: "x".into(),
            body: "y".into(),
        };
        let err = plain_text(&account(), &draft).expect_err("no recipient");
        assert_eq!(err.kind, ErrorKind::Config);
    }
}
