//! The engine's side of the ledger: after each sync, the account's new mail that looks
//! like a report (from a mailer daemon or a postmaster, or with a bounce's subject) is
//! read; each report found is matched to the outbox message it is about and kept.
//!
//! Matching, most certain first: the envelope id we gave (`ENVID`, the Message-ID,
//! returned as `Original-Envelope-Id`), the returned original's Message-ID, then the
//! report's own `In-Reply-To`/`References`. A report that matches nothing is kept too and
//! shown as what it is; it just links to no sent message.

use super::{read, words, Action, Fate, Report};
use crate::api::{Account, DeliveryFate, DeliveryReport};
use crate::engine::Engine;
use crate::error::Result;
use crate::store::delivery::{Candidate, FateRow, ReportFilter, ReportRow};
use crate::store::Store;

/// How a report was tied to a sent message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    EnvelopeId,
    MessageId,
    References,
}

impl MatchedBy {
    fn as_str(self) -> &'static str {
        match self {
            MatchedBy::EnvelopeId => "envelope_id",
            MatchedBy::MessageId => "message_id",
            MatchedBy::References => "references",
        }
    }
}

/// Candidates read per store round trip.
const BATCH: u32 = 200;

impl Engine {
    /// Reads the account's mail synced since the last time for delivery reports; returns
    /// how many were found.
    pub(crate) async fn read_delivery_reports(&self, account: &Account) -> Result<usize> {
        let id = account.id;
        self.blocking(move |s| scan(s, id)).await
    }

    /// The reports found in every account's mail, newest first.
    pub async fn delivery_reports(&self, limit: u32) -> Result<Vec<DeliveryReport>> {
        self.blocking(move |s| views(s, ReportFilter::All, limit))
            .await
    }

    /// What reports said of an outbox message's recipients after it was accepted: each
    /// recipient's latest fate.
    pub async fn later_fates(&self, outbox_id: i64) -> Result<Vec<DeliveryFate>> {
        self.blocking(move |s| later_fates(s, outbox_id)).await
    }

    /// The report a cached message is, if it is one.
    pub async fn delivery_report(&self, message_id: i64) -> Result<Option<DeliveryReport>> {
        let filter = ReportFilter::Message(message_id);
        self.blocking(move |s| Ok(views(s, filter, 1)?.pop())).await
    }
}

fn scan(s: &Store, account_id: i64) -> Result<usize> {
    let (mut after, newest) = s.delivery_scan_range(account_id)?;
    let mut found = 0;
    loop {
        let batch = s.delivery_candidates(account_id, after, BATCH)?;
        let Some(last) = batch.last().map(|c| c.id) else {
            break;
        };
        for candidate in batch {
            // mail-parser is third-party code reading a stranger's bytes: a panic in it
            // makes this message "no report", never a failed sync or a stuck scan.
            let raw = &candidate.raw;
            if let Some(report) = std::panic::catch_unwind(|| read(raw)).ok().flatten() {
                keep(s, account_id, &candidate, report)?;
                found += 1;
            }
        }
        after = last;
    }
    s.set_delivery_scanned(account_id, newest.max(after))?;
    Ok(found)
}

fn keep(s: &Store, account_id: i64, candidate: &Candidate, report: Report) -> Result<()> {
    let matched = matching(s, account_id, candidate, &report)?;
    let row = ReportRow {
        message_id: candidate.id,
        account_id,
        outbox_id: matched.map(|(id, _)| id),
        matched_by: matched.map(|(_, by)| by.as_str().to_owned()),
        format: report.format.clone(),
        reporting_mta: report.reporting_mta.clone(),
        original_message_id: report.original_message_id.clone(),
        original_subject: report.original_subject.clone(),
        reported_at: candidate.date,
    };
    let fates: Vec<FateRow> = report
        .recipients
        .into_iter()
        .map(|f| FateRow {
            address: f.address,
            action: f.action.as_str().to_owned(),
            status: f.status,
            remote_mta: f.remote_mta,
            diagnostic: f.diagnostic,
        })
        .collect();
    tracing::info!(
        target: "courriel_engine::delivery",
        "delivery report {} ({}), about outbox message {:?}",
        candidate.id,
        row.format,
        row.outbox_id
    );
    s.save_delivery_report(&row, &fates)
}

fn matching(
    s: &Store,
    account_id: i64,
    candidate: &Candidate,
    report: &Report,
) -> Result<Option<(i64, MatchedBy)>> {
    // The outbox keeps Message-IDs bare, as ENVID carries them.
    let bare = |id: &str| id.trim().trim_matches(['<', '>']).to_owned();
    let mut tries: Vec<(String, MatchedBy)> = Vec::new();
    if let Some(envid) = &report.envelope_id {
        tries.push((bare(envid), MatchedBy::EnvelopeId));
    }
    if let Some(id) = &report.original_message_id {
        tries.push((bare(id), MatchedBy::MessageId));
    }
    let linked = candidate.in_reply_to.iter().map(String::as_str);
    for id in linked.chain(candidate.refs.split_whitespace()).take(20) {
        tries.push((bare(id), MatchedBy::References));
    }
    for (id, by) in tries {
        if let Some(outbox) = s.outbox_by_message_id(account_id, &id)? {
            return Ok(Some((outbox, by)));
        }
    }
    Ok(None)
}

/// Each recipient's latest fate in the reports about one outbox message.
pub(crate) fn later_fates(s: &Store, outbox_id: i64) -> Result<Vec<DeliveryFate>> {
    let mut latest: Vec<DeliveryFate> = Vec::new();
    for report in views(s, ReportFilter::Outbox(outbox_id), 100)? {
        for fate in report.recipients {
            // Reports come newest first: the first one seen for an address is its latest.
            if !latest.iter().any(|f| f.address == fate.address) {
                latest.push(fate);
            }
        }
    }
    Ok(latest)
}

fn views(s: &Store, filter: ReportFilter, limit: u32) -> Result<Vec<DeliveryReport>> {
    let mut out = Vec::new();
    for (row, fates) in s.delivery_reports(filter, limit)? {
        let accepted_at = match row.outbox_id {
            Some(id) => s.attempts(id)?.iter().filter_map(|a| a.ended_at).max(),
            None => None,
        };
        let recipients = fates
            .into_iter()
            .map(|f| fate_view(&row, f, accepted_at))
            .collect();
        out.push(DeliveryReport {
            report_id: row.message_id,
            account_email: s.account(row.account_id)?.email,
            outbox_id: row.outbox_id,
            matched_by: row.matched_by,
            format: row.format,
            original_message_id: row.original_message_id,
            original_subject: row.original_subject,
            recipients,
        });
    }
    Ok(out)
}

fn fate_view(row: &ReportRow, f: FateRow, accepted_at: Option<i64>) -> DeliveryFate {
    let action = Action::parse(&f.action).unwrap_or(Action::Failed);
    let fate = Fate {
        address: f.address,
        action,
        status: f.status,
        remote_mta: f.remote_mta,
        diagnostic: f.diagnostic,
    };
    DeliveryFate {
        headline: words::headline(row.original_subject.as_deref(), &fate),
        explanation: words::fate_words(&fate),
        action,
        address: fate.address,
        status: fate.status,
        remote_mta: fate.remote_mta,
        diagnostic: fate.diagnostic,
        reporting_mta: row.reporting_mta.clone(),
        reported_at: row.reported_at,
        after_accepted: accepted_at.map(|at| (row.reported_at - at).max(0)),
        report_id: row.message_id,
    }
}
