//! Events: what the desktop shell announces to the UI (`emit` in src-tauri/src), typed
//! here like the commands' data so the UI's TypeScript for them is generated, not copied.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SyncReport;

/// The `mail-changed` event: a background sync of an account finished, or failed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailChanged {
    pub account_email: String,
    pub report: Option<SyncReport>,
    /// Why the sync failed (a sign-in that stopped working stops the watch).
    pub error: Option<crate::error::CommandError>,
}

/// The `open-message` event: a new-mail notification was clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenMessage {
    /// The message to show; `None`: the inbox (a notification that counted several).
    #[ts(type = "number | null")]
    pub id: Option<i64>,
}

/// The `confirm-link` event: a link clicked in a message whose text names another address
/// than the one it opens ("paypal.com" leading to evil.example). The window shows the real
/// address and opens it only when asked to (`open_link`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConfirmLink {
    /// Where the link really goes.
    pub url: String,
    /// What its text shows.
    pub shown: String,
}
