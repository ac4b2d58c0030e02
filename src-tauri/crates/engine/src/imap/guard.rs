//! The stream async-imap reads from, guarded: async-imap waits for the server as long as
//! it takes and buffers a response until it parses, so by itself a server that goes
//! silent hangs a sync forever and one that never ends a line fills memory. Between it and
//! the link, this guard
//!
//! - fails a read (or a write) when the server sends (or takes) nothing for the read
//!   timeout, 60 seconds ([`crate::net::lines::READ_TIMEOUT`], as for SMTP and POP3);
//!   IDLE waits longer on purpose and says so ([`Guard::set_wait`]);
//! - checks the framing of every byte before async-imap sees it ([`super::frame`]): line
//!   length, literal size, parenthesis depth; and cuts a long SEARCH line in pieces.
//!
//! With COMPRESS=DEFLATE the framing must be checked on the inflated bytes, so the guard
//! that async-imap reads from sits above the DEFLATE stream; the one below it (on the
//! compressed TLS bytes) is [`Guard::below_deflate`]: it neither checks framing nor keeps
//! time, the one above does both.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use super::frame::Frame;
use crate::error::{ErrorKind, Refused};

/// The wait for the server, in milliseconds, for guards made from now on: the read
/// timeout, unless a test lowered it ([`set_read_timeout`]).
static WAIT_MS: AtomicU64 = AtomicU64::new(crate::net::lines::READ_TIMEOUT.as_millis() as u64);

/// Another read timeout for the IMAP sessions opened from now on. Only tests change it
/// (a scripted silent server must not cost each test a minute).
pub fn set_read_timeout(wait: Duration) {
    WAIT_MS.store(wait.as_millis() as u64, Ordering::Relaxed);
}

/// The read timeout new IMAP sessions get.
pub fn read_timeout() -> Duration {
    Duration::from_millis(WAIT_MS.load(Ordering::Relaxed))
}

/// A stream under async-imap, guarded (`super::link::Link` is the one over the network).
#[derive(Debug)]
pub struct Guard<S> {
    inner: S,
    /// How long the server may stay silent; None: not this guard's job.
    wait: Option<Duration>,
    timer: Option<Pin<Box<Sleep>>>,
    /// None below DEFLATE, where the bytes are compressed.
    frame: Option<Frame>,
    /// Checked bytes not handed up yet (the frame may add some: `Frame::pass`).
    ready: Vec<u8>,
    /// Where they start in `ready`.
    taken: usize,
}

/// How much is read from the link at once.
const READ: usize = 16 * 1024;

impl<S> Guard<S> {
    pub fn new(inner: S) -> Guard<S> {
        Guard {
            inner,
            wait: Some(read_timeout()),
            timer: None,
            frame: Some(Frame::default()),
            ready: Vec::new(),
            taken: 0,
        }
    }

    /// The stream under the guard.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Make this guard a plain pass-through: it is about to sit under DEFLATE, whose
    /// output another guard watches.
    pub fn below_deflate(&mut self) {
        self.wait = None;
        self.timer = None;
        self.frame = None;
    }

    /// How long the server may stay silent from now on: IDLE waits for it up to its
    /// renewal interval, then goes back to [`read_timeout`] ([`Guard::reset_wait`]).
    pub fn set_wait(&mut self, wait: Duration) {
        self.wait = Some(wait);
        self.timer = None;
    }

    /// Back to the read timeout.
    pub fn reset_wait(&mut self) {
        self.set_wait(read_timeout());
    }

    /// Whether the server has been silent too long. Called when the link has nothing
    /// (Pending): starts the clock, or reports it ran out.
    fn out_of_time(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(wait) = self.wait else {
            return false;
        };
        let now = Instant::now();
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(wait)));
        // A deadline long past belongs to a wait its caller abandoned (a read dropped by a
        // timeout of its own): this is a new wait.
        let grace = (wait / 2).max(Duration::from_secs(1));
        if now > timer.deadline() + grace {
            timer.as_mut().reset(now + wait);
        }
        if timer.as_mut().poll(cx).is_ready() {
            self.timer = None;
            return true;
        }
        false
    }

    fn silent(&self, what: &str) -> io::Error {
        let wait = self.wait.unwrap_or_default();
        let time = if wait.as_secs() >= 1 {
            format!("{} seconds", wait.as_secs())
        } else {
            format!("{} ms", wait.as_millis())
        };
        io::Error::new(
            io::ErrorKind::TimedOut,
            Refused::new(ErrorKind::Network, format!("the server {what} for {time}")),
        )
    }
}

impl<S: AsyncRead + Unpin> Guard<S> {
    /// Read from the link into `ready`, through the frame. Ready(Ok(false)): the end.
    fn fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<bool>> {
        let mut bytes = [0u8; READ];
        let mut read = ReadBuf::new(&mut bytes);
        match Pin::new(&mut self.inner).poll_read(cx, &mut read) {
            Poll::Ready(Ok(())) => {
                self.timer = None;
                let got = read.filled();
                self.ready.clear();
                self.taken = 0;
                if let Some(frame) = &mut self.frame {
                    if let Err(refused) = frame.pass(got, &mut self.ready) {
                        return Poll::Ready(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            refused,
                        )));
                    }
                }
                Poll::Ready(Ok(!got.is_empty()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.out_of_time(cx) => Poll::Ready(Err(self.silent("sent nothing"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guard<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.frame.is_none() {
            // Below DEFLATE: nothing to check, straight through.
            return Pin::new(&mut this.inner).poll_read(cx, buf);
        }
        // What the frame passed is handed up first; a read that ends the stream or
        // fails ends here too.
        while this.taken == this.ready.len() {
            match this.fill(cx) {
                Poll::Ready(Ok(true)) => {}
                Poll::Ready(Ok(false)) => return Poll::Ready(Ok(())),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = buf.remaining().min(this.ready.len() - this.taken);
        buf.put_slice(&this.ready[this.taken..this.taken + n]);
        this.taken += n;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guard<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(done) => {
                // A command sent: whatever wait came before is over.
                this.timer = None;
                Poll::Ready(done)
            }
            Poll::Pending if this.out_of_time(cx) => {
                Poll::Ready(Err(this.silent("accepted nothing")))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(done) => {
                this.timer = None;
                Poll::Ready(done)
            }
            Poll::Pending if this.out_of_time(cx) => {
                Poll::Ready(Err(this.silent("accepted nothing")))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use tokio::io::{AsyncWriteExt, DuplexStream};

    /// A guarded async-imap client reading `server`'s bytes, then silence (the peer stays
    /// open).
    fn client(server: Vec<u8>) -> async_imap::Client<Guard<DuplexStream>> {
        let (ours, mut theirs) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            theirs.write_all(&server).await.ok();
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        let mut guard = Guard::new(ours);
        guard.set_wait(Duration::from_millis(100));
        async_imap::Client::new(guard)
    }

    async fn first_response(server: Vec<u8>) -> Result<(), Error> {
        let mut c = client(server);
        c.read_response().await?;
        Ok(())
    }

    #[tokio::test]
    async fn silence_is_an_error_in_words() {
        let mut c = client(b"* OK ready\r\n".to_vec());
        c.read_response()
            .await
            .expect("greeting")
            .expect("a response");
        let e: Error = c.read_response().await.expect_err("silence").into();
        assert_eq!(e.kind, crate::error::ErrorKind::Network);
        assert_eq!(e.message, "the server sent nothing for 100 ms");
    }

    #[tokio::test]
    async fn a_deep_greeting_is_refused_before_imap_proto_parses_it() {
        let mut deep = b"* OK ".to_vec();
        deep.extend(std::iter::repeat_n(b'(', 100_000));
        let e = first_response(deep).await.expect_err("deep");
        assert_eq!(e.kind, crate::error::ErrorKind::Protocol);
        assert!(e.message.contains("nested more than 64 levels"), "{e}");
    }

    #[tokio::test]
    async fn an_endless_line_is_refused() {
        let endless = [b"* OK ".as_slice(), &[b'x'; 200_000]].concat();
        let e = first_response(endless).await.expect_err("endless");
        assert!(e.message.contains("longer than 64 KB"), "{e}");
    }

    #[tokio::test]
    async fn a_huge_literal_is_refused() {
        let e = first_response(b"* 1 FETCH (UID 1 BODY[] {99999999999}\r\n".to_vec())
            .await
            .expect_err("huge");
        assert!(e.message.starts_with("the server announced 93 GB"), "{e}");
    }

    /// A 100,000-message folder's UID SEARCH is one line of about 800 KB: over the line
    /// limit, and allowed; it reaches async-imap in pieces (3.6 s of parsing in one, in a
    /// debug build).
    #[tokio::test]
    async fn a_big_folders_search_passes() {
        use async_imap::imap_proto::{MailboxDatum, Response};
        let uids: Vec<String> = (1_000_000..1_100_000).map(|u| u.to_string()).collect();
        let line = format!("* SEARCH {}\r\nA1 OK done\r\n", uids.join(" "));
        let mut c = client(line.into_bytes());
        let mut found: Vec<u32> = Vec::new();
        loop {
            let r = c.read_response().await.expect("read").expect("a response");
            match r.parsed() {
                Response::MailboxData(MailboxDatum::Search(uids)) => found.extend(uids),
                Response::Done { .. } => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(found, (1_000_000..1_100_000).collect::<Vec<u32>>());
    }

    #[tokio::test]
    async fn a_real_fetch_passes() {
        let body = "(((".repeat(100) + "\r\n";
        let fetch = format!(
            "* 1 FETCH (UID 7 BODY[] {{{}}}\r\n{body} FLAGS (\\Seen))\r\n",
            body.len()
        );
        let mut c = client(fetch.into_bytes());
        let r = c.read_response().await.expect("read").expect("a response");
        let f = crate::imap::fetch::parse(r.parsed()).expect("a fetch");
        assert_eq!((f.uid, f.body.as_deref()), (7, Some(body.as_bytes())));
    }
}
