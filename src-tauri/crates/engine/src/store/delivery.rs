//! The delivery ledger's tables (migration 018): reports found in synced mail, their
//! recipients' fates, and how far each account's mail has been read for them. The values
//! are plain (actions as words); `delivery` reads reports and says what they mean.

use rusqlite::{params, OptionalExtension, Row};

use super::Store;
use crate::error::{Context, Result};

/// A message that may be a report: its cache id, bytes, and what links it to a sent one.
pub struct Candidate {
    pub id: i64,
    pub raw: Vec<u8>,
    pub in_reply_to: Option<String>,
    pub refs: String,
    pub date: i64,
}

/// A report as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub message_id: i64,
    pub account_id: i64,
    pub outbox_id: Option<i64>,
    pub matched_by: Option<String>,
    pub format: String,
    pub reporting_mta: Option<String>,
    pub original_message_id: Option<String>,
    pub original_subject: Option<String>,
    pub reported_at: i64,
}

/// One recipient's line in a kept report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FateRow {
    pub address: String,
    pub action: String,
    pub status: Option<String>,
    pub remote_mta: Option<String>,
    pub diagnostic: Option<String>,
}

/// Who writes reports: mailer daemons and postmasters, or the null sender; and the
/// subjects they use. Everything else is not read at all (a sync of 100,000 messages
/// must not parse each one twice).
const LOOKS_LIKE_A_REPORT: &str = "(lower(m.from_addr) LIKE 'mailer-daemon@%'
      OR lower(m.from_addr) LIKE 'postmaster@%'
      OR lower(m.from_addr) LIKE 'mail-daemon@%'
      OR m.from_addr = ''
      OR lower(m.subject) LIKE '%delivery status notification%'
      OR lower(m.subject) LIKE '%undeliver%'
      OR lower(m.subject) LIKE '%delivery failure%'
      OR lower(m.subject) LIKE '%failure notice%'
      OR lower(m.subject) LIKE '%returned mail%'
      OR lower(m.subject) LIKE '%delivery has failed%'
      OR lower(m.subject) LIKE '%delayed mail%'
      OR lower(m.subject) LIKE '%warning: could not send message%')";

impl Store {
    /// Cached messages with bodies after `after` that may be reports, oldest first.
    pub fn delivery_candidates(
        &self,
        account_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Candidate>> {
        let sql = format!(
            "SELECT m.id, b.raw, m.in_reply_to, m.refs, m.date FROM messages m
             JOIN bodies b ON b.message_id = m.id
             WHERE m.account_id = ?1 AND m.id > ?2 AND m.has_body = 1 AND {LOOKS_LIKE_A_REPORT}
             ORDER BY m.id LIMIT ?3"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql).context("finding delivery reports")?;
        let rows = stmt
            .query_map(params![account_id, after, limit], |r| {
                Ok(Candidate {
                    id: r.get(0)?,
                    raw: r.get(1)?,
                    in_reply_to: r.get(2)?,
                    refs: r.get(3)?,
                    date: r.get(4)?,
                })
            })
            .context("finding delivery reports")?;
        rows.collect::<rusqlite::Result<_>>()
            .context("finding delivery reports")
    }

    /// The largest cache id read for reports so far, and the largest there is now in the
    /// whole cache (the rowid's maximum, read at once: the account's own would scan the
    /// table, tens of milliseconds on every sync at 100,000 messages; the candidates
    /// query reads the account's messages past the mark whatever it is).
    pub fn delivery_scan_range(&self, account_id: i64) -> Result<(i64, i64)> {
        self.conn()
            .query_row(
                "SELECT (SELECT last_message_id FROM delivery_scans WHERE account_id = ?1),
                        (SELECT max(id) FROM messages)",
                [account_id],
                |r| {
                    Ok((
                        r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                        r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    ))
                },
            )
            .context("reading how far reports were looked for")
    }

    pub fn set_delivery_scanned(&self, account_id: i64, up_to: i64) -> Result<()> {
        self.conn()
            .execute(
                "INSERT INTO delivery_scans (account_id, last_message_id) VALUES (?1, ?2)
                 ON CONFLICT (account_id) DO UPDATE SET last_message_id = excluded.last_message_id",
                params![account_id, up_to],
            )
            .context("recording how far reports were looked for")?;
        Ok(())
    }

    /// The outbox message of this account with this Message-ID (bare, as the outbox keeps
    /// it), if it is one.
    pub fn outbox_by_message_id(&self, account_id: i64, message_id: &str) -> Result<Option<i64>> {
        self.conn()
            .query_row(
                "SELECT id FROM outbox WHERE account_id = ?1 AND message_id = ?2",
                params![account_id, message_id],
                |r| r.get(0),
            )
            .optional()
            .context("matching a report to the outbox")
    }

    /// Keeps a report and its recipients (again: the newer reading replaces the older).
    pub fn save_delivery_report(&self, report: &ReportRow, fates: &[FateRow]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction().context("saving a delivery report")?;
        tx.execute(
            "DELETE FROM delivery_reports WHERE message_id = ?1",
            [report.message_id],
        )
        .context("replacing a delivery report")?;
        tx.execute(
            "INSERT INTO delivery_reports (message_id, account_id, outbox_id, matched_by, format,
                 reporting_mta, original_message_id, original_subject, reported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                report.message_id,
                report.account_id,
                report.outbox_id,
                report.matched_by,
                report.format,
                report.reporting_mta,
                report.original_message_id,
                report.original_subject,
                report.reported_at
            ],
        )
        .context("saving a delivery report")?;
        for f in fates {
            tx.execute(
                "INSERT OR REPLACE INTO delivery_fates (report_id, address, action, status, remote_mta, diagnostic)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![report.message_id, f.address, f.action, f.status, f.remote_mta, f.diagnostic],
            )
            .context("saving a recipient's fate")?;
        }
        tx.commit().context("saving a delivery report")
    }

    /// Reports kept: all of them (newest first, at most `limit`), those about one outbox
    /// message, or the one a cached message is.
    pub fn delivery_reports(
        &self,
        filter: ReportFilter,
        limit: u32,
    ) -> Result<Vec<(ReportRow, Vec<FateRow>)>> {
        let (clause, value) = match filter {
            ReportFilter::All => ("1 = 1 OR ?1 IS NULL", None),
            ReportFilter::Outbox(id) => ("outbox_id = ?1", Some(id)),
            ReportFilter::Message(id) => ("message_id = ?1", Some(id)),
        };
        let sql = format!(
            "SELECT message_id, account_id, outbox_id, matched_by, format, reporting_mta,
                    original_message_id, original_subject, reported_at
             FROM delivery_reports WHERE {clause} ORDER BY reported_at DESC, message_id DESC LIMIT ?2"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql).context("reading delivery reports")?;
        let reports: Vec<ReportRow> = stmt
            .query_map(params![value, limit], report_row)
            .context("reading delivery reports")?
            .collect::<rusqlite::Result<_>>()
            .context("reading delivery reports")?;
        drop(stmt);
        let mut fates = conn
            .prepare("SELECT address, action, status, remote_mta, diagnostic FROM delivery_fates WHERE report_id = ?1 ORDER BY address")
            .context("reading recipients' fates")?;
        let mut out = Vec::with_capacity(reports.len());
        for report in reports {
            let rows = fates
                .query_map([report.message_id], fate_row)
                .context("reading recipients' fates")?
                .collect::<rusqlite::Result<_>>()
                .context("reading recipients' fates")?;
            out.push((report, rows));
        }
        Ok(out)
    }
}

/// Which reports to read.
#[derive(Debug, Clone, Copy)]
pub enum ReportFilter {
    All,
    Outbox(i64),
    Message(i64),
}

fn report_row(r: &Row) -> rusqlite::Result<ReportRow> {
    Ok(ReportRow {
        message_id: r.get(0)?,
        account_id: r.get(1)?,
        outbox_id: r.get(2)?,
        matched_by: r.get(3)?,
        format: r.get(4)?,
        reporting_mta: r.get(5)?,
        original_message_id: r.get(6)?,
        original_subject: r.get(7)?,
        reported_at: r.get(8)?,
    })
}

fn fate_row(r: &Row) -> rusqlite::Result<FateRow> {
    Ok(FateRow {
        address: r.get(0)?,
        action: r.get(1)?,
        status: r.get(2)?,
        remote_mta: r.get(3)?,
        diagnostic: r.get(4)?,
    })
}
