//! Connect and log in. Implicit TLS, or STARTTLS that must succeed before LOGIN: the
//! password never crosses a clear channel. Certificates are checked by `crate::tls`.

use std::time::Duration;

use async_imap::{Client, Session};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use crate::api::{Account, Security};
use crate::auth::secrets::Secret;
use crate::error::{io_kind, Context, Error, ErrorKind, Result};

pub type ImapSession = Session<TlsStream<TcpStream>>;

const TIMEOUT: Duration = Duration::from_secs(30);

/// Connect to the account's IMAP server and log in: LOGIN with a password,
/// AUTHENTICATE XOAUTH2 with an OAuth2 token.
pub async fn connect(account: &Account, secret: &Secret) -> Result<ImapSession> {
    let server = format!("{}:{}", account.incoming.host, account.incoming.port);
    let client = open(account)
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let session = match secret {
        Secret::Password(password) => client.login(&account.username, password).await,
        Secret::OAuth2Token(token) => {
            let auth = XOAuth2 {
                initial: format!("user={}\x01auth=Bearer {token}\x01\x01", account.username),
                sent: false,
            };
            client.authenticate("XOAUTH2", auth).await
        }
    };
    session
        .map_err(|(e, _)| imap_error(e, ErrorKind::Auth))
        .with_context(|| format!("logging in as {} on {server}", account.username))
}

/// XOAUTH2: the token first; an error challenge is answered with an empty response so
/// the server sends its final NO instead of waiting.
struct XOAuth2 {
    initial: String,
    sent: bool,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        if std::mem::replace(&mut self.sent, true) {
            Vec::new()
        } else {
            self.initial.clone().into_bytes()
        }
    }
}

async fn open(account: &Account) -> Result<Client<TlsStream<TcpStream>>> {
    let tcp = tokio::time::timeout(
        TIMEOUT,
        TcpStream::connect((account.incoming.host.as_str(), account.incoming.port)),
    )
    .await
    .map_err(|_| Error::new(ErrorKind::Network, "timed out"))??;
    // Small command/response exchanges: don't let Nagle wait for delayed ACKs.
    tcp.set_nodelay(true)?;
    let tcp = match account.incoming.security {
        Security::Tls => tcp,
        Security::Starttls => starttls(tcp).await?,
    };
    let tls = handshake(account, tcp).await?;
    let mut client = Client::new(tls);
    if account.incoming.security == Security::Tls {
        greeting(&mut client).await?;
    }
    Ok(client)
}

/// Read the greeting, send STARTTLS, and hand back the raw stream for the handshake.
async fn starttls(tcp: TcpStream) -> Result<TcpStream> {
    let mut client = Client::new(tcp);
    greeting(&mut client).await?;
    client
        .run_command_and_check_ok("STARTTLS", None)
        .await
        .map_err(|e| imap_error(e, ErrorKind::Tls))
        .context("STARTTLS (required for this account)")?;
    Ok(client.into_inner())
}

async fn handshake(account: &Account, tcp: TcpStream) -> Result<TlsStream<TcpStream>> {
    crate::tls::handshake(&account.incoming.host, account.ca_file.as_deref(), tcp).await
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

/// Map an async-imap error; `no_kind` is what a NO means at this step.
pub(crate) fn imap_error(e: async_imap::error::Error, no_kind: ErrorKind) -> Error {
    use async_imap::error::Error as E;
    let kind = match &e {
        E::Io(io) => io_kind(io),
        E::ConnectionLost => ErrorKind::Network,
        E::No(_) => no_kind,
        E::Bad(_) | E::Parse(_) | E::Validate(_) => ErrorKind::Protocol,
        E::Append => ErrorKind::Rejected,
        _ => ErrorKind::Protocol,
    };
    Error::new(kind, e.to_string())
}
