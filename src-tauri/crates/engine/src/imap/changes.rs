//! Replay the local changes queue (`store::changes`) to the server, oldest first, before a
//! sync reads anything: so the sync sees the server with our changes in it. A change the
//! server refuses (message gone, changed elsewhere since: CONDSTORE's UNCHANGEDSINCE) is
//! dropped and the server's state wins; a dropped connection keeps the rest queued.

use super::connect::ImapSession;
use super::raw::{self, Caps};
use crate::api::Account;
use crate::error::{Error, ErrorKind, Result};
use crate::store::changes::Change;
use crate::store::Store;

/// Replay every queued change of the account; returns how many the server took.
pub async fn replay(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
    caps: &Caps,
) -> Result<u32> {
    let mut selected: Option<String> = None;
    let mut done = 0;
    // Re-read after each change: a settled move rewrites the placeholders of later ones.
    while let Some(change) = store.pending_changes(account.id)?.into_iter().next() {
        if change.uid <= 0 {
            store.change_refused(&change, "its message never reached the server")?;
            continue;
        }
        let outcome = apply(session, caps, &mut selected, &change).await;
        match outcome {
            Ok(Applied::Done(new_uid)) => {
                store.change_done(&change, new_uid)?;
                done += 1;
            }
            Ok(Applied::Stored(modseq)) => {
                store.change_stored(&change, modseq)?;
                done += 1;
            }
            Ok(Applied::Conflict) => {
                store.change_refused(&change, "changed on the server since")?
            }
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::Network | ErrorKind::Tls | ErrorKind::Auth
                ) =>
            {
                store.change_attempted(change.id, &e.to_string())?;
                return Err(e);
            }
            Err(e) => store.change_refused(&change, &e.to_string())?,
        }
    }
    Ok(done)
}

enum Applied {
    Done(Option<u32>),
    /// Flags stored; the message's MODSEQ is now this.
    Stored(u64),
    Conflict,
}

async fn apply(
    session: &mut ImapSession,
    caps: &Caps,
    selected: &mut Option<String>,
    c: &Change,
) -> Result<Applied> {
    if selected.as_deref() != Some(c.folder.as_str()) {
        *selected = None;
        super::select::open(session, caps, &c.folder, false).await?;
        *selected = Some(c.folder.clone());
    }
    match c.action.as_str() {
        "add_flags" | "remove_flags" => store_flags(session, caps, c).await,
        "move" => move_to(session, caps, c.uid, &c.arg).await,
        "expunge" => {
            expunge(session, caps, c.uid).await?;
            Ok(Applied::Done(None))
        }
        other => Err(Error::new(
            ErrorKind::Bug,
            format!("unknown queued change {other:?}"),
        )),
    }
}

/// UID STORE, guarded by the MODSEQ we last saw (CONDSTORE) so that a change made
/// meanwhile on another device is not overwritten.
async fn store_flags(session: &mut ImapSession, caps: &Caps, c: &Change) -> Result<Applied> {
    let (uid, sign) = (c.uid, if c.action == "add_flags" { '+' } else { '-' });
    let guard = if caps.condstore && c.modseq > 0 {
        format!(" (UNCHANGEDSINCE {})", c.modseq)
    } else {
        String::new()
    };
    // Not .SILENT: the FETCH it answers with carries the new MODSEQ, which the next
    // queued change of this message must be guarded with (else our own change would
    // look like someone else's and the next one be dropped).
    let command = format!("UID STORE {uid}{guard} {sign}FLAGS ({})", c.arg);
    let mut modseq = 0;
    let done = raw::run(session, &command, ErrorKind::Rejected, |r| {
        if let Some(f) = super::fetch::parse(r).filter(|f| i64::from(f.uid) == uid) {
            modseq = modseq.max(f.modseq);
        }
        Ok(())
    })
    .await?;
    // RFC 7162 §3.1.3: OK [MODIFIED uid] means "not stored: it changed since".
    if done.text.to_ascii_uppercase().contains("MODIFIED") {
        return Ok(Applied::Conflict);
    }
    Ok(match modseq {
        0 => Applied::Done(None),
        m => Applied::Stored(m),
    })
}

/// UID MOVE where the server has it, else COPY then expunge; the new UID when the server
/// says it (UIDPLUS).
async fn move_to(
    session: &mut ImapSession,
    caps: &Caps,
    uid: i64,
    folder: &str,
) -> Result<Applied> {
    let target = raw::quote(folder);
    let verb = if caps.r#move { "MOVE" } else { "COPY" };
    let command = format!("UID {verb} {uid} {target}");
    let done = raw::run_ok(session, &command, ErrorKind::Rejected).await?;
    if !caps.r#move {
        expunge(session, caps, uid).await?;
    }
    Ok(Applied::Done(done.copied_to))
}

/// Mark deleted and expunge just this message (UIDPLUS), else every \Deleted one: without
/// UIDPLUS that is the only EXPUNGE there is.
pub(crate) async fn expunge(session: &mut ImapSession, caps: &Caps, uid: i64) -> Result<()> {
    raw::run_ok(
        session,
        &format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"),
        ErrorKind::Rejected,
    )
    .await?;
    let command = if caps.uidplus {
        format!("UID EXPUNGE {uid}")
    } else {
        "EXPUNGE".to_owned()
    };
    raw::run_ok(session, &command, ErrorKind::Rejected).await?;
    Ok(())
}
