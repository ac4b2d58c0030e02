//! SMTP replies read within bounds, after TLS as before it (`net::lines` covers the
//! plaintext greeting and STARTTLS): lettre reads the TLS stream itself, with no timeout
//! and no limit, so the link it is handed enforces them. A server that goes silent in
//! the middle of a reply, sends a line without end, or a multi-line reply without end,
//! ends the conversation with an error in plain words instead of holding the outbox
//! forever or filling memory.
//!
//! The wait applies only while a reply is awaited (a read is pending), never while we
//! upload a message. It is 5 minutes, RFC 5321's wait for MAIL and RCPT replies (§4.5.3.2):
//! shorter would cut off a slow server's reply to the final dot, which a busy server may
//! take minutes to give; such a cut leaves the message "uncertain", never resent blindly.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Sleep;

/// The longest reply line taken (RFC 5321 allows 512 bytes; servers send longer).
pub const MAX_LINE: usize = 64 * 1024;
/// The most lines one multi-line reply may have (an EHLO has a few dozen).
pub const MAX_REPLY_LINES: usize = 1000;

static WAIT_MS: AtomicU64 = AtomicU64::new(300_000);

/// Another wait for every SMTP reply from now on (tests make a silent server quick).
pub fn set_reply_timeout(wait: Duration) {
    WAIT_MS.store(wait.as_millis() as u64, Ordering::Relaxed);
}

fn reply_timeout() -> Duration {
    Duration::from_millis(WAIT_MS.load(Ordering::Relaxed))
}

/// What a link tracks between reads.
#[derive(Debug, Default)]
pub struct Bounds {
    deadline: Option<Pin<Box<Sleep>>>,
    line_len: usize,
    /// Whether the current line is a reply's continuation ("250-..."), once known.
    continued: bool,
    lines_in_reply: usize,
}

impl Bounds {
    /// A read returned `Pending`: arm the wait, or fail once it has passed.
    pub fn pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let wait = reply_timeout();
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(wait)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.deadline = None;
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the server sent nothing for {}", in_words(wait)),
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Bytes arrived: the wait starts over, and they are checked against the limits.
    pub fn arrived(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.deadline = None;
        for &b in bytes {
            if b == b'\n' {
                self.end_of_line()?;
                continue;
            }
            if self.line_len == 3 {
                self.continued = b == b'-';
            }
            self.line_len += 1;
            if self.line_len > MAX_LINE {
                return Err(refused("sent a reply line longer than 64 KB"));
            }
        }
        Ok(())
    }

    fn end_of_line(&mut self) -> io::Result<()> {
        if self.continued && self.line_len > 3 {
            self.lines_in_reply += 1;
            if self.lines_in_reply > MAX_REPLY_LINES {
                return Err(refused("sent a reply of more than 1,000 lines"));
            }
        } else {
            self.lines_in_reply = 0;
        }
        self.line_len = 0;
        self.continued = false;
        Ok(())
    }
}

/// "300 ms", "45 seconds", "5 minutes".
fn in_words(wait: Duration) -> String {
    match wait.as_secs() {
        0 => format!("{} ms", wait.as_millis()),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

fn refused(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the server {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_replies_pass_and_endless_ones_do_not() {
        let mut b = Bounds::default();
        b.arrived(b"250-mail.example.test\r\n250-SIZE 1024\r\n250 ")
            .expect("ordinary");
        b.arrived(b"DSN\r\n220 ready\r\n").expect("ordinary");
        let mut endless = Bounds::default();
        let err = endless
            .arrived(&vec![b'x'; MAX_LINE + 1])
            .expect_err("endless line");
        assert_eq!(
            err.to_string(),
            "the server sent a reply line longer than 64 KB"
        );
        let mut many = Bounds::default();
        let lines = "250-x\r\n".repeat(MAX_REPLY_LINES + 1);
        let err = many.arrived(lines.as_bytes()).expect_err("endless reply");
        assert_eq!(
            err.to_string(),
            "the server sent a reply of more than 1,000 lines"
        );
        // The count starts over with each reply.
        let mut replies = Bounds::default();
        for _ in 0..3 {
            let reply = "250-x\r\n".repeat(MAX_REPLY_LINES - 1) + "250 done\r\n";
            replies
                .arrived(reply.as_bytes())
                .expect("each reply within bounds");
        }
    }
}
