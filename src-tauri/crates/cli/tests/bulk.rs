//! The CLI's changing verbs on many messages at once (`archive 3 4 5`, `flag 3 4 --seen`,
//! `junk`, `junk --not`, `delete`), with --json, against the real Dovecot.

mod common;

use std::path::Path;

use courriel_engine::Engine;
use courriel_tests::Servers;
use serde_json::Value;

fn courriel(dir: &Path, servers: &Servers, args: &[&str]) -> Value {
    common::json(dir, servers.get("BOB_PASSWORD"), args)
}

fn field<'a>(list: &'a Value, name: &str) -> Vec<&'a Value> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|m| &m[name])
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn verbs_take_many_ids() {
    let servers = Servers::start();
    servers.seed("bob", None, 6, 1_790_000_000).expect("seed");
    let dir = tempfile::tempdir().expect("data dir");
    let bob = Engine::open(dir.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    courriel(dir.path(), &servers, &["sync", "--account", &bob, "--json"]);
    let list = courriel(
        dir.path(),
        &servers,
        &["list", "--account", &bob, "--folder", "inbox", "--json"],
    );
    let ids: Vec<String> = field(&list, "id").iter().map(|v| v.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();

    let read = courriel(
        dir.path(),
        &servers,
        &[&["flag"], &ids[..3], &["--seen", "--json"]].concat(),
    );
    assert_eq!(field(&read, "seen"), vec![&Value::Bool(true); 3]);

    let archived = courriel(
        dir.path(),
        &servers,
        &[&["archive"], &ids[..3], &["--json"]].concat(),
    );
    assert_eq!(field(&archived, "folder"), vec![&Value::from("Archive"); 3]);
    assert_eq!(
        field(&archived, "id"),
        field(&read, "id"),
        "in the order given"
    );

    let moved = courriel(
        dir.path(),
        &servers,
        &[&["move"], &ids[..2], &["INBOX", "--json"]].concat(),
    );
    assert_eq!(field(&moved, "folder"), vec![&Value::from("INBOX"); 2]);

    let junk = courriel(
        dir.path(),
        &servers,
        &[&["junk"], &ids[3..5], &["--json"]].concat(),
    );
    assert_eq!(field(&junk, "folder"), vec![&Value::from("Junk"); 2]);
    let back = courriel(
        dir.path(),
        &servers,
        &[&["junk", "--not"], &ids[3..5], &["--json"]].concat(),
    );
    assert_eq!(field(&back, "folder"), vec![&Value::from("INBOX"); 2]);

    let trashed = courriel(
        dir.path(),
        &servers,
        &[&["delete"], &ids[4..], &["--json"]].concat(),
    );
    assert_eq!(field(&trashed, "folder"), vec![&Value::from("Trash"); 2]);
    let gone = courriel(
        dir.path(),
        &servers,
        &[&["delete"], &ids[4..], &["--json"]].concat(),
    );
    assert_eq!(field(&gone, "deleted"), vec![&Value::Bool(true); 2]);

    // The server agrees: 6 - 3 archived + 2 moved back - 2 deleted = 3 in INBOX.
    let fresh = tempfile::tempdir().expect("second device");
    Engine::open(fresh.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    courriel(
        fresh.path(),
        &servers,
        &["sync", "--account", &bob, "--json"],
    );
    let folders = courriel(
        fresh.path(),
        &servers,
        &["folders", "--account", &bob, "--json"],
    );
    let count = |role: &str| {
        folders
            .as_array()
            .expect("folders")
            .iter()
            .find(|f| f["role"] == role)
            .map(|f| f["total"].clone())
    };
    assert_eq!(count("inbox"), Some(Value::from(3)));
    assert_eq!(count("archive"), Some(Value::from(1)));
    assert_eq!(count("trash"), Some(Value::from(0)));
}
