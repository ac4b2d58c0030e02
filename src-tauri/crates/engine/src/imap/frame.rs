//! IMAP framing, watched byte by byte before imap-proto parses anything, so a hostile or
//! broken server cannot make the parser exhaust memory or the stack:
//!
//! - a response line (the text between literals) is at most [`MAX_LINE`] bytes; a
//!   `* SEARCH` line, whose length grows with the folder (a 100,000-message UID SEARCH
//!   is about 800 KB on one line), at most [`MAX_SEARCH_LINE`]; a `* VANISHED` line (UID
//!   ranges, compact even after many deletions) at most [`MAX_VANISHED_LINE`], a bound
//!   that also keeps async-imap's parsing of it (quadratic, see below) short;
//! - a literal (`{N}`, `{N+}`, `~{N}`) is skipped by count, whatever it holds (a message
//!   body may contain anything), and may announce at most [`MAX_LITERAL`] bytes: large
//!   bodies are fetched in pieces (`imap::large`), so a bigger one is a server's lie;
//! - parentheses outside quoted strings and literals nest at most [`MAX_DEPTH`] levels.
//!   imap-proto parses BODYSTRUCTURE and every parenthesized list recursively: 100,000
//!   `(` in any response, even the greeting, would overflow the stack. Real
//!   BODYSTRUCTUREs nest a few levels (a forwarded message inside a multipart is four).
//!
//! A long `* SEARCH` line is also cut into several `* SEARCH` responses of about
//! [`SEARCH_PIECE`] bytes on its way up ([`Frame::pass`]): async-imap parses a line again
//! from its start on every 4 KB read, so one 800 KB line (100,000 UIDs) cost 3.6 s of CPU
//! in a debug build and a hostile 16 MB one would cost minutes; in pieces the cost is
//! linear. Every reader of SEARCH results (ours, async-imap's `uid_search`) adds up all
//! the responses of a command.
//!
//! A status line (`* OK ...`, `tag NO ...`, `+ ...`) carries free text, never a literal:
//! a `{5}` ending one is text, as imap-proto reads it, so the two never disagree on where
//! a response ends.

use crate::error::{ErrorKind, Refused};

/// The longest response line outside literals.
pub const MAX_LINE: usize = 64 * 1024;
/// The longest `* SEARCH` line: two million UIDs.
pub const MAX_SEARCH_LINE: usize = 16 * 1024 * 1024;
/// The longest `* VANISHED` line: 100,000 ranges or more.
pub const MAX_VANISHED_LINE: usize = 1024 * 1024;
/// The largest literal: a message fetched whole is at most `large::LARGE` (4 MB) by its
/// RFC822.SIZE, anything bigger comes in pieces of `large::CHUNK`; the rest is slack for
/// servers whose size is off.
pub const MAX_LITERAL: u64 = 64 * 1024 * 1024 + 1024 * 1024;
/// The deepest parenthesis nesting.
pub const MAX_DEPTH: u32 = 64;

/// About how long the pieces of a long `* SEARCH` line are.
pub const SEARCH_PIECE: usize = 16 * 1024;

/// How many bytes of a response's start are kept to classify it.
const HEAD: usize = 16;

/// Where a `{N}` marker stands at the end of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Digits(u64),
    Plus(u64),
    Closed(u64),
    ClosedCr(u64),
}

/// The framing state of the server's byte stream.
#[derive(Debug)]
pub struct Frame {
    /// Bytes of a literal still to come.
    literal_left: u64,
    /// Bytes of the current line (since the response began or the last literal ended).
    line: usize,
    depth: u32,
    quoted: bool,
    escaped: bool,
    marker: Marker,
    head: [u8; HEAD],
    head_len: usize,
    /// A space of a SEARCH line not passed on yet: it may become a cut.
    held_space: bool,
    /// Bytes passed on since the line began or was last cut.
    piece: usize,
}

impl Default for Frame {
    fn default() -> Frame {
        Frame {
            literal_left: 0,
            line: 0,
            depth: 0,
            quoted: false,
            escaped: false,
            marker: Marker::None,
            head: [0; HEAD],
            head_len: 0,
            held_space: false,
            piece: 0,
        }
    }
}

impl Frame {
    /// Look at the next bytes from the server; an error names what was refused.
    #[cfg(test)]
    pub fn scan(&mut self, bytes: &[u8]) -> Result<(), Refused> {
        self.pass(bytes, &mut Vec::new())
    }

    /// Look at the next bytes from the server and append them to `out`, a long SEARCH
    /// line cut in pieces; an error names what was refused.
    pub fn pass(&mut self, mut bytes: &[u8], out: &mut Vec<u8>) -> Result<(), Refused> {
        while !bytes.is_empty() {
            if self.literal_left > 0 {
                let skip = bytes
                    .len()
                    .min(self.literal_left.try_into().unwrap_or(usize::MAX));
                self.literal_left -= skip as u64;
                out.extend_from_slice(&bytes[..skip]);
                bytes = &bytes[skip..];
                continue;
            }
            self.emit(bytes[0], out)?;
            self.byte(bytes[0])?;
            bytes = &bytes[1..];
        }
        Ok(())
    }

    /// Pass `b` on (before `byte` looks at it): in a SEARCH line, a space is held until
    /// the next byte shows whether a new piece may begin there (at a number, outside
    /// parentheses: `(MODSEQ n)` stays with the UIDs before it). A SEARCH line with no
    /// place to cut for twice a piece's length (one endless "number") is refused: it
    /// would cost async-imap's parser the quadratic time the pieces avoid.
    fn emit(&mut self, b: u8, out: &mut Vec<u8>) -> Result<(), Refused> {
        let search_line = self.head_len >= 9 && self.head[..9].eq_ignore_ascii_case(b"* SEARCH ");
        if search_line && self.piece > 2 * SEARCH_PIECE {
            return Err(Refused::new(
                ErrorKind::Protocol,
                "the server sent a SEARCH response Courriel cannot read",
            ));
        }
        let search = search_line && self.depth == 0 && !self.quoted;
        if std::mem::take(&mut self.held_space) {
            if search && b.is_ascii_digit() && self.piece >= SEARCH_PIECE {
                out.extend_from_slice(b"\r\n* SEARCH ");
                self.piece = 9;
            } else {
                out.push(b' ');
                self.piece += 1;
            }
        }
        if search && b == b' ' {
            self.held_space = true;
        } else {
            out.push(b);
            self.piece += 1;
        }
        Ok(())
    }

    fn byte(&mut self, b: u8) -> Result<(), Refused> {
        if b == b'\n' {
            return self.line_end();
        }
        self.line += 1;
        if self.line > MAX_LINE {
            self.check_long_line()?;
        }
        if self.head_len < HEAD {
            self.head[self.head_len] = b;
            self.head_len += 1;
        }
        if self.quoted {
            self.marker = Marker::None;
            match (self.escaped, b) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.quoted = false,
                _ => {}
            }
            return Ok(());
        }
        self.marker = next_marker(self.marker, b);
        match b {
            b'"' => self.quoted = true,
            b'(' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Refused::new(
                        ErrorKind::Protocol,
                        format!(
                            "the server sent a response nested more than {MAX_DEPTH} levels deep"
                        ),
                    ));
                }
            }
            b')' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    /// A line ends: a literal follows, or the response is complete.
    fn line_end(&mut self) -> Result<(), Refused> {
        let marker = std::mem::replace(&mut self.marker, Marker::None);
        let size = match marker {
            Marker::Closed(n) | Marker::ClosedCr(n) if !self.quoted && !self.is_status() => n,
            _ => {
                // The response is complete: the next one starts afresh.
                *self = Frame::default();
                return Ok(());
            }
        };
        if size > MAX_LITERAL {
            return Err(Refused::new(
                ErrorKind::Protocol,
                format!(
                    "the server announced {} of data in one piece; Courriel accepts at most {} \
                     at once",
                    megabytes(size),
                    megabytes(MAX_LITERAL)
                ),
            ));
        }
        self.literal_left = size;
        self.line = 0;
        Ok(())
    }

    fn check_long_line(&self) -> Result<(), Refused> {
        let head = String::from_utf8_lossy(&self.head[..self.head_len]).to_ascii_uppercase();
        let limit = match head {
            h if h.starts_with("* SEARCH ") => MAX_SEARCH_LINE,
            h if h.starts_with("* VANISHED ") => MAX_VANISHED_LINE,
            _ => MAX_LINE,
        };
        if self.line <= limit {
            return Ok(());
        }
        Err(Refused::new(
            ErrorKind::Protocol,
            format!(
                "the server sent a line longer than {} without ending it",
                megabytes(limit as u64)
            ),
        ))
    }

    /// `* OK`, `tag NO`, `+ ...`: free text, where `{N}` is not a literal.
    fn is_status(&self) -> bool {
        let head = &self.head[..self.head_len];
        if head.first() == Some(&b'+') {
            return true;
        }
        let mut words = head.split(|b| *b == b' ');
        let second = words.nth(1).unwrap_or_default();
        ["OK", "NO", "BAD", "BYE", "PREAUTH"]
            .iter()
            .any(|w| second.eq_ignore_ascii_case(w.as_bytes()))
    }
}

/// The marker state after byte `b` outside a quoted string: `{`, digits, an optional `+`,
/// `}`, then CR.
fn next_marker(marker: Marker, b: u8) -> Marker {
    match (marker, b) {
        (_, b'{') => Marker::Digits(0),
        (Marker::Digits(n), b'0'..=b'9') => {
            Marker::Digits(n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
        }
        (Marker::Digits(n), b'+') => Marker::Plus(n),
        (Marker::Digits(n) | Marker::Plus(n), b'}') => Marker::Closed(n),
        (Marker::Closed(n), b'\r') => Marker::ClosedCr(n),
        _ => Marker::None,
    }
}

/// A size in words: "64 KB", "65 MB", "100 GB".
pub fn megabytes(bytes: u64) -> String {
    const KB: u64 = 1024;
    match bytes {
        b if b < KB * KB => format!("{} KB", b / KB),
        b if b < KB * KB * KB => format!("{} MB", b / (KB * KB)),
        b => format!("{} GB", b / (KB * KB * KB)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(input: &[u8]) -> Result<(), Refused> {
        Frame::default().scan(input)
    }

    #[test]
    fn literals_are_skipped_whatever_they_hold() {
        let mut f = Frame::default();
        let body = "(".repeat(1000) + &"x".repeat(MAX_LINE * 2);
        let head = format!("* 1 FETCH (UID 5 BODY[] {{{}}}\r\n", body.len());
        f.scan(head.as_bytes()).expect("head");
        assert_eq!(f.literal_left, body.len() as u64);
        f.scan(body.as_bytes()).expect("body");
        f.scan(b" FLAGS (\\Seen))\r\n").expect("tail");
        assert_eq!((f.depth, f.line, f.literal_left), (0, 0, 0));
    }

    #[test]
    fn literal_forms_and_quotes() {
        let mut f = Frame::default();
        f.scan(b"* LIST () \"/\" {3+}\r\n").expect("plus");
        assert_eq!(f.literal_left, 3);
        let mut f = Frame::default();
        f.scan(b"* 1 FETCH (BINARY[] ~{7}\r\n").expect("literal8");
        assert_eq!(f.literal_left, 7);
        let mut f = Frame::default();
        f.scan(b"* 1 FETCH (X \"{7}\r\n").expect("quoted");
        assert_eq!(f.literal_left, 0);
        let mut f = Frame::default();
        f.scan(b"* OK see {7}\r\n").expect("text");
        assert_eq!(f.literal_left, 0);
    }

    #[test]
    fn deep_nesting_is_refused_but_quoted_parens_are_text() {
        let deep = "* OK ".to_owned() + &"(".repeat(100_000);
        let e = scan(deep.as_bytes()).expect_err("deep");
        assert!(e.to_string().contains("nested more than 64"), "{e}");
        let quoted = format!("* 1 FETCH (X \"{}\")\r\n", "(".repeat(500));
        scan(quoted.as_bytes()).expect("quoted parens");
        let real = "* 1 FETCH (BODYSTRUCTURE ((((\"text\" \"plain\" NIL)))))\r\n";
        scan(real.as_bytes()).expect("real nesting");
        // Unbalanced text parens end with their line.
        let mut f = Frame::default();
        for _ in 0..100 {
            f.scan(b"* OK ((((( hello\r\n").expect("text");
        }
    }

    #[test]
    fn long_lines_are_refused_but_search_may_be_long() {
        let endless = "* OK ".to_owned() + &"x".repeat(MAX_LINE);
        let e = scan(endless.as_bytes()).expect_err("long");
        assert_eq!(
            e.to_string(),
            "the server sent a line longer than 64 KB without ending it"
        );
        let search = "* SEARCH".to_owned() + &" 1234567".repeat(100_000) + "\r\n";
        scan(search.as_bytes()).expect("a big folder's UIDs");
        let endless = "* SEARCH 1 ".to_owned() + &"1".repeat(40_000);
        let e = scan(endless.as_bytes()).expect_err("no place to cut");
        assert!(e.to_string().contains("SEARCH response"), "{e}");
        let vanished = "* VANISHED (EARLIER) ".to_owned() + &"1:2,".repeat(300_000);
        let e = scan(vanished.as_bytes()).expect_err("a VANISHED over 1 MB");
        assert!(e.to_string().contains("longer than 1 MB"), "{e}");
    }

    /// `line` passed byte by byte (a held space across reads is passed on all the
    /// same), as text.
    fn passed(line: &str) -> String {
        let (mut f, mut out) = (Frame::default(), Vec::new());
        for b in line.as_bytes() {
            f.pass(std::slice::from_ref(b), &mut out).expect("passes");
        }
        String::from_utf8(out).expect("text")
    }

    #[test]
    fn a_long_search_is_cut_in_pieces_that_keep_every_uid() {
        use async_imap::imap_proto::{MailboxDatum, Response};
        let uids: Vec<String> = (1..=60_000).map(|u| u.to_string()).collect();
        let text = passed(&format!("* SEARCH {}\r\n* OK done\r\n", uids.join(" ")));
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 10, "{} pieces", lines.len());
        let mut found: Vec<u32> = Vec::new();
        for l in &lines[..lines.len() - 1] {
            assert!(
                l.starts_with("* SEARCH ") && l.len() < SEARCH_PIECE + 16,
                "{l:.40}"
            );
            let piece = format!("{l}\r\n");
            match Response::parse(piece.as_bytes()) {
                Ok((_, Response::MailboxData(MailboxDatum::Search(uids)))) => found.extend(uids),
                _ => panic!("a piece that does not parse: {l:.40}"),
            }
        }
        assert_eq!(found, (1..=60_000).collect::<Vec<u32>>());
        assert_eq!(lines[lines.len() - 1], "* OK done");
        // A MODSEQ stays with the UIDs before it.
        let modseq = passed(&format!("* SEARCH {} (MODSEQ 7)\r\n", uids.join(" ")));
        assert!(
            modseq.ends_with(" 60000 (MODSEQ 7)\r\n"),
            "{}",
            &modseq[modseq.len() - 40..]
        );
        // Other lines pass unchanged, literals included.
        let fetch = "* 1 FETCH (BODY[] {5}\r\n* SE  ARCH 1 2)\r\n";
        assert_eq!(passed(fetch), fetch);
        let short = "* SEARCH 1 2 3\r\n";
        assert_eq!(passed(short), short);
    }

    #[test]
    fn huge_literals_are_refused_in_words() {
        let e = scan(b"* 1 FETCH (BODY[] {99999999999}\r\n").expect_err("huge");
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert!(
            e.to_string().starts_with("the server announced 93 GB"),
            "{e}"
        );
        let e = scan(b"* 1 FETCH (BODY[] {999999999999999999999999999}\r\n").expect_err("x");
        assert!(e.to_string().contains("GB"), "{e}");
    }
}
