//! Lines from a server, bounded: each read waits at most `READ_TIMEOUT` and takes at most
//! `MAX_LINE` bytes, so a server that goes silent or never sends CRLF cannot hang Courriel
//! or fill its memory. Bytes are read as they come and decoded leniently (a stray 8-bit
//! byte is a replacement character, never a panic).

use std::time::Duration;

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};

use crate::error::{Error, ErrorKind, Result};

/// How long one server reply may take to arrive.
pub const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest line accepted (RFC 5321 allows 512 octets for a reply line, RFC 1939 512
/// for POP3, IMAP greetings are short; generous all the same).
pub const MAX_LINE: usize = 64 * 1024;

/// A plaintext exchange with a server: lines in, lines out.
pub struct Lines<S> {
    stream: BufReader<S>,
    timeout: Duration,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Lines<S> {
    pub fn new(stream: S) -> Lines<S> {
        Lines {
            stream: BufReader::new(stream),
            timeout: READ_TIMEOUT,
        }
    }

    /// Another wait per reply than `READ_TIMEOUT` (tests).
    pub fn with_timeout(mut self, timeout: Duration) -> Lines<S> {
        self.timeout = timeout;
        self
    }

    /// The next line, CRLF removed.
    pub async fn read(&mut self) -> Result<String> {
        read_line(&mut self.stream, self.timeout).await
    }

    /// Send one line (CRLF added).
    pub async fn write(&mut self, line: &str) -> Result<()> {
        let stream = self.stream.get_mut();
        stream.write_all(line.as_bytes()).await?;
        stream.write_all(b"\r\n").await?;
        stream.flush().await?;
        Ok(())
    }

    /// The stream, for the TLS handshake, and how many bytes the server had sent past
    /// the last line read: they are dropped here (RFC 3207 §5, RFC 2595 §3.1: nothing
    /// sent in the clear may be taken as part of the secured session).
    pub fn into_inner(self) -> (S, usize) {
        let discarded = self.stream.buffer().len();
        (self.stream.into_inner(), discarded)
    }
}

/// One line from `reader`, CRLF removed: within `timeout`, at most `MAX_LINE` bytes,
/// decoded leniently. For every line-based exchange (the plaintext before TLS, POP3).
pub async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    timeout: Duration,
) -> Result<String> {
    let mut buf = Vec::with_capacity(128);
    let mut bounded = reader.take((MAX_LINE + 1) as u64);
    let n = tokio::time::timeout(timeout, bounded.read_until(b'\n', &mut buf))
        .await
        .map_err(|_| silent(timeout))??;
    if n == 0 {
        return Err(Error::new(
            ErrorKind::Network,
            "the server closed the connection",
        ));
    }
    if buf.last() != Some(&b'\n') && n > MAX_LINE {
        return Err(Error::new(
            ErrorKind::Protocol,
            format!("the server sent a line longer than {} KB", MAX_LINE / 1024),
        ));
    }
    let text = String::from_utf8_lossy(&buf);
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

pub(crate) fn silent(timeout: Duration) -> Error {
    Error::new(
        ErrorKind::Network,
        format!(
            "the server did not answer within {:.1} seconds",
            timeout.as_secs_f64()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(server: &'static [u8]) -> Lines<tokio::io::DuplexStream> {
        let (client, mut peer) = tokio::io::duplex(MAX_LINE * 2);
        tokio::spawn(async move {
            peer.write_all(server).await.ok();
            // Keep the peer open so an unfinished line waits rather than ends.
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        Lines::new(client)
    }

    #[tokio::test]
    async fn reads_lines_and_keeps_bad_bytes_harmless() {
        let mut l = lines_of(b"220 hello\r\n250\xe9 odd\r\n").await;
        assert_eq!(l.read().await.expect("line"), "220 hello");
        assert_eq!(l.read().await.expect("line"), "250\u{fffd} odd");
    }

    #[tokio::test]
    async fn an_endless_line_is_refused_not_buffered() {
        let endless: &'static [u8] = Box::leak(vec![b'x'; MAX_LINE + 10].into_boxed_slice());
        let mut l = lines_of(endless).await;
        let e = l.read().await.expect_err("too long");
        assert_eq!(e.kind, ErrorKind::Protocol, "{e}");
    }

    #[tokio::test]
    async fn a_silent_server_times_out() {
        let l = lines_of(b"220 half a line").await;
        let mut l = l.with_timeout(Duration::from_millis(50));
        let e = l.read().await.expect_err("silence");
        assert_eq!(e.kind, ErrorKind::Network);
        assert!(e.message.contains("did not answer"), "{e}");
    }

    #[tokio::test]
    async fn what_follows_the_last_line_read_is_discarded() {
        let mut l = lines_of(b"+OK begin TLS\r\ninjected\r\n").await;
        assert_eq!(l.read().await.expect("line"), "+OK begin TLS");
        tokio::task::yield_now().await;
        let (_, discarded) = l.into_inner();
        assert_eq!(discarded, "injected\r\n".len());
    }
}
