//! Thunderbird's autoconfig format (`config-v1.1.xml`, the ISPDB format), parsed with
//! roxmltree (a small, dependency-free DOM reader that refuses DTDs; the files are a few
//! KB). The format: <https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat>.
//!
//! Each `incomingServer` (`imap`, `pop3`) and `outgoingServer` (`smtp`) is judged alone:
//! `socketType` `SSL` is implicit TLS, `STARTTLS` is STARTTLS (required), and `plain` is
//! dropped, never offered, as is any server with no sign-in method Courriel has
//! (`password-cleartext` and `password-encrypted` are a password, only ever sent inside
//! TLS; `OAuth2` is OAuth2). Of what remains, IMAP comes before POP3 and implicit TLS
//! before STARTTLS, the file's order breaking ties; the outgoing server is chosen the
//! same way. `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%` are filled in.

use super::https::Client;
use super::tried::Miss;
use super::{dns, Address, AuthKind, Found, Source, UsernameForm};
use crate::api::{Endpoint, Protocol, Security};

/// What a file says, before any judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Config {
    pub servers: Vec<Server>,
    /// `<oAuth2><issuer>`, to know which OAuth2 configuration `OAuth2` means.
    pub oauth2_issuer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Server {
    pub incoming: bool,
    /// `type`: imap, pop3, smtp (others, such as exchange or jmap, are not used).
    pub kind: String,
    pub hostname: String,
    pub port: String,
    pub socket_type: String,
    pub username: String,
    pub authentication: Vec<String>,
}

/// Fetch `url` and read it; `source` says where the candidates came from.
pub(super) async fn lookup(
    client: &Client<'_>,
    address: &Address,
    url: &str,
    source: fn(String) -> Source,
) -> Result<Vec<Found>, Miss> {
    let body = client.get(url).await?;
    let text = std::str::from_utf8(&body).map_err(|_| Miss::refused("not UTF-8 text"))?;
    let config = parse(text).map_err(|e| Miss::refused(format!("not an autoconfig file: {e}")))?;
    candidates(&config, address, source(url.to_owned())).map_err(Miss::refused)
}

/// Read a `config-v1.1.xml` document.
pub(super) fn parse(xml: &str) -> Result<Config, String> {
    let xml = xml.trim_start_matches('\u{feff}');
    let doc = roxmltree::Document::parse(xml).map_err(|e| format!("not valid XML ({e})"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "clientConfig" {
        return Err(format!(
            "<{}> where <clientConfig> was expected",
            root.tag_name().name()
        ));
    }
    let provider = child(root, "emailProvider").ok_or("no <emailProvider>")?;
    let servers = provider
        .children()
        .filter(|n| n.is_element())
        .filter_map(|n| {
            let incoming = match n.tag_name().name() {
                "incomingServer" => true,
                "outgoingServer" => false,
                _ => return None,
            };
            Some(Server {
                incoming,
                kind: n.attribute("type").unwrap_or_default().to_ascii_lowercase(),
                hostname: text(n, "hostname"),
                port: text(n, "port"),
                socket_type: text(n, "socketType"),
                username: text(n, "username"),
                authentication: n
                    .children()
                    .filter(|c| c.has_tag_name("authentication"))
                    .map(|c| c.text().unwrap_or_default().trim().to_owned())
                    .collect(),
            })
        })
        .collect();
    let oauth2_issuer = child(root, "oAuth2")
        .map(|o| text(o, "issuer"))
        .filter(|i| !i.is_empty());
    Ok(Config {
        servers,
        oauth2_issuer,
    })
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    child(node, name)
        .and_then(|c| c.text())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A server Courriel may use.
struct Usable {
    protocol: Option<Protocol>,
    endpoint: Endpoint,
    username: UsernameForm,
    auth: Vec<AuthKind>,
}

impl Usable {
    /// Lower is better: implicit TLS first.
    fn rank(&self) -> u8 {
        match self.endpoint.security {
            Security::Tls => 0,
            Security::Starttls => 1,
        }
    }
}

/// Why a server is not used.
enum Unusable {
    /// `socketType` plain: "host:port".
    Plain(String),
    Other(String),
}

/// The candidates a file gives for `address`: the best IMAP one, then the best POP3 one;
/// or why it gives none (every unusable server named).
pub(super) fn candidates(
    config: &Config,
    address: &Address,
    source: Source,
) -> Result<Vec<Found>, String> {
    let mut plain = Vec::new();
    let mut why_not = Vec::new();
    let mut usable = Vec::new();
    for server in &config.servers {
        match judge(server, address, config.oauth2_issuer.as_deref()) {
            Ok(u) => usable.push(u),
            Err(Unusable::Plain(server)) => plain.push(server),
            Err(Unusable::Other(why)) => why_not.push(why),
        }
    }
    let found = pairs(&usable, &source, &mut why_not);
    if !found.is_empty() {
        return Ok(found);
    }
    Err(why_none(&usable, &plain, why_not))
}

/// The best usable server for `wanted` (`None`: SMTP).
fn best(usable: &[Usable], wanted: Option<Protocol>) -> Option<&Usable> {
    usable
        .iter()
        .filter(|u| u.protocol == wanted)
        .min_by_key(|u| u.rank()) // min_by_key keeps the first of equals
}

/// The best IMAP server, then the best POP3 one, each with the best SMTP server when the
/// two share a sign-in method (when not, `why_not` says so).
fn pairs(usable: &[Usable], source: &Source, why_not: &mut Vec<String>) -> Vec<Found> {
    let mut found = Vec::new();
    let Some(smtp) = best(usable, None) else {
        return found;
    };
    for protocol in [Protocol::Imap, Protocol::Pop3] {
        let Some(incoming) = best(usable, Some(protocol)) else {
            continue;
        };
        let Some(auth) = incoming.auth.iter().find(|a| smtp.auth.contains(a)) else {
            why_not.push(format!(
                "{} and {} share no sign-in method",
                incoming.endpoint.host, smtp.endpoint.host
            ));
            continue;
        };
        found.push(Found {
            provider: None,
            incoming: incoming.endpoint.clone(),
            protocol,
            smtp: smtp.endpoint.clone(),
            username: incoming.username.clone(),
            auth: auth.clone(),
            source: source.clone(),
        });
    }
    found
}

/// Why the file gives no candidate: what is missing, then every refusal, the unencrypted
/// servers first.
fn why_none(usable: &[Usable], plain: &[String], mut why_not: Vec<String>) -> String {
    let missing = if usable.is_empty() {
        "no usable server"
    } else if best(usable, None).is_none() {
        "no usable outgoing (SMTP) server"
    } else {
        "no usable incoming (IMAP or POP3) server"
    };
    if !plain.is_empty() {
        why_not.insert(
            0,
            format!(
                "unencrypted servers (socketType plain) refused, a password would travel in \
                 clear: {}",
                plain.join(", ")
            ),
        );
    }
    if why_not.is_empty() {
        missing.to_owned()
    } else {
        format!("{missing}: {}", why_not.join("; "))
    }
}

/// Whether Courriel may use `server`, and how; or why not.
fn judge(server: &Server, address: &Address, issuer: Option<&str>) -> Result<Usable, Unusable> {
    let other = Unusable::Other;
    let protocol = match (server.incoming, server.kind.as_str()) {
        (true, "imap") => Some(Protocol::Imap),
        (true, "pop3") => Some(Protocol::Pop3),
        (false, "smtp") => None,
        (_, kind) => return Err(other(format!("a {kind:?} server is not supported"))),
    };
    let host = fill(&server.hostname, address);
    let host = dns::ascii_domain(&host)
        .ok_or_else(|| other(format!("{:?} is not a host name", server.hostname)))?;
    let port = server
        .port
        .parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| other(format!("{host}: {:?} is not a port", server.port)))?;
    let security = match server.socket_type.to_ascii_lowercase().as_str() {
        "ssl" => Security::Tls,
        "starttls" => Security::Starttls,
        "plain" => return Err(Unusable::Plain(format!("{host}:{port}"))),
        unknown => {
            return Err(other(format!(
                "{host}:{port}: unknown socketType {unknown:?}"
            )))
        }
    };
    let mut auth: Vec<AuthKind> = Vec::new();
    let methods: Vec<&str> = if server.authentication.is_empty() {
        vec!["password-cleartext"] // the format's default
    } else {
        server.authentication.iter().map(String::as_str).collect()
    };
    for method in &methods {
        if let Some(kind) = auth_kind(method, issuer) {
            if !auth.contains(&kind) {
                auth.push(kind);
            }
        }
    }
    if auth.is_empty() {
        return Err(other(format!(
            "{host}:{port}: no sign-in method Courriel supports ({})",
            methods.join(", ")
        )));
    }
    Ok(Usable {
        protocol,
        endpoint: Endpoint {
            host,
            port,
            security,
        },
        username: username(&server.username, address),
        auth,
    })
}

/// An `<authentication>` value Courriel can do.
fn auth_kind(method: &str, issuer: Option<&str>) -> Option<AuthKind> {
    match method.to_ascii_lowercase().as_str() {
        // "plain" and "secure" are the format's old names.
        "password-cleartext" | "plain" | "password-encrypted" | "secure" => {
            Some(AuthKind::Password)
        }
        "oauth2" => Some(AuthKind::OAuth2 {
            provider: issuer.and_then(oauth2_provider).map(str::to_owned),
        }),
        _ => None,
    }
}

/// Courriel's OAuth2 configuration for an ISPDB issuer.
fn oauth2_provider(issuer: &str) -> Option<&'static str> {
    match issuer.to_ascii_lowercase().as_str() {
        "accounts.google.com" => Some("google"),
        "login.microsoftonline.com" => Some("microsoft"),
        _ => None,
    }
}

fn username(template: &str, address: &Address) -> UsernameForm {
    match template {
        "" | "%EMAILADDRESS%" => UsernameForm::Address,
        "%EMAILLOCALPART%" => UsernameForm::LocalPart,
        other => {
            let filled = fill(other, address);
            let normalized = format!("{}@{}", address.local, address.domain);
            if filled == address.email || filled == normalized {
                UsernameForm::Address
            } else if filled == address.local {
                UsernameForm::LocalPart
            } else {
                UsernameForm::Other(filled)
            }
        }
    }
}

fn fill(template: &str, address: &Address) -> String {
    template
        .replace("%EMAILADDRESS%", &address.email)
        .replace("%EMAILLOCALPART%", &address.local)
        .replace("%EMAILDOMAIN%", &address.domain)
}

#[cfg(test)]
mod tests;
