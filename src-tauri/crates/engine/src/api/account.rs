//! Accounts: how they connect (servers, TLS), sign in, receive (IMAP or POP3), file
//! sent mail and send as (identities); what onboarding finds for an address.

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
    /// When `account.auth` is OAuth2: whether this build has an OAuth2 client for that
    /// provider (a client id built in, in oauth.json or in the environment). Without one
    /// the sign-in cannot start, and onboarding offers the provider's app password
    /// instead, with its steps. Always false for a password account.
    pub oauth_configured: bool,
}
