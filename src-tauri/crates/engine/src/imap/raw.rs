//! Commands async-imap has no method for (SELECT with QRESYNC, FETCH with MODSEQ, UID
//! MOVE with COPYUID, IDLE on our own terms): sent as text, every response read with its
//! parser (imap-proto) and handed to the caller. Responses the caller does not want are
//! dropped here, so nothing piles up in async-imap's unsolicited channel (it holds 100 and
//! silently drops the rest).

use async_imap::imap_proto::{Capability, ResponseCode, Status};
pub use async_imap::imap_proto::{MailboxDatum, Response};

use super::connect::{imap_error, ImapSession};
use crate::error::{Error, ErrorKind, Result};

/// What the tagged completion said, when it was OK.
#[derive(Debug, Default, Clone)]
pub struct Completion {
    /// COPYUID's first destination UID (UIDPLUS): Courriel moves one message at a time.
    /// Never the whole set expanded: a hostile `1:4294967295` would be 16 GiB.
    pub copied_to: Option<u32>,
    /// COPYUID whole, for a set moved at once (`uidmap`): looked up, never expanded.
    pub copy_uid: Option<super::uidmap::CopyUid>,
    /// The text after the status, including response codes imap-proto does not know
    /// (`[MODIFIED 7]`, `[NOMODSEQ]`).
    pub text: String,
}

impl Completion {
    fn copied(
        &mut self,
        from: &[async_imap::imap_proto::rfc4315::UidSetMember],
        to: &[async_imap::imap_proto::rfc4315::UidSetMember],
    ) {
        use super::uidmap::{CopyUid, UidRanges};
        self.copied_to = super::fetch::first_uid(to);
        self.copy_uid = Some(CopyUid {
            from: UidRanges::from_members(from),
            to: UidRanges::from_members(to),
        });
    }
}

/// Run one command; every untagged response goes to `each`. A NO becomes an error of kind
/// `no_kind`, a BAD a protocol error; both carry the server's words.
pub async fn run<F>(
    session: &mut ImapSession,
    command: &str,
    no_kind: ErrorKind,
    mut each: F,
) -> Result<Completion>
where
    F: FnMut(&Response<'_>) -> Result<()>,
{
    drain(session);
    note(session, command);
    let tag = session
        .run_command(command)
        .await
        .map_err(|e| imap_error(e, ErrorKind::Network))?;
    let mut completion = Completion::default();
    loop {
        let response = session.read_response().await?.ok_or_else(closed)?;
        match response.parsed() {
            Response::Done {
                tag: done,
                status,
                outcome,
            } if *done == tag => {
                let text = outcome.information.as_deref().unwrap_or("").to_owned();
                if let Some(ResponseCode::CopyUid(_, from, to)) = &outcome.code {
                    completion.copied(from, to);
                }
                completion.text = text;
                tracing::debug!(target: "courriel_engine::imap", "← {status:?} {}", completion.text);
                return match status {
                    Status::Ok => Ok(completion),
                    Status::No => Err(Error::new(no_kind, completion.text)),
                    _ => Err(Error::new(ErrorKind::Protocol, completion.text)),
                };
            }
            Response::Data {
                status: Status::Bye,
                outcome,
            } => {
                let why = outcome.information.as_deref().unwrap_or("goodbye");
                return Err(Error::new(
                    ErrorKind::Network,
                    format!("the server hung up: {why}"),
                ));
            }
            Response::Data {
                outcome:
                    async_imap::imap_proto::Outcome {
                        code: Some(ResponseCode::CopyUid(_, from, to)),
                        ..
                    },
                ..
            } => completion.copied(from, to),
            other => each(other)?,
        }
    }
}

/// A command sent, in the debug log and the engine's command log (`CommandLog`).
fn note(session: &ImapSession, command: &str) {
    let shown = shorten(command);
    tracing::debug!(target: "courriel_engine::imap", "→ {shown}");
    if let Some(log) = &session.log {
        log.note(&shown);
    }
}

/// Run a command whose untagged responses do not matter.
pub async fn run_ok(
    session: &mut ImapSession,
    command: &str,
    no_kind: ErrorKind,
) -> Result<Completion> {
    run(session, command, no_kind, |_| Ok(())).await
}

/// Discard what async-imap's own methods left in its unsolicited channel.
pub fn drain(session: &mut ImapSession) {
    while session.unsolicited_responses.try_recv().is_ok() {}
}

fn closed() -> Error {
    Error::new(ErrorKind::Network, "the server closed the connection")
}

/// A mailbox name as an IMAP quoted string.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What the server can do, read once after login.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Caps {
    pub condstore: bool,
    pub qresync: bool,
    pub r#move: bool,
    pub uidplus: bool,
    pub idle: bool,
    pub gmail: bool,
    pub id: bool,
    pub compress: bool,
}

impl Caps {
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Caps {
        let mut caps = Caps::default();
        for name in names {
            match name.to_ascii_uppercase().as_str() {
                "CONDSTORE" => caps.condstore = true,
                "QRESYNC" => caps.qresync = true,
                "MOVE" => caps.r#move = true,
                "UIDPLUS" => caps.uidplus = true,
                "IDLE" => caps.idle = true,
                "X-GM-EXT-1" => caps.gmail = true,
                "ID" => caps.id = true,
                "COMPRESS=DEFLATE" => caps.compress = true,
                _ => {}
            }
        }
        // QRESYNC implies CONDSTORE (RFC 7162 §3.2.3).
        caps.condstore |= caps.qresync;
        caps
    }
}

/// CAPABILITY, then ID when offered (some providers, e.g. 163.com, refuse SELECT from
/// clients that never said who they are). QRESYNC is enabled later, just before the first
/// SELECT (`select::enable_qresync`): once a session has enabled it (or CONDSTORE),
/// Dovecot opens every folder a STATUS asks about in full: 80 ms for a 100,000-message
/// folder instead of half a millisecond.
pub async fn negotiate(session: &mut ImapSession) -> Result<Caps> {
    let mut names = Vec::new();
    run(session, "CAPABILITY", ErrorKind::Protocol, |r| {
        if let Response::Capabilities(list) = r {
            names.extend(list.iter().filter_map(|c| match c {
                Capability::Atom(a) => Some(a.to_string()),
                _ => None,
            }));
        }
        Ok(())
    })
    .await?;
    let caps = Caps::from_names(names.iter().map(String::as_str));
    if caps.id {
        let id = format!(
            "ID (\"name\" \"Courriel\" \"version\" \"{}\")",
            env!("CARGO_PKG_VERSION")
        );
        run_ok(session, &id, ErrorKind::Protocol).await?;
    }
    Ok(caps)
}

/// A command as logged: a long UID set (a first sync's thousands of UIDs) is cut short.
fn shorten(command: &str) -> std::borrow::Cow<'_, str> {
    match command.char_indices().nth(200) {
        Some((cut, _)) => format!("{}… ({} bytes)", &command[..cut], command.len()).into(),
        None => command.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qresync_implies_condstore() {
        let caps = Caps::from_names(["IMAP4rev1", "QRESYNC", "move", "IDLE"]);
        assert!(caps.qresync && caps.condstore && caps.r#move && caps.idle);
        assert!(!caps.gmail && !caps.uidplus);
    }

    #[test]
    fn quotes_names() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }
}
