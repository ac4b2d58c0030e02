//! The Sent folder: file our copy of a sent message (APPEND), and look a message up by
//! Message-ID (to settle an uncertain send when the provider files copies itself).

use super::connect::{imap_error, ImapSession};
use crate::error::{Context, Error, ErrorKind, Result};

/// The Sent folder's name: the one marked `\Sent`, else a well-known name that exists
/// (the same roles the folder list shows, from `folders::list`).
pub async fn find_sent(session: &mut ImapSession) -> Result<String> {
    // A plain LIST: statuses are not needed here.
    super::folders::list(session, &super::raw::Caps::default(), &[])
        .await?
        .into_iter()
        .find(|f| f.role == Some("sent"))
        .map(|f| f.name)
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
