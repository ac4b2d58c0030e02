//! The Sent folder: file our copy of a sent message (APPEND), and look a message up by
//! Message-ID (to settle an uncertain send when the provider files copies itself).

use async_imap::types::NameAttribute;
use futures::TryStreamExt;

use super::connect::{imap_error, ImapSession};
use crate::error::{Context, Error, ErrorKind, Result};

/// Names to try when the server marks no folder `\Sent` (RFC 6154).
const SENT_NAMES: &[&str] = &[
    "Sent",
    "Sent Items",
    "Sent Messages",
    "INBOX.Sent",
    "[Gmail]/Sent Mail",
];

/// The Sent folder's name: the one marked `\Sent`, else a well-known name that exists.
pub async fn find_sent(session: &mut ImapSession) -> Result<String> {
    let names: Vec<_> = session
        .list(Some(""), Some("*"))
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .context("listing folders")?
        .try_collect()
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .context("reading the folder list")?;
    let marked = names.iter().find(|n| {
        n.attributes()
            .iter()
            .any(|a| matches!(a, NameAttribute::Sent))
    });
    let by_name = || {
        SENT_NAMES
            .iter()
            .find_map(|want| names.iter().find(|n| n.name().eq_ignore_ascii_case(want)))
    };
    marked
        .or_else(by_name)
        .map(|n| n.name().to_owned())
        .ok_or_else(|| Error::new(ErrorKind::NotFound, "the account has no Sent folder"))
}

/// APPEND the message to Sent, marked read.
pub async fn append_to_sent(session: &mut ImapSession, mime: &[u8]) -> Result<String> {
    let sent = find_sent(session).await?;
    session
        .append(&sent, Some("(\\Seen)"), None, mime)
        .await
        .map_err(|e| imap_error(e, ErrorKind::Rejected))
        .with_context(|| format!("copying the message to {sent}"))?;
    Ok(sent)
}

/// Whether Sent holds a message with this Message-ID (without angle brackets).
pub async fn sent_has(session: &mut ImapSession, message_id: &str) -> Result<bool> {
    if message_id.contains(['"', '\\', '\r', '\n']) {
        return Err(Error::new(ErrorKind::Bug, "unsafe Message-ID in a search"));
    }
    let sent = find_sent(session).await?;
    session
        .examine(&sent)
        .await
        .map_err(|e| imap_error(e, ErrorKind::NotFound))
        .with_context(|| format!("opening {sent}"))?;
    let found = session
        .uid_search(format!("HEADER Message-ID \"<{message_id}>\""))
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .with_context(|| format!("searching {sent}"))?;
    Ok(!found.is_empty())
}
