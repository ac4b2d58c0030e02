//! One way to reach a server: TCP with a timeout, then TLS, implicit or after a STARTTLS
//! (SMTP), STARTTLS (IMAP) or STLS (POP3) that must succeed. The same rustls
//! configuration (`crate::tls`) for all three; the plaintext dialogue before the upgrade
//! reads bounded lines (`lines`), and whatever the server sent after its "go ahead" is
//! discarded, never read as part of the secured session.

use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::lines::Lines;
use crate::error::{Error, ErrorKind, Result};

/// What a plaintext dialogue runs over: a socket, or scripted bytes in tests.
pub trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> Stream for T {}

/// How long a TCP connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A TCP connection to `host:port`, Nagle off (commands and replies are small: waiting
/// for delayed ACKs costs tens of milliseconds per exchange).
pub async fn tcp(host: &str, port: u16) -> Result<TcpStream> {
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((host, port)))
        .await
        .map_err(|_| {
            Error::new(
                ErrorKind::Network,
                format!(
                    "no answer from {host}:{port} within {} seconds",
                    CONNECT_TIMEOUT.as_secs()
                ),
            )
        })??;
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

/// The TLS handshake over `tcp`, the certificate checked for `host`.
pub async fn tls(
    host: &str,
    ca_file: Option<&str>,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>> {
    crate::tls::handshake(host, ca_file, tcp).await
}

/// Which plaintext dialogue leads to the upgrade.
#[derive(Debug, Clone, Copy)]
pub enum Upgrade<'a> {
    /// SMTP: greeting, `EHLO <domain>`, STARTTLS (RFC 3207).
    Smtp { domain: &'a str },
    /// IMAP: greeting, STARTTLS (RFC 3501 §6.2.1).
    Imap,
    /// POP3: greeting, CAPA, STLS (RFC 2595).
    Pop3,
}

/// What the plaintext part said, for the trace and for the protocol after TLS.
#[derive(Debug, Clone, Default)]
pub struct Plaintext {
    /// The greeting's lines (POP3's carries the APOP timestamp).
    pub greeting: Vec<String>,
    /// Bytes the server sent after its "go ahead", dropped.
    pub discarded: usize,
}

/// Upgrade `tcp` with the protocol's STARTTLS, then secure it. A server that does not
/// offer the upgrade, or refuses it, is a `Tls` error: never a silent plaintext session.
pub async fn starttls(
    tcp: TcpStream,
    (host, ca_file): (&str, Option<&str>),
    upgrade: Upgrade<'_>,
) -> Result<(TlsStream<TcpStream>, Plaintext)> {
    let mut lines = Lines::new(tcp);
    let greeting = match upgrade {
        Upgrade::Smtp { domain } => smtp(&mut lines, domain).await?,
        Upgrade::Imap => imap(&mut lines).await?,
        Upgrade::Pop3 => pop3(&mut lines).await?,
    };
    let (tcp, discarded) = lines.into_inner();
    if discarded > 0 {
        tracing::warn!("{host}: dropped {discarded} bytes sent in the clear before TLS");
    }
    let tls = tls(host, ca_file, tcp).await?;
    Ok((
        tls,
        Plaintext {
            greeting,
            discarded,
        },
    ))
}

fn not_offered(what: &str) -> Error {
    Error::new(
        ErrorKind::Tls,
        format!("the server does not offer {what}; refusing to continue unencrypted"),
    )
}

fn refused(what: &str, said: &str) -> Error {
    Error::new(ErrorKind::Tls, format!("{what} refused: {said}"))
}

/// One SMTP reply, all its lines: the code, and each line's text. A line that does not
/// start with three digits is not SMTP (and never sliced where it is not ASCII).
pub async fn smtp_reply<S: Stream>(lines: &mut Lines<S>) -> Result<(u16, Vec<String>)> {
    let mut texts = Vec::new();
    loop {
        let line = lines.read().await?;
        let code = line
            .get(..3)
            .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|c| c.parse::<u16>().ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    format!("not an SMTP reply: \"{}\"", crate::error::quote(&line)),
                )
            })?;
        let more = line.as_bytes().get(3) == Some(&b'-');
        texts.push(line.get(4..).unwrap_or_default().to_owned());
        if !more {
            return Ok((code, texts));
        }
    }
}

async fn smtp<S: Stream>(lines: &mut Lines<S>, domain: &str) -> Result<Vec<String>> {
    let (code, greeting) = smtp_reply(lines).await?;
    if code != 220 {
        return Err(Error::new(
            ErrorKind::Rejected,
            format!("the server answered {code} {}", greeting.join(" ")),
        ));
    }
    lines.write(&format!("EHLO {domain}")).await?;
    let (code, ehlo) = smtp_reply(lines).await?;
    let offered = code == 250
        && ehlo
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case("STARTTLS"));
    if !offered {
        return Err(not_offered("STARTTLS"));
    }
    lines.write("STARTTLS").await?;
    match smtp_reply(lines).await? {
        (220, _) => Ok(greeting),
        (code, said) => Err(refused("STARTTLS", &format!("{code} {}", said.join(" ")))),
    }
}

async fn imap<S: Stream>(lines: &mut Lines<S>) -> Result<Vec<String>> {
    let greeting = lines.read().await?;
    if !greeting.to_ascii_uppercase().starts_with("* OK") {
        return Err(Error::new(
            ErrorKind::Rejected,
            format!(
                "the server greeted with \"{}\"",
                crate::error::quote(&greeting)
            ),
        ));
    }
    lines.write("s1 STARTTLS").await?;
    loop {
        let line = lines.read().await?;
        let Some(status) = line.strip_prefix("s1 ") else {
            continue; // untagged data (a CAPABILITY) before the answer
        };
        return if status.to_ascii_uppercase().starts_with("OK") {
            Ok(vec![greeting])
        } else {
            Err(refused("STARTTLS", status))
        };
    }
}

async fn pop3<S: Stream>(lines: &mut Lines<S>) -> Result<Vec<String>> {
    let greeting = lines.read().await?;
    if !greeting.starts_with("+OK") {
        return Err(Error::new(
            ErrorKind::Rejected,
            format!(
                "the server greeted with \"{}\"",
                crate::error::quote(&greeting)
            ),
        ));
    }
    lines.write("CAPA").await?;
    let mut stls = false;
    if lines.read().await?.starts_with("+OK") {
        loop {
            let line = lines.read().await?;
            if line == "." {
                break;
            }
            stls |= line.trim().eq_ignore_ascii_case("STLS");
        }
    }
    if !stls {
        return Err(not_offered("STLS"));
    }
    lines.write("STLS").await?;
    let answer = lines.read().await?;
    if !answer.starts_with("+OK") {
        return Err(refused("STLS", &answer));
    }
    Ok(vec![greeting])
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// A server that sends `script` and then waits; the dialogue reads from it.
    fn scripted(script: &'static [u8]) -> Lines<tokio::io::DuplexStream> {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            server.write_all(script).await.ok();
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        Lines::new(client).with_timeout(Duration::from_millis(200))
    }

    #[tokio::test]
    async fn a_non_ascii_byte_in_an_ehlo_line_is_an_error_not_a_panic() {
        // Read as a 250 without STARTTLS, where slicing at byte 4 used to panic.
        let mut lines = scripted("220 mx ready\r\n250é\r\n".as_bytes());
        let e = smtp(&mut lines, "example.org")
            .await
            .expect_err("not STARTTLS");
        assert_eq!(e.kind, ErrorKind::Tls, "{e}");
        let mut lines = scripted("220 mx\r\n250-mx\r\n250 SIZE 10\r\n".as_bytes());
        let e = smtp(&mut lines, "example.org")
            .await
            .expect_err("no STARTTLS");
        assert_eq!(e.kind, ErrorKind::Tls);
        let mut lines = scripted(b"\xff\xfe\r\n");
        assert_eq!(
            smtp_reply(&mut lines).await.expect_err("garbage").kind,
            ErrorKind::Protocol
        );
    }

    #[tokio::test]
    async fn each_protocol_requires_its_upgrade() {
        let mut lines = scripted(b"* OK hi\r\ns1 NO not now\r\n");
        assert_eq!(
            imap(&mut lines).await.expect_err("refused").kind,
            ErrorKind::Tls
        );
        let mut lines = scripted(b"+OK hi\r\n+OK\r\nUIDL\r\n.\r\n");
        let e = pop3(&mut lines).await.expect_err("no STLS");
        assert!(e.message.contains("does not offer STLS"), "{e}");
        let mut lines = scripted(b"+OK <1.2@x>\r\n+OK\r\nSTLS\r\n.\r\n+OK go\r\n");
        assert_eq!(pop3(&mut lines).await.expect("upgrade"), ["+OK <1.2@x>"]);
    }

    #[tokio::test]
    async fn a_silent_server_ends_the_dialogue() {
        let mut lines = scripted(b"");
        let e = imap(&mut lines).await.expect_err("silence");
        assert_eq!(e.kind, ErrorKind::Network, "{e}");
    }
}
