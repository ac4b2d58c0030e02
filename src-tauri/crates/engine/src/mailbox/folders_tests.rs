//! The naming rules of folder management, without a server.

use super::*;

fn row(id: i64, name: &str, shown: &str, delim: &str, role: Option<&str>) -> FolderRow {
    FolderRow {
        id,
        name: name.into(),
        display_name: shown.into(),
        delimiter: delim.into(),
        role: role.map(Into::into),
    }
}

fn dovecot() -> Vec<FolderRow> {
    vec![
        row(1, "INBOX", "INBOX", "/", Some("inbox")),
        row(2, "Sent", "Sent", "/", Some("sent")),
        row(3, "Projets", "Projets", "/", None),
        row(4, "Projets/2024", "Projets/2024", "/", None),
        row(5, "[Gmail]", "[Gmail]", "/", None),
        row(6, "[Gmail]/Trash", "[Gmail]/Trash", "/", Some("trash")),
    ]
}

fn cyrus() -> Vec<FolderRow> {
    vec![
        row(1, "INBOX", "INBOX", ".", Some("inbox")),
        row(2, "INBOX.Sent", "Sent", ".", Some("sent")),
        row(3, "INBOX.R&AOk-unions", "Réunions", ".", None),
    ]
}

#[test]
fn a_new_folder_is_named_as_the_server_wants() {
    let rows = dovecot();
    let made = new_name(&rows, None, " Réunions ").expect("made");
    assert_eq!(made, ("R&AOk-unions".into(), "Réunions".into(), "/".into()));
    let inside = new_name(&rows, Some(&rows[2]), "Tom & Jerry").expect("made");
    assert_eq!(inside.0, "Projets/Tom &- Jerry");
    assert_eq!(inside.1, "Projets/Tom & Jerry");
    // Cyrus keeps the user's folders below INBOX.
    let made = new_name(&cyrus(), None, "日本語").expect("made");
    assert_eq!(
        made,
        ("INBOX.&ZeVnLIqe-".into(), "日本語".into(), ".".into())
    );
}

#[test]
fn bad_or_taken_names_are_refused_in_words() {
    let rows = dovecot();
    let said = |name: &str| new_name(&rows, None, name).expect_err(name).message;
    assert!(
        said("a/b").contains("separates folders with \"/\""),
        "{}",
        said("a/b")
    );
    assert!(said("projets").contains("already a folder named"));
    assert!(said("  ").contains("needs a name"));
    assert!(said("inbox").contains("inbox"));
    assert!(said("x*").contains('*'));
    assert!(said(&"é".repeat(101)).contains("at most"));
    let none: Vec<FolderRow> = Vec::new();
    assert!(new_name(&none, None, "x").is_err(), "never synced");
}

#[test]
fn a_rename_stays_in_its_parent() {
    let rows = dovecot();
    let (wire, shown) = renamed(&rows, &rows[3], "Deux mille vingt-quatre").expect("renamed");
    assert_eq!(wire, "Projets/Deux mille vingt-quatre");
    assert_eq!(shown, "Projets/Deux mille vingt-quatre");
    let rows = cyrus();
    let (wire, shown) = renamed(&rows, &rows[2], "Réunions 2026").expect("renamed");
    assert_eq!(
        (wire.as_str(), shown.as_str()),
        ("INBOX.R&AOk-unions 2026", "Réunions 2026")
    );
    assert!(renamed(&rows, &rows[2], "Sent").is_err(), "taken");
}

#[test]
fn special_use_folders_and_their_parents_stay() {
    let rows = dovecot();
    assert!(check_ordinary(&rows, &rows[0]).is_err(), "INBOX");
    assert!(check_ordinary(&rows, &rows[1]).is_err(), "Sent");
    let gmail = check_ordinary(&rows, &rows[4]).expect_err("holds Trash");
    assert!(gmail.message.contains("trash"), "{}", gmail.message);
    assert!(check_ordinary(&rows, &rows[2]).is_ok());
    assert_eq!(children(&rows, &rows[2]).len(), 1);
}
