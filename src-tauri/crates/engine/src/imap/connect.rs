//! Connect and log in. Implicit TLS, or STARTTLS that must succeed before LOGIN: the
//! password never crosses a clear channel. Certificates are checked by `crate::tls`.

use async_imap::Client;

use super::link::{Link, Wire};
pub use super::session::ImapSession;

pub(crate) use super::error_words::imap_error;
use crate::api::{Account, Security};
use crate::auth::secrets::Secret;
use crate::error::{Context, Error, ErrorKind, Result};
use crate::net;
use crate::net::sasl::{self, Mechanism};

/// Connect to the account's IMAP server and log in with the strongest mechanism both
/// sides allow: OAUTHBEARER or XOAUTH2 with a token; SCRAM-SHA-256, CRAM-MD5,
/// AUTHENTICATE PLAIN or LOGIN with a password (always inside TLS).
pub async fn connect(account: &Account, secret: &Secret) -> Result<ImapSession> {
    connect_with(account, secret, None).await
}

/// `connect` with a given mechanism (tests, and users whose server advertises one that
/// does not work).
pub async fn connect_with(
    account: &Account,
    secret: &Secret,
    mechanism: Option<Mechanism>,
) -> Result<ImapSession> {
    let server = format!("{}:{}", account.incoming.host, account.incoming.port);
    let mut client = open(account)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let advertised = auth_capabilities(&mut client)
        .await
        .with_context(|| format!("asking {server} what it offers"))?;
    let mechanism = match mechanism {
        Some(m) => Some(m),
        None => sasl::choose(&advertised, secret),
    };
    let user = account.username.as_str();
    let how = mechanism.map_or("LOGIN", |m| m.name());
    tracing::debug!(target: "courriel_engine::imap", "{server}: signing in as {user} with {how}");
    let session = match (mechanism, secret) {
        (None | Some(Mechanism::Login), Secret::Password(password)) => client
            .login(user, password)
            .await
            .map_err(|(e, _)| imap_error(e, ErrorKind::Auth)),
        (Some(m), secret) => super::authenticate::authenticate(client, m, user, secret).await,
        (None, Secret::OAuth2Token(_)) => {
            return Err(Error::new(
                ErrorKind::Auth,
                format!("{server} offers neither OAUTHBEARER nor XOAUTH2 for a token"),
            ));
        }
    };
    session
        .map(ImapSession::new)
        .with_context(|| format!("logging in as {user} on {server}"))
}

/// Turn on COMPRESS=DEFLATE (RFC 4978): mail is text and compresses 3-5x, which is
/// what a first sync over a phone link is made of.
pub async fn compress(session: ImapSession) -> Result<ImapSession> {
    let enabled = session.qresync_enabled;
    let mut session = session
        .into_inner()
        .compress(|mut deflate| {
            // The framing and the clock move above DEFLATE, where the bytes are IMAP.
            deflate.get_mut().below_deflate();
            Link::new(Wire::Deflate(Box::new(deflate)))
        })
        .await
        .map(ImapSession::new)
        .map_err(|e| imap_error(e, ErrorKind::Protocol))
        .context("COMPRESS DEFLATE")?;
    session.qresync_enabled = enabled;
    Ok(session)
}

/// Whether the server is this machine: compressing a link through memory costs CPU on
/// both ends and saves nothing.
pub fn on_loopback(session: &ImapSession) -> bool {
    match session.get_ref().inner() {
        Wire::Tls(tls) => tls
            .get_ref()
            .0
            .peer_addr()
            .is_ok_and(|a| a.ip().is_loopback()),
        _ => false,
    }
}

/// The SASL mechanisms the server offers now (after TLS): CAPABILITY's AUTH= entries.
/// Sent with our own tag: async-imap's unauthenticated client has no CAPABILITY command.
async fn auth_capabilities(client: &mut Client<Link>) -> Result<Vec<String>> {
    use async_imap::imap_proto::{Capability, Response};
    use tokio::io::AsyncWriteExt;
    client.get_mut().write_all(b"c0 CAPABILITY\r\n").await?;
    client.get_mut().flush().await?;
    let mut mechanisms = Vec::new();
    loop {
        let response = client
            .read_response()
            .await?
            .ok_or_else(|| Error::new(ErrorKind::Network, "the server closed the connection"))?;
        match response.parsed() {
            Response::Capabilities(caps) => {
                mechanisms.extend(caps.iter().filter_map(|c| match c {
                    Capability::Auth(m) => Some(m.to_ascii_uppercase()),
                    _ => None,
                }))
            }
            Response::Done { tag, .. } if tag.0 == "c0" => return Ok(mechanisms),
            _ => {}
        }
    }
}

async fn open(account: &Account) -> Result<Client<Link>> {
    let (host, ca) = (account.incoming.host.as_str(), account.ca_file.as_deref());
    let tcp = net::connect::tcp(host, account.incoming.port).await?;
    let tls = match account.incoming.security {
        Security::Tls => net::connect::tls(host, ca, tcp).await?,
        Security::Starttls => {
            let upgrade = net::connect::Upgrade::Imap;
            net::connect::starttls(tcp, (host, ca), upgrade)
                .await
                .context("STARTTLS (required for this account)")?
                .0
        }
    };
    let mut client = Client::new(Link::new(Wire::Tls(Box::new(tls))));
    if account.incoming.security == Security::Tls {
        greeting(&mut client).await?;
    }
    Ok(client)
}

async fn greeting<T>(client: &mut Client<T>) -> Result<()>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    client
        .read_response()
        .await
        .context("reading the greeting")?
        .ok_or_else(|| Error::new(ErrorKind::Network, "the server closed the connection"))?;
    Ok(())
}
