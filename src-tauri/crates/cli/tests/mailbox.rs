//! The CLI's reading commands against the real Dovecot: sync, list, search, show, thread,
//! flag, move, archive and delete, each with --json, driven as a script would.

mod common;

use std::path::Path;

use courriel_engine::Engine;
use courriel_tests::Servers;
use serde_json::Value;

fn courriel(dir: &Path, servers: &Servers, args: &[&str]) -> Value {
    common::json(dir, servers.get("BOB_PASSWORD"), args)
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_list_search_show_and_change_messages_from_the_command_line() {
    let servers = Servers::start();
    let seeded = servers.seed("bob", None, 200, 1_790_000_000).expect("seed");
    let dir = tempfile::tempdir().expect("data dir");
    let bob = Engine::open(dir.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;

    let sync = courriel(dir.path(), &servers, &["sync", "--account", &bob, "--json"]);
    assert_eq!(sync["newMessages"], 200);

    let list = courriel(
        dir.path(),
        &servers,
        &[
            "list",
            "--account",
            &bob,
            "--folder",
            "inbox",
            "--limit",
            "500",
            "--json",
        ],
    );
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 200);
    let newest = &list[0];
    assert_eq!(newest["messageId"], seeded.message_ids[199].as_str());

    let word = courriel_tests::seed::SEARCH_WORDS[0];
    let hits = courriel(dir.path(), &servers, &["search", word, "--json"]);
    assert!(!hits.as_array().expect("hits").is_empty(), "{word}");

    // Every message is older than the 30-day window: `show` fetches the body.
    let id = newest["id"].as_i64().expect("id").to_string();
    let shown = courriel(dir.path(), &servers, &["show", &id, "--json"]);
    assert_eq!(shown["summary"]["id"], newest["id"]);
    assert!(shown["text"].as_str().is_some_and(|t| !t.is_empty()) || shown["html"].is_string());

    let thread = courriel(dir.path(), &servers, &["thread", &id, "--json"]);
    assert!(thread
        .as_array()
        .expect("thread")
        .iter()
        .any(|m| m["id"] == newest["id"]));

    let flagged = courriel(
        dir.path(),
        &servers,
        &["flag", &id, "--flagged", "--unseen", "--json"],
    );
    assert_eq!(
        (
            flagged[0]["flagged"].as_bool(),
            flagged[0]["seen"].as_bool()
        ),
        (Some(true), Some(false))
    );

    let moved = courriel(dir.path(), &servers, &["move", &id, "Junk", "--json"]);
    assert_eq!(moved[0]["folder"], "Junk");
    let archived = courriel(dir.path(), &servers, &["archive", &id, "--json"]);
    assert_eq!(archived[0]["folder"], "Archive");
    let trashed = courriel(dir.path(), &servers, &["delete", &id, "--json"]);
    assert_eq!(trashed[0]["folder"], "Trash");
    let gone = courriel(dir.path(), &servers, &["delete", &id, "--json"]);
    assert_eq!(gone["deleted"], true);

    // The server agrees: a fresh cache sees 199 in INBOX, the flag gone with the message.
    let fresh = tempfile::tempdir().expect("second device");
    Engine::open(fresh.path(), servers.secrets())
        .expect("engine")
        .add_account(servers.account("bob"))
        .await
        .expect("bob");
    let sync = courriel(
        fresh.path(),
        &servers,
        &["sync", "--account", &bob, "--json"],
    );
    assert_eq!(sync["totalCached"], 199);
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
    assert_eq!(count("inbox"), Some(Value::from(199)));
    assert_eq!(count("trash"), Some(Value::from(0)));
}
