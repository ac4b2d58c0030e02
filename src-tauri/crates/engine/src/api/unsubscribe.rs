//! Leaving a mailing list (`unsubscribe`): what the reader says will happen, and what did.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a list is left, in the order Courriel prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UnsubscribeKind {
    /// RFC 8058: one HTTPS POST, nothing opened.
    OneClick,
    /// A message to the list's address, through the outbox (traced, retried).
    Mail,
    /// The list's page, opened in the browser: the rest is done there.
    Page,
}

/// What Unsubscribe will do for a message, said before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnsubscribePlan {
    pub kind: UnsubscribeKind,
    /// The https: URL posted to or opened, or the mailto: link.
    pub target: String,
    /// Who it goes to: the web server's host, or the email address.
    pub host: String,
}

/// What Unsubscribe did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Unsubscribed {
    pub plan: UnsubscribePlan,
    /// One-click: the HTTP status the list's server answered.
    pub status: Option<u16>,
    /// Mail: the request's place in the outbox.
    #[ts(type = "number | null")]
    pub outbox_id: Option<i64>,
}
