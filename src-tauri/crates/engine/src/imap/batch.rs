//! Queued changes sent a folder at a time: the changes that follow each other in the queue
//! with the same folder, action and argument (a bulk archive, a "mark read" on fifty
//! messages) go out as one UID STORE, UID MOVE or UID EXPUNGE over their UID set: one
//! round trip per folder, not one per message. `store::bulk` queues a bulk action folder
//! by folder so that its changes do follow each other.
//!
//! A batch's STORE is guarded (CONDSTORE's UNCHANGEDSINCE) by the highest MODSEQ among its
//! messages: one value is all the command takes. A message changed elsewhere after that
//! comes back in `[MODIFIED]` and is refused alone (the server's state wins, as for one
//! message); one changed elsewhere between its own MODSEQ and the batch's is not caught.
//! The flags we send are added or taken off (+FLAGS/-FLAGS), never the whole list, so no
//! other change to that message is undone by ours.

use std::collections::HashMap;

use super::connect::ImapSession;
use super::raw::{self, Caps};
use super::uidmap;
use crate::error::{Error, ErrorKind, Result};
use crate::store::changes::Change;

/// The most changes one command carries: a UID set of scattered UIDs stays a few KB.
pub const MAX_BATCH: usize = 500;

/// What became of one change of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Done; for a move, the UID it landed at when the server said (COPYUID).
    Done(Option<u32>),
    /// Flags stored; the message's MODSEQ is now this.
    Stored(u64),
    /// Refused: changed on the server since we saw it.
    Conflict,
}

/// The leading run of `pending` that can go out as one command: same folder, action and
/// argument, on messages the server knows (a placeholder goes alone), each UID once.
pub fn leading(pending: &[Change]) -> &[Change] {
    let Some(first) = pending.first() else {
        return pending;
    };
    if first.uid <= 0 {
        return &pending[..1];
    }
    let mut seen = std::collections::HashSet::new();
    let n = pending
        .iter()
        .take(MAX_BATCH)
        .take_while(|c| {
            c.uid > 0
                && c.folder == first.folder
                && c.action == first.action
                && c.arg == first.arg
                && seen.insert(c.uid)
        })
        .count();
    &pending[..n]
}

/// Send `batch` (a `leading` run, its folder selected); one outcome per change.
pub async fn apply(
    session: &mut ImapSession,
    caps: &Caps,
    permanent: &[String],
    batch: &[Change],
) -> Result<Vec<Applied>> {
    let first = &batch[0];
    let set = uid_set(batch);
    match first.action.as_str() {
        "add_flags" | "remove_flags" if !kept(permanent, &first.arg) => {
            // The server would not keep it ($Junk on a server without keywords).
            Ok(vec![Applied::Done(None); batch.len()])
        }
        "add_flags" | "remove_flags" => store_flags(session, caps, batch, &set).await,
        "move" => {
            let copy = move_set(session, caps, &set, &first.arg).await?;
            Ok(batch
                .iter()
                .map(|c| Applied::Done(copy.as_ref().and_then(|m| m.landed(c.uid as u32))))
                .collect())
        }
        "expunge" => {
            expunge_set(session, caps, &set).await?;
            Ok(vec![Applied::Done(None); batch.len()])
        }
        other => Err(Error::new(
            ErrorKind::Bug,
            format!("a queued change of the kind \"{other}\" is not one this version knows"),
        )),
    }
}

/// Whether the folder keeps `flag`: a system flag always; a keyword when PERMANENTFLAGS
/// lists it or `\*` (any keyword), or says nothing at all (RFC 3501: then all are kept).
pub fn kept(permanent: &[String], flag: &str) -> bool {
    flag.starts_with('\\')
        || permanent.is_empty()
        || permanent
            .iter()
            .any(|p| p == "\\*" || p.eq_ignore_ascii_case(flag))
}

fn uid_set(batch: &[Change]) -> String {
    let mut uids: Vec<u32> = batch.iter().map(|c| c.uid as u32).collect();
    uids.sort_unstable();
    uids.dedup();
    super::fetch::uid_set(&uids)
}

/// UID STORE over the set, guarded by the batch's highest MODSEQ (see the module doc).
/// Not .SILENT: the FETCHes it answers with carry each message's new MODSEQ, which the
/// next queued change of that message must be guarded with.
async fn store_flags(
    session: &mut ImapSession,
    caps: &Caps,
    batch: &[Change],
    set: &str,
) -> Result<Vec<Applied>> {
    let first = &batch[0];
    let sign = if first.action == "add_flags" {
        '+'
    } else {
        '-'
    };
    let highest = batch.iter().map(|c| c.modseq).max().unwrap_or(0);
    let guard = if caps.condstore && highest > 0 && batch.iter().all(|c| c.modseq > 0) {
        format!(" (UNCHANGEDSINCE {highest})")
    } else {
        String::new()
    };
    let command = format!("UID STORE {set}{guard} {sign}FLAGS ({})", first.arg);
    let mut modseqs: HashMap<u32, u64> = HashMap::new();
    let ours: std::collections::HashSet<u32> = batch.iter().map(|c| c.uid as u32).collect();
    let done = raw::run(session, &command, ErrorKind::Rejected, |r| {
        if let Some(f) = super::fetch::parse(r).filter(|f| ours.contains(&f.uid)) {
            let m = modseqs.entry(f.uid).or_default();
            *m = (*m).max(f.modseq);
        }
        Ok(())
    })
    .await?;
    let refused = uidmap::modified(&done.text).unwrap_or_default();
    Ok(batch
        .iter()
        .map(|c| {
            let uid = c.uid as u32;
            match modseqs.get(&uid) {
                _ if refused.contains(uid) => Applied::Conflict,
                Some(&m) if m > 0 => Applied::Stored(m),
                _ => Applied::Done(None),
            }
        })
        .collect())
}

/// UID MOVE where the server has it, else COPY then expunge; COPYUID when the server
/// says it (UIDPLUS).
async fn move_set(
    session: &mut ImapSession,
    caps: &Caps,
    set: &str,
    folder: &str,
) -> Result<Option<uidmap::CopyUid>> {
    let verb = if caps.r#move { "MOVE" } else { "COPY" };
    let command = format!("UID {verb} {set} {}", raw::quote(folder));
    let done = raw::run_ok(session, &command, ErrorKind::Rejected).await?;
    if !caps.r#move {
        expunge_set(session, caps, set).await?;
    }
    Ok(done.copy_uid)
}

/// Mark the set deleted and expunge just it (UIDPLUS), else every \Deleted message:
/// without UIDPLUS that is the only EXPUNGE there is.
pub(crate) async fn expunge_set(session: &mut ImapSession, caps: &Caps, set: &str) -> Result<()> {
    raw::run_ok(
        session,
        &format!("UID STORE {set} +FLAGS.SILENT (\\Deleted)"),
        ErrorKind::Rejected,
    )
    .await?;
    let command = if caps.uidplus {
        format!("UID EXPUNGE {set}")
    } else {
        "EXPUNGE".to_owned()
    };
    raw::run_ok(session, &command, ErrorKind::Rejected).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(id: i64, folder: &str, uid: i64, action: &str, arg: &str) -> Change {
        Change {
            id,
            folder: folder.into(),
            uid,
            modseq: 5,
            action: action.into(),
            arg: arg.into(),
            message: Some(id),
        }
    }

    #[test]
    fn a_run_of_like_changes_goes_together() {
        let pending = [
            change(1, "INBOX", 4, "move", "Archive"),
            change(2, "INBOX", 9, "move", "Archive"),
            change(3, "Work", 2, "move", "Archive"),
            change(4, "INBOX", 5, "move", "Archive"),
        ];
        assert_eq!(leading(&pending).len(), 2);
        assert_eq!(leading(&pending[2..]).len(), 1);
    }

    #[test]
    fn a_placeholder_or_a_repeated_uid_ends_the_run() {
        let pending = [
            change(1, "INBOX", -7, "add_flags", "\\Seen"),
            change(2, "INBOX", 4, "add_flags", "\\Seen"),
            change(3, "INBOX", 4, "add_flags", "\\Seen"),
            change(4, "INBOX", 6, "remove_flags", "\\Seen"),
        ];
        assert_eq!(leading(&pending).len(), 1);
        assert_eq!(leading(&pending[1..]).len(), 1);
        assert_eq!(leading(&[]).len(), 0);
    }

    #[test]
    fn keywords_go_where_the_folder_keeps_them() {
        assert!(kept(&["\\Seen".into(), "\\*".into()], "$Junk"));
        assert!(kept(&["\\Seen".into(), "$junk".into()], "$Junk"));
        assert!(!kept(&["\\Seen".into(), "\\Flagged".into()], "$Junk"));
        assert!(kept(&["\\Seen".into()], "\\Flagged"));
        assert!(kept(&[], "$NotJunk"));
    }
}
