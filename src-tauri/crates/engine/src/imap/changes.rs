//! Replay the local changes queue (`store::changes`) to the server, oldest first, before a
//! sync reads anything: so the sync sees the server with our changes in it. Changes that
//! follow each other on one folder go out as one command (`batch`). A change the server
//! refuses (message gone, changed elsewhere since: CONDSTORE's UNCHANGEDSINCE) is dropped
//! and the server's state wins; a dropped connection keeps the rest queued.

use super::batch::{self, Applied};
use super::connect::ImapSession;
use super::raw::Caps;
use crate::api::Account;
use crate::error::{ErrorKind, Result};
use crate::store::changes::Change;
use crate::store::Store;

/// The folder the session has selected, and the flags it keeps.
#[derive(Default)]
struct Opened {
    name: Option<String>,
    permanent: Vec<String>,
}

/// Replay every queued change of the account; returns how many the server took.
pub async fn replay(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
    caps: &Caps,
) -> Result<u32> {
    let mut opened = Opened::default();
    let mut done = 0;
    // Re-read after each batch: a settled move rewrites the placeholders of later ones.
    loop {
        let pending = store.pending_changes(account.id)?;
        let run = batch::leading(&pending);
        let Some(first) = run.first() else {
            return Ok(done);
        };
        if first.uid <= 0 {
            store.change_refused(first, "its message never reached the server")?;
            continue;
        }
        match send(session, caps, &mut opened, run).await {
            Ok(outcomes) => done += settle(store, run, &outcomes)?,
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::Network | ErrorKind::Tls | ErrorKind::Auth
                ) =>
            {
                for change in run {
                    store.change_attempted(change.id, &e.to_string())?;
                }
                return Err(e);
            }
            Err(e) => {
                for change in run {
                    store.change_refused(change, &e.to_string())?;
                }
            }
        }
    }
}

async fn send(
    session: &mut ImapSession,
    caps: &Caps,
    opened: &mut Opened,
    run: &[Change],
) -> Result<Vec<Applied>> {
    let folder = &run[0].folder;
    if opened.name.as_deref() != Some(folder.as_str()) {
        opened.name = None;
        opened.permanent = super::select::open_for_changes(session, caps, folder).await?;
        opened.name = Some(folder.clone());
    }
    batch::apply(session, caps, &opened.permanent, run).await
}

/// Record each change's outcome; returns how many the server took.
fn settle(store: &Store, run: &[Change], outcomes: &[Applied]) -> Result<u32> {
    let mut took = 0;
    for (change, outcome) in run.iter().zip(outcomes) {
        match *outcome {
            Applied::Done(new_uid) => store.change_done(change, new_uid)?,
            Applied::Stored(modseq) => store.change_stored(change, modseq)?,
            Applied::Conflict => {
                store.change_refused(change, "changed on the server since")?;
                continue;
            }
        }
        took += 1;
    }
    Ok(took)
}

/// Mark one message deleted and expunge just it (UIDPLUS), else every \Deleted one.
pub(crate) async fn expunge(session: &mut ImapSession, caps: &Caps, uid: i64) -> Result<()> {
    batch::expunge_set(session, caps, &uid.to_string()).await
}
