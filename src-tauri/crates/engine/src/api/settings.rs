//! The user's settings, as Settings shows them and the CLI's `settings` prints them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the user chose in Settings (kept in the database; `crate::settings`). Missing
/// fields take their defaults, so an older caller's partial object still reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Closing the window keeps Courriel running in the tray (the desktop app).
    pub run_in_background: bool,
    /// At start, only the tray icon (only with `run_in_background`).
    pub start_in_tray: bool,
    /// New mail is announced with a desktop notification.
    pub notify_new_mail: bool,
    /// Seconds during which a sent message can still be taken back (0 to 60).
    pub undo_send_seconds: u32,
    /// Ask servers that offer DSN to report successful delivery too (failures and delays
    /// are always asked for).
    pub report_delivered: bool,
    /// WebKit's accelerated compositing in the desktop app (applied at its next start).
    pub gpu_compositing: Compositing,
    /// The message list shows a conversation as one row (its newest message, how many,
    /// unread or starred if any is); off, one row per message. Search results are never
    /// grouped.
    pub group_conversations: bool,
}

/// Whether the desktop app's web view composites with the GPU. `Auto`: only where the
/// machine has a GPU render node; without one WebKit would composite in software GL,
/// which costs memory and start time and draws nothing faster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Compositing {
    #[default]
    Auto,
    On,
    Off,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            run_in_background: false,
            start_in_tray: false,
            notify_new_mail: true,
            undo_send_seconds: 5,
            report_delivered: false,
            gpu_compositing: Compositing::Auto,
            group_conversations: true,
        }
    }
}
