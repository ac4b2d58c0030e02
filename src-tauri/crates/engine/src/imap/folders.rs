//! The folder list: LIST with its special-use attributes (RFC 6154) giving each folder a
//! role; well-known names when the server marks none; names decoded from modified UTF-7
//! (RFC 3501 §5.1.3), shown without the personal namespace prefix (`INBOX.Sent` is
//! "Sent" on Cyrus and Courier, see `personal_prefix`).

use std::collections::HashMap;

use async_imap::imap_proto::{MailboxDatum, NameAttribute, Response, StatusAttribute};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;

use super::connect::ImapSession;
use super::raw::{self, Caps};
use crate::error::{Context, ErrorKind, Result};

pub use crate::store::folders::{FolderStatus, Listed};

/// Every folder; with `caps.condstore`, the `known` ones (synced before) with their
/// STATUS, enough for a sync to skip those that did not change without opening them.
/// STATUS comes first: after a LIST, Dovecot answers a STATUS on a big folder by opening
/// it in full (100 ms for a 100,000-message INBOX instead of half a millisecond; and
/// LIST-STATUS, RFC 5819, costs the same).
pub async fn list(session: &mut ImapSession, caps: &Caps, known: &[String]) -> Result<Vec<Listed>> {
    let mut found = HashMap::new();
    if caps.condstore {
        for name in known {
            if let Some(status) = status(session, name).await? {
                found.insert(name.clone(), status);
            }
        }
    }
    let mut folders = Vec::new();
    raw::run(session, "LIST \"\" \"*\"", ErrorKind::Protocol, |r| {
        if let Response::MailboxData(MailboxDatum::List(l)) = r {
            folders.push(listed(&l.name, l.delimiter.as_deref(), &l.name_attributes));
        }
        Ok(())
    })
    .await
    .context("listing folders")?;
    strip_personal_prefix(&mut folders);
    fill_roles_by_name(&mut folders);
    for f in &mut folders {
        f.status = found.remove(&f.name);
    }
    Ok(folders)
}

/// A folder's STATUS; None when the server has no such folder any more.
async fn status(session: &mut ImapSession, name: &str) -> Result<Option<FolderStatus>> {
    let command = format!(
        "STATUS {} (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)",
        raw::quote(name)
    );
    let mut found = None;
    let asked = raw::run(session, &command, ErrorKind::NotFound, |r| {
        if let Response::MailboxData(MailboxDatum::Status { status, .. }) = r {
            found = Some(folder_status(status));
        }
        Ok(())
    })
    .await;
    match asked {
        Ok(_) => Ok(found),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("asking for the status of {name}")),
    }
}

fn listed(name: &str, delimiter: Option<&str>, attributes: &[NameAttribute<'_>]) -> Listed {
    Listed {
        name: name.to_owned(),
        display_name: decode_mutf7(name),
        delimiter: delimiter.unwrap_or("/").to_owned(),
        role: special_use(attributes),
        selectable: !attributes
            .iter()
            .any(|a| matches!(a, NameAttribute::NoSelect)),
        status: None,
    }
}

fn folder_status(items: &[StatusAttribute]) -> FolderStatus {
    let mut s = FolderStatus::default();
    for item in items {
        match item {
            StatusAttribute::Messages(n) => s.messages = *n,
            StatusAttribute::UidNext(n) => s.uidnext = *n,
            StatusAttribute::UidValidity(n) => s.uidvalidity = *n,
            StatusAttribute::HighestModSeq(n) => s.highestmodseq = *n,
            _ => {}
        }
    }
    s
}

fn special_use(attributes: &[NameAttribute<'_>]) -> Option<&'static str> {
    attributes.iter().find_map(|a| match a {
        NameAttribute::Sent => Some("sent"),
        NameAttribute::Drafts => Some("drafts"),
        NameAttribute::Trash => Some("trash"),
        NameAttribute::Junk => Some("junk"),
        NameAttribute::Archive => Some("archive"),
        NameAttribute::All => Some("all"),
        _ => None,
    })
}

/// The personal namespace prefix (RFC 2342), as the LIST shows it: servers that keep a
/// user's folders under INBOX (Cyrus, Courier: `INBOX.Sent`, `INBOX.Projets`) list every
/// other folder, or at least the special-use ones, below `INBOX` + delimiter. Read from the
/// LIST, not asked with NAMESPACE: imap-proto cannot parse its answer, and a reply
/// async-imap cannot parse ends the session. A folder someone made inside INBOX on a
/// server without the prefix (Dovecot's default) keeps its whole name.
fn personal_prefix(folders: &[Listed]) -> Option<String> {
    let inbox = folders
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("INBOX"))?;
    let prefix = format!("{}{}", inbox.name, inbox.delimiter);
    let others = || folders.iter().filter(|f| f.name != inbox.name);
    let special = || others().filter(|f| f.role.is_some());
    let under = |f: &Listed| below(&f.name, &prefix).is_some();
    let all_under = others().next().is_some() && others().all(under);
    let special_under = special().next().is_some() && special().all(under);
    (all_under || special_under).then_some(prefix)
}

/// Display names without the personal namespace prefix (INBOX itself stays INBOX).
fn strip_personal_prefix(folders: &mut [Listed]) {
    let Some(prefix) = personal_prefix(folders) else {
        return;
    };
    for f in folders.iter_mut() {
        if let Some(rest) = below(&f.name, &prefix) {
            f.display_name = decode_mutf7(rest);
        }
    }
}

/// What follows `prefix` in `name` (the prefix compared without case, as INBOX is).
fn below<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    let rest = &name[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

/// Servers without SPECIAL-USE: the usual names, in English and French, for roles no
/// folder has yet. INBOX is always the inbox.
fn fill_roles_by_name(folders: &mut [Listed]) {
    const NAMES: &[(&str, &[&str])] = &[
        (
            "sent",
            &[
                "sent",
                "sent items",
                "sent messages",
                "sent mail",
                "envoyés",
                "éléments envoyés",
            ],
        ),
        ("drafts", &["drafts", "brouillons"]),
        (
            "trash",
            &["trash", "deleted items", "deleted messages", "corbeille"],
        ),
        (
            "junk",
            &[
                "junk",
                "spam",
                "junk e-mail",
                "courrier indésirable",
                "indésirables",
            ],
        ),
        ("archive", &["archive", "archives"]),
    ];
    for f in folders.iter_mut() {
        if f.name.eq_ignore_ascii_case("INBOX") {
            f.role = Some("inbox");
        }
    }
    for (role, names) in NAMES {
        if folders.iter().any(|f| f.role == Some(role)) {
            continue;
        }
        let leaf = |f: &Listed| {
            f.display_name
                .rsplit(f.delimiter.as_str())
                .next()
                .unwrap_or("")
                .to_lowercase()
        };
        if let Some(f) = folders
            .iter_mut()
            .find(|f| f.role.is_none() && names.contains(&leaf(f).as_str()))
        {
            f.role = Some(role);
        }
    }
}

/// Modified UTF-7: "&" + base64 (with "," for "/") of UTF-16BE + "-"; "&-" is "&".
/// Anything malformed is kept as it came, so a folder is never lost to a bad name.
pub fn decode_mutf7(name: &str) -> String {
    let mut out = String::new();
    let mut rest = name;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('-') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let chunk = &after[..end];
        if chunk.is_empty() {
            out.push('&');
        } else {
            match decode_chunk(chunk) {
                Some(text) => out.push_str(&text),
                None => out.push_str(&rest[start..start + end + 2]),
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn decode_chunk(chunk: &str) -> Option<String> {
    let bytes = B64.decode(chunk.replace(',', "/")).ok()?;
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_modified_utf7() {
        assert_eq!(decode_mutf7("R&AOk-unions"), "Réunions");
        assert_eq!(decode_mutf7("&ZeVnLIqe-"), "日本語");
        assert_eq!(decode_mutf7("Tom &- Jerry"), "Tom & Jerry");
        assert_eq!(decode_mutf7("INBOX"), "INBOX");
        assert_eq!(decode_mutf7("broken&AOk"), "broken&AOk");
        assert_eq!(decode_mutf7("&Jjo-!"), "☺!");
    }

    fn folder(name: &str, delimiter: &str, role: Option<&'static str>) -> Listed {
        Listed {
            name: name.into(),
            display_name: decode_mutf7(name),
            delimiter: delimiter.into(),
            role,
            selectable: true,
            status: None,
        }
    }

    fn shown(folders: &[Listed]) -> Vec<&str> {
        folders.iter().map(|f| f.display_name.as_str()).collect()
    }

    #[test]
    fn the_personal_namespace_prefix_is_not_shown() {
        let mut cyrus = vec![
            folder("INBOX", ".", None),
            folder("INBOX.Sent", ".", Some("sent")),
            folder("INBOX.Archive", ".", Some("archive")),
            folder("INBOX.Projets.2024", ".", None),
            folder("INBOX.R&AOk-unions", ".", None),
        ];
        strip_personal_prefix(&mut cyrus);
        let want = ["INBOX", "Sent", "Archive", "Projets.2024", "Réunions"];
        assert_eq!(shown(&cyrus), want);
        // Other users' and shared folders sit outside it; the special-use ones tell.
        let mut shared = vec![
            folder("INBOX", ".", None),
            folder("INBOX.Trash", ".", Some("trash")),
            folder("Shared Folders.team", ".", None),
        ];
        strip_personal_prefix(&mut shared);
        assert_eq!(shown(&shared), ["INBOX", "Trash", "Shared Folders.team"]);
    }

    #[test]
    fn a_folder_made_inside_inbox_keeps_its_whole_name() {
        let mut dovecot = vec![
            folder("INBOX", "/", None),
            folder("INBOX/Receipts", "/", None),
            folder("Sent", "/", Some("sent")),
            folder("Trash", "/", Some("trash")),
        ];
        strip_personal_prefix(&mut dovecot);
        assert_eq!(
            shown(&dovecot),
            ["INBOX", "INBOX/Receipts", "Sent", "Trash"]
        );
        let mut gmail = vec![
            folder("INBOX", "/", None),
            folder("[Gmail]/Sent Mail", "/", Some("sent")),
        ];
        strip_personal_prefix(&mut gmail);
        assert_eq!(shown(&gmail), ["INBOX", "[Gmail]/Sent Mail"]);
    }

    #[test]
    fn roles_fall_back_to_well_known_names() {
        let f = |name: &str| Listed {
            name: name.into(),
            display_name: decode_mutf7(name),
            delimiter: ".".into(),
            role: None,
            selectable: true,
            status: None,
        };
        let mut folders = vec![
            f("INBOX"),
            f("INBOX.Sent Items"),
            f("Corbeille"),
            f("Projets"),
        ];
        fill_roles_by_name(&mut folders);
        let roles: Vec<_> = folders.iter().map(|f| f.role).collect();
        assert_eq!(roles, [Some("inbox"), Some("sent"), Some("trash"), None]);
    }
}
