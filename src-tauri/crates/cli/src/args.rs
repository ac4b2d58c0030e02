//! What the command line says: the commands, their arguments and help text (clap), and
//! the parsers of values the engine names (protocol, security, sent copy, retention).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use courriel_engine::api::{Protocol, Security, SentCopy};
use courriel_engine::{Retention, DATA_DIR_ENV};

use crate::accounts;

#[derive(Parser)]
#[command(
    name = "courriel",
    version,
    about = "Courriel mail engine, from the terminal"
)]
pub struct Cli {
    /// Where the local cache lives [default: the OS data directory]
    #[arg(long, global = true, env = DATA_DIR_ENV)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Manage accounts
    #[command(subcommand)]
    Account(accounts::AccountCommand),
    /// Send a plain-text message (password from COURRIEL_PASSWORD until the keychain lands)
    Send(SendArgs),
    /// Keep every account current and the outbox sending, as the desktop app does in the
    /// background (IDLE on INBOX, the other folders polled, due mail sent, drafts copied),
    /// one line per event, until Ctrl-C or `--for` seconds
    Watch {
        #[arg(long = "for", value_name = "SECONDS")]
        for_secs: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Sync an account into the local cache: queued changes go up first, then every
    /// folder comes down (progress on stderr)
    Sync {
        #[arg(long)]
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// The outbox: every message's state; `--resume` first settles interrupted sends
    /// and sends what is due
    Outbox {
        #[arg(long)]
        resume: bool,
        /// Keep sending until the queue is empty (retries, pacing), waiting at most
        /// this many seconds in all
        #[arg(long, value_name = "SECONDS")]
        run: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Send a failed or uncertain outbox message again (by outbox id or Message-ID)
    Resend { message: String },
    /// An outbox message as an editable draft (JSON), e.g. after a 5xx
    Draft { message: String },
    /// Withdraw a message that has not gone out (undo), or drop a failed one
    Discard { message: String },
    /// Declare an uncertain outbox message sent (you checked it arrived)
    MarkSent { message: String },
    /// The recorded SMTP conversation of an outbox message (by outbox id or Message-ID)
    Trace { message: String },
    /// An account's folders with unread and total counts (as of the last sync)
    Folders {
        #[arg(long)]
        account: String,
        #[arg(long)]
        json: bool,
    },
    /// List the unified inbox, or one folder of an account, newest first
    List(ListArgs),
    /// Open a message (by the id `list` and `search` show); a body outside the sync
    /// window is fetched from the server first
    Show(ShowArgs),
    /// Check your own domain as receivers see it: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT,
    /// each finding with its fix
    DomainCheck(DomainCheckArgs),
    /// Search every account's cached mail, newest first: words match as prefixes;
    /// from:, to: and subject: narrow a word to that field; is:unread, is:read,
    /// is:flagged, has:attachment, in:FOLDER, account:ADDRESS, after:DATE, before:DATE
    /// (2026-11-01, today, yesterday) narrow the results
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Every cached message of a message's conversation, oldest first
    Thread {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Mark messages read, unread, flagged, unflagged or answered (here at once, on the
    /// server now, one command per folder, or, offline, at the next sync)
    Flag(FlagArgs),
    /// Move messages to another folder of their account
    Move {
        /// The messages (ids as `list` and `search` show them), then the folder
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        /// The folder: its name as shown (any case), the server's name, or a role
        /// (archive, sent, trash, drafts, junk, inbox)
        folder: String,
        #[arg(long)]
        json: bool,
    },
    /// Move messages to the Junk folder, marked $Junk (--not: back to the Inbox, $NotJunk)
    Junk {
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        #[arg(long)]
        not: bool,
        #[arg(long)]
        json: bool,
    },
    /// Create, rename or delete a folder on the server (`folder create --account A NAME`)
    Folder {
        #[command(subcommand)]
        command: crate::folders::FolderCommand,
    },
    /// Leave the mailing list a message came from: one click (RFC 8058), else a mail
    /// through the outbox, else the list's page to open (`--plan` says which, doing nothing)
    Unsubscribe {
        id: i64,
        #[arg(long)]
        plan: bool,
        #[arg(long)]
        json: bool,
    },
    /// Move messages to Trash; in Trash, delete them for good
    Delete {
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Move messages to the Archive folder
    Archive {
        #[arg(required = true, num_args = 1..)]
        ids: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Delivery reports (bounces, delays) found in the synced mail, each with the sent
    /// message it was matched to and every recipient's fate in plain words
    Bounces {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The settings the desktop app shows; `settings set NAME VALUE` changes one
    Settings {
        #[command(subcommand)]
        command: Option<crate::settings::SettingsCommand>,
        #[arg(long)]
        json: bool,
    },
    /// The address book completion draws on, learned from mail, best first; `contacts
    /// QUERY` finds by any word of a name or address; `contacts forget ADDRESS`
    Contacts(crate::contacts::ContactsArgs),
}

#[derive(Args)]
pub struct SendArgs {
    /// The sending account's address
    #[arg(long)]
    pub account: String,
    #[arg(long, required = true)]
    pub to: Vec<String>,
    #[arg(long)]
    pub cc: Vec<String>,
    #[arg(long)]
    pub bcc: Vec<String>,
    #[arg(long, default_value = "")]
    pub subject: String,
    #[arg(long, default_value = "")]
    pub body: String,
    /// An HTML version of the body, read from FILE (sent as multipart/alternative)
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Attach FILE (repeatable); its type is guessed from the extension
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Send from this identity of the account [default: the account's address]
    #[arg(long)]
    pub from: Option<String>,
    /// The Message-ID this replies to (threads the reply)
    #[arg(long)]
    pub in_reply_to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

// The arguments of `list`, `show`, `domain-check` and `flag`, as structs so each command
// is one short function. No doc comments on them: clap would take one for the command's
// about, which the variant's doc gives.

// `courriel list`
#[derive(Args)]
pub struct ListArgs {
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// With --folder: whose folder
    #[arg(long, requires = "folder")]
    pub account: Option<String>,
    /// A folder's name (any case) or role (inbox, sent, archive...)
    #[arg(long, requires = "account")]
    pub folder: Option<String>,
    #[arg(long)]
    pub json: bool,
}

// `courriel show`
#[derive(Args)]
pub struct ShowArgs {
    pub id: i64,
    /// Who it is from, as far as it can be proven (SPF, DKIM, DMARC, look-alikes),
    /// instead of the message
    #[arg(long)]
    pub auth: bool,
    /// A DNS server to ask instead of the system's (ip:port), for --auth
    #[arg(long, requires = "auth")]
    pub dns: Option<std::net::SocketAddr>,
    /// The message's source as the server sent it, headers and all (`> x.eml` saves it)
    #[arg(long, conflicts_with_all = ["auth", "json"])]
    pub source: bool,
    #[arg(long)]
    pub json: bool,
}

// `courriel domain-check`
#[derive(Args)]
pub struct DomainCheckArgs {
    /// The domain [default: every domain of your addresses that you control]
    pub domain: Option<String>,
    /// Then send a test message from this account to itself and show how it arrived
    /// (the provider's Authentication-Results when it adds them)
    #[arg(long, value_name = "ACCOUNT")]
    pub send_test: Option<String>,
    /// How long to wait for the test message, in seconds
    #[arg(long, default_value_t = 120, requires = "send_test")]
    pub wait: u64,
    /// A DNS server to ask instead of the system's (ip:port)
    #[arg(long)]
    pub dns: Option<std::net::SocketAddr>,
    #[arg(long)]
    pub json: bool,
}

// `courriel flag`
#[derive(Args)]
pub struct FlagArgs {
    #[arg(required = true, num_args = 1..)]
    pub ids: Vec<i64>,
    #[arg(long, conflicts_with = "unseen")]
    pub seen: bool,
    #[arg(long)]
    pub unseen: bool,
    #[arg(long, conflicts_with = "unflagged")]
    pub flagged: bool,
    #[arg(long)]
    pub unflagged: bool,
    #[arg(long)]
    pub answered: bool,
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn parse_retention(s: &str) -> Result<Retention, String> {
    match s {
        "leave" => Ok(Retention::Leave),
        "mirror" => Ok(Retention::Mirror),
        days => days
            .parse()
            .map(Retention::Days)
            .map_err(|_| format!("\"{s}\": expected leave, mirror or a number of days")),
    }
}

pub(crate) fn parse_protocol(s: &str) -> Result<Protocol, String> {
    Protocol::parse(s).ok_or_else(|| format!("\"{s}\": expected imap or pop3"))
}

pub(crate) fn parse_sent_copy(s: &str) -> Result<SentCopy, String> {
    SentCopy::parse(s).ok_or_else(|| format!("\"{s}\": expected append or provider"))
}

pub(crate) fn parse_security(s: &str) -> Result<Security, String> {
    Security::parse(s).ok_or_else(|| format!("\"{s}\": expected tls or starttls"))
}
