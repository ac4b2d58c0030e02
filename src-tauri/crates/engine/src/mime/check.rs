//! Rules for the header values a draft carries. They run before anything is built, so a
//! bad draft is refused with the name of the field at fault and nothing reaches the outbox.

use crate::error::{Error, ErrorKind, Result};

/// A header value must stay on one line. A CR or LF would end the header and let the rest
/// read as new headers ("Hi\r\nBcc: evil@x"). lettre would encode it harmlessly, but a
/// draft holding one is a bug or an attack: the user hears about it instead of sending
/// something other than what the screen showed.
pub(super) fn one_line(field: &str, value: &str) -> Result<()> {
    if value.contains(['\r', '\n']) {
        return Err(Error::new(
            ErrorKind::Config,
            format!("{field} contains a line break (CR or LF), which a header cannot hold"),
        ));
    }
    Ok(())
}

/// A Message-ID or Content-ID as the draft gives it (RFC 5322 §3.6.4 msg-id, RFC 2392),
/// returned without angle brackets. Surrounding brackets are tolerated because pasted ids
/// often carry them. The id must be printable ASCII without spaces or brackets: lettre
/// would RFC 2047-encode anything else, and an encoded word is not an id. An `@` is not
/// required: real ids without one exist, and refusing to reply to them helps nobody.
pub(super) fn message_id(field: &str, id: &str) -> Result<String> {
    one_line(field, id)?;
    let trimmed = id.trim();
    let bare = trimmed
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(trimmed);
    let valid = !bare.is_empty()
        && bare
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    if !valid {
        return Err(Error::new(
            ErrorKind::Config,
            format!("{field} {id:?} is not a valid message id"),
        ));
    }
    Ok(bare.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_refused_with_the_field_name() {
        for bad in ["a\rb", "a\nb", "Hi\r\nBcc: evil@x"] {
            let err = one_line("subject", bad).expect_err(bad);
            assert_eq!(err.kind, ErrorKind::Config);
            assert!(err.message.starts_with("subject "), "{}", err.message);
        }
        one_line("subject", "Tab\tis fine, é too").expect("one line");
    }

    #[test]
    fn message_ids_lose_their_brackets_and_must_be_printable() {
        assert_eq!(message_id("inReplyTo", "a@b").expect("valid"), "a@b");
        assert_eq!(message_id("inReplyTo", " <a@b> ").expect("valid"), "a@b");
        for bad in ["", "<>", "a b@c", "a<b@c", "é@c", "a@b\r\nX: y"] {
            let err = message_id("inReplyTo", bad).expect_err(bad);
            assert_eq!(err.kind, ErrorKind::Config, "{bad:?}");
            assert!(err.message.starts_with("inReplyTo "), "{}", err.message);
        }
    }
}
