//! POP3: a small client (`client`) and the sync of a POP account's one INBOX into the
//! cache (`sync`): UIDL-based, streamed to disk, with the retention the user chose.

pub mod client;
pub mod sync;
