//! The address book completion draws on (migration 019): contacts with their counts, a
//! rank and their search terms; and how far each account's mail has been read for them.
//! What counts and how much is the `contacts` module's business: it hands in events with
//! their points and terms, and the function that adds points.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::Store;
use crate::error::{Context, Result};

/// What happened with an address (counted per contact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Sent,
    Replied,
    Received,
}

/// One thing learned about an address.
#[derive(Debug, Clone)]
pub struct Learned {
    /// Lower-cased.
    pub address: String,
    /// As the message gave it; may be empty.
    pub name: String,
    pub event: Event,
    pub at: i64,
    /// The event's points, in the rank's terms.
    pub points: f64,
    /// The words the contact is found by, for this name and address.
    pub terms: Vec<String>,
}

/// A contact as completion shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactRow {
    pub address: String,
    pub name: String,
    pub sent: u32,
    pub replied: u32,
    pub received: u32,
    pub last_at: i64,
    pub rank: f64,
}

/// A cached message as learning reads it.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    pub id: i64,
    pub folder_role: Option<String>,
    pub from_name: Option<String>,
    pub from_addr: String,
    pub to_addrs: String,
    pub cc_addrs: String,
    pub has_list_id: bool,
    pub answered: bool,
    /// Sent from this machine (its Message-ID is in the outbox): learned when queued.
    pub in_outbox: bool,
    pub date: i64,
}

/// Adds an event's points to a rank.
pub type Combine = fn(f64, f64) -> f64;

const SCANNED: &str = "SELECT m.id, f.role, m.from_name, m.from_addr, m.to_addrs, m.cc_addrs,
        m.list_id IS NOT NULL AND m.list_id != '',
        (' ' || m.flags || ' ') LIKE '% \\Answered %',
        m.message_id IS NOT NULL AND EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = m.message_id),
        m.date
    FROM messages m JOIN folders f ON f.id = m.folder_id";

impl Store {
    /// Learns these events in one transaction.
    pub fn learn_contacts(&self, events: &[Learned], combine: Combine) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().context("learning contacts")?;
        for event in events {
            learn_one(&tx, event, combine)
                .with_context(|| format!("learning the contact {}", event.address))?;
        }
        tx.commit().context("learning contacts")
    }

    /// The contacts found by every one of `words` (each a prefix of one of their terms),
    /// best first; with no words, the best of all.
    pub fn contacts_matching(&self, words: &[String], limit: u32) -> Result<Vec<ContactRow>> {
        let conn = self.conn();
        let (sql, values) = matching_sql(words, narrowest(&conn, words)?, limit);
        let mut stmt = conn.prepare_cached(&sql).context("finding contacts")?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok(ContactRow {
                    address: r.get(0)?,
                    name: r.get(1)?,
                    sent: r.get(2)?,
                    replied: r.get(3)?,
                    received: r.get(4)?,
                    last_at: r.get(5)?,
                    rank: r.get(6)?,
                })
            })
            .context("finding contacts")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("finding contacts")
    }

    /// How SQLite runs `contacts_matching` (tests check it uses the indexes).
    #[cfg(test)]
    pub fn contact_query_plan(&self, words: &[String]) -> Result<String> {
        let conn = self.conn();
        let (sql, values) = matching_sql(words, narrowest(&conn, words)?, 10);
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            r.get::<_, String>(3)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
    }

    /// Forgets an address: what was learned goes, and only mail written to it after `now`
    /// brings it back. Returns whether it was a contact.
    pub fn forget_contact(&self, address: &str, now: i64) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction().context("forgetting a contact")?;
        let known = contact_id(&tx, address)?
            .map(|(_, forgotten)| forgotten.is_none())
            .unwrap_or(false);
        tx.execute(
            "INSERT INTO contacts (address, forgotten_at) VALUES (?1, ?2)
             ON CONFLICT (address) DO UPDATE SET name = '', name_sent = 0, sent = 0,
                 replied = 0, received = 0, rank = 0, forgotten_at = excluded.forgotten_at",
            params![address, now],
        )
        .context("forgetting a contact")?;
        tx.execute(
            "DELETE FROM contact_terms WHERE contact_id = (SELECT id FROM contacts WHERE address = ?1)",
            [address],
        )
        .context("forgetting a contact's words")?;
        tx.commit().context("forgetting a contact")?;
        Ok(known)
    }

    /// Where reading the account's mail for contacts resumes: after this cache id, or
    /// `None` when it never was (the backfill comes first).
    pub fn contact_scan_mark(&self, account_id: i64) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                "SELECT last_message_id FROM contact_scans WHERE account_id = ?1",
                [account_id],
                |r| r.get(0),
            )
            .optional()
            .context("reading how far contacts were learned")
    }

    pub fn set_contact_scanned(&self, account_id: i64, up_to: i64) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO contact_scans (account_id, last_message_id) VALUES (?1, ?2)
                 ON CONFLICT (account_id) DO UPDATE SET last_message_id = excluded.last_message_id",
                params![account_id, up_to],
            )
            .context("recording how far contacts were learned")?;
        Ok(())
    }

    /// The largest cache id there is (0 when empty).
    pub fn newest_message_id(&self) -> Result<i64> {
        self.conn()
            .query_row("SELECT coalesce(max(id), 0) FROM messages", [], |r| {
                r.get(0)
            })
            .context("reading the newest cache id")
    }

    /// The account's `limit` newest messages by date: what the first learning reads.
    pub fn contact_backfill(&self, account_id: i64, limit: u32) -> Result<Vec<Scanned>> {
        let sql = format!("{SCANNED} WHERE m.account_id = ?1 ORDER BY m.date DESC LIMIT ?2");
        self.scanned(&sql, params![account_id, limit])
    }

    /// The account's messages cached after `after`, oldest first, at most `limit`.
    pub fn contact_scan_after(
        &self,
        account_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Scanned>> {
        let sql = format!("{SCANNED} WHERE m.id > ?2 AND m.account_id = ?1 ORDER BY m.id LIMIT ?3");
        self.scanned(&sql, params![account_id, after, limit])
    }

    fn scanned(&self, sql: &str, values: impl rusqlite::Params) -> Result<Vec<Scanned>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(sql)
            .context("reading mail for contacts")?;
        let rows = stmt
            .query_map(values, |r| {
                Ok(Scanned {
                    id: r.get(0)?,
                    folder_role: r.get(1)?,
                    from_name: r.get(2)?,
                    from_addr: r.get(3)?,
                    to_addrs: r.get(4)?,
                    cc_addrs: r.get(5)?,
                    has_list_id: r.get(6)?,
                    answered: r.get(7)?,
                    in_outbox: r.get(8)?,
                    date: r.get(9)?,
                })
            })
            .context("reading mail for contacts")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading mail for contacts")
    }
}

/// A word matching fewer contacts than this drives the search from its terms; when every
/// word matches more, walking contacts best first finds the few wanted sooner.
const NARROW: u32 = 400;

/// The word matching the fewest contacts, if one matches fewer than [`NARROW`]. Counting
/// stops at the bound: one short index range per word.
fn narrowest(conn: &Connection, words: &[String]) -> Result<Option<usize>> {
    let mut best: Option<(usize, u32)> = None;
    for (i, word) in words.iter().enumerate() {
        let n: u32 = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM contact_terms
                 WHERE term >= ?1 AND term < ?2 LIMIT ?3)",
            )?
            .query_row(params![word, above(word), NARROW], |r| r.get(0))
            .context("counting contacts")?;
        if n < NARROW && best.is_none_or(|(_, fewest)| n < fewest) {
            best = Some((i, n));
        }
    }
    Ok(best.map(|(i, _)| i))
}

/// The query for `contacts_matching`: from the `driver` word's index range when there is
/// one, else down the rank index; every other word an index seek on the contact's terms.
fn matching_sql(words: &[String], driver: Option<usize>, limit: u32) -> (String, Vec<String>) {
    const COLUMNS: &str = "c.address, c.name, c.sent, c.replied, c.received, c.last_at, c.rank";
    let mut values: Vec<String> = Vec::new();
    let mut sql = match driver {
        Some(i) => {
            values.extend([words[i].clone(), above(&words[i])]);
            format!(
                "SELECT DISTINCT {COLUMNS} FROM contact_terms t CROSS JOIN contacts c
                 ON c.id = t.contact_id WHERE t.term >= ?1 AND t.term < ?2
                 AND c.forgotten_at IS NULL"
            )
        }
        None => format!(
            "SELECT {COLUMNS} FROM contacts c INDEXED BY contacts_by_rank
             WHERE c.forgotten_at IS NULL"
        ),
    };
    for (i, word) in words.iter().enumerate().filter(|(i, _)| Some(*i) != driver) {
        let n = values.len();
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM contact_terms x WHERE x.contact_id = c.id
               AND x.term >= ?{} AND x.term < ?{})",
            n + 1,
            n + 2
        ));
        values.extend([words[i].clone(), above(word)]);
    }
    sql.push_str(&format!(" ORDER BY c.rank DESC LIMIT {limit}"));
    (sql, values)
}

/// Above every string that starts with `word`: it followed by the highest code point.
fn above(word: &str) -> String {
    format!("{word}\u{10FFFF}")
}

/// The contact's id and when it was forgotten, if it is one.
fn contact_id(tx: &Transaction<'_>, address: &str) -> Result<Option<(i64, Option<i64>)>> {
    Ok(tx
        .prepare_cached("SELECT id, forgotten_at FROM contacts WHERE address = ?1")?
        .query_row([address], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn learn_one(tx: &Transaction<'_>, e: &Learned, combine: Combine) -> Result<()> {
    match contact_id(tx, &e.address)? {
        None => {
            tx.prepare_cached("INSERT INTO contacts (address, rank) VALUES (?1, ?2)")?
                .execute(params![e.address, e.points])?;
            start_over(tx, tx.last_insert_rowid(), e)
        }
        // Forgotten: only mail written to it since brings it back, as if new.
        Some((id, Some(forgotten_at))) => match e.event == Event::Sent && e.at > forgotten_at {
            true => start_over(tx, id, e),
            false => Ok(()),
        },
        Some((id, None)) => add(tx, id, e, combine),
    }
}

/// The contact as this one event makes it.
fn start_over(tx: &Transaction<'_>, id: i64, e: &Learned) -> Result<()> {
    tx.prepare_cached(
        "UPDATE contacts SET name = '', name_sent = 0, sent = 0, replied = 0, received = 0,
             last_at = ?2, rank = ?3, forgotten_at = NULL WHERE id = ?1",
    )?
    .execute(params![id, e.at, e.points])?;
    count(tx, id, e.event)?;
    rename(tx, id, e)
}

fn add(tx: &Transaction<'_>, id: i64, e: &Learned, combine: Combine) -> Result<()> {
    let (rank, last_at, name_sent): (f64, i64, bool) = tx
        .prepare_cached("SELECT rank, last_at, name_sent FROM contacts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    tx.prepare_cached("UPDATE contacts SET rank = ?2, last_at = max(last_at, ?3) WHERE id = ?1")?
        .execute(params![id, combine(rank, e.points), e.at])?;
    count(tx, id, e.event)?;
    // The name you wrote beats the one a sender gives; a sender's newest name beats older.
    let takes_name = match e.event {
        Event::Sent => true,
        _ => !name_sent && e.at >= last_at,
    };
    match takes_name {
        true => rename(tx, id, e),
        false => Ok(()),
    }
}

fn count(tx: &Transaction<'_>, id: i64, event: Event) -> Result<()> {
    let sql = match event {
        Event::Sent => "UPDATE contacts SET sent = sent + 1 WHERE id = ?1",
        Event::Replied => "UPDATE contacts SET replied = replied + 1 WHERE id = ?1",
        Event::Received => "UPDATE contacts SET received = received + 1 WHERE id = ?1",
    };
    tx.prepare_cached(sql)?.execute([id])?;
    Ok(())
}

/// Takes the event's name, when it has one (or the contact has no words yet), with the
/// words that find it.
fn rename(tx: &Transaction<'_>, id: i64, e: &Learned) -> Result<()> {
    let has_terms: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM contact_terms WHERE contact_id = ?1)")?
        .query_row([id], |r| r.get(0))?;
    if e.name.trim().is_empty() && has_terms {
        return Ok(());
    }
    if !e.name.trim().is_empty() {
        tx.prepare_cached(
            "UPDATE contacts SET name = ?2, name_sent = (name_sent OR ?3) WHERE id = ?1",
        )?
        .execute(params![id, e.name.trim(), e.event == Event::Sent])?;
    }
    tx.prepare_cached("DELETE FROM contact_terms WHERE contact_id = ?1")?
        .execute([id])?;
    for term in &e.terms {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?1, ?2)",
        )?
        .execute(params![term, id])?;
    }
    Ok(())
}
