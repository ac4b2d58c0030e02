//! A contact as address completion and `courriel contacts` show it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Someone you write to or hear from, learned from mail (see the engine's `contacts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Lower-cased.
    pub address: String,
    /// The name you last wrote to them with, else the one they give themselves; may be empty.
    pub name: String,
    /// Messages you sent them (To, Cc or Bcc).
    pub sent: u32,
    /// Their messages you answered.
    pub replied: u32,
    /// Their messages you have not answered.
    pub received: u32,
    /// The last time, unix seconds.
    #[ts(type = "number")]
    pub last_at: i64,
    /// The rank as a score now: 5 per message sent, 3 per reply, 1 per message received,
    /// each halved every 90 days.
    pub score: f64,
}

impl Contact {
    /// "Name <address>", or the bare address: what goes into a recipient field.
    pub fn mailbox(&self) -> String {
        if self.name.is_empty() {
            return self.address.clone();
        }
        let plain = self
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || " -'.".contains(c));
        match plain {
            true => format!("{} <{}>", self.name, self.address),
            false => format!(
                "\"{}\" <{}>",
                self.name.replace(['"', '\\'], ""),
                self.address
            ),
        }
    }
}
