//! Changing many messages at once, and taking a change back (Undo).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A message a change moved (archive, delete to Trash, move, junk), and what Undo needs
/// to put it back: the folder it came from and the keyword the change set on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    #[ts(type = "number")]
    pub id: i64,
    /// The folder it was in (the server's name).
    pub from: String,
    /// `$Junk` or `$NotJunk` when the change set it; Undo takes it off again.
    pub keyword: Option<String>,
}

/// What a change to one or many messages did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActReport {
    /// Messages changed here (at once, whatever the server's state).
    pub changed: u32,
    /// Queued changes the server took now (0 offline: they wait for the next sync).
    pub replayed: u32,
    /// The messages moved, for `Engine::undo`; empty when there is nothing to undo (flags,
    /// a deletion for good).
    pub undo: Vec<Moved>,
}
