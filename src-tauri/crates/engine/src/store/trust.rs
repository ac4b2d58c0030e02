//! What the sender checks (`trust/`) keep and read: cached verdicts, the provider's
//! authserv-id (configured or learned), the Authentication-Results of messages, and what
//! the user's own mail says (whom they write to, the DKIM signatures of what they sent).
//! SQL only; the judging is `trust`'s.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{Context, Result};

impl Store {
    /// The Authentication-Results headers kept for a message.
    pub fn auth_results(&self, id: i64) -> Result<String> {
        self.conn()
            .query_row(
                "SELECT auth_results FROM messages WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .context("reading a message's headers")
    }

    /// A message's cached verdict (JSON), if one of `version` is cached.
    pub fn trust_verdict(&self, id: i64, version: i64) -> Result<Option<String>> {
        let row: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT version, verdict FROM message_trust WHERE message_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .context("reading a message's trust")?;
        Ok(row.filter(|(v, _)| *v == version).map(|(_, json)| json))
    }

    pub fn save_trust_verdict(&self, id: i64, version: i64, json: &str, at: i64) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO message_trust (message_id, version, verdict, checked_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (message_id) DO UPDATE SET version = excluded.version,
                     verdict = excluded.verdict, checked_at = excluded.checked_at",
                params![id, version, json, at],
            )
            .context("saving a message's trust")?;
        Ok(())
    }

    /// Believe only this authserv-id for the account (`None`: clear it); the account's
    /// cached verdicts go, to be judged again.
    pub fn set_authserv_id(&self, account_id: i64, authserv_id: Option<&str>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE accounts SET authserv_id = ?2 WHERE id = ?1",
            params![account_id, authserv_id],
        )?;
        tx.execute(
            "DELETE FROM message_trust WHERE message_id IN
                 (SELECT id FROM messages WHERE account_id = ?1)",
            [account_id],
        )?;
        tx.commit().context("saving the provider's authserv-id")
    }

    /// The account's authserv-ids: (configured, learned).
    pub fn authserv_ids(&self, account_id: i64) -> Result<(Option<String>, Option<String>)> {
        self.conn()
            .query_row(
                "SELECT authserv_id, authserv_id_learned FROM accounts WHERE id = ?1",
                [account_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .context("reading the account's authserv-id")
    }

    pub fn set_learned_authserv_id(&self, account_id: i64, id: &str) -> Result<()> {
        self.conn()
            .execute(
                "UPDATE accounts SET authserv_id_learned = ?2 WHERE id = ?1",
                params![account_id, id],
            )
            .context("saving the learned authserv-id")?;
        Ok(())
    }

    /// Authentication-Results of the account's oldest INBOX messages that have some.
    pub fn inbox_auth_results(&self, account_id: i64, limit: u32) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.auth_results FROM messages m JOIN folders f ON f.id = m.folder_id
             WHERE m.account_id = ?1 AND f.role = 'inbox' AND m.auth_results != ''
             ORDER BY m.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![account_id, limit], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading Authentication-Results")
    }

    /// The raw bodies of the latest messages sent from `domain` (their DKIM selectors).
    pub fn sent_from_domain(&self, domain: &str, limit: u32) -> Result<Vec<Vec<u8>>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT b.raw FROM messages m JOIN folders f ON f.id = m.folder_id
                 JOIN bodies b ON b.message_id = m.id
             WHERE f.role = 'sent' AND m.has_body = 1 AND lower(m.from_addr) LIKE '%@' || ?1
             ORDER BY m.date DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![domain, limit], |r| r.get::<_, Vec<u8>>(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading sent mail")
    }

    /// The To and Cc lines of the latest `limit` sent messages.
    pub fn sent_recipients(&self, limit: u32) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            // `date + 0`: sort the Sent folders' rows (found by folder) rather than walk
            // the whole mailbox down the date index looking for them.
            "SELECT to_addrs, cc_addrs FROM messages
             WHERE folder_id IN (SELECT id FROM folders WHERE role = 'sent')
             ORDER BY date + 0 DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading whom you write to")
    }

    /// The addresses (lowercase) that sent one of the latest `limit` messages as `name`.
    pub fn senders_named(&self, name: &str, limit: u32) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT lower(from_addr) FROM
                 (SELECT from_addr, from_name FROM messages ORDER BY date DESC LIMIT ?2)
             WHERE from_name = ?1 COLLATE NOCASE",
        )?;
        let rows = stmt.query_map(params![name, limit], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading senders by name")
    }

    /// The received copy of a message (an INBOX one first), not a Sent or Drafts one.
    pub fn received_copy(&self, account_id: i64, message_id: &str) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id
                 WHERE m.account_id = ?1 AND m.message_id = ?2
                     AND coalesce(f.role, '') NOT IN ('sent', 'drafts')
                 ORDER BY f.role = 'inbox' DESC LIMIT 1",
                params![account_id, message_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .context("looking for the test message")
    }
}
