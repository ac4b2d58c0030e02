//! The byte stream under an IMAP session: TLS, or DEFLATE (RFC 4978) inside TLS once
//! COMPRESS is on. One type for both, so the rest of the code has one `ImapSession`.
//! async-imap reads it through a [`Guard`] (timeouts, framing limits); under DEFLATE the
//! TLS side has a guard of its own that only passes bytes through (see `guard`).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_imap::DeflateStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::guard::Guard;

/// What async-imap reads from and writes to.
pub type Link = Guard<Wire>;

#[derive(Debug)]
pub enum Wire {
    Tls(Box<TlsStream<TcpStream>>),
    Deflate(Box<DeflateStream<Link>>),
}

impl AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Wire::Deflate(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Wire::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Wire::Deflate(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Wire::Deflate(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Wire::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Wire::Deflate(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
