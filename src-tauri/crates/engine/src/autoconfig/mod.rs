//! Autoconfig: from an email address to the servers that carry its mail.
//!
//! People type an address, not host names. [`discover`] finds the settings the way
//! Thunderbird and RFC 6186 do, all lookups at once, each bounded by [`Discovery::timeout`]:
//!
//! - [`presets`]: built-in providers (Gmail, Outlook.com, iCloud, Yahoo, Fastmail...). A
//!   known domain is answered from the table with no network at all: its settings are
//!   known, and asking `autoconfig.gmail.com` would only leak the address's domain.
//! - [`ispdb`]: Thunderbird's `config-v1.1.xml`, fetched over HTTPS only (never HTTP) from
//!   `https://autoconfig.<domain>/mail/config-v1.1.xml` and
//!   `https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml` by [`https`].
//! - [`srv`]: RFC 6186 SRV records, with RFC 8314's implicit-TLS services preferred.
//! - [`mx`]: a domain whose mail exchanger is Google's or Microsoft's is a Google Workspace
//!   or Microsoft 365 domain, served by that provider's preset.
//!
//! DNS goes through [`dns`] (hickory-resolver), both for SRV/MX and to find the HTTPS
//! hosts, so a test can point every lookup at its own name server.
//!
//! Rules that keep a password off the wire in clear: a server offered without TLS
//! (ISPDB `socketType` plain) is dropped, never offered; STARTTLS is offered only as
//! "required" (the engine never continues without it); an HTTPS certificate that does not
//! verify makes that lookup fail. When nothing usable is found the error lists every
//! lookup tried and why it failed; a host name is never guessed (no `imap.<domain>`).
//!
//! Candidates come best first: the built-in preset, then the domain's own autoconfig file
//! (autoconfig host, then well-known), then SRV records, then the MX heuristic. Within one
//! source IMAP comes before POP3 and implicit TLS before STARTTLS. Each [`Found`] says where
//! it came from ([`Source`]) so the UI can show it: SRV and MX answers come over plain DNS
//! and could be forged, though a forger would still need a certificate valid for the host
//! it points to.

mod dns;
mod https;
mod ispdb;
mod mx;
mod presets;
mod srv;
mod tried;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::api::{Endpoint, Protocol};
use crate::error::{Error, ErrorKind, Result};
use tried::{Miss, Tried};

/// Where and how long to look.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// The DNS server to ask; `None`: the system's (`/etc/resolv.conf`).
    pub resolver: Option<SocketAddr>,
    /// An extra trust anchor (PEM) for the HTTPS fetches, on top of the OS store.
    pub ca_file: Option<PathBuf>,
    /// The bound on each lookup (DNS, or one HTTPS fetch with its redirects).
    pub timeout: Duration,
    /// The port of every HTTPS fetch instead of 443 (tests).
    pub http_port: Option<u16>,
}

impl Default for Discovery {
    fn default() -> Self {
        Discovery {
            resolver: None,
            ca_file: None,
            timeout: Duration::from_secs(10),
            http_port: None,
        }
    }
}

/// One complete way to reach an address's mail: incoming and outgoing servers, both
/// with TLS (implicit or required STARTTLS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Found {
    /// The built-in provider these settings are ("gmail", "outlook", "google-workspace",
    /// "microsoft365"...); `None` when they came from the domain itself.
    pub provider: Option<&'static str>,
    pub incoming: Endpoint,
    pub protocol: Protocol,
    pub smtp: Endpoint,
    /// What to log in with.
    pub username: UsernameForm,
    /// How to sign in.
    pub auth: AuthKind,
    /// Where these settings came from.
    pub source: Source,
}

impl Found {
    /// Where the settings came from, in words for `Account::settings_source`:
    /// "preset: gmail", "autoconfig: https://...", "SRV: _imaps._tcp.x, ...",
    /// "MX: aspmx.l.google.com (google-workspace)".
    pub fn settings_source(&self) -> String {
        let provider = self.provider.unwrap_or("unknown");
        match &self.source {
            Source::Preset => format!("preset: {provider}"),
            Source::IspdbAutoconfigHost(url) | Source::IspdbWellKnown(url) => {
                format!("autoconfig: {url}")
            }
            Source::Srv(names) => format!("SRV: {}", names.join(", ")),
            Source::Mx(host) => format!("MX: {host} ({provider})"),
        }
    }
}

/// The login name, as the provider describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum UsernameForm {
    /// The whole address (ISPDB `%EMAILADDRESS%`).
    Address,
    /// The part before the `@` (ISPDB `%EMAILLOCALPART%`).
    LocalPart,
    /// Anything else the autoconfig file said, placeholders already filled in.
    Other(String),
}

impl UsernameForm {
    /// The login name for `email`.
    pub fn for_address(&self, email: &str) -> String {
        match self {
            UsernameForm::Address => email.trim().to_owned(),
            UsernameForm::LocalPart => email
                .trim()
                .rsplit_once('@')
                .map_or(email.trim(), |(local, _)| local)
                .to_owned(),
            UsernameForm::Other(name) => name.clone(),
        }
    }
}

/// How the account signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum AuthKind {
    /// A password (or an app password), only ever sent inside TLS.
    Password,
    /// OAuth2 through the browser; `provider` names the OAuth2 configuration ("google",
    /// "microsoft") when it is one Courriel knows.
    OAuth2 { provider: Option<String> },
}

/// Where a [`Found`] came from, to show the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum Source {
    /// Courriel's built-in table of providers.
    Preset,
    /// `https://autoconfig.<domain>/mail/config-v1.1.xml` (the URL fetched).
    IspdbAutoconfigHost(String),
    /// `https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml` (the URL fetched).
    IspdbWellKnown(String),
    /// RFC 6186 SRV records (the names whose records were used).
    Srv(Vec<String>),
    /// The domain's mail exchanger (its host name) belongs to a known provider.
    Mx(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Preset => write!(f, "built-in provider settings"),
            Source::IspdbAutoconfigHost(url) | Source::IspdbWellKnown(url) => {
                write!(f, "autoconfig file {url}")
            }
            Source::Srv(names) => write!(f, "SRV records {}", names.join(", ")),
            Source::Mx(host) => write!(f, "mail exchanger {host}"),
        }
    }
}

/// The best way to reach `email`'s mail; an error that lists every lookup tried when
/// none gives a complete, encrypted configuration.
pub async fn discover(email: &str, d: &Discovery) -> Result<Found> {
    let all = discover_all(email, d).await?;
    all.into_iter()
        .next()
        .ok_or_else(|| Error::new(ErrorKind::Bug, "discovery returned an empty list"))
}

/// Every candidate, best first (never empty), for the UI to show.
pub async fn discover_all(email: &str, d: &Discovery) -> Result<Vec<Found>> {
    let address = Address::parse(email)?;
    if let Some(preset) = presets::by_domain(&address.domain) {
        return Ok(presets::found(preset, Source::Preset));
    }
    let tls = crate::tls::client_config(d.ca_file.as_deref())?;
    let resolver = dns::resolver(d)?;
    let client = https::Client::new(&resolver, tls, d.http_port.unwrap_or(443));
    let host_url = format!("https://autoconfig.{}/mail/config-v1.1.xml", address.domain);
    let known_url = format!(
        "https://{}/.well-known/autoconfig/mail/config-v1.1.xml",
        address.domain
    );
    let timeout = d.timeout;
    let (by_host, by_known, by_srv, by_mx) = futures::join!(
        bounded(
            timeout,
            ispdb::lookup(&client, &address, &host_url, Source::IspdbAutoconfigHost)
        ),
        bounded(
            timeout,
            ispdb::lookup(&client, &address, &known_url, Source::IspdbWellKnown)
        ),
        bounded(timeout, srv::lookup(&resolver, &address)),
        bounded(timeout, mx::lookup(&resolver, &address)),
    );

    let mut tried = Tried::new(&address.domain);
    tried.miss(
        "built-in providers",
        Miss::absent(format!("none for {}", address.domain)),
    );
    let mut found = Vec::new();
    for (lookup, outcome) in [
        (host_url, by_host),
        (known_url, by_known),
        ("SRV records".to_owned(), by_srv),
        (format!("MX records of {}", address.domain), by_mx),
    ] {
        match outcome {
            Ok(candidates) => found.extend(candidates),
            Err(miss) => tried.miss(&lookup, miss),
        }
    }
    dedup(&mut found);
    if found.is_empty() {
        return Err(tried.into_error(email));
    }
    tried.log();
    Ok(found)
}

/// One lookup bounded in time: past `timeout` it is a network miss.
async fn bounded(
    timeout: Duration,
    lookup: impl std::future::Future<Output = Result<Vec<Found>, Miss>>,
) -> Result<Vec<Found>, Miss> {
    tokio::time::timeout(timeout, lookup)
        .await
        .unwrap_or_else(|_| {
            Err(Miss::network(format!(
                "no answer within {:.1} s",
                timeout.as_secs_f32()
            )))
        })
}

/// Drop candidates whose settings an earlier (better) one already has: the autoconfig
/// host and the well-known URL often serve the same file.
fn dedup(found: &mut Vec<Found>) {
    let mut seen: Vec<Found> = Vec::new();
    found.retain(|f| {
        let same = |s: &Found| {
            s.incoming == f.incoming
                && s.protocol == f.protocol
                && s.smtp == f.smtp
                && s.username == f.username
                && s.auth == f.auth
        };
        if seen.iter().any(same) {
            false
        } else {
            seen.push(f.clone());
            true
        }
    });
}

/// An address split for lookups; the domain lower-case ASCII (IDNA for non-ASCII names).
#[derive(Debug, Clone)]
struct Address {
    email: String,
    local: String,
    domain: String,
}

impl Address {
    fn parse(email: &str) -> Result<Address> {
        let email = email.trim();
        let bad = |why: &str| Error::new(ErrorKind::Config, format!("{email:?} {why}"));
        let (local, domain) = email
            .rsplit_once('@')
            .ok_or_else(|| bad("is not an email address (no @)"))?;
        if local.is_empty() || local.chars().any(char::is_whitespace) {
            return Err(bad("is not an email address"));
        }
        let domain =
            dns::ascii_domain(domain).ok_or_else(|| bad("does not end in a valid domain name"))?;
        Ok(Address {
            email: email.to_owned(),
            local: local.to_owned(),
            domain,
        })
    }
}

/// One small HTTPS GET the way autoconfig fetches (its TLS rules, `resolver`'s DNS,
/// `https://` only, size-capped), for other features that read a file off the web: the
/// domain check's MTA-STS policy. `port` replaces 443 (tests).
pub(crate) async fn https_get(
    resolver: &hickory_resolver::TokioResolver,
    ca_file: Option<&std::path::Path>,
    port: u16,
    url: &str,
) -> std::result::Result<Vec<u8>, String> {
    let tls = crate::tls::client_config(ca_file).map_err(|e| e.message)?;
    https::Client::new(resolver, tls, port)
        .get(url)
        .await
        .map_err(|miss| miss.why)
}

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod tests;
