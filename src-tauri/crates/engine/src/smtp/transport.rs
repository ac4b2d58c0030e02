//! The TLS link under lettre: we connect and secure it ourselves (our rustls config, the
//! same as IMAP's), then hand lettre a ready stream. That gives the trace what lettre
//! hides: the peer's IP, the TLS version, the cipher and the certificate's subject.
//!
//! STARTTLS is done before lettre sees the connection, by `net::connect` (greeting, EHLO,
//! STARTTLS required, handshake; whatever the server sent after its "220 ready" is
//! discarded, RFC 3207 §5). lettre then expects a greeting, so the stream replays one.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use lettre::transport::smtp::client::AsyncTokioStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::bounded::Bounds;
use super::trace::Trace;
use crate::api::{Account, Security};
use crate::error::Result;
use crate::net;

/// A TLS stream that first replays a greeting line for lettre; or, only for an account
/// that explicitly asked for a plaintext local relay, the bare TCP stream.
#[derive(Debug)]
pub struct Link {
    stream: Stream,
    replay: Vec<u8>,
    at: usize,
    /// The reply wait and the line limits (`bounded`): lettre has neither.
    bounds: Bounds,
}

#[derive(Debug)]
enum Stream {
    Tls(Box<TlsStream<TcpStream>>),
    Plain(TcpStream),
}

/// Connect, secure (implicit TLS or required STARTTLS) and describe the link in `trace`.
pub async fn open(account: &Account, trace: &mut Trace) -> Result<Link> {
    let (host, port) = (account.smtp.host.as_str(), account.smtp.port);
    // Nagle off (net::connect::tcp): otherwise the final "\r\n.\r\n" record waits for
    // the server's delayed ACK (about 40 ms per message): measured by `make bench`, 10x.
    let tcp = net::connect::tcp(host, port).await?;
    let peer = tcp
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    trace.step(format!("connected to {host}:{port} ({peer})"));
    if account.smtp_plaintext_no_auth {
        trace.step("plaintext local relay, as this account is set up: no TLS, no AUTH");
        return Ok(Link {
            stream: Stream::Plain(tcp),
            replay: Vec::new(),
            at: 0,
            bounds: Bounds::default(),
        });
    }
    let ca = account.ca_file.as_deref();
    let (tls, replay) = match account.smtp.security {
        Security::Tls => (net::connect::tls(host, ca, tcp).await?, Vec::new()),
        Security::Starttls => {
            let domain = super::domain_of(&account.email);
            let upgrade = net::connect::Upgrade::Smtp { domain };
            let (tls, plain) = net::connect::starttls(tcp, (host, ca), upgrade)
                .await
                .inspect_err(|e| trace.step(format!("STARTTLS: {e}")))?;
            trace.step(format!("greeting: {}", plain.greeting.join(" ")));
            if plain.discarded > 0 {
                trace.step(format!(
                    "dropped {} bytes sent in the clear after STARTTLS",
                    plain.discarded
                ));
            }
            // lettre expects a greeting on the stream it is handed.
            let replay = format!("220 {domain} (greeting replayed after STARTTLS)\r\n");
            (tls, replay.into_bytes())
        }
    };
    trace.step(crate::tls::describe(&tls));
    Ok(Link {
        stream: Stream::Tls(Box::new(tls)),
        replay,
        at: 0,
        bounds: Bounds::default(),
    })
}

/// "TLS 1.3, TLS13_AES_256_GCM_SHA384, certificate CN=mail.example.org (verified)".
impl AsyncRead for Link {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.at < this.replay.len() {
            let n = (this.replay.len() - this.at).min(buf.remaining());
            buf.put_slice(&this.replay[this.at..this.at + n]);
            this.at += n;
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let read = match &mut this.stream {
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
            Stream::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
        };
        match read {
            Poll::Pending => this.bounds.pending(cx),
            Poll::Ready(Ok(())) => Poll::Ready(this.bounds.arrived(&buf.filled()[before..])),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
        }
    }
}

impl AsyncWrite for Link {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.stream {
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
            Stream::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
        }
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        match &mut self.stream {
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
            Stream::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        match &mut self.stream {
            Stream::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
            Stream::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
        }
    }
}

impl AsyncTokioStream for Link {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        match &self.stream {
            Stream::Tls(tls) => tls.get_ref().0.peer_addr(),
            Stream::Plain(tcp) => tcp.peer_addr(),
        }
    }
}
