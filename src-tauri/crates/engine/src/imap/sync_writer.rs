//! The cache side of a sync: each batch the reader fetched (`sync::read_batches`) parsed
//! and written, one transaction per batch, in the order read.

use super::large::Raw;
use super::sync::SyncCtx;
use crate::api::SyncProgress;
use crate::error::{Context, Result};
use crate::store::folders::FolderState;
use crate::store::messages::NewMessage;

/// Parse and cache each batch (one transaction each), reporting progress. Two stages on
/// blocking threads: a batch is parsed while the one before it is written (parsing and
/// writing cost about the same, and the reader and the server share the rest of the
/// machine), written in the order read.
pub(super) async fn write_batches(
    ctx: &SyncCtx<'_>,
    folder: &FolderState,
    name: &str,
    total: u32,
    mut rx: tokio::sync::mpsc::Receiver<Vec<Raw>>,
) -> Result<u32> {
    let (mut done, mut new) = (0, 0);
    let _large_cache = ctx.store.bulk_write();
    let mut writing: Option<(u32, Writing)> = None;
    while let Some(batch) = rx.recv().await {
        let count = batch.len() as u32;
        let parsed = blocking(move || batch.into_iter().map(Raw::parse).collect()).await;
        // The batch before this one is written before this one starts, whatever the parse
        // found: a failed parse still leaves every batch before it cached.
        if let Some((count, before)) = writing.take() {
            new += before.await.context(TASK)??;
            done += count;
            report(ctx, name, done, total);
        }
        let parsed: Vec<NewMessage> = parsed?;
        let store = ctx.store.clone();
        let (account, folder_id) = (ctx.account.id, folder.id);
        let write = move || store.insert_batch(account, folder_id, &parsed);
        writing = Some((count, tokio::task::spawn_blocking(write)));
    }
    if let Some((count, last)) = writing {
        new += last.await.context(TASK)??;
        report(ctx, name, done + count, total);
    }
    Ok(new)
}

/// A batch being written on a blocking thread: how many messages were new.
type Writing = tokio::task::JoinHandle<Result<u32>>;

/// Run `work` on a blocking thread and wait for it.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work).await.context(TASK)?
}

/// What a panicked parse or write is called.
const TASK: &str = "a cache task failed";

fn report(ctx: &SyncCtx<'_>, name: &str, done: u32, total: u32) {
    (ctx.progress)(&SyncProgress {
        account_email: ctx.account.email.clone(),
        folder: name.to_owned(),
        done,
        total,
    });
}
