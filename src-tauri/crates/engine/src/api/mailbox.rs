//! What comes down from the server: folders, message lines and whole messages, the
//! changes the user makes to them, sync progress and results, remote content.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A folder, as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    #[ts(type = "number")]
    pub id: i64,
    /// The server's name (modified UTF-7), for commands.
    pub name: String,
    /// The name to show.
    pub display_name: String,
    /// inbox, sent, drafts, trash, junk, archive, all; null for the user's own folders.
    pub role: Option<String>,
    pub delimiter: String,
    pub unread: u32,
    pub total: u32,
}

/// One line of a message list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageSummary {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub account_id: i64,
    pub account_email: String,
    pub folder: String,
    pub uid: u32,
    pub from_name: Option<String>,
    pub from_addr: String,
    pub subject: String,
    /// The Date header, unix seconds UTC.
    #[ts(type = "number")]
    pub date: i64,
    pub message_id: Option<String>,
    pub seen: bool,
    pub flagged: bool,
    /// The first words of the text; empty until the body is cached.
    pub preview: String,
    #[ts(type = "number | null")]
    pub thread_id: Option<i64>,
    pub attachments: u32,
    /// In a list grouped by conversation, a row standing for several messages: what they
    /// hold together. Absent in a flat list, in search results, and for a message alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conversation: Option<Conversation>,
}

/// A conversation's messages in one list (folder), as its row shows them: the row is the
/// newest message's; these are the others' marks too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// How many of its messages the row stands for (2 or more).
    pub count: u32,
    /// How many of them are unread.
    pub unread: u32,
    /// Whether any is flagged.
    pub flagged: bool,
    /// Whether any has attachments.
    pub attachments: bool,
    /// Who wrote them, newest first, each once, at most three: the names to show (the
    /// address when the message gave no name).
    pub senders: Vec<String>,
}

/// One attachment of a cached message (its bytes stay in the raw message).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInfo {
    /// Where it is: the IMAP part number from BODYSTRUCTURE, or its position among the
    /// parsed message's attachments.
    pub part: String,
    pub filename: String,
    pub mime_type: String,
    pub size: u32,
    pub content_id: Option<String>,
    pub inline: bool,
}

/// A message opened in the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageDetail {
    pub summary: MessageSummary,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub flags: Vec<String>,
    pub text: String,
    /// Sanitized HTML (scripts, handlers, frames removed); remote content is still there
    /// for the reader's Content-Security-Policy to block until the user allows it.
    pub html: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub list_id: Option<String>,
    /// Authentication-Results headers as received, one per line. Which to believe is the
    /// sender-trust feature's call.
    pub auth_results: String,
    /// Gmail labels.
    pub labels: Vec<String>,
    /// The delivery report this message is (a bounce or a delay), read and matched to the
    /// message sent (`delivery`).
    pub delivery: Option<super::DeliveryReport>,
}

/// A change the user makes to a message; applied to the cache at once and to the server
/// as soon as it can be reached (queued in the meantime).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum MessageAction {
    Seen(bool),
    Flagged(bool),
    Answered(bool),
    /// To the folder with this wire name.
    Move(String),
    /// To Trash; in Trash (or with no Trash), deleted for good.
    Delete,
    /// To the Archive folder (Gmail: All Mail).
    Archive,
    /// To the Junk folder, marked `$Junk` where the server keeps keywords.
    Junk,
    /// Back to the Inbox, marked `$NotJunk` where the server keeps keywords.
    NotJunk,
}

/// Where a sync stands, per folder: sent as progress while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub account_email: String,
    pub folder: String,
    pub done: u32,
    pub total: u32,
}

/// The result of syncing one folder.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub account_email: String,
    /// The folders synced ("INBOX" alone for POP3).
    pub folder: String,
    pub new_messages: u32,
    /// Messages cached for the account after the sync (every folder).
    pub total_cached: u32,
    /// Local changes replayed to the server before reading from it.
    pub replayed: u32,
}

/// What the reader needs to know about a message's remote content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteContent {
    /// The HTML refers to remote images, styles or fonts (blocked until allowed).
    pub present: bool,
    /// The sender is allowed always and this message is proven to come from its domain
    /// (DMARC pass or an aligned DKIM signature): remote content loads without asking.
    pub always_allowed: bool,
}
