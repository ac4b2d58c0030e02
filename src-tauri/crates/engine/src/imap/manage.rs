//! Folder management on the server: CREATE, RENAME and DELETE (RFC 3501 §6.3.3-5), each
//! with its subscription kept in step (SUBSCRIBE/UNSUBSCRIBE, §6.3.6-7): a folder made
//! here shows in every other client that lists subscribed folders only, and one deleted
//! or renamed leaves no dangling subscription behind. Names go out in modified UTF-7
//! ([`encode_mutf7`]), the form `folders::decode_mutf7` reads back.
//!
//! Which folders may be touched (never a special-use one), what the new wire name is and
//! how the cache follows are the caller's (`mailbox::folders`); this file only speaks.

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;

use super::connect::ImapSession;
use super::raw;
use crate::error::{Context, Error, ErrorKind, Result};

/// CREATE `name`, then SUBSCRIBE to it.
pub async fn create(session: &mut ImapSession, name: &str) -> Result<()> {
    let created = raw::run_ok(
        session,
        &format!("CREATE {}", raw::quote(name)),
        ErrorKind::Rejected,
    )
    .await;
    created.map_err(|e| refused(e, "create", name))?;
    subscribe(session, name, true).await
}

/// RENAME `from` to `to` (its subfolders follow on the server), the subscription moved.
pub async fn rename(session: &mut ImapSession, from: &str, to: &str) -> Result<()> {
    unselect(session).await;
    let command = format!("RENAME {} {}", raw::quote(from), raw::quote(to));
    raw::run_ok(session, &command, ErrorKind::Rejected)
        .await
        .map_err(|e| refused(e, "rename", from))?;
    subscribe(session, from, false).await?;
    subscribe(session, to, true).await
}

/// UNSUBSCRIBE, then DELETE `name`.
pub async fn delete(session: &mut ImapSession, name: &str) -> Result<()> {
    unselect(session).await;
    subscribe(session, name, false).await?;
    raw::run_ok(
        session,
        &format!("DELETE {}", raw::quote(name)),
        ErrorKind::Rejected,
    )
    .await
    .map_err(|e| refused(e, "delete", name))?;
    Ok(())
}

/// SUBSCRIBE (or UNSUBSCRIBE) `name`. A NO is not an error: a subscription the server
/// does not keep (or one that was never there) changes nothing the user sees here.
async fn subscribe(session: &mut ImapSession, name: &str, on: bool) -> Result<()> {
    let verb = if on { "SUBSCRIBE" } else { "UNSUBSCRIBE" };
    let command = format!("{verb} {}", raw::quote(name));
    match raw::run_ok(session, &command, ErrorKind::Rejected).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::Rejected => {
            tracing::info!("{verb} {name} refused: {}", e.message);
            Ok(())
        }
        Err(e) => Err(e).with_context(|| format!("{verb} {name}")),
    }
}

/// Leave whatever folder the kept session has open: some servers refuse to rename or
/// delete the selected folder. UNSELECT (RFC 3691) expunges nothing, unlike CLOSE; a
/// server without it answers BAD, which changes nothing.
async fn unselect(session: &mut ImapSession) {
    if let Err(e) = raw::run_ok(session, "UNSELECT", ErrorKind::Protocol).await {
        tracing::debug!("UNSELECT: {}", e.message);
    }
}

/// The server's NO, in words that say what was refused.
fn refused(e: Error, verb: &str, name: &str) -> Error {
    if e.kind != ErrorKind::Rejected {
        return e.context(format!("trying to {verb} the folder {name}"));
    }
    let shown = super::folders::decode_mutf7(name);
    let why = e.message.trim();
    let why = why
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .map_or(why, |(_, rest)| rest.trim());
    Error::new(
        ErrorKind::Rejected,
        format!("the server would not {verb} the folder \"{shown}\": {why}"),
    )
}

/// Modified UTF-7 (RFC 3501 §5.1.3): printable ASCII as is but "&" as "&-"; any other
/// run as "&" + base64 of UTF-16BE with "," for "/" + "-".
pub fn encode_mutf7(name: &str) -> String {
    let mut out = String::new();
    let mut run: Vec<u16> = Vec::new();
    let flush = |run: &mut Vec<u16>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        out.push_str(&B64.encode(bytes).replace('/', ","));
        out.push('-');
        run.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut run, &mut out);
            match c {
                '&' => out.push_str("&-"),
                c => out.push(c),
            }
        } else {
            let mut units = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::folders::decode_mutf7;

    #[test]
    fn names_go_out_in_modified_utf7_and_come_back() {
        assert_eq!(encode_mutf7("Réunions"), "R&AOk-unions");
        assert_eq!(encode_mutf7("日本語"), "&ZeVnLIqe-");
        assert_eq!(encode_mutf7("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(encode_mutf7("☺!"), "&Jjo-!");
        assert_eq!(encode_mutf7("Projets"), "Projets");
        for name in ["Reçus 2026", "a&b/ü~", "😀 emoji", "ÿ?", "Ünïcødé & co"] {
            assert_eq!(decode_mutf7(&encode_mutf7(name)), name, "{name}");
        }
    }

    #[test]
    fn a_refusal_names_the_folder_in_words() {
        let no = Error::new(
            ErrorKind::Rejected,
            "[ALREADYEXISTS] Mailbox already exists",
        );
        let e = refused(no, "create", "R&AOk-unions");
        assert_eq!(
            e.message,
            "the server would not create the folder \"Réunions\": Mailbox already exists"
        );
    }
}
