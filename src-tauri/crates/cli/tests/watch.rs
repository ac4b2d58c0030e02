//! `courriel watch` hosts the engine's scheduler as the desktop app does: the first sync
//! of each account, mail queued by another process on the same data directory sent by
//! its outbox loop, new mail brought by IDLE, and a clean stop on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use courriel_engine::api::Draft;
use courriel_engine::Engine;
use courriel_tests::Servers;

/// Lines of the watch's output until one contains `want` (or the watch went quiet for
/// two minutes: a hang, not a slow machine).
fn wait_for(lines: &mpsc::Receiver<String>, want: &str, seen: &mut Vec<String>) {
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) => {
                let found = line.contains(want);
                seen.push(line);
                if found {
                    return;
                }
            }
            Err(_) => panic!(
                "no line with {want:?}; the watch said:\n{}",
                seen.join("\n")
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_watch_syncs_sends_and_stops_cleanly() {
    let servers = Servers::start();
    let dir = tempfile::tempdir().expect("data dir");
    let engine = Engine::open(dir.path(), servers.secrets()).expect("engine");
    let bob = engine
        .add_account(servers.account("bob"))
        .await
        .expect("bob")
        .email;
    let mut child = Command::new(env!("CARGO_BIN_EXE_courriel"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("watch")
        .env("COURRIEL_PASSWORD", servers.get("BOB_PASSWORD"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("run courriel watch");
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    wait_for(&lines, &format!("{bob}: synced"), &mut seen);

    // Queued by another process: the watch's outbox loop finds it and sends it.
    let draft = Draft {
        to: vec![bob.clone()],
        subject: "sent by the watch".into(),
        body: "x".into(),
        ..Default::default()
    };
    let queued = engine.queue(&bob, draft, None).await.expect("queue");
    let sent = format!(
        "outbox #{} <{}>: copied_to_sent",
        queued.outbox_id, queued.message_id
    );
    wait_for(&lines, &sent, &mut seen);
    // It arrives in bob's INBOX, and IDLE brings it down.
    wait_for(&lines, &format!("{bob}: synced, 1 new"), &mut seen);

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let status = child.wait().expect("wait");
    assert!(
        status.success(),
        "Ctrl-C stops it cleanly: {status:?}\n{}",
        seen.join("\n")
    );
}
