//! The outbox as the user sees it: each message's state, every recipient's reply and
//! its meaning in plain words, the recorded SMTP conversations.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OutboxState {
    Queued,
    Sending,
    Accepted,
    CopiedToSent,
    Failed,
    Uncertain,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Accepted => "accepted",
            OutboxState::CopiedToSent => "copied_to_sent",
            OutboxState::Failed => "failed",
            OutboxState::Uncertain => "uncertain",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxState> {
        [
            OutboxState::Queued,
            OutboxState::Sending,
            OutboxState::Accepted,
            OutboxState::CopiedToSent,
            OutboxState::Failed,
            OutboxState::Uncertain,
        ]
        .into_iter()
        .find(|state| state.as_str() == s)
    }
}

/// Where one recipient of an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RecipientState {
    /// Not tried yet.
    Pending,
    /// The server took the message for this recipient (a 250: accepted, not delivered).
    Accepted,
    /// Refused for now (4xx): will be retried.
    Deferred,
    /// Refused for good (5xx), or retried until too old.
    Refused,
    /// The link died before the server confirmed: maybe sent. Never resent blindly.
    Uncertain,
}

/// One recipient's state and the server's last word about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecipientResult {
    pub address: String,
    pub state: RecipientState,
    /// The SMTP reply code (250, 550...), 0 before any reply.
    pub code: u16,
    /// The server's text, enhanced status code first when it sent one.
    pub text: String,
}

impl RecipientResult {
    pub fn pending(address: &str) -> Self {
        RecipientResult {
            address: address.to_owned(),
            state: RecipientState::Pending,
            code: 0,
            text: String::new(),
        }
    }

    /// Whether the next attempt should send to this recipient.
    pub fn wants_attempt(&self) -> bool {
        matches!(
            self.state,
            RecipientState::Pending | RecipientState::Deferred
        )
    }
}

/// An outbox message as the user sees it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    #[ts(type = "number")]
    pub outbox_id: i64,
    pub message_id: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub recipients: Vec<RecipientResult>,
    /// Why it failed, is uncertain or waits, in one sentence.
    pub last_error: Option<String>,
    /// When the next try is due (unix seconds), while queued.
    #[ts(type = "number | null")]
    pub next_attempt_at: Option<i64>,
}

/// One step of a recorded SMTP conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// Seconds since the attempt started.
    pub at: f64,
    pub what: String,
}

/// One attempt to send an outbox message, as a timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceAttempt {
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number | null")]
    pub ended_at: Option<i64>,
    /// The state the attempt left the message in; "in progress" while it runs.
    pub outcome: String,
    pub steps: Vec<TraceStep>,
}

/// What one recipient's reply means, in the user's language (common replies only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecipientExplanation {
    pub address: String,
    pub cause: String,
    pub next_step: String,
    pub will_retry: bool,
}

/// An outbox message with its replies explained in plain words.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub report: SendReport,
    /// The account it is sent from.
    pub account_email: String,
    /// The subject, for the list.
    pub subject: String,
    pub explanations: Vec<RecipientExplanation>,
    /// Queued, and held until the user signs the account in again (`needs_signin`).
    pub waits_for_sign_in: bool,
    /// What reports said after acceptance: each recipient's latest fate.
    pub later: Vec<super::DeliveryFate>,
}

/// An outbox message's recorded conversations, oldest attempt first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceView {
    pub item: OutboxItem,
    pub attempts: Vec<TraceAttempt>,
}
