//! `courriel watch`: the engine's scheduler (`courriel_engine::scheduler`), the same
//! background work the desktop app runs, hosted in a terminal. Each event is one line:
//! a sync that ended (and how many new messages), a message of the outbox that changed
//! state, drafts copied. Ctrl-C (or `--for` seconds) stops it cleanly.

use std::collections::BTreeMap;
use std::sync::Arc;

use courriel_engine::api::OutboxState;
use courriel_engine::scheduler::{Event, Scheduler};
use courriel_engine::{Engine, Error};
use serde_json::json;

use crate::print::when;

pub async fn watch(engine: Arc<Engine>, for_secs: Option<u64>, as_json: bool) -> Result<(), Error> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runtime = tokio::runtime::Handle::current();
    let scheduler = Scheduler::start(engine.clone(), &runtime, move |event| {
        let _ = tx.send(event);
    });
    let mut states = outbox_states(&engine).await;
    let deadline = async {
        match for_secs {
            Some(secs) => tokio::time::sleep(std::time::Duration::from_secs(secs)).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            Some(event) = rx.recv() => print(&engine, event, &mut states, as_json).await,
            _ = tokio::signal::ctrl_c() => break,
            _ = &mut deadline => break,
        }
    }
    scheduler.stop().await;
    Ok(())
}

async fn outbox_states(engine: &Engine) -> BTreeMap<i64, OutboxState> {
    let outbox = engine.outbox().await.unwrap_or_default();
    outbox.iter().map(|r| (r.outbox_id, r.state)).collect()
}

async fn print(
    engine: &Engine,
    event: Event,
    states: &mut BTreeMap<i64, OutboxState>,
    as_json: bool,
) {
    let now = when(courriel_engine::clock::system_now());
    match event {
        Event::MailChanged(c) => match (&c.report, &c.error) {
            (Some(r), _) if as_json => println!("{}", json!({ "at": now, "synced": r })),
            (Some(r), _) => println!(
                "{now} {}: synced, {} new, {} cached",
                c.account_email, r.new_messages, r.total_cached
            ),
            (None, Some(e)) if as_json => {
                println!(
                    "{}",
                    json!({ "at": now, "account": c.account_email, "error": e })
                )
            }
            (None, Some(e)) => println!("{now} {}: {}", c.account_email, e.message),
            (None, None) => {}
        },
        Event::OutboxChanged => {
            for r in engine.outbox().await.unwrap_or_default() {
                if states.insert(r.outbox_id, r.state) == Some(r.state) {
                    continue;
                }
                if as_json {
                    println!("{}", json!({ "at": now, "outbox": r }));
                } else {
                    let why = r
                        .last_error
                        .as_deref()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default();
                    println!(
                        "{now} outbox #{} <{}>: {}{why}",
                        r.outbox_id,
                        r.message_id,
                        r.state.as_str()
                    );
                }
            }
        }
        Event::DraftsSynced(n) if as_json => println!("{}", json!({ "at": now, "drafts": n })),
        Event::DraftsSynced(n) => {
            println!("{now} drafts: {n} copied to or removed from the server")
        }
    }
}
