//! The data the engine hands to its callers (CLI, desktop app). TypeScript types for the UI
//! are generated from these by ts-rs; `tests::bindings_are_current` fails when they drift.
//!
//! One file per concern, everything re-exported here (callers name `api::Account`,
//! `api::Draft`... wherever a type lives): `account`, `attachments`, `mailbox`, `compose`, `delivery`,
//! `outbox`, `settings`, `trust`, `words`, and `events` for what the shell announces.

mod account;
mod attachments;
mod bulk;
mod compose;
mod contacts;
mod delivery;
mod events;
mod mailbox;
mod outbox;
mod settings;
mod trust;
mod unsubscribe;
mod words;

pub use account::{
    Account, AuthMethod, DiscoveredSettings, Endpoint, Identity, NewAccount, Protocol, Security,
    SentCopy,
};
pub use attachments::{Opening, Runnable, RunnableKind};
pub use bulk::{ActReport, Moved};
pub use compose::{Attachment, Draft, LocalDraft};
pub use contacts::Contact;
pub use delivery::{DeliveryAction, DeliveryFate, DeliveryReport};
pub use events::{ConfirmLink, MailChanged, OpenMessage};
pub use mailbox::{
    AttachmentInfo, Conversation, Folder, MessageAction, MessageDetail, MessageSummary,
    RemoteContent, SyncProgress, SyncReport,
};
pub use outbox::{
    OutboxItem, OutboxState, RecipientExplanation, RecipientResult, RecipientState, SendReport,
    TraceAttempt, TraceStep, TraceView,
};
pub use settings::{Compositing, Settings};
pub use trust::{
    AuthCheck, AuthOutcome, DomainFinding, DomainReport, FindingStatus, TrustLevel, TrustSource,
    TrustVerdict, TrustWarning, WarningKind,
};
pub use unsubscribe::{UnsubscribeKind, UnsubscribePlan, Unsubscribed};
pub use words::Words;
