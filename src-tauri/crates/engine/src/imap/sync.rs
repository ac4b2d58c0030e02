//! Sync an account's folders into the cache.
//!
//! Per folder: SELECT (with QRESYNC or CONDSTORE when offered); a changed UIDVALIDITY drops
//! that folder's cache and starts it over. Messages we already hold: QRESYNC hands their
//! changes in the SELECT (VANISHED, FETCH); with CONDSTORE we ask for what changed since our
//! HIGHESTMODSEQ and count to notice deletions; otherwise a UID/FLAGS diff. Messages we
//! don't hold: the server's UIDs minus ours, fetched newest first in batches, each batch
//! one transaction, whole for mail inside the account's body window and headers plus
//! BODYSTRUCTURE for older mail (its body comes on demand). The folder's UIDNEXT and
//! HIGHESTMODSEQ are saved only when the pass is complete, so a pass cut short (a dropped
//! connection) resumes where it stopped: nothing is fetched twice, nothing missed.

use std::collections::HashSet;

use async_imap::imap_proto::{MailboxDatum, Response};

use super::connect::ImapSession;
use super::fetch::{self, Fetched, HEADER_FIELDS};
use super::folders::Listed;
use super::large::{self, Raw};
use super::raw::{self, Caps};
use super::select::{self, Selected};
use crate::api::{Account, SyncProgress, SyncReport};
use crate::error::{Context, ErrorKind, Result};
use crate::ingest::ServerMeta;
use crate::store::folders::FolderState;
use crate::store::messages::ServerChange;
use crate::store::Store;

/// Messages per FETCH and per transaction.
const BATCH: usize = 500;

/// Everything a folder sync needs besides the session.
pub struct SyncCtx<'a> {
    pub store: &'a std::sync::Arc<Store>,
    pub account: &'a Account,
    pub caps: &'a Caps,
    pub now: i64,
    pub progress: &'a (dyn Fn(&SyncProgress) + Send + Sync),
}

/// What `sync_account` did, and the folder it leaves the session in.
pub struct Synced {
    pub report: SyncReport,
    pub left: Left,
}

/// The session's selected folder after a sync, as the next sync over it cares (`pool`:
/// STATUS stays fast on a session that has the home folder, see `home`, selected).
#[derive(Debug, PartialEq, Eq)]
pub enum Left {
    Home,
    /// The sync opened other folders after the home one: selecting it again (`examine`)
    /// makes the session ready for the next sync.
    Other {
        home: String,
    },
    /// Nothing selected, or no home folder.
    Unready,
}

/// Replay queued changes, refresh the folder list, then sync every folder, inbox first.
/// `home_selected`: the session comes with the home folder selected.
pub async fn sync_account(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    home_selected: bool,
) -> Result<Synced> {
    // Replaying selects the changes' folders.
    let queued = !ctx.store.pending_changes(ctx.account.id)?.is_empty();
    let mut home_selected = home_selected && !queued;
    let replayed = super::changes::replay(ctx.store, ctx.account, session, ctx.caps)
        .await
        .context("sending queued changes")?;
    let known = ctx.store.synced_folders(ctx.account.id)?;
    let listed = super::folders::list(session, ctx.caps, &known).await?;
    raw::drain(session);
    ctx.store.save_folders(ctx.account.id, &listed)?;
    let home = home(&listed, ctx.caps);
    let (mut new_messages, mut opened) = (0, queued);
    let mut names = Vec::new();
    for f in to_sync(&listed, ctx.caps) {
        if !unchanged_since_listed(ctx, f)? {
            new_messages += sync_folder(ctx, session, &f.name, f.role).await?;
            (opened, home_selected) = (true, Some(f.name.as_str()) == home);
        }
        names.push(f.display_name.clone());
    }
    let left = match (home_selected, opened, home) {
        (true, _, _) => Left::Home,
        (false, true, Some(home)) => Left::Other {
            home: home.to_owned(),
        },
        _ => Left::Unready,
    };
    let report = SyncReport {
        account_email: ctx.account.email.clone(),
        folder: names.join(", "),
        new_messages,
        total_cached: ctx.store.count_account_messages(ctx.account.id)?,
        replayed,
    };
    Ok(Synced { report, left })
}

/// Select `folder` read-only: what a kept session is left with (see `Left::Other`).
pub async fn examine(session: &mut ImapSession, caps: &Caps, folder: &str) -> Result<()> {
    select::open(session, caps, folder, true).await
}

/// The folder a kept session keeps selected: the biggest and busiest, INBOX (on Gmail,
/// All Mail, which holds it and is what syncs).
fn home<'a>(listed: &'a [Listed], caps: &Caps) -> Option<&'a str> {
    let role = if caps.gmail { "all" } else { "inbox" };
    listed
        .iter()
        .find(|f| f.selectable && f.role == Some(role))
        .map(|f| f.name.as_str())
}

/// The folders to sync, inbox first. On Gmail every label is a folder holding copies of
/// the same messages: All Mail carries them once, with their labels; Trash and Spam are
/// outside All Mail.
fn to_sync<'a>(listed: &'a [Listed], caps: &Caps) -> Vec<&'a Listed> {
    let mut folders: Vec<&Listed> = listed
        .iter()
        .filter(|f| f.selectable)
        .filter(|f| !caps.gmail || matches!(f.role, Some("all" | "trash" | "junk")))
        .collect();
    folders.sort_by_key(|f| {
        (
            f.role != Some("inbox"),
            f.role != Some("sent"),
            f.role.is_none(),
        )
    });
    folders
}

/// Sync one folder; returns how many messages were new.
pub async fn sync_folder(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    name: &str,
    role: Option<&str>,
) -> Result<u32> {
    let mut folder = ctx.store.folder(ctx.account.id, name, role)?;
    let known = (folder.uidvalidity != 0).then_some((folder.uidvalidity, folder.highestmodseq));
    let sel = select::select(session, ctx.caps, name, known).await?;
    if folder.uidvalidity != sel.uidvalidity {
        // Every cached UID of the folder is meaningless now: start it over.
        ctx.store.reset_folder(folder.id, sel.uidvalidity)?;
        folder = FolderState {
            uidnext: 0,
            highestmodseq: 0,
            uidvalidity: sel.uidvalidity,
            ..folder
        };
    }
    let start = folder.uidnext.max(1);
    if unchanged(ctx, &folder, &sel)? {
        return Ok(0);
    }
    let above = uids_from(session, start, sel.exists).await?;
    if start > 1 {
        known_changes(ctx, session, &folder, &sel, start, above.len() as u32)
            .await
            .with_context(|| format!("updating {name}"))?;
    }
    let new = fetch_missing(ctx, session, &folder, name, &above)
        .await
        .with_context(|| format!("fetching {name}"))?;
    let uidnext = sel.uidnext.max(above.iter().max().map_or(0, |u| u + 1));
    ctx.store
        .set_synced(folder.id, uidnext, sel.highestmodseq)?;
    Ok(new)
}

/// The folder's STATUS (asked before the list) shows nothing new since our last sync: no
/// need to open it. On a mailbox that did not change, a sync is then a STATUS per folder
/// and a LIST, whatever the number of messages.
fn unchanged_since_listed(ctx: &SyncCtx<'_>, f: &Listed) -> Result<bool> {
    let Some(status) = &f.status else {
        return Ok(false);
    };
    let folder = ctx.store.folder(ctx.account.id, &f.name, f.role)?;
    let listed = Selected {
        exists: status.messages,
        uidvalidity: status.uidvalidity,
        uidnext: status.uidnext,
        highestmodseq: status.highestmodseq,
        ..Selected::default()
    };
    Ok(folder.uidvalidity == status.uidvalidity && unchanged(ctx, &folder, &listed)?)
}

/// Nothing to do: no new UID, the same HIGHESTMODSEQ (CONDSTORE), and as many messages as
/// we hold (no expunge). Without CONDSTORE we cannot know flags did not change.
fn unchanged(ctx: &SyncCtx<'_>, folder: &FolderState, sel: &Selected) -> Result<bool> {
    Ok(folder.uidnext != 0
        && sel.uidnext == folder.uidnext
        && ctx.caps.condstore
        && sel.highestmodseq != 0
        && sel.highestmodseq == folder.highestmodseq
        && sel.vanished.is_empty()
        // QRESYNC servers raise HIGHESTMODSEQ on every expunge (RFC 7162 §3.2.10): no
        // need to count what we hold then.
        && (ctx.caps.qresync || ctx.store.count_messages(folder.id)? == sel.exists))
}

/// The server's UIDs at or above `start` (all of them on a first sync).
async fn uids_from(session: &mut ImapSession, start: u32, exists: u32) -> Result<Vec<u32>> {
    if exists == 0 {
        return Ok(Vec::new());
    }
    let mut uids = search(session, &format!("UID SEARCH UID {start}:*")).await?;
    // "N:*" also names the last message when N is past the end.
    uids.retain(|u| *u >= start);
    Ok(uids)
}

async fn search(session: &mut ImapSession, command: &str) -> Result<Vec<u32>> {
    let mut uids = Vec::new();
    raw::run(session, command, ErrorKind::Protocol, |r| {
        if let Response::MailboxData(MailboxDatum::Search(found)) = r {
            uids.extend_from_slice(found);
        }
        Ok(())
    })
    .await?;
    uids.sort_unstable();
    Ok(uids)
}

/// Flags and deletions of the messages below `start`, which we hold.
async fn known_changes(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    folder: &FolderState,
    sel: &Selected,
    start: u32,
    above: u32,
) -> Result<()> {
    let below = start - 1;
    let qresync = ctx.caps.qresync && folder.highestmodseq != 0;
    let condstore = ctx.caps.condstore && folder.highestmodseq != 0 && sel.highestmodseq != 0;
    if qresync {
        // The SELECT carried them.
        let changed = flag_changes(&sel.changed);
        let held = ctx.store.cached_uids(folder.id, 0)?;
        let gone = super::vanished::held_in(held, &sel.vanished);
        return ctx.store.apply_server_changes(folder.id, &gone, &changed);
    }
    if condstore {
        if sel.highestmodseq != folder.highestmodseq {
            let mut changed = Vec::new();
            // Gmail: a label added or removed changes the message's MODSEQ too.
            let labels = if ctx.caps.gmail { " X-GM-LABELS" } else { "" };
            let items = format!(
                "(UID FLAGS{labels}) (CHANGEDSINCE {})",
                folder.highestmodseq
            );
            fetch::uid_fetch(session, &format!("1:{below}"), &items, |f| {
                changed.push(f);
                Ok(())
            })
            .await?;
            ctx.store
                .apply_server_changes(folder.id, &[], &flag_changes(&changed))?;
        }
        let server_below = sel.exists.saturating_sub(above);
        if server_below != ctx.store.count_below(folder.id, start)? {
            let still = search(session, &format!("UID SEARCH UID 1:{below}")).await?;
            ctx.store.keep_only(folder.id, start, &still)?;
        }
        return Ok(());
    }
    // No mod-sequences: the whole UID/FLAGS list is the only way to know.
    let mut all = std::collections::BTreeMap::new();
    if sel.exists > 0 {
        fetch::uid_fetch(session, &format!("1:{below}"), "(UID FLAGS)", |f| {
            if f.uid <= below {
                all.insert(f.uid, f.flags.unwrap_or_default());
            }
            Ok(())
        })
        .await?;
    }
    ctx.store.reconcile(folder.id, start, &all)
}

fn flag_changes(fetched: &[Fetched]) -> Vec<ServerChange> {
    fetched
        .iter()
        .filter_map(|f| {
            Some(ServerChange {
                uid: f.uid,
                flags: f.flags.clone()?,
                modseq: f.modseq,
                labels: f.labels.clone(),
            })
        })
        .collect()
}

/// Fetch the messages of `above` we do not hold, newest first.
async fn fetch_missing(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    folder: &FolderState,
    name: &str,
    above: &[u32],
) -> Result<u32> {
    let held: HashSet<u32> = match above.first() {
        Some(first) => ctx
            .store
            .cached_uids(folder.id, *first)?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    let mut missing: Vec<u32> = above
        .iter()
        .copied()
        .filter(|u| !held.contains(u))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    missing.reverse();
    let recent = in_window(ctx, session, missing[missing.len() - 1]).await?;
    // The network and the cache work at once: while one batch is parsed and written on a
    // blocking thread, the next is read from the server.
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<Raw>>(2);
    let reader = read_batches(ctx, session, &missing, recent.as_ref(), tx);
    let writer = super::sync_writer::write_batches(ctx, folder, name, missing.len() as u32, rx);
    let (read, written) = tokio::join!(reader, writer);
    // A failed read still leaves every batch read before it cached: the next sync
    // resumes from there.
    let new = written?;
    read?;
    Ok(new)
}

/// Fetch `missing` (newest first) batch by batch into `tx`: whole messages inside the
/// body window (`read_whole`), header fields and BODYSTRUCTURE outside it.
async fn read_batches(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    missing: &[u32],
    recent: Option<&HashSet<u32>>,
    tx: tokio::sync::mpsc::Sender<Vec<Raw>>,
) -> Result<()> {
    for chunk in missing.chunks(BATCH) {
        let (mut whole, mut headers): (Vec<u32>, Vec<u32>) = chunk
            .iter()
            .partition(|u| recent.is_none_or(|r| r.contains(u)));
        whole.sort_unstable();
        if !whole.is_empty() && !read_whole(ctx, session, &whole, &mut headers, &tx).await? {
            break; // the writer failed; its error is the one reported
        }
        headers.sort_unstable();
        let mut batch = Vec::with_capacity(headers.len());
        let mut read = Ok(());
        if !headers.is_empty() {
            let items = items(ctx.caps, &format!("BODYSTRUCTURE {HEADER_FIELDS}"));
            let mut budget = large::Budget::default();
            read = fetch::uid_fetch(session, &fetch::uid_set(&headers), &items, |f| {
                budget.take(&f)?;
                batch.push(Raw::Headers(f));
                Ok(())
            })
            .await;
        }
        // A cut link mid-FETCH: what arrived whole is cached all the same, so a link
        // that keeps dropping still makes progress (the next pass skips it).
        if tx.send(batch).await.is_err() {
            break; // the writer failed; its error is the one reported
        }
        read?;
    }
    Ok(())
}

/// The messages of `whole` (sorted) into `tx` as `large` plans it: small ones in groups,
/// large ones in pieces through a file; those too large for a body join `headers`.
/// False when the writer is gone.
async fn read_whole(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    whole: &[u32],
    headers: &mut Vec<u32>,
    tx: &tokio::sync::mpsc::Sender<Vec<Raw>>,
) -> Result<bool> {
    let plan = large::plan(session, ctx.caps, whole).await?;
    headers.extend(&plan.too_large);
    let items = items(ctx.caps, "BODY.PEEK[]");
    for group in &plan.groups {
        let mut batch = Vec::with_capacity(group.len());
        let mut budget = large::Budget::default();
        let read = fetch::uid_fetch(session, &fetch::uid_set(group), &items, |f| {
            budget.take(&f)?;
            batch.push(Raw::Whole(f));
            Ok(())
        })
        .await;
        // A cut link mid-FETCH: what arrived whole is cached all the same.
        if tx.send(batch).await.is_err() {
            return Ok(false);
        }
        read?;
    }
    for meta in plan.large {
        let path = large::spool(ctx.store, session, &meta).await?;
        if tx
            .send(vec![Raw::Spooled(meta, path.clone())])
            .await
            .is_err()
        {
            std::fs::remove_file(&path).ok();
            return Ok(false);
        }
    }
    Ok(true)
}

/// The UIDs (from `lowest` up) whose mail is recent enough to fetch whole; None: all.
async fn in_window(
    ctx: &SyncCtx<'_>,
    session: &mut ImapSession,
    lowest: u32,
) -> Result<Option<HashSet<u32>>> {
    let Some(days) = ctx.store.body_window(ctx.account.id)? else {
        return Ok(None);
    };
    let since = fetch::search_date(ctx.now - i64::from(days) * 86_400);
    let uids = search(session, &format!("UID SEARCH UID {lowest}:* SINCE {since}")).await?;
    Ok(Some(uids.into_iter().collect()))
}

/// FETCH items: what every message needs, then `extra` (if any).
pub(super) fn items(caps: &Caps, extra: &str) -> String {
    let mut items = String::from("(UID FLAGS INTERNALDATE RFC822.SIZE");
    if caps.condstore {
        items.push_str(" MODSEQ");
    }
    if caps.gmail {
        items.push_str(" X-GM-LABELS X-GM-THRID");
    }
    if extra.is_empty() {
        return format!("{items})");
    }
    format!("{items} {extra})")
}

pub(super) fn meta(f: &Fetched) -> ServerMeta {
    ServerMeta {
        uid: f.uid,
        flags: f.flags.clone().unwrap_or_default(),
        internal_date: f.internal_date,
        modseq: f.modseq,
        size: Some(f.size),
        labels: f.labels.clone().unwrap_or_default(),
        thread_id: f.thread_id,
    }
}

/// Fetch the body of a message cached with headers only (in pieces when large, see
/// `large`), and cache it.
pub async fn fetch_body(
    store: &Store,
    session: &mut ImapSession,
    caps: &Caps,
    id: i64,
) -> Result<()> {
    let summary = store.summary(id)?;
    select::open(session, caps, &summary.folder, true).await?;
    let raw = large::fetch_one(store, session, caps, summary.uid).await?;
    // Parsing a large message takes a while: off the network's thread.
    let message = tokio::task::spawn_blocking(move || raw.parse())
        .await
        .context("a parse failed")??;
    store.attach_body(id, &message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(name: &str, role: Option<&'static str>) -> Listed {
        Listed {
            name: name.into(),
            display_name: name.into(),
            delimiter: "/".into(),
            role,
            selectable: true,
            status: None,
        }
    }

    #[test]
    fn the_home_folder_is_inbox_or_gmails_all_mail() {
        let folders = [
            listed("INBOX", Some("inbox")),
            listed("[Gmail]/All Mail", Some("all")),
            listed("Work", None),
        ];
        assert_eq!(home(&folders, &Caps::default()), Some("INBOX"));
        let gmail = Caps::from_names(["X-GM-EXT-1"]);
        assert_eq!(home(&folders, &gmail), Some("[Gmail]/All Mail"));
        assert_eq!(home(&folders[2..], &Caps::default()), None);
    }

    #[test]
    fn gmail_syncs_all_mail_once_not_every_label() {
        let folders = [
            listed("INBOX", Some("inbox")),
            listed("[Gmail]/All Mail", Some("all")),
            listed("[Gmail]/Sent Mail", Some("sent")),
            listed("[Gmail]/Trash", Some("trash")),
            listed("[Gmail]/Spam", Some("junk")),
            listed("Work", None),
        ];
        let gmail = Caps::from_names(["X-GM-EXT-1"]);
        let names = |caps: &Caps| {
            to_sync(&folders, caps)
                .iter()
                .map(|f| f.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&gmail),
            ["[Gmail]/All Mail", "[Gmail]/Trash", "[Gmail]/Spam"]
        );
        let plain = names(&Caps::default());
        assert_eq!(plain[..2], ["INBOX", "[Gmail]/Sent Mail"]);
        assert_eq!(plain.len(), 6);
    }
}
