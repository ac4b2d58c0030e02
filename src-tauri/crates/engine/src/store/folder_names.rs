//! Folders as people name them: the one resolver behind every place a folder is named
//! (`list --folder`, `move`, the app's folder views), so `Archive`, `archive` and
//! `INBOX.Archive` all mean Cyrus's `INBOX.Archive`.

use rusqlite::Connection;

use super::Store;
use crate::error::{Context, Error, ErrorKind, Result};

/// A folder a person named: its row, and the name the server knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRef {
    pub id: i64,
    pub name: String,
}

impl Store {
    /// The account's folder a person means by `given` (`resolve_folder`).
    pub fn find_folder(&self, account_id: i64, given: &str) -> Result<FolderRef> {
        resolve_folder(&self.conn(), account_id, given)
    }
}

/// The account's folder a person means by `given`, the one resolver behind every place a
/// folder is named (`list --folder`, `move`, the app's folder views). Tried in order: the
/// server's exact name (`INBOX.Archive`); the name as shown, without the personal
/// namespace prefix (`Archive`); a role in any case (`archive`, `Sent`, `inbox`); then a
/// shown or server name in any case (`projets`), when only one folder has it.
pub(crate) fn resolve_folder(conn: &Connection, account_id: i64, given: &str) -> Result<FolderRef> {
    let folders = named_folders(conn, account_id)?;
    let exact = folders
        .iter()
        .find(|f| f.name == given)
        .or_else(|| folders.iter().find(|f| f.shown == given))
        .or_else(|| {
            let role = given.to_ascii_lowercase();
            folders
                .iter()
                .find(|f| f.role.as_deref() == Some(role.as_str()))
        });
    if let Some(f) = exact {
        return Ok(f.to_ref());
    }
    let lower = given.to_lowercase();
    let loose: Vec<&Named> = folders
        .iter()
        .filter(|f| f.shown.to_lowercase() == lower || f.name.to_lowercase() == lower)
        .collect();
    match loose.as_slice() {
        [one] => Ok(one.to_ref()),
        [] => {
            let names: Vec<&str> = folders.iter().map(|f| f.shown.as_str()).collect();
            Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "no folder named \"{given}\" in this account (it has {})",
                    names.join(", ")
                ),
            ))
        }
        several => {
            let names: Vec<&str> = several.iter().map(|f| f.name.as_str()).collect();
            Err(Error::new(
                ErrorKind::Config,
                format!(
                    "\"{given}\" could be any of {}: give the exact name",
                    names.join(", ")
                ),
            ))
        }
    }
}

/// A selectable folder with every name it may be called by.
struct Named {
    id: i64,
    name: String,
    shown: String,
    role: Option<String>,
}

impl Named {
    fn to_ref(&self) -> FolderRef {
        FolderRef {
            id: self.id,
            name: self.name.clone(),
        }
    }
}

fn named_folders(conn: &Connection, account_id: i64) -> Result<Vec<Named>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, display_name, role FROM folders
         WHERE account_id = ?1 AND selectable = 1 ORDER BY id",
    )?;
    let rows = stmt.query_map([account_id], |r| {
        let name: String = r.get(1)?;
        let shown: String = r.get(2)?;
        Ok(Named {
            id: r.get(0)?,
            shown: super::folders::shown_or_name(shown, &name),
            name,
            role: r.get(3)?,
        })
    })?;
    rows.collect::<rusqlite::Result<_>>()
        .context("reading the folder list")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::folders::Listed;

    fn cyrus() -> (Store, tempfile::TempDir, i64) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(dir.path()).expect("open");
        let account = store.insert_account(&test_account()).expect("account").id;
        let listed = |name: &str, shown: &str, role| Listed {
            name: name.into(),
            display_name: shown.into(),
            delimiter: ".".into(),
            role,
            selectable: true,
            status: None,
        };
        let folders = [
            listed("INBOX", "INBOX", Some("inbox")),
            listed("INBOX.Archive", "Archive", Some("archive")),
            listed("INBOX.Sent", "Sent", Some("sent")),
            listed("INBOX.Projets", "Projets", None),
            listed("INBOX.Twin", "Twin", None),
            listed("INBOX.twin", "twin", None),
        ];
        store.save_folders(account, &folders).expect("folders");
        (store, dir, account)
    }

    fn test_account() -> crate::api::NewAccount {
        let endpoint = crate::api::Endpoint {
            host: "imap.example.test".into(),
            port: 993,
            security: crate::api::Security::Tls,
        };
        crate::api::NewAccount {
            email: "bob@example.test".into(),
            display_name: String::new(),
            username: "bob@example.test".into(),
            protocol: crate::api::Protocol::Imap,
            incoming: endpoint.clone(),
            smtp: endpoint,
            ca_file: None,
            sent_copy: None,
            smtp_plaintext_no_auth: false,
            auth: Default::default(),
        }
    }

    #[test]
    fn a_folder_is_found_by_any_name_people_use() {
        let (store, _dir, account) = cyrus();
        let name = |given: &str| match store.find_folder(account, given) {
            Ok(f) => f.name,
            Err(e) => e.message,
        };
        for given in [
            "INBOX.Archive",
            "Archive",
            "archive",
            "ARCHIVE",
            "inbox.archive",
        ] {
            assert_eq!(name(given), "INBOX.Archive", "{given}");
        }
        assert_eq!(name("inbox"), "INBOX");
        assert_eq!(name("Sent"), "INBOX.Sent");
        assert_eq!(name("projets"), "INBOX.Projets");
        // Exact names first, so two folders apart only by case are both reachable.
        assert_eq!(name("twin"), "INBOX.twin");
        assert_eq!(name("Twin"), "INBOX.Twin");
    }

    #[test]
    fn an_unknown_or_ambiguous_name_says_so_in_words() {
        let (store, _dir, account) = cyrus();
        let missing = store
            .find_folder(account, "Reçus")
            .expect_err("no such folder");
        assert_eq!(missing.kind, ErrorKind::NotFound);
        assert!(missing.message.contains("\"Reçus\""), "{}", missing.message);
        assert!(missing.message.contains("Projets"), "{}", missing.message);
        let twin = store.find_folder(account, "TWIN").expect_err("two folders");
        assert_eq!(twin.kind, ErrorKind::Config);
        assert!(
            twin.message.contains("INBOX.Twin, INBOX.twin"),
            "{}",
            twin.message
        );
    }
}
