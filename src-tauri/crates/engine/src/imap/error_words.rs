//! async-imap's errors in words a person can read. Its NO and BAD carry Rust debug text
//! (`code: None, info: Some("...")`) and a reply it cannot parse arrives as an I/O error
//! holding a nom error and the whole buffer as byte lists: none of that may reach a user.
//! What the server said is kept; a line Courriel cannot read is quoted, shortened.

use async_imap::error::Error as ImapError;

use crate::error::{io_kind, quote, unescape, unreadable, Error, ErrorKind};

/// Map an async-imap error; `no_kind` is what a NO means at this step. A NO with
/// `[UNAVAILABLE]` (RFC 5530) is the server's temporary trouble, whatever the step.
pub(crate) fn imap_error(e: ImapError, no_kind: ErrorKind) -> Error {
    match e {
        ImapError::No(raw) => {
            let said = server_words(&raw);
            if said.to_ascii_uppercase().contains("[UNAVAILABLE]") {
                return crate::error::sign_in_trouble(said);
            }
            Error::new(no_kind, format!("the server refused: {said}"))
        }
        ImapError::Bad(raw) => Error::new(
            ErrorKind::Protocol,
            format!(
                "the server did not accept the command: {}",
                server_words(&raw)
            ),
        ),
        ImapError::Io(io) => match unreadable(&io.to_string()) {
            Some(line) => Error::new(
                ErrorKind::Protocol,
                format!("the server sent something Courriel cannot read: {line}"),
            ),
            None => Error::new(io_kind(&io), io.to_string()),
        },
        ImapError::ConnectionLost => Error::new(ErrorKind::Network, "the connection was lost"),
        ImapError::Parse(p) => Error::new(
            ErrorKind::Protocol,
            format!("the server's reply could not be read ({})", parse_words(&p)),
        ),
        ImapError::Append => Error::new(
            ErrorKind::Rejected,
            "the server refused to store the message",
        ),
        other => Error::new(ErrorKind::Protocol, other.to_string()),
    }
}

/// The server's own text out of async-imap's `code: .., info: Some("..")`.
pub(crate) fn server_words(raw: &str) -> String {
    let Some(start) = raw.find("info: Some(\"") else {
        return raw.to_owned();
    };
    let rest = &raw[start + "info: Some(\"".len()..];
    let end = rest.rfind("\")").unwrap_or(rest.len());
    let text = unescape(&rest[..end]);
    if text.trim().is_empty() {
        "(no reason given)".to_owned()
    } else {
        quote(&text)
    }
}

fn parse_words(p: &async_imap::error::ParseError) -> String {
    use async_imap::error::ParseError as P;
    match p {
        P::Invalid(bytes) | P::DataNotUtf8(bytes, _) => {
            let text = String::from_utf8_lossy(bytes);
            format!("\"{}\"", quote(text.lines().next().unwrap_or_default()))
        }
        P::Unexpected(what) | P::ExpectedResponseNotFound(what) => quote(what),
        P::Authentication(what, _) => format!("a sign-in challenge: {}", quote(what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_no_reads_as_the_servers_words() {
        let e = imap_error(
            ImapError::No(
                r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#.into(),
            ),
            ErrorKind::Auth,
        );
        assert_eq!(e.kind, ErrorKind::Auth);
        assert_eq!(
            e.message,
            "the server refused: [AUTHENTICATIONFAILED] Authentication failed."
        );
        assert!(!e.message.contains("Some("));
    }

    #[test]
    fn unavailable_is_temporary_at_any_step() {
        let e = imap_error(
            ImapError::No(
                r#"code: None, info: Some("[UNAVAILABLE] Temporary authentication failure.")"#
                    .into(),
            ),
            ErrorKind::Auth,
        );
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(
            e.message.contains("sign-in service is having trouble"),
            "{e}"
        );
    }

    #[test]
    fn an_unreadable_reply_is_protocol_with_a_short_quote() {
        let io = std::io::Error::other(
            "Error(Error { input: [42, 32, 49], code: Tag }) during parsing of \"* 1 FETCH (UID 7 FLAGS (\\\\Seen) garbage\\r\\nmore\"",
        );
        let e = imap_error(ImapError::Io(io), ErrorKind::Network);
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert_eq!(
            e.message,
            "the server sent something Courriel cannot read: \"* 1 FETCH (UID 7 FLAGS (\\Seen) garbage\""
        );
        assert!(!e.message.contains("input: ["));
    }

    #[test]
    fn quotes_are_short() {
        let long = "x".repeat(500);
        assert_eq!(quote(&long).chars().count(), crate::error::QUOTE + 1);
    }
}
