//! Sync a folder into the cache: new messages by UID since the stored UIDNEXT; then the
//! flags of the known ones and which of them are gone (a UID/FLAGS diff); a changed
//! UIDVALIDITY drops the folder's cache and starts over. (CONDSTORE/QRESYNC, IDLE and the
//! other folders come with the IMAP sync issue.)

use async_imap::types::{Fetch, Flag};
use std::collections::BTreeMap;

use futures::TryStreamExt;

use super::connect::{imap_error, ImapSession};
use crate::api::{Account, SyncReport};
use crate::error::{Context, ErrorKind, Result};
use crate::ingest::{self, ServerMeta};
use crate::store::Store;

const INBOX: &str = "INBOX";
const FETCH_ITEMS: &str = "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])";

pub async fn sync_inbox(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
) -> Result<SyncReport> {
    let mailbox = session
        .select(INBOX)
        .await
        .map_err(|e| imap_error(e, ErrorKind::NotFound))
        .context("selecting INBOX")?;
    let mut folder = store.folder(account.id, INBOX, Some("inbox"))?;
    let uidvalidity = mailbox.uid_validity.unwrap_or(0);
    if folder.uidvalidity != uidvalidity {
        store.reset_folder(folder.id, uidvalidity)?;
        folder.uidnext = 0;
    }
    let first = folder.uidnext.max(1);
    let mut new_messages = 0;
    let mut highest = 0;
    if mailbox.exists > 0 {
        let fetches: Vec<Fetch> = session
            .uid_fetch(format!("{first}:*"), FETCH_ITEMS)
            .await
            .map_err(|e| imap_error(e, ErrorKind::Protocol))
            .context("fetching new messages")?
            .try_collect()
            .await
            .map_err(|e| imap_error(e, ErrorKind::Protocol))
            .context("reading fetched messages")?;
        for fetch in &fetches {
            // "N:*" also returns the last message when N is past the end: skip old UIDs.
            let Some(uid) = fetch.uid.filter(|uid| *uid >= first) else {
                continue;
            };
            highest = highest.max(uid);
            let message =
                ingest::parse(fetch.body().unwrap_or_default().to_vec(), meta(uid, fetch));
            if store.insert_message(account.id, folder.id, &message)? {
                new_messages += 1;
            }
        }
    }
    if first > 1 {
        let known = server_flags(session, first - 1, mailbox.exists).await?;
        store.reconcile(folder.id, first, &known)?;
    }
    let uidnext = mailbox.uid_next.unwrap_or(0).max(highest + 1);
    store.set_uidnext(folder.id, uidnext)?;
    Ok(SyncReport {
        account_email: account.email.clone(),
        folder: INBOX.into(),
        new_messages,
        total_cached: store.count_messages(folder.id)?,
    })
}

/// The flags of every message up to `last` that the server still has: the UID/FLAGS
/// diff, the fallback when the server offers no CONDSTORE/QRESYNC (those come next).
async fn server_flags(
    session: &mut ImapSession,
    last: u32,
    exists: u32,
) -> Result<BTreeMap<u32, Vec<String>>> {
    if exists == 0 {
        return Ok(BTreeMap::new());
    }
    let fetches: Vec<Fetch> = session
        .uid_fetch(format!("1:{last}"), "(UID FLAGS)")
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .context("fetching flags")?
        .try_collect()
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .context("reading flags")?;
    Ok(fetches
        .iter()
        .filter_map(|f| {
            Some((
                f.uid.filter(|u| *u <= last)?,
                f.flags().map(flag_name).collect(),
            ))
        })
        .collect())
}

fn meta(uid: u32, fetch: &Fetch) -> ServerMeta {
    ServerMeta {
        uid,
        flags: fetch.flags().map(flag_name).collect(),
        internal_date: fetch.internal_date().map_or(0, |d| d.timestamp()),
    }
}

fn flag_name(flag: Flag<'_>) -> String {
    match flag {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Recent => "\\Recent".into(),
        Flag::MayCreate => "\\*".into(),
        Flag::Custom(name) => name.into_owned(),
    }
}
