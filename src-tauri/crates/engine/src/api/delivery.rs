//! What happened after "accepted": delivery reports read from synced mail (`delivery`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Words;

/// What a report says happened to a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryAction {
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
}

impl DeliveryAction {
    /// The word a report (RFC 3464 `Action:`) and the store use.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryAction::Failed => "failed",
            DeliveryAction::Delayed => "delayed",
            DeliveryAction::Delivered => "delivered",
            DeliveryAction::Relayed => "relayed",
            DeliveryAction::Expanded => "expanded",
        }
    }

    pub fn parse(word: &str) -> Option<DeliveryAction> {
        match word.trim().to_ascii_lowercase().as_str() {
            "failed" => Some(DeliveryAction::Failed),
            "delayed" => Some(DeliveryAction::Delayed),
            "delivered" => Some(DeliveryAction::Delivered),
            "relayed" => Some(DeliveryAction::Relayed),
            "expanded" => Some(DeliveryAction::Expanded),
            _ => None,
        }
    }
}

/// One recipient's fate, as a report told it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryFate {
    pub address: String,
    pub action: DeliveryAction,
    /// RFC 3463 status, e.g. "5.2.2".
    pub status: Option<String>,
    pub remote_mta: Option<String>,
    /// The remote server's own words.
    pub diagnostic: Option<String>,
    /// Who reported it (the server still trying, for a delay).
    pub reporting_mta: Option<String>,
    /// When the report was written (unix seconds).
    #[ts(type = "number")]
    pub reported_at: i64,
    /// Seconds between the submission server's acceptance and the report, when known.
    #[ts(type = "number | null")]
    pub after_accepted: Option<i64>,
    /// "Your message 'Budget' to bob@… could not be delivered".
    pub headline: Words,
    /// The cause and what to do.
    pub explanation: Words,
    /// The report message in the cache (to open it).
    #[ts(type = "number")]
    pub report_id: i64,
}

/// A delivery report found in the mail, with what it was matched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryReport {
    /// The report message in the cache.
    #[ts(type = "number")]
    pub report_id: i64,
    pub account_email: String,
    /// The outbox message it is about, when matched.
    #[ts(type = "number | null")]
    pub outbox_id: Option<i64>,
    /// How it was matched: "envelope_id", "message_id" or "references".
    pub matched_by: Option<String>,
    /// The report's format: "rfc3464", "exim", "qmail", "yahoo", "gmail", "sendmail".
    pub format: String,
    pub original_message_id: Option<String>,
    pub original_subject: Option<String>,
    pub recipients: Vec<DeliveryFate>,
}
