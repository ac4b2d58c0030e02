//! Drafts on the server: each draft being written is copied to the account's Drafts
//! folder (`\Drafts`), so it shows on the user's other devices, and its copies leave when
//! it is sent or discarded. A copy carries `X-Courriel-Draft: <key>` (`mime::build`): a new
//! version is APPENDed first and then every older copy of the same draft is deleted, found
//! by that header, so a connection lost between the two leaves at worst an extra copy
//! that the next round deletes, never no copy.

use super::connect::{imap_error, ImapSession};
use super::raw::{self, Caps};
use crate::api::{Account, LocalDraft};
use crate::error::{Context, ErrorKind, Result};
use crate::mime::build::{draft_copy, DRAFT_HEADER};
use crate::store::Store;

/// Upload the account's drafts whose latest version the server lacks, then delete the
/// copies of drafts that left. Returns how many drafts were uploaded or removed.
pub async fn sync(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
    caps: &Caps,
) -> Result<u32> {
    let uploads = store.drafts_to_upload(&account.email)?;
    let removals = store.drafts_to_remove(&account.email)?;
    if uploads.is_empty() && removals.is_empty() {
        return Ok(0);
    }
    let Some(folder) = drafts_folder(store, account, session).await? else {
        tracing::info!(
            "{} has no Drafts folder: drafts stay on this device",
            account.email
        );
        return Ok(0);
    };
    let mut done = 0;
    for draft in uploads.iter().filter(|d| safe_key(&d.key)) {
        done += u32::from(upload(store, account, session, caps, &folder, draft).await?);
    }
    // Read again: an upload that raced its draft's deletion queued its copy just now, and
    // nothing else would wake a round for it.
    for key in &store.drafts_to_remove(&account.email)? {
        if safe_key(key) {
            remove(session, caps, &folder, key).await?;
            done += 1;
        }
        store.draft_removed(&account.email, key)?;
    }
    Ok(done)
}

/// One draft's latest version in, its older copies out. False when the draft cannot be
/// built yet (an address half typed): it stays local and is tried at the next round.
async fn upload(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
    caps: &Caps,
    folder: &str,
    draft: &LocalDraft,
) -> Result<bool> {
    let mime = match draft_copy(account, &draft.draft, &draft.key) {
        Ok(mime) => mime,
        Err(e) if e.kind == ErrorKind::Config => {
            tracing::info!("draft {} is not ready for the server yet: {e}", draft.key);
            return Ok(false);
        }
        Err(e) => return Err(e),
    };
    session
        .append(folder, Some("(\\Draft \\Seen)"), None, &mime)
        .await
        .map_err(|e| imap_error(e, ErrorKind::Rejected))
        .with_context(|| format!("copying a draft to {folder}"))?;
    // The newest copy has the highest UID: every other one is an older version.
    let mut copies = copies(session, caps, folder, &draft.key).await?;
    copies.pop();
    for uid in copies {
        super::changes::expunge(session, caps, i64::from(uid)).await?;
    }
    if !store.draft_uploaded(&draft.key, draft.saved_at)? {
        // Sent or discarded while it was on its way: its copies go at once.
        store.remove_draft_copies(&account.email, &draft.key)?;
    }
    Ok(true)
}

/// Delete every copy of the draft `key`.
async fn remove(session: &mut ImapSession, caps: &Caps, folder: &str, key: &str) -> Result<()> {
    for uid in copies(session, caps, folder, key).await? {
        super::changes::expunge(session, caps, i64::from(uid)).await?;
    }
    Ok(())
}

/// The UIDs of the draft's copies in `folder`, oldest first; selects the folder.
async fn copies(
    session: &mut ImapSession,
    caps: &Caps,
    folder: &str,
    key: &str,
) -> Result<Vec<u32>> {
    super::select::open(session, caps, folder, false).await?;
    let found = session
        .uid_search(format!("HEADER {DRAFT_HEADER} \"{key}\""))
        .await
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .with_context(|| format!("looking for the copies of a draft in {folder}"))?;
    raw::drain(session);
    let mut uids: Vec<u32> = found.into_iter().collect();
    uids.sort_unstable();
    Ok(uids)
}

/// The folder marked `\Drafts`, as the last sync saw it, else as the server lists it now.
async fn drafts_folder(
    store: &Store,
    account: &Account,
    session: &mut ImapSession,
) -> Result<Option<String>> {
    let known = store.folders(account.id)?;
    if let Some(f) = known.iter().find(|f| f.role.as_deref() == Some("drafts")) {
        return Ok(Some(f.name.clone()));
    }
    Ok(super::folders::list(session, &Caps::default(), &[])
        .await?
        .into_iter()
        .find(|f| f.role == Some("drafts"))
        .map(|f| f.name))
}

/// Keys go into a header and a SEARCH string: the app's (`draft-<ms>`) and nothing wider.
/// Another key stays on this device (it never came from the app).
fn safe_key(key: &str) -> bool {
    let safe = !key.is_empty()
        && key.len() <= 100
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !safe {
        tracing::warn!("draft key {key:?} is not one the app makes: not copied to the server");
    }
    safe
}
