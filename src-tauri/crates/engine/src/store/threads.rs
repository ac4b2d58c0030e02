//! Threading, JWZ's id table kept incrementally: a message's own Message-ID, its
//! In-Reply-To and every References id all point at one thread; when a message names ids
//! of two threads (a reply that arrived before its parent, say), the threads merge. The
//! result is the connected components of JWZ's id graph, so the order mail arrives in does
//! not matter. JWZ's last step, grouping by subject, is left out on purpose: it merges
//! unrelated "Hello" mails, and neither Gmail nor notmuch does it. A Gmail thread id
//! (X-GM-THRID), when the server gives one, is the thread: Gmail's grouping is what the
//! user sees on their other devices.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension, Transaction};

use super::messages::NewMessage;
use crate::error::Result;

/// Give the freshly inserted message `id` its thread, merging threads it joins.
pub(crate) fn assign(tx: &Transaction<'_>, account_id: i64, id: i64, m: &NewMessage) -> Result<()> {
    let refs = keys(m);
    let mut found = BTreeSet::new();
    for r in &refs {
        let thread: Option<i64> = tx
            .prepare_cached("SELECT thread_id FROM thread_ids WHERE account_id = ?1 AND ref = ?2")?
            .query_row(params![account_id, r], |row| row.get(0))
            .optional()?;
        found.extend(thread);
    }
    let thread = found.first().copied().unwrap_or(id);
    for other in found.iter().filter(|t| **t != thread) {
        tx.prepare_cached(
            "UPDATE messages SET thread_id = ?2 WHERE account_id = ?1 AND thread_id = ?3",
        )?
        .execute(params![account_id, thread, other])?;
        tx.prepare_cached(
            "UPDATE thread_ids SET thread_id = ?2 WHERE account_id = ?1 AND thread_id = ?3",
        )?
        .execute(params![account_id, thread, other])?;
    }
    for r in &refs {
        tx.prepare_cached(
            "INSERT INTO thread_ids (account_id, ref, thread_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id, ref) DO UPDATE SET thread_id = excluded.thread_id",
        )?
        .execute(params![account_id, r, thread])?;
    }
    tx.prepare_cached("UPDATE messages SET thread_id = ?2 WHERE id = ?1")?
        .execute(params![id, thread])?;
    Ok(())
}

/// The ids that tie this message to others.
fn keys(m: &NewMessage) -> Vec<String> {
    if let Some(t) = m.gm_thrid {
        return vec![format!("x-gm-thrid:{t}")];
    }
    let mut keys: Vec<String> = m
        .refs
        .iter()
        .chain(m.in_reply_to.iter())
        .chain(m.message_id.iter())
        .filter(|id| !id.is_empty())
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}
