//! The data the engine hands to its callers (CLI, desktop app). TypeScript types for the UI
//! are generated from these by ts-rs; `tests::bindings_are_current` fails when they drift.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a connection is secured. There is no plaintext option: STARTTLS is required, never
/// optional, and implicit TLS is preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Security {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    Tls,
    /// Plain connect, then STARTTLS, which must succeed before anything else is sent.
    Starttls,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
        }
    }

    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::Starttls),
            _ => None,
        }
    }
}

/// Who files the copy of a sent message in the Sent folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SentCopy {
    /// Courriel APPENDs it over IMAP.
    Append,
    /// The provider files it itself (Gmail, Outlook): appending would duplicate it.
    Provider,
}

impl SentCopy {
    pub fn as_str(self) -> &'static str {
        match self {
            SentCopy::Append => "append",
            SentCopy::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Option<SentCopy> {
        match s {
            "append" => Some(SentCopy::Append),
            "provider" => Some(SentCopy::Provider),
            _ => None,
        }
    }

    /// The provider's behaviour, known by its submission host.
    pub fn default_for(smtp_host: &str) -> SentCopy {
        let host = smtp_host.to_ascii_lowercase();
        let files_itself = [
            "gmail.com",
            "googlemail.com",
            "office365.com",
            "outlook.com",
        ]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        if files_itself {
            SentCopy::Provider
        } else {
            SentCopy::Append
        }
    }
}

/// How mail is received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Protocol {
    #[default]
    Imap,
    /// One local INBOX, filled by UIDL; flags stay local.
    Pop3,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Imap => "imap",
            Protocol::Pop3 => "pop3",
        }
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "imap" => Some(Protocol::Imap),
            "pop3" => Some(Protocol::Pop3),
            _ => None,
        }
    }
}

/// A server endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// How an account signs in. The secret itself (password, refresh token) lives in the OS
/// keychain, never in the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum AuthMethod {
    #[default]
    Password,
    /// OAuth2 with this provider (google, microsoft, or one configured by name).
    OAuth2 { provider: String },
}

/// A From address of an account: the account's own, or an alias.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub email: String,
    pub name: String,
    /// Appended to new messages sent as this identity (plain text).
    pub signature: String,
}

/// What it takes to add an account by hand.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    /// Login name; usually the address.
    pub username: String,
    /// IMAP or POP3, per `protocol`.
    #[serde(default)]
    pub protocol: Protocol,
    pub incoming: Endpoint,
    pub smtp: Endpoint,
    /// Extra CA certificate (PEM path) trusted for this account, on top of the OS store.
    pub ca_file: Option<String>,
    /// `None`: the provider's default (`SentCopy::default_for`).
    pub sent_copy: Option<SentCopy>,
    /// A local relay without TLS or AUTH (port 25). Must be asked for explicitly: without
    /// it, a server that offers no TLS is refused.
    #[serde(default)]
    pub smtp_plaintext_no_auth: bool,
    #[serde(default)]
    pub auth: AuthMethod,
}

/// A configured account, as stored. Holds no secret.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[ts(type = "number")]
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub username: String,
    pub protocol: Protocol,
    pub incoming: Endpoint,
    pub smtp: Endpoint,
    pub ca_file: Option<String>,
    pub sent_copy: SentCopy,
    pub smtp_plaintext_no_auth: bool,
    pub auth: AuthMethod,
    /// Why the account needs the user to sign in again; None while it works.
    pub needs_signin: Option<String>,
    /// Where the server settings came from ("entered by hand", "preset: gmail", an
    /// autoconfig URL, SRV records...).
    pub settings_source: String,
    /// Extra From addresses (aliases); the account's own address is always allowed.
    pub identities: Vec<Identity>,
}

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

/// Server settings found for an address, as onboarding shows them before the user
/// confirms: what will be used and where it came from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveredSettings {
    /// The built-in provider ("gmail", "outlook"...), when these are one.
    pub provider: Option<String>,
    /// Where the settings came from, in words ("preset: gmail", "autoconfig: https://...").
    pub source: String,
    /// The account ready to create (password) or to sign in with OAuth2 (`auth`).
    pub account: NewAccount,
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
}

/// An outbox message's recorded conversations, oldest attempt first.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TraceView {
    pub item: OutboxItem,
    pub attempts: Vec<TraceAttempt>,
}

/// What the reader needs to know about a message's remote content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteContent {
    /// The HTML refers to remote images, styles or fonts (blocked until allowed).
    pub present: bool,
    /// The sender is trusted for remote content: it loads without asking.
    pub always_allowed: bool,
}

/// A sentence in the languages Courriel speaks; the UI and the CLI pick one by locale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Words {
    pub en: String,
    pub fr: String,
}

impl Words {
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Words {
        Words {
            en: en.into(),
            fr: fr.into(),
        }
    }

    pub fn get(&self, lang: crate::smtp::replies::Lang) -> &str {
        match lang {
            crate::smtp::replies::Lang::En => &self.en,
            crate::smtp::replies::Lang::Fr => &self.fr,
        }
    }

    /// The sentence in the language of `LC_ALL`, `LC_MESSAGES` or `LANG` (the first set).
    pub fn for_locale(&self) -> &str {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        self.get(crate::smtp::replies::Lang::from_locale(&locale))
    }
}

/// What one check (DKIM, SPF, DMARC) concluded, in RFC 8601's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AuthOutcome {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    /// Nothing to check: no signature, no SPF or DMARC record.
    #[default]
    None,
    /// A DNS failure: trying later may give an answer.
    TempError,
    /// A broken record or signature.
    PermError,
}

impl AuthOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthOutcome::Pass => "pass",
            AuthOutcome::Fail => "fail",
            AuthOutcome::SoftFail => "softfail",
            AuthOutcome::Neutral => "neutral",
            AuthOutcome::None => "none",
            AuthOutcome::TempError => "temperror",
            AuthOutcome::PermError => "permerror",
        }
    }

    /// An Authentication-Results result word ("pass", "hardfail"...).
    pub fn parse(s: &str) -> AuthOutcome {
        match s.to_ascii_lowercase().as_str() {
            "pass" => AuthOutcome::Pass,
            "fail" | "hardfail" => AuthOutcome::Fail,
            "softfail" => AuthOutcome::SoftFail,
            "neutral" | "policy" => AuthOutcome::Neutral,
            "temperror" => AuthOutcome::TempError,
            "permerror" => AuthOutcome::PermError,
            _ => AuthOutcome::None,
        }
    }
}

/// Who did the checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TrustSource {
    /// The account's own provider, in the Authentication-Results header it added.
    Provider,
    /// Courriel, here: DKIM, SPF (from the Received chain) and DMARC with mail-auth.
    Local,
    /// Nobody: no trusted header and nothing to verify with (see the summary).
    Unchecked,
}

/// How far the From address is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TrustLevel {
    /// The From domain vouches for the message (DMARC pass, or its own DKIM signature).
    Verified,
    /// Nothing proves or disproves where it came from.
    Unverified,
    /// The From domain's own check failed: it probably did not send this.
    Failed,
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WarningKind {
    /// The From domain looks like another one (a known contact's or a well-known brand's).
    LookalikeDomain,
    /// The display name is a known contact's, but the address is not theirs.
    NameOfContact,
    /// The display name shows an address other than the real one, or a brand's name.
    MisleadingName,
}

/// A reason to be careful, beyond the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustWarning {
    pub kind: WarningKind,
    /// What is imitated: a domain or a contact's address.
    pub imitates: String,
    pub words: Words,
}

/// One check as reported (by the provider's header or done here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuthCheck {
    /// "dkim", "spf", "dmarc", "arc"...
    pub method: String,
    pub result: AuthOutcome,
    /// The domain the check is about (DKIM's d=, SPF's MAIL FROM domain, DMARC's From).
    pub domain: Option<String>,
}

/// Who a message is from, as far as it can be proven: identity, not a "safe" badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrustVerdict {
    #[ts(type = "number")]
    pub message_id: i64,
    /// The domain of the From address.
    pub from_domain: String,
    pub level: TrustLevel,
    pub source: TrustSource,
    /// The provider's authserv-id whose header was read (source = provider).
    pub authserv_id: Option<String>,
    /// The domain whose DKIM signature verified, aligned with From when possible.
    pub signed_by: Option<String>,
    pub dkim: AuthOutcome,
    pub spf: AuthOutcome,
    pub dmarc: AuthOutcome,
    pub checks: Vec<AuthCheck>,
    /// "Signed by paypal.com (DMARC pass)", "Could not verify that this came from paypal.com".
    pub summary: Words,
    pub warnings: Vec<TrustWarning>,
    /// When the checks were made (unix seconds); they are cached from then on.
    #[ts(type = "number")]
    pub checked_at: i64,
}

/// How a domain-check finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FindingStatus {
    Ok,
    /// Works, but could be better.
    Warning,
    /// Broken or missing: mail from this domain may be refused or spoofed.
    Error,
    /// For information.
    Info,
}

/// One finding of a domain check, with the fix in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainFinding {
    /// "mx", "spf", "dkim", "dmarc", "mta-sts", "tls-rpt".
    pub topic: String,
    pub status: FindingStatus,
    /// What was found.
    pub words: Words,
    /// What to change, when something should.
    pub fix: Option<Words>,
    /// The record as published, when there is one.
    pub record: Option<String>,
}

/// The user's own domain, checked: what receivers will see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainReport {
    pub domain: String,
    /// False for addresses at a mail provider (gmail.com, outlook.com...), whose DNS the
    /// user cannot change: the settings page is hidden and nothing else is checked.
    pub user_controlled: bool,
    pub findings: Vec<DomainFinding>,
    /// DKIM selectors looked up (from the user's sent mail, or common ones).
    pub dkim_selectors: Vec<String>,
    /// DNS lookups the SPF record costs when evaluated (the limit is 10).
    pub spf_lookups: u32,
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

// --- Events: what the desktop shell announces to the UI (`emit` in src-tauri/src), typed
// here like the commands' data so the UI's TypeScript for them is generated, not copied.

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
