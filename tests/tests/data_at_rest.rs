//! The cache is the whole mailbox: only its owner may read it. After a real sync and a
//! real send (which takes the account's send lock) every file under the data directory is
//! 0600 and every directory 0700, whatever the umask; an older install whose directory is
//! 0755 and files 0644 is tightened when it is opened.

// The modes checked here are Unix's (Dovecot, which these tests drive, is too).
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use courriel_engine::api::Draft;
use courriel_engine::Engine;
use courriel_tests::Servers;

/// Every entry under `dir` (itself included) whose mode is not 0700 for a directory or
/// 0600 for a file, with its mode.
fn too_open(dir: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::symlink_metadata(&path).expect("stat");
        let mode = meta.permissions().mode() & 0o7777;
        let want = if meta.is_dir() { 0o700 } else { 0o600 };
        if mode != want {
            wrong.push(format!("{} is {mode:o}", path.display()));
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read dir") {
                todo.push(entry.expect("entry").path());
            }
        }
    }
    wrong
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_sync_and_a_send_only_the_owner_can_read_the_cache() {
    let servers = Servers::start();
    servers.seed("bob", None, 20, 1_790_000_000).expect("seed");
    let parent = tempfile::tempdir().expect("temp dir");
    let data = parent.path().join("courriel");
    let engine = Engine::open(&data, servers.secrets()).expect("engine");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    engine.sync(&bob).await.expect("sync");
    let draft = Draft {
        to: vec![bob.clone()],
        subject: "to myself".into(),
        body: "private".into(),
        ..Default::default()
    };
    engine.send(&bob, draft).await.expect("send");
    engine.sync(&bob).await.expect("sync again");
    assert!(data.join("courriel.sqlite3-wal").exists(), "WAL mode");
    assert!(data.join("locks").is_dir(), "a send lock was taken");
    let wrong = too_open(&data);
    assert!(wrong.is_empty(), "readable by others: {wrong:#?}");
}

#[test]
fn an_older_install_is_tightened_when_opened() {
    let parent = tempfile::tempdir().expect("temp dir");
    let data = parent.path().join("courriel");
    drop(courriel_engine::store::Store::open(&data).expect("create"));
    let set = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    // What an install before this change looks like: 0755 directories, 0644 files.
    for name in ["courriel.sqlite3-wal", "courriel.sqlite3-shm"] {
        std::fs::write(data.join(name), b"").expect("write");
    }
    std::fs::create_dir_all(data.join("locks")).expect("locks");
    std::fs::write(data.join("locks/send-1.lock"), b"").expect("lock file");
    for entry in [
        "courriel.sqlite3",
        "courriel.sqlite3-wal",
        "courriel.sqlite3-shm",
    ] {
        set(&data.join(entry), 0o644);
    }
    set(&data.join("locks/send-1.lock"), 0o644);
    set(&data.join("locks"), 0o755);
    set(&data, 0o755);
    assert!(!too_open(&data).is_empty());

    drop(courriel_engine::store::Store::open(&data).expect("reopen"));
    let wrong = too_open(&data);
    assert!(wrong.is_empty(), "still readable by others: {wrong:#?}");
}
