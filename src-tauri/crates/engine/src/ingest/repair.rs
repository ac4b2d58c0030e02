//! Broken messages read the way other clients read them (Python's `email` package,
//! Thunderbird), before mail-parser sees them. The bytes kept in the cache stay as they
//! came; only the copy that is parsed is repaired:
//!
//! - a header line that is not a header (no `name:` and not a continuation) ends the
//!   header, as if the blank line were there: a mailer that forgot it does not lose its
//!   whole text;
//! - a header line that is not UTF-8 is read as Windows-1252 (what 8-bit headers almost
//!   always are), not as replacement characters.
//!
//! `Content-Type: text` without a subtype is handled after parsing (`super::loose_text`).

use std::borrow::Cow;

use mail_parser::decoders::charsets::map::charset_decoder;

/// `raw`, or a repaired copy of it.
pub fn readable(raw: &[u8]) -> Cow<'_, [u8]> {
    let (end, separator) = header_end(raw);
    let header = &raw[..end];
    let eight_bit = std::str::from_utf8(header).is_err();
    if separator && !eight_bit {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + 2);
    if eight_bit {
        for line in header.split_inclusive(|&b| b == b'\n') {
            match std::str::from_utf8(line) {
                Ok(_) => out.extend_from_slice(line),
                Err(_) => out.extend_from_slice(windows_1252(line).as_bytes()),
            }
        }
    } else {
        out.extend_from_slice(header);
    }
    if !separator {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(&raw[end..]);
    Cow::Owned(out)
}

/// Where the header ends (the offset of the blank line, or of the first line that is no
/// header line), and whether a blank line is what ends it. A line that is no header but
/// is followed by a standard field (`Received:`, `From:`...) is a fold its mailer forgot
/// to indent, not the body: mail-parser reads past it, and so do we.
fn header_end(raw: &[u8]) -> (usize, bool) {
    let mut at = 0;
    let mut lines = raw.split_inclusive(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let content = trim_eol(line);
        if content.is_empty() {
            return (at, true);
        }
        if !is_header_line(content, at == 0)
            && !lines
                .peek()
                .is_some_and(|next| is_standard_field(trim_eol(next)))
        {
            return (at, false);
        }
        at += line.len();
    }
    (raw.len(), true) // headers only: nothing to repair
}

fn trim_eol(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n")
        .map_or(line, |l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// A header field every mailer writes, or an `X-` one: what follows a forgotten indent.
fn is_standard_field(line: &[u8]) -> bool {
    const NAMES: &[&str] = &[
        "received",
        "return-path",
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "reply-to",
        "sender",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
        "delivered-to",
        "dkim-signature",
        "authentication-results",
        "list-id",
        "user-agent",
    ];
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return false;
    };
    let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
    is_header_line(line, false) && (NAMES.contains(&name.as_str()) || name.starts_with("x-"))
}

/// Python's rule (email.feedparser headerRE): a name of printable ASCII but `:` followed
/// by `:`, a continuation (leading space or tab), or an mbox `From ` line at the top.
fn is_header_line(line: &[u8], first: bool) -> bool {
    if matches!(line.first(), Some(b' ' | b'\t')) || (first && line.starts_with(b"From ")) {
        return true;
    }
    let name_len = line
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    line.get(name_len) == Some(&b':')
}

fn windows_1252(bytes: &[u8]) -> String {
    match charset_decoder(b"windows-1252") {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_blank_line_is_put_back() {
        let raw = b"From: a@x.test\r\nSubject: t\r\nHello there\r\nNote: more\r\n";
        assert_eq!(
            &readable(raw)[..],
            b"From: a@x.test\r\nSubject: t\r\n\r\nHello there\r\nNote: more\r\n"
        );
        // A fold without its indent, followed by more fields, is not the body.
        let unindented =
            b"Received: from a by b\r\n(Dovecot) with LMTP\r\nFrom: a@x.test\r\n\r\nbody\r\n";
        assert!(matches!(readable(unindented), Cow::Borrowed(_)));
        let fine = b"From: a@x.test\r\nSubject: t\r\n folded\r\n\r\nbody\r\n";
        assert!(matches!(readable(fine), Cow::Borrowed(_)));
        assert!(matches!(readable(b"Subject: only"), Cow::Borrowed(_)));
    }

    #[test]
    fn eight_bit_header_lines_are_windows_1252() {
        let raw = b"Subject: caf\xe9 \x93ok\x94\r\nFrom: Z\xc3\xa9 <z@x.test>\r\n\r\nbody \xe9\r\n";
        let fixed = readable(raw);
        assert_eq!(
            std::str::from_utf8(&fixed[..fixed.len() - 8]).expect("utf-8"),
            "Subject: café \u{201c}ok\u{201d}\r\nFrom: Zé <z@x.test>\r\n\r\n"
        );
        assert!(fixed.ends_with(b"body \xe9\r\n"), "the body is left alone");
    }
}
