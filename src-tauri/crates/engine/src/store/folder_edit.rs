//! The cache following folder management (`mailbox::folders`): a folder made on the
//! server gets its row at once (no sync needed to see it), a renamed one keeps its row,
//! so its cached messages, their bodies and search index stay (only names change, its
//! subfolders' too, and the queued changes that name them), a deleted one goes with its
//! messages.

use rusqlite::params;

use super::Store;
use crate::error::{Context, Result};

/// One of the account's folders as the cache has it, selectable or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRow {
    pub id: i64,
    /// The name on the wire (modified UTF-7).
    pub name: String,
    pub display_name: String,
    pub delimiter: String,
    pub role: Option<String>,
}

impl Store {
    /// Every folder row of the account, by id.
    pub fn folder_rows(&self, account_id: i64) -> Result<Vec<FolderRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, name, display_name, delimiter, role FROM folders
             WHERE account_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let name: String = r.get(1)?;
            let shown: String = r.get(2)?;
            Ok(FolderRow {
                id: r.get(0)?,
                display_name: super::folders::shown_or_name(shown, &name),
                name,
                delimiter: r.get(3)?,
                role: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()
            .context("reading the folder list")
    }

    /// A folder the server just made: its row, empty and never synced.
    pub fn add_folder(&self, account_id: i64, name: &str, shown: &str, delim: &str) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO folders (account_id, name, display_name, delimiter, selectable)
             VALUES (?1, ?2, ?3, ?4, 1)
             ON CONFLICT (account_id, name) DO UPDATE SET display_name = excluded.display_name",
            params![account_id, name, shown, delim],
        )
        .with_context(|| format!("adding the folder {shown}"))?;
        conn.query_row(
            "SELECT id FROM folders WHERE account_id = ?1 AND name = ?2",
            params![account_id, name],
            |r| r.get(0),
        )
        .context("reading the new folder")
    }

    /// The server renamed `from` to `to` (and every `from` + delimiter + rest below it):
    /// the same rows under the new names, shown as `shown` (and `shown` + delimiter +
    /// rest). Changes queued for the old names now name the new ones.
    pub fn rename_folder(
        &self,
        account_id: i64,
        from: &FolderRow,
        to: &str,
        shown: &str,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // A row already under the new name is a leftover the server no longer has.
        tx.execute(
            "DELETE FROM messages_fts WHERE rowid IN (SELECT fts_key FROM messages m
             JOIN folders f ON f.id = m.folder_id WHERE f.account_id = ?1 AND f.name = ?2)",
            params![account_id, to],
        )?;
        tx.execute(
            "DELETE FROM folders WHERE account_id = ?1 AND name = ?2",
            params![account_id, to],
        )?;
        let below = format!("{}{}", from.name, from.delimiter);
        let shown_below = format!("{}{}", from.display_name, from.delimiter);
        let rows: Vec<(i64, String, String)> = tx
            .prepare("SELECT id, name, display_name FROM folders WHERE account_id = ?1")?
            .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, name, display) in rows {
            let (new_name, new_shown) = if id == from.id {
                (to.to_owned(), shown.to_owned())
            } else if let Some(rest) = name.strip_prefix(&below) {
                let display_rest = display.strip_prefix(&shown_below).unwrap_or(rest);
                let d = &from.delimiter;
                (
                    format!("{to}{d}{rest}"),
                    format!("{shown}{d}{display_rest}"),
                )
            } else {
                continue;
            };
            tx.execute(
                "UPDATE folders SET name = ?2, display_name = ?3 WHERE id = ?1",
                params![id, new_name, new_shown],
            )?;
            tx.execute(
                "UPDATE changes SET folder = ?3 WHERE account_id = ?1 AND folder = ?2",
                params![account_id, name, new_name],
            )?;
            tx.execute(
                "UPDATE changes SET arg = ?3 WHERE account_id = ?1 AND action = 'move' AND arg = ?2",
                params![account_id, name, new_name],
            )?;
        }
        tx.commit().context("renaming a folder in the cache")
    }

    /// The server deleted the folder: its row and cached messages go.
    pub fn remove_folder(&self, folder_id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        super::folders::drop_folder(&tx, folder_id)?;
        tx.commit().context("removing a folder from the cache")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MessageAction;
    use crate::store::folders::Listed;
    use crate::store::messages::NewMessage;

    fn store() -> (Store, tempfile::TempDir, i64) {
        crate::store::test_store::with_account()
    }

    #[test]
    fn a_renamed_folder_keeps_its_rows_and_its_queued_changes_follow() {
        let (store, _dir, account) = store();
        let listed = |name: &str, role| Listed {
            name: name.into(),
            display_name: name.into(),
            delimiter: "/".into(),
            role,
            selectable: true,
            status: None,
        };
        let folders = [
            listed("INBOX", Some("inbox")),
            listed("Projets", None),
            listed("Projets/2024", None),
            listed("Projetsbis", None),
        ];
        store.save_folders(account, &folders).expect("folders");
        let inbox = store.folder(account, "INBOX", None).expect("inbox").id;
        let message = NewMessage {
            uid: 5,
            message_id: Some("m@x".into()),
            subject: "plans".into(),
            from_addr: "zoe@example.test".into(),
            date: 10,
            has_body: true,
            ..NewMessage::default()
        };
        store
            .insert_batch(account, inbox, &[message])
            .expect("insert");
        let id = store.folder_messages(inbox, 1).expect("list")[0].id;
        let moved = MessageAction::Move("Projets/2024".into());
        store.apply_local(id, &moved, 100).expect("move, queued");
        store
            .apply_local(id, &MessageAction::Flagged(true), 101)
            .expect("flag, queued");

        let rows = store.folder_rows(account).expect("rows");
        let projets = rows.iter().find(|r| r.name == "Projets").expect("Projets");
        let child = rows
            .iter()
            .find(|r| r.name == "Projets/2024")
            .expect("child");
        store
            .rename_folder(account, projets, "Dossiers", "Dossiers")
            .expect("rename");

        let rows = store.folder_rows(account).expect("rows");
        let named = |id: i64| rows.iter().find(|r| r.id == id).map(|r| r.name.as_str());
        assert_eq!(named(projets.id), Some("Dossiers"));
        assert_eq!(
            named(child.id),
            Some("Dossiers/2024"),
            "the subfolder follows"
        );
        assert!(
            rows.iter().any(|r| r.name == "Projetsbis"),
            "a look-alike name stays"
        );
        let listed = store.folder_messages(child.id, 5).expect("list");
        assert_eq!(listed.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
        let queued = store.pending_changes(account).expect("queue");
        assert_eq!(
            (queued[0].action.as_str(), queued[0].arg.as_str()),
            ("move", "Dossiers/2024")
        );
        assert_eq!(
            queued[1].folder, "Dossiers/2024",
            "the flag change names it"
        );
    }
}
