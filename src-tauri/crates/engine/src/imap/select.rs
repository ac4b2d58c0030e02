//! SELECT with what the server offers: QRESYNC hands back, in the SELECT itself, the UIDs
//! that vanished and the flags that changed since our last sync; CONDSTORE gives the
//! mailbox's HIGHESTMODSEQ so later syncs ask only for what changed.

use async_imap::imap_proto::{MailboxDatum, Response, ResponseCode};

use super::connect::ImapSession;
use super::fetch::{self, Fetched};
use super::raw::{self, Caps};
use crate::error::{Context, ErrorKind, Result};

/// The folder as SELECT described it.
#[derive(Debug, Default, Clone)]
pub struct Selected {
    pub exists: u32,
    pub uidvalidity: u32,
    pub uidnext: u32,
    /// 0 when the server keeps no mod-sequences for this folder.
    pub highestmodseq: u64,
    /// QRESYNC: UIDs gone since `known.1`, as the server's ranges: never expanded here (a
    /// hostile `1:4294967295` would be 16 GiB); only the UIDs we hold are looked up.
    pub vanished: Vec<std::ops::RangeInclusive<u32>>,
    /// QRESYNC: messages whose flags changed since `known.1`.
    pub changed: Vec<Fetched>,
}

/// What we remember of a folder: its UIDVALIDITY and HIGHESTMODSEQ.
pub type Known = Option<(u32, u64)>;

pub async fn select(
    session: &mut ImapSession,
    caps: &Caps,
    name: &str,
    known: Known,
) -> Result<Selected> {
    enable_qresync(session, caps).await?;
    let mut command = format!("SELECT {}", raw::quote(name));
    match known {
        Some((uidvalidity, modseq)) if caps.qresync && uidvalidity != 0 && modseq != 0 => {
            command.push_str(&format!(" (QRESYNC ({uidvalidity} {modseq}))"));
        }
        _ if caps.condstore && !caps.qresync => command.push_str(" (CONDSTORE)"),
        _ => {}
    }
    let mut s = Selected::default();
    raw::run(session, &command, ErrorKind::NotFound, |r| {
        take(&mut s, r);
        Ok(())
    })
    .await
    .with_context(|| format!("opening {name}"))?;
    Ok(s)
}

/// SELECT, or EXAMINE when `read_only`, for work on the folder's messages rather than a
/// sync of it (replaying changes, drafts, a body on demand).
pub async fn open(
    session: &mut ImapSession,
    caps: &Caps,
    name: &str,
    read_only: bool,
) -> Result<()> {
    enable_qresync(session, caps).await?;
    let verb = if read_only { "EXAMINE" } else { "SELECT" };
    raw::run_ok(
        session,
        &format!("{verb} {}", raw::quote(name)),
        ErrorKind::NotFound,
    )
    .await
    .with_context(|| format!("opening {name}"))?;
    Ok(())
}

/// SELECT for changing the folder's messages; returns its PERMANENTFLAGS: the flags a
/// STORE keeps (`\*` when any keyword may be made up).
pub async fn open_for_changes(
    session: &mut ImapSession,
    caps: &Caps,
    name: &str,
) -> Result<Vec<String>> {
    enable_qresync(session, caps).await?;
    let mut permanent = Vec::new();
    let command = format!("SELECT {}", raw::quote(name));
    raw::run(session, &command, ErrorKind::NotFound, |r| {
        if let Response::Data { outcome, .. } = r {
            if let Some(ResponseCode::PermanentFlags(flags)) = &outcome.code {
                permanent = flags.iter().take(1000).map(|f| f.to_string()).collect();
            }
        }
        Ok(())
    })
    .await
    .with_context(|| format!("opening {name}"))?;
    Ok(permanent)
}

/// Turn QRESYNC on, once per session and before its first SELECT: RFC 5161 allows ENABLE
/// only before a folder is selected, a SELECT that names QRESYNC needs it (RFC 7162
/// §3.2.3), and with it every SELECT reports the folder's HIGHESTMODSEQ. Not at login:
/// see `raw::negotiate`. Every SELECT and EXAMINE of a session whose `caps` are known goes
/// through `select` or `open`, so none comes before it.
pub async fn enable_qresync(session: &mut ImapSession, caps: &Caps) -> Result<()> {
    if caps.qresync && !session.qresync_enabled {
        raw::run_ok(session, "ENABLE QRESYNC", ErrorKind::Protocol)
            .await
            .context("turning QRESYNC on")?;
        session.qresync_enabled = true;
    }
    Ok(())
}

fn take(s: &mut Selected, response: &Response<'_>) {
    match response {
        Response::MailboxData(MailboxDatum::Exists(n)) => s.exists = *n,
        Response::Data { outcome, .. } => match outcome.code {
            Some(ResponseCode::UidValidity(v)) => s.uidvalidity = v,
            Some(ResponseCode::UidNext(v)) => s.uidnext = v,
            Some(ResponseCode::HighestModSeq(v)) => s.highestmodseq = v,
            _ => {}
        },
        Response::Vanished { uids, .. } => {
            s.vanished.extend(uids.iter().cloned());
        }
        other => {
            if let Some(f) = fetch::parse(other) {
                s.changed.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qresync_select_responses_are_collected() {
        let lines: &[&[u8]] = &[
            b"* 3 EXISTS\r\n",
            b"* OK [UIDVALIDITY 1700] Ok\r\n",
            b"* OK [UIDNEXT 12] Predicted next UID\r\n",
            b"* OK [HIGHESTMODSEQ 90] Highest\r\n",
            b"* VANISHED (EARLIER) 2:4,8\r\n",
            b"* 1 FETCH (UID 9 FLAGS (\\Seen) MODSEQ (88))\r\n",
        ];
        let mut s = Selected::default();
        for line in lines {
            let (_, r) = Response::parse(line).expect("parses");
            take(&mut s, &r);
        }
        assert_eq!(
            (s.exists, s.uidvalidity, s.uidnext, s.highestmodseq),
            (3, 1700, 12, 90)
        );
        assert_eq!(s.vanished, [2..=4, 8..=8]);
        let (_, r) = Response::parse(b"* VANISHED (EARLIER) 1:4294967295\r\n").expect("parses");
        take(&mut s, &r);
        assert_eq!(s.vanished.len(), 3, "a range, not four billion UIDs");
        assert_eq!(s.changed[0].uid, 9);
        assert_eq!(
            s.changed[0].flags.as_deref(),
            Some(&["\\Seen".to_owned()][..])
        );
    }
}
