//! Folder management, the Engine's side: create, rename and delete a folder on the server
//! (`imap::manage`), the cache following at once (`store::folder_edit`).
//!
//! Decisions:
//! - A folder is named by its leaf, as people type it ("Réunions"), never by a path: a
//!   name holding the server's delimiter is refused in words, since it would silently
//!   make a folder inside another. A subfolder is made with `parent`.
//! - The special-use folders (Inbox, Sent, Drafts, Trash, Junk, Archive, All Mail), and
//!   any folder holding one, are never renamed or deleted: other clients and the server
//!   itself (Gmail, Outlook) depend on them.
//! - A top-level folder on a server that keeps everything below `INBOX.` (Cyrus,
//!   Courier) is made there too, as the ones the user already has.
//! - Delete refuses a folder with subfolders (servers differ: some delete the children,
//!   some keep them as \Noselect ghosts); the UI asks before deleting, and the folder's
//!   messages go with it, as on the server.
//! - These act on the server at once and fail when it cannot be reached (no queue): a
//!   folder made offline could clash with one another client makes meanwhile.

use crate::api::{Account, Folder, Protocol};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::imap::{self, manage::encode_mutf7, ImapSession};
use crate::store::folder_edit::FolderRow;

/// The longest folder name taken, in characters: servers cap a whole path near 255 bytes.
const MAX_NAME: usize = 100;

enum FolderOp {
    Create(String),
    Rename(String, String),
    Delete(String),
}

impl Engine {
    /// Make folder `name` (a leaf) at the top of the account, or inside `parent` (a folder
    /// as people name it), on the server, subscribed; returns it as the sidebar lists it.
    pub async fn create_folder(
        &self,
        email: &str,
        parent: Option<&str>,
        name: &str,
    ) -> Result<Folder> {
        let account = self.managed_account(email).await?;
        let rows = self.store.folder_rows(account.id)?;
        let parent = match parent {
            Some(p) => Some(self.row_named(&account, &rows, p)?),
            None => None,
        };
        let (wire, shown, delim) = new_name(&rows, parent.as_ref(), name)?;
        self.on_server(&account, FolderOp::Create(wire.clone()))
            .await?;
        let id = self.store.add_folder(account.id, &wire, &shown, &delim)?;
        self.listed(&account, id).await
    }

    /// Rename `folder` (as people name it) to `name` (a leaf, in the same parent): its
    /// cached messages stay with it, its subfolders follow.
    pub async fn rename_folder(&self, email: &str, folder: &str, name: &str) -> Result<Folder> {
        let account = self.managed_account(email).await?;
        let rows = self.store.folder_rows(account.id)?;
        let row = self.row_named(&account, &rows, folder)?;
        check_ordinary(&rows, &row)?;
        let (wire, shown) = renamed(&rows, &row, name)?;
        if wire == row.name {
            return self.listed(&account, row.id).await;
        }
        self.on_server(&account, FolderOp::Rename(row.name.clone(), wire.clone()))
            .await?;
        self.store.rename_folder(account.id, &row, &wire, &shown)?;
        self.listed(&account, row.id).await
    }

    /// Delete `folder` (as people name it) and its messages, on the server and here.
    pub async fn delete_folder(&self, email: &str, folder: &str) -> Result<()> {
        let account = self.managed_account(email).await?;
        let rows = self.store.folder_rows(account.id)?;
        let row = self.row_named(&account, &rows, folder)?;
        check_ordinary(&rows, &row)?;
        if !children(&rows, &row).is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                format!("\"{}\" has subfolders: delete them first", row.display_name),
            ));
        }
        self.on_server(&account, FolderOp::Delete(row.name.clone()))
            .await?;
        self.store.remove_folder(row.id)
    }

    async fn managed_account(&self, email: &str) -> Result<Account> {
        let account = self.account(email).await?;
        if account.protocol == Protocol::Pop3 {
            return Err(Error::new(
                ErrorKind::Config,
                "a POP3 account has only its inbox: folders need IMAP",
            ));
        }
        Ok(account)
    }

    fn row_named(&self, account: &Account, rows: &[FolderRow], given: &str) -> Result<FolderRow> {
        let found = self.store.find_folder(account.id, given)?;
        rows.iter()
            .find(|r| r.id == found.id)
            .cloned()
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no folder named \"{given}\"")))
    }

    async fn listed(&self, account: &Account, id: i64) -> Result<Folder> {
        let id_account = account.id;
        let all = self.blocking(move |s| s.folders(id_account)).await?;
        all.into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::new(ErrorKind::Bug, "the folder just changed is not listed"))
    }

    /// Run `op` over the account's kept session, or a new one (as `with_session`).
    async fn on_server(&self, account: &Account, op: FolderOp) -> Result<()> {
        let _turn = self.sessions.turn(account.id).await;
        if let Some((mut session, caps)) = self.sessions.take(account.id, false).await {
            match run(&mut session, &op).await {
                Err(e) if e.kind == ErrorKind::Network => {}
                done => return self.keep(account.id, session, caps, false, done),
            }
        }
        let (mut session, caps) = self.open_imap(account).await?;
        let done = run(&mut session, &op).await;
        self.keep(account.id, session, caps, false, done)
    }
}

async fn run(session: &mut ImapSession, op: &FolderOp) -> Result<()> {
    match op {
        FolderOp::Create(name) => imap::manage::create(session, name).await,
        FolderOp::Rename(from, to) => imap::manage::rename(session, from, to).await,
        FolderOp::Delete(name) => imap::manage::delete(session, name).await,
    }
}

/// The special-use folders, and those holding one, stay as they are.
fn check_ordinary(rows: &[FolderRow], row: &FolderRow) -> Result<()> {
    let special = std::iter::once(row)
        .chain(children(rows, row))
        .find(|r| r.role.is_some());
    match special {
        Some(r) => Err(Error::new(
            ErrorKind::Config,
            format!(
                "\"{}\" is the account's {} folder: Courriel does not rename or delete it",
                r.display_name,
                r.role.as_deref().unwrap_or_default()
            ),
        )),
        None => Ok(()),
    }
}

/// Every folder below `row`.
fn children<'a>(rows: &'a [FolderRow], row: &FolderRow) -> Vec<&'a FolderRow> {
    let below = format!("{}{}", row.name, row.delimiter);
    rows.iter().filter(|r| r.name.starts_with(&below)).collect()
}

/// A leaf name as typed, checked: what the user sees if it cannot be used.
fn leaf(name: &str, delim: &str) -> Result<String> {
    let name = name.trim();
    let bad = |why: String| Err(Error::new(ErrorKind::Config, why));
    if name.is_empty() {
        return bad("a folder needs a name".into());
    }
    if name.chars().count() > MAX_NAME {
        return bad(format!("a folder name is at most {MAX_NAME} characters"));
    }
    if !delim.is_empty() && name.contains(delim) {
        return bad(format!(
            "\"{name}\": this server separates folders with \"{delim}\", so a name cannot hold it"
        ));
    }
    if name.chars().any(|c| c.is_control() || c == '*' || c == '%') {
        return bad(format!(
            "\"{name}\": a folder name cannot hold *, % or control characters"
        ));
    }
    if name.eq_ignore_ascii_case("INBOX") {
        return bad("INBOX is the inbox's own name".into());
    }
    Ok(name.to_owned())
}

/// The new folder's wire name, shown name and delimiter.
fn new_name(
    rows: &[FolderRow],
    parent: Option<&FolderRow>,
    name: &str,
) -> Result<(String, String, String)> {
    let inbox = rows.iter().find(|r| r.name.eq_ignore_ascii_case("INBOX"));
    let delim = parent
        .or(inbox)
        .map(|r| r.delimiter.clone())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Config,
                "sync the account once before making folders",
            )
        })?;
    let leaf = leaf(name, &delim)?;
    let (wire, shown) = match parent {
        Some(p) => (
            format!("{}{delim}{}", p.name, encode_mutf7(&leaf)),
            format!("{}{delim}{leaf}", p.display_name),
        ),
        None => (
            format!("{}{}", personal_prefix(rows, &delim), encode_mutf7(&leaf)),
            leaf,
        ),
    };
    refuse_taken(rows, &wire, &shown)?;
    Ok((wire, shown, delim))
}

/// `row` under leaf `name` in the same parent: the wire name and the shown name.
fn renamed(rows: &[FolderRow], row: &FolderRow, name: &str) -> Result<(String, String)> {
    let delim = row.delimiter.as_str();
    let leaf = leaf(name, delim)?;
    let head = |s: &str| match (delim.is_empty(), s.rfind(delim)) {
        (false, Some(i)) => s[..i + delim.len()].to_owned(),
        _ => String::new(),
    };
    let wire = format!("{}{}", head(&row.name), encode_mutf7(&leaf));
    let shown = format!("{}{leaf}", head(&row.display_name));
    if wire != row.name {
        refuse_taken(rows, &wire, &shown)?;
    }
    Ok((wire, shown))
}

fn refuse_taken(rows: &[FolderRow], wire: &str, shown: &str) -> Result<()> {
    let lower = shown.to_lowercase();
    if rows
        .iter()
        .any(|r| r.name == wire || r.display_name.to_lowercase() == lower)
    {
        return Err(Error::new(
            ErrorKind::Config,
            format!("there is already a folder named \"{shown}\""),
        ));
    }
    Ok(())
}

/// `INBOX` + delimiter on servers that keep the user's folders below INBOX (a folder
/// there shown without it, see `imap::folders::personal_prefix`); nothing elsewhere.
fn personal_prefix(rows: &[FolderRow], delim: &str) -> String {
    let prefix = format!("INBOX{delim}");
    let under = rows.iter().any(|r| {
        let head = r.name.get(..prefix.len());
        head.is_some_and(|h| h.eq_ignore_ascii_case(&prefix))
            && r.name.len() > prefix.len()
            && r.display_name != r.name
    });
    if under {
        prefix
    } else {
        String::new()
    }
}

#[cfg(test)]
#[path = "folders_tests.rs"]
mod tests;
