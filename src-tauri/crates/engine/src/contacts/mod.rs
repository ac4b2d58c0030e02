//! Address completion's address book: who you write to and who writes to you, learned
//! from mail, ranked, and found by any word of a name or address whatever its accents.
//!
//! Decisions:
//! - **What is learned** (`learn`): the recipients of what you send (strongest), the
//!   senders of what you receive, more for those you answered. Never mailing lists'
//!   senders, mailer daemons and no-reply addresses, drafts or junk.
//! - **Ranking** (`rank`): sent 5, replied-to 3, received 1, each halved every 90 days;
//!   kept as one indexed number, so completion sorts without computing anything.
//! - **When**: a message you send teaches when it is queued (so a send from Compose or the
//!   CLI counts at once, whatever the server then does); the cache is read after every
//!   sync and watch round, from where the last read stopped.
//! - **Existing mailboxes**: the first read of an account (after an upgrade, or a new
//!   account's first sync) takes its newest 10,000 cached messages by date, not the whole
//!   history: enough to know who matters, bounded in time on a 100,000-message cache.
//! - **Forgetting**: a forgotten address disappears at once, keeps no counts, and is not
//!   learned again from mail received or read from the cache; only a message you write to
//!   it afterwards brings it back (you chose it again). Forgetting an address never seen
//!   makes sure it is never learned from received mail.
//! - **One address book** for all accounts: people do not belong to an account.
//! - **Search** (`fold`): each word typed must start a word of the name or address
//!   ("dup" finds Jean Dupont, "zoe" finds Zoë), through an index of folded words; at
//!   10,000 contacts a query is one index range per word and a sort of the matches.

pub mod fold;
pub mod learn;
pub mod rank;
#[cfg(test)]
mod tests;

use crate::api::{Account, Contact, Draft};
use crate::engine::Engine;
use crate::error::Result;
use crate::store::contacts::ContactRow;
use crate::store::Store;

/// How many of an account's newest messages the first read takes.
const BACKFILL: u32 = 10_000;
/// Messages read per store round trip after that.
const BATCH: u32 = 2_000;
/// Most suggestions asked at once.
const MAX_LIMIT: u32 = 200;

impl Engine {
    /// The contacts whose name or address has a word starting with each word of `query`
    /// (accents and case aside), best first; an empty query lists the best.
    pub async fn contacts(&self, query: &str, limit: u32) -> Result<Vec<Contact>> {
        let words = fold::query_words(query);
        let limit = limit.clamp(1, MAX_LIMIT);
        let now = self.now();
        let rows = self
            .blocking(move |s| s.contacts_matching(&words, limit))
            .await?;
        Ok(rows.into_iter().map(|row| contact(row, now)).collect())
    }

    /// Forgets an address (see the module doc); returns whether it was a contact.
    pub async fn forget_contact(&self, address: &str) -> Result<bool> {
        let address = address.trim().to_lowercase();
        self.blocking(move |s| s.forget_contact(&address, s.now()))
            .await
    }

    /// Reads every account's mail cached since the last read (the CLI's `contacts` does,
    /// the app's syncs and watches do it as they go).
    pub async fn learn_contacts(&self) -> Result<usize> {
        let mut learned = 0;
        for account in self.accounts().await? {
            learned += self.learn_account_contacts(&account).await?;
        }
        Ok(learned)
    }

    /// Reads the account's mail cached since the last read; returns the events learned.
    pub(crate) async fn learn_account_contacts(&self, account: &Account) -> Result<usize> {
        let id = account.id;
        self.blocking(move |s| scan(s, id)).await
    }

    /// After a sync: learning is a convenience, a failure is logged and never ends a sync.
    pub(crate) async fn learn_contacts_quietly(&self, account: &Account) {
        if let Err(e) = self.learn_account_contacts(account).await {
            tracing::warn!("learning contacts from {}'s mail: {e}", account.email);
        }
    }

    /// The recipients of a message being sent; a failure never stops the send.
    pub(crate) async fn learn_sent_quietly(&self, draft: &Draft) {
        let events = learn::from_draft(draft, self.now());
        let result = self
            .blocking(move |s| s.learn_contacts(&events, rank::combine))
            .await;
        if let Err(e) = result {
            tracing::warn!("learning the recipients of a sent message: {e}");
        }
    }
}

/// Reads the account's mail past the mark (the newest 10,000 the first time).
fn scan(s: &Store, account_id: i64) -> Result<usize> {
    let own = own_addresses(s)?;
    let newest = s.newest_message_id()?;
    let Some(mut after) = s.contact_scan_mark(account_id)? else {
        let learned = learn_batch(s, &s.contact_backfill(account_id, BACKFILL)?, &own)?;
        s.set_contact_scanned(account_id, newest)?;
        return Ok(learned);
    };
    let mut learned = 0;
    loop {
        let batch = s.contact_scan_after(account_id, after, BATCH)?;
        let Some(last) = batch.last().map(|m| m.id) else {
            break;
        };
        learned += learn_batch(s, &batch, &own)?;
        after = last;
    }
    s.set_contact_scanned(account_id, newest.max(after))?;
    Ok(learned)
}

fn learn_batch(
    s: &Store,
    batch: &[crate::store::contacts::Scanned],
    own: &[String],
) -> Result<usize> {
    let events: Vec<_> = batch
        .iter()
        .flat_map(|m| learn::from_message(m, own))
        .collect();
    s.learn_contacts(&events, rank::combine)?;
    Ok(events.len())
}

/// Every account's address and identity, lower-cased.
fn own_addresses(s: &Store) -> Result<Vec<String>> {
    Ok(s.accounts()?
        .into_iter()
        .flat_map(|a| {
            let identities = a.identities.into_iter().map(|i| i.email);
            std::iter::once(a.email)
                .chain(identities)
                .collect::<Vec<_>>()
        })
        .map(|e| e.trim().to_lowercase())
        .collect())
}

fn contact(row: ContactRow, now: i64) -> Contact {
    Contact {
        score: rank::score_at(row.rank, now),
        address: row.address,
        name: row.name,
        sent: row.sent,
        replied: row.replied,
        received: row.received,
        last_at: row.last_at,
    }
}
