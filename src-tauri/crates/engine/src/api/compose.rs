//! What the user writes: a draft with its attachments, and a draft as saved locally.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A message to send, as the user wrote it. `mime::build::build` checks every field and
/// turns it into the bytes the outbox stores.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// The sending identity's address; `None` is the account's own address.
    #[serde(default)]
    pub from: Option<String>,
    /// Each "Name <addr>", "\"Last, First\" <addr>" or a bare address.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// In the envelope only: never written to the headers.
    pub bcc: Vec<String>,
    pub subject: String,
    /// The plain-text body, always sent (first part of multipart/alternative with `html`).
    pub body: String,
    /// An HTML version of `body`.
    #[serde(default)]
    pub html: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Message-ID of the message replied to, without angle brackets.
    #[serde(default)]
    pub in_reply_to: Option<String>,
    /// The thread's Message-IDs, oldest first, without angle brackets.
    #[serde(default)]
    pub references: Vec<String>,
}

/// A file sent with a draft: its bytes come from `path` or `data_base64`, exactly one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// A local file, read when the message is built (once: the outbox keeps the bytes).
    #[serde(default)]
    pub path: Option<String>,
    /// The name the recipient sees; empty means the file name of `path`.
    pub filename: String,
    /// A MIME type ("application/pdf"); `None` guesses from the filename's extension.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Set for an image the HTML shows with `<img src="cid:...">`: it is then sent inline,
    /// in multipart/related next to the HTML. Without angle brackets.
    #[serde(default)]
    pub content_id: Option<String>,
    /// The bytes, base64 (from the UI: a pasted or dropped file).
    #[serde(default)]
    pub data_base64: Option<String>,
}

/// A draft being written, as last saved on this machine.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocalDraft {
    /// Stable for the draft's life (chosen by the UI).
    pub key: String,
    /// The account it is sent from.
    pub account_email: String,
    pub draft: Draft,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub saved_at: i64,
}
