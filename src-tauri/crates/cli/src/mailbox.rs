//! Reading and changing mail: `sync`, `folders`, `list`, `show`, `search`, `thread`,
//! `flag`, `move`, `delete`, `archive`, `junk`: each taking one message or many (one
//! command per folder on the server, `imap::batch`).

use courriel_engine::api::MessageAction;
use courriel_engine::{Engine, Error, ErrorKind};

use crate::args::{FlagArgs, ListArgs};
use crate::print;

/// `courriel sync`: progress on stderr, the report on stdout.
pub async fn sync(engine: &Engine, account: &str, json: bool) -> Result<(), Error> {
    let report = engine.sync_with_progress(account, &print::progress).await?;
    print::sync_report(&report, json);
    Ok(())
}

pub async fn folders(engine: &Engine, account: &str, json: bool) -> Result<(), Error> {
    print::folders(&engine.folders(account).await?, json);
    Ok(())
}

/// `courriel list`: one folder of an account, or the unified inbox.
pub async fn list(engine: &Engine, args: ListArgs) -> Result<(), Error> {
    let messages = match (args.account, args.folder) {
        (Some(account), Some(folder)) => {
            engine
                .folder_messages(&account, &folder, args.limit)
                .await?
        }
        _ => engine.list_inbox(args.limit).await?,
    };
    print::messages(&messages, args.json);
    Ok(())
}

/// `courriel show` without `--auth`: the message, its body fetched first if need be.
pub async fn show(engine: &Engine, id: i64, json: bool) -> Result<(), Error> {
    print::message(&engine.show(id).await?, json);
    Ok(())
}

/// `courriel show --source`: the bytes as the server sent them. To a terminal, control
/// characters other than line ends and tabs are made visible (a message's bytes must not
/// drive the terminal); to a file or a pipe, the bytes are written as they are.
pub async fn source(engine: &Engine, id: i64) -> Result<(), Error> {
    use std::io::{IsTerminal, Write};
    let raw = engine.source(id).await?;
    let mut out = std::io::stdout().lock();
    let written = if out.is_terminal() {
        let text = String::from_utf8_lossy(&raw);
        let shown: String = text
            .chars()
            .map(|c| match c {
                '\n' | '\t' | '\r' => c,
                c if c.is_control() => char::from_u32(0x2400 + (c as u32 & 0x1f)).unwrap_or('?'),
                c => c,
            })
            .collect();
        out.write_all(shown.as_bytes())
    } else {
        out.write_all(&raw)
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| Error::new(ErrorKind::Storage, format!("writing the message out: {e}")))
}

pub async fn search(engine: &Engine, query: &str, limit: u32, json: bool) -> Result<(), Error> {
    print::messages(&engine.search(query, limit).await?, json);
    Ok(())
}

/// `courriel thread`: the conversation of message `id`, oldest first.
pub async fn thread(engine: &Engine, id: i64, json: bool) -> Result<(), Error> {
    let thread = engine.summary(id).await?.thread_id.unwrap_or(id);
    print::messages(&engine.thread(thread).await?, json);
    Ok(())
}

/// `courriel flag`: each flag asked for is one action; none is an error.
pub async fn flag(engine: &Engine, args: FlagArgs) -> Result<(), Error> {
    let mut actions = Vec::new();
    if args.seen || args.unseen {
        actions.push(MessageAction::Seen(args.seen));
    }
    if args.flagged || args.unflagged {
        actions.push(MessageAction::Flagged(args.flagged));
    }
    if args.answered {
        actions.push(MessageAction::Answered(true));
    }
    if actions.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            "say what to change: --seen, --unseen, --flagged, --unflagged or --answered",
        ));
    }
    for action in actions {
        engine.act_many(args.ids.clone(), action).await?;
    }
    changed(engine, &args.ids, args.json).await
}

/// `courriel move`, `delete`, `archive`, `junk`: one action on every message given, then
/// the messages as they are now.
pub async fn act(
    engine: &Engine,
    ids: Vec<i64>,
    action: MessageAction,
    json: bool,
) -> Result<(), Error> {
    engine.act_many(ids.clone(), action).await?;
    changed(engine, &ids, json).await
}

/// One message: as `print::changed` always showed it. Several: one list, each message as
/// it is now or, deleted for good, `{"id": N, "deleted": true}`.
async fn changed(engine: &Engine, ids: &[i64], json: bool) -> Result<(), Error> {
    if let [id] = ids {
        return print::changed(engine, *id, json).await;
    }
    if !json {
        for id in ids {
            print::changed(engine, *id, false).await?;
        }
        return Ok(());
    }
    let mut out = Vec::new();
    for &id in ids {
        out.push(match engine.summary(id).await {
            Ok(summary) => serde_json::to_value(&summary)
                .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?,
            Err(e) if e.kind == ErrorKind::NotFound => {
                serde_json::json!({ "id": id, "deleted": true })
            }
            Err(e) => return Err(e),
        });
    }
    let text = serde_json::to_string_pretty(&out)
        .map_err(|e| Error::new(ErrorKind::Bug, e.to_string()))?;
    println!("{text}");
    Ok(())
}
